"""Notes: a note being typed survives the app being torn down, and comes back at the next start."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, TextArea
from tui_helpers import hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.tui.screens.note_editor import NoteEditorScreen
from irp_field.tui.screens.notes import NotesScreen


def _draft_texts(path: Path) -> list[str]:
    with VisitFile.open(path, readonly=True) as visit:
        return [row["text"] for row in visit.query("SELECT text FROM note_draft")]


async def test_a_draft_survives_a_kill_mid_typing_and_is_offered_back(hull_path: Path) -> None:
    app = hull_app(hull_path, draft_pause=0.1, draft_every=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4", "ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press(*"Cleaner said showers broken")
        await pilot.pause(0.4)
        # Read by another connection while the app still runs: what a kill would leave.
        assert _draft_texts(hull_path) == ["Cleaner said showers broken"]
        await pilot.press(*" for weeks")
        await pilot.pause(0.4)
        assert _draft_texts(hull_path) == ["Cleaner said showers broken for weeks"]

    again = hull_app(hull_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")  # yes, open the unsaved note
        await settle(pilot)
        assert isinstance(again.screen, NoteEditorScreen)
        assert again.screen.query_one(TextArea).text == "Cleaner said showers broken for weeks"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(again.screen, NotesScreen)
    assert _draft_texts(hull_path) == []
    with VisitFile.open(hull_path, readonly=True) as visit:
        row = visit.one("SELECT * FROM note WHERE text LIKE 'Cleaner said%'")
    assert row is not None and row["author"] == row["created_by"] == "Jade Richards"
    assert row["taken_at"] == "2022-03-16T14:00"


async def test_search_as_you_type_and_a_deleted_note_can_be_undone(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        everything = table.row_count
        await pilot.press(*"segreg")
        await settle(pilot)
        assert 0 < table.row_count < everything
        await pilot.press("enter")  # to the list
        await pilot.press("delete", "y")
        await settle(pilot)
        assert table.row_count < everything
        with VisitFile.open(hull_path, readonly=True) as visit:
            deleted = visit.one("SELECT COUNT(*) FROM note WHERE deleted = 1")
            assert deleted is not None and deleted[0] == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
    with VisitFile.open(hull_path, readonly=True) as visit:
        deleted = visit.one("SELECT COUNT(*) FROM note WHERE deleted = 1")
        assert deleted is not None and deleted[0] == 0


async def test_square_brackets_in_a_note_show_as_typed(hull_path: Path) -> None:
    """Typed text is never read as markup: "[x]" and "[b]" stay on screen."""
    with VisitFile.open(hull_path, user="Jade Richards") as visit, visit.transaction():
        visit.insert(
            "note",
            {
                "source": "staff",
                "taken_at": "2022-03-16T17:00",
                "author": "Jade Richards",
                "text": "Zebra checklist [x] ticked, [b]bold[/b] claims",
            },
        )
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press(*"Zebra")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        cells = [str(cell) for cell in table.get_row_at(0)]
        assert any("[x] ticked, [b]bold[/b]" in cell for cell in cells)
