"""The findings screen at 80x24 by keys alone: Tab leaves the plan items, and a long
paragraph (shown whole, or previewed in the editor) can be read to its end."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, TextArea
from tui_helpers import hull_app, settle

from irp_field.tui.screens.findings import FindingsScreen
from irp_field.tui.widgets.shown_whole import ShownWhole

ADDED = " A sentence added at the end, ending in Zanzibar."


async def _open(pilot: Pilot[None]) -> FindingsScreen:
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FindingsScreen)
    return screen


def _on_screen(pilot: Pilot[None], words: str) -> bool:
    return words.replace(" ", "&#160;") in pilot.app.export_screenshot()


async def _to_paragraph(pilot: Pilot[None], screen: FindingsScreen, number: str) -> None:
    """The cursor on paragraph ``number`` (its plan item chosen first), by keys."""
    assert screen.view is not None
    shown = next(p for p in screen.view.state.paragraphs if p.paragraph.number == number)
    assert shown.paragraph.finding is not None
    units = screen.query_one("#units", DataTable)
    units.focus()
    for _ in range(units.get_row_index(shown.paragraph.unit) - units.cursor_row):
        await pilot.press("down")
    await pilot.press("enter")  # on to the item's paragraphs
    paragraphs = screen.query_one("#paragraphs", DataTable)
    assert paragraphs.has_focus
    for _ in range(paragraphs.get_row_index(shown.paragraph.finding.id) - paragraphs.cursor_row):
        await pilot.press("down")
    await settle(pilot)


async def test_tab_and_enter_leave_the_plan_items(hull_path: Path) -> None:
    for size in ((80, 24), (120, 40)):
        app = hull_app(hull_path)
        async with app.run_test(size=size) as pilot:
            screen = await _open(pilot)
            units = screen.query_one("#units", DataTable)
            paragraphs = screen.query_one("#paragraphs", DataTable)
            assert paragraphs.has_focus
            await pilot.press("shift+tab")
            assert units.has_focus
            await pilot.press("tab")
            assert paragraphs.has_focus, size  # Tab used to stay in the plan items
            await pilot.press("shift+tab", "enter")
            assert paragraphs.has_focus, size


async def test_a_long_paragraph_is_read_to_its_end_at_80x24(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await _to_paragraph(pilot, screen, "3.39")
        whole = screen.query_one("#whole", ShownWhole)
        assert whole.max_scroll_y > 0  # longer than the lines it shows
        ending = screen.paragraph()
        assert ending is not None
        last_words = " ".join(ending.text.split()[-2:])
        await pilot.press("tab")  # from the paragraphs to the paragraph shown whole
        assert whole.has_focus
        await pilot.press("end")
        assert whole.scroll_y == whole.max_scroll_y
        assert _on_screen(pilot, last_words)
        # In the editor: the preview of the paragraph with a sentence added, to its end.
        await pilot.press("shift+tab", "enter", *ADDED)
        assert screen.query_one("#editor", TextArea).has_focus
        await settle(pilot)
        assert "Zanzibar" in str(screen.query_one("#preview").render())
        assert whole.max_scroll_y > 0
        await pilot.press("tab")  # the editor shows the text typed; the preview, rendered
        assert whole.has_focus
        await pilot.press("end")
        assert whole.scroll_y == whole.max_scroll_y
