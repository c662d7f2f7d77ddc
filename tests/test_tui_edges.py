"""Edges met typing a visit from paper at 80x24 and 120x40 (issue 22): a cut name says it
is cut, a screen's message stays on its screen, the overview's last line is whole, and a
refused time is read whole beside its field."""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Input, Label, Static
from textual.widgets._toast import Toast
from tui_helpers import day_on_f6, hold_still, hull_app

from irp_field.api.views.overview import InspectorTally
from irp_field.core.visit_file import VisitFile
from irp_field.evidence.tallies import tallies
from irp_field.tui.screens.dashboard import DashboardScreen, tally_line
from irp_field.tui.screens.findings import FindingsScreen
from irp_field.tui.screens.roll_check import RollCheckScreen
from irp_field.tui.screens.time_out_of_cell import TimeOutOfCellScreen


def _lines(table: DataTable[object]) -> list[str]:
    return [table.render_line(y).text.rstrip() for y in range(table.size.height)]


async def test_f7_at_120_columns_ends_a_cut_area_name_with_an_ellipsis(hull_path: Path) -> None:
    """F7's plan items read "Rehabilitation and re", as if that were the whole name."""
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await hold_still(pilot)
        await pilot.press("f7")
        await hold_still(pilot)
        assert isinstance(app.screen, FindingsScreen)
        units = app.screen.query_one("#units", DataTable)
        areas = [line for line in _lines(units) if "Rehabilitation" in line]
        assert len(areas) == 1
        shown = areas[0].rstrip(" ▁▂▃▄▅▆▇█▉▊▋▌▍▎▏")
        assert "Rehabilitation and release planning" not in shown  # too wide at 120
        assert shown.endswith("…"), shown


async def test_the_overviews_last_line_at_80x24_cuts_no_one_off(hull_path: Path) -> None:
    """Hull's ten tallies took four lines in three: the last read "...; Steve"."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await hold_still(pilot)
        assert isinstance(app.screen, DashboardScreen)
        line = app.screen.query_one("#tallies", Static)
        text = str(line.render())
        lines = Text(text).wrap(app.console, line.size.width - 2)
        assert len(lines) <= line.size.height == 3
        # Everyone is named or counted: the counts shown add up to the visit's.
        shown = [tuple(map(int, n.split("/"))) for n in re.findall(r"\d+/\d+/\d+", text)]
        with VisitFile.open(hull_path) as visit:
            team = tallies(visit)
        expected = [sum(t.roll_checks for t in team), sum(t.notes for t in team)]
        assert [sum(c[i] for c in shown) for i in range(2)] == expected
        assert sum(c[2] for c in shown) == sum(t.sampled for t in team)
        assert "Paul Rowlands 28/11/0" in text and "Jade Richards 27/6/0" in text
        assert re.search(r"\d+ more \d+/\d+/\d+$", text)
        await pilot.resize_terminal(200, 40)
        await hold_still(pilot)
        assert "Steve Oliver-Watts" in str(line.render())  # room: everyone by name


def test_the_tallies_line_names_everyone_when_it_fits() -> None:
    team = [InspectorTally("Ann Ash", 1, 2, 0), InspectorTally("Bo Birch", 3, 0, 0)]
    assert (
        tally_line(team, lambda text: True) == "Checks/notes/sampled: Ann Ash 1/2/0; Bo Birch 3/0/0"
    )
    assert tally_line(team, lambda text: len(text) < 50) == (
        "Checks/notes/sampled: Ann Ash 1/2/0; 1 more 3/0/0"
    )
    assert tally_line(team, lambda text: False) == "Checks/notes/sampled: 2 more 4/2/0"
    assert tally_line([], lambda text: True) == "Checks/notes/sampled: nothing yet"


async def test_a_message_of_f6_is_not_shown_on_f3(hull_path: Path) -> None:
    """F6's message sat on F3's header line after F3 was pressed; the app's own (who is
    recording) and a screen's own messages still show. The messages last the test's
    length: a loaded machine took longer than their five seconds between the app's
    message and the look at F4 (and an expired one would let "not shown" pass)."""
    app = hull_app(hull_path)
    app.NOTIFICATION_TIMEOUT = 3600  # type: ignore[misc]
    # the pop-ups are drawn, as for a person (run_test leaves them out unless asked)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await hold_still(pilot)
        await pilot.press("f6")
        await hold_still(pilot)
        assert isinstance(app.screen, TimeOutOfCellScreen)
        await pilot.press("ctrl+z")  # nothing typed yet on F6, nothing deleted before
        await hold_still(pilot)  # the deleted periods are looked for in a thread
        assert _messages(app) == ["Nothing to undo."]  # on F6's header line
        await pilot.press("f3")
        await hold_still(pilot)
        assert isinstance(app.screen, RollCheckScreen)
        assert "Nothing to undo." not in _messages(app)
        await pilot.press("ctrl+z")
        await hold_still(pilot)
        assert _messages(app)[-1:] == ["Nothing to undo."]  # F3's own
        await pilot.press("f6")
        await hold_still(pilot)
        assert "Nothing to undo." not in _messages(app)  # F3's stayed on F3
        app.notify("Everything you record now carries the name Jade Richards.")  # the app's
        await pilot.pause(0.1)
        await pilot.press("f4")
        await hold_still(pilot)
        assert _messages(app) == ["Everything you record now carries the name Jade Richards."]


def _messages(app: App[None]) -> list[str]:
    """What the header's line shows (the newest message; app.tcss hides the others)."""
    return [
        str(toast.render()).strip()
        for toast in app.screen.query(Toast)
        if toast.display and toast.parent is not None and toast.parent.display
    ]


async def test_a_long_time_refusal_on_f6_is_read_whole_at_80x24(hull_path: Path) -> None:
    """ "'25:99' is not a time of day (write HH:MM, 24-hour:" was all that showed."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await hold_still(pilot)
        screen = await day_on_f6(pilot, "C01", "2022-03-14")
        screen.query_one("#group", Input).value = "Unemployed"
        screen.set_focus(screen.query_one("#start", Input))
        await pilot.press(*"25:99", "tab")
        await hold_still(pilot)
        words = "'25:99' is not a time of day (write HH:MM, 24-hour: 09:30, 0930 or 9.30)"
        reason = screen.query_one("#reason-start", Label)
        assert str(reason.render()) == words
        # every line of it inside its row, which is inside the screen (the row was one
        # line high and cut the rest off)
        row = screen.query_one("#row-start")
        assert reason.region.height >= 2
        assert row.region.contains_region(reason.region), (row.region, reason.region)
        assert reason.region.right <= 80
        assert screen.query_one("#reason-end", Label).region.y >= reason.region.bottom
        # the form's last field and the day's line are still in view below it
        for below in ("#row-activity", "#day-total"):
            assert screen.query_one(below).region.bottom <= 24
