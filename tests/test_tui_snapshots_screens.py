"""Every screen of the app at 80x24 and at 120x40 on the Hull sample with a fixed clock
(issue 13); the team leader's screens are in test_tui_snapshots_leader.py: each screen's name in the header, its rows reachable, nothing essential cut,
its own keys first on the bottom line. Paths that change from run to run (the data
folder, a temporary folder) are blanked before the picture is taken."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from snapshot_helpers import LARGE, SMALL, keys, snap
from textual.pilot import Pilot
from textual.widgets import Input, Static
from tui_helpers import EVENING
from tui_helpers import hold_still as settle

# -- Home ------------------------------------------------------------------------------


async def _home(pilot: Pilot[None]) -> None:
    await keys("ctrl+o")(pilot)
    pilot.app.screen.query_one("#home-title", Static).update("Visits in (the data folder)")
    await pilot.pause()


def test_home_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Home at 80x24: "Home" in the header, the visits table (empty: the sample is open
    from elsewhere), "No visits here yet: ctrl+n starts one", and the keys ^n New visit,
    w Who am I first on the bottom line."""
    assert snap(snap_compare, hull_path, SMALL, _home)


def test_home_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Home at 120x40: the same, wider."""
    assert snap(snap_compare, hull_path, LARGE, _home)


# -- Who am I, at the first start ----------------------------------------------------


def test_who_am_i_80x24(hull_path: Path, snap_compare: Any) -> None:
    """The first start on a file at 80x24: "Who are you?" over the overview with "+ Not
    on the list: add me to the team" first, a line under it, then the ten team members,
    all shown (it used to be last, below the box's fold), the cursor on the first name;
    "Enter: that is me   Escape: not now   ctrl+q: quit" and "Not now: your login, Test
    Inspector, is not on the team: you can read, not record."."""
    assert snap(snap_compare, hull_path, SMALL, keys(), user="")


def test_who_am_i_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The same question at 120x40."""
    assert snap(snap_compare, hull_path, LARGE, keys(), user="")


# -- Set-up ------------------------------------------------------------------------------


def test_setup_locations_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Set-up (s on the overview) at 80x24 on its Locations tab: the eleven locations
    with kind, capacity and how many checks each has, the form below (Name, Kind
    "wing", Capacity) and ^s Save, ^n New, ^t Next first on the key line."""
    assert snap(snap_compare, hull_path, SMALL, keys("s", "ctrl+t"))


def test_setup_plan_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Set-up at 120x40 on its Plan tab: the thirteen plan items with area, group and
    recommendation, and the plan item's form (Ref, Area, Recommendation, Concern,
    Judged with, Kind, Body)."""
    assert snap(snap_compare, hull_path, LARGE, keys("s", "ctrl+t", "ctrl+t"))


def test_setup_team_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Set-up at 120x40 on its Team tab: the ten members with role and body."""
    assert snap(snap_compare, hull_path, LARGE, keys("s"))


# -- Roll check ------------------------------------------------------------------------


def test_roll_check_new_round_80x24(hull_path: Path, snap_compare: Any) -> None:
    """The roll check on Wednesday evening at 80x24: "Wed eve (new round)" offered, "0 of
    11 counted (a new round)", When 2022-03-16 18:30, A wing chosen, "Type the roll for A
    wing (a letter: another location)." and the empty round's table; ^s Save, next and ^n
    New round first."""
    assert snap(snap_compare, hull_path, SMALL, keys("f3"), now=EVENING)


def test_roll_check_new_round_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The same new round at 120x40."""
    assert snap(snap_compare, hull_path, LARGE, keys("f3"), now=EVENING)


def test_round_dialog_80x24(hull_path: Path, snap_compare: Any) -> None:
    """ctrl+n on the roll check at 80x24: "Start a round" with the name "Wed PM 2" (Wed
    PM, that day's, is taken), the day 2022-03-16 and the time 14:00 (the When field's:
    every round is complete, so F3 offers the new round "Wed PM 2" behind it, never a
    check of Wed PM to edit)."""
    assert snap(snap_compare, hull_path, SMALL, keys("f3", "ctrl+n"))


# -- Notes -------------------------------------------------------------------------------


def test_notes_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Notes at 80x24: When (month-day and time), Src, Author (short), Plan, and the note
    itself in the widest column; ^n New note, ^z Undo, ^g Drafts first on the key line."""
    assert snap(snap_compare, hull_path, SMALL, keys("f4"))


def test_notes_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Notes at 120x40: the same columns, the note's column wider."""
    assert snap(snap_compare, hull_path, LARGE, keys("f4"))


def test_note_editor_80x24(hull_path: Path, snap_compare: Any) -> None:
    """A new note at 80x24: "Note" in the header, Source observation, When
    "2022-03-16T14:00" shown whole, Tags, the plan items to tick, each "[ ]", the
    cursor already on the first (1.33), and the text under its label "Text of this
    observation note (Tab to Source: a letter changes it)"; ^s Save note first on the
    key line (before the function keys)."""
    assert snap(snap_compare, hull_path, SMALL, keys("f4", "ctrl+n"))


def test_note_editor_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The same new note at 120x40: six plan items in view, each cut with … at the
    list's edge (not at 60 characters)."""
    assert snap(snap_compare, hull_path, LARGE, keys("f4", "ctrl+n"))


# -- Sampling, time out of cell ---------------------------------------------------------


def test_sampling_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Sampling at 120x40 on "Use of force records": all sixteen records in the order
    drawn (the Drawn column, 1 to 16) and four criteria with their whole names, the cell's
    line and each criterion's share with its interval."""
    assert snap(snap_compare, hull_path, LARGE, keys("f5"))


async def _toc_day(pilot: Pilot[None]) -> None:
    await keys("f6")(pilot)
    screen = pilot.app.screen
    screen.query_one("#on_date", Input).value = ""
    screen.set_focus(screen.query_one("#subject", Input))
    await pilot.press(*"C01", "enter", *"2022-03-14", "enter")
    await settle(pilot)


def test_time_out_of_cell_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Time out of cell at 80x24 on C01's 14 March: group "Wing work" filled in, the five
    periods, "C01 on 2022-03-14: 4.2 hours unlocked (255 min)" (no overlap said: none), the
    averages by group below; ^s Save period, ^z Undo, ^r Day's group first."""
    assert snap(snap_compare, hull_path, SMALL, _toc_day)


def test_time_out_of_cell_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The same day at 120x40."""
    assert snap(snap_compare, hull_path, LARGE, _toc_day)


def test_draw_sample_80x24(hull_path: Path, snap_compare: Any) -> None:
    """ctrl+n on Sampling at 80x24: the draw dialog's fields all visible (Frame name, For
    plan item, Population size, Sample size, a seed, Criteria filled in with the last
    sample's), "up/down: another's", and how Enter and Escape work. (The random seed
    offered is blanked: it changes every run.)"""
    assert snap(snap_compare, hull_path, SMALL, keys("f5", "ctrl+n", blank="#seed"))


def test_who_am_i_with_no_team_80x24(empty_visit: Any, snap_compare: Any) -> None:
    """A visit started on site, with no team, at 80x24: "The visit has no team yet: add
    yourself." with the form in the list's place (Name, Role and an empty Body whose hint
    lists the bodies, issue 22: it was "HMIP"), the cursor in Name, and
    what the keys do there: "Enter: next field (on Body: add me)   ctrl+s: add me", and
    "Not now: what you record carries your login name, Test Inspector." (with no team,
    anyone's records are taken)."""
    path = empty_visit.path
    empty_visit.close()
    assert snap(snap_compare, path, SMALL, keys(), user="")
