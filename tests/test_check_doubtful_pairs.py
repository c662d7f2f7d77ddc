"""``check``'s look for roll checks another hand wrote (a second count of a location in a
round, a check in a round the visit does not have): every such check found, and the
pass over every check made in the table's own order, looking no round up when none is
missing (issue 24: the look-ups made ``check`` grow faster than the file)."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.evidence import audit

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
