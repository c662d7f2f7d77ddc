"""Typing from paper at the speed of paper (issue 22): the traps met typing a visit in
from paper sheets, each through the keys an inspector presses.

Roll checks: a time typed alone (``19:09``, ``1909``, ``19.09``) is on the round's day;
a refused time stops being said once it is put right; every new check starts at the
round's time, never at the time typed for the one before; the next location is the next
on the inspector's route; a letter on the location opens its list there. Rounds: a new
round's suggested name follows the time typed. Time out of cell: another subject starts
with their own group (or none) and no start; ``0900``, the day as ``15``, an activity
by its first letters."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select
from tui_helpers import EVENING, hull_app, settle

from irp_field.core.visit_file import VisitFile


def _rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with VisitFile.open(path, readonly=True) as visit:
        return [tuple(row) for row in visit.query(sql, params)]


def _checks_in(path: Path, round_name: str) -> list[tuple[object, ...]]:
    """(location, taken_at, roll) of the round's checks, in the order they were typed."""
    return _rows(
        path,
        "SELECT l.name, r.taken_at, r.roll FROM roll_check r JOIN location l ON "
        "l.id = r.location_id JOIN roll_round o ON o.id = r.round_id WHERE r.deleted = 0 "
        "AND o.name = ? ORDER BY r.created_at, r.version",
        (round_name,),
    )


async def _roll_check_screen(pilot: Pilot[None]) -> object:
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    return pilot.app.screen


async def _start_round(pilot: Pilot[None], name: str, day: str, time: str) -> None:
    await pilot.press("ctrl+n")
    await settle(pilot)
    await pilot.press(*name, "enter", *day, "enter", *time, "enter")
    await settle(pilot)


async def _counts(pilot: Pilot[None], roll: str) -> None:
    """The roll, all of it locked up, and ctrl+s."""
    await pilot.press(*roll, "enter", *roll, "ctrl+s")
    await settle(pilot)


def _offered(screen: object) -> str:
    value = screen.query_one("#location", Select).value  # type: ignore[attr-defined]
    places = screen.state.places  # type: ignore[attr-defined]
    return str(next(place.name for place in places if place.id == value))


# -- roll checks: When --------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["19:09", "1909", "19.09"])
async def test_a_time_typed_alone_is_taken_on_the_round_s_day(hull_path: Path, typed: str) -> None:
    """It was refused ("not a date and time (write YYYY-MM-DDTHH:MM)"): every check cost
    16 characters of date and time. Typed alone, it is on the round's day (Tuesday here,
    typed up on Wednesday evening), and shown whole once Enter takes it."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        await _start_round(pilot, "Tue eve", "2022-03-15", "19:00")
        await pilot.press("shift+tab", "shift+tab", *typed, "enter")
        await settle(pilot)
        when = screen.query_one("#taken_at", Input)  # type: ignore[attr-defined]
        assert when.value == "2022-03-15 19:09"
        # on to the roll, as the live line says (it went to the location: one Enter more)
        assert screen.focused is screen.query_one("#roll")  # type: ignore[attr-defined]
        await _counts(pilot, "90")
    assert _checks_in(hull_path, "Tue eve") == [("A wing", "2022-03-15T19:09", 90)]


async def test_a_refused_time_is_said_until_it_is_put_right(hull_path: Path) -> None:
    """The refusal stayed on the live line after the time was put right."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        live = screen.query_one("#live")  # type: ignore[attr-defined]
        await pilot.press("shift+tab", "shift+tab", *"25:00", "enter")
        await settle(pilot)
        assert "Refused" in str(live.render()) and "25:00" in str(live.render())
        assert screen.focused is screen.query_one("#taken_at")  # type: ignore[attr-defined]
        await pilot.press(*["backspace"] * 5, *"2022-03-16 18:45")
        await settle(pilot)
        assert "Refused" not in str(live.render())
        assert "Type the roll for A wing" in str(live.render())


async def test_every_new_check_starts_at_the_round_s_time_not_the_one_typed_before(
    hull_path: Path,
) -> None:
    """A round of this morning typed up in the evening: a check typed at 07:52 left
    07:52 in When, and the next check, Entered through, was saved at 07:52 without a
    word. Each new check starts at the round's time."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        await _start_round(pilot, "Wed early", "2022-03-16", "07:45")
        when = screen.query_one("#taken_at", Input)  # type: ignore[attr-defined]
        assert when.value == "2022-03-16 07:45"
        await pilot.press("shift+tab", "shift+tab", *"2022-03-16 07:52", "enter")
        await _counts(pilot, "90")
        assert when.value == "2022-03-16 07:45"
        await _counts(pilot, "80")
    assert _checks_in(hull_path, "Wed early") == [
        ("A wing", "2022-03-16T07:52", 90),
        ("B wing", "2022-03-16T07:45", 80),
    ]


# -- roll checks: the route -----------------------------------------------------------


async def test_the_next_location_is_the_next_on_the_inspector_s_route(hull_path: Path) -> None:
    """Paul Rowlands counted F wing to the health care unit on Monday morning, then A to
    E wing in the afternoon: his route. A new round offers F wing first (the list's order
    offered A wing), after H wing the I wing (not the health care unit, next in the
    list), after the segregation unit the health care unit, then A wing."""
    app = hull_app(hull_path, user="Paul Rowlands", now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        offered = [_offered(screen)]
        for _ in range(6):  # F, G, H, I wing, the segregation and health care units
            await _counts(pilot, "50")
            offered.append(_offered(screen))
    assert offered == [
        "F wing", "G wing", "H wing", "I wing", "Segregation unit", "Health care unit", "A wing",
    ]  # fmt: skip


async def test_a_letter_on_the_location_opens_its_list_there_and_choosing_goes_to_the_roll(
    hull_path: Path,
) -> None:
    """ctrl+l, s, Enter: the segregation unit, and the cursor in the roll (a letter did
    nothing on the closed list, and Enter only moved on)."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        await pilot.press("ctrl+l", "s", "enter")
        await settle(pilot)
        assert _offered(screen) == "Segregation unit"
        assert screen.focused is screen.query_one("#roll")  # type: ignore[attr-defined]
        await pilot.press("ctrl+l", "h", "e", "enter")
        await settle(pilot)
        assert _offered(screen) == "Health care unit"
        await _counts(pilot, "12")
    assert _checks_in(hull_path, "Wed eve") == [("Health care unit", "2022-03-16T18:30", 12)]


