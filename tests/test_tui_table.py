"""Every screen's table draws its rows again once it has sized its columns.

Textual's DataTable sizes its columns when it is next idle after rows arrive, and keeps
the lines it drew by its own size and cursor, not its columns' widths. A screen drawn in
between (a busy laptop) kept "Reasonabl" for "Reasonable progress" on F8 until the cursor
moved: a table whose own size did not change never drew those lines again.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from irp_field.tui.widgets.table import Table


class _OneTable(App[None]):
    """A table of a fixed height, so that sizing its columns does not resize it."""

    def __init__(self, kind: type[DataTable[object]]) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        table = self.kind(id="units")
        table.styles.height = 6
        yield table

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Unit", "Judgement")


def _second_row_once_sized(kind: type[DataTable[object]]) -> tuple[str, str]:
    """The second row as drawn before the table was idle, and again after it sized its
    columns."""

    async def run() -> tuple[str, str]:
        app = _OneTable(kind)
        async with app.run_test(size=(60, 8)) as pilot:
            await pilot.pause()
            table = app.query_one(DataTable)
            for unit in ("1.33", "1.34", "1.35"):
                table.add_row(unit, "Reasonable progress")
            before = table.render_line(1).text  # drawn before the table is idle
            await pilot.pause()
            await pilot.pause(0.1)
            assert not table._require_update_dimensions  # sized by now
            return before, table.render_line(1).text

    return asyncio.run(run())


def test_a_row_drawn_before_the_columns_were_sized_is_drawn_again_whole() -> None:
    before, after = _second_row_once_sized(Table)
    assert "Reasonab…" in before  # the moment the bug lived in: cut at the heading (with "…")
    assert "Reasonable progress" in after


def test_textuals_own_table_keeps_the_cut_line() -> None:
    """The reason for Table: if Textual's DataTable ever draws the line again by itself,
    this fails, and Table can go."""
    _, after = _second_row_once_sized(DataTable)
    assert "Reasonable progress" not in after


def test_every_screen_builds_its_tables_as_table() -> None:
    """A screen that yields Textual's DataTable itself brings the cut lines back."""
    screens = Path(__file__).parent.parent / "irp_field" / "tui"
    found = [
        f"{path.name}:{number}"
        for path in sorted(screens.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"(?<![\w.])DataTable\(", line)
    ]
    assert found == []


def test_a_cell_cut_at_its_columns_edge_ends_in_an_ellipsis() -> None:
    """A cut cell said nothing of being cut: "Rehabilitation and re" read as a name."""

    class _Narrow(App[None]):
        def compose(self) -> ComposeResult:
            yield Table()

        def on_mount(self) -> None:
            table = self.query_one(Table)
            table.add_column("Area", width=16)
            table.add_column("Ref", width=6)
            table.add_row("Rehabilitation and release planning", "1.44")
            table.add_row(Text("Rehabilitation and release planning", style="bold"), "1.45")
            table.add_row("Safety", "1.34a")

    async def run() -> list[str]:
        app = _Narrow()
        async with app.run_test(size=(40, 6)) as pilot:
            await pilot.pause()
            table = app.query_one(Table)
            return [table.render_line(y).text for y in range(4)]

    _header, plain, styled, short = asyncio.run(run())
    assert "Rehabilitation …" in plain and "1.44" in plain
    assert "Rehabilitation …" in styled
    assert "Safety " in short and "…" not in short  # a cell that fits is as it was
