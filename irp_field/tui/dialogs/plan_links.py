"""Link a round of roll checks (F3) or a subject's day of time out of cell (F6) to plan
items, with the picker a note uses (``PlanTicks``): the overview then counts it as
evidence for them and F7 lists it. A link is an edit like any other: ctrl+z takes it
back, and it travels by merge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from irp_field.api.setup import plan_items
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.widgets.plan_ticks import PlanItemShown, PlanTicks


class PlanLinksScreen(ModalScreen[list[str] | None]):
    """Space ticks or unticks the highlighted plan item; ctrl+s links what is ticked
    (and unlinks the rest); Escape changes nothing."""

    DEFAULT_CSS = """
    PlanLinksScreen {
        align: center middle;
        #links-box { width: 90; max-width: 100%; height: auto; max-height: 90%;
                     border: thick $primary; padding: 0 1; }
        #plan-links { height: auto; max-height: 70vh; text-wrap: nowrap;
                      text-overflow: ellipsis; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "link", "Link", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, what: str, items: Sequence[PlanItemShown], chosen: list[str]) -> None:
        super().__init__()
        self.what = what
        self.items = items
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="links-box"):
            yield Label(Text(f"Link {self.what} to plan items"))  # Text: "[x]" is no markup
            yield Label(Text("space ticks [x] or unticks [ ]; ctrl+s links; Escape cancels"))
            yield PlanTicks(id="plan-links")

    def on_mount(self) -> None:
        ticks = self.query_one(PlanTicks)
        ticks.show_items(self.items, self.chosen)
        ticks.focus()

    def action_link(self) -> None:
        self.dismiss(list(self.query_one(PlanTicks).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)


def link_to_plan_items(
    screen: VisitScreen,
    what: str,
    chosen: list[str],
    write: Callable[[list[str]], object],
    where: object = None,
) -> None:
    """Open the picker for ``what`` ("round Mon AM"), ticked as it is linked now, and
    write the links ticked (``write``: the API's link_round or link_day) as one
    undoable edit."""
    items = plan_items(screen.irp.visit)
    if not items:
        screen.notify("The visit has no plan items yet: add them in set-up (s on the overview).")
        return

    def picked(refs: list[str] | None) -> None:
        if refs is None or [r.casefold() for r in refs] == [r.casefold() for r in chosen]:
            return
        if screen.undoable(lambda: write(refs), f"the links of {what}", where):
            linked = ", ".join(refs) if refs else "no plan item"
            screen.notify(f"Linked {what} to {linked}; ctrl+z takes it back.")
            screen.file_changed()

    screen.app.push_screen(PlanLinksScreen(what, items, chosen), picked)
