"""A refusal on save puts the cursor in the (first) refused field, its text selected:
the correction typed next replaces what was refused, on every form alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input
from tui_helpers import hull_app, settle

from irp_field.core.visit_file import VisitFile


def _data_returns(path: Path, key: str) -> list[tuple[object, ...]]:
    with VisitFile.open(path, readonly=True) as visit:
        return [
            tuple(row)
            for row in visit.query(
                "SELECT value, label FROM data_return WHERE key = ? AND deleted = 0", (key,)
            )
        ]


async def _note_saved_with_when(pilot: Any, keys: list[str], text: str) -> tuple[Any, Input]:
    """F4: a new note, ``keys`` typed into an emptied When, ``text`` into the note, then
    ctrl+s from the text (the cursor away from When)."""
    from textual.widgets import TextArea
    from tui_helpers import new_note

    editor = await new_note(pilot)
    when = editor.query_one("#taken_at", Input)
    when.value = ""
    editor.set_focus(when)
    await pilot.pause()
    await pilot.press(*keys)
    editor.set_focus(editor.query_one(TextArea))
    await pilot.press(*text)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return editor, when


async def test_a_refused_data_return_puts_the_cursor_in_its_value_selected(
    hull_path: Path,
) -> None:
    """The walk: value "34%" refused on ctrl+s from Label; the cursor stayed on Label,
    so "0.34" typed next went into the label ("...educat0.34") and the refusal came
    again. The cursor goes into Value with "34%" selected: "0.34" replaces it."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("switch_mode('setup')")
        await settle(pilot)
        screen = app.screen
        screen.show_kind("data")  # type: ignore[attr-defined]
        await settle(pilot)
        assert screen.focused is screen.query_one("#data-key", Input)
        await pilot.press(*"edu_share", "enter", *"34%", "enter", "enter", "enter", "enter")
        await pilot.press(*"Share in education")
        await pilot.press("ctrl+s")
        await settle(pilot)
        value = screen.query_one("#data-value", Input)
        assert screen.focused is value
        assert value.selected_text == "34%"
        await pilot.press(*"0.34", "ctrl+s")
        await settle(pilot)
    assert _data_returns(hull_path, "edu_share") == [(0.34, "Share in education")]


async def test_a_refused_when_on_a_note_is_selected_so_the_retyped_time_replaces_it(
    hull_path: Path,
) -> None:
    """The walk: F4's When refused ("10:61"), its text not selected, so the time typed
    again went after it ("10:202026-12-08T10:20"). Refused, it is selected, with the
    cursor in it from wherever the cursor was (here the note's text)."""

    from irp_field.tui.screens.notes import NotesScreen

    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, when = await _note_saved_with_when(
            pilot, ["1", "0", ":", "6", "1"], "Showers broken"
        )
        assert editor.focused is when
        assert when.selected_text == "10:61"
        await pilot.press(*"10:20", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
    with VisitFile.open(hull_path, readonly=True) as visit:
        rows = visit.query("SELECT taken_at FROM note WHERE text = 'Showers broken'")
        assert [row[0][11:] for row in rows] == ["10:20"]


async def test_a_refused_time_after_its_day_is_selected_alone_so_the_day_stays(
    hull_path: Path,
) -> None:
    """A second walk: "Tue 25:20" refused with all of it selected, five Backspaces to
    put the time right took "Tue " too, and "10:20" alone went on the note's day,
    Wednesday: the note was dated wrong, silently. The reason quotes '25:20', and that
    part alone is selected: Backspace leaves "Tue ", and the note is Tuesday's."""

    from irp_field.tui.screens.notes import NotesScreen

    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor, when = await _note_saved_with_when(
            pilot, [*"Tue", "space", *"25:20"], "Insulin given late"
        )
        assert editor.focused is when
        assert when.selected_text == "25:20"
        await pilot.press("backspace")
        assert when.value == "Tue "
        await pilot.press(*"10:20", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
    with VisitFile.open(hull_path, readonly=True) as visit:
        rows = visit.query("SELECT taken_at FROM note WHERE text = 'Insulin given late'")
        assert [row[0] for row in rows] == ["2022-03-15T10:20"]


async def test_a_refused_count_on_f6_is_selected_too(hull_path: Path) -> None:
    """Time out of cell (F6): an end refused on ctrl+s from the activity puts the
    cursor in End with what it holds selected (the one way every form refuses)."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"C99", "enter", "enter", *"Unemployed", "enter")
        await pilot.press(*"09:00", "enter", *"25:99", "enter")
        await settle(pilot)
        end = screen.query_one("#end", Input)
        # Enter refused it already, or moved on: either way, ctrl+s from elsewhere
        screen.set_focus(screen.query_one("#activity", Input))
        await pilot.press(*"gym", "ctrl+s")
        await settle(pilot)
        assert screen.focused is end
        assert end.selected_text == "25:99"
