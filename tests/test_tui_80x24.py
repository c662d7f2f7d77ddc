"""80x24 without cuts (issue 22): columns that fit are not cut, and the key line ends
with whole keys and F1, never a word cut at the edge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets import DataTable
from tui_helpers import choose_round, hold_still, hull_app, settle

from irp_field import paths
from irp_field.tui.app import make_app
from irp_field.tui.screens.home import HomeScreen
from irp_field.tui.screens.setup import SetupScreen
from irp_field.tui.widgets.key_line import KeyLine


def _width(table: DataTable) -> int:  # type: ignore[type-arg]
    return sum(column.get_render_width(table) for column in table.columns.values())


async def test_home_fits_every_column_in_80(hull_path: Path) -> None:
    """Home's Evidence pushed Changed and File past the edge at 80 columns."""
    folder = paths.visits_folder()
    shutil.copyfile(hull_path, folder / "hull.db")
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await hold_still(pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#visits", DataTable)
        headings = [str(column.label) for column in table.columns.values()]
        assert headings == ["File", "Establishment", "Dates", "Changed", "Evidence"]
        assert _width(table) <= table.scrollable_content_region.width


async def test_the_key_line_ends_with_whole_keys_and_f1(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("f2", "f5", "f11", "f9"):
            await pilot.press(key)
            await hold_still(pilot)
            line = str(app.screen.query_one(KeyLine).render())
            assert line.rstrip().endswith("f1  Help"), (key, line)
            assert "…" not in line and len(line.rstrip()) <= 80, (key, line)


async def test_the_key_line_redrawn_lays_nothing_out_again(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key line is one line the screen's width whatever it says: a new line of keys
    (the focus moved, a binding changed) is drawn where it is, and the screen, with
    every row of its tables, was laid out again for each one."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        key_line = app.screen.query_one(KeyLine)
        before = str(key_line.render())
        laid_out: list[Screen[object]] = []
        refresh_layout = Screen._refresh_layout

        def counted(screen: Screen[object], *args: object, **options: object) -> None:
            laid_out.append(screen)
            refresh_layout(screen, *args, **options)  # type: ignore[arg-type]

        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        key_line._shown = None  # as if its keys had changed
        key_line.show_keys()
        await hold_still(pilot)
        assert str(key_line.render()) == before
        assert before.rstrip().endswith("f1  Help")
        assert laid_out == []


async def test_a_long_name_and_role_are_shown_whole_once_added(hull_path: Path) -> None:
    """The team table cut a new member's name and role short until a refresh."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        name, role = "Jade Richards-Montgomery", "Inspector (health and social care)"
        await pilot.press(*name, "enter", *role, "enter", "c", "enter")
        await hold_still(pilot)
        table = screen.query_one("#team-table", DataTable)
        cells = [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]
        assert [name, role, "CQC"] in cells
        columns = list(table.columns.values())
        assert columns[0].get_render_width(table) >= len(name) + 2
        assert columns[1].get_render_width(table) >= len(role) + 2


async def test_findings_paragraphs_wrap_in_their_room_at_120(hull_path: Path) -> None:
    """F7 at 120 columns cut each paragraph at about 48 characters, on one line."""
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await hold_still(pilot)
        for name in ("#paragraphs", "#evidence"):
            table = app.screen.query_one(name, DataTable)
            assert _width(table) <= table.scrollable_content_region.width, name
        table = app.screen.query_one("#paragraphs", DataTable)
        first = str(table.get_row_at(0)[2])
        assert len(first.split("\n")) == 3 and len(first) > 100
        assert first.endswith("…")


async def test_the_locked_up_number_stays_beside_a_long_location_name(hull_path: Path) -> None:
    """The roll-check table's locked-up bar lost its number beside a long location name
    at 80x24 (the name's column pushed it past the edge): the name gives way, with "…"."""
    from irp_field.core.visit_file import VisitFile

    long = "Healthcare inpatient unit, ward 2"
    with VisitFile.open(hull_path, user="Sara Pennington") as visit, visit.transaction():
        place = visit.query("SELECT id FROM location WHERE name = 'Health care unit'")[0]["id"]
        visit.update("location", place, {"name": long})
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await choose_round(pilot, "Wed PM")  # F3 offers a new round: every one is complete
        await hold_still(pilot)
        table = app.screen.query_one("#round-table", DataTable)
        assert _width(table) <= table.scrollable_content_region.width
        names = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        shown = next(name for name in names if name.startswith("Healthcare"))
        assert shown.endswith("…") and long.startswith(shown[:-1])
        assert all(str(table.get_row_at(n)[-1]).endswith("%") for n in range(table.row_count))
