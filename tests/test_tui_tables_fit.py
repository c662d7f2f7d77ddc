"""Tables that ran past their right edge at 80x24 while the screen had no more room
(issue 22): F7's evidence list (e), F8's judgements and F11's report parts needed a
sideways scroll, and their text was cut bare at the edge. Each fits its pane now, its
cells cut with "…"."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import hold_still, hull_app, settle

from irp_field.tui.widgets.table import Table


@pytest.mark.parametrize(
    ("keys", "table"),
    [(("f7", "e"), "evidence"), (("f8",), "units"), (("f11",), "parts")],
)
async def test_a_table_fits_its_pane_at_80x24(
    hull_path: Path, keys: tuple[str, ...], table: str
) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await hold_still(pilot)
        shown = app.screen.query_one(f"#{table}", Table)
        assert shown.region.width > 0 and shown.row_count > 0
        assert shown.virtual_size.width <= shown.scrollable_content_region.width
