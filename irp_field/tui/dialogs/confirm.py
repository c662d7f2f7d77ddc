"""Ask before deleting (or replacing): y does it; n or Escape does not, nor Enter when the
question says what Enter means (a sheet typed on, Enter by Enter, must not answer yes)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        #question { width: 60; max-width: 100%; height: auto; border: thick $error; padding: 1 2; }
        #question Label { width: 100%; }  /* wrap a long question instead of cutting it */
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No"),
        Binding("enter", "enter", "The answer unless y", show=False),
    ]

    def __init__(
        self,
        question: str,
        hint: str = "y: yes   n or Escape: no (ctrl+z undoes a delete)",
        enter: bool | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.hint = hint
        self.enter = enter  # what Enter answers (None: Enter does nothing)

    def compose(self) -> ComposeResult:
        with Vertical(id="question"):
            yield Label(self.question)
            yield Label(self.hint)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_enter(self) -> None:
        if self.enter is not None:
            self.dismiss(self.enter)
