"""A day typed in a form: the new-round dialog reads it as F6 does (``15``, ``Tue``: a
day of the visit, one rule, ``fields.visit_day``), and a refusal beside a date goes once
the date is put right (it stayed beside the corrected date in the new-visit and
new-round forms)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Label
from tui_helpers import EVENING, FIXED_NOW, hull_app, new_note, settle

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
        # refused, the end is selected (typing replaces it): End, to correct it in place
        assert app.screen.query_one("#end", Input).selected_text == "2026-11-31"
        await pilot.press("end", "backspace", "backspace", *"30")  # a date, before the first
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


# -- a moment typed with its day (F3's When, F4's When) ---------------------------------


def _stored(path: Path, sql: str) -> list[tuple[object, ...]]:
    with VisitFile.open(path, readonly=True) as visit:
        return [tuple(row) for row in visit.query(sql)]


async def test_a_roll_check_from_tuesdays_sheet_is_typed_tue_on_wednesday(
    hull_path: Path,
) -> None:
    """Tuesday's sheet typed up on Wednesday: When took "2022-03-15 10:00" (16 keys) and
    refused "Tue 10:00", though "Tue" is a day in F6 and the round dialog. It takes the
    day as they do, shows it whole, and the new round offered follows it."""
    from textual.widgets import Select

    from irp_field.tui.screens.roll_check import RollCheckScreen

    app = hull_app(hull_path, now=EVENING)  # Wednesday 18:30, every round complete
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RollCheckScreen)
        when = screen.query_one("#taken_at", Input)
        assert when.placeholder == "10:09 or Tue 10:09"  # it says what it takes
        await pilot.press("shift+tab", "shift+tab", *"Tue 1910", "enter")
        await settle(pilot)
        assert when.value == "2022-03-15 19:10"  # shown whole: the day it is on
        assert screen.query_one("#round", Select).value == "new:Tue eve"
        assert screen.focused is screen.query_one("#roll", Input)  # Enter on When: the roll
        for value in ("100", "40", "20", "10", "25", "5"):
            await pilot.press(*value, "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
    stored = _stored(
        hull_path,
        "SELECT o.name, r.taken_at FROM roll_check r JOIN roll_round o ON o.id = r.round_id "
        "WHERE r.deleted = 0 AND r.taken_at = '2022-03-15T19:10'",
    )
    assert stored == [("Tue eve", "2022-03-15T19:10")]


async def test_f3_refuses_a_moment_in_the_words_of_the_rule_that_reads_its_day(
    hull_path: Path,
) -> None:
    from textual.widgets import Static

    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        await pilot.press("shift+tab", "shift+tab", *"Fri 10:00", "enter")
        await settle(pilot)
        said = str(screen.query_one("#live", Static).render())
        assert said.startswith("Refused: When: 'Fri' is not a day of the visit"), said
        assert "15, 15/3 or Tue" in said, said
        assert screen.focused is screen.query_one("#taken_at", Input)


async def test_a_note_from_tuesdays_notebook_is_typed_tue_on_wednesday(hull_path: Path) -> None:
    """F4's When took a whole YYYY-MM-DDTHH:MM alone: "Tue 10:00" was refused, and a
    time alone too. It reads them as F3 does (a time alone: on the note's day)."""
    from textual.widgets import TextArea

    from irp_field.tui.screens.note_editor import NoteEditorScreen
    from irp_field.tui.screens.notes import NotesScreen

    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_note(pilot)
        for typed, text in (("Tue 10:00", "Showers broken on B wing"), ("9.30", "Gym shut")):
            if isinstance(app.screen, NotesScreen):  # the second: ctrl+n on the notes
                await pilot.press("ctrl+n")
                await settle(pilot)
            editor = app.screen
            assert isinstance(editor, NoteEditorScreen)
            assert editor.query_one("#taken_at", Input).placeholder == "10:09 or Tue 10:09"
            editor.query_one("#taken_at", Input).value = typed
            editor.query_one(TextArea).text = text
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, NotesScreen), _reason(pilot, "taken_at")
    assert _stored(
        hull_path,
        "SELECT text, taken_at FROM note WHERE text IN ('Showers broken on B wing', "
        "'Gym shut') ORDER BY taken_at",
    ) == [("Showers broken on B wing", "2022-03-15T10:00"), ("Gym shut", "2022-03-16T09:30")]


async def test_f4_refuses_a_moment_beside_when_in_the_rule_s_words(hull_path: Path) -> None:
    from textual.widgets import TextArea

    from irp_field.tui.screens.note_editor import NoteEditorScreen

    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await new_note(pilot)
        editor.query_one("#taken_at", Input).value = "Fri 10:00"
        editor.query_one(TextArea).text = "Kept back"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)  # not saved
        said = _reason(pilot, "taken_at")
        assert "'Fri' is not a day of the visit" in said and "15, 15/3 or Tue" in said, said
    assert _stored(hull_path, "SELECT 1 FROM note WHERE text = 'Kept back'") == []
