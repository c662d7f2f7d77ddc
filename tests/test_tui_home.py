"""Home: the visits in the data folder, opening one, starting one, and who am I."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input
from tui_helpers import FIXED_NOW, settle

from irp_field import paths
from irp_field.core.visit_file import VisitFile
from irp_field.tui.app import make_app
from irp_field.tui.dialogs.new_visit import NewVisitScreen
from irp_field.tui.dialogs.who_am_i import WhoAmIScreen
from irp_field.tui.screens.dashboard import DashboardScreen
from irp_field.tui.screens.home import HomeScreen


def _put_hull_in_the_data_folder(hull_path: Path) -> Path:
    target = paths.visits_folder() / "hull.db"
    with VisitFile.open(hull_path, readonly=True) as visit:
        visit.conn.execute("VACUUM INTO ?", (str(target),))
    return target


async def test_home_lists_the_visits_and_opens_one_as_who_i_said(hull_path: Path) -> None:
    target = _put_hull_in_the_data_folder(hull_path)
    app = make_app(None, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        table = screen.query_one("#visits", DataTable)
        assert table.row_count == 1
        row = [str(cell) for cell in table.get_row_at(0)]
        # the file first, the evidence a kind a line (issue 22: Changed and File were cut)
        assert row[0] == target.name and row[1] == "HMP Hull"
        assert row[2] == "2022-03-14\n2022-03-16"
        assert "42 sampled" in row[4]
        await pilot.press("f3")  # nothing to count on without a visit: F3 does nothing
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        await settle(pilot)
        # nobody said who they are on this file: the app asks, then opens the overview
        assert isinstance(app.screen, WhoAmIScreen)
        await pilot.press("down", "down", "enter")  # Jade Richards, third in the team
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.visit_path == target and app.user == "Jade Richards"
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert str(table.get_row_at(0)[0]) == f"▶ {target.name}"  # the open visit is marked
    with VisitFile.open(target, readonly=True) as visit:
        from irp_field.api import identity

        assert identity.who_am_i(visit) == "Jade Richards"


async def test_a_new_visit_is_created_in_the_data_folder_and_opened(hull_path: Path) -> None:
    app = make_app(hull_path, user="Jade Richards", now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewVisitScreen)
        await pilot.press(*"HMP Leeds", "enter", *"2026-12-01", "enter", *"2026-11-30", "enter")
        await pilot.pause()
        assert "before the first" in str(app.screen.query_one("#reason-end").render())
        app.screen.query_one("#end", Input).value = "2026-12-03"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.visit_path.name == "hmp-leeds-2026-12-01.db"  # as the copies are named
        # the Hull file is closed and Leeds is the one written to now
        assert app.visit.path.parent == paths.visits_folder()
    with VisitFile.open(paths.visits_folder() / "hmp-leeds-2026-12-01.db", readonly=True) as v:
        row = v.one("SELECT establishment, start_date, end_date FROM visit")
        assert row is not None
        assert tuple(row) == ("HMP Leeds", "2026-12-01", "2026-12-03")


def test_irp_field_open_without_a_visit_starts_on_home(monkeypatch: object) -> None:
    from click.testing import CliRunner

    from irp_field.cli import visit_commands

    started: list[Path | None] = []
    monkeypatch.setattr(visit_commands, "_run_app", lambda path, user=None: started.append(path))  # type: ignore[attr-defined]
    result = CliRunner().invoke(visit_commands.open_command, [])
    assert result.exit_code == 0, result.output
    assert started == [None]


async def test_the_evidence_shows_whole_beside_a_copys_long_name_at_80x24(
    hull_path: Path,
) -> None:
    """A handed-out copy in the data folder ("hmp-hull-2022-steve-oliver-watts.db"): at
    80 columns the Evidence column ran past the edge ("42 sampl"). The table fits now,
    the long name cut with "…"."""
    target = _put_hull_in_the_data_folder(hull_path)
    target.rename(target.with_name("hmp-hull-2022-steve-oliver-watts.db"))
    app = make_app(None, now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        table = app.screen.query_one("#visits", DataTable)
        assert table.row_count == 1
        assert table.virtual_size.width <= table.scrollable_content_region.width
        shown = "\n".join(table.render_line(y).text for y in range(6))
        assert "Evidence" in shown and "42 sampled" in shown and "74 periods" in shown
        assert "hmp-hull-2022-steve-oliv…" in shown  # whose copy it is still shows


async def test_the_guide_says_how_many_lines_home_gives_a_visit(hull_path: Path) -> None:
    """The guide said Home shows each visit on two lines; the screen gives it four (its
    evidence a kind a line). The guide says what the screen shows."""
    _put_hull_in_the_data_folder(hull_path)
    app = make_app(None, now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#visits", DataTable)
        (row,) = table.rows.values()
        cells = [str(cell) for cell in table.get_row_at(0)]
        assert row.height == max(cell.count("\n") + 1 for cell in cells) == 4
    words = {2: "two", 3: "three", 4: "four", 5: "five"}
    guide = (Path(__file__).resolve().parent.parent / "docs" / "guide.md").read_text("utf-8")
    home = guide[guide.index("## Home") :]
    home = home[: home.index("\n## ")]
    assert f"on {words[row.height]} lines" in " ".join(home.split()), home
