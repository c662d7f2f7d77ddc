"""What ``check`` runs beside its reading of the rules: SQLite's own checks only. The
merge's row checks call into Python for every row, as the rules' reading does; on two
threads the two held the interpreter's lock by turns and took longer side by side than
one after the other (issue 24), so they run on the reading's thread, after it."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from irp_field.api.check import check_visit
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
