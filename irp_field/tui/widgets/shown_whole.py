"""A text shown whole under a table or an editor (a paragraph, its preview), however long.

It keeps to a few lines so the table above keeps its rows on a small terminal; what does
not fit scrolls: Tab reaches it when there is more to see than it shows, and the arrows,
Page Up/Down, Home and End move through it. It used to cut a long paragraph at five
lines at 80x24, and its end could not be seen at all.
"""

from __future__ import annotations

from textual.containers import VerticalScroll


class ShownWhole(VerticalScroll):
    DEFAULT_CSS = """
    ShownWhole {
        height: auto;
        max-height: 5;
        scrollbar-size-vertical: 1;
        &:focus { background-tint: $foreground 5%; }
    }
    """

    def allow_focus(self) -> bool:
        """Only a text longer than the lines shown is worth a stop of Tab."""
        return self.max_scroll_y > 0
