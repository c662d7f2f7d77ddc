"""Pick any roll-check round, sample frame or data return of the visit to cite."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from irp_field.api.findings import EvidenceItem
from irp_field.tui.widgets.ticks import tick


class EvidencePickerScreen(ModalScreen[str | None]):
    """Enter cites the highlighted evidence; Escape cites nothing."""

    DEFAULT_CSS = """
    EvidencePickerScreen {
        align: center middle;
        #pick { width: 90; max-width: 100%; height: auto; max-height: 80%;
                border: thick $primary; padding: 0 1; }
        /* one line an item, cut with an ellipsis at the box's edge at any width (cut at
           70 characters, "[x] data return: ..." wrapped mid-word onto a second line) */
        #choices { height: auto; max-height: 70vh; text-wrap: nowrap; text-overflow: ellipsis; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, where: str, items: list[EvidenceItem], cited: tuple[str, ...]) -> None:
        super().__init__()
        self.where = where
        self.items = items
        self.cited = cited

    def compose(self) -> ComposeResult:
        with Vertical(id="pick"):
            yield Label(  # Text: "[x]" is no markup
                Text(f"Cite in {self.where} ([x] cited already; Enter cites, Escape cancels)")
            )
            yield OptionList(
                *(
                    Option(
                        Text(  # user text: never read as markup
                            f"{tick(item.id in self.cited)} {item.kind}: {item.summary[:200]}"
                        ),
                        id=item.id,
                    )
                    for item in self.items
                ),
                id="choices",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
