"""The notes left unsaved: a crash, a kill, or Escape after a change. Enter opens one in
the editor; Delete discards it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from irp_field.api.notes import NoteDraft, discard_draft
from irp_field.domain.errors import IrpError
from irp_field.tui.widgets.table import Table

if TYPE_CHECKING:
    from irp_field.tui.app import IrpApp


class DraftsScreen(ModalScreen[NoteDraft | None]):
    DEFAULT_CSS = """
    DraftsScreen {
        align: center middle;
        #drafts-box { width: 78; max-width: 100%; height: auto; max-height: 100%;
                      border: thick $primary; padding: 0 1; }
        #drafts { height: auto; max-height: 14; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("delete", "discard", "Discard"),
    ]

    def __init__(self, drafts: list[NoteDraft]) -> None:
        super().__init__()
        self.drafts = drafts

    def compose(self) -> ComposeResult:
        with Vertical(id="drafts-box"):
            yield Label(Text("Notes not saved yet, the newest first", style="bold"))
            yield Table(id="drafts", cursor_type="row", fit=True)  # "…" where cut
            yield Label("Enter: open it   Delete: discard it   Escape: close")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Saved (UTC)", "By", "Of", "Text")
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for draft in self.drafts:
            table.add_row(
                draft.saved_at[:16].replace("T", " "),
                Text(draft.author),
                "an edit" if draft.note_id else "a new note",
                Text(draft.opening() or "(no text yet)"),
                key=draft.id,
            )
        if not self.drafts:
            table.add_row("", "", "", "No drafts: every note is saved.")

    def _current(self) -> NoteDraft | None:
        table = self.query_one(DataTable)
        if not self.drafts or table.row_count == 0:
            return None
        return self.drafts[min(table.cursor_row, len(self.drafts) - 1)]

    def on_data_table_row_selected(self) -> None:
        draft = self._current()
        if draft is not None:
            self.dismiss(draft)

    def action_discard(self) -> None:
        draft = self._current()
        if draft is None:
            return
        try:
            discard_draft(cast("IrpApp", self.app).visit, draft.id)
        except IrpError as error:
            self.notify(f"Not discarded: {error}", severity="error")
            return
        self.drafts = [d for d in self.drafts if d.id != draft.id]
        self.notify("Draft discarded.")
        self._fill()

    def action_close(self) -> None:
        self.dismiss(None)
