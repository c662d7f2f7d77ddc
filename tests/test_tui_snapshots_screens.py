"""Every screen of the app at 80x24 and at 120x40 on the Hull sample with a fixed clock
(issue 13): each screen's name in the header, its rows reachable, nothing essential cut,
its own keys first on the bottom line. Paths that change from run to run (the data
folder, a temporary folder) are blanked before the picture is taken."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from tui_helpers import EVENING, hull_app
from tui_helpers import settle as _settle

Steps = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    """Workers done, messages handled, and scrolling finished: a table scrolls its
    cursor into view with an animation and sizes its columns when idle, which a loaded
    machine may not have done when the picture is taken (columns cut to their headings'
    width were caught so)."""
    for _ in range(3):  # a table sizes its columns when idle, after the rows land
        await _settle(pilot)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.05)
    for _ in range(100):  # ...and on a busy machine, later still: wait until each has
        if not any(_sizing(table) for table in pilot.app.screen.query(DataTable)):
            break
        await pilot.pause(0.02)
    await pilot.pause()
    # Last, until the screen holds still: two pictures a tenth of a second apart the same
    # (a fresh clone's run on a loaded machine still caught F7's plan items mid-layout).
    previous = None
    for _ in range(30):
        shot = pilot.app.export_screenshot()
        if shot == previous:
            break
        previous = shot
        await pilot.pause(0.1)


def _sizing(table: DataTable[Any]) -> bool:
    """Has the table rows or cells whose columns it has not sized yet (it does so when
    its queue is empty: Textual's DataTable._on_idle)?"""
    return bool(table._require_update_dimensions or table._updated_cells)


SMALL, LARGE = (80, 24), (120, 40)


def _keys(*keys: str, blank: str = "") -> Steps:
    """Press ``keys`` (settling after each function key); then empty the input ``blank``
    (a folder that changes from run to run)."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            if key.startswith(("f", "ctrl+")) or key in ("s", "enter"):
                await settle(pilot)
        if blank:
            field = pilot.app.screen.query_one(blank, Input)
            field.value = ""
        await settle(pilot)

    return run


def _snap(snap_compare: Any, path: Path, size: tuple[int, int], steps: Steps, **app: Any) -> bool:
    async def steps_then_still(pilot: Pilot[None]) -> None:
        await steps(pilot)
        await settle(pilot)
        # a cursor blinks every half second: the picture shows it steady, where focused
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget._pause_blink(visible=widget.has_focus)  # type: ignore[attr-defined]
        await pilot.pause()

    return bool(
        snap_compare(hull_app(path, **app), terminal_size=size, run_before=steps_then_still)
    )


# -- Home ------------------------------------------------------------------------------


async def _home(pilot: Pilot[None]) -> None:
    await _keys("ctrl+o")(pilot)
    pilot.app.screen.query_one("#home-title", Static).update("Visits in (the data folder)")
    await pilot.pause()


def test_home_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Home at 80x24: "Home" in the header, the visits table (empty: the sample is open
    from elsewhere), "No visits here yet: ctrl+n starts one", and the keys ^n New visit,
    w Who am I first on the bottom line."""
    assert _snap(snap_compare, hull_path, SMALL, _home)


def test_home_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Home at 120x40: the same, wider."""
    assert _snap(snap_compare, hull_path, LARGE, _home)


# -- Who am I, at the first start ----------------------------------------------------


def test_who_am_i_80x24(hull_path: Path, snap_compare: Any) -> None:
    """The first start on a file at 80x24: "Who are you?" over the overview with the ten
    team members (the list scrolls on to "+ Not on the list: add me to the team"), and
    "Enter: that is me   Escape: not now   ctrl+q: quit"."""
    assert _snap(snap_compare, hull_path, SMALL, _keys(), user="")


def test_who_am_i_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The same question at 120x40."""
    assert _snap(snap_compare, hull_path, LARGE, _keys(), user="")


# -- Set-up ------------------------------------------------------------------------------


def test_setup_locations_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Set-up (s on the overview) at 80x24 on its Locations tab: the eleven locations
    with kind, capacity and how many checks each has, the form below (Name, Kind
    "wing", Capacity) and ^s Save, ^n New, ^t Next first on the key line."""
    assert _snap(snap_compare, hull_path, SMALL, _keys("s", "ctrl+t"))


def test_setup_plan_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Set-up at 120x40 on its Plan tab: the thirteen plan items with area, group and
    recommendation, and the plan item's form (Ref, Area, Recommendation, Concern,
    Judged with, Kind, Body)."""
    assert _snap(snap_compare, hull_path, LARGE, _keys("s", "ctrl+t", "ctrl+t"))


def test_setup_team_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Set-up at 120x40 on its Team tab: the ten members with role and body."""
    assert _snap(snap_compare, hull_path, LARGE, _keys("s"))


# -- Roll check ------------------------------------------------------------------------


def test_roll_check_new_round_80x24(hull_path: Path, snap_compare: Any) -> None:
    """The roll check on Wednesday evening at 80x24: "Wed eve (new round)" offered, "0 of
    11 counted (a new round)", When 2022-03-16 18:30, A wing chosen, "Type the roll for A
    wing." and the empty round's table; ^s Save, next and ^n New round first."""
    assert _snap(snap_compare, hull_path, SMALL, _keys("f3"), now=EVENING)


def test_roll_check_new_round_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The same new round at 120x40."""
    assert _snap(snap_compare, hull_path, LARGE, _keys("f3"), now=EVENING)


def test_round_dialog_80x24(hull_path: Path, snap_compare: Any) -> None:
    """ctrl+n on the roll check at 80x24: "Start a round" with the name "Wed 16 Mar PM"
    (Wed PM is taken), the day 2022-03-16 and the time 14:45 (the When field's: A wing's
    check in Wed PM is open to edit behind it)."""
    assert _snap(snap_compare, hull_path, SMALL, _keys("f3", "ctrl+n"))


# -- Notes -------------------------------------------------------------------------------


def test_notes_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Notes at 80x24: When (month-day and time), Src, Author (short), Plan, and the note
    itself in the widest column; ^n New note, ^z Undo, ^g Drafts first on the key line."""
    assert _snap(snap_compare, hull_path, SMALL, _keys("f4"))


def test_notes_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Notes at 120x40: the same columns, the note's column wider."""
    assert _snap(snap_compare, hull_path, LARGE, _keys("f4"))


def test_note_editor_80x24(hull_path: Path, snap_compare: Any) -> None:
    """A new note at 80x24: "Note" in the header, Source observation, When
    "2022-03-16T14:00" shown whole, Tags, the plan items to tick and the text; ^s Save
    note first on the key line (before the function keys)."""
    assert _snap(snap_compare, hull_path, SMALL, _keys("f4", "ctrl+n"))


def test_note_editor_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The same new note at 120x40."""
    assert _snap(snap_compare, hull_path, LARGE, _keys("f4", "ctrl+n"))


# -- Sampling, time out of cell ---------------------------------------------------------


def test_sampling_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Sampling at 120x40 on "Use of force records": all sixteen records and four
    criteria, the cell's line and each criterion's share with its interval."""
    assert _snap(snap_compare, hull_path, LARGE, _keys("f5"))


async def _toc_day(pilot: Pilot[None]) -> None:
    await _keys("f6")(pilot)
    screen = pilot.app.screen
    screen.query_one("#on_date", Input).value = ""
    screen.set_focus(screen.query_one("#subject", Input))
    await pilot.press(*"C01", "enter", *"2022-03-14", "enter")
    await settle(pilot)


def test_time_out_of_cell_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Time out of cell at 80x24 on C01's 14 March: group "Wing work" filled in, the five
    periods, "C01 on 2022-03-14: 4.2 hours unlocked (255 min, overlaps once)", and the
    averages by group below; ^s Save period, ^z Undo, ^r Day's group first."""
    assert _snap(snap_compare, hull_path, SMALL, _toc_day)


def test_time_out_of_cell_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The same day at 120x40."""
    assert _snap(snap_compare, hull_path, LARGE, _toc_day)


# -- The team leader's screens ----------------------------------------------------------


async def _findings_of(pilot: Pilot[None], unit: str) -> None:
    """F7 on ``unit``: its row chosen in the plan items (a loaded machine could take the
    picture with the cursor still on the area's heading)."""
    from textual.widgets import DataTable

    await _keys("f7")(pilot)
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
    from textual.widgets import DataTable

    await _keys("f8")(pilot)
    table = pilot.app.screen.query_one("#units", DataTable)
    table.move_cursor(row=0)
    await settle(pilot)


def test_findings_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Findings at 80x24: "Findings" in the header, the plan items on the left, 1.33's
    concern, its paragraphs numbered 3.1 to 3.6 (the evidence pane hidden below 100
    columns: e shows it), 3.1 shown whole below and why it is out of date."""
    assert _snap(snap_compare, hull_path, SMALL, _findings_of_1_33)


async def _findings_of_1_39(pilot: Pilot[None]) -> None:
    await _findings_of(pilot, "1.39")


def test_findings_numbers_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Findings at 80x24 on 1.39: its paragraphs numbered 3.61 to 3.64 in full (numbers
    used to be cut to the width of the first ones drawn: 3.3 for 3.37)."""
    assert _snap(snap_compare, hull_path, SMALL, _findings_of_1_39)


def test_judgements_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Judgements at 80x24: "Judgements" in the header, eight of the twelve judged units
    in view (Unit, Judgement, Reason, Area; the rest a scroll away), 1.33's scale and
    conclusion, and the tally and charts scrolling below."""
    assert _snap(snap_compare, hull_path, SMALL, _judgements)


def test_judgements_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Judgements at 120x40: all twelve units, the tally sentences and the charts."""
    assert _snap(snap_compare, hull_path, LARGE, _judgements)


def test_merge_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Merge at 80x24 before any folder is typed (the data folder's path blanked): the
    files table, the dry-run table and ^e Merge, ^d Dry run first."""
    assert _snap(snap_compare, hull_path, SMALL, _keys("f9", blank="#path"))


def test_conflicts_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Conflicts at 80x24: "No open conflicts." and the keys k, o, c."""
    assert _snap(snap_compare, hull_path, SMALL, _keys("f10"))


def test_conflicts_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Conflicts at 120x40: the same."""
    assert _snap(snap_compare, hull_path, LARGE, _keys("f10"))


def test_report_parts_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Report parts (F11) at 80x24: "Report parts" in the header, the summary's
    paragraphs 1.1 to 1.9 marked out of date, the help line and the editor."""
    assert _snap(snap_compare, hull_path, SMALL, _keys("f11"))


def test_report_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Report and export at 80x24 (the folder blanked): the eight outputs ticked, the
    redaction box, and ^s Write first on the key line."""
    assert _snap(snap_compare, hull_path, SMALL, _keys("f12", blank="#folder"))


def test_report_120x40(hull_path: Path, snap_compare: Any) -> None:
    """Report and export at 120x40, the same."""
    assert _snap(snap_compare, hull_path, LARGE, _keys("f12", blank="#folder"))


def test_help_80x24(hull_path: Path, snap_compare: Any) -> None:
    """Help (F1) over the overview at 80x24: the overview's own keys first under its
    name ("Overview": s Set-up, ^r Refresh), then every key that works everywhere; the
    list scrolls."""
    assert _snap(snap_compare, hull_path, SMALL, _keys("f1"))


async def _history(pilot: Pilot[None]) -> None:
    from irp_field.api.history import HistoryEntry
    from irp_field.tui.screens.history import HistoryScreen

    await settle(pilot)
    entries = [
        HistoryEntry("2022-03-16T09:05:00Z", "Jade Richards", "added",
                     (("round", "", "Wed AM"), ("roll", "", "126"), ("locked up", "", "54"))),
        HistoryEntry("2022-03-16T18:40:00Z", "Paul Rowlands", "changed",
                     (("locked up", "54", "50"), ("elsewhere", "3", "7"))),
    ]  # fmt: skip
    await pilot.app.push_screen(HistoryScreen("the check of A wing in round Wed AM", entries))
    await pilot.pause()


def test_history_80x24(hull_path: Path, snap_compare: Any) -> None:
    """A check's history (h on a row) at 80x24: who added it and when with its counts,
    then who changed what, "locked up: 54 -> 50"."""
    assert _snap(snap_compare, hull_path, SMALL, _history)


def test_draw_sample_80x24(hull_path: Path, snap_compare: Any) -> None:
    """ctrl+n on Sampling at 80x24: the draw dialog's fields all visible (Frame name, For
    plan item, Population size, Sample size, a seed, Criteria filled in with the last
    sample's), "up/down: another's", and how Enter and Escape work. (The random seed
    offered is blanked: it changes every run.)"""
    assert _snap(snap_compare, hull_path, SMALL, _keys("f5", "ctrl+n", blank="#seed"))


def test_who_am_i_with_no_team_80x24(empty_visit: Any, snap_compare: Any) -> None:
    """A visit started on site, with no team, at 80x24: "The visit has no team yet: add
    yourself." with the Name, Role and Body ("HMIP") fields visible, the cursor in Name, and
    what the keys do there: "Enter: next field (on Body: add me)   ctrl+s: add me"."""
    path = empty_visit.path
    empty_visit.close()
    assert _snap(snap_compare, path, SMALL, _keys(), user="")
