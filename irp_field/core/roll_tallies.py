"""Each round's and each location's roll-check sums, kept beside the checks by triggers.

The roll figures need, per round and per location, the live checks and the sum of the
roll and of each category (``domain.roll_categories``). Summed from the checks that is
two grouped passes over every check (seconds at a million); kept here, the figures read
a row per round and per location, whatever the visit's size.

The tables are derived: per file, never merged, exported or shown. Triggers on
``roll_check`` add a live check's counts as it is written and take them away as it is
changed, deleted as a tombstone or removed, so every writer keeps them exact: the API,
an undo, a merge's INSERT ... SELECT, a purge, an analyst's sqlite3 shell. The import,
which writes a million rows at a time, lifts the triggers for its transaction and adds
each batch's sums itself (:func:`lift`; a trigger per row doubled its cost).

Their shape follows the registry: a table's columns and the triggers' text are made
from it here, and a file whose tables or triggers differ from what this version makes
(a category added since, a trigger another tool dropped) is built again from its
checks when a writer opens it (:func:`repair`); until then a reader sums the checks
(:func:`kept`). Migration 9 made them as the registry was then
(``schema_history.ROLL_TALLIES_9``): the test of the registry holds the two alike.

Their values are trusted only where the file's pages are: a file this installation
last wrote or found sound (``core.sound_files``). Any other (from elsewhere, or changed
by another hand since) has its tallies summed again from its checks at its first
reading (:func:`agree`, the comparison ``check`` makes); a writer sums drifted ones
again, a reader sums the checks (``VisitFile.tallies_trusted``). The kept subject-day
totals of time out of cell are trusted by the same decision (``core.kept_totals``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from irp_field.core.connection import connect
from irp_field.domain.errors import IrpError
from irp_field.domain.fields import MOST
from irp_field.domain.fields import held as in_words
from irp_field.domain.roll_categories import counts

# Per file, never merged: each round's, location's and inspector's roll-check sums (the
# table -> its key column), a column per count of the registry. Here, not among the
# merged tables (``core.tables``, made from every kind's columns): a writer's opening
# looks at them, and the app's first frame waits for that look (issue 24, aim 7).
ROLL_TALLIES = {
    "roll_tally_round": "round_id",
    "roll_tally_location": "location_id",
    "roll_tally_inspector": "inspector",
}
TABLES = ROLL_TALLIES
ROUNDS = "roll_tally_round"  # the tally of most keys: its pass is the longest
# A file this large has its tallies' passes split over two connections at its first
# opening (``agree``): about 100,000 checks; below it the three take tens of ms at most.
BESIDE_FROM_BYTES = 32 * 2**20
# Each key column -> what it is of a check (``{row}``: NEW, OLD, or a check's columns
# unqualified): an inspector is who counted, or else who typed it (the overview's tally).
KEYS = {
    "round_id": "{row}round_id",
    "location_id": "{row}location_id",
    "inspector": "COALESCE(NULLIF({row}inspector, ''), {row}created_by)",
}


def key_of(table: str, row: str = "") -> str:
    """The key of ``table``'s tally as SQL over a check (``row``: NEW or OLD)."""
    return KEYS[TABLES[table]].format(row=f"{row}." if row else "")


# The roll, then each category: every column a tally sums.
SUMMED = tuple(count.name for count in counts())


def count_column(name: str) -> str:
    """A count's column (``domain.roll_categories``): a whole number, 0 when not typed."""
    return f"{name} INTEGER NOT NULL DEFAULT 0"


def roll_tally_columns(key: str) -> str:
    summed = ", ".join(count_column(count.name) for count in counts())
    return f"{key} TEXT NOT NULL PRIMARY KEY, checks INTEGER NOT NULL DEFAULT 0, {summed}"


def table_sql(table: str) -> str:
    return f"CREATE TABLE {table} ({roll_tally_columns(TABLES[table])}) WITHOUT ROWID"


def _add(table: str, row: str) -> str:
    """Add ``row``'s counts (a live check) to its key's tally."""
    key = TABLES[table]
    values = ", ".join(f"{row}.{name}" for name in SUMMED)
    sums = ", ".join(f"{name} = {name} + excluded.{name}" for name in SUMMED)
    return (
        f"INSERT INTO {table} ({key}, checks, {', '.join(SUMMED)}) "
        f"SELECT {key_of(table, row)}, 1, {values} WHERE {row}.deleted = 0 "
        f"ON CONFLICT ({key}) DO UPDATE SET checks = checks + 1, {sums};"
    )


