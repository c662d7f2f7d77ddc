"""Who am I: pick yourself from the visit's team once per file."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList


class WhoAmIScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    WhoAmIScreen {
        align: center middle;
        #who { width: 50; height: auto; max-height: 20; border: thick $primary; padding: 0 1; }
        OptionList { height: auto; max-height: 12; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Not now")]

    def __init__(self, members: list[str]) -> None:
        super().__init__()
        self.members = members

    def compose(self) -> ComposeResult:
        with Vertical(id="who"):
            yield Label("Who are you? Everything you record carries your name.")
            yield OptionList(*self.members)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.members[event.option_index])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
