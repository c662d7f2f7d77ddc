"""``check``'s look for roll checks another hand wrote (a second count of a location in a
round, a check in a round the visit does not have): every such check found, and the
pass over every check made in the table's own order, looking no round up when none is
missing (issue 24: the look-ups made ``check`` grow faster than the file)."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
from read_spy import check_traced

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.evidence import audit
from irp_field.replication import row_checks

STAMP = "1700000000000.000000.hand"


def _statements(visit: VisitFile) -> list[str]:
    """Every statement ``_doubtful_pairs`` runs on the visit's connection."""
    said: list[str] = []
    visit.conn.set_trace_callback(said.append)
    try:
        audit._doubtful_pairs(visit)
    finally:
        visit.conn.set_trace_callback(None)
    return said


def _the_pass(visit: VisitFile) -> str:
    (statement,) = [s for s in _statements(visit) if "substr(id, 15, 1)" in s]
    return statement


def _plan(visit: VisitFile, statement: str) -> list[str]:
    return [str(row[3]) for row in visit.conn.execute(f"EXPLAIN QUERY PLAN {statement}")]


def test_the_pass_reads_the_checks_in_order_and_looks_no_round_up(hull_path: Path) -> None:
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert visit.one("SELECT COUNT(*) FROM roll_check")[0] > 0
        assert audit._doubtful_pairs(visit) == []
        statement = _the_pass(visit)
        plan = _plan(visit, statement)
    # The checks read as the table holds them, not through the round index with every
    # check then looked up by its key; and no check's round looked up at all.
    assert not any("idx_roll_check_round" in step for step in plan), plan
    assert "roll_round" not in statement, statement


def test_every_doubtful_check_is_still_found(hull_path: Path) -> None:
    conn = sqlite3.connect(hull_path)
    (visit_id,) = conn.execute("SELECT value FROM meta WHERE key = 'visit_id'").fetchone()
    round_id, location_id = conn.execute(
        "SELECT round_id, location_id FROM roll_check WHERE deleted = 0 LIMIT 1"
    ).fetchone()
    other_place = conn.execute(
        "SELECT id FROM location WHERE id != ? AND deleted = 0 LIMIT 1", (location_id,)
    ).fetchone()[0]
    # keyed as this version keys a check, but in a round the visit never had: only the
    # look-up of its round can find it
    orphan = keyed_id(visit_id, "roll_check", "no such round", other_place)
    with conn:
        conn.executemany(
            "INSERT INTO roll_check (id, version, taken_at, location_id, round_id) "
            f"VALUES (?, '{STAMP}', '2022-03-15T10:00', ?, ?)",
            [
                (str(uuid.uuid4()), location_id, round_id),  # a second count of a pair
                (orphan, other_place, "no such round"),
            ],
        )
    conn.close()
    with VisitFile.open(hull_path, readonly=True) as visit:
        found = {(r, loc): checks for r, loc, checks in audit._doubtful_pairs(visit)}
        statement = _the_pass(visit)
        words = [f.verdict.message for f in audit.round_findings(visit)]
    assert found == {(round_id, location_id): 2, ("no such round", other_place): 1}
    assert "roll_round" in statement  # a round is missing: each check's is looked up
    assert any("its round is not in the visit" in said for said in words), words
    assert any("is already counted in round" in said for said in words), words


def _second_count(hull_path: Path, *, orphan: bool = False) -> tuple[str, str]:
    """A second count of a location in a round, written by another hand (not keyed); with
    ``orphan``, also a keyed check in a round the visit never had."""
    conn = sqlite3.connect(hull_path)
    (visit_id,) = conn.execute("SELECT value FROM meta WHERE key = 'visit_id'").fetchone()
    round_id, location_id = conn.execute(
        "SELECT round_id, location_id FROM roll_check WHERE deleted = 0 LIMIT 1"
    ).fetchone()
    rows = [(str(uuid.uuid4()), location_id, round_id)]
    if orphan:
        rows.append((keyed_id(visit_id, "roll_check", "no such round", location_id),
                     location_id, "no such round"))  # fmt: skip
    with conn:
        conn.executemany(
            "INSERT INTO roll_check (id, version, taken_at, location_id, round_id) "
            f"VALUES (?, '{STAMP}', '2022-03-15T10:00', ?, ?)",
            rows,
        )
    conn.close()
    return round_id, location_id


def _checked(visit: VisitFile) -> tuple[list[str], list[str]]:
    """``check``'s problems, and the statements it ran on the visit's connection."""
    report, said = check_traced(visit)
    return report.problems, said


def test_check_takes_the_doubtful_checks_from_the_pass_it_made(hull_path: Path) -> None:
    """`check` asks the key rule of every live check in the merge's row checks' pass, and
    every check not keyed by its round and location comes back from it: the suspects
    are taken from those rows, and the checks are not read again for them (issue 24,
    aim 5: a second whole pass over the checks on the main thread). The second count
    is found as the pass over the checks finds it."""
    _second_count(hull_path)
    with VisitFile.open(hull_path, readonly=True) as visit:
        problems, said = _checked(visit)
        alone = [f.verdict.message for f in audit.round_findings(visit)]  # the pass's way
    assert not [s for s in said if "substr(id, 15, 1)" in s], "the checks read again"
    counted = [line for line in problems if "is already counted in round" in line]
    assert counted and all(any(a in line for a in alone) for line in counted), problems


@pytest.mark.parametrize("case", ["a round missing", "too many doubted to keep"])
def test_check_reads_the_checks_again_when_the_pass_cannot_say(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """A check in a round the visit lacks is not one the key rule doubts, and a pass that
    kept no doubted rows kept none of them: the checks are read for the pairs as
    before, and every doubtful pair is still found."""
    _second_count(hull_path, orphan=case == "a round missing")
    if case == "too many doubted to keep":
        monkeypatch.setattr(row_checks, "KEPT_DOUBTED", 0)
    with VisitFile.open(hull_path, readonly=True) as visit:
        problems, said = _checked(visit)
    assert [s for s in said if "substr(id, 15, 1)" in s]
    assert any("is already counted in round" in line for line in problems), problems
    if case == "a round missing":
        assert any("its round is not in the visit" in line for line in problems), problems
