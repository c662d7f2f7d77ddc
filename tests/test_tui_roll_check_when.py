"""F3 after When is changed: Enter on When goes on to the roll, digits typed on the
location list go to the roll, and a saved check the form switched to is replaced only
when asked."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select
from tui_helpers import EVENING, hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.tui.screens.roll_check import RollCheckScreen


def _checks(path: Path) -> list[dict[str, object]]:
    with VisitFile.open(path, readonly=True) as visit:
        rows = visit.query(
            "SELECT r.*, l.name AS location, o.name AS round FROM roll_check r "
            "JOIN location l ON l.id = r.location_id JOIN roll_round o ON o.id = r.round_id "
            "WHERE r.deleted = 0 ORDER BY r.created_at, r.id"
        )
        return [dict(row) for row in rows]


async def _open_roll_check(pilot) -> RollCheckScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RollCheckScreen)
    return screen


async def _type(pilot, *values: str) -> None:  # type: ignore[no-untyped-def]
    for value in values:
        await pilot.press(*value, "enter")


COUNTS = ("roll", "locked_up", "off_wing_activity", "wing_work", "unlocked_on_wing", "elsewhere")


def _form(screen: RollCheckScreen) -> tuple[str, ...]:
    return tuple(screen.query_one(f"#{name}", Input).value for name in COUNTS)


async def _save_a_wing(pilot) -> RollCheckScreen:  # type: ignore[no-untyped-def]
    """F3 on Wednesday evening (a new round offered), A wing counted and saved: the
    form offers B wing next."""
    screen = await _open_roll_check(pilot)
    await _type(pilot, "118", "50", "30", "20", "18")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert "Type the roll for B wing" in str(screen.query_one("#live").render())
    return screen


async def test_enter_on_when_goes_to_the_roll_and_the_sheet_lands_in_its_fields(
    hull_path: Path,
) -> None:
    """The walk: after A wing, When changed (shift+tab shift+tab 10:05 Enter) and B wing's
    sheet typed: Enter on When left the cursor on the location list, "139" went into the
    list's search and was lost, and every count landed a field too high ("Roll 70")."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _save_a_wing(pilot)
        b_wing = screen.query_one("#location", Select).value
        await pilot.press("shift+tab", "shift+tab", *"10:05", "enter")
        assert screen.focused is screen.query_one("#roll", Input)
        await _type(pilot, "139", "70", "40", "15", "10", "4")
        await settle(pilot)
        assert screen.query_one("#location", Select).value == b_wing  # as chosen
        assert screen.editing is None
        assert _form(screen) == ("139", "70", "40", "15", "10", "4")
        await pilot.press("ctrl+s")
        await settle(pilot)
    b = [c for c in _checks(hull_path) if c["location"] == "B wing" and c["round"] == "Wed eve"]
    assert [(c["roll"], c["locked_up"], c["taken_at"]) for c in b] == [
        (139, 70, "2022-03-16T10:05")
    ]


async def test_digits_on_the_location_list_go_to_the_roll_closed_or_open(
    hull_path: Path,
) -> None:
    """Digits typed while the location list has the cursor go into the roll, whole, and
    choose no location: the open list searched its labels, and "1" found
    "A wing · counted 18:30"."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _save_a_wing(pilot)
        places = screen.query_one("#location", Select)
        b_wing = places.value
        await pilot.press("shift+tab", *"139")  # the list, closed
        assert screen.focused is screen.query_one("#roll", Input)
        assert (places.value, places.expanded) == (b_wing, False)
        assert screen.query_one("#roll", Input).value == "139"
        await pilot.press("shift+tab", "space", *"14")  # the list, open
        await pilot.pause()
        assert screen.focused is screen.query_one("#roll", Input)
        assert (places.value, places.expanded) == (b_wing, False)
        assert screen.query_one("#roll", Input).value == "14"
        assert screen.editing is None


async def test_a_check_the_form_came_to_by_itself_is_replaced_only_when_asked(
    hull_path: Path,
) -> None:
    """A wing saved, then chosen again from the location list (a letter, Enter): the form
    edits A wing's saved check, says so, and ctrl+s asks before replacing it (on main it
    was replaced with no question: "Saved A wing: 60 of 88 locked up"); n keeps it, y
    replaces it and says so."""
    from irp_field.tui.dialogs.confirm import ConfirmScreen

    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _save_a_wing(pilot)
        await pilot.press("a", "enter")  # a letter on the roll: the list, at A wing
        await settle(pilot)
        assert screen.editing is not None and screen.editing.location == "A wing"
        said = str(screen.query_one("#editing").render())
        assert "Editing A wing's check of 18:30 (by you): ctrl+s asks first" in said
        await _type(pilot, "88", "60", "10", "10", "8")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert question.startswith("Replace your check of A wing at 18:30 (118, 50 locked up)")
        await pilot.press("n")
        await settle(pilot)
        a = [c for c in _checks(hull_path) if c["location"] == "A wing" and c["round"] == "Wed eve"]
        assert [(c["roll"], c["locked_up"]) for c in a] == [(118, 50)]
        assert _form(screen)[:2] == ("88", "60")  # what was typed stays
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    a = [c for c in _checks(hull_path) if c["location"] == "A wing" and c["round"] == "Wed eve"]
    assert [(c["roll"], c["locked_up"]) for c in a] == [(88, 60)]


async def test_a_check_chosen_from_the_round_s_table_is_corrected_without_a_question(
    hull_path: Path,
) -> None:
    """Enter on a row of the round's table chooses that check to correct: the user's own
    is saved over at once (the question is for a check the form came to by itself)."""
    from irp_field.tui.dialogs.confirm import ConfirmScreen

    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _save_a_wing(pilot)
        screen.set_focus(screen.query_one("#round-table"))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert screen.editing is not None and screen.editing.location == "A wing"
        said = str(screen.query_one("#editing").render())
        assert "Editing A wing's check of 18:30 (by you): ctrl+s saves the change" in said
        await _type(pilot, "120", "52")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
    a = [c for c in _checks(hull_path) if c["location"] == "A wing" and c["round"] == "Wed eve"]
    assert [(c["roll"], c["locked_up"]) for c in a] == [(120, 52)]
