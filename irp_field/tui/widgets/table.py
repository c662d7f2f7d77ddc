"""A table that draws its rows again once it has sized its columns.

Textual's DataTable sizes its columns when it is next idle after rows are added, and
keeps the lines it has drawn by the table's own width and cursor, not by its columns'
widths. On a busy laptop the screen can be drawn between the rows arriving and that idle
moment: those lines, cut at the headings' width ("Reasonabl" for "Reasonable progress"),
then stayed on the screen until the cursor moved, because a table whose own size did not
change never drew them again. F8's judgements were caught so.

A cell cut at its column's edge ends in "…": DataTable cropped it bare, and F7's plan
items read "Rehabilitation and re" as if that were the whole name. Cut here, the one
place every screen's cells are shortened; a cell a screen wraps or cuts itself keeps
what it says. A table made with ``fit=True`` never runs past its own right edge (where
nothing says a name goes on): its widest column gives up the room, and its cells show
"…" where they are cut.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets._data_table import ColumnKey, RowKey, RowRenderables  # pinned Textual's

NARROWEST = 8  # a column given up for room keeps this much: "Rehabi…" still says what


def _marked_when_cut(cell: RenderableType) -> RenderableType:
    """A text cell that ends in "…" when its column is too narrow for it. A cell a
    screen has already cut into lines keeps them: each line too long is cut with "…"
    (wrapped, its end went to a line below the row's height, and F7's evidence lost the
    "…" that said the summary goes on)."""
    if isinstance(cell, Text) and cell.overflow is None:
        marked = cell.copy()
        marked.overflow = "ellipsis"
        if "\n" in cell.plain and cell.no_wrap is None:
            marked.no_wrap = True
        return marked
    return cell


class Table(DataTable[object]):
    """Every screen's table: a DataTable whose drawn lines follow its columns' widths."""

    _drawn_widths: tuple[int, ...] = ()

    def __init__(self, *args: Any, fit: bool = False, **options: Any) -> None:
        super().__init__(*args, **options)
        self.fit = fit
        self._natural: dict[ColumnKey, int] = {}  # each column's width before fitting

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._fit()

    def _on_resize(self, event: events.Resize) -> None:
        super()._on_resize(event)
        self._fit()

    def clear(self, columns: bool = False) -> Table:
        self._natural.clear()
        super().clear(columns)
        return self

    def _fit(self) -> None:
        """The widest column narrowed until the table fits its width (room kept for
        the scroll bar it may need)."""
        room = self.size.width - self.styles.scrollbar_size_vertical
        if not self.fit or room <= 0 or not self.columns:
            return
        for column in self.columns.values():
            natural = self._natural.get(column.key, 0)
            self._natural[column.key] = max(natural, column.content_width)
            column.content_width = self._natural[column.key]
        widest = max(self.columns.values(), key=lambda column: column.content_width)
        if not widest.auto_width:
            return
        total = sum(column.get_render_width(self) for column in self.columns.values())
        if total > room:
            widest.content_width = max(NARROWEST, widest.content_width - (total - room))
            total = sum(column.get_render_width(self) for column in self.columns.values())
        self.virtual_size = Size(total, self.virtual_size.height)

    def render_line(self, y: int) -> Strip:
        widths = tuple(column.content_width for column in self.columns.values())
        if widths != self._drawn_widths:
            self._drawn_widths = widths
            self._clear_caches()  # lines drawn at the old widths
        return super().render_line(y)

    def _compute_row_renderables(self, row_index: int) -> RowRenderables:
        label, cells = super()._compute_row_renderables(row_index)
        return RowRenderables(
            None if label is None else _marked_when_cut(label),
            [_marked_when_cut(cell) for cell in cells],
        )