async def test_every_letter_of_a_location_opens_its_list_at_that_location(
    hull_path: Path,
) -> None:
    """A walk found "c" opened the list at its empty choice ("choose": the list's own
    search found the c there first), and the save said "choose the location"; each
    location's first letter, typed in the roll, opens the list at that location."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        for letter, name in (("c", "C wing"), ("d", "D wing"), ("e", "E wing")):
            await pilot.press(letter, "enter")
            await settle(pilot)
            assert _offered(screen) == name, letter
            assert screen.focused is screen.query_one("#roll")  # type: ignore[attr-defined]


async def test_a_new_round_is_named_for_the_time_typed_until_its_name_is_typed(
    hull_path: Path,
) -> None:
    """Typed up on Wednesday evening, a round of 07:45 was suggested "Wed eve" (from the
    clock), and 0745 was refused; its name now follows the time, unless typed over."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("enter", "enter", *"0745", "enter")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press(*"Early", "enter", "enter", *"0630", "enter")
        await settle(pilot)
        assert screen.state.round().name == "Early"  # type: ignore[attr-defined]
    rounds = _rows(hull_path, "SELECT name, on_date, at_time FROM roll_round WHERE deleted = 0")
    assert ("Wed AM 2", "2022-03-16", "07:45") in rounds  # Hull has its Wed AM
    assert ("Early", "2022-03-16", "06:30") in rounds


# -- time out of cell -----------------------------------------------------------------


async def test_another_subject_starts_with_their_own_group_or_none_and_no_start(
    hull_path: Path,
) -> None:
    """After C01's period (group Wing work), typing a new subject kept "Wing work" and
    C01's last end as its start: Enter would have filed them in C01's group."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = pilot.app.screen
        field = {name: screen.query_one(f"#{name}", Input) for name in ("group", "start")}
        await pilot.press(*"C01", "enter", *["backspace"] * 10, *"2022-03-14", "enter")
        await settle(pilot)
        assert field["group"].value == "Wing work"
        await pilot.press("enter", *"16:30", "enter", *"17:30", "enter", *"gym", "enter")
        await settle(pilot)
        assert field["start"].value == "17:30"  # C01's next period starts where it ended
        await pilot.press("f6", *"Z98", "enter")
        await settle(pilot)
        assert (field["group"].value, field["start"].value) == ("", "")
        await pilot.press("f6", *"U01", "enter")
        await settle(pilot)
        assert (field["group"].value, field["start"].value) == ("Unemployed", "")


async def test_times_as_paper_has_them_the_day_short_and_an_activity_by_its_letters(
    hull_path: Path,
) -> None:
    """0900 was refused (9:30 was taken), the day had to be written whole, and an
    activity had to be typed whole or in lower case."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = pilot.app.screen
        await pilot.press(*"Z97", "enter", *"15", "enter")
        await settle(pilot)
        assert screen.query_one("#on_date", Input).value == "2022-03-15"
        await pilot.press(*"Unemployed", "enter", *"0900", "enter", *"1030", "enter", "G")
        await pilot.press("enter")
        await settle(pilot)
        # the cursor waits in End after a save (the start filled in with 10:30): this
        # period starts later, so shift+tab goes back to its start
        await pilot.press("shift+tab", *"1100", "enter", *"11.45", "enter", *"op", "ctrl+s")
        await settle(pilot)
    periods = _rows(
        hull_path,
        "SELECT on_date, start_time, end_time, activity FROM toc_period WHERE deleted = 0 "
        "AND subject = 'Z97' ORDER BY start_time",
    )
    assert periods == [
        ("2022-03-15", "09:00", "10:30", "gym"),
        ("2022-03-15", "11:00", "11:45", "open_air"),
    ]


async def test_the_palette_lists_no_key_that_does_nothing_here(hull_path: Path) -> None:
    """F1 and ctrl+p listed F3's "Add locations (set-up)" (ctrl+t), which does nothing
    once the visit has locations; a walk pressed it and met nothing. The palette lists
    what the keys do here; the key line and the bindings are as they were."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Add locations (set-up)" not in titles
        assert "Save check" in titles or any("Save" in title for title in titles), titles
