"""Pictures at 80x24 of the screens issue 22 changed, in their fullest state: the merge's
line per file with a round kept, Home with a visit, the set-up's plan with Kind and
Body, the hand-out dialog after writing, and a message on the header's line."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from snapshot_helpers import SMALL, keys, snap
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from tui_helpers import hold_still as settle
from tui_helpers import hull_app, paste, then_still


def _merge_with_a_round_met(hull_path: Path) -> Any:
    from merge_helpers import cp

    from irp_field.core.visit_file import VisitFile
    from irp_field.evidence import rounds

    stick = hull_path.parent / "usb"
    stick.mkdir()
    with VisitFile.open(hull_path, user="Sara Pennington") as visit:
        rounds.start_round(visit, "Wed eve", "2022-03-16", "18:00")
    jade, paul = stick / "hull-jade-richards.db", stick / "hull-paul-rowlands.db"
    cp(hull_path, jade)
    shutil.copyfile(jade, paul)
    for copy, who in ((jade, "Jade Richards"), (paul, "Paul Rowlands")):
        with VisitFile.open(copy, user=who) as visit, visit.transaction():
            visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": f"{who}: new note"})
    # Paul's laptop started the same round itself, under another spelling and time
    with VisitFile.open(paul, user="Paul Rowlands") as visit:
        row = visit.one("SELECT id FROM roll_round WHERE name = 'Wed eve'")
        with visit.transaction():
            visit.conn.execute(
                "UPDATE roll_round SET name = 'WED EVE', at_time = '18:04', version = ? "
                "WHERE id = ?",
                (visit.stamp(), row["id"]),
            )

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
        await paste(pilot, str(stick))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")  # the temporary path would vary

    return run_before


def test_merge_dry_run_80x24(hull_path: Path, snap_compare: Any) -> None:
    """F9 at 80x24 after a dry run of two handed-out copies: a line per file and one for
    both ("all 2 files", bold), the records in words wrapped between kinds, nothing cut;
    under it, "Dry run: nothing written..." and the round Paul's laptop spelt "WED EVE" at
    18:04 kept as "Wed eve" (18:00), said in words."""
    assert snap_compare(
        hull_app(hull_path, user="Sara Pennington"),
        terminal_size=SMALL,
        run_before=then_still(_merge_with_a_round_met(hull_path)),
    )


async def _home_with_a_visit(pilot: Pilot[None]) -> None:
    await keys("ctrl+o")(pilot)
    screen = pilot.app.screen
    screen.query_one("#home-title", Static).update("Visits in (the data folder)")
    table = screen.query_one("#visits", DataTable)
    table.update_cell_at(Coordinate(0, 3), "2022-03-16\n18:00")  # when it was built varies
    await settle(pilot)


def test_home_with_a_visit_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Home at 80x24 with the Hull visit in the data folder: File, Establishment, Dates,
    Changed and Evidence (a kind a line: 66 checks, 45 notes, 74 periods, 42 sampled)
    all in view (Changed and File were off the edge), the key line ending with f1 Help."""
    from irp_field import paths

    shutil.copyfile(hull_path, paths.visits_folder() / "hmp-hull-2022.db")
    assert snap(snap_compare, hull_path, SMALL, _home_with_a_visit)


def test_setup_team_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Set-up's Team tab at 80x24, its fullest: the ten members, each name and role whole
    (the table cut a member's name and role short until a refresh), the form below."""
    assert snap(snap_compare, hull_path, SMALL, keys("s"))


def test_setup_plan_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Set-up's Plan tab at 80x24: Ref, Area, Group, Kind and Body beside the
    recommendation (Kind and Body were hidden), the form's Body empty, and the key line
    ^s Save ... ^g Hand out ... f1 Help."""
    assert snap(snap_compare, hull_path, SMALL, keys("s", "ctrl+t", "ctrl+t"))


async def _handed_out(pilot: Pilot[None]) -> None:
    stick = Path(pilot.app.visit_path).parent / "stick"  # type: ignore[attr-defined]
    stick.mkdir()
    await keys("s", "ctrl+g")(pilot)
    field = pilot.app.screen.query_one("#handout-folder", Input)
    field.value = str(stick)
    await pilot.press("enter")
    await settle(pilot)
    field.value = ""  # the temporary path would vary
    await settle(pilot)


def test_handout_80x24(hull_path: Path, snap_compare: Any) -> None:
    """ctrl+g on the set-up at 80x24, after writing: what the copies are for, then in
    bold "You go on working in hull.db itself, not in a copy (nor the one named for you):
    F9 merges the copies back into it each evening." and "Wrote 10 copies there:" with hull-sara-pennington.db for
    Sara Pennington and the rest."""
    assert snap(snap_compare, hull_path, SMALL, _handed_out)


async def _judged_three_times(pilot: Pilot[None]) -> None:
    await keys("f8")(pilot)
    for key in ("3", "down", "2", "down", "4"):
        await pilot.press(key)
    await settle(pilot)


def test_a_message_on_the_header_80x24(hull_path: Path, snap_compare: Any) -> None:
    """F8 at 80x24 after three judgements: the last message ("Judged 1.35: Good
    progress.") on the top line in place of the header, one only; every row of the table,
    the reason and the key line in view (three pop-ups covered half of it)."""
    app = hull_app(hull_path)
    assert snap_compare(app, terminal_size=SMALL, run_before=then_still(_judged_three_times))
