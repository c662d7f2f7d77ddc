"""The traps a walk of issue 22 met typing a visit in from paper at 80x24, each through
the keys an inspector presses.

Roll checks (F3): with every round complete, F3 opened the last round's first check (a
colleague's) to edit, said so only until a count was typed, and ctrl+s put the typed
figures over hers with only "Saved"; after an out-of-order check the locations passed
over went unsaid; the location list did not say which locations the round had counted. Time out of cell (F6): an empty group was refused only at the save;
an unknown activity's refusal was cut at 80x24."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from kept_helpers import kept_entries, lock, release, showing, until
from textual.pilot import Pilot
from textual.widgets import Input, Label, Select, Static
from tui_helpers import EVENING, FIXED_NOW, hull_app, settle

from irp_field.core.visit_file import VisitFile

AFTER_THE_VISIT = dt.datetime(2022, 3, 21, 15, 0)  # Monday after: typing up from paper


def _rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with VisitFile.open(path, readonly=True) as visit:
        return [tuple(row) for row in visit.query(sql, params)]


def _a_wing_in_wed_pm(path: Path) -> list[tuple[object, ...]]:
    """(roll, locked up, inspector) of A wing's live checks in round Wed PM."""
    return _rows(
        path,
        "SELECT r.roll, r.locked_up, r.inspector FROM roll_check r JOIN location l ON "
        "l.id = r.location_id JOIN roll_round o ON o.id = r.round_id WHERE r.deleted = 0 "
        "AND o.name = 'Wed PM' AND l.name = 'A wing'",
    )


def _round_id(path: Path, name: str) -> str:
    [(found,)] = _rows(path, "SELECT id FROM roll_round WHERE deleted = 0 AND name = ?", (name,))
    return str(found)


async def _roll_check_screen(pilot: Pilot[None]) -> object:
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    return pilot.app.screen


def _said(screen: object, widget: str) -> str:
    return str(screen.query_one(widget).render())  # type: ignore[attr-defined]


def _offered(screen: object) -> str:
    value = screen.query_one("#location", Select).value  # type: ignore[attr-defined]
    places = screen.state.places  # type: ignore[attr-defined]
    return str(next(place.name for place in places if place.id == value))


async def _counts(pilot: Pilot[None], roll: str) -> None:
    """The roll, all of it locked up, and ctrl+s."""
    await pilot.press(*roll, "enter", *roll, "ctrl+s")
    await settle(pilot)


async def _jade_s_a_wing_typed_over(pilot: Pilot[None], path: Path) -> object:
    """As Paul Rowlands: round Wed PM chosen in the list, A wing (Jade Richards's check)
    chosen with ctrl+l, and its roll and locked up typed over: 130, 60 (were 126, 56)."""
    screen = await _roll_check_screen(pilot)
    screen.query_one("#round", Select).value = _round_id(path, "Wed PM")  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("ctrl+l", "a", "enter")
    await settle(pilot)
    assert _offered(screen) == "A wing"
    await pilot.press(*["backspace"] * 3, *"130", "enter", *["backspace"] * 3, *"60")
    await settle(pilot)
    return screen


# -- F3 with every round complete ----------------------------------------------------


@pytest.mark.parametrize(
    "now", [AFTER_THE_VISIT, FIXED_NOW], ids=["after the visit", "during Wed PM's day"]
)
async def test_f3_offers_a_new_round_when_every_round_is_complete(
    hull_path: Path, now: dt.datetime
) -> None:
    """Every round of Hull is complete. F3 opened Wed PM (the round named for the time)
    with A wing's check, Jade Richards's, in the form: a sheet typed on went over it.
    Now F3 offers a new round, and a check typed is a new record in it."""
    before = _a_wing_in_wed_pm(hull_path)
    app = hull_app(hull_path, user="Paul Rowlands", now=now)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        chosen = screen.query_one("#round", Select).value  # type: ignore[attr-defined]
        assert isinstance(chosen, str) and chosen.startswith("new:")
        assert screen.editing is None  # type: ignore[attr-defined]
        assert screen.query_one("#roll", Input).value == ""  # type: ignore[attr-defined]
        assert "(a new round)" in _said(screen, "#progress")
        place = _offered(screen)
        await _counts(pilot, "50")
    assert _a_wing_in_wed_pm(hull_path) == before
    new = _rows(
        hull_path,
        "SELECT o.name, l.name, r.inspector FROM roll_check r JOIN location l ON "
        "l.id = r.location_id JOIN roll_round o ON o.id = r.round_id WHERE r.deleted = 0 "
        "AND r.roll = 50",
    )
    assert new == [(chosen.removeprefix("new:"), place, "Paul Rowlands")]