def _take(table: str, row: str) -> str:
    """Take ``row``'s counts (a check that was live) from its key's tally; a key with no
    live check left has no row (as a fresh sum has none)."""
    key = TABLES[table]
    sums = ", ".join(f"{name} = {name} - {row}.{name}" for name in SUMMED)
    return (
        f"UPDATE {table} SET checks = checks - 1, {sums} "
        f"WHERE {key} = {key_of(table, row)} AND {row}.deleted = 0; "
        f"DELETE FROM {table} WHERE {key} = {key_of(table, row)} AND checks = 0;"
    )


def _each(step: str) -> str:
    return " ".join(
        _add(table, "NEW") if step == "NEW" else _take(table, "OLD") for table in TABLES
    )


def trigger_sql() -> dict[str, str]:
    """Each trigger's name -> its CREATE statement, as this version makes it."""
    watched = ", ".join(("round_id", "location_id", "inspector", "created_by", *SUMMED, "deleted"))
    bodies = {
        "roll_check_tallies_new": f"AFTER INSERT ON roll_check WHEN NEW.deleted = 0 "
        f"BEGIN {_each('NEW')} END",
        "roll_check_tallies_changed": f"AFTER UPDATE OF {watched} ON roll_check "
        f"WHEN OLD.deleted = 0 OR NEW.deleted = 0 BEGIN {_each('OLD')} {_each('NEW')} END",
        "roll_check_tallies_removed": f"AFTER DELETE ON roll_check WHEN OLD.deleted = 0 "
        f"BEGIN {_each('OLD')} END",
    }
    return {name: f"CREATE TRIGGER {name} {body}" for name, body in bodies.items()}


def summed_sql(table: str, where: str = "") -> str:
    """The tally ``table`` would hold, summed from the live checks (``where``: more of
    the checks' conditions, ``AND ...``)."""
    sums = ", ".join(f"SUM({name}) AS {name}" for name in SUMMED)
    return (
        f"SELECT {key_of(table)} AS {TABLES[table]}, COUNT(*) AS checks, {sums} "
        # grouped by an expression, not the indexed column: the checks read in the
        # table's order and sorted, not looked up one by one through the round's index
        # (9 s, not 3.5 s, at 2,000,000 checks)
        f"FROM roll_check WHERE deleted = 0 {where} GROUP BY +({key_of(table)})"
    )


def _held(conn: sqlite3.Connection) -> dict[str, str]:
    names = (*TABLES, *trigger_sql())
    marks = ", ".join("?" for _ in names)
    return {
        str(name): str(sql or "")
        for name, sql in conn.execute(
            f"SELECT name, sql FROM main.sqlite_master WHERE name IN ({marks})", names
        )
    }


def kept(conn: sqlite3.Connection) -> bool:
    """Are the file's tallies this version's, kept by this version's triggers? (A file
    of an older schema read as it is, or one another tool changed: no.)"""
    held = _held(conn)
    wanted = {**{table: table_sql(table) for table in TABLES}, **trigger_sql()}
    return held == wanted


def fill(conn: sqlite3.Connection) -> None:
    for table in TABLES:
        conn.execute(f"DELETE FROM {table}")
        conn.execute(f"INSERT INTO {table} {summed_sql(table)}")


def rebuild(conn: sqlite3.Connection) -> None:
    """Make the tables and triggers as this version does, summed from the checks."""
    for name in trigger_sql():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(table_sql(table))
    for sql in trigger_sql().values():
        conn.execute(sql)
    fill(conn)


def repair(conn: sqlite3.Connection) -> bool:
    """A writer, on opening (in autocommit): tallies not this version's are built again
    from the checks, in one transaction; True when they were."""
    if kept(conn):
        return False
    in_one_transaction(conn, rebuild)
    return True


