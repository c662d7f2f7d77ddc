"""The analyst database every export is written from, built with sqlite-utils.

Typed tables with their primary and foreign keys (:mod:`export_tables`), rows in the
order of time or position, empty text as NULL, the computed tables
(:mod:`export_derived`) as typed tables rather than views (DuckDB's sqlite scanner and
pandas then see a share as a number), and full-text search on the notes: the kind of
file ``sqlite-utils`` and Datasette users know. The SQLite export is this database,
written whole (``VACUUM INTO``); the CSV, JSON and XLSX writers read its tables.

It is built row by row as the visits are read (no list of a table's rows is built
here) in a private scratch file of the data folder (``paths.Scratch``: 0600, removed on
every way out, a killed export's removed at the next start), with a bounded page
cache, so an export's memory does not grow with the visit: a million roll checks cost
what ten thousand do. A redacted export's rows are redacted before they are inserted,
so the scratch file never holds what the export leaves out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from irp_field.interchange.export_derived import DERIVED, TABLES
from irp_field.interchange.export_tables import AnalystTable, Column

if TYPE_CHECKING:  # sqlite-utils loads click: imported when an export runs, not before
    import sqlite_utils

EVERY_TABLE: tuple[AnalystTable, ...] = (*TABLES, *DERIVED)
BY_NAME = {table.name: table for table in EVERY_TABLE}
SEARCHED = {"note": ("text", "tags")}  # full-text search (FTS5), as sqlite-utils makes it
FILES = "attachment_file"
CACHE_KIB = 32 * 1024  # SQLite's page cache while the analyst database is built


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

    from irp_field import paths

    with paths.Scratch("export") as scratch:
        conn = sqlite3.connect(scratch.file("analyst.db"))
        try:
            # Scratch, written once and thrown away: no journal, no waiting for the disk,
            # and SQLite's page cache held to CACHE_KIB whatever the visits' size.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            # Sorts too big for the cache spill to files (``temp_store`` FILE, SQLite's
            # default): in memory they grew with the visit (230 MB at 2,000,000 checks).
            # The command line sends them to the data folder's tmp/ (paths).
            conn.execute("PRAGMA temp_store = FILE")
            db = sqlite_utils.Database(conn)
            for table in TABLES:
                create(db, table)
            db[FILES].create(  # type: ignore[union-attr]
                {"sha256": "TEXT", "kind": "TEXT", "size": "INTEGER", "content": "BLOB"},
                pk="sha256",
            )
            yield db
        finally:
            conn.close()


def insert(db: sqlite_utils.Database, table: AnalystTable, rows: Iterable[Any]) -> None:
    """Append ``rows`` (in column order) to ``table`` in the order given (typed after, by
    :func:`settle_types`).

    With the connection's own ``executemany``, which takes the rows one at a time from
    the iterator: sqlite-utils' ``insert_all`` looks at every value in Python to build its
    statements (three times as slow for 100,000 roll checks), and the table it would
    create is already made, with its types and keys, by :func:`create`."""
    marks = ", ".join("?" for _ in table.columns)
    with db.conn:
        db.conn.executemany(
            f"INSERT INTO {table.name} ({', '.join(table.names)}) VALUES ({marks})", rows
        )


def _settled(column: Column) -> str:
    """What a column's value becomes: '' is NULL; a number column holds only numbers
    (SQLite's column affinity has made '2018' 2018; a seed typed as words in a bundle
    edited by hand is no number: NULL rather than mistyped)."""
    name = column.name
    if column.kind == "integer":
        return f"{name} = CASE WHEN typeof({name}) = 'integer' THEN {name} END"
    if column.kind == "number":
        return f"{name} = CASE WHEN typeof({name}) IN ('integer', 'real') THEN {name} END"
    return f"{name} = NULLIF({name}, '')"


def settle_types(db: sqlite_utils.Database) -> None:
    """Every table read from the visits as its columns declare it (one pass in SQLite)."""
    with db.conn:
        for table in TABLES:
            settled = ", ".join(_settled(c) for c in table.columns)
            db.conn.execute(f"UPDATE {table.name} SET {settled}")


def insert_files(db: sqlite_utils.Database, files: Iterable[tuple[str, str, int, bytes]]) -> None:
    """The attached files (sha256, kind, size, bytes), one copy of each, one at a time."""
    with db.conn:
        db.conn.executemany(f"INSERT OR IGNORE INTO {FILES} VALUES (?, ?, ?, ?)", files)


def finish(db: sqlite_utils.Database) -> None:
    """The tables typed, the computed tables from them (redacted, when asked), and the
    notes' full-text index."""
    settle_types(db)
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
