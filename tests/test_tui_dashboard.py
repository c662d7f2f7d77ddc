"""The app factory and the visit overview that `irp-field demo` opens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label, Static
from tui_helpers import EVENING, hull_app, settle

from irp_field.api import identity
from irp_field.core.visit_file import VisitFile
from irp_field.tui.dialogs.help import HelpScreen
from irp_field.tui.dialogs.who_am_i import WhoAmIScreen
from irp_field.tui.screens.dashboard import DashboardScreen
from irp_field.tui.widgets.key_figures import KeyFigures


async def test_dashboard_lists_plan_items_by_area_with_judgements(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        table = app.screen.query_one("#plan", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        refs = [row[0] or row[2] for row in rows]
        assert refs.index("Leadership") < refs.index("1.33") < refs.index("Safety")
        assert rows[refs.index("1.33")][:2] == ["1.33", "Reasonable"]
        assert rows[refs.index("1.34a")][1] == "Good"
        assert "Theme 1" in refs
        figures = str(app.screen.query_one(KeyFigures).render())
        assert "Locked up 40%" in figures
        assert "Sara Pennington" in str(app.screen.query_one("#tallies", Static).render())


async def test_the_overview_shows_a_ref_as_it_was_typed(hull_path: Path) -> None:
    """A cell of the plan is shown as typed, never read as markup: "2.1[b]" was shown as
    a bold "2.1" (and ":smile:" as an emoji)."""
    from irp_field.api.setup import add_plan_item

    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        add_plan_item(visit, "2.1[b]", text="Staff :smile: more.", area="Safety")
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        shown = [strip.text for strip in app.screen._compositor.render_strips()]
        assert any(line.lstrip().startswith("2.1[b] ") for line in shown)


async def test_dashboard_sees_writes_from_another_window(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        with VisitFile.open(hull_path, user="Paul Rowlands") as other, other.transaction():
            other.insert(
                "note",
                {
                    "source": "staff",
                    "taken_at": "2022-03-16T13:00",
                    "author": "Paul Rowlands",
                    "text": "Spoke to the wing manager.",
                },
            )
        await pilot.press("ctrl+r")
        await settle(pilot)
        tallies = str(app.screen.query_one("#tallies", Static).render())
        assert "Paul Rowlands" in tallies


async def test_who_am_i_is_asked_once_and_kept_in_the_file(hull_path: Path) -> None:
    app = hull_app(hull_path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WhoAmIScreen)
        second = app.screen.members[1]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.user == second
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert identity.who_am_i(visit) == second
    again = hull_app(hull_path, user="")
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, DashboardScreen)
        assert again.user == second


async def test_help_lists_the_bindings_of_the_screen_and_the_app(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        described = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {"Refresh", "Roll check", "Notes", "Help"} <= described
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


def test_domain_and_store_never_import_textual() -> None:
    code = (
        "import sys, irp_field.figures, irp_field.api.views.overview, irp_field.evidence.roll_checks, "
        "irp_field.evidence.drafts, irp_field.api.identity; "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_open_screens_refresh_when_another_program_writes(hull_path: Path) -> None:
    """Issue 13: the overview showed the old figures after another process merged into
    the file, until ctrl+r. Now every open screen reads the file again within a second of
    another program's commit (PRAGMA data_version), and what is being typed stays."""
    from textual.widgets import Input

    from irp_field.api import evidence

    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"98")  # being typed when the file changes
        with VisitFile.open(hull_path, user="Paul Rowlands") as other:
            evidence.record_roll_check(
                other, location_id="A wing", counts=evidence.RollCounts(100, 40, 20, 10, 25, 5),
                taken_at="2022-03-16T18:31", round_label="Wed eve",
            )  # fmt: skip
        await pilot.pause(1.2)
        await settle(pilot)
        assert "1 of 11 locations counted" in str(screen.query_one("#progress").render())
        assert screen.query_one("#roll", Input).value == "98"
        await pilot.press("f2")
        await settle(pilot)
        with VisitFile.open(hull_path, user="Paul Rowlands") as other, other.transaction():
            other.insert(
                "note", {"source": "staff", "taken_at": "2022-03-16T13:00", "author": "Paul Rowlands",
                         "text": "Spoke to the wing manager."},
            )  # fmt: skip
        await pilot.pause(1.2)
        await settle(pilot)
        assert "Paul Rowlands 29/12/0" in str(app.screen.query_one("#tallies", Static).render())


async def test_ctrl_q_quits_from_the_who_am_i_question(hull_path: Path) -> None:
    app = hull_app(hull_path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WhoAmIScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code is not None or not app.is_running


async def test_who_you_are_belongs_to_the_laptop_not_the_file(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file copied to another laptop asks again (its inspector is not carried in the
    file), and the member matching the computer's login is proposed."""
    app = hull_app(hull_path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # Sara Pennington
        await settle(pilot)
    # Another laptop: another installation folder, and a login matching Jade Richards.
    monkeypatch.setenv("IRP_FIELD_HOME", str(tmp_path / "other-laptop"))
    monkeypatch.delenv("IRP_FIELD_USER")
    monkeypatch.setattr("getpass.getuser", lambda: "jrichards")
    again = hull_app(hull_path, user="")
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, WhoAmIScreen)
        assert again.screen.proposed == "Jade Richards"
        await pilot.press("enter")
        await settle(pilot)
        assert again.user == "Jade Richards"


async def test_who_am_i_on_a_visit_with_no_team_says_what_enter_does(
    empty_visit: VisitFile,
) -> None:
    """The form said "Enter: that is me" while Enter moved on to Role, then Body: three
    Enters to be added. The line says what Enter does there; ctrl+s adds you at once."""
    path = empty_visit.path
    empty_visit.close()
    app = hull_app(path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WhoAmIScreen)
        keys = str(screen.query_one("#who-keys", Label).render())
        assert "that is me" not in keys and "Enter: next field" in keys
        await pilot.press(*"Sam Okafor", "enter")
        assert screen.query_one("#who-role", Input).has_focus  # on, as the line says
        # the body is chosen, never filled in for you (issue 22): "h" offers HMIP
        await pilot.press(*"Inspector", "enter", "h", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.user == "Sam Okafor"
    with VisitFile.open(path, readonly=True) as visit:
        assert identity.who_am_i(visit) == "Sam Okafor"
        assert visit.one("SELECT role FROM team_member WHERE name = 'Sam Okafor'")[0] == "Inspector"


async def test_who_am_i_from_the_team_says_enter_takes_the_name(hull_path: Path) -> None:
    app = hull_app(hull_path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WhoAmIScreen)
        keys = str(app.screen.query_one("#who-keys", Label).render())
        assert keys.startswith("Enter: that is me")
        await pilot.press("enter")  # the highlighted name, at once
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
