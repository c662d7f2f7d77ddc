"""Ask for the passphrase of this installation's key (to open sealed files): typed
hidden, Enter gives it, Escape gives up. Never stored: the screen that asked keeps it
in memory while it is open."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class PassphraseScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PassphraseScreen {
        align: center middle;
        #asking { width: 60; max-width: 100%; height: auto; border: thick $accent; padding: 1 2; }
        #asking Label { width: 100%; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "give_up", "Cancel")]

    def __init__(self, why: str) -> None:
        super().__init__()
        self.why = why

    def compose(self) -> ComposeResult:
        with Vertical(id="asking"):
            yield Label(self.why)
            yield Input(id="passphrase", password=True, placeholder="passphrase")
            yield Label("Enter: open   Escape: cancel")

    @on(Input.Submitted, "#passphrase")
    def _given(self, event: Input.Submitted) -> None:
        self.dismiss(event.value or None)

    def action_give_up(self) -> None:
        self.dismiss(None)
