"""Edges met typing a visit from paper at 80x24 and 120x40 (issue 22): a cut name says it
is cut, a screen's message stays on its screen, the overview's last line is whole, and a
refused time is read whole beside its field."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable
from tui_helpers import hold_still, hull_app

from irp_field.tui.screens.findings import FindingsScreen


def _lines(table: DataTable[object]) -> list[str]:
    return [table.render_line(y).text.rstrip() for y in range(table.size.height)]


async def test_f7_at_120_columns_ends_a_cut_area_name_with_an_ellipsis(hull_path: Path) -> None:
    """F7's plan items read "Rehabilitation and re", as if that were the whole name."""
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await hold_still(pilot)
        await pilot.press("f7")
        await hold_still(pilot)
        assert isinstance(app.screen, FindingsScreen)
        units = app.screen.query_one("#units", DataTable)
        areas = [line for line in _lines(units) if "Rehabilitation" in line]
        assert len(areas) == 1
        shown = areas[0].rstrip(" ▁▂▃▄▅▆▇█▉▊▋▌▍▎▏")
        assert "Rehabilitation and release planning" not in shown  # too wide at 120
        assert shown.endswith("…"), shown
