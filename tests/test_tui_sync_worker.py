"""A sync of every paragraph computes every figure (seconds on a visit of a million
checks): F7's ctrl+g and ctrl+t and F12's "sync first" run it in a thread worker on a
writing connection of its own, sharing the app's clock, while the screen answers; one
at a time; a busy file says so and loses nothing; closing the app stops it, rolled back.

Where the sync ran is recorded inside it (``figures.compute`` and the write of its
states, patched to note their thread), never timed."""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from tui_helpers import hull_app, paste, settle

from irp_field import figures
from irp_field.api import visits
from irp_field.core.visit_file import VisitFile
from irp_field.findings import paragraphs as finding_store
from irp_field.findings.sync import load, sync
from irp_field.tui.screens import findings as findings_screen
from irp_field.tui.screens.findings import FindingsScreen
from irp_field.tui.screens.report import ReportScreen, StaleChoiceScreen

# A hang guard only (a broken worker must fail the test, not stop the run): about a
# minute of Pilot's pauses, never a bound any assertion is about.
PAUSES = 1200


def _threads_of_the_sync(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The threads every figure was computed and every sync state written in."""
    seen: list[int] = []
    compute, save = figures.compute, finding_store.save_sync_states

    def computing(visit: VisitFile) -> Any:
        seen.append(threading.get_ident())
        return compute(visit)

    def saving(visit: VisitFile, states: Any) -> Any:
        seen.append(threading.get_ident())
        return save(visit, states)

    monkeypatch.setattr(figures, "compute", computing)
    monkeypatch.setattr(finding_store, "save_sync_states", saving)
    return seen


async def _until(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    for _ in range(PAUSES):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("never happened")


async def _f7(pilot: Pilot[None]) -> FindingsScreen:
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FindingsScreen)
    return screen


def _syncing(screen: Any) -> bool:
    """Is a sync running in its thread? (Read so that on an app whose sync ran on the
    event loop these tests fail on where it ran, not on a missing attribute.)"""
    return bool(getattr(screen, "syncing", False))


def _said(screen: Any) -> list[str]:
    shown: list[str] = []
    screen.notify = lambda message, **_: shown.append(str(message))
    return shown


def _stale(path: Path) -> list[str]:
    with VisitFile.open(path, readonly=True) as visit:
        return sync(visit, check=True).stale_numbers


def _synced_rows(path: Path) -> int:
    with VisitFile.open(path, readonly=True) as visit:
        return int(visit.one("SELECT COUNT(*) FROM finding_sync")[0])  # type: ignore[index]


async def test_f7s_sync_runs_off_the_event_loop_and_the_view_follows(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = threading.get_ident()
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _f7(pilot)
        shown = _said(screen)
        assert screen.view is not None and screen.view.state.stale  # never synced
        seen = _threads_of_the_sync(monkeypatch)
        await pilot.press("ctrl+g")
        await _until(pilot, lambda: not _syncing(screen))
        await settle(pilot)
        assert seen and loop not in seen, "the sync ran on the event loop"
        assert "Syncing every paragraph with the evidence..." in shown
        assert any(m.startswith("Synced: ") for m in shown), shown
        assert screen.view.state.stale == []  # read again once the sync was in the file
        seen.clear()
        await pilot.press("ctrl+t")  # one paragraph: it computes every figure too
        await _until(pilot, lambda: not _syncing(screen))
        assert seen and loop not in seen
    assert _stale(hull_path) == []


def test_stamps_of_the_workers_connection_and_the_apps_interleaved_rise(
    hull_path: Path,
) -> None:
    """Both connections write at once, from two threads, with the wall clock stopped
    (every stamp from the counter): the change log, in the order of its commits, is in
    the order of its stamps, none twice; and a stamp taken on the app's connection right
    after the worker's write, with no transaction between, is above it (one clock)."""
    rounds = 40
    with visits.open_visit(hull_path, user="Jade Richards") as visit:
        visit._clock._now_ms = lambda: 1_647_439_200_000  # 2022-03-16 14:00 UTC, stopped
        ids = [r["id"] for r in visit.query("SELECT id FROM roll_check WHERE deleted = 0")]
        start = visit.one("SELECT MAX(rowid) FROM change_log")[0]  # type: ignore[index]
        writer = visits.open_writer(visit)
        failures: list[BaseException] = []

        def edits(on: VisitFile, row: str) -> None:
            try:
                for n in range(rounds):
                    with on.transaction():
                        on.update("roll_check", row, {"note": f"edit {n}"})
            except BaseException as error:  # said by the test, not lost in the thread
                failures.append(error)

        worker = threading.Thread(target=edits, args=(writer, ids[0]))
        worker.start()
        edits(visit, ids[1])
        worker.join()
        assert not failures, failures
        with writer.transaction():
            writer.update("roll_check", ids[0], {"note": "the worker's last"})
        last = str(writer.row("roll_check", ids[0])["version"])  # type: ignore[index]
        assert visit.stamp() > last
        writer.close()
        logged = [
            str(r[0])
            for r in visit.query(
                "SELECT version FROM change_log WHERE rowid > ? ORDER BY rowid", (start,)
            )
        ]
    assert len(logged) == 2 * rounds + 1
    assert all(a < b for a, b in itertools.pairwise(logged)), logged


def _hold(path: Path) -> sqlite3.Connection:
    """Another program's write transaction on the file (as a merge holds one)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    conn.execute("BEGIN IMMEDIATE")
    return conn


async def test_a_busy_file_during_the_sync_says_so_loses_nothing_and_a_retry_syncs(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = threading.get_ident()
    stale = _stale(hull_path)
    assert stale and _synced_rows(hull_path) == 0
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _f7(pilot)
        shown = _said(screen)
        seen = _threads_of_the_sync(monkeypatch)
        other = _hold(hull_path)
        try:
            await pilot.press("ctrl+g")
            await _until(pilot, lambda: not _syncing(screen))
            assert app.is_running
            # As the event loop's sync said it: the file's refusal, word for word.
            busy = f"{hull_path.name} is busy: another program (a merge?) is writing it"
            assert any(m.startswith(busy) for m in shown), shown
        finally:
            other.rollback()
            other.close()
        assert seen and loop not in seen
        assert _synced_rows(hull_path) == 0 and _stale(hull_path) == stale  # nothing half-done
        await pilot.press("ctrl+g")  # the file free: the same key syncs
        await _until(pilot, lambda: not _syncing(screen))
        await settle(pilot)
        assert screen.view is not None and screen.view.state.stale == []
    assert _stale(hull_path) == []


async def test_f12s_sync_first_writes_the_report_with_the_figures_it_synced(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Synced at 40% locked up; then a check changes (as a merge brings): the report
    prints what a paragraph said at its last sync, so one written before the sync had
    finished would still say 40%."""
    loop = threading.get_ident()
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        sync(visit)
        check = visit.query("SELECT id, locked_up FROM roll_check WHERE deleted = 0 LIMIT 1")[0]
        with visit.transaction():
            visit.update("roll_check", check["id"], {"locked_up": check["locked_up"] + 40})
        state = load(visit)
        quoting = next(p for p in state.stale if "roll.pct_locked_up" in p.state.figures)
        now = figures.compute(visit)["roll.pct_locked_up"].display
    assert "40% of the population were locked up" in quoting.report_text  # as synced
    assert now != "40%"
    out = tmp_path / "out"
    out.mkdir()
    app = hull_app(hull_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
        await paste(pilot, str(out))
        await pilot.press("tab", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaleChoiceScreen)
        seen = _threads_of_the_sync(monkeypatch)
        await pilot.press("s")  # sync first, then write
        written = screen.query_one("#written", Static)
        await _until(pilot, lambda: not screen.busy)
        await settle(pilot)
        assert seen and loop not in seen, "the sync ran on the event loop"
        assert f"Wrote {out / 'hull-report.md'}" in str(written.render())
    markdown = (out / "hull-report.md").read_text()
    assert f"{now} of the population were locked up" in markdown
    assert "40% of the population were locked up" not in markdown
    assert "Out of date:" not in markdown


async def test_a_second_sync_press_while_one_runs_starts_none(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = threading.get_ident()
    calls: list[int] = []
    released = threading.Event()

    def held(visit: VisitFile) -> Any:
        calls.append(threading.get_ident())
        if threading.get_ident() == loop:  # it would hold the event loop itself
            raise AssertionError("the sync ran on the event loop")
        released.wait(timeout=60)  # a hang guard only: the test lets it go
        return sync(visit)

    monkeypatch.setattr(findings_screen, "sync", held)
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _f7(pilot)
        shown = _said(screen)
        await pilot.press("ctrl+g")
        await _until(pilot, lambda: bool(calls))
        await pilot.press("ctrl+g")  # answered while the first is held in its thread
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert shown.count("Already syncing: the findings are shown afresh once it is done.") == 2
        assert len(calls) == 1
        released.set()
        await _until(pilot, lambda: not _syncing(screen))
        await settle(pilot)
        assert len(calls) == 1
        assert screen.view is not None and screen.view.state.stale == []
    assert _stale(hull_path) == []


async def test_quitting_during_a_sync_stops_it_rolled_back_without_waiting_for_it(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sync is held inside its transaction, after a write, in a query that never
    ends by itself: ctrl+q stops it (the app cancels its workers) and the write is gone."""
    loop = threading.get_ident()
    inside, ended = threading.Event(), threading.Event()
    met: list[str] = []

    def endless(visit: VisitFile) -> Any:
        if threading.get_ident() == loop:  # it would hold the event loop for ever
            raise AssertionError("the sync ran on the event loop")
        try:
            with visit.transaction():
                visit.conn.execute("INSERT INTO meta (key, value) VALUES ('half', 'written')")
                inside.set()
                visit.conn.execute(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                    "SELECT COUNT(*) FROM c"
                ).fetchone()
        except sqlite3.OperationalError as error:
            met.append(str(error))
            raise
        finally:
            ended.set()

    monkeypatch.setattr(findings_screen, "sync", endless)
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _f7(pilot)
        await pilot.press("ctrl+g")
        await _until(pilot, inside.is_set)
        await pilot.press("ctrl+q")
    assert ended.wait(timeout=60), "the sync went on after the app closed"  # hang guard
    assert met == ["interrupted"]
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert visit.one("SELECT value FROM meta WHERE key = 'half'") is None
        assert visit.integrity() == "ok"


async def test_syncing_every_paragraph_says_what_changed(hull_path: Path) -> None:
    """ctrl+g said only "Synced: 1 paragraph(s) updated." where ctrl+t and
    ``irp-field sync`` say what changed (a walk found it): it names the changes now."""
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _f7(pilot)
        await pilot.press("ctrl+g")
        await _until(pilot, lambda: not _syncing(screen))
        await settle(pilot)
        visit = app.visit
        check = visit.query("SELECT id, locked_up FROM roll_check WHERE deleted = 0 LIMIT 1")[0]
        with visit.transaction():
            visit.update("roll_check", check["id"], {"locked_up": check["locked_up"] + 40})
        shown = _said(screen)
        await pilot.press("ctrl+g")
        await _until(pilot, lambda: not _syncing(screen))
        await settle(pilot)
    [said] = [m for m in shown if m.startswith("Synced: ")]
    assert "roll.pct_locked_up  40% -> 41%" in said, said
