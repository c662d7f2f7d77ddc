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

import json
import operator
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from irp_field.core import schema
from irp_field.core.clock import (
    FUTURE_TOLERANCE_MS,
    MILLIS_DIGITS,
    is_stamp,
    stamp_sql,
    wall_clock_ms,
)
from irp_field.core.ids import keyed_id
from irp_field.domain.errors import IrpError
from irp_field.domain.names import unwritable


def _refuse(path: Path, what: str) -> IrpError:
    return IrpError(f"refused: {path}: {what}; nothing was merged")


class RowRefused(IrpError):
    """A refusal of one row (``table``, ``row_id``): ``check`` lists it once, not again
    beside the rule that names the same row in the inspectors' words."""

    def __init__(self, path: Path, table: str, row_id: str, what: str) -> None:
        super().__init__(f"refused: {path}: {what}; nothing was merged")
        self.table, self.row_id = table, row_id


# Tables whose texts may hold what no rule lets in now: the change log keeps every old
# value (a note as a file of 0.3.0 stored it) for ever, and a conflict record's other
# version is held to the rules when it is kept.
_HISTORY = ("change_log", "conflict")


Column = tuple[str, str, int, int]  # name, declared type, NOT NULL, place in the primary key


def _columns(conn: sqlite3.Connection, table: str) -> tuple[Column, ...]:
    """A table's columns; the primary key's NOT NULL left out (a clustered table implies
    it, a table of an older version did not say it: ``check_rows`` refuses a NULL id)."""
    return tuple(
        (str(row[1]), str(row[2]).upper(), int(row[3]) if not row[5] else 0, int(row[5]))
        for row in conn.execute(f"SELECT * FROM pragma_table_info('{table}', 'main')")
    )


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


def _utf8(data: bytes | str | None) -> int:
    if not isinstance(data, bytes):
        return 1
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return 0
    return 1


_ALLOWED = {"TEXT": "text", "INTEGER": "integer", "REAL": "real', 'integer", "BLOB": "blob"}


def _type_sql(columns: list[tuple[str, str, int]]) -> str:
    """A row whose values are of other types than their columns declare, or whose texts
    are not UTF-8 (one call to Python a row, its texts joined by a line break so that two
    halves of a character in two fields fail: SQLite's own pattern matching, tried as a
    filter first, costs three times as much)."""
    wrong, texts = [], []
    for name, declared, notnull in columns:
        kinds = f"'{_ALLOWED.get(declared.upper(), 'text')}'" + ("" if notnull else ", 'null'")
        wrong.append(f"typeof({name}) NOT IN ({kinds})")
        if declared.upper() == "TEXT":
            texts.append(f"COALESCE({name}, '')")
            wrong.append(f"length({name}) > {TEXT_CAP}")
    if texts:
        wrong.append(f"irp_utf8(CAST({' || char(10) || '.join(texts)} AS BLOB)) = 0")
    return " OR ".join(wrong)


_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "TEXT": (str,),
    "INTEGER": (int,),
    "REAL": (float, int),
    "BLOB": (bytes,),
}
_UDF_FAILED = "user-defined function raised exception"
# No text in a visit file is longer: the rules cap a note or a paragraph at 100,000
# characters, and a conflict's or the change log's copy of a row holds a few such.
TEXT_CAP = 400_000


def _sound_row(table: str, columns: list[tuple[str, str, int]], bound: str | None) -> Any:
    """The one-pass judge SQLite calls with every value of a row: each of its column's
    type (checked as one comparison in the usual case), no text over :data:`TEXT_CAP`
    characters nor (but in :data:`_HISTORY`) holding a character no document can hold
    (``domain.names.unwritable``: every column, those no rule reads too), the version
    stamps well formed and (``bound``) not past it. A text that is not UTF-8 never
    arrives: Python's sqlite3 refuses to decode it, and the query fails
    (:func:`check_rows` then names the row)."""
    usual = tuple(_PYTHON_TYPES.get(declared.upper(), (str,))[0] for _, declared, _ in columns)
    allowed = tuple(
        _PYTHON_TYPES.get(declared.upper(), (str,)) + (() if notnull else (type(None),))
        for _, declared, notnull in columns
    )
    names = [name for name, _, _ in columns]
    texts = [at for at, (_, declared, _) in enumerate(columns) if declared.upper() == "TEXT"]
    texts_of = operator.itemgetter(*texts) if len(texts) > 1 else lambda row: (row[texts[0]],)
    at_version = names.index("version")
    at_base = names.index("base_version") if "base_version" in names else None
    at_deleted = names.index("deleted") if "deleted" in names else None
    stamp = is_stamp
    characters = table not in _HISTORY

    def sound(*values: Any) -> int:
        if tuple(map(type, values)) != usual and not all(
            type(value) in kinds for value, kinds in zip(values, allowed, strict=True)
        ):
            return 0
        # One join serves both: no text is over the cap when all of them together are
        # not (the usual row), and one pass in C says most rows hold nothing unwritable.
        joined = " ".join(filter(None, texts_of(values)))
        if len(joined) > TEXT_CAP and max(map(len, filter(None, texts_of(values)))) > TEXT_CAP:
            return 0
        if characters and unwritable(joined):
            return 0
        if at_deleted is not None and values[at_deleted] not in (0, 1):
            return 0  # a tombstone is 0 or 1: every reader asks deleted = 0
        version = values[at_version]
        if not stamp(version) or (bound is not None and version > bound):
            return 0
        return 0 if at_base is not None and values[at_base] and not stamp(values[at_base]) else 1

    return sound


