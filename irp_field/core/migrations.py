"""Applying the schema's numbered migrations to a visit file.

The record of what ran is the ``_sqlite_migrations`` table that sqlite-utils'
``Migrations`` keeps (same columns, set name ``irp_field``), so files made by earlier
versions, which used sqlite-utils for this, migrate exactly as before. This small
runner replaces it because importing sqlite-utils imports click (its plugin hooks): the
API, which scripts and the terminal UI use, must not load the command line's framework.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence

SET_NAME = "irp_field"
TABLE = "_sqlite_migrations"

Migration = Callable[[sqlite3.Connection], None]


def _ensure_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        f'CREATE TABLE IF NOT EXISTS "{TABLE}" (\n   "id" INTEGER PRIMARY KEY,\n'
        '   "migration_set" TEXT,\n   "name" TEXT,\n   "applied_at" TEXT\n)'
    )
    conn.execute(
        'CREATE UNIQUE INDEX IF NOT EXISTS "idx__sqlite_migrations_migration_set_name"\n'
        f'    ON "{TABLE}" ("migration_set", "name")'
    )


def applied(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations this file has had, in the order they ran."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).fetchone()
    if exists is None:
        return []
    rows = conn.execute(
        f'SELECT name FROM "{TABLE}" WHERE migration_set = ? ORDER BY rowid', (SET_NAME,)
    )
    return [str(row[0]) for row in rows]


def pending(conn: sqlite3.Connection, steps: Sequence[Migration]) -> list[Migration]:
    done = set(applied(conn))
    return [step for step in steps if step.__name__ not in done]


def apply(conn: sqlite3.Connection, steps: Sequence[Migration]) -> list[str]:
    """Run each pending step in its own transaction with its record; returns their names.

    ``conn`` must be in autocommit mode (``isolation_level=None``), as every connection
    of the visit file is.
    """
    ran = []
    for step in pending(conn, steps):
        conn.execute("BEGIN IMMEDIATE")
        try:
            _ensure_table(conn)
            step(conn)
            conn.execute(
                f'INSERT INTO "{TABLE}" (migration_set, name, applied_at) VALUES (?, ?, ?)',
                (SET_NAME, step.__name__, str(dt.datetime.now(dt.UTC))),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        ran.append(step.__name__)
    return ran
