"""A table of rows that shows its cursor from the top whenever its size changes.

A table keeps the scroll it needed to show its cursor at some moment. While a screen is
laid out, a table may be one row high for a moment (the findings' plan items were, while
the paragraph below took its height): it scrolled by a row to show its cursor, and kept
that scroll once it had its fifteen rows, hiding the first area's heading. Which of the
two pictures one saw depended on how busy the machine was.
"""

from __future__ import annotations

from textual import events

from irp_field.tui.widgets.table import Table


class CursorTable(Table):
    def on_resize(self, event: events.Resize) -> None:
        if self.row_count:
            self.scroll_home(animate=False, immediate=True)
            self.move_cursor(row=self.cursor_row, animate=False)
