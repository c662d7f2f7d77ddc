"""Notes: search as you type (FTS5), open one to edit, write a new one, delete and undo."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Input
from textual.widgets.data_table import ColumnKey

from irp_field.api import notes as notes_api
from irp_field.api.notes import Note, search_notes
from irp_field.api.visits import Visit
from irp_field.domain.errors import IrpError
from irp_field.domain.wording import short_name
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.dialogs.attachments import AttachmentsScreen, AttachTo
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.screens.note_editor import NoteEditorScreen
from irp_field.tui.undo import Undoable
from irp_field.tui.widgets.field_row import FieldRow
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.table import Table

# (label, width); the note's own column takes the rest of the screen
COLUMNS = (("When", 11), ("Src", 5), ("Author", 10), ("Plan", 8), ("Note", 20))
SHORT_SOURCE = {"observation": "obs", "prisoner": "pris", "staff": "staff",
                "third party": "3rd", "documentation": "docs", "data": "data"}  # fmt: skip


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
    DELETED_KIND = "note"  # ctrl+z with nothing to undo offers these, deleted before
    TITLE = "Notes"
    FIRST_FIELD = "search"
    DEFAULT_CSS = """
    NotesScreen {
        #notes { height: 1fr; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_note", "New note"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+g", "drafts", "Drafts"),
        Binding("delete", "delete_note", "Delete"),
        Binding("h", "history", "History"),
        Binding("f", "attachments", "Photographs, documents"),
        Binding("P", "purge", "Purge for good (cannot be undone)", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[str, Note] = {}
        self._cursor_on: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield FieldRow("Search", "search", placeholder="words to find", wide=True)
        yield Table(id="notes", cursor_type="row")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label)
        self._fit_note_column()
        self.query_one("#search", Input).focus()

    def on_resize(self) -> None:
        self._fit_note_column()

    def _fit_note_column(self) -> None:
        """The note's own column takes what the others leave (9 characters of it at 80
        columns, before): a note is read here, not its metadata."""
        table = self.query_one(DataTable)
        fixed = sum(width for label, width in COLUMNS if label != "Note") + 2 * (len(COLUMNS) + 1)
        table.columns[ColumnKey("Note")].width = max(20, self.size.width - fixed - 2)
        table.columns[ColumnKey("Note")].auto_width = False
        table.refresh()

    def on_screen_resume(self) -> None:
        self.search(self.query_one("#search", Input).value)

    def file_changed(self) -> None:
        self.on_screen_resume()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("delete_note", "history", "edit_note", "purge"):
            table = self.query_one(DataTable)
            return (table.has_focus and table.row_count > 0) or None
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def on_input_submitted(self) -> None:
        self.query_one(DataTable).focus()

    def search(self, typed: str) -> None:
        self.load(
            lambda visit: find_notes(visit, typed),
            then=self.show_notes,
            group="notes",
            keys_wait=False,  # the list follows the search: typing never waits on it
        )

    def show_notes(self, found: tuple[list[Note], str]) -> None:
        notes, problem = found
        self.query_one("#row-search", FieldRow).set_reason(problem)
        table = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        self.shown = {note.id: note for note in notes}
        for note in notes:
            first_line = note.text.splitlines()[0] if note.text else ""
            table.add_row(
                note.taken_at.replace("T", " ")[5:],  # the year is the visit's
                SHORT_SOURCE.get(note.source, note.source),
                Text(short_name(note.author)),  # typed text: never read as markup
                ";".join(note.plan_refs),
                Text(first_line[:300]),
                key=note.id,
            )
        ids = list(self.shown)
        if self._cursor_on in ids:
            table.move_cursor(row=ids.index(self._cursor_on))
        elif table.row_count:
            table.move_cursor(row=min(at, table.row_count - 1))
        self._cursor_on = None

    def _current(self) -> Note | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.shown.get(str(row_key.value))

    def action_new_note(self) -> None:
        # now, inside the visit; else its last day (a note typed up from paper afterwards)
        when = notes_api.default_moment(self.irp.visit, self.irp.clock())
        self.open_editor(notes_api.new_draft(self.irp.user, when))

    def open_editor(self, draft: notes_api.NoteDraft) -> None:
        """The editor; what its save changed comes back to be undone here (ctrl+z)."""

        def saved(done: Undoable | None) -> None:
            if done is not None:
                self.undo_stack.append(done)
                self._cursor_on = done.where if isinstance(done.where, str) else None

        self.app.push_screen(NoteEditorScreen(draft, on_saved=saved))

    def on_data_table_row_selected(self) -> None:
        self.action_edit_note()

    def action_edit_note(self) -> None:
        note = self._current()
        if note is None:
            return
        self.open_editor(notes_api.draft_of_note(self.irp.visit, note.id, self.irp.user))

    def action_delete_note(self) -> None:
        note = self._current()
        if note is None or not self.query_one(DataTable).has_focus:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                if not self.undoable(
                    lambda: notes_api.delete_note(self.irp.visit, note.id),
                    f"the delete of the note of {note.taken_at.replace('T', ' ')}",
                    where=note.id,
                    doing="deleted",
                ):
                    return
                self.notify("Note deleted; ctrl+z brings it back.")
                self.on_screen_resume()

        self.app.push_screen(ConfirmScreen(f"Delete the note of {note.taken_at}?"), answered)

    def action_purge(self) -> None:
        """Its content removed for good, once the person has said why and typed the word."""
        from irp_field.tui.dialogs.purge import purge_chosen

        note = self._current()
        if note is None or not self.query_one(DataTable).has_focus:
            return
        label = f"the note by {note.author or 'someone'}, {note.taken_at.replace('T', ' ')}"
        purge_chosen(self, "note", note.id, label, self.on_screen_resume)

    def action_attachments(self) -> None:
        note = self._current()
        if note is None or not self.query_one(DataTable).has_focus:
            self.notify("Choose a note in the list first (Enter in the search moves there).")
            return
        label = f"the note by {note.author or 'someone'}, {note.taken_at.replace('T', ' ')}"
        self.app.push_screen(AttachmentsScreen(AttachTo(label, note=note.id)))

    def undone(self, what: Undoable) -> None:
        self._cursor_on = what.where if isinstance(what.where, str) else None
        self.on_screen_resume()

    def action_history(self) -> None:
        note = self._current()
        if note is not None:
            when = note.taken_at.replace("T", " ")
            self.show_history("note", note.id, f"the note by {note.author or 'someone'}, {when}")

    def action_drafts(self) -> None:
        """The notes left unsaved (a crash, Escape on a changed note): Enter opens one."""
        from irp_field.tui.dialogs.drafts import DraftsScreen

        def chosen(draft: notes_api.NoteDraft | None) -> None:
            if draft is not None:
                self.open_editor(draft)

        self.app.push_screen(DraftsScreen(notes_api.drafts(self.irp.visit)), chosen)
