"""Before the report screen writes: paragraphs are out of date; sync first, write as is,
or write nothing."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


class StaleChoiceScreen(ModalScreen[str | None]):
    """Paragraphs are out of date: s syncs them then writes, w writes as is (the warning at
    the report's top), c or Escape writes nothing."""

    DEFAULT_CSS = """
    StaleChoiceScreen {
        align: center middle;
        #question { width: 70; max-width: 100%; height: auto; border: thick $warning;
                    padding: 1 2; }
        #question Label { width: 100%; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('sync')", "Sync first, then write"),
        Binding("w", "choose('write')", "Write as is"),
        Binding("c", "choose(None)", "Cancel"),
        Binding("escape", "choose(None)", "Cancel", show=False),
    ]

    def __init__(self, warning: str) -> None:
        super().__init__()
        self.warning = warning

    def compose(self) -> ComposeResult:
        with Vertical(id="question"):
            yield Label(Text(self.warning))
            yield Label(
                "s: sync the paragraphs first, then write\n"
                "w: write as is, with this warning at the top of the report\n"
                "c or Escape: cancel, write nothing"
            )

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
