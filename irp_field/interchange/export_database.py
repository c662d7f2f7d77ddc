"""The analyst database every export is written from, built with sqlite-utils.

Typed tables with their primary and foreign keys (:mod:`export_tables`), rows in the
order of time or position, empty text as NULL, the computed tables
(:mod:`export_derived`) as typed tables rather than views (DuckDB's sqlite scanner and
pandas then see a share as a number), and full-text search on the notes: the kind of
file ``sqlite-utils`` and Datasette users know. The SQLite export is this database,
written whole (``VACUUM INTO``); the CSV, JSON and XLSX writers read its tables.

It is held in memory, row by row as the visits are read (no list of a table's rows is
built here): the peak is the database's own size.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from typing import TYPE_CHECKING, Any

from irp_field.interchange.export_derived import DERIVED, TABLES
from irp_field.interchange.export_tables import AnalystTable, Column

if TYPE_CHECKING:  # sqlite-utils loads click: imported when an export runs, not before
    import sqlite_utils

EVERY_TABLE: tuple[AnalystTable, ...] = (*TABLES, *DERIVED)
BY_NAME = {table.name: table for table in EVERY_TABLE}
SEARCHED = {"note": ("text", "tags")}  # full-text search (FTS5), as sqlite-utils makes it
FILES = "attachment_file"


def _primary_key(table: str) -> str:
    found = BY_NAME[table].pk
    return found[0] if found else "rowid"


def create(db: sqlite_utils.Database, table: AnalystTable) -> None:
    """``table`` with its declared types, primary key and foreign keys."""
    pk: str | tuple[str, ...] | None = (
        None if not table.pk else table.pk[0] if len(table.pk) == 1 else table.pk
    )
    db[table.name].create(  # type: ignore[union-attr]
        {c.name: c.sql_type for c in table.columns},
        pk=pk,
        foreign_keys=[
            (c.name, c.references, _primary_key(c.references))
            for c in table.columns
            if c.references and not (table.name == "visit" and c.name == "visit_id")
        ],
        column_order=table.names,
    )


@contextmanager
def building() -> Iterator[sqlite_utils.Database]:
    """An empty analyst database: every table read from a visit made, none filled."""
    import sqlite_utils

    conn = sqlite3.connect(":memory:")
    db = sqlite_utils.Database(conn)
    try:
        for table in TABLES:
            create(db, table)
        db[FILES].create(  # type: ignore[union-attr]
            {"sha256": "TEXT", "kind": "TEXT", "size": "INTEGER", "content": "BLOB"},
            pk="sha256",
        )
        yield db
    finally:
        conn.close()


def _whole(value: Any) -> Any:
    """A whole number from what a file holds ('2018', 2018.0), or None (a seed typed as
    words, in a bundle edited by hand, is not a number: left out rather than mistyped)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _real(value: Any) -> Any:
    if value is None or isinstance(value, int | float):
        return value
    try:
        return float(str(value))
    except ValueError:
        return None


def cleaner(columns: Iterable[Column]) -> Callable[[Iterable[Any]], list[Any]]:
    """What makes a row as its table declares it: '' is NULL, a whole number a number."""
    typed = [
        (i, _whole if c.kind == "integer" else _real)
        for i, c in enumerate(columns)
        if c.kind in ("integer", "number")
    ]

    def clean(row: Iterable[Any]) -> list[Any]:
        values = [None if value == "" else value for value in row]
        for index, kind in typed:
            values[index] = kind(values[index])
        return values

    return clean


def insert(db: sqlite_utils.Database, table: AnalystTable, rows: Iterable[Any]) -> None:
    """Append ``rows`` (in column order) to ``table``, typed, in the order given."""
    clean = cleaner(table.columns)
    db[table.name].insert_all(  # type: ignore[union-attr]
        chain([table.names], (clean(row) for row in rows)),
        batch_size=500,
    )


def insert_files(db: sqlite_utils.Database, files: Iterable[tuple[str, str, int, bytes]]) -> None:
    """The attached files (sha256, kind, size, bytes), one copy of each, one at a time."""
    db[FILES].insert_all(  # type: ignore[union-attr]
        chain([["sha256", "kind", "size", "content"]], files), ignore=True, batch_size=1
    )


def finish(db: sqlite_utils.Database) -> None:
    """The computed tables, from the tables as written (redacted, when asked), and the
    notes' full-text index."""
    for table in DERIVED:
        create(db, table)
        marks = ", ".join(table.names)
        db.execute(f"INSERT INTO {table.name} ({marks}) {table.select}")
    for name, columns in SEARCHED.items():
        db[name].enable_fts(columns, create_triggers=True)  # type: ignore[union-attr]
    db.conn.commit()


def ordered(conn: sqlite3.Connection, table: AnalystTable) -> sqlite3.Cursor:
    """The rows of ``table`` in the order written (time or position)."""
    return conn.execute(f"SELECT {', '.join(table.names)} FROM {table.name} ORDER BY rowid")
