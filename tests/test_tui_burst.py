"""A whole paper sheet sent at once is saved exactly, on every form (issue 22).

Every key of the sheet reaches the app before it has handled any (``burst``: as tmux's
``send-keys`` delivers a sheet, or a fast typist's keys arrive). Enter and ctrl+s are
priority keys, run by the app as soon as it read them: on F3 the first check was saved
without the counts typed before ctrl+s, and the next check's figures landed in the form
before the save had emptied it (``irp_field.tui.keys_in_order`` hands the keys out one
at a time). Each test checks the records saved are exactly the sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message_pump import MessagePump
from textual.widgets import Input
from tui_helpers import EVENING, burst, hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.tui import keys_in_order
from irp_field.tui.screens.notes import NotesScreen
from irp_field.tui.screens.roll_check import RollCheckScreen
from irp_field.tui.screens.sampling import SamplingScreen
from irp_field.tui.screens.setup import SetupScreen
from irp_field.tui.screens.time_out_of_cell import TimeOutOfCellScreen


def _rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with VisitFile.open(path, readonly=True) as visit:
        return [tuple(row) for row in visit.query(sql, params)]


def _checks_in(path: Path, round_name: str) -> list[tuple[object, ...]]:
    """(location, when, roll, locked up, off-wing, note) of the round's checks, in the
    order they were typed."""
    return _rows(
        path,
        "SELECT l.name, r.taken_at, r.roll, r.locked_up, r.off_wing_activity, r.note "
        "FROM roll_check r JOIN location l ON l.id = r.location_id "
        "JOIN roll_round o ON o.id = r.round_id WHERE r.deleted = 0 AND o.name = ? "
        "ORDER BY r.created_at, r.version",
        (round_name,),
    )


async def _on(pilot, key: str, screen: type) -> None:  # type: ignore[no-untyped-def,type-arg]
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, screen)


async def test_a_roll_check_sheet_sent_at_once_is_saved_exactly(hull_path: Path) -> None:
    """Four checks in one burst: two in route order saved with ctrl+s, one at a time
    typed alone, one at a location picked by its letters and saved by Enter on its note
    (a shortfall, so the note is needed)."""
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        await _on(pilot, "f3", RollCheckScreen)
        await burst(
            pilot,
            *"90", "enter", *"80", "enter", *"10", "ctrl+s",
            *"85", "enter", *"85", "ctrl+s",
            "shift+tab", "shift+tab", *"1909", "enter",
            *"77", "enter", *"70", "enter", *"7", "ctrl+s",
            "h", "e", "enter", *"12", "enter", *"11",
            "enter", "enter", "enter", "enter", "enter", *"one at hospital", "enter",
        )  # fmt: skip
    assert _checks_in(hull_path, "Wed eve") == [
        ("A wing", "2022-03-16T18:30", 90, 80, 10, ""),
        ("B wing", "2022-03-16T18:30", 85, 85, 0, ""),
        ("C wing", "2022-03-16T19:09", 77, 70, 7, ""),
        ("Health care unit", "2022-03-16T18:30", 12, 11, 0, "one at hospital"),
    ]


async def test_time_out_of_cell_periods_sent_at_once_are_saved_exactly(hull_path: Path) -> None:
    """Two subjects' periods in one burst: Enter on the activity saves, ctrl+s too, F6
    goes back to the subject for the next one. After a save the cursor waits in End (the
    start filled in with the last end): a period starting later goes back with shift+tab."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _on(pilot, "f6", TimeOutOfCellScreen)
        await burst(
            pilot,
            *"Z97", "enter", *"15", "enter", *"Unemployed", "enter",
            *"0900", "enter", *"1030", "enter", "G", "enter",
            "shift+tab", *"1100", "enter", *"11.45", "enter", *"op", "ctrl+s",
            "f6", *"Z96", "enter", *"15", "enter", *"Wing work", "enter",
            *"1400", "enter", *"1500", "enter", *"gym", "enter",
        )  # fmt: skip
    periods = _rows(
        hull_path,
        "SELECT subject, subject_group, on_date, start_time, end_time, activity "
        "FROM toc_period WHERE deleted = 0 AND subject IN ('Z96', 'Z97') "
        "ORDER BY subject DESC, start_time",
    )
    assert periods == [
        ("Z97", "Unemployed", "2022-03-15", "09:00", "10:30", "gym"),
        ("Z97", "Unemployed", "2022-03-15", "11:00", "11:45", "open_air"),
        ("Z96", "Wing work", "2022-03-15", "14:00", "15:00", "gym"),
    ]


