"""What was deleted before this session, to bring one back: ctrl+z with nothing left to
undo on a screen of records (a roll check, a period, a note, a paragraph deleted
yesterday, whose tombstone the session's ctrl+z no longer reaches). Enter restores the
one highlighted, as ``irp-field restore`` does; Escape closes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from irp_field.api.purges import Purgeable


class DeletedScreen(ModalScreen["Purgeable | None"]):
    """Dismissed with the deleted record chosen, or None."""

    DEFAULT_CSS = """
    DeletedScreen {
        align: center middle;
        #deleted-box { width: 90; max-width: 100%; height: auto; max-height: 100%;
                       border: thick $primary; padding: 0 1; }
        #deleted-box > Label { width: 100%; }
        #deleted-list { height: auto; max-height: 14; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, label: str, deleted: list[Purgeable]) -> None:
        super().__init__()
        self.label = label  # the kind, as the screen names it: "roll check"
        self.deleted = deleted

    def compose(self) -> ComposeResult:
        with Vertical(id="deleted-box"):
            yield Label(
                Text(
                    f"Nothing to undo in this session. Deleted before: the {self.label}s "
                    "below (oldest first)."
                )
            )
            yield OptionList(
                *(Option(Text(_line(item))) for item in self.deleted), id="deleted-list"
            )
            yield Label(Text("Enter: bring it back (ctrl+z then takes that back)   Escape: close"))

    def on_mount(self) -> None:
        found = self.query_one(OptionList)
        found.highlighted = len(self.deleted) - 1  # the latest made, most likely wanted
        self.set_focus(found)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.deleted[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)


def _line(item: Purgeable) -> str:
    """What it was and the start of what it held (the id, for the command line, is
    left out: every line here is of a deleted record)."""
    return f"{item.what}: {item.holds}" if item.holds else item.what
