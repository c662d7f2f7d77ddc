"""What was typed while the visit file was busy and kept in a file, offered back when the
visit is opened: Enter puts one back where it came from (the same save, through the
same rules), n makes it a new note, Delete discards it (after asking), Escape leaves
them all kept for later. Nothing is lost by saying no."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from irp_field.api import unsaved
from irp_field.api.notes import NoteDraft
from irp_field.api.unsaved import FileBusy, Typed
from irp_field.domain.errors import IrpError
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.widgets.table import Table

if TYPE_CHECKING:
    from irp_field.tui.app import IrpApp


class KeptScreen(ModalScreen[NoteDraft | None]):
    """Dismissed with a note's draft to open in the editor, or None."""

    DEFAULT_CSS = """
    KeptScreen {
        align: center middle;
        #kept-box { width: 100; max-width: 100%; height: auto; max-height: 100%;
                    border: thick $warning; padding: 0 1; }
        #kept-box Label { width: 100%; }
        #kept { height: auto; max-height: 10; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "put_back", "Put it back", priority=True),
        Binding("n", "into_note", "Make it a note"),
        Binding("delete", "discard", "Discard"),
        Binding("escape", "later", "Later (kept)"),
    ]

    def __init__(self, typed: list[Typed], file_name: str) -> None:
        super().__init__()
        self.typed = typed
        self.file_name = file_name

    @property
    def irp(self) -> IrpApp:
        return cast("IrpApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="kept-box"):
            yield Label(
                Text(
                    "Typed when the visit file was busy, not saved in it, and kept in "
                    f"{self.file_name}:",
                    style="bold",
                )
            )
            yield Table(id="kept", cursor_type="row", fit=True)  # "…" where cut
            yield Label(
                "Enter: put it back where it came from   n: make it a new note\n"
                "Delete: discard it   Escape: later (it stays kept, and is offered again)"
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Kept (UTC)", "What", "Typed")
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for typed in self.typed:
            by = "" if typed.by == self.irp.user else f" (by {typed.by})"
            table.add_row(
                typed.kept_at[5:16].replace("T", " "),
                Text(typed.what + by),
                Text(typed.summary(36)),
                key=typed.key,
            )

    def _current(self) -> Typed | None:
        table = self.query_one(DataTable)
        if not self.typed or table.row_count == 0:
            return None
        return self.typed[min(table.cursor_row, len(self.typed) - 1)]

    def _gone(self, typed: Typed, said: str) -> None:
        self.notify(said)
        self.typed = [t for t in self.typed if t.key != typed.key]
        if not self.typed:
            self.dismiss(None)
            return
        self._fill()

    def action_put_back(self) -> None:
        typed = self._current()
        if typed is None:
            return
        try:
            done = unsaved.put_back(self.irp.visit, typed)
        except FileBusy:
            self._busy()
            return
        except IrpError as error:
            self.notify(
                f"Not put back: {error}. n makes it a new note instead; it stays kept.",
                severity="error",
            )
            return
        if isinstance(done, NoteDraft):
            self.dismiss(done)  # the note goes on in its editor
            return
        said = done if isinstance(done, str) and done.startswith(("Saved", "Added")) else ""
        self._gone(typed, said or f"Saved {typed.what}.")

    def action_into_note(self) -> None:
        typed = self._current()
        if typed is None:
            return
        try:
            draft = unsaved.into_note(self.irp.visit, typed, self.irp.clock())
        except FileBusy:
            self._busy()
            return
        except IrpError as error:
            self.notify(f"Not made a note: {error}; it stays kept.", severity="error")
            return
        self.dismiss(draft)

    def _busy(self) -> None:
        name = self.irp.visit.path.name
        self.notify(
            f"Not yet: {name} is busy (another program is writing it). It stays kept: "
            "try again in a moment.",
            severity="warning",
        )

    def action_discard(self) -> None:
        typed = self._current()
        if typed is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                unsaved.forget(self.irp.visit, [typed.key])
            except IrpError as error:
                self.notify(f"Not discarded: {error}", severity="error")
                return
            self._gone(typed, f"Discarded {typed.what}.")

        question = f"Discard {typed.what}? What was typed is then gone for good."
        self.app.push_screen(
            ConfirmScreen(question, hint="y: discard it   n or Escape: keep it"), answered
        )

    def action_later(self) -> None:
        self.dismiss(None)
