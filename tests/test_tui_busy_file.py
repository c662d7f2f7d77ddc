"""The UI survives a visit file another program is writing (a merge in the evening):
a save that cannot get the lock keeps what was typed, says so, and never exits; the
note editor keeps its draft on screen and tries again; once the file is free, saving
works."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Input, TextArea
from tui_helpers import EVENING, hull_app, settle

from irp_field.core.visit_file import VisitFile


def _hold(path: Path) -> sqlite3.Connection:
    """Another program's write transaction on the file (as a merge holds one)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def _checks(path: Path) -> int:
    with VisitFile.open(path, readonly=True) as visit:
        return int(visit.one("SELECT COUNT(*) FROM roll_check WHERE deleted = 0")[0])  # type: ignore[index]


async def test_a_roll_check_saved_while_the_file_is_busy_is_kept_and_saved_later(
    hull_path: Path,
) -> None:
    before = _checks(hull_path)
    app = hull_app(hull_path, now=EVENING)  # a new round: the check is a new record
    shown: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        screen.notify = lambda message, **_: shown.append(str(message))  # type: ignore[method-assign]
        for value in ("100", "40", "20", "10", "25"):
            await pilot.press(*value, "enter")
        await pilot.press("5")
        other = _hold(hull_path)
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.is_running
            assert any("is busy" in message for message in shown), shown
            assert screen.query_one("#roll", Input).value == "100"  # still typed
        finally:
            other.rollback()
            other.close()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one("#roll", Input).value == ""  # saved and cleared
    assert _checks(hull_path) == before + 1


async def test_the_note_editor_keeps_its_draft_on_screen_while_the_file_is_busy(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path, draft_pause=0.05, draft_every=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        other = _hold(hull_path)
        try:
            app.screen.query_one(TextArea).insert("Seen on B wing while the master merged.")
            await pilot.pause(0.5)
            assert app.is_running
            state = str(app.screen.query_one("#draft-state").render())
            assert "Draft not saved yet" in state and "is busy" in state
        finally:
            other.rollback()
            other.close()
        await pilot.pause(0.5)
        assert "Draft saved" in str(app.screen.query_one("#draft-state").render())
    with VisitFile.open(hull_path, readonly=True) as visit:
        found = visit.one("SELECT 1 FROM note_draft WHERE text LIKE 'Seen on B wing%'")
    assert found is not None
