"""A table that draws its rows again once it has sized its columns.

Textual's DataTable sizes its columns when it is next idle after rows are added, and
keeps the lines it has drawn by the table's own width and cursor, not by its columns'
widths. On a busy laptop the screen can be drawn between the rows arriving and that idle
moment: those lines, cut at the headings' width ("Reasonabl" for "Reasonable progress"),
then stayed on the screen until the cursor moved, because a table whose own size did not
change never drew them again. F8's judgements were caught so.
"""

from __future__ import annotations

from textual.strip import Strip
from textual.widgets import DataTable


class Table(DataTable[object]):
    """Every screen's table: a DataTable whose drawn lines follow its columns' widths."""

    _drawn_widths: tuple[int, ...] = ()

    def render_line(self, y: int) -> Strip:
        widths = tuple(column.content_width for column in self.columns.values())
        if widths != self._drawn_widths:
            self._drawn_widths = widths
            self._clear_caches()  # lines drawn at the old widths
        return super().render_line(y)
