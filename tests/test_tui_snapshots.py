"""Snapshots of the dashboard and the roll-check screen on the Hull sample, fixed clock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from tui_helpers import choose_round, hull_app, paste, settle, then_still


async def _dashboard(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def _roll_check(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    await choose_round(pilot, "Wed PM")  # F3 offers a new round: every one is complete
    await pilot.press(*"126", "enter", *"130")  # a refused count, its reason beside it


def test_dashboard_80x24(hull_path: Path, snap_compare: Any) -> None:
    """The Hull overview at 80x24: "Locked up 40% (35% to 45% across 6 rounds); 48% last
    time", the plan table from Leadership with 1.33 Reasonable and its evidence by kind,
    and the key line: its own keys, then whole keys that fit and f1 Help last (issue 22:
    it was cut mid-word at the edge). The checks/notes/sampled line in its three lines:
    those who recorded most by name, the last two counted together ("2 more 0/4/0"; it
    was cut after "Steve")."""
    assert snap_compare(
        hull_app(hull_path), terminal_size=(80, 24), run_before=then_still(_dashboard)
    )


def test_dashboard_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The Hull overview at 120x40: every area and plan item down to the Ofsted themes,
    single-source items flagged "one kind only", and the checks/notes/sampled line."""
    assert snap_compare(
        hull_app(hull_path), terminal_size=(120, 40), run_before=then_still(_dashboard)
    )


def test_roll_check_80x24(hull_path: Path, snap_compare: Any) -> None:
    """The roll-check screen at 80x24 on round "Wed PM" (chosen from the list of rounds):
    A wing, "A wing · counted 14:45" in the location, roll 126 typed, locked up 130
    refused with "takes the total to 130, above the roll of 126" beside it, the line
    "Editing A wing's check of 14:45 (by you): ctrl+s saves the change" kept while
    typing, the round's table with a bar of the share locked up per location, and the
    form's keys first on the key line (^s Save, next, ^n New round, ^l, ^k)."""
    assert snap_compare(
        hull_app(hull_path), terminal_size=(80, 24), run_before=then_still(_roll_check)
    )


def test_roll_check_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The same at 120x40: all eleven locations of the round visible in the table."""
    assert snap_compare(
        hull_app(hull_path), terminal_size=(120, 40), run_before=then_still(_roll_check)
    )


async def _sampling(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("f5")
    await settle(pilot)
    await pilot.press("down", "down", "right")  # the cursor on UoF-2022-007, "On time"


def test_sampling_80x24(hull_path: Path, snap_compare: Any) -> None:
    """The sampling grid at 80x24 on "Use of force records" (random, population 120,
    seed 731; "the records in the order drawn"): the Drawn column 1, 2, 3... and the
    records down the side, criteria 1-4 across ("3 Body-worn …", cut only as far as the
    room needs) with y, n, n/a and * for a comment, the cursor on UoF-2022-007 "On time"
    named on the line below the grid, and each criterion's share with its 95% interval,
    e.g. "1 Complete: 94% yes (15 of 16), 95% CI 72% to 99%", and the keys at the bottom
    from "y Yes" to "^n New sample" and f1 Help, whole."""
    assert snap_compare(
        hull_app(hull_path), terminal_size=(80, 24), run_before=then_still(_sampling)
    )


async def _findings(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    await pilot.press("ctrl+n", *"Locked up: {{ roll.pct_lo")


def test_findings_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The findings screen at 120x40 on 1.33: the plan items by area on the left (all
    marked * as the sample was never synced), 1.33's concern and recommendation above
    its paragraphs 3.1-3.6 (3.6 the italic conclusion), its linked notes on the right,
    and below, the editor titled "New paragraph under 1.33: Outcomes for prisoners ..."
    with "Locked up: {{ roll.pct_lo" typed, the completion list (its border saying
    "Enter or Tab takes the figure; Escape closes the list") offering
    roll.pct_locked_up = 40% first, the preview refusing the unfinished reference, and
    the key line ^s Save paragraph, ^r Move to plan item, ^t Sync paragraph, ..."""
    assert snap_compare(
        hull_app(hull_path), terminal_size=(120, 40), run_before=then_still(_findings)
    )


def _merge_dry_run(hull_path: Path) -> Any:
    """Before the app starts: two inspectors' edited copies of the Hull file on a 'stick'."""
    from merge_helpers import cp

    from irp_field.core.visit_file import VisitFile

    stick = hull_path.parent / "usb"
    stick.mkdir()
    for name, who in (("jade.db", "Jade Richards"), ("paul.db", "Paul Rowlands")):
        copy = cp(hull_path, stick / name)
        with VisitFile.open(copy, user=who) as visit, visit.transaction():
            visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": f"{who}: new note"})
            first = visit.query("SELECT id FROM roll_check ORDER BY id LIMIT 1")[0]["id"]
            fewer = {"locked_up": 1 if who.startswith("J") else 2, "note": "others at court"}
            visit.update("roll_check", first, fewer)  # rows the rules take: the merge checks

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


def test_merge_dry_run_100x30(hull_path: Path, snap_compare: Any) -> None:
    """The merge screen at 100x30 after a dry run of a folder with jade.db and paul.db,
    both picked [x] as the same visit (HMP Hull); the dry run's table, a line per file
    (issue 22: it was a block per kind): jade.db 1 new, 1 updated ("roll checks 1, notes
    1"), paul.db 1 new, 1 updated, 1 conflict ("roll checks 1 (1 in conflict), notes 1":
    both edited the same check), then "all 2 files" in bold; "Dry run: nothing written.
    Merging the picked files would add 1 conflict(s)" below. The path field is emptied
    after the listing (the temporary folder's name changes from run to run)."""
    assert snap_compare(
        hull_app(hull_path),
        terminal_size=(100, 30),
        run_before=then_still(_merge_dry_run(hull_path)),
    )