# -- editing a colleague's check -------------------------------------------------------


async def test_a_colleague_s_check_edited_says_so_while_typing_and_asks_before_replacing(
    hull_path: Path,
) -> None:
    """The line "Editing A wing's check of 14:45 (by Jade Richards)" went once a count
    was typed, and ctrl+s put Paul's figures over Jade's with "Saved". Now the line
    stays while typing; ctrl+s asks (Enter: no, the typing stays); y replaces it and says
    exactly what it replaced."""
    before = _a_wing_in_wed_pm(hull_path)
    assert before == [(126, 56, "Jade Richards")]
    app = hull_app(hull_path, user="Paul Rowlands", now=AFTER_THE_VISIT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _jade_s_a_wing_typed_over(pilot, hull_path)
        editing = _said(screen, "#editing")
        assert "Editing A wing's check of 14:45 (by Jade Richards)" in editing
        assert screen.query_one("#editing", Static).display  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert showing(app, "ConfirmScreen")
        question = str(app.screen.query_one("#question Label", Label).render())
        assert "Jade Richards's check of A wing at 14:45" in question
        await pilot.press("enter")  # the answer unless y: no
        await settle(pilot)
        assert not showing(app, "ConfirmScreen")
        assert _a_wing_in_wed_pm(hull_path) == before
        assert screen.query_one("#locked_up", Input).value == "60"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        said = [text for _, text in app.recent_messages]
    assert _a_wing_in_wed_pm(hull_path) == [(130, 60, "Jade Richards")]
    # the newest message, shown on the header's line: after "Saved, but a roll of 130 is
    # above A wing's capacity of 126" (walking, that warning hid it)
    assert said[0].startswith("Replaced Jade Richards's check of A wing at 14:45"), said


async def test_a_replacement_typed_while_the_file_is_locked_is_kept_and_said_once_saved(
    hull_path: Path,
) -> None:
    """The question answered y while another program holds the file: what was typed
    waits, kept beside the visit, and once saved the replacement is said."""
    app = hull_app(hull_path, user="Paul Rowlands", now=AFTER_THE_VISIT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _jade_s_a_wing_typed_over(pilot, hull_path)
        other = lock(hull_path)
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            [entry] = kept_entries(hull_path)
            assert entry["args"]["counts"]["locked_up"] == 60  # type: ignore[index]
            assert screen.query_one("#locked_up", Input).value == "60"  # type: ignore[attr-defined]
        finally:
            release(other)
        await until(
            pilot, lambda: _a_wing_in_wed_pm(hull_path) == [(130, 60, "Jade Richards")], "saved"
        )
        await settle(pilot)
        said = [text for _, text in app.recent_messages]
    assert any("Replaced Jade Richards's check of A wing at 14:45" in text for text in said), said


async def test_one_s_own_check_chosen_from_the_list_is_replaced_once_asked(
    hull_path: Path,
) -> None:
    """Jade Richards recounting her own A wing, come to from the location list: the line
    says it is hers, and ctrl+s asks as it asks for a colleague's ("Replace your check
    ..."): a typist from paper picks the sheet's next location by its letter and never
    reads "counted 14:45" (the walk's sheet went over A wing so). Chosen from the round's
    table (Enter on its row) it is saved with no question
    (``test_tui_roll_check_when``)."""
    app = hull_app(hull_path, user="Jade Richards", now=AFTER_THE_VISIT)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _jade_s_a_wing_typed_over(pilot, hull_path)
        assert "(by you)" in _said(screen, "#editing")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert showing(app, "ConfirmScreen")
        assert app.screen.question.startswith("Replace your check of A wing at 14:45")  # type: ignore[attr-defined]
        await pilot.press("y")
        await settle(pilot)
    assert _a_wing_in_wed_pm(hull_path) == [(130, 60, "Jade Richards")]


# -- the next location, and the list of locations -------------------------------------


async def test_locations_passed_over_are_named_and_a_letter_in_the_roll_picks_one(
    hull_path: Path,
) -> None:
    """Jade walks A to E wing. Counting D wing straight after A wing, E wing came next
    (as it should when a wing locked down is counted at the end: the keystrokes bench's
    sheet) and B and C wing, passed over, went unsaid until the route came round. Now
    the line names them, and a letter typed in the empty roll opens the location list
    there: b, Enter, and the cursor is back in the roll for B wing."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        await _counts(pilot, "50")  # A wing
        await pilot.press("ctrl+l", "d", "enter")
        await settle(pilot)
        await _counts(pilot, "40")  # D wing, out of order
        assert _offered(screen) == "E wing"
        live = _said(screen, "#live")
        assert "passed over: B wing, C wing" in live, live
        roll = screen.query_one("#roll", Input)  # type: ignore[attr-defined]
        assert screen.focused is roll  # type: ignore[attr-defined]
        await pilot.press("b")
        await settle(pilot)
        assert screen.query_one("#location", Select).expanded  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert (_offered(screen), screen.focused, roll.value) == ("B wing", roll, "")  # type: ignore[attr-defined]
        await _counts(pilot, "30")
        assert _offered(screen) == "C wing"
        assert "passed over" not in _said(screen, "#live")
        await _counts(pilot, "30")
        assert _offered(screen) == "E wing"
    assert [row[0] for row in _rows(
        hull_path,
        "SELECT l.name FROM roll_check r JOIN location l ON l.id = r.location_id JOIN "
        "roll_round o ON o.id = r.round_id WHERE o.name = 'Wed eve' ORDER BY r.created_at, "
        "r.version",
    )] == ["A wing", "D wing", "B wing", "C wing"]  # fmt: skip


async def test_the_location_list_says_which_locations_the_round_has_counted(
    hull_path: Path,
) -> None:
    """In words, not by colour: "A wing · counted 18:30" once A wing is counted."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        await _counts(pilot, "50")
        places = screen.query_one("#location", Select)  # type: ignore[attr-defined]
        shown = {str(prompt) for prompt, _ in places._options if _ != Select.BLANK}
        assert "A wing · counted 18:30" in shown
        assert "B wing" in shown  # not counted: its name alone
        assert _offered(screen) == "B wing"  # the chosen location kept through the relabel
        await pilot.press("ctrl+l", "a", "enter")
        await settle(pilot)
        assert "A wing · counted 18:30" in str(
            places.query_one("SelectCurrent").query_one("#label").render()
        )


async def test_choosing_the_location_already_chosen_goes_on_to_the_roll(
    hull_path: Path,
) -> None:
    """ctrl+l, a, Enter on A wing, the location offered: the list closed and the cursor
    stayed on the location (only a change moved it on), so the roll typed next went into
    the list's search and the counts a field up."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check_screen(pilot)
        assert _offered(screen) == "A wing"
        await pilot.press("ctrl+l", "a", "enter")
        await settle(pilot)
        assert screen.focused is screen.query_one("#roll", Input)  # type: ignore[attr-defined]
        await _counts(pilot, "50")
    assert _rows(hull_path, "SELECT roll, locked_up FROM roll_check WHERE roll = 50") == [(50, 50)]


# -- time out of cell -------------------------------------------------------------------


async def _f6(pilot: Pilot[None]) -> object:
    await settle(pilot)
    await pilot.press("f6")
    await settle(pilot)
    return pilot.app.screen


def _whole(screen: object, reason: str) -> str:
    """The reason beside a field, asserted shown whole (not cut at the screen's edge)."""
    label = screen.query_one(f"#reason-{reason}", Label)  # type: ignore[attr-defined]
    text = str(label.render())
    assert label.content_region.width >= len(text), (text, label.content_region.width)
    return text


async def test_an_empty_group_is_refused_beside_it_when_it_is_left(hull_path: Path) -> None:
    """A new subject has no group: Enter on the empty group moved on, and only the save
    refused it. Enter now stays on it and says why, whole at 80x24."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _f6(pilot)
        await pilot.press(*"Z98", "enter", "enter")
        await settle(pilot)
        group = screen.query_one("#group", Input)  # type: ignore[attr-defined]
        assert screen.focused is group  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.focused is group  # type: ignore[attr-defined]
        assert _whole(screen, "group") == "the subject's group must not be empty"
        await pilot.press(*"Unemployed")
        assert _whole(screen, "group") == ""
        await pilot.press("enter")
        await settle(pilot)
        assert screen.focused is screen.query_one("#start", Input)  # type: ignore[attr-defined]


async def test_an_unknown_activity_is_refused_in_words_that_fit_and_the_list_is_a_key_away(
    hull_path: Path,
) -> None:
    """ "library" was refused with the list of activities cut at 80x24 ("one of: open air,
    association, domesti…"). The refusal fits, and ctrl+space lists every activity to
    choose from."""
    from irp_field.domain.vocabulary import ACTIVITIES

    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _f6(pilot)
        await pilot.press(*"Z97", "enter", "enter", *"Unemployed", "enter")
        await pilot.press(*"0900", "enter", *"1000", "enter", *"library", "enter")
        await settle(pilot)
        assert screen.focused is screen.query_one("#activity", Input)  # type: ignore[attr-defined]
        assert _whole(screen, "activity") == "not an activity: library; ctrl+space lists them"
        await pilot.press("f1")  # F1 shows them too, beside the keys
        await settle(pilot)
        notes = str(app.screen.query_one("#notes", Static).render())
        # (a line before it says what Enter, Delete and h do on the day's table)
        assert notes.splitlines()[-1] == (
            "Activities: " + ", ".join(a.replace("_", " ") for a in ACTIVITIES) + "."
        )
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+@")  # ctrl+space as tmux and most terminals send it
        await settle(pilot)
        assert showing(app, "ChoicesScreen")
        await pilot.press("escape")
        await settle(pilot)
        assert screen.focused is screen.query_one("#activity", Input)  # type: ignore[attr-defined]
        await pilot.press("ctrl+space")
        await settle(pilot)
        assert showing(app, "ChoicesScreen")
        listed = [str(option.prompt) for option in app.screen.query_one("OptionList")._options]
        assert listed == [activity.replace("_", " ") for activity in ACTIVITIES]
        await pilot.press("down", "enter")  # association
        await settle(pilot)
        assert screen.query_one("#activity", Input).value == "association"  # type: ignore[attr-defined]
        assert _whole(screen, "activity") == ""
        await pilot.press("enter")
        await settle(pilot)
    assert _rows(
        hull_path, "SELECT start_time, activity FROM toc_period WHERE subject = 'Z97'"
    ) == [("09:00", "association")]


def test_the_guide_lists_every_activity() -> None:
    """The guide listed five of the nine ("open air, association, work, education, gym,
    ...")."""
    from irp_field.domain.vocabulary import ACTIVITIES

    guide = (Path(__file__).resolve().parent.parent / "docs" / "guide.md").read_text("utf-8")
    section = guide.split("## Time out of cell", 1)[1].split("\n## ", 1)[0]
    missing = [a for a in ACTIVITIES if f"`{a.replace('_', ' ')}`" not in section]
    assert not missing, missing
