"""Each round's sums for the export's ``locked_up_by_round``, read from the kept tallies.

``locked_up_by_round`` is each round's roll and locked up summed over its live checks.
A visit that keeps this version's roll tallies (``evidence.roll_tallies``, as the
figures read them) holds those sums already, a row per round: they are copied into the
scratch table :data:`ROUND_SUMS` beside the analyst database (redacted as the checks' own
``visit_id`` and ``round_id`` are) and no check is read for them (0.27 s of a 100,000
check export was that GROUP BY: a sort of every check and a look-up of each one's round).

A visit whose tallies are not this version's (an older schema read as it is, a table
another tool changed), or that has a round with no day or time of its own (its
``started_at`` is then its first check's, which the tallies do not hold), is summed as
before, from its checks as the analyst database holds them (typed and redacted), once
they are typed (:func:`sum_the_rest`). Either way ``locked_up_by_round`` is filled by
its one SELECT over :data:`ROUND_SUMS` (``export_derived.FROM_ROUND_SUMS``), and the
scratch table is dropped before any format is written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from irp_field.core.visit_file import VisitFile
from irp_field.evidence import roll_tallies
from irp_field.interchange.export_derived import ROUND_SUMS

# A round whose started_at is its own day and time (export_derived.LOCKED_UP_BY_ROUND)
_TIMED = "o.on_date != '' AND o.at_time != ''"


def create(conn: sqlite3.Connection, schema: str) -> None:
    """The scratch table, in ``schema``: the database attached beside the analyst database
    being built (``export_database.SIDE``), where the statements below find it by its name
    alone; the analyst database never holds it (the SQLite export is built where it goes,
    and a table dropped there would leave its pages free)."""
    conn.execute(
        f"CREATE TABLE {schema}.{ROUND_SUMS} (visit_id TEXT, round_id TEXT, roll INTEGER, "
        "locked_up INTEGER, taken_at TEXT, counted INTEGER, summed INTEGER NOT NULL DEFAULT 0)"
    )


def _untimed(visit: VisitFile) -> bool:
    """Has a round with live checks no day and time of its own (or no row at all)?"""
    return bool(
        visit.conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM {roll_tallies.BY_ROUND} t LEFT JOIN roll_round o "
            f"ON o.id = t.round_id WHERE ({_TIMED}) IS NOT 1)"
        ).fetchone()[0]
    )


def copy(visit: VisitFile, into: str, as_exported: Callable[[str, str], str]) -> None:
    """The visit's round sums into ``into`` (the attached scratch table): its kept
    tallies when it keeps them, or else a mark that :func:`sum_the_rest` sums its checks;
    ``as_exported(column, value)``: the SQL of a roll check's column as the analyst
    database holds it (redacted, typed: ``export_database.value_sql``)."""
    visit_id = as_exported("visit_id", "?")
    if not roll_tallies.kept(visit) or _untimed(visit):
        visit.conn.execute(f"INSERT INTO {into} (visit_id, summed) VALUES ({visit_id}, 1)",
                           (visit.visit_id,))  # fmt: skip
        return
    kept = roll_tallies.source(visit, roll_tallies.BY_ROUND)
    live = [str(row[0]) for row in visit.query("SELECT id FROM location WHERE deleted = 0")]
    located = [t.key for t in roll_tallies.tallies(visit, roll_tallies.BY_LOCATION)]
    counted = roll_tallies.live_counted(visit, live, located)
    visit.conn.create_function("irp_live_counted", 2, counted, deterministic=True)
    visit.conn.execute(
        f"INSERT INTO {into} (visit_id, round_id, roll, locked_up, counted) "
        f"SELECT {visit_id}, {as_exported('round_id', 't.round_id')}, t.roll, t.locked_up, "
        f"irp_live_counted(t.round_id, t.checks) FROM ({kept}) t",
        (visit.visit_id,),
    )


def sum_the_rest(conn: sqlite3.Connection) -> None:
    """The visits marked by :func:`copy` summed from their checks in the analyst database
    (typed by then), as ``locked_up_by_round`` summed every visit's before; none marked
    (every visit's tallies kept): no check is read."""
    if not conn.execute(f"SELECT EXISTS (SELECT 1 FROM {ROUND_SUMS} WHERE summed)").fetchone()[0]:
        return
    conn.execute(
        f"INSERT INTO {ROUND_SUMS} (visit_id, round_id, roll, locked_up, taken_at, counted) "
        "SELECT r.visit_id, r.round_id, SUM(r.roll), SUM(r.locked_up), MIN(r.taken_at), "
        "COUNT(DISTINCT l.id) FROM roll_check r "
        "LEFT JOIN location l ON l.visit_id = r.visit_id AND l.id = r.location_id "
        f"WHERE r.visit_id IN (SELECT visit_id FROM {ROUND_SUMS} WHERE summed) "
        "GROUP BY r.visit_id, r.round_id"
    )
    conn.execute(f"DELETE FROM {ROUND_SUMS} WHERE summed")


def drop(conn: sqlite3.Connection) -> None:
    conn.execute(f"DROP TABLE {ROUND_SUMS}")
