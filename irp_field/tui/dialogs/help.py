"""Every key binding of the screen it was opened from and of the app, read from the bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static

from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.table import Table


def _own_bindings(screen: Screen[object]) -> list[BindingType]:
    """The screen's bindings and those of the app's screens it is built on (F3's form:
    Enter on the round's table edits a check), its own first."""
    found: list[BindingType] = []
    for kind in type(screen).__mro__:
        if kind.__module__.startswith("irp_field.") and "BINDINGS" in vars(kind):
            found += vars(kind)["BINDINGS"]
    return found


def binding_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(where, key, what) for each described binding, screen's first, then the app's."""
    rows: list[tuple[str, str, str]] = []
    owners: list[tuple[str, list[BindingType]]] = [
        (screen.title or type(screen).__name__.removesuffix("Screen"), _own_bindings(screen))
    ]
    owners.append(("Everywhere", list(getattr(screen.app, "BINDINGS", []))))
    for where, bindings in owners:
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                for key in binding.key.split(","):
                    rows.append(
                        (
                            where,
                            screen.app.get_key_display(Binding(key.strip(), "")),
                            binding.description,
                        )
                    )
    return rows


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        #keys { width: 70; height: 1fr; max-height: 20; border: thick $primary; }
        #messages, #notes { width: 70; height: auto; max-height: 6; padding: 0 1; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1", "close", "Close help")]

    def __init__(self, shown_over: Screen[object]) -> None:
        super().__init__()
        self.shown_over = shown_over

    def compose(self) -> ComposeResult:
        yield Label(" Keys (ctrl+p opens the command palette, which lists them too)")
        yield Table(id="keys", cursor_type="row")
        yield Static(id="notes")
        yield Static(id="messages")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Key", "What it does")
        for row in binding_rows(self.shown_over):
            table.add_row(*row)
        # what the screen adds to its keys (F6: the activities a period may have)
        notes = getattr(self.shown_over, "help_notes", None)
        noted = notes() if callable(notes) else []
        self.query_one("#notes", Static).update(Text("\n".join(noted)))
        self.query_one("#notes", Static).display = bool(noted)
        # the messages the header's line showed, whole (it cuts a long one at its end)
        said = list(getattr(self.app, "recent_messages", ()))
        lines = ["Last messages, newest first:", *(f"{at}  {text}" for at, text in said)]
        messages = self.query_one("#messages", Static)
        messages.update(Text("\n".join(lines)))
        messages.display = bool(said)

    def action_close(self) -> None:
        self.dismiss(None)
