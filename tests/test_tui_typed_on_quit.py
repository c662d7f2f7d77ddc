"""ctrl+q (or opening another visit) never drops typing a form holds unsaved.

A roll check's counts typed and not yet saved, a period, a paragraph in F7's editor, a
part in F11's, a reason on F8: ctrl+q asks first, naming what would be lost; n or Escape goes back to it
(still typed), y quits without it. A form that holds nothing typed over what is saved
quits at once, as before. (A save waiting for a busy file is asked about by the busy
file's question: ``test_tui_kept_typing.py``.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from kept_helpers import one
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TextArea
from tui_helpers import PARAGRAPH, hull_app, settle, type_a_paragraph, type_a_summary_paragraph

from irp_field.tui.dialogs.confirm import ConfirmScreen

REASON = "Work on the regime had not started by the time of our visit."


async def type_counts(pilot: Pilot[None]) -> None:
    await pilot.press("f3")
    await settle(pilot)
    for value in ("100", "40", "20"):
        await pilot.press(*value, "enter")


async def type_a_period(pilot: Pilot[None]) -> None:
    await pilot.press("f6")
    await settle(pilot)
    await pilot.press(*"C99", "enter")
    await pilot.press("enter")  # the day: the visit's, filled in
    await pilot.press(*"Unemployed", "enter", *"09:00", "enter", *"10:30")


async def type_a_start(pilot: Pilot[None]) -> None:
    """A period's start typed, nothing after it (the start is no longer taken for the one
    the form fills in: ctrl+q quit without a word)."""
    await pilot.press("f6")
    await settle(pilot)
    await pilot.press(*"C99", "enter")
    await pilot.press("enter")  # the day: the visit's, filled in
    await pilot.press(*"Unemployed", "enter", *"09:00")


async def type_a_reason(pilot: Pilot[None]) -> None:
    await pilot.press("f8")
    await settle(pilot)
    pilot.app.screen.query_one("#units", DataTable).focus()
    await pilot.press("4")  # 1.33 judged Good (saved: a key, not typing)
    await settle(pilot)
    await pilot.press("ctrl+w", "ctrl+a", "ctrl+k", *REASON)


async def type_a_location(pilot: Pilot[None]) -> None:
    await pilot.press("s")
    await settle(pilot)
    await pilot.press("ctrl+t")  # the locations' tab, the cursor in its form
    await settle(pilot)
    await pilot.press(*"Z wing", "enter", "enter", *"40")


FORMS: dict[str, tuple[Callable[[Pilot[None]], Awaitable[None]], str, str, tuple[str, ...]]] = {
    # form: (type into it, the words the question names, how many are saved, its parameters)
    "roll check": (
        type_counts,
        "F3: the check of",
        "SELECT COUNT(*) FROM roll_check WHERE deleted = 0 AND roll = ? AND locked_up = ?",
        ("100", "40"),
    ),
    "time out of cell": (
        type_a_period,
        "F6: a period of C99",
        "SELECT COUNT(*) FROM toc_period WHERE deleted = 0 AND subject = ?",
        ("C99",),
    ),
    "a period's start": (
        type_a_start,
        "F6: a period of C99",
        "SELECT COUNT(*) FROM toc_period WHERE deleted = 0 AND subject = ?",
        ("C99",),
    ),
    "findings paragraph": (
        type_a_paragraph,
        "F7: the new paragraph of 1.",
        "SELECT COUNT(*) FROM finding WHERE deleted = 0 AND text = ?",
        (PARAGRAPH,),
    ),
    "summary paragraph": (
        type_a_summary_paragraph,
        "F11: a new summary paragraph",
        "SELECT COUNT(*) FROM report_paragraph WHERE deleted = 0 AND text = ?",
        (PARAGRAPH,),
    ),
    "judgement's reason": (
        type_a_reason,
        "F8: the reason for 1.33",
        "SELECT COUNT(*) FROM judgement WHERE deleted = 0 AND why = ?",
        (REASON,),
    ),
    "set-up": (
        type_a_location,
        "set-up: a new location (Z wing)",
        "SELECT COUNT(*) FROM location WHERE deleted = 0 AND name = ?",
        ("Z wing",),
    ),
}


def saved(path: Path, form: str) -> int:
    _, _, sql, parameters = FORMS[form]
    return int(one(path, sql, parameters))  # type: ignore[arg-type]


def asked(pilot: Pilot[None]) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, ConfirmScreen), type(screen).__name__
    return screen.question


@pytest.mark.parametrize("form", FORMS)
async def test_ctrl_q_asks_before_dropping_typing_and_n_goes_back_to_it(
    hull_path: Path, form: str
) -> None:
    type_into, named, _, _ = FORMS[form]
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_into(pilot)
        await settle(pilot)
        typed_on = app.screen
        before = app.screen.form_snapshot()  # type: ignore[attr-defined]
        await pilot.press("ctrl+q")
        await settle(pilot)
        question = asked(pilot)
        assert "Typed and not saved" in question and named in question, question
        await pilot.press("ctrl+q")  # again, with the question up: it stays up
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.is_running and app.screen is typed_on
        assert app.screen.form_snapshot() == before  # type: ignore[attr-defined]
        await pilot.press("ctrl+q")
        await settle(pilot)
        asked(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert not app.is_running
    assert saved(hull_path, form) == 0


async def test_a_check_saved_or_only_looked_at_quits_without_asking(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_counts(pilot)
        await pilot.press(*"30", "enter", *"10", "ctrl+s")  # 100 = 40 + 20 + 30 + 10
        await settle(pilot)
        assert saved(hull_path, "roll check") == 1
        assert not app.screen.query_one("#roll", Input).value  # ready for the next one
        table = app.screen.query_one("#round-table", DataTable)
        table.focus()
        await pilot.press("enter")  # the check just saved, opened to edit: untouched
        await settle(pilot)
        assert app.screen.query_one("#roll", Input).value == "100"
        assert app.typed_not_saved() == []
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert not app.is_running


async def test_escape_asks_before_closing_a_paragraph_typed_in_f7(hull_path: Path) -> None:
    """Escape closes F7's editor; over typing never saved it asks first (it dropped the
    paragraph at once): n keeps the editor open with the text, y closes it."""
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_a_paragraph(pilot)
        editor = app.screen.query_one("#editor", TextArea)
        await pilot.press("escape")
        await settle(pilot)
        assert "F7: the new paragraph of 1." in asked(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert editor.has_class("editing") and editor.text == PARAGRAPH
        await pilot.press("escape")
        await settle(pilot)
        asked(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not editor.has_class("editing") and app.typed_not_saved() == []
        app.screen.query_one("#paragraphs", DataTable).focus()
        await pilot.press("ctrl+n")  # opened and left untouched: Escape closes at once
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert not editor.has_class("editing")
    assert saved(hull_path, "findings paragraph") == 0


async def test_opening_another_paragraph_over_typing_asks_first(hull_path: Path) -> None:
    """F7: Enter on a paragraph (or ctrl+n) while the editor holds a paragraph typed and
    not saved loaded the other over it, silently; it asks first now (F11 the same)."""
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_a_paragraph(pilot)
        editor = app.screen.query_one("#editor", TextArea)
        table = app.screen.query_one("#paragraphs", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        assert "Open paragraph 3.1 and lose it?" in asked(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert editor.text == PARAGRAPH
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Start a new paragraph and lose it?" in asked(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert editor.text == PARAGRAPH
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert editor.text.startswith("The senior team had made considerable effort")
        assert app.typed_not_saved() == []

        await type_a_summary_paragraph(pilot)
        parts = app.screen.query_one("#parts", DataTable)
        parts.focus()
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "F11: a new summary paragraph. Start a new one and lose it?" in asked(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#editor", TextArea).text == PARAGRAPH
    assert saved(hull_path, "findings paragraph") == saved(hull_path, "summary paragraph") == 0


async def test_set_up_asks_before_loading_a_row_over_typing(hull_path: Path) -> None:
    """Set-up: Enter on a row (or ctrl+n) loaded it over the form's typing, silently; it
    asks first now. Typing in another tab's form is not at stake and asks nothing."""
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_a_location(pilot)
        screen = app.screen
        name = screen.query_one("#locations-name", Input)
        table = screen.query_one("#locations-table", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        assert "set-up: a new location (Z wing)" in asked(pilot)
        assert "Open location " in asked(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert name.value == "Z wing"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Start a new location and lose it?" in asked(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert name.value == "" and app.typed_not_saved() == []
        await pilot.press("ctrl+t")  # the plan's tab; the team's form holds typing
        await settle(pilot)
        team = screen.query_one("#team-name", Input)
        team.value = "Sam Okafor"
        plan = screen.query_one("#plan-table", DataTable)
        plan.focus()
        await pilot.press("enter")  # the plan's first row: the team's typing is not lost
        await settle(pilot)
        assert app.screen is screen and screen.editing.get("plan")
        state = screen.query_one("#setup-state", Static)
        assert "Editing plan item" in str(state.render())
        screen.file_changed()  # the rows read again (after a dialog, a merge): still said
        await settle(pilot)
        assert "Editing plan item" in str(state.render())
        assert team.value == "Sam Okafor"
        assert "set-up: a new team member (Sam Okafor)" in (screen.typed_not_saved() or "")
    assert saved(hull_path, "set-up") == 0
