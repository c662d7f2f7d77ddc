"""What ``check`` runs beside its reading of the rules: SQLite's own work only
(``integrity_check``, the newest stamps, the roll tallies' sums). The merge's row checks
call into Python for every row, as the rules' reading does; on two threads the two held
the interpreter's lock by turns and took longer side by side than one after the other
(issue 24), so they run on the reading's thread, after it, while the second connection
still works."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from irp_field.api.check import check_visit
from irp_field.core import pages
from irp_field.core.visit_file import VisitFile
from irp_field.replication import guard


def test_the_merge_row_checks_run_on_the_reading_thread(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    check_rows = guard.check_rows

    def recorded(*args: Any, **kwargs: Any) -> None:
        threads.append(threading.current_thread())
        check_rows(*args, **kwargs)

    monkeypatch.setattr(guard, "check_rows", recorded)
    with VisitFile.open(hull_path, readonly=True) as visit:
        report = check_visit(visit)
    assert threads == [threading.current_thread()]
    assert report.integrity == "ok" and report.ok, report.problems


def test_a_row_a_merge_refuses_is_still_reported(hull_path: Path) -> None:
    conn = sqlite3.connect(hull_path)
    with conn:
        conn.execute(
            "UPDATE location SET version = 'not a stamp' WHERE id IN "
            "(SELECT id FROM location LIMIT 1)"
        )
    conn.close()
    with VisitFile.open(hull_path, readonly=True) as visit:
        report = check_visit(visit)
    assert not report.ok
    assert any("is not a stamp (a merge would refuse it)" in line for line in report.problems), (
        report.problems
    )


def _summed(statements: list[str]) -> list[str]:
    return [s for s in statements if "FROM roll_check" in s and "GROUP BY" in s]


def test_the_roll_tallies_are_summed_on_the_second_connection(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tallies' drift sums every live check twice (by round, by location): SQLite's
    work, which runs beside the rules' reading after ``integrity_check`` instead of after
    it on the reading's connection (0.43 s of `check`'s 2.4 at 200,000 checks)."""
    on_ours: list[str] = []
    beside: list[str] = []
    second_connection = VisitFile._second_connection

    def traced(visit: VisitFile) -> Any:
        connect = second_connection(visit)

        def second() -> sqlite3.Connection:
            conn = connect()
            conn.set_trace_callback(beside.append)
            return conn

        return second

    monkeypatch.setattr(VisitFile, "_second_connection", traced)
    with VisitFile.open(hull_path, readonly=True) as visit:
        visit.conn.set_trace_callback(on_ours.append)
        try:
            report = check_visit(visit)
        finally:
            visit.conn.set_trace_callback(None)
    assert report.integrity == "ok" and report.ok, report.problems
    assert _summed(on_ours) == []
    assert len(_summed(beside)) == 2, beside


def test_a_drifted_tally_summed_beside_is_still_named(hull_path: Path) -> None:
    conn = sqlite3.connect(hull_path)
    with conn:
        conn.execute(
            "UPDATE roll_tally_round SET checks = checks + 1 WHERE round_id IN "
            "(SELECT round_id FROM roll_tally_round LIMIT 1)"
        )
    conn.close()
    with VisitFile.open(hull_path, readonly=True) as visit:
        report = check_visit(visit)
    assert not report.ok
    assert [line for line in report.problems if line.startswith("roll tallies: round ")]


def test_the_merge_row_checks_run_while_integrity_check_is_awaited(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row checks' Python work overlaps the second connection's SQLite work: they
    run before the check's block waits for ``integrity_check`` (after it, at 200,000
    checks, 0.59 s that nothing ran beside)."""
    said: list[str] = []
    check_rows, finish = guard.check_rows, pages._finish

    def rows(*args: Any, **kwargs: Any) -> None:
        said.append("row checks")
        check_rows(*args, **kwargs)

    def finished(*args: Any, **kwargs: Any) -> None:
        said.append("integrity_check awaited")
        finish(*args, **kwargs)

    monkeypatch.setattr(guard, "check_rows", rows)
    monkeypatch.setattr(pages, "_finish", finished)
    with VisitFile.open(hull_path, readonly=True, check_pages=False) as visit:
        report = check_visit(visit)
    assert said == ["row checks", "integrity_check awaited"]
    assert report.integrity == "ok" and report.ok, report.problems


def test_a_database_error_in_the_row_checks_of_a_sound_file_is_raised(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: Any, **kwargs: Any) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(guard, "check_rows", failing)
    with (
        VisitFile.open(hull_path, readonly=True) as visit,
        pytest.raises(sqlite3.OperationalError, match="disk I/O error"),
    ):
        check_visit(visit)