def check_rows(conn: sqlite3.Connection, path: Path, *, accept_skew: bool) -> None:
    """Every value of the type its column declares (a BLOB is no note's text; 'lots' no
    roll), every text valid UTF-8, every stamp a stamp and none more than a day ahead
    (unless ``accept_skew``): one pass over each table (after :func:`check_shape`), one
    call into Python a row; the first bad row found is then named for what is wrong."""
    conn.create_function("irp_utf8", 1, _utf8, deterministic=True)
    bound = None if accept_skew else future_bound()
    for table in _holding_rows(conn, (*schema.MERGED_TABLES, "change_log")):
        columns = [
            (str(name), str(declared), int(notnull))
            for name, declared, notnull in conn.execute(
                f"SELECT name, type, \"notnull\" OR pk FROM pragma_table_info('{table}', 'main')"
            )
        ]
        if not columns:
            continue  # an older file read as it is (a merge's source passed check_shape)
        conn.create_function("irp_sound_row", len(columns), _sound_row(table, columns, bound))
        listed = ", ".join(name for name, _, _ in columns)
        try:
            bad = conn.execute(
                f"SELECT 1 FROM main.{table} WHERE NOT irp_sound_row({listed}) LIMIT 1"
            ).fetchone()
        except sqlite3.OperationalError as error:
            if _UDF_FAILED not in str(error):
                raise
            bad = (1,)  # a text Python could not decode
        if bad is not None:
            _name_the_bad_row(conn, path, table, _type_sql(columns), bound)
    _check_conflict_rows(conn, path)


def _holding_rows(conn: sqlite3.Connection, tables: tuple[str, ...]) -> list[str]:
    """Those of ``tables`` the file has and holds a row in, in their order, in two
    queries (an empty table has no row to judge; a laptop's file holds a few kinds)."""
    present = {
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name IN "
            f"({', '.join('?' for _ in tables)})",
            tables,
        )
    }
    asked = " UNION ALL ".join(
        f"SELECT '{table}' WHERE EXISTS (SELECT 1 FROM main.{table})"
        for table in tables
        if table in present
    )
    held = {str(row[0]) for row in conn.execute(asked)} if asked else set()
    return [table for table in tables if table in held]


def _name_the_bad_row(
    conn: sqlite3.Connection, path: Path, table: str, types: str, bound: str | None
) -> None:
    bad = conn.execute(f"SELECT id FROM main.{table} WHERE {types} LIMIT 1").fetchone()
    if bad is not None:
        raise _refuse(
            path,
            f"{table} row {bad[0]} holds a value of the wrong type, a text not UTF-8 or one "
            f"over {TEXT_CAP:,} characters",
        )
    if table not in _HISTORY:
        _name_a_character(conn, path, table)
    if table != "change_log":
        bad = conn.execute(
            f"SELECT id, deleted FROM main.{table} WHERE deleted NOT IN (0, 1) LIMIT 1"
        ).fetchone()
        if bad is not None:
            raise _refuse(path, f"{table} row {bad[0]}: deleted is {bad[1]!r}, neither 0 nor 1")
    for column in ["version"] if table == "change_log" else ["version", "base_version"]:
        allow_empty = f"{column} = '' OR " if column == "base_version" else ""
        bad = conn.execute(
            f"SELECT id, {column} FROM main.{table} "
            f"WHERE NOT ({allow_empty}{stamp_sql(column)}) LIMIT 1"
        ).fetchone()
        if bad is not None:
            shown = repr(bad[1])[:40]
            raise _refuse(path, f"{table} row {bad[0]}: {column} {shown} is not a stamp")
    ahead = conn.execute(
        f"SELECT COUNT(*), MAX(version) FROM main.{table} WHERE version > ?", (bound,)
    ).fetchone()
    if bound is None or not ahead[0]:  # the one-pass judge and these disagree: say so
        raise _refuse(path, f"{table} holds a row this version cannot read")
    raise _refuse(
        path,
        f"{ahead[0]} {table} row(s) stamped up to {ahead[1][:13]} ms, more than a "
        "day ahead of this laptop's clock (that laptop's clock was wrong: merge "
        "with --accept-clock-skew to take them)",
    )


