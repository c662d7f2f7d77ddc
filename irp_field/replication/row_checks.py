"""The checks a merge makes of every row of a source (after ``guard.check_shape``): each
value of the type its column declares, every text UTF-8, under the cap and (but in the
history) holding no character a document cannot hold, tombstones 0 or 1, version stamps
well formed and not too far ahead, conflict records whole.

One pass over each table, one call into Python a row. ``check`` also reads every row
through the rules' fast path (``evidence.audit``): a table's :class:`Riding` lets that
fast path ride on the same pass, so each row is fetched and made Python's values once,
and the rows it doubts come back with the rows the merge refuses.
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from irp_field.core import connection, schema
from irp_field.core.clock import (
    FUTURE_TOLERANCE_MS,
    MILLIS_DIGITS,
    is_stamp,
    stamp_sql,
    wall_clock_ms,
)
from irp_field.core.connection import too_big, values_at_most
from irp_field.domain.errors import IrpError
from irp_field.domain.fields import TOMBSTONES
from irp_field.domain.names import unwritable
from irp_field.replication import conflict_records, row_keys


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


def _utf8(data: bytes | str | None) -> int:
    if not isinstance(data, bytes):
        return 1
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return 0
    return 1


_ALLOWED = {"TEXT": "text", "INTEGER": "integer", "REAL": "real', 'integer", "BLOB": "blob"}


def _type_checks(columns: list[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """Each way a row's value breaks its column, as SQL and in words: a value of another
    type than the column declares, a text over :data:`TEXT_CAP` characters, texts that
    are not UTF-8 (one call to Python a row, its texts joined by a line break so that two
    halves of a character in two fields fail: SQLite's own pattern matching, tried as a
    filter first, costs three times as much)."""
    found, texts = [], []
    for name, declared, notnull in columns:
        kinds = f"'{_ALLOWED.get(declared.upper(), 'text')}'" + ("" if notnull else ", 'null'")
        found.append(
            (f"typeof({name}) NOT IN ({kinds})", f"{name} holds a value of the wrong type "
             f"for its column ({declared.lower() or 'text'})")
        )  # fmt: skip
        if declared.upper() == "BLOB":  # its length is read without its bytes
            found.append((f"length({name}) > {VALUE_BYTES}", f"{name} is over {_MIB} MiB"))
        if declared.upper() == "TEXT":
            texts.append(f"COALESCE({name}, '')")
            found.append(
                (f"length({name}) > {TEXT_CAP}", f"{name} is over {TEXT_CAP:,} characters")
            )
    if texts:
        joined = " || char(10) || ".join(texts)
        found.append((f"irp_utf8(CAST({joined} AS BLOB)) = 0", "a text in it is not UTF-8"))
    return found


def _type_sql(columns: list[tuple[str, str, int]]) -> str:
    """A row any of :func:`_type_checks` finds wrong."""
    return " OR ".join(sql for sql, _ in _type_checks(columns))


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
# The row checks' connection reads no value of more bytes (SQLite's SQLITE_LIMIT_LENGTH):
# a longer one is refused by SQLite as it is read (SQLITE_TOOBIG), never made a Python
# string. A 900 MB note cost 2.67 GB before it was refused (hostile F10); a length()
# asked of every text first cost 13-19% of the pass, the limit nothing. Twice the
# largest sound value: an attachment's bytes (a text under the cap is 1.6 MB at most).
VALUE_BYTES = connection.VALUE_BYTES
_MIB = VALUE_BYTES // 2**20


def _sound_row(
    table: str,
    columns: list[tuple[str, str, int]],
    bound: str | None,
    fine: Callable[[tuple[Any, ...]], bool] | None = None,
    keyed: Callable[..., str] | None = None,
) -> Any:
    """The one-pass judge SQLite calls with every value of a row: each of its column's
    type (checked as one comparison in the usual case), no text over :data:`TEXT_CAP`
    characters nor (but in :data:`_HISTORY`) holding a character no document can hold
    (``domain.names.unwritable``: every column, those no rule reads too), the version
    stamps well formed and (``bound``) not past it. A text that is not UTF-8 never
    arrives: Python's sqlite3 refuses to decode it, and the query fails
    (:func:`check_rows` then names the row). ``fine``: a :class:`Riding`'s fast path,
    asked of each sound live row (its values as one tuple) in the same call. ``keyed``
    (the roll checks: ``row_keys.key_rule``): the id a live row must have, made from its key.
    """
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
    at_tombstone = -1 if at_deleted is None else at_deleted  # asked only with ``fine``
    at_id, at_round, at_location = (
        (names.index("id"), *(names.index(name) for name in row_keys.KEYED_BY))
        if keyed
        else (0, 0, 0)
    )

    def sound(*values: Any) -> int:
        if tuple(map(type, values)) == usual:  # every text a str: none to leave out
            joined = " ".join(texts_of(values))
        elif all(type(value) in kinds for value, kinds in zip(values, allowed, strict=True)):
            joined = " ".join(filter(None, texts_of(values)))
        else:
            return 0
        # One join serves both: no text is over the cap when all of them together are
        # not (the usual row), and one pass in C says most rows hold nothing unwritable.
        if len(joined) > TEXT_CAP and max(map(len, filter(None, texts_of(values)))) > TEXT_CAP:
            return 0
        if characters and unwritable(joined):
            return 0
        if at_deleted is not None and values[at_deleted] not in TOMBSTONES:
            return 0  # a tombstone is 0 or 1: every reader asks deleted = 0
        version = values[at_version]
        if not stamp(version) or (bound is not None and version > bound):
            return 0
        if at_base is not None and values[at_base] and not stamp(values[at_base]):
            return 0
        if (  # a live check keyed by its round and location
            keyed is not None
            and not values[at_tombstone]
            and values[at_id] != keyed(str(values[at_round]), str(values[at_location]))
        ):
            return 0
        # a sound tombstone is 0 or 1: a live row's is 0
        return 1 if fine is None or values[at_tombstone] else fine(values)

    return sound


class Riding(Protocol):
    """The rules' fast path of one table, asked in :func:`check_rows`' pass over its rows
    (``check``: each row fetched, made Python's values and called upon once for both)."""

    doubted: list[tuple[Any, ...]] | None  # set by the pass: the live rows to judge in full
    keyed: bool  # set by the pass: the key rule (``row_keys``) asked of every live row in it

    def fine_for(self, columns: Sequence[str]) -> Callable[[tuple[Any, ...]], bool] | None:
        """The fast path over a row of ``columns`` (None: it cannot ride on them)."""


# Doubted rows a pass keeps for its rider: past this, it keeps none (``doubted`` None)
# and the rules read the table again themselves, a row at a time (memory stays bounded
# when the visit's dates or team change under a million checks).
KEPT_DOUBTED = 10_000


def check_rows(
    conn: sqlite3.Connection,
    path: Path,
    *,
    accept_skew: bool,
    riding: Mapping[str, Riding] | None = None,
) -> None:
    """Every value of the type its column declares (a BLOB is no note's text; 'lots' no
    roll), every text valid UTF-8, every stamp a stamp and none more than a day ahead
    (unless ``accept_skew``): one pass over each table (after :func:`check_shape`), one
    call into Python a row; the first bad row found is then named for what is wrong.

    ``riding`` (``check``): a table's rules' fast path asked in the same call, whose
    ``doubted`` is set to every live row it doubts or this module refuses (left None
    when the pass could not keep or read them all); such a table is read whole even
    after a bad row was found in another."""
    conn.create_function("irp_utf8", 1, _utf8, deterministic=True)
    bound = None if accept_skew else future_bound()
    with values_at_most(conn, VALUE_BYTES):
        first_bad = _first_bad(conn, bound, riding or {})
    # the refusal's path reads the value's length in SQLite alone
    if first_bad is not None:
        _name_the_bad_row(conn, path, first_bad[0], first_bad[1], bound)
    bad = conflict_records.first_not_whole(conn)
    if bad is not None:
        raise _refuse(path, f"conflict row {bad} is not a well-formed conflict record")


def _first_bad(
    conn: sqlite3.Connection, bound: str | None, riding: Mapping[str, Riding]
) -> tuple[str, list[tuple[str, str, int]]] | None:
    """The first table holding a row the merge refuses (and its columns); every
    rider's table read whole."""
    first_bad: tuple[str, list[tuple[str, str, int]]] | None = None
    for table in _holding_rows(conn, (*schema.MERGED_TABLES, "change_log")):
        rider = riding.get(table)
        if first_bad is not None and rider is None:
            continue  # named below; only the riders' tables are still read
        columns = [
            (str(name), str(declared), int(notnull))
            for name, declared, notnull in conn.execute(
                f"SELECT name, type, \"notnull\" OR pk FROM pragma_table_info('{table}', 'main')"
            )
        ]
        names = [name for name, _, _ in columns]
        fine = rider.fine_for(names) if rider is not None and "deleted" in names else None
        if not columns:
            continue  # an older file read as it is (a merge's source passed check_shape)
        keyed = row_keys.key_rule(conn, table, names)
        if fine is None:
            bad = _any_refused(conn, table, columns, bound, keyed)
        else:
            bad = _judged_once(conn, table, columns, bound, (rider, fine), keyed)  # type: ignore[arg-type]
        if bad and first_bad is None:
            first_bad = (table, columns)
    return first_bad


def _any_refused(
    conn: sqlite3.Connection,
    table: str,
    columns: list[tuple[str, str, int]],
    bound: str | None,
    keyed: Callable[..., str] | None = None,
) -> bool:
    """Does ``table`` hold a row :func:`_sound_row` refuses? (It stops at the first.)"""
    judge = _sound_row(table, columns, bound, keyed=keyed)
    conn.create_function("irp_sound_row", len(columns), judge)
    listed = ", ".join(name for name, _, _ in columns)
    try:
        return (
            conn.execute(
                f"SELECT 1 FROM main.{table} WHERE NOT irp_sound_row({listed}) LIMIT 1"
            ).fetchone()
            is not None
        )
    except sqlite3.OperationalError as error:
        if _UDF_FAILED not in str(error):
            raise
        return True  # a text Python could not decode
    except sqlite3.DataError as error:
        if not too_big(error):
            raise
        return True  # a value of more than VALUE_BYTES, never read into Python


def _judged_once(
    conn: sqlite3.Connection,
    table: str,
    columns: list[tuple[str, str, int]],
    bound: str | None,
    riding: tuple[Riding, Callable[[tuple[Any, ...]], bool]],
    keyed: Callable[..., str] | None = None,
) -> bool:
    """One pass over ``table`` for both judges: SQLite hands back only the rows the merge
    refuses or the fast path doubts, and the live ones are kept for the rules. True when
    a row is refused."""
    rider, fine = riding
    sound = _sound_row(table, columns, bound, keyed=keyed)
    judged = _sound_row(table, columns, bound, fine, keyed)
    conn.create_function("irp_judged_row", len(columns), judged)
    listed = ", ".join(name for name, _, _ in columns)
    refused = False
    doubted: list[tuple[Any, ...]] | None = []
    cursor = conn.cursor()
    try:
        for live, *row in cursor.execute(
            f"SELECT deleted = 0, {listed} FROM main.{table} WHERE NOT irp_judged_row({listed})"
        ):
            refused = refused or not sound(*row)
            if live and doubted is not None:
                doubted = doubted if len(doubted) < KEPT_DOUBTED else None
                if doubted is not None:
                    doubted.append(tuple(row))
    except sqlite3.OperationalError as error:
        if _UDF_FAILED not in str(error):
            raise
        return True  # a text Python could not decode: the rules read the table themselves
    except sqlite3.DataError as error:
        if not too_big(error):
            raise
        return True  # a value of more than VALUE_BYTES, never read into Python
    finally:  # closed first: SQLite will not replace a function a live statement uses
        cursor.close()
        conn.create_function("irp_judged_row", len(columns), None)  # lets the rider go
    rider.doubted, rider.keyed = doubted, keyed is not None
    return refused


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
    conn: sqlite3.Connection,
    path: Path,
    table: str,
    columns: list[tuple[str, str, int]],
    bound: str | None,
) -> None:
    _name_a_value_too_long(conn, path, table, columns)
    for sql, words in _type_checks(columns):  # the refusal's path: each asked alone
        bad = conn.execute(f"SELECT id FROM main.{table} WHERE {sql} LIMIT 1").fetchone()
        if bad is not None:
            raise _refuse(path, f"{table} row {bad[0]}: {words}")
    if table not in _HISTORY:
        _name_a_character(conn, path, table)
    if table != "change_log":
        bad = conn.execute(
            f"SELECT id, deleted FROM main.{table} WHERE deleted NOT IN {TOMBSTONES} LIMIT 1"
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
    unkeyed = row_keys.first_unkeyed(conn, table, [name for name, _, _ in columns])
    if unkeyed is not None:
        raise RowRefused(path, table, unkeyed, row_keys.unkeyed_words(unkeyed))
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


def _name_a_value_too_long(
    conn: sqlite3.Connection, path: Path, table: str, columns: list[tuple[str, str, int]]
) -> None:
    """The row of ``table`` holding a value of more than :data:`VALUE_BYTES`, named with
    its column, with that value never read (its length asked under the limit: a 900 MB
    note was loaded whole to be measured). Whether there is one is asked of SQLite
    alone; only then are the keys read in order, the row being the one after the last
    key read before SQLite refused."""
    sizes = " + ".join(f"length(CAST({name} AS BLOB))" for name, _, _ in columns)
    with values_at_most(conn, VALUE_BYTES):
        try:
            conn.execute(f"SELECT 1 FROM main.{table} WHERE {sizes} < 0 LIMIT 1").fetchone()
            return  # none: the other checks name the row
        except sqlite3.DataError as error:
            if not too_big(error):
                raise
        last: list[Any] = []
        try:
            for key, _ in conn.execute(f"SELECT id, {sizes} FROM main.{table} ORDER BY id"):
                last[:] = [key]
            bad = None
        except sqlite3.DataError as error:
            if not too_big(error):
                raise
            # Scans, never a look-up by key (+id): a look-up in a table without rowids
            # compares whole rows, and so loaded the long one (100 MB a column asked).
            after = "WHERE +id > ?" if last else ""
            bad = conn.execute(f"SELECT min(+id) FROM main.{table} {after}", last).fetchone()
        if bad is None or bad[0] is None:  # its key itself, or what no key's order reaches
            raise _refuse(path, f"{table} holds a value over {_MIB} MiB")
        for name, declared, _ in columns:
            try:
                conn.execute(
                    f"SELECT length(CAST({name} AS BLOB)) FROM main.{table} WHERE +id = ?", bad
                ).fetchone()
            except sqlite3.DataError as error:
                if not too_big(error):
                    raise
                # as the other checks would word it (a text this long is over the cap)
                words = (
                    f"{name} is over {TEXT_CAP:,} characters"
                    if declared.upper() == "TEXT"
                    else f"{name} is over {VALUE_BYTES // 2**20} MiB"
                )
                refused = f"{table} row {bad[0]}: {words}"
                raise RowRefused(path, table, str(bad[0]), refused) from None


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
