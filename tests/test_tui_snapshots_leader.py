"""The team leader's screens (findings, judgements, merge, conflicts, report parts, the
report) and the help and history dialogs, at 80x24 and, where the layout changes, 120x40,
on the Hull sample with a fixed clock. Split from test_tui_snapshots_screens.py so that
the two run on separate workers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from snapshot_helpers import LARGE, SMALL, keys, snap
from textual.pilot import Pilot
from textual.widgets import DataTable
from tui_helpers import hold_still as settle

# -- The team leader's screens ----------------------------------------------------------


async def _findings_of(pilot: Pilot[None], unit: str) -> None:
    """F7 on ``unit``: its row chosen in the plan items (a loaded machine could take the
    picture with the cursor still on the area's heading)."""

    await keys("f7")(pilot)
    units = pilot.app.screen.query_one("#units", DataTable)
    await settle(pilot)
    units.move_cursor(row=units.get_row_index(unit))
    pilot.app.screen.set_focus(pilot.app.screen.query_one("#paragraphs", DataTable))
    await settle(pilot)
    await pilot.pause(0.2)
    units.move_cursor(row=units.get_row_index(unit))  # as it should be, however loaded
    await settle(pilot)


async def _findings_of_1_33(pilot: Pilot[None]) -> None:
    await _findings_of(pilot, "1.33")


async def _judgements(pilot: Pilot[None]) -> None:

    await keys("f8")(pilot)
    table = pilot.app.screen.query_one("#units", DataTable)
    table.move_cursor(row=0)
    await settle(pilot)


def test_findings_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Findings at 80x24: "Findings" in the header, the plan items on the left, 1.33's
    concern, its paragraphs numbered 3.1 to 3.6 (the evidence pane hidden below 100
    columns: e shows it), 3.1 shown whole below and why it is out of date; the key line
    ^n New paragraph, e Evidence, c Cite evidence, ^t Sync paragraph (no ^s: nothing is
    being edited)."""
    assert snap(snap_compare, hull_path, SMALL, _findings_of_1_33)


async def _findings_of_1_39(pilot: Pilot[None]) -> None:
    await _findings_of(pilot, "1.39")


def test_findings_numbers_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Findings at 80x24 on 1.39: its paragraphs numbered 3.61 to 3.64 in full (numbers
    used to be cut to the width of the first ones drawn: 3.3 for 3.37)."""
    assert snap(snap_compare, hull_path, SMALL, _findings_of_1_39)


def test_judgements_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Judgements at 80x24: "Judgements" in the header, eight of the twelve judged units
    in view (Unit, Judgement, Reason, Area; the rest a scroll away), 1.33's scale and
    conclusion, and the tally and charts scrolling below."""
    assert snap(snap_compare, hull_path, SMALL, _judgements)


def test_judgements_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Judgements at 120x40: all twelve units, the tally sentences and the charts."""
    assert snap(snap_compare, hull_path, LARGE, _judgements)


def test_merge_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Merge at 80x24 before any folder is typed (the data folder's path blanked): the
    files table, the dry-run table and ^e Merge, ^d Dry run first."""
    assert snap(snap_compare, hull_path, SMALL, keys("f9", blank="#path"))


def test_conflicts_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Conflicts at 80x24: "No open conflicts.", no hint and no k, o or c on the key line
    (nothing to settle: only the keys that act now, the function keys)."""
    assert snap(snap_compare, hull_path, SMALL, keys("f10"))


def test_conflicts_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Conflicts at 120x40: the same."""
    assert snap(snap_compare, hull_path, LARGE, keys("f10"))


def _conflicted(hull_path: Path) -> None:
    """Jade's file after merging Paul's, both having changed the same note, the edits'
    times fixed (the history's, shown on each side) so the picture is the same each run."""
    from merge_helpers import cp, edit_by_hand

    from irp_field.core.visit_file import VisitFile
    from irp_field.replication.merge import merge_visits

    paul = cp(hull_path, hull_path.parent / "paul.db")
    with VisitFile.open(hull_path, readonly=True) as visit:  # ids are new each session
        first = "SELECT id FROM note ORDER BY taken_at, text LIMIT 1"
        note = str(visit.query(first)[0]["id"])
    # Paul's edit last, and twice: his version outranks Jade's even in one millisecond
    # (the clock's counter), so the same side is kept now on every run.
    for path, who, said in ((hull_path, "Jade Richards", "was curtailed"),
                            (paul, "Paul Rowlands", "ran"),
                            (paul, "Paul Rowlands", "ran as planned")):  # fmt: skip
        with VisitFile.open(path, user=who) as visit, visit.transaction():
            visit.update("note", note, {"text": f"Staff said the regime {said} on Monday"})
    merge_visits(hull_path, [paul])
    edit_by_hand(
        hull_path,
        *(
            f"UPDATE change_log SET changed_at = '2022-03-15T{at}:00Z' "
            f"WHERE table_name = 'note' AND row_id = '{note}' AND changed_by = '{who}'"
            for who, at in (("Jade Richards", "19:30"), ("Paul Rowlands", "19:40"))
        ),
    )


def test_conflicts_with_one_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Conflicts at 80x24 with one note changed on two laptops: the list's Record (cut
    with "…"), Kept now and Other by name, and Differs in "text" all on screen (the
    other's name ran past the edge behind the kept one's time); each side below says
    the record whole ("note by Jade Richards, 14 March 09:20: ..."), who and when, and
    underlines the words that differ; k, o and c on the key line (no ^s: no combined
    version is being written)."""
    _conflicted(hull_path)
    assert snap(snap_compare, hull_path, SMALL, keys("f10"))


def test_report_parts_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Report parts (F11) at 80x24: "Report parts" in the header, the summary's
    paragraphs 1.1 to 1.9 marked out of date, the help line and the editor."""
    assert snap(snap_compare, hull_path, SMALL, keys("f11"))


def test_report_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Report and export at 80x24 (the folder blanked): the eight outputs, "[x]" before
    the three reports and "[ ]" before the five exports, "[ ] Redact the exports", the
    line "No export picked (they would be NOT REDACTED)" in words, and ^s Write first on
    the key line."""
    assert snap(snap_compare, hull_path, SMALL, keys("f12", blank="#folder"))


def test_report_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Report and export at 120x40, the same."""
    assert snap(snap_compare, hull_path, LARGE, keys("f12", blank="#folder"))


def test_help_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Help (F1) over the overview at 80x24: the overview's own keys first under its
    name ("Overview": s Set-up, ^r Refresh, b Hand back, sealed), then every key that
    works everywhere; the list scrolls."""
    assert snap(snap_compare, hull_path, SMALL, keys("f1"))


async def _history(pilot: Pilot[None]) -> None:
    from irp_field.api.history import HistoryEntry
    from irp_field.tui.dialogs.history import HistoryScreen

    await settle(pilot)
    entries = [
        HistoryEntry("2022-03-16T09:05:00Z", "Jade Richards", "added",
                     (("round", "", "Wed AM"), ("roll", "", "126"), ("locked up", "", "54"))),
        HistoryEntry("2022-03-16T18:40:00Z", "Paul Rowlands", "changed",
                     (("locked up", "54", "50"), ("elsewhere", "3", "7"))),
    ]  # fmt: skip
    await pilot.app.push_screen(HistoryScreen("the check of A wing in round Wed AM", entries))
    await settle(pilot)


def test_history_80x24(hull_path: Path, snap_compare: Any) -> None:
    """A check's history (h on a row) at 80x24: who added it and when with its counts,
    then who changed what, "locked up: 54 -> 50"."""
    assert snap(snap_compare, hull_path, SMALL, _history)
