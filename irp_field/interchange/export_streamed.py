"""The big tables of one visit, written to CSV and JSON straight from the visit (issue 24).

Every format is written from the analyst database (:mod:`export_database`), but for CSV
and JSON of one visit the big tables of evidence (:data:`STREAMED`: the roll checks, the
periods out of cell and the notes) are not copied into it: each is read by the format's
writer from the visit's own SELECT, redacted and typed as the copy would have held it
(:func:`rows_sql`, made from the same ``export_database.value_sql``: the redaction of
every column has its one home in ``redaction.POLICY``), in the table's order. Copying
them (a sort of whole rows written into a table, then read back) was most of such an
export's time beyond the format itself. What the computed tables need of the roll checks
comes from the kept roll tallies (``export_rounds``), or, for a visit that keeps none, from
this same SELECT summed (:func:`sum_rounds`).

The analyst database's typing is SQLite's own: a column's affinity, then
``export_database.settle_types`` (a number column holds numbers only). The visit's columns
read here are declared as the analyst tables declare them (text as TEXT, a count as
INTEGER), so SQLite's affinity has already typed what they hold; what is left, a value
another tool wrote that is not of its column's type (a count that is text or a fraction),
is rare, and typed by SQLite itself in a one-row table of the analyst column's type,
then settled by the same rule (:func:`_stored`).

Several visits are combined in the analyst database as before (its keys refuse a row
two visits hold).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from irp_field.interchange import export_database, export_rounds
from irp_field.interchange.export_derived import ROUND_SUMS
from irp_field.interchange.export_tables import AnalystTable, Column

# The tables a one-visit CSV or JSON export reads from the visit: the big ones, each keyed
# by the visit's own primary key (so unique without the analyst database's index), and
# none of them read by a computed table (the roll checks' sums come from their tallies)
STREAMED = ("roll_check", "toc_period", "note")


@dataclass
class Streamed:
    """A visit's open reading connection and, for each table streamed, its SELECT; the
    analyst database's connection, which holds the other tables, once it is built."""

    conn: sqlite3.Connection
    visit_id: str
    selects: dict[str, str] = field(default_factory=dict)
    analyst: sqlite3.Connection | None = None

    def rows(self, table: AnalystTable, wrapped: str = "{rows}") -> sqlite3.Cursor:
        """``wrapped`` (SQL reading ``{rows}``: the table's rows, in its order, columns
        named as its) run on the visit."""
        return self.conn.execute(wrapped.replace("{rows}", self.selects[table.name]),
                                 (self.visit_id,))  # fmt: skip


@lru_cache(maxsize=2)
def _typing_table(kind: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    column = Column("value", kind, "")
    conn.execute(f"CREATE TABLE typed (value {column.sql_type})")
    return conn


def _stored(value: Any, kind: str) -> Any:
    """``value`` as the analyst database holds it in a number column of ``kind``: stored
    there by SQLite (its affinity) and settled (``export_database.settle_types``)."""
    conn = _typing_table(kind)
    with conn:
        conn.execute("DELETE FROM typed")
        conn.execute("INSERT INTO typed (value) VALUES (?)", (value,))
        export_database.settle_table(conn, "typed", (Column("value", kind, ""),))
        [(stored,)] = conn.execute("SELECT value FROM typed")
    return stored


def register(conn: sqlite3.Connection) -> None:
    """``irp_stored(value, kind)`` (:func:`_stored`) on ``conn``."""
    conn.create_function("irp_stored", 2, _stored, deterministic=True)


def _as_held(column: Column, value: str) -> str:
    """``value`` (SQL) as the analyst column holds it: a number column's value of its own
    type kept by SQL, any other typed by :func:`_stored`; text as it is (see above)."""
    if column.kind == "integer":
        return (
            f"CASE WHEN typeof({value}) IN ('integer', 'null') THEN {value} "
            f"ELSE irp_stored({value}, 'integer') END"
        )
    if column.kind == "number":
        return (
            f"CASE WHEN typeof({value}) IN ('real', 'null') THEN {value} "
            f"ELSE irp_stored({value}, 'number') END"
        )
    return value


def rows_sql(table: AnalystTable, *, redact: bool, keep_staff_names: bool) -> str:
    """The SELECT of ``table``'s rows from a visit (``?``: its id) as the analyst database
    would hold them, redacted when ``redact``, typed, in the table's order, each column
    named as the table names it."""
    named = [f"c{i}" for i in range(len(table.columns))]
    values = [
        _as_held(column, export_database.value_sql(
            table.name, column.name, value, redact=redact, keep_staff_names=keep_staff_names))
        + f" AS {export_database.quoted(column.name)}"
        for column, value in zip(table.columns, named, strict=True)
    ]  # fmt: skip
    return (
        f"WITH rows ({', '.join(named)}) AS ({table.select}) SELECT {', '.join(values)} FROM rows"
    )


def sum_rounds(streamed: Streamed) -> None:
    """A visit whose roll tallies cannot be read (``export_rounds``): its rounds' sums from
    the streamed roll checks, into the attached analyst database's :data:`ROUND_SUMS`, as
    ``export_rounds.sum_the_rest`` sums the checks the analyst database holds."""
    table = export_database.BY_NAME["roll_check"]
    streamed.rows(
        table,
        "WITH checks AS ({rows}) "
        f"INSERT INTO {export_database.SCHEMA}.{ROUND_SUMS} "
        f"(visit_id, round_id, roll, locked_up, taken_at) {export_rounds.sums_sql('checks')}",
    )