def _name_a_character(conn: sqlite3.Connection, path: Path, table: str) -> None:
    """The first row of ``table`` with a text no document can hold, named with its column
    and the character (a second pass, made only once the first found one)."""
    columns = [c[0] for c in _columns(conn, table) if c[1] == "TEXT"]
    for row in conn.execute(f"SELECT id, {', '.join(columns)} FROM main.{table}"):
        for column, text in zip(columns, row[1:], strict=True):
            character = unwritable(text) if isinstance(text, str) else None
            if character is not None:
                raise RowRefused(
                    path,
                    table,
                    str(row[0]),
                    f"{table} row {row[0]}: {column} holds {character}, a character no "
                    "document can hold",
                )


def future_bound() -> str:
    """The highest stamp a merge accepts without --accept-clock-skew: a day from now."""
    return f"{wall_clock_ms() + FUTURE_TOLERANCE_MS:0{MILLIS_DIGITS}d}.999999."


def _check_conflict_rows(conn: sqlite3.Connection, path: Path) -> None:
    tables = ", ".join(f"'{t}'" for t in schema.MERGED_TABLES)
    bad = conn.execute(
        "SELECT id FROM main.conflict WHERE NOT (json_valid(other_row) AND "
        f"json_type(other_row) = 'object' AND table_name IN ({tables}) AND "
        f"{stamp_sql('other_version')} AND (kept_version = '' OR {stamp_sql('kept_version')}) "
        "AND resolved IN (0, 1)) LIMIT 1"
    ).fetchone()
    if bad is None:
        bad = next(
            (
                row
                for row in conn.execute(
                    "SELECT id, table_name, row_id, other_version, other_row FROM main.conflict"
                )
                if not _whole_version(*row[1:])
            ),
            None,
        )
    if bad is not None:
        raise _refuse(path, f"conflict row {bad[0]} is not a well-formed conflict record")


def check_roll_check_keys(conn: sqlite3.Connection, path: Path) -> None:
    """Every live roll check keyed by its round and location, as every path of this
    version writes it (and a migration makes it): a check with another id would be a
    second count of a location in a round that no merge could see as one record."""
    row = conn.execute("SELECT value FROM main.meta WHERE key = 'visit_id'").fetchone()
    visit_id = str(row[0]) if row is not None else ""
    conn.create_function(
        "irp_check_key",
        2,
        lambda round_id, location_id: keyed_id(
            visit_id, "roll_check", str(round_id), str(location_id)
        ),
        deterministic=True,
    )
    bad = conn.execute(
        "SELECT id FROM main.roll_check WHERE deleted = 0 AND "
        "id != irp_check_key(round_id, location_id) LIMIT 1"
    ).fetchone()
    if bad is not None:
        raise _refuse(
            path,
            f"roll check {str(bad[0])[:40]!r} is not keyed by its round and location (a hand "
            "or another program wrote it; it could count a location twice in a round)",
        )


def _whole_version(table: str, row_id: str, version: str, other_row: str) -> bool:
    """Does a conflict record keep a whole version of its row, as a merge writes one: every
    column of its table and no other, each a plain value, its id and version the record's?
    (Keeping the other version writes these values into the row.)"""
    try:
        other = json.loads(other_row)
    except ValueError:
        return False
    return (
        isinstance(other, dict)
        and set(other) == set(schema.merged_columns(table))
        and other["id"] == row_id
        and other["version"] == version
        and not any(isinstance(value, dict | list) for value in other.values())
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
        check_rows(conn, named, accept_skew=accept_skew)
        check_roll_check_keys(conn, named)
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
