"""The plan items as ticks: the one picker a note, a round of roll checks and a subject's
day of time out of cell are linked to plan items with (``[x]`` linked, ``[ ]`` not)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from irp_field.tui.widgets.ticks import TickList


class PlanItemShown(Protocol):
    @property
    def ref(self) -> str: ...

    @property
    def text(self) -> str: ...


class PlanTicks(TickList[str]):
    """Each plan item by its ref and text, ticked when ``chosen`` names it (any case);
    ``selected`` gives the refs ticked, in the plan's order."""

    def show_items(self, items: Iterable[PlanItemShown], chosen: Iterable[str]) -> None:
        wanted = {ref.casefold() for ref in chosen}
        with self.prevent(TickList.SelectedChanged):
            self.clear_options()
            for item in items:
                self.add_option(
                    (f"{item.ref}  {item.text[:300]}", item.ref, item.ref.casefold() in wanted)
                )
