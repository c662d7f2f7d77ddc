"""A source file is untrusted: its shape and its stamps are checked before any of its
rows is read, and the merge can be stopped.

Another laptop's file may come from another version, a damaged disk, a SQLite browser
or a hostile hand. Before a merge reads a row of it (and before any snapshot is
taken), each source must have every merged table as a plain table with exactly this
version's columns and declared types (a view could run any query; a virtual table,
any module), well-formed version stamps no further ahead of this machine's clock than
a day (unless the team leader accepts the skew), and well-formed conflict records.
The refusal names the file and the first bad thing. While a merge runs, SQLite calls
back every few thousand steps: Ctrl-C, or a time bound that grows with the sources'
size, stops it and rolls it back.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from irp_field.core import schema
from irp_field.domain.errors import IrpError
from irp_field.replication.row_checks import Column, _columns, _refuse
from irp_field.replication.row_checks import Riding as Riding
from irp_field.replication.row_checks import RowRefused as RowRefused
from irp_field.replication.row_checks import check_rows as check_rows
from irp_field.replication.row_checks import future_bound as future_bound


def our_shape() -> dict[str, tuple[Column, ...]]:
    """Every merged table's columns (and the change log's) exactly as this version's
    migrations make them, read from an empty file made by them in memory."""
    return _made_by_migrations()[0]


def our_statements() -> dict[str, str]:
    """Every merged table's (and the change log's) ``CREATE TABLE`` statement as this
    version's migrations leave it in ``sqlite_master``, from the same file."""
    return _made_by_migrations()[1]


@cache
def _made_by_migrations() -> tuple[dict[str, tuple[Column, ...]], dict[str, str]]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in schema.MIGRATIONS:
            step(conn)
        tables = (*schema.MERGED_TABLES, "change_log")
        statements = {
            str(name): str(sql)
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN "
                f"({', '.join('?' for _ in tables)})",
                tables,
            )
        }
        return {table: _columns(conn, table) for table in tables}, statements
    finally:
        conn.close()


def check_shape(conn: sqlite3.Connection, path: Path, version: int = schema.SCHEMA_VERSION) -> None:
    """Every merged table (and the change log) a plain table with this version's columns,
    declared types and constraints: a table rebuilt without its NOT NULLs or its primary
    key could hand the merge a NULL or two rows of one id. A file of an older schema
    (``version``): its tables plain tables, before anything reads one (their columns are
    checked once its copy is migrated)."""
    expected = {
        table: columns for table, columns in our_shape().items() if schema.since(table) <= version
    }
    found = {
        row[0]: (row[1], row[2] or "")
        for row in conn.execute(
            "SELECT name, type, sql FROM main.sqlite_master WHERE name IN "
            f"({', '.join('?' for _ in expected)})",
            tuple(expected),
        )
    }
    statements = our_statements()
    for table, columns in expected.items():
        kind, sql = found.get(table, ("", ""))
        if kind != "table" or sql.upper().startswith("CREATE VIRTUAL"):
            shown = kind or "missing"
            raise _refuse(path, f"{table} is {'a ' + shown if kind else shown}, not a table")
        if version != schema.SCHEMA_VERSION or sql == statements[table]:
            # The very statement this version's migrations leave (a file made by them,
            # as every laptop's is): SQLite reads its columns, types and constraints
            # from that text alone, so they are this version's; any other text (a file
            # migrated by an older path, a hand's) has them compared one by one.
            continue
        theirs = _columns(conn, table)
        if [c[:2] for c in theirs] != [c[:2] for c in columns]:
            raise _refuse(path, f"{table} has other columns than this irp-field's")
        if theirs != columns:
            raise _refuse(
                path, f"{table} lacks this irp-field's constraints (NOT NULL, the primary key)"
            )


def check_source(path: Path, *, accept_skew: bool, named: Path | None = None) -> None:
    """Open ``path`` read-only on a connection of its own and check its shape, stamps and
    keys (``named``: the file to name in a refusal, when ``path`` is its migrated copy)."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        check_opened(conn, named or path, accept_skew=accept_skew)
    finally:
        conn.close()


def check_opened(
    conn: sqlite3.Connection, named: Path, *, accept_skew: bool, shape: bool = True
) -> None:
    """:func:`check_source` on a connection the merge already holds to the file
    (``shape=False``: its shape was checked as it was opened, at this version's schema)."""
    try:
        if shape:
            check_shape(conn, named)
        check_rows(conn, named, accept_skew=accept_skew)  # the roll checks' keys too
    except sqlite3.DatabaseError as error:
        raise _refuse(named, f"cannot be read ({error})") from None


def drop_code(path: Path) -> None:
    """In a source's temporary copy (never the source): no trigger or view of its own
    may run while this version migrates it."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        code = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')"
        ).fetchall()
        for kind, name in code:
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{name.replace(chr(34), "")}"')
    finally:
        conn.close()


class Stopped(KeyboardInterrupt):
    """The merge was stopped (Ctrl-C, or past its time bound) and rolled back."""


def time_bound(paths_read: list[Path]) -> float:
    """Seconds a merge may take: a minute, and ten seconds more per megabyte read (a
    merge of twelve real files takes a second or two)."""
    size = sum(p.stat().st_size for p in paths_read if p.exists())
    return 60 + 10 * size / 1_000_000


@contextmanager
def stoppable(conn: sqlite3.Connection, seconds: float) -> Iterator[list[str]]:
    """SQLite calls back every few thousand steps; Ctrl-C (in the main thread) or the
    time bound ends the statement, and the caller's transaction rolls back."""
    reason: list[str] = []
    deadline = time.monotonic() + seconds

    def check() -> int:
        if not reason and time.monotonic() > deadline:
            reason.append(f"it ran past its bound of {seconds:.0f} s")
        return 1 if reason else 0

    previous = None
    if threading.current_thread() is threading.main_thread():

        def interrupted(signum: int, frame: object) -> None:
            reason.append("interrupted")
            conn.interrupt()

        previous = signal.signal(signal.SIGINT, interrupted)
    conn.set_progress_handler(check, 10_000)
    try:
        yield reason
    except sqlite3.OperationalError as error:
        if reason == ["interrupted"]:
            raise Stopped("the merge was interrupted; nothing was merged") from None
        if reason:
            raise IrpError(f"the merge stopped: {reason[0]}; nothing was merged") from None
        raise error
    finally:
        conn.set_progress_handler(None, 0)
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
