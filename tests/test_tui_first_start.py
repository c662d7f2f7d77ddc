"""A visit set up on site: who am I on a visit with no team yet, and the set-up's Body
chosen, never filled in for you (issue 22's traps)."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label, OptionList
from tui_helpers import burst, hull_app, settle

from irp_field.api import identity
from irp_field.core.visit_file import VisitFile
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.dialogs.who_am_i import ADD_ME, WhoAmIScreen
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
        await pilot.press("home", "enter")  # "+ Not on the list" is first
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


def _shown(app: object) -> str:
    """The screen's text as drawn (what the eye sees, no scrolling)."""
    from textual.app import App

    assert isinstance(app, App)
    return app.export_screenshot().replace("&#160;", " ")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_not_on_the_list_is_shown_without_scrolling(
    hull_path: Path, size: tuple[int, int]
) -> None:
    """Walking at 80x24: with Hull's team of ten, "+ Not on the list" was below the
    box's fold (the list scrolled on to it), and a new inspector never saw the way to
    add themselves. It is first now; the cursor still starts on a name."""
    app = hull_app(hull_path, user="")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WhoAmIScreen)
        assert ADD_ME in _shown(app)
        options = screen.query_one(OptionList)
        assert options.highlighted == 1  # the first name: Enter is "that is me"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        with VisitFile.open(hull_path, readonly=True) as visit:
            assert app.user == identity.who_am_i(visit) == screen.members[0]


async def _typed_in_who_am_i(pilot, name: str) -> WhoAmIScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, WhoAmIScreen)
    await pilot.press("home", "enter", *name, "ctrl+s")
    await settle(pilot)
    return screen


async def test_a_slip_of_a_members_name_typed_into_who_am_i_offers_the_member(
    hull_path: Path,
) -> None:
    """`--by "Jade Richard"` is refused as a slip of Jade Richards's name; typed into
    who-am-I's "Not on the list" it was added to the team as a second, misspelt Jade,
    whose records were a stranger's. The same rule asks now: y is Jade Richards."""
    app = hull_app(hull_path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await _typed_in_who_am_i(pilot, "Jade Richard")
        asked = app.screen
        assert isinstance(asked, ConfirmScreen)
        assert "'Jade Richard' is not on the team; did you mean 'Jade Richards'?" in asked.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.user == "Jade Richards"
    assert "Jade Richard" not in _bodies(hull_path)


async def test_a_name_near_a_members_is_added_once_said_not_to_be_a_slip(
    hull_path: Path,
) -> None:
    """Someone new whose name is near a member's: n goes back to the form, which says
    that ctrl+s adds the name as typed."""
    app = hull_app(hull_path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _typed_in_who_am_i(pilot, "Jade Richard")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        assert "ctrl+s adds 'Jade Richard'" in str(screen.query_one("#who-reason", Label).render())
        screen.query_one("#who-role", Input).value = "Inspector"
        screen.query_one("#who-body", Input).value = "HMIP"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.user == "Jade Richard"
    assert _bodies(hull_path)["Jade Richard"] == "HMIP"


async def test_not_now_on_a_visit_with_no_team_says_the_login_carries_the_records(
    empty_visit: VisitFile,
) -> None:
    """A visit set up on site has no team yet and takes records from anyone: there "not
    now" means the records carry the login's name, and the dialog says so (where the
    login is not on a team, it says nothing will be recorded: the test above)."""
    login = "Test Inspector"  # the login name in tests (IRP_FIELD_USER, conftest)
    app = hull_app(empty_visit.path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WhoAmIScreen)
        keys = str(screen.query_one("#who-keys", Label).render())
        assert f"Not now: what you record carries your login name, {login}." in keys
        assert "is not on the team" not in keys


async def test_not_now_says_whose_name_the_records_carry_before_and_at_the_first_save(
    hull_path: Path,
) -> None:
    """Walking: Escape on who-am-I ("not now"), and the records carried the login name
    ("root") with no word of it. Now the dialog says what not now means, Escape warns,
    the overview's title says the name is the login's, and the first save warns again
    (once), each naming ctrl+u. Since who records an answer is held to the team
    (``domain.recorders``), F5 refuses the login's answer, saying so; the first save
    taken, a judgement on F8 (a leader's), warns."""
    from textual.widgets import Static

    login = "Test Inspector"  # the login name in tests (IRP_FIELD_USER, conftest)
    app = hull_app(hull_path, user="")

    def said() -> list[str]:
        return [str(notification.message) for notification in app._notifications]

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WhoAmIScreen)
        keys = str(screen.query_one("#who-keys", Label).render())
        # the login is not on Hull's team: the dialog says so (it promised "what you
        # record carries your login name", and every save was then refused)
        assert (
            f"Not now: your login, {login}, is not on the team: you can read, not record." in keys
        )
        await pilot.press("escape")
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, DashboardScreen)
        assert (
            f"Nobody chosen (ctrl+u): login {login} is not on the team; F3-F7 will not save"
            in said()
        )
        title = str(overview.query_one("#visit-title", Static).render())
        assert title.endswith(f"you are {login}: your login (ctrl+u)")
        app.clear_notifications()
        await pilot.press("f5")
        await settle(pilot)
        await _change_an_answer(pilot, refused=True)
        assert f"Not saved: Recorded by {login}, your login: not on the team" in said()[-1]
        assert not [m for m in said() if m.startswith("Saved as")]
        await pilot.press("f8")
        await settle(pilot)
        units = app.screen.query_one("#units", DataTable)
        units.focus()
        for level in ("4", "3"):  # two judgements saved: one warning
            await pilot.press(level)
            await settle(pilot)
        warned = [m for m in said() if m.startswith(f"Saved as {login}, your login name")]
        assert len(warned) == 1 and "ctrl+u" in warned[0]
        await pilot.press("f2", "ctrl+u")
        await settle(pilot)
        assert isinstance(app.screen, WhoAmIScreen)
        await pilot.press("enter")  # the first name
        await settle(pilot)
        title = str(overview.query_one("#visit-title", Static).render())
        assert title.endswith(f"you are {app.user}") and app.user != login
    with VisitFile.open(hull_path, readonly=True) as visit:
        rows = visit.query(
            "SELECT DISTINCT changed_by FROM change_log WHERE changed_by = ?", (login,)
        )
        assert rows  # the judgements carry the login name: what the warnings said


async def test_no_warning_when_who_you_are_is_known(hull_path: Path) -> None:
    """A name given (--by, a hand-out copy, who-am-I answered before): no warning."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await _change_an_answer(pilot)
        assert app.recent_messages == deque()  # no word of a login name, nor anything
        assert not any("login name" in str(n.message) for n in app._notifications)


async def _change_an_answer(pilot, refused: bool = False) -> None:  # type: ignore[no-untyped-def]
    """The first record's first answer on F5 changed (y to n, else y): a save (or, when
    ``refused``, one the rules turn away: the answer stays)."""
    from irp_field.tui.screens.sampling import SamplingScreen

    screen = pilot.app.screen
    assert isinstance(screen, SamplingScreen) and screen.grid is not None
    table = screen.query_one("#grid", DataTable)
    table.focus()
    table.move_cursor(row=0, column=2, animate=False)
    await pilot.pause()
    record, criterion = screen.grid.records[0], screen.grid.criteria[0]
    old = screen.grid.cells[(record, criterion.id)].answer
    await pilot.press("n" if old == "yes" else "y")
    await settle(pilot)
    assert (screen.grid.cells[(record, criterion.id)].answer == old) is refused
