"""A word from a fixed list, chosen from the list itself (ctrl+space on a field that takes
one, such as a period's activity): the list, whole, in a small dialog that fits 80x24;
Enter chooses, Escape closes without choosing."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class ChoicesScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    ChoicesScreen {
        align: center middle;
        #choices-box { width: 50; max-width: 100%; height: auto; max-height: 100%;
                       border: thick $primary; padding: 0 1; }
        #choices-box > Label { width: 100%; }
        #choices-list { height: auto; max-height: 16; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, title: str, choices: list[str], typed: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.typed = typed  # the list opens on the choice typed (or begun), if any

    def compose(self) -> ComposeResult:
        with Vertical(id="choices-box"):
            yield Label(Text(self.title_text))
            yield OptionList(*(Option(Text(c), id=c) for c in self.choices), id="choices-list")

    def on_mount(self) -> None:
        found = self.query_one(OptionList)
        wanted = self.typed.strip().casefold()
        at = next(
            (i for i, c in enumerate(self.choices) if wanted and c.casefold().startswith(wanted)),
            0,
        )
        found.highlighted = at
        self.set_focus(found)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
