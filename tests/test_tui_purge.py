"""Purging from the screens (issue 21): P on a note (F4), a paragraph (F7) or an
attachment (the list f opens) says plainly what cannot be undone and purges only once
a reason and the word "purge" are typed; Escape, y, Enter or another word keeps it."""

from __future__ import annotations

from pathlib import Path

from test_purge import files_under, held
from test_tui_findings_keys import _open, _to_paragraph
from textual.widgets import DataTable, Input, Label
from tui_helpers import hull_app, settle

from irp_field import api
from irp_field.api import purges
from irp_field.core.visit_file import VisitFile
from irp_field.tui.dialogs.attachments import AttachmentsScreen
from irp_field.tui.dialogs.purge import PurgeScreen
from irp_field.tui.screens.findings import FindingsScreen
from irp_field.tui.screens.notes import NotesScreen

NAME = "Ravenglasscottle"


def _note_text(path: Path, note_id: str) -> tuple[str, int]:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.row("note", note_id)
        assert row is not None
        return str(row["text"]), int(row["deleted"])


async def test_a_note_is_purged_only_after_a_reason_and_the_word(
    hull_path: Path, irp_home: Path
) -> None:
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        note_id = api.record_note(visit, text=f"{NAME} on B wing", taken_at="2022-03-14T11:00")
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4", *NAME[:8].lower(), "enter")  # the note, in the list
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, PurgeScreen)
        said = " ".join(str(label.render()) for label in app.screen.query(Label))
        assert "Purge the note by Jade Richards, 2022-03-14 11:00?" in said
        assert "Nothing brings it back: not ctrl+z" in said
        await pilot.press("escape")  # kept
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("P", "y", "enter", "enter")  # y and Enter never purge
        await settle(pilot)
        assert isinstance(app.screen, PurgeScreen)
        assert "type the word purge" in str(app.screen.query_one("#said", Label).render())
        await pilot.press(*"yes", "enter")  # another word does not either
        await settle(pilot)
        assert isinstance(app.screen, PurgeScreen)
        assert _note_text(hull_path, note_id) == (f"{NAME} on B wing", 0)
        app.screen.query_one("#reason", Input).value = ""  # the word, but no reason
        await pilot.press("ctrl+u", *"purge", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PurgeScreen)
        said = str(app.screen.query_one("#said", Label).render())
        assert said == "Not purged: the reason for a purge must not be empty."
        assert _note_text(hull_path, note_id) == (f"{NAME} on B wing", 0)
        for field in ("#reason", "#word"):
            app.screen.query_one(field, Input).value = ""
        app.screen.query_one("#reason", Input).focus()
        await pilot.press(*"a prisoner's name, wrong note", "enter", *"purge", "enter")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        assert app.screen.query_one(DataTable).row_count == 0
        await pilot.press("ctrl+z")  # nothing of it to undo
        await settle(pilot)
    assert _note_text(hull_path, note_id) == ("", 1)
    everything = files_under(hull_path.parent, irp_home)
    assert held(everything, [NAME]) == []
    with VisitFile.open(hull_path, readonly=True) as visit:
        (purge,) = purges.purges(visit)
    assert (purge.reason, purge.by) == ("a prisoner's name, wrong note", "Jade Richards")


async def test_a_paragraph_and_then_its_photograph_are_purged_from_f7(hull_path: Path) -> None:
    with VisitFile.open(hull_path, readonly=True) as visit:
        (shown,) = api.list_attachments(visit)
        sha = shown.attachment.file_sha256
        stored = bytes(visit.one("SELECT content FROM attachment_file WHERE id = ?", (sha,))[0])  # type: ignore[index]
        text = str(visit.row("finding", shown.attachment.target_id)["text"])  # type: ignore[index]
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await _to_paragraph(pilot, screen, "3.12")
        await pilot.press("f")  # its photographs first
        await settle(pilot)
        assert isinstance(app.screen, AttachmentsScreen)
        app.screen.query_one("#files", DataTable).focus()
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, PurgeScreen)
        await pilot.press(*"a prisoner's face", "enter", *"purge", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AttachmentsScreen)
        assert app.screen.query_one("#files", DataTable).row_count == 0
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("P")  # then the paragraph itself
        await settle(pilot)
        assert isinstance(app.screen, PurgeScreen)
        assert "Purge paragraph 3.12?" in str(app.screen.query_one("#question", Label).render())
        await pilot.press(*"named a prisoner", "enter", *"purge", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FindingsScreen)
    assert held([hull_path], [text[:60]], stored[1000:1064]) == []
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert [p.what for p in purges.purges(visit)] == [
            "photograph attached to paragraph 3.12",
            "the file of photograph attached to paragraph 3.12",
            "paragraph 3.12",
        ]


async def test_a_glossary_term_is_purged_from_f11(hull_path: Path) -> None:
    from test_tui_report_parts import _go_to
    from test_tui_report_parts import _open as _open_parts

    app = hull_app(hull_path, user="Sara Pennington")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_parts(pilot)
        await _go_to(pilot, screen, "term:Time out of cell")
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, PurgeScreen)
        await pilot.press(*"a name in its definition", "enter", *"purge", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert "term:Time out of cell" not in screen.query_one("#parts", DataTable).rows
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert [(p.what, p.reason) for p in purges.purges(visit)] == [
            ("a glossary term added by Sara Pennington", "a name in its definition")
        ]
        assert visit.one("SELECT 1 FROM glossary_term WHERE term = 'Time out of cell'") is None
