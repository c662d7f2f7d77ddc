"""F7 at 80x24: the paragraph editor says which plan item it writes under, a paragraph
moves to another item (m on it, or ctrl+r in the editor: the item typed by number), a
save says the paragraph's number and what it renumbered, and Enter takes a figure."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, TextArea
from tui_helpers import hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.findings.sync import load
from irp_field.tui.screens.findings import FindingsScreen
from irp_field.tui.widgets.figure_completion import FigureCompletion

SIZE = (80, 24)


async def _open(pilot: Pilot[None]) -> FindingsScreen:
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FindingsScreen)
    return screen


def _title(screen: FindingsScreen) -> str:
    return str(screen.query_one("#editor", TextArea).border_title)


def _said(pilot: Pilot[None]) -> list[str]:
    return [n.message for n in pilot.app._notifications]


def _under(path: Path) -> dict[str, tuple[str, str, str]]:
    """finding id -> (unit, number, text)."""
    with VisitFile.open(path, readonly=True) as visit:
        return {
            p.paragraph.finding.id: (p.paragraph.unit, p.paragraph.number, p.paragraph.finding.text)
            for p in load(visit).paragraphs
            if p.paragraph.finding is not None and p.paragraph.number.startswith("3.")
        }


async def test_the_editor_names_its_plan_item_and_keeps_it(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("down", "ctrl+n")  # the walker's keys: the cursor stays on 1.33
        assert _title(screen).startswith("New paragraph under 1.33: Outcomes for prisoners")
        await pilot.press("escape")
        await pilot.press("enter")  # the highlighted paragraph, 3.2, to edit
        assert _title(screen).startswith("Paragraph 3.2 under 1.33: ")
        await pilot.press("escape")
        # A new paragraph started under 1.33 stays 1.33's when the plan items' cursor moves.
        await pilot.press("ctrl+n", *"Kept under 1.33.")
        screen.query_one("#units", DataTable).move_cursor(row=4)
        await settle(pilot)
        assert screen.unit_name != "1.33"
        assert _title(screen).startswith("New paragraph under 1.33: ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(
            m == "Added paragraph 3.6 to 1.33; 3.6-3.69 are now 3.7-3.70." for m in _said(pilot)
        )
    added = [u for u, _, text in _under(hull_path).values() if text == "Kept under 1.33."]
    assert added == ["1.33"]


async def test_m_moves_a_paragraph_to_an_item_typed_by_number(hull_path: Path) -> None:
    before = _under(hull_path)
    first = next(i for i, (_, number, _) in before.items() if number == "3.1")
    app = hull_app(hull_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("m")
        assert type(app.screen).__name__ == "PlanItemChoiceScreen"
        await pilot.press(*"1.38", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.unit_name == "1.38"  # the cursor follows the paragraph
        assert "Moved 3.1 to 1.38, now 3.40; 3.2-3.40 are now 3.1-3.39." in _said(pilot)
        await pilot.press("ctrl+z")  # a move is undone as any edit
        await settle(pilot)
        assert _under(hull_path)[first][:2] == ("1.33", "3.1")
        await pilot.press("m", *"1.3", "down", "down", "escape")  # Escape moves nothing
        await settle(pilot)
    assert _under(hull_path)[first][:2] == ("1.33", "3.1")


async def test_ctrl_r_in_the_editor_chooses_the_item_a_new_paragraph_goes_under(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("ctrl+n", *"Under 1.38 after all.", "ctrl+r")
        assert type(app.screen).__name__ == "PlanItemChoiceScreen"
        await pilot.press(*"1.38", "enter")
        assert app.screen is screen
        assert _title(screen).startswith("New paragraph under 1.38: ")
        assert screen.query_one("#editor", TextArea).has_focus
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = _said(pilot)
        assert "Added paragraph 3.41 to 1.38; 3.41-3.69 are now 3.42-3.70." in said, said
        # An edit moved the same way: saved and moved together.
        await pilot.press("enter", "ctrl+r", *"1.35", "enter")
        assert _title(screen).startswith("Paragraph 3.41 (now 1.38), ctrl+s moves it to 1.35: ")
        await pilot.press(*" Moved.", "ctrl+s")
        await settle(pilot)
        assert any(m.startswith("Saved 3.41 and moved it to 1.35, now ") for m in _said(pilot))
    moved = [u for u, _, text in _under(hull_path).values() if text.startswith("Under 1.38")]
    assert moved == ["1.35"]


async def test_enter_takes_the_highlighted_figure_and_the_list_says_so(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("ctrl+n", *"Locked up: {{ roll.pct_lo")
        completion = screen.query_one(FigureCompletion)
        assert completion.shown
        hint = str(completion.border_title)
        await pilot.press("enter")
        editor = screen.query_one("#editor", TextArea)
        assert editor.text == "Locked up: {{ roll.pct_locked_up }}"  # was a new line
        assert "Enter or Tab takes the figure; Escape closes" in hint
        assert not completion.shown
        await pilot.press("enter")  # with no list, Enter is a new line as ever
        assert editor.text == "Locked up: {{ roll.pct_locked_up }}\n"
        await pilot.press(*"{{ roll.pct_lo", "escape")
        assert not completion.shown and editor.has_focus


def test_the_item_list_offers_numbers_typed_first_then_words(hull_path: Path) -> None:
    from irp_field.evidence.reads import plan_items
    from irp_field.tui.dialogs.plan_item_choice import matching_items

    with VisitFile.open(hull_path, readonly=True) as visit:
        items = plan_items(visit)
    assert [i.ref for i in matching_items(items, "1.38")] == ["1.38"]
    assert [i.ref for i in matching_items(items, "1.3")][:3] == ["1.33", "1.34a", "1.34b"]
    assert "1.38" in [i.ref for i in matching_items(items, "time out of cell")]
    assert len(matching_items(items, "")) == len(items)
