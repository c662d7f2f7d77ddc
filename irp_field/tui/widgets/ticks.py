"""Ticks as text: ``[x]`` ticked, ``[ ]`` not, on every screen.

Textual draws a box as a coloured block with an X inside whose colour alone says whether
it is ticked: on F12 the X of "Redact the exports" was drawn in the background's colour
either way, and an unredacted export was written when a redacted one was meant; on a
colour-blind eye, a washed-out laptop screen in a prison office or a terminal without
colours, ticked and not ticked look the same. So a tick is characters, and the app
draws every one through this module: :func:`tick` for a tick drawn by a screen (the
merge screen's files), :class:`TickBox` for a box, :class:`TickList` for a list of
boxes. No screen imports Textual's Checkbox, SelectionList or RadioButton
(``tests/test_tui_ticks.py`` walks the app and reads its source to keep it so).

A list always shows where its cursor is: a list filled after it was drawn (the plan
items on a note) had no cursor until the first Down, which put it on the first item
while the inspector, seeing none, thought Down had moved past it, and ticked the wrong
plan item. :class:`TickList` puts the cursor on its first item as soon as it has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICKED = "[x]"
NOT_TICKED = "[ ]"

Value = TypeVar("Value")


def tick(ticked: bool) -> str:
    """The tick as a person reads it without colour."""
    return TICKED if ticked else NOT_TICKED


class TickBox(Checkbox):
    """A box that reads ``[x] label`` or ``[ ] label``; space or Enter ticks it."""

    DEFAULT_CSS = """
    TickBox {
        & > .toggle--button { color: $foreground; background: transparent; text-style: bold; }
        &.-on > .toggle--button { color: $text-success; }
    }
    """

    @property
    def _button(self) -> Content:
        # Textual builds its button here (a block around an X); the widget's render and
        # its width both read it, so the tick is drawn and measured as text.
        return Content.styled(tick(self.value), self.get_visual_style("toggle--button"))


class TickList(SelectionList[Value]):
    """A list of boxes, each ``[x]`` or ``[ ]`` before its item; space or Enter ticks the
    item under the cursor, and the cursor is on the first item from the start."""

    DEFAULT_CSS = """
    TickList {
        & > .selection-list--button,
        & > .selection-list--button-highlighted {
            color: $foreground; background: transparent; text-style: bold;
        }
        & > .selection-list--button-selected,
        & > .selection-list--button-selected-highlighted {
            color: $text-success; background: transparent; text-style: bold;
        }
    }
    """

    def add_options(self, items: Iterable[Any]) -> Self:
        super().add_options(items)
        self._cursor_shown()
        return self

    def on_focus(self) -> None:
        self._cursor_shown()

    def _cursor_shown(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def render_line(self, y: int) -> Strip:
        # SelectionList draws its block-and-X here before the item's prompt: draw the
        # prompt as OptionList does, and the tick as text before it, in the same width.
        line = OptionList.render_line(self, y)
        index = self.scroll_offset.y + y
        try:
            value = self.get_option_at_index(index).value
        except OptionDoesNotExist:
            return line
        component = "selection-list--button"
        if value in self._selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        underlying = next(iter(line)).style or self.rich_style
        where = Style(meta={"option": index})  # a click on the tick ticks this item
        button = self.get_component_rich_style(component) + where
        return Strip(
            [
                Segment(tick(value in self._selected), button),
                Segment(" ", underlying + where),
                *line,
            ]
        )
