"""Completing figure names after ``{{`` in a findings paragraph, with each current value."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from irp_field.api.findings import Figure

# "{{ roll.pct_lo" (at the cursor): the name typed so far, possibly empty.
_OPEN_REFERENCE = re.compile(r"\{\{\s*([A-Za-z0-9_.]*)$")
SHOWN = 8


def typed_name(before_cursor: str) -> str | None:
    """The partial figure name being typed, or None outside an open ``{{``."""
    found = _OPEN_REFERENCE.search(before_cursor)
    return found.group(1) if found else None


def matching(figures: Mapping[str, Figure], typed: str) -> list[Figure]:
    """Keys starting with what was typed first, then keys containing it."""
    wanted = typed.casefold()
    starts = [f for k, f in figures.items() if k.casefold().startswith(wanted)]
    inside = [f for k, f in figures.items() if wanted in k.casefold() and f not in starts]
    return (starts + inside)[:SHOWN]


class FigureCompletion(OptionList):
    """The figures matching the name typed so far: "roll.pct_locked_up  40%"."""

    DEFAULT_CSS = """
    FigureCompletion {
        height: auto;
        max-height: 8;
        border: round $accent;
        display: none;
        &.-shown { display: block; }
    }
    """

    def __init__(self, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.typed = ""
        # Said on the list itself: the hint used to be in F1 alone.
        self.border_title = "Enter or Tab takes the figure; Escape closes the list"

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def show(self, figures: list[Figure], typed: str) -> None:
        self.typed = typed
        self.clear_options()
        self.add_options(Option(Text(f"{f.key} = {f.display}"), id=f.key) for f in figures)
        if figures:
            self.highlighted = 0
        self.set_class(bool(figures), "-shown")

    def hide(self) -> None:
        self.remove_class("-shown")

    def chosen_key(self) -> str | None:
        if self.highlighted is None or not self.shown:
            return None
        return self.get_option_at_index(self.highlighted).id