async def test_a_sample_drawn_and_answered_at_once_is_saved_exactly(hull_path: Path) -> None:
    """ctrl+n, the draw's fields and ctrl+s, then the grid's answers, in one burst: the
    grid's first cell takes the first answer, each answer the next cell."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _on(pilot, "f5", SamplingScreen)
        await burst(
            pilot,
            "ctrl+n", *"ACCT documents", "enter", "enter", *"50", "enter", *"3", "enter",
            "ctrl+u", *"1234", "enter", *"On time; Care map", "enter",
            "y", "n", "n", "a", "y", "y",
        )  # fmt: skip
    answers = _rows(
        hull_path,
        "SELECT r.position, c.name, a.answer FROM sample_answer a "
        "JOIN sample_frame f ON f.id = a.frame_id "
        "JOIN sample_criterion c ON c.id = a.criterion_id "
        "JOIN sample_record r ON r.frame_id = a.frame_id AND r.record = a.record "
        "WHERE a.deleted = 0 AND f.name = 'ACCT documents' ORDER BY r.position, c.position",
    )
    assert answers == [
        (0, "On time", "yes"),
        (0, "Care map", "no"),
        (1, "On time", "no"),
        (1, "Care map", "na"),
        (2, "On time", "yes"),
        (2, "Care map", "yes"),
    ]


async def test_two_team_members_sent_at_once_are_both_saved_whole(hull_path: Path) -> None:
    """The set-up's team form: Enter on Body saves and empties the form; the second
    member's name, sent straight after, went into the first one's form."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        app.screen.set_focus(app.screen.query_one("#team-name", Input))
        await burst(
            pilot,
            *"Ola Adeyemi", "enter", *"Inspector", "enter", "o", "enter",
            *"Sam Okafor", "enter", *"Lead inspector", "enter", "c", "ctrl+s",
        )  # fmt: skip
    members = _rows(
        hull_path,
        "SELECT name, role, body FROM team_member WHERE deleted = 0 "
        "AND name IN ('Ola Adeyemi', 'Sam Okafor') ORDER BY name",
    )
    assert members == [
        ("Ola Adeyemi", "Inspector", "Ofsted"),
        ("Sam Okafor", "Lead inspector", "CQC"),
    ]


async def test_two_notes_sent_at_once_are_both_saved_whole(hull_path: Path) -> None:
    """F4: ctrl+n, a note, ctrl+s, and the next note straight after, in one burst."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _on(pilot, "f4", NotesScreen)
        await burst(
            pilot,
            "ctrl+n", *"Showers broken on landing 2", "ctrl+s",
            "ctrl+n", *"Kitchen servery closed early", "ctrl+s",
        )  # fmt: skip
    texts = _rows(
        hull_path,
        "SELECT text FROM note WHERE deleted = 0 AND (text LIKE 'Showers%' "
        "OR text LIKE 'Kitchen%') ORDER BY created_at, text",
    )
    assert sorted(texts) == [("Kitchen servery closed early",), ("Showers broken on landing 2",)]


async def test_a_long_burst_is_taken_at_one_wait_per_key(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two hundred keys at once (tmux's ``paste-buffer`` sends a buffer key by key): the
    app looks whether the screen is ready a few times per key, not more and more often
    as the burst goes on. Each fallback look (every ``LOOK_EVERY`` s) once began a wait
    of its own beside the one on its way, every wait called back with another look, and
    2,000 digits took more than a minute to clear (400 took four and a half)."""
    looks = [0]
    busy = keys_in_order.KeysInOrder._busy

    def counted(app: keys_in_order.KeysInOrder) -> list[MessagePump] | None:
        looks[0] += 1
        return busy(app)

    monkeypatch.setattr(keys_in_order.KeysInOrder, "_busy", counted)
    app = hull_app(hull_path, now=EVENING)
    digits = "1234567890" * 20
    async with app.run_test(size=(80, 24)) as pilot:
        await _on(pilot, "f3", RollCheckScreen)
        roll = app.screen.focused
        assert isinstance(roll, Input)
        looks[0] = 0
        await burst(pilot, *digits)
        assert app.keys_held == 0
        assert roll.value == digits
    assert looks[0] <= 25 * len(digits), f"{looks[0]} looks for {len(digits)} keys"
