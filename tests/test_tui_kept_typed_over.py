"""A save that waits on a busy file, then the form typed over before it goes in: what is
typed is never replaced, and the next ctrl+s changes the record that went in (it does
not add a second one).

Each test builds the lock itself (a second sqlite3 connection's ``BEGIN EXCLUSIVE``, as
in ``test_tui_kept_typing.py``), saves, types over the form, and releases the lock; waits
are bounded polls of the file's state, never of the clock.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kept_helpers import kept_file, lock, one, release, until
from textual.widgets import DataTable, Input, TextArea
from tui_helpers import EVENING, hull_app, settle

from irp_field.core.visit_file import VisitFile


def _checks_of(path: Path, place: str) -> list[tuple[int, int]]:
    """(roll, elsewhere) of every live check of ``place`` in the round Wed eve."""
    with VisitFile.open(path, readonly=True) as visit:
        rows = visit.query(
            "SELECT r.roll, r.elsewhere FROM roll_check r JOIN location l ON l.id = "
            "r.location_id JOIN roll_round o ON o.id = r.round_id WHERE r.deleted = 0 AND "
            "l.name = ? AND o.name = 'Wed eve'",
            (place,),
        )
        return [(row["roll"], row["elsewhere"]) for row in rows]


@pytest.mark.parametrize("started", [False, True], ids=["a new round", "a round started"])
async def test_a_roll_check_typed_over_while_it_waits_keeps_what_was_typed(
    hull_path: Path, started: bool
) -> None:
    """The retry's reload put the check it saved back in the form, over the recount
    typed meanwhile (in a round already started), or left the form on a round not
    started, whose next save was refused (the first save had started it); now the
    recount stays, and ctrl+s changes that check."""
    app = hull_app(hull_path, now=EVENING)  # a new round, Wed eve: A wing offered first
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        place = "A wing"
        if started:  # A wing counted: the round is started, B wing offered
            await pilot.press(*"90", "enter", *"90", "ctrl+s")
            await settle(pilot)
            place = "B wing"
        for value in ("100", "40", "20", "10", "25"):
            await pilot.press(*value, "enter")
        await pilot.press("5")
        other = lock(hull_path)
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
            # typed over: a recount of the roll (101) and of elsewhere (6)
            await pilot.press("backspace", "6", *["shift+tab"] * 5, *"101")
            await settle(pilot)
        finally:
            release(other)
        await until(pilot, lambda: _checks_of(hull_path, place) == [(100, 5)], "the check")
        await until(pilot, lambda: not kept_file(hull_path).exists(), "the kept file goes")
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#roll", Input).value == "101"
        assert screen.query_one("#elsewhere", Input).value == "6"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _checks_of(hull_path, place) == [(101, 6)]  # changed, not counted twice


def _periods_of_c99(path: Path) -> list[tuple[str, str]]:
    with VisitFile.open(path, readonly=True) as visit:
        rows = visit.query(
            "SELECT start_time, end_time FROM toc_period WHERE deleted = 0 AND subject = 'C99' "
            "ORDER BY start_time, end_time"
        )
        return [(row["start_time"], row["end_time"]) for row in rows]


async def test_a_period_typed_over_while_it_waits_keeps_what_was_typed(hull_path: Path) -> None:
    """The end typed over while the period waits stays in the form once it is saved,
    and ctrl+s then changes that period (before, it added a second one)."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press(*"C99", "enter", "enter", *"Unemployed", "enter")
        await pilot.press(*"09:00", "enter", *"10:30", "enter", *"gym")
        other = lock(hull_path)
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.press("shift+tab", *"11:00")  # the end was 11:00, not 10:30
            await settle(pilot)
        finally:
            release(other)
        await until(pilot, lambda: _periods_of_c99(hull_path) == [("09:00", "10:30")], "saved")
        await until(pilot, lambda: not kept_file(hull_path).exists(), "the kept file goes")
        await settle(pilot)
        screen = app.screen
        assert [screen.query_one(f"#{name}", Input).value for name in ("start", "end")] == [
            "09:00",
            "11:00",
        ]
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _periods_of_c99(hull_path) == [("09:00", "11:00")]


PARAGRAPH = "Staff told us the regime had been curtailed on most days of the week."
MORE = " Managers agreed."


def _summary_paragraphs(path: Path) -> list[str]:
    with VisitFile.open(path, readonly=True) as visit:
        rows = visit.query(
            "SELECT text FROM report_paragraph WHERE deleted = 0 AND text LIKE ?",
            ("Staff told us the regime%",),
        )
        return [row["text"] for row in rows]


async def test_a_new_report_part_saved_on_retry_after_typing_on_is_edited_by_the_next_save(
    hull_path: Path,
) -> None:
    """F11: a new summary paragraph waits, the person types on; once the file is free
    it goes in, and the next ctrl+s changes it (it used to add a second paragraph)."""
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)
        parts = app.screen.query_one("#parts", DataTable)
        parts.focus()
        parts.move_cursor(row=0)  # the summary's heading: ctrl+n adds one to it
        await pilot.press("ctrl+n")
        await settle(pilot)
        editor = app.screen.query_one("#editor", TextArea)
        editor.insert(PARAGRAPH)
        other = lock(hull_path)
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
            editor.insert(MORE)  # typing on while it waits
            await settle(pilot)
        finally:
            release(other)
        await until(pilot, lambda: _summary_paragraphs(hull_path) == [PARAGRAPH], "saved")
        await until(pilot, lambda: not kept_file(hull_path).exists(), "the kept file goes")
        await settle(pilot)
        assert editor.text == PARAGRAPH + MORE  # what was typed stays
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _summary_paragraphs(hull_path) == [PARAGRAPH + MORE]
    assert one(hull_path, "SELECT COUNT(*) FROM report_paragraph WHERE deleted = 0 AND text = ?",
               (PARAGRAPH,)) == 0  # fmt: skip
