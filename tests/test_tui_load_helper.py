"""The one way screens read off the event loop (IrpScreen.load and in_thread): the read in
a thread worker on a connection of its own, the result handled on the event loop, a
newer load of a group overtaking the older, and an IrpError shown, never a crash."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from textual.notifications import Notification
from textual.pilot import Pilot
from textual.widgets import Static
from tui_helpers import hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.tui.app import IrpApp, make_app
from irp_field.tui.base.irp_screen import IrpScreen
from irp_field.tui.screens.dashboard import DashboardScreen
from irp_field.tui.screens.home import HomeScreen
from irp_field.tui.screens.judgements import JudgementsScreen


async def _overview(pilot: Pilot[None]) -> DashboardScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


def _errors(app: IrpApp) -> list[str]:
    shown: list[Notification] = list(app._notifications)
    return [n.message for n in shown if n.severity == "error"]


def _notes(visit: VisitFile) -> int:
    return int(visit.query("SELECT count(*) FROM note")[0][0])


async def test_the_read_runs_in_a_thread_and_then_on_the_event_loop(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _overview(pilot)
        seen: dict[str, object] = {}

        def read(visit: VisitFile) -> int:
            seen["read in"] = threading.current_thread()
            seen["visit"] = visit
            seen["query only"] = visit.conn.execute("PRAGMA query_only").fetchone()[0]
            return _notes(visit)

        def then(count: int) -> None:
            seen["then in"] = threading.current_thread()
            seen["loop"] = asyncio.get_running_loop()  # raises outside the event loop
            seen["count"] = count

        screen.load(read, then=then, group="test")
        await settle(pilot)
        assert seen["read in"] is not threading.main_thread()
        assert seen["then in"] is threading.main_thread()
        assert seen["count"] == _notes(app.visit) > 0
        reader = seen["visit"]
        assert isinstance(reader, VisitFile) and reader is not app.visit  # its own
        assert seen["query only"] == 1  # read-only
        with pytest.raises(sqlite3.ProgrammingError):  # and closed in the worker
            reader.conn.execute("SELECT 1")


async def test_a_load_overtaken_while_reading_is_cancelled_and_never_shown(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _overview(pilot)
        shown: list[str] = []
        held, reached = threading.Event(), threading.Event()

        def slow(_visit: VisitFile) -> str:
            reached.set()
            held.wait(10)
            return "older"

        older = screen.load(slow, then=shown.append, group="test")
        assert await asyncio.to_thread(reached.wait, 10)
        other = screen.load(lambda _visit: "other group", then=shown.append, group="other")
        newer = screen.load(lambda _visit: "newer", then=shown.append, group="test")
        assert older.is_cancelled and not other.is_cancelled and not newer.is_cancelled
        await settle(pilot)
        assert sorted(shown) == ["newer", "other group"]
        held.set()  # the older read ends after the newer one was shown
        await pilot.pause(0.3)
        await settle(pilot)
        assert sorted(shown) == ["newer", "other group"]


async def test_a_result_already_on_its_way_when_a_newer_load_starts_is_dropped(
    hull_path: Path,
) -> None:
    """The older worker has read and posted (it was not cancelled yet) but the event loop
    has not handled it when the newer load starts: only the newer result is shown."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _overview(pilot)
        shown: list[str] = []
        go, reached = threading.Event(), threading.Event()

        def older(_visit: VisitFile) -> str:
            reached.set()
            go.wait(10)
            return "older"

        screen.load(older, then=shown.append, group="test")
        assert await asyncio.to_thread(reached.wait, 10)
        # From here to the newer load the event loop does not run (no await): the older
        # worker ends its read and posts, and its message waits unhandled.
        go.set()
        time.sleep(0.2)
        screen.load(lambda _visit: "newer", then=shown.append, group="test")
        await settle(pilot)
        assert shown == ["newer"]


async def test_an_irp_error_is_shown_and_the_screen_stays_usable(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _overview(pilot)
        shown: list[str] = []
        failed: list[IrpError] = []

        def damaged(_visit: VisitFile) -> str:
            raise IrpError("hull.db: is damaged; see `irp-field check`")

        screen.load(damaged, then=shown.append, group="test", failed=failed.append)
        await settle(pilot)
        assert _errors(app) == ["hull.db: is damaged; see `irp-field check`"]
        assert shown == [] and [str(e) for e in failed] == [_errors(app)[0]]
        screen.load(lambda _visit: "again", then=shown.append, group="test")
        await settle(pilot)
        assert shown == ["again"]
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, JudgementsScreen)


def _damage(path: Path) -> None:
    """Scribble over the second half of the file's pages (since schema 9 the schema's
    own overflow pages, holding the tallies' triggers, are among them: the opening
    meets the damage before any read does, and must say it as a read would)."""
    probe = sqlite3.connect(path)
    size = probe.execute("PRAGMA page_size").fetchone()[0]
    probe.close()
    pages = path.stat().st_size // size
    with path.open("r+b") as file:
        for page in range(pages // 2, pages):
            file.seek(page * size + 100)
            file.write(b"\xa5" * (size - 200))


async def test_a_file_damaged_under_the_overview_is_reported_not_a_crash(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _overview(pilot)
        title = str(screen.query_one("#visit-title", Static).render())
        _damage(hull_path)
        await pilot.press("ctrl+r")
        await settle(pilot)
        [error] = _errors(app)
        assert "hull.db: is damaged" in error and "irp-field check" in error
        assert str(screen.query_one("#visit-title", Static).render()) == title  # as it was
        await pilot.press("f8")  # the next screen meets the damage too, and says so
        await settle(pilot)
        assert isinstance(app.screen, JudgementsScreen)
        assert len(_errors(app)) == 2
        assert app.is_running


async def test_home_has_the_same_helper_without_a_visit() -> None:
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen) and isinstance(screen, IrpScreen)
        threads: list[threading.Thread] = []
        screen.in_thread(threading.current_thread, then=threads.append, group="test")
        await settle(pilot)
        assert threads and threads[0] is not threading.main_thread()
        # a visit's read needs a visit open: said, not crashed
        screen.load(lambda _visit: "never", then=threads.append, group="test")
        await settle(pilot)
        assert _errors(app) == ["no visit is open: choose one on Home (ctrl+o)"]
        assert len(threads) == 1 and isinstance(app.screen, HomeScreen)
