"""Choose the plan item a findings paragraph goes under (F7: m on a paragraph, ctrl+r in
its editor): type its number ("1.38") or words from it, and Enter takes the highlighted
item; Up and Down move through the list; Escape chooses nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from irp_field.domain.plan import PlanItem


def matching_items(items: Sequence[PlanItem], typed: str) -> list[PlanItem]:
    """The items whose number begins with what was typed first (in the plan's order),
    then those whose number or words hold it anywhere; every item when nothing is typed."""
    wanted = typed.strip().casefold()
    if not wanted:
        return list(items)
    first = [i for i in items if i.ref.casefold().startswith(wanted)]
    inside = [
        i
        for i in items
        if i not in first and (wanted in i.ref.casefold() or wanted in i.text.casefold())
    ]
    return first + inside


class PlanItemChoiceScreen(ModalScreen[str | None]):
    """Hands back the chosen plan item's ref, or None."""

    DEFAULT_CSS = """
    PlanItemChoiceScreen {
        align: center middle;
        #item-choice { width: 90; max-width: 100%; height: auto; max-height: 100%;
                       border: thick $primary; padding: 0 1; }
        #item-choice > Label { width: 100%; }
        #item-list { height: auto; max-height: 14; text-wrap: nowrap;
                     text-overflow: ellipsis; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "step(1)", show=False, priority=True),
        Binding("up", "step(-1)", show=False, priority=True),
    ]

    def __init__(self, title: str, items: Sequence[PlanItem], current: Sequence[str]) -> None:
        super().__init__()
        self.title_text = title
        self.items = list(items)
        self.current = {ref.casefold() for ref in current}  # the refs it is under now
        self.shown: list[PlanItem] = list(items)

    def compose(self) -> ComposeResult:
        with Vertical(id="item-choice"):
            yield Label(Text(self.title_text))  # Text: a ref is never read as markup
            yield Label("Type its number or words; Enter takes the highlighted; Escape cancels")
            yield Input(placeholder="1.38", id="item-typed")
            yield OptionList(id="item-list")

    def on_mount(self) -> None:
        self._show("")
        self.query_one("#item-typed", Input).focus()

    def _show(self, typed: str) -> None:
        self.shown = matching_items(self.items, typed)
        listed = self.query_one("#item-list", OptionList)
        listed.clear_options()
        listed.add_options(Option(self._line(item), id=item.ref) for item in self.shown)
        listed.highlighted = 0 if self.shown else None

    def _line(self, item: PlanItem) -> Text:
        here = "  (it is under this one now)" if item.ref.casefold() in self.current else ""
        return Text(f"{item.ref}  {' '.join(item.text.split())}{here}")  # never markup

    @on(Input.Changed, "#item-typed")
    def _typed(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#item-typed")
    def _take(self) -> None:
        listed = self.query_one("#item-list", OptionList)
        if listed.highlighted is None:
            self.app.bell()  # nothing matches what was typed
            return
        self.dismiss(self.shown[listed.highlighted].ref)

    @on(OptionList.OptionSelected, "#item-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index].ref)

    def action_step(self, step: int) -> None:
        listed = self.query_one("#item-list", OptionList)
        if not self.shown:
            raise SkipAction()
        listed.highlighted = ((listed.highlighted or 0) + step) % len(self.shown)

    def action_cancel(self) -> None:
        self.dismiss(None)
