"""The roll-check screen: counts typed with the keys end up in the file, or nothing does."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Label, Select
from tui_helpers import EVENING, choose_round, hull_app, settle

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


async def test_a_typed_roll_check_is_in_the_file_with_its_counts_and_author(
    hull_path: Path,
) -> None:
    before = _checks(hull_path)
    # Wednesday evening: every round is complete, so a new one is offered, named from the
    # time; it starts with its first save (before issue 13 the last round was chosen and
    # a location already counted in it was counted twice).
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        assert screen.query_one("#round", Select).value == "new:Wed eve"
        round_label = "Wed eve"
        location = screen.query_one("#location", Select).value
        assert isinstance(location, str)
        for keys in (
            "1",
            "0",
            "0",
            "enter",
            "4",
            "0",
            "enter",
            "2",
            "0",
            "enter",
            "1",
            "0",
            "enter",
            "2",
            "5",
            "enter",
            "5",
        ):
            await pilot.press(keys)
        assert "Total 100 of roll 100" in str(screen.query_one("#live").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The next location is chosen and the fields are empty for it.
        assert screen.query_one("#location", Select).value != location
        assert screen.query_one("#roll").value == ""  # type: ignore[attr-defined]
    after = _checks(hull_path)
    assert len(after) == len(before) + 1
    new = after[-1]
    assert (
        new["roll"],
        new["locked_up"],
        new["off_wing_activity"],
        new["wing_work"],
        new["unlocked_on_wing"],
        new["elsewhere"],
    ) == (100, 40, 20, 10, 25, 5)
    assert new["inspector"] == new["created_by"] == "Jade Richards"
    assert new["taken_at"] == "2022-03-16T18:30"
    assert new["round"] == round_label
    assert new["location_id"] == location


async def test_a_count_above_the_roll_is_refused_and_the_file_is_unchanged(hull_path: Path) -> None:
    before = _checks(hull_path)
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await pilot.press("5", "0", "enter", "6", "0")
        reason = str(screen.query_one("#reason-locked_up", Label).render())
        assert "above the roll of 50" in reason
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Enter stays on a refused count (the sheet's next figure would land a field
        # down): the count corrected, it moves on
        await pilot.press("enter")
        assert screen.focused is screen.query_one("#locked_up", Input)
        await pilot.press("backspace", "backspace", "4", "0", "enter")
        assert screen.focused is screen.query_one("#off_wing_activity", Input)
        await pilot.press("x")  # a letter in a count is refused too
        assert "whole number" in str(screen.query_one("#reason-off_wing_activity", Label).render())
        await pilot.press("enter")
        assert screen.focused is screen.query_one("#off_wing_activity", Input)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _checks(hull_path) == before


async def test_a_shortfall_needs_a_note_before_it_is_saved(hull_path: Path) -> None:
    before = _checks(hull_path)
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await pilot.press("9", "0", "enter", "3", "0", "ctrl+s")
        await settle(pilot)
        assert "60 unaccounted" in str(screen.query_one("#reason-note", Label).render())
        assert _checks(hull_path) == before
        assert screen.focused is not None and screen.focused.id == "note"
        for key in "Landing 3 not seen":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        await settle(pilot)
    after = _checks(hull_path)
    assert len(after) == len(before) + 1
    assert after[-1]["note"] == "Landing 3 not seen" and after[-1]["locked_up"] == 30


async def test_a_deleted_check_is_confirmed_and_can_be_undone(hull_path: Path) -> None:
    before = _checks(hull_path)
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await choose_round(pilot, "Wed PM")
        screen.query_one("#round-table").focus()
        await pilot.press("delete")
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert len(_checks(hull_path)) == len(before)
        await pilot.press("delete", "y")
        await settle(pilot)
        assert len(_checks(hull_path)) == len(before) - 1
        table = screen.query_one("#round-table", DataTable)
        table.move_cursor(row=3)
        await pilot.press("delete", "y")
        await settle(pilot)
        assert len(_checks(hull_path)) == len(before) - 2
        await pilot.press("ctrl+z")
        await settle(pilot)
        # The cursor stays on the row the undo brought back (it used to jump to row 0).
        assert table.cursor_row == 3
        await pilot.press("ctrl+z")
        await settle(pilot)
    assert _checks(hull_path) == [
        {**row, "version": row["version"]} for row in _checks(hull_path)
    ] and len(_checks(hull_path)) == len(before)


def _figures_checks(path: Path) -> int:
    from irp_field import figures

    with VisitFile.open(path, readonly=True) as visit:
        return int(figures.compute(visit)["roll.checks"].value or 0)


async def test_a_location_counted_in_the_round_opens_its_check_to_edit(hull_path: Path) -> None:
    """Wed PM is complete: chosen from the list of rounds (F3 offers a new round when
    every round is complete), A wing opens with its counts; a recount changes that check
    in place (the figures count it once) once y answers the question (the form came to
    A wing by itself: a sheet typed on must not go over it silently), and ctrl+z takes
    the change back."""
    from irp_field.tui.dialogs.confirm import ConfirmScreen

    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await choose_round(pilot, "Wed PM")
        assert "all 11 counted: complete" in str(screen.query_one("#progress", Label).render())
        assert screen.query_one("#roll", Input).value == "126"
        said = str(screen.query_one("#editing").render())
        assert "Editing A wing's check of 14:45 (by you): ctrl+s asks first" in said
        for value in ("126", "60", "12", "17", "34"):
            await pilot.press(*value, "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.startswith("Replace your check of A wing at 14:45 (126, ")
        await pilot.press("y")
        await settle(pilot)
        assert _figures_checks(hull_path) == 66
        a_wing = [
            c for c in _checks(hull_path) if c["location"] == "A wing" and c["round"] == "Wed PM"
        ]
        assert [c["locked_up"] for c in a_wing] == [60]
        await pilot.press("ctrl+z")
        await settle(pilot)
        a_wing = [
            c for c in _checks(hull_path) if c["location"] == "A wing" and c["round"] == "Wed PM"
        ]
        assert [c["locked_up"] for c in a_wing] == [56]


async def test_a_new_round_from_paper_takes_its_day_and_time(hull_path: Path) -> None:
    """ctrl+n names a round from the time; typed for Tuesday evening, its checks are dated
    then (the When field follows the round's day unless typed)."""
    from irp_field.tui.dialogs.round_dialog import RoundDialog

    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, RoundDialog)
        assert app.screen.query_one("#round-name", Input).value == "Wed PM 2"
        # Each field's text is selected when the cursor comes in: typing replaces it.
        await pilot.press(*"Tue eve", "enter", *"2022-03-15", "enter", *"19:00", "enter")
        await settle(pilot)
        assert screen.query_one("#taken_at", Input).value == "2022-03-15 19:00"
        assert "0 of 11 locations counted" in str(screen.query_one("#progress", Label).render())
        for value in ("100", "40", "20", "10", "25", "5"):
            await pilot.press(*value, "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
    new = [c for c in _checks(hull_path) if c["round"] == "Tue eve"]
    assert len(new) == 1 and new[0]["taken_at"] == "2022-03-15T19:00"


async def test_the_new_round_offered_is_named_from_when_as_typed(hull_path: Path) -> None:
    """A walk typed up Tuesday evening's sheet on Wednesday evening: F3 offered "Wed eve
    (new round)", and the check dated Tuesday 19:10 started a round called "Wed eve". The
    new round offered follows When as typed (a round named with ctrl+n is started at once)."""
    app = hull_app(hull_path, now=EVENING)  # Wednesday 18:30, every round complete
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        selector = screen.query_one("#round", Select)
        assert selector.value == "new:Wed eve"
        await pilot.press("shift+tab", "shift+tab", *"2022-03-15 19:10", "enter")
        await settle(pilot)
        assert selector.value == "new:Tue eve"
        assert "Tue eve (new round)" in str(selector.query_one("SelectCurrent #label").render())
        assert screen.focused is screen.query_one("#roll", Input)
        for value in ("100", "40", "20", "10", "25", "5"):
            await pilot.press(*value, "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
    [check] = [c for c in _checks(hull_path) if c["taken_at"].startswith("2022-03-15T19")]
    assert (check["round"], check["taken_at"]) == ("Tue eve", "2022-03-15T19:10")


async def test_a_round_typed_up_later_the_same_day_takes_its_own_time(hull_path: Path) -> None:
    """Walking in tmux: a round of this morning typed up in the evening took the clock's
    time (18:30), not its own. Its checks are dated at the round's time unless typed;
    a round going on now (its time up to two hours ago) takes now."""
    from irp_field.tui.dialogs.round_dialog import RoundDialog

    app = hull_app(hull_path, now=EVENING)  # Wednesday 18:30
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, RoundDialog)
        await pilot.press(*"Wed early", "enter", *"2022-03-16", "enter", *"07:45", "enter")
        await settle(pilot)
        assert screen.query_one("#taken_at", Input).value == "2022-03-16 07:45"
        for value in ("100", "40", "20", "10", "25", "5"):
            await pilot.press(*value, "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press(*"Wed eve", "enter", *"2022-03-16", "enter", *"18:00", "enter")
        await settle(pilot)
        assert screen.query_one("#taken_at", Input).value == "2022-03-16 18:30"
    early = [c for c in _checks(hull_path) if c["round"] == "Wed early"]
    assert len(early) == 1 and early[0]["taken_at"] == "2022-03-16T07:45"


async def test_focus_follows_the_fields_and_f3_puts_it_back(hull_path: Path) -> None:
    """ctrl+l and Tab go on to the roll (the empty table took it, and digits went nowhere);
    F3 puts the cursor back in the roll; a digit typed on the table goes into the roll."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await pilot.press("ctrl+l", "tab")
        assert screen.focused is screen.query_one("#roll", Input)
        screen.query_one("#round-table", DataTable).focus()
        await pilot.pause()
        await pilot.press("f3")
        await settle(pilot)
        assert screen.focused is screen.query_one("#roll", Input)
        screen.set_focus(screen.query_one("#round-table", DataTable))
        await pilot.press("7")
        assert screen.focused is screen.query_one("#roll", Input)
        assert screen.query_one("#roll", Input).value == "7"


async def test_h_shows_a_check_s_history(hull_path: Path) -> None:
    from irp_field.tui.dialogs.history import HistoryScreen

    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await choose_round(pilot, "Wed PM")
        screen.set_focus(screen.query_one("#round-table", DataTable))
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.what == "the check of A wing in round Wed PM"
        assert [e.what for e in app.screen.entries] == ["imported"]


async def test_a_visit_without_locations_offers_to_add_them(tmp_path: Path) -> None:
    """F3 on a new visit says there is nothing to count on and ctrl+t opens the set-up's
    locations (it used to sit on "Loading the round..."); added there, F3 counts it."""
    from tui_helpers import FIXED_NOW

    from irp_field.tui.app import make_app
    from irp_field.tui.screens.setup import SetupScreen

    VisitFile.create(
        tmp_path / "new.db", establishment="HMP New", start_date="2022-03-14",
        end_date="2022-03-16",
    ).close()  # fmt: skip
    app = make_app(tmp_path / "new.db", user="Jade Richards", now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        assert "no locations yet" in str(screen.query_one("#live").render())
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        await pilot.press(*"A wing", "enter", "enter", *"60", "enter")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert "Type the roll for A wing" in str(screen.query_one("#live").render())
        for value in ("80", "30", "20", "10", "20", "0"):
            await pilot.press(*value, "enter")
        shown: list[str] = []
        screen.notify = lambda message, **_: shown.append(str(message))  # type: ignore[method-assign]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("above A wing's capacity of 60" in m for m in shown), shown
    assert [c["location"] for c in _checks(tmp_path / "new.db")] == ["A wing"]


async def test_a_round_named_from_the_clock_and_the_progress_are_whole_at_80x24(
    hull_path: Path,
) -> None:
    """A round named as ctrl+n names one typed up later ("Wed 16 Mar eve") is listed with
    its day and time, "Wed 16 Mar eve · 03-16 19:30": in 28 columns its time was cut off;
    the progress beside it keeps its words too."""
    from textual.widgets._select import SelectCurrent

    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press(*"Wed 16 Mar eve", "enter", "enter", *"19:30", "enter")
        await settle(pilot)
        for value in ("100", "40", "20", "10", "25", "5"):
            await pilot.press(*value, "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        shown = screen.query_one("#round", Select).query_one(SelectCurrent)
        label = shown.query_one("#label")
        text = str(label.render())
        assert text == "Wed 16 Mar eve · 03-16 19:30"
        assert label.content_region.width >= len(text)
        progress = screen.query_one("#progress", Label)
        assert progress.content_region.width >= len(str(progress.render()))


async def test_escape_drops_a_change_to_a_check_after_asking_and_shows_it_as_saved(
    hull_path: Path,
) -> None:
    """Escape over a change typed to a saved check asks first: n keeps the typing, y puts
    the check back in the form as saved (the file untouched either way); over a new
    location's counts, y empties the form; with nothing typed it asks nothing."""
    from irp_field.tui.dialogs.confirm import ConfirmScreen

    before = _checks(hull_path)
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await choose_round(pilot, "Wed PM")
        assert screen.query_one("#roll", Input).value == "126"
        await pilot.press("escape")  # nothing typed over it: no question
        await settle(pilot)
        assert app.screen is screen
        screen.set_focus(screen.query_one("#roll", Input))
        await pilot.press("ctrl+u", "9", "9")  # the roll typed over
        await settle(pilot)
        assert screen.query_one("#roll", Input).value == "99"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "the check of A wing" in app.screen.question, app.screen.question
        assert "Put back the check as saved" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and screen.query_one("#roll", Input).value == "99"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one("#roll", Input).value == "126"
        assert "Editing A wing's check" in str(screen.query_one("#editing").render())
        assert screen.form_typed() is None
    assert _checks(hull_path) == before


async def test_escape_empties_a_new_check_s_counts_after_asking(hull_path: Path) -> None:
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await pilot.press("1", "0", "0", "enter", "4", "0")
        await settle(pilot)
        assert screen.form_typed() is not None
        await pilot.press("escape")
        await settle(pilot)
        assert "Empty the form and lose it?" in app.screen.question  # type: ignore[attr-defined]
        await pilot.press("y")
        await settle(pilot)
        assert screen.query_one("#roll", Input).value == ""
        assert screen.query_one("#locked_up", Input).value == ""
        assert screen.focused is screen.query_one("#roll", Input)


async def test_the_save_that_completes_a_round_leaves_no_check_open_to_type_over(
    tmp_path: Path,
) -> None:
    """The round's last location saved: the form moved to the next round, empty, not to
    the check just saved to edit (the sheet's next line typed went over it, and only a
    roll above the capacity said so); that check is as saved."""
    from tui_helpers import FIXED_NOW

    from irp_field.tui.app import make_app

    path = tmp_path / "two.db"
    with VisitFile.create(
        path, establishment="HMP Two", start_date="2022-03-14", end_date="2022-03-16"
    ) as visit:
        for name in ("A wing", "B wing"):
            visit.insert("location", {"name": name, "capacity": 60})
    app = make_app(path, user="Jade Richards", now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        first_round = screen.query_one("#round", Select).value
        for roll in ("40", "41"):
            await pilot.press(*roll, "enter", *roll, "enter")  # roll, all locked up
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert screen.editing is None
        assert screen.query_one("#roll", Input).value == ""
        assert screen.query_one("#round", Select).value != first_round
        assert str(screen.query_one("#round", Select).value).startswith("new:")
        assert screen.focused is screen.query_one("#roll", Input)
    assert sorted((c["location"], c["roll"]) for c in _checks(path)) == [
        ("A wing", 40),
        ("B wing", 41),
    ]


async def test_the_location_list_offers_every_location_and_no_blank(hull_path: Path) -> None:
    """The list's first choice was a blank "—", which an inspector could pick (and then
    be told to choose a location at the save). Where the visit has locations, it offers
    them alone, and starts on the first on the route not counted in the round."""
    from textual.widgets._select import SelectOverlay

    app = hull_app(hull_path, now=EVENING)  # a new round: nothing counted in it yet
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        places = screen.query_one("#location", Select)
        assert places.value == screen.state.route[0]  # type: ignore[union-attr]
        await pilot.press("shift+tab", "space")  # the list, open
        await settle(pilot)
        overlay = places.query_one(SelectOverlay)
        shown = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
        assert len(shown) == len(screen.state.places) == 11, shown  # type: ignore[union-attr]
        assert all(name.strip() not in ("", "—", "…") for name in shown), shown
        await pilot.press("home", "enter")  # the top of the list is a location
        await settle(pilot)
        assert places.value == screen.state.places[0].id  # type: ignore[union-attr]


async def test_a_visit_without_locations_says_where_they_are_added_not_an_empty_list(
    tmp_path: Path,
) -> None:
    """On a visit with no locations the list offered a lone "—"; it says instead where
    locations are added, and a check typed there is refused in words."""
    from tui_helpers import FIXED_NOW

    from irp_field.tui.app import make_app

    VisitFile.create(
        tmp_path / "new.db", establishment="HMP New", start_date="2022-03-14",
        end_date="2022-03-16",
    ).close()  # fmt: skip
    app = make_app(tmp_path / "new.db", user="Jade Richards", now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        assert not screen.query_one("#location", Select).display
        said = screen.query_one("#no-locations", Label)
        assert said.display and str(said.render()) == "none yet: ctrl+t adds them"
        shown: list[str] = []
        screen.notify = lambda message, **_: shown.append(str(message))  # type: ignore[method-assign]
        await pilot.press(*"80", "ctrl+s")  # typed on the table: into the roll
        await settle(pilot)
        assert shown == [
            "Not saved: this visit has no locations yet: ctrl+t adds them (the set-up screen)."
        ], shown
    assert _checks(tmp_path / "new.db") == []


async def test_digits_typed_on_the_round_s_table_go_whole_into_the_roll(hull_path: Path) -> None:
    """Walking F3: "100" typed with the cursor on the round's table left "00" in the roll
    (the first digit went in before the roll took the focus, which selected it, and the
    next digit replaced it)."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        screen.set_focus(screen.query_one("#round-table", DataTable))
        await settle(pilot)
        await pilot.press(*"100", "enter", *"40")
        await settle(pilot)
        assert screen.query_one("#roll", Input).value == "100"
        assert screen.query_one("#locked_up", Input).value == "40"
