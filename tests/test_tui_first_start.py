"""A visit set up on site: who am I on a visit with no team yet, and the set-up's Body
chosen, never filled in for you (issue 22's traps)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Label, OptionList
from tui_helpers import burst, hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.tui.dialogs.who_am_i import WhoAmIScreen
from irp_field.tui.screens.dashboard import DashboardScreen
from irp_field.tui.screens.setup import SetupScreen


def _bodies(path: Path) -> dict[str, str]:
    with VisitFile.open(path, readonly=True) as visit:
        return {r["name"]: r["body"] for r in visit.query("SELECT name, body FROM team_member")}


async def test_enter_on_a_new_visit_never_puts_the_name_into_role(empty_visit: VisitFile) -> None:
    """The cursor sat in Name while "+ Not on the list" looked chosen; Enter, pressed to
    choose it as the guide said, moved on to Role and the name was typed there. Now
    nothing looks chosen but Name, and Enter on an empty Name stays on it."""
    path = empty_visit.path
    empty_visit.close()
    app = hull_app(path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WhoAmIScreen)
        assert not screen.query_one(OptionList).display  # no list to look chosen
        assert screen.query_one("#who-name", Input).has_focus
        await pilot.press("enter", *"Sam Okafor", "enter", *"Inspector", "enter")
        assert screen.query_one("#who-name", Input).value == "Sam Okafor"
        assert screen.query_one("#who-role", Input).value == "Inspector"
        assert screen.query_one("#who-body", Input).has_focus


async def test_not_on_the_list_shows_the_form_in_the_lists_place(hull_path: Path) -> None:
    """With a team, choosing "+ Not on the list" hides the names (nothing highlighted is
    left beside the cursor); Escape goes back to them."""
    app = hull_app(hull_path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WhoAmIScreen)
        await pilot.press("end", "enter")
        assert not screen.query_one(OptionList).display
        assert screen.query_one("#who-name", Input).has_focus
        assert "Escape: back to the list" in str(screen.query_one("#who-keys", Label).render())
        await pilot.press("escape")
        assert screen.query_one(OptionList).display and screen.query_one(OptionList).has_focus
        assert isinstance(app.screen, WhoAmIScreen)


async def test_who_am_i_has_no_body_filled_in_and_completes_one(empty_visit: VisitFile) -> None:
    """Body was "HMIP" before anything was typed (an Ofsted inspector saved as HMIP): it
    starts empty, a blank one is refused with the choices, and "o" is Ofsted."""
    path = empty_visit.path
    empty_visit.close()
    app = hull_app(path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WhoAmIScreen)
        assert screen.query_one("#who-body", Input).value == ""
        await pilot.press(*"Sam Okafor", "enter", *"Inspector", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WhoAmIScreen)  # not added
        reason = str(screen.query_one("#who-reason", Label).render())
        assert "Body: choose one of: HMIP, Ofsted, CQC" in reason
        assert screen.query_one("#who-body", Input).has_focus
        await pilot.press("o", "enter")  # Enter at once: before the offer is drawn
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert _bodies(path) == {"Sam Okafor": "Ofsted"}


async def test_setup_body_is_chosen_never_filled_in(hull_path: Path) -> None:
    """The set-up's team and plan forms started with Body "HMIP": saved without a look,
    an Ofsted inspector became HMIP. Now a blank body is refused beside the field, and
    its first letter, even with Enter straight after it, is the body offered."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        assert screen.query_one("#team-body", Input).value == ""
        assert screen.query_one("#plan-body", Input).value == ""
        screen.query_one("#team-name", Input).focus()
        await pilot.press(*"Ola Adeyemi", "enter", *"Inspector", "ctrl+s")
        await settle(pilot)
        assert "Ola Adeyemi" not in _bodies(hull_path)
        assert "choose one of: HMIP, Ofsted" in str(
            screen.query_one("#reason-team-body", Label).render()
        )
        screen.query_one("#team-body", Input).focus()
        await pilot.press("o", "enter")
        await settle(pilot)
    assert _bodies(hull_path)["Ola Adeyemi"] == "Ofsted"


async def test_the_plan_table_shows_kind_and_body(hull_path: Path) -> None:
    """The plan table hid Kind and Body, so a wrong body could not be seen there."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        table = screen.query_one("#plan-table", DataTable)
        headings = [str(column.label) for column in table.columns.values()]
        assert headings[:5] == ["Ref", "Area", "Group", "Kind", "Body"]
        assert [str(c) for c in table.get_row_at(0)][3:5] == ["recommendation", "HMIP"]


async def test_a_fast_typist_fills_who_am_i_in_one_go(empty_visit: VisitFile) -> None:
    """Keys sent all at once (a fast typist, a paste): Enter was read before the name had
    landed in Name, which then looked empty."""
    path = empty_visit.path
    empty_visit.close()
    app = hull_app(path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WhoAmIScreen)
        await burst(pilot, *"Sam Okafor", "enter", *"Inspector", "enter", "o", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert _bodies(path) == {"Sam Okafor": "Ofsted"}


async def test_a_fast_typist_fills_the_setup_in_one_go(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        app.screen.query_one("#team-name", Input).focus()
        await burst(pilot, *"Ola Adeyemi", "enter", *"Inspector", "enter", "o", "f", "enter")
        await settle(pilot)
    assert _bodies(hull_path)["Ola Adeyemi"] == "Ofsted"