def in_one_transaction(
    conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], None]
) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        work(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def lift(conn: sqlite3.Connection) -> None:
    """Drop the triggers for the caller's transaction, which adds what it writes to the
    tallies itself and calls :func:`restore` before it commits (a failure rolls the drop
    back with the rest)."""
    for name in trigger_sql():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def restore(conn: sqlite3.Connection) -> None:
    for sql in trigger_sql().values():
        conn.execute(sql)


Compared = dict[str, list[tuple[Any, ...]]]  # tally table -> (key, kept, summed) that differ


# What ``check`` compares: the tallies the figures quote (the inspectors' tally only
# counts checks on the overview; an opening compares it too, :func:`agree`).
QUOTED = ("roll_tally_round", "roll_tally_location")


def compared(conn: sqlite3.Connection, tables: Iterable[str] = QUOTED) -> Compared | None:
    """Each tally's keys whose kept row differs from the checks' sums, read on ``conn``
    (``check`` runs it on its second connection, beside the rules' reading: the sums are
    SQLite's work, done without Python's lock); None when the file keeps no tallies of
    this version's. ``evidence.roll_tallies.drift`` says what it found in words."""
    if not kept(conn):
        return None
    return {table: _compared(conn, table) for table in tables}


def _compared(
    conn: sqlite3.Connection, table: str, *, whole: bool = False
) -> list[tuple[Any, ...]]:
    """Keys whose kept row differs from the checks' sums: (key, kept, summed).
    ``whole`` (:func:`agree`): a sum SQLite made a REAL differs whatever its value."""
    key = TABLES[table]
    columns = ("checks", *SUMMED)
    listed = ", ".join(columns)
    held_sql = f"SELECT {key}, {listed} FROM {table}"
    summed = summed_sql(table)
    # Each side read once, both in their key's order, and walked side by side: two
    # EXCEPTs summed the checks twice (22 s of `check`'s 35 at 2,000,000 checks), and
    # two dicts held every round's sums (100 MB more at that size).
    ordered = " ORDER BY 1"
    try:
        sums = conn.execute(summed + ordered)
        return list(walked(conn.execute(held_sql + ordered), _whole(sums) if whole else sums))
    except TypeError:  # keys of several types (a hand-edited file): compared as text
        held = {row[0]: tuple(row[1:]) for row in conn.execute(held_sql)}
        found = {row[0]: tuple(row[1:]) for row in conn.execute(summed)}
        differ = {k for k in held.keys() | found.keys() if held.get(k) != found.get(k)}
        return [(k, held.get(k), found.get(k)) for k in sorted(differ, key=str)]


UNSUMMED = "a count that is no number"  # what a REAL sum is compared as (never equal)


def _whole(summed: Iterable[Any]) -> Iterator[Any]:
    """The summed rows, a sum SQLite made a REAL as :data:`UNSUMMED`: SQLite's SUM is a
    REAL when a check's count is no whole number (text and bytes read as 0; a tally's
    trigger adds them as 0, so the kept tally equals the sum's value), and such a file's
    sums are not believed (``kept_totals``): one look a round or location, no pass more."""
    for row in summed:
        if float in map(type, row):
            row = (row[0], *(UNSUMMED if type(value) is float else value for value in row[1:]))
        yield row


def walked(kept: Iterable[Any], summed: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """(key, kept, summed) of each key the two sorted row streams disagree on (each row
    its key, then its values; ``core.day_totals`` walks its days so too)."""
    held, found = iter(kept), iter(summed)
    a: Any = next(held, None)  # a row, or None once the stream has ended
    b: Any = next(found, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            yield a[0], tuple(a[1:]), None
            a = next(held, None)
        elif a is None or b[0] < a[0]:
            yield b[0], None, tuple(b[1:])
            b = next(found, None)
        else:
            if tuple(a[1:]) != tuple(b[1:]):
                yield a[0], tuple(a[1:]), tuple(b[1:])
            a, b = next(held, None), next(found, None)


def agree(
    conn: sqlite3.Connection,
    beside: Callable[[], sqlite3.Connection] | None = None,
    also: Callable[[sqlite3.Connection], bool] | None = None,
) -> bool:
    """Do the kept tallies hold what the checks sum to, and does ``also`` (another kept
    total's comparison: ``core.kept_totals``) agree? (A file that keeps no tallies of
    this version's agrees as far as they go, its readers summing the checks, unless a
    check holds a count that is no number: one pass to find it. Of a file that keeps
    them, a sum SQLite made a REAL says so, :func:`_whole`.) A grouped pass a table, as
    ``check``'s. ``beside``: a second connection to the same file, made when asked: the
    rounds' pass, then ``also``, run on it in another thread while this one makes the
    other two (each pass is a sort SQLite makes without Python's lock: on two cores the
    first opening of a large file from elsewhere waits for the longer half, not for all
    of them; at 100,000 checks and 10,000 periods the rounds' 0.15 s and the days' 0.04 s
    beside the others' 0.22 s)."""
    if not kept(conn):  # its readers sum the checks, and a writer sums its tallies again
        return first_unread_count(conn) is None and (also is None or also(conn))
    if beside is None:
        tallied = not any(_compared(conn, table, whole=True) for table in TABLES)
        return tallied and (also is None or also(conn))
    from irp_field.core import pages

    def rounds(other: sqlite3.Connection) -> bool:
        return not _compared(other, ROUNDS, whole=True) and (also is None or also(other))

    with pages.beside(beside, rounds) as summing:
        here = [_compared(conn, table, whole=True) for table in TABLES if table != ROUNDS]
    return not any(here) and summing.result()


# SQLite's SUM stops at 2**63 with this error: no sound count comes near (at most
# ``fields.MOST`` a check), a hand's 2**62 in three checks of a round does.
OVERFLOW = "integer overflow"


def past_counting(
    path: Path, error: BaseException, conn: sqlite3.Connection | None = None
) -> IrpError | None:
    """An integer overflow met while the file's values were summed (the checks' sums a
    reader makes when the kept tallies are not trusted, a writer's summing them again),
    as one line naming the file and, when a live check holds a count no rule lets in,
    the largest such check, its round and the count: read on this failure's path alone
    (one pass over the checks, on ``conn`` or a reading connection of its own). None for
    any other error."""
    if not isinstance(error, sqlite3.Error) or str(error) != OVERFLOW:
        return None
    if conn is not None:
        largest = _largest_count(conn)
    else:  # an opening's connection, closed by its failure
        with closing(connect(path, readonly=True)) as reading:
            largest = _largest_count(reading)
    if largest is None:
        return IrpError(
            f"{path}: a sum of its values is past what SQLite can count ({OVERFLOW}): it "
            "holds a number no rule lets in (another program changed the file)"
        )
    return IrpError(
        f"{path}: its roll checks sum past what SQLite can count ({OVERFLOW}): {largest}, "
        f"which no rule lets in (0 to {MOST:,}: another program changed the file); "
        "`irp-field check` names every such record"
    )


def refuse_unread_counts(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse, in one line naming the file and the check, a file whose live check holds a
    count that is no number (:func:`first_unread_count`): asked where a figure's sum is
    refused (``evidence.roll_tallies``), to say which check made it so."""
    found = first_unread_count(conn)
    if found is not None:
        raise IrpError(
            f"{path}: {found} (another program changed the file): no figure is made of it; "
            "`irp-field check` names every such record"
        )


def first_unread_count(conn: sqlite3.Connection) -> str | None:
    """The first live check holding a count that is no number (text, bytes: a hand or
    another program wrote it, as no rule lets in), in words; None when there is none.
    SQLite's SUM reads such a value as 0 (and then sums to a REAL), and a tally's trigger
    adds it as 0: a file holding one is never trusted (``kept_totals``). (A number no rule
    lets in, a fraction or past ``MOST``, makes a sum no sound checks could, which
    ``evidence.roll_tallies`` refuses as each figure reads it.)"""
    columns = "SELECT name FROM pragma_table_info('roll_check')"
    present = {str(row[0]) for row in conn.execute(columns)}
    names = [name for name in SUMMED if name in present]
    if not names:
        return None
    odd = " OR ".join(f"typeof(c.{name}) NOT IN ('integer', 'real')" for name in names)
    row = conn.execute(
        "SELECT substr(COALESCE(l.name, c.location_id), 1, 40), substr(c.taken_at, 1, 40), "
        f"{', '.join(f'c.{name}' for name in names)} FROM roll_check c "
        f"LEFT JOIN location l ON l.id = c.location_id WHERE c.deleted = 0 AND ({odd}) LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    name, value = next(
        (n, v) for n, v in zip(names, row[2:], strict=True) if type(v) not in (int, float)
    )
    return (
        f"its roll check {row[0]} at {row[1]} holds {in_words(value)} as its "
        f"{name.replace('_', ' ')}, which is no number"
    )


def _largest_count(conn: sqlite3.Connection) -> str | None:
    """The live check holding the count of largest size, in words, when it is one no
    rule lets in (a value of another type counts as none)."""
    sizes = ", ".join(f"abs(CAST({name} AS REAL))" for name in SUMMED)
    try:
        row = conn.execute(
            f"SELECT substr(COALESCE(l.name, c.location_id), 1, 40), substr(c.taken_at, 1, 40), "
            f"substr(COALESCE(o.name, c.round_id), 1, 40), {', '.join(f'c.{n}' for n in SUMMED)} "
            "FROM roll_check c LEFT JOIN location l ON l.id = c.location_id "
            "LEFT JOIN roll_round o ON o.id = c.round_id "
            f"WHERE c.deleted = 0 ORDER BY max({sizes}) DESC LIMIT 1"
        ).fetchone()
    except sqlite3.Error:  # a file too odd to say more of: the file and the fault
        return None
    if row is None:
        return None
    place, taken_at, round_name, *values = row
    named = [
        (abs(value), name, value)
        for name, value in zip(SUMMED, values, strict=True)
        if isinstance(value, int | float) and abs(value) > MOST
    ]
    if not named:
        return None
    _, name, value = max(named)
    count = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    return f"roll check {place} at {taken_at} (round {round_name}) counts a {name} of {count}"
