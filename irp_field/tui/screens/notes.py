"""Notes: search as you type (FTS5), open one to edit, write a new one, delete and undo."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Input

from irp_field.api import evidence as drafts
from irp_field.api.evidence import Note, search_notes
from irp_field.api.visits import Visit
from irp_field.domain.errors import IrpError
from irp_field.tui.screens.attachments import AttachmentsScreen, AttachTo
from irp_field.tui.screens.confirm import ConfirmScreen
from irp_field.tui.screens.note_editor import NoteEditorScreen
from irp_field.tui.visit_screen import VisitScreen
from irp_field.tui.widgets.field_row import FieldRow
from irp_field.tui.widgets.key_line import KeyLine


def as_query(typed: str) -> str:
    """Every typed word as a prefix, so that 'seg off' finds 'segregation officer'."""
    words = [word.replace('"', "") for word in typed.split()]
    return " ".join(f'"{word}"*' for word in words if word)


def find_notes(visit: Visit, typed: str) -> tuple[list[Note], str]:
    """The notes matching what is typed, or none and why the search is refused."""
    try:
        return search_notes(visit, as_query(typed)), ""
    except IrpError as error:
        return [], str(error)


class NotesScreen(VisitScreen):
    TITLE = "Notes"
    DEFAULT_CSS = """
    NotesScreen {
        #notes { height: 1fr; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_note", "New note"),
        Binding("ctrl+e", "edit_note", "Edit note"),
        Binding("delete", "delete_note", "Delete note"),
        Binding("ctrl+z", "undo_delete", "Undo delete"),
        Binding("f", "attachments", "Photographs, documents"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.deleted: list[str] = []
        self.shown: dict[str, Note] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield FieldRow("Search", "search", placeholder="words to find", wide=True)
        yield DataTable(id="notes", cursor_type="row")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("When", "Source", "Author", "Plan", "Note")
        self.query_one("#search", Input).focus()

    def on_screen_resume(self) -> None:
        self.search(self.query_one("#search", Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def on_input_submitted(self) -> None:
        self.query_one(DataTable).focus()

    def search(self, typed: str) -> None:
        self.load(lambda visit: find_notes(visit, typed), then=self.show_notes, group="notes")

    def show_notes(self, found: tuple[list[Note], str]) -> None:
        notes, problem = found
        self.query_one("#row-search", FieldRow).set_reason(problem)
        table = self.query_one(DataTable)
        table.clear()
        self.shown = {note.id: note for note in notes}
        for note in notes:
            first_line = note.text.splitlines()[0] if note.text else ""
            table.add_row(
                note.taken_at.replace("T", " "),
                note.source,
                Text(note.author),  # typed text: never read as markup
                ";".join(note.plan_refs),
                Text(first_line[:60]),
                key=note.id,
            )

    def _current(self) -> Note | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.shown.get(str(row_key.value))

    def action_new_note(self) -> None:
        now = drafts.minute_now(self.irp.clock())
        self.app.push_screen(NoteEditorScreen(drafts.new_draft(self.irp.user, now)))

    def on_data_table_row_selected(self) -> None:
        self.action_edit_note()

    def action_edit_note(self) -> None:
        note = self._current()
        if note is None:
            return
        draft = drafts.NoteDraft(
            id=drafts.new_draft(self.irp.user, note.taken_at).id,
            author=note.author,
            source=note.source,
            taken_at=note.taken_at,
            text=note.text,
            tags=";".join(note.tags),
            plan_refs=";".join(note.plan_refs),
            note_id=note.id,
        )
        self.app.push_screen(NoteEditorScreen(draft))

    def action_delete_note(self) -> None:
        note = self._current()
        if note is None or not self.query_one(DataTable).has_focus:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                if not self.guarded(lambda: drafts.delete_note(self.irp.visit, note.id), "deleted"):
                    return
                self.deleted.append(note.id)
                self.notify("Note deleted; ctrl+z brings it back.")
                self.on_screen_resume()

        self.app.push_screen(ConfirmScreen(f"Delete the note of {note.taken_at}?"), answered)

    def action_attachments(self) -> None:
        note = self._current()
        if note is None or not self.query_one(DataTable).has_focus:
            self.notify("Choose a note in the list first (Enter in the search moves there).")
            return
        label = f"the note by {note.author or 'someone'}, {note.taken_at.replace('T', ' ')}"
        self.app.push_screen(AttachmentsScreen(AttachTo(label, note=note.id)))

    def action_undo_delete(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo.")
            return
        note_id = self.deleted[-1]
        if not self.guarded(lambda: drafts.restore_note(self.irp.visit, note_id), "restored"):
            return
        self.deleted.pop()
        self.notify("Note restored.")
        self.on_screen_resume()
