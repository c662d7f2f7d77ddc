"""A day typed in a form: the new-round dialog reads it as F6 does (``15``, ``Tue``: a
day of the visit, one rule, ``fields.visit_day``), and a refusal beside a date goes once
the date is put right (it stayed beside the corrected date in the new-visit and
new-round forms)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Label
from tui_helpers import EVENING, FIXED_NOW, hull_app, settle

from irp_field.api import rounds
from irp_field.core.visit_file import VisitFile
from irp_field.tui.app import make_app
from irp_field.tui.dialogs.new_visit import NewVisitScreen
from irp_field.tui.dialogs.round_dialog import RoundDialog
from irp_field.tui.screens.time_out_of_cell import TimeOutOfCellScreen


def _reason(pilot: Pilot[None], field: str) -> str:
    return str(pilot.app.screen.query_one(f"#reason-{field}", Label).render())


async def _new_round_dialog(pilot: Pilot[None]) -> RoundDialog:
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, RoundDialog)
    return dialog


async def test_a_new_rounds_day_is_taken_short_and_its_name_follows_it(hull_path: Path) -> None:
    """F6 took "15" as a day of the visit; the new-round dialog refused it ("not a date")."""
    app = hull_app(hull_path, now=EVENING)  # Wednesday 18:30
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _new_round_dialog(pilot)
        # the field says what it takes (it said YYYY-MM-DD alone)
        assert dialog.query_one("#round-day", Input).placeholder == "15, Tue or YYYY-MM-DD"
        await pilot.press("enter", *"15", "enter", *"1900")  # the name as suggested
        await settle(pilot)
        assert dialog.query_one("#round-name", Input).value == "Tue eve"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RoundDialog)
    with VisitFile.open(hull_path, readonly=True) as visit:
        started = rounds.find_round(visit, "Tue eve")
        assert started is not None
        assert (started.on_date, started.at_time) == ("2022-03-15", "19:00")


async def test_a_new_rounds_day_refused_then_put_right_loses_its_refusal(hull_path: Path) -> None:
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _new_round_dialog(pilot)
        await pilot.press("enter", *"Fri", "enter", *"1900", "enter")
        await settle(pilot)
        assert "not a day of the visit" in _reason(pilot, "round-day")
        assert dialog.focused is dialog.query_one("#round-day", Input)
        await pilot.press(*"Sa")  # still no day of the visit: said of what is typed now
        await settle(pilot)
        assert "'Sa' is not a day of the visit" in _reason(pilot, "round-day")
        dialog.query_one("#round-day", Input).value = ""
        await pilot.press(*"Tue")  # put right: the refusal goes as it is typed
        await settle(pilot)
        assert _reason(pilot, "round-day") == ""
        assert isinstance(app.screen, RoundDialog)  # nothing kept before Enter


async def test_a_new_visits_date_put_right_loses_its_refusal(hull_path: Path) -> None:
    app = make_app(hull_path, user="Jade Richards", now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, NewVisitScreen)
        await pilot.press(*"HMP Leeds", "enter", *"2026-12-01", "enter", *"2026-11-31", "enter")
        await settle(pilot)
        assert "not a date" in _reason(pilot, "end")
        await pilot.press("backspace", "backspace", *"30")  # a date, but before the first
        await settle(pilot)
        # not put right: said of what is typed now, not of the 31st
        assert "before the first" in _reason(pilot, "end")
        await pilot.press("enter")
        await settle(pilot)
        assert "before the first" in _reason(pilot, "end")
        await pilot.press("shift+tab")
        await settle(pilot)
        app.screen.query_one("#start", Input).value = ""
        await pilot.press(*"2026-11-29")  # the first day moved: the last is fine now
        await settle(pilot)
        assert _reason(pilot, "end") == ""
        assert isinstance(app.screen, NewVisitScreen)


async def test_f6_refuses_a_day_in_the_words_of_the_rule_that_reads_it(hull_path: Path) -> None:
    """F6 took "Tue" yet refused "Fri" with "write YYYY-MM-DD"; it says now, as the round
    dialog does, that the day is no day of the visit and how a day may be written."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimeOutOfCellScreen)
        screen.query_one("#on_date", Input).value = ""
        screen.set_focus(screen.query_one("#subject", Input))
        await pilot.press(*"Z97", "enter", *"Fri", "enter")
        await settle(pilot)
        said = _reason(pilot, "on_date")
        assert "'Fri' is not a day of the visit" in said and "15, 15/3 or Tue" in said, said
        assert screen.focused is screen.query_one("#on_date", Input)
