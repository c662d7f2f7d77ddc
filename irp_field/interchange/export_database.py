"""The analyst database every export is written from, built in SQL.

Typed tables with their primary and foreign keys (:mod:`export_tables`), rows in the
order of time or position, empty text as NULL, the computed tables
(:mod:`export_derived`) as typed tables rather than views (DuckDB's sqlite scanner and
pandas then see a share as a number), and full-text search on the notes: the kind of
file ``sqlite-utils`` and Datasette users know (the schema is the one sqlite-utils
writes, made here without loading it: it brought pandas, 50 MB, into every export). The
SQLite export is this database, built where it goes (:func:`building`); the CSV, JSON and
XLSX writers read its tables.

Each visit's tables are copied in by SQLite itself: the scratch database is attached to
the visit's own reading connection and filled with ``INSERT ... SELECT`` statements
generated from the tables' definitions and every column's redaction policy
(:func:`filling`), with the keyed hashes made by functions registered on that connection
(:func:`register`, the same ``redaction.pseudonym`` and ``hashed_id`` a row by row
redaction calls). No row passes through Python but the few it computes (figures, the
findings' numbers), so the time is SQLite's and the memory does not grow with the visit.
A redacted export's rows are redacted in the SELECT, before they are written: the
scratch file never holds what the export leaves out.

It lives in a private scratch file of the data folder (``paths.Scratch``: 0600, removed
on every way out, a killed export's removed at the next start), or, for the SQLite
export, in the output's own private temporary file (``core.staging``), with a bounded
page cache, so a million roll checks cost the memory ten thousand do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from irp_field.core.destinations import OwnOutput
from irp_field.domain.errors import IrpError
from irp_field.interchange import export_rounds
from irp_field.interchange.export_derived import DERIVED, FROM_ROUND_SUMS, TABLES
from irp_field.interchange.export_tables import AnalystTable, Column, sorted_apart

EVERY_TABLE: tuple[AnalystTable, ...] = (*TABLES, *DERIVED)
BY_NAME = {table.name: table for table in EVERY_TABLE}
SEARCHED = {"note": ("text", "tags")}  # full-text search (FTS5), as sqlite-utils makes it
FILES = "attachment_file"
FILE_COLUMNS = (("sha256", "TEXT"), ("kind", "TEXT"), ("size", "INTEGER"), ("content", "BLOB"))
CACHE_KIB = 8 * 1024  # SQLite's page cache while the analyst database is built
SCHEMA = "analyst"  # the scratch database, as attached to a visit's connection
# Beside it, attached to both its connections: scratch tables never exported (the round
# sums), so that no page of the SQLite export was ever theirs
SIDE = "analyst_side"
HASHES_KEPT = 16_384  # keyed hashes remembered (a name recurs row after row), at most
ROW_ID = "irp_row_id"  # a row's own id hashed: each met once, none remembered (register)
_FTS_SHADOWS = ("", "_config", "_data", "_docsize", "_idx")  # FTS5's tables of an index


def own_output(export_format: str) -> OwnOutput | None:
    """What an export of ``export_format`` holds, by which ``core.destinations`` knows an
    earlier one at its place again (and replaces it when asked): the SQLite export's
    tables (the analysts' tables, the files, the notes' search index), the CSV folder's
    files. The JSON and XLSX exports are plain files: replaced when asked, as any."""
    if export_format == "sqlite":
        searched = {f"{table}_fts{shadow}" for table in SEARCHED for shadow in _FTS_SHADOWS}
        triggers = {f"{table}_{when}" for table in SEARCHED for when in ("ai", "ad", "au")}
        tables = {t.name for t in EVERY_TABLE} | {FILES} | searched | triggers
        return OwnOutput(tables=frozenset(tables), required=frozenset({"visit", "figure"}))
    if export_format == "csv":
        files = {f"{t.name}.csv" for t in EVERY_TABLE} | {"datapackage.json"}
        return OwnOutput(files=frozenset(files), required=frozenset({"datapackage.json"}))
    return None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class AnalystDatabase:
    path: Path
    conn: sqlite3.Connection
    side: Path  # the database attached as SIDE
    keyed: bool = True  # the tables declare their keys (False: unique indexes alone)
    keys_after: bool = True  # the keys made once the rows are in (False: made with them)


def _primary_key(table: str) -> str:
    found = BY_NAME[table].pk
    return found[0] if found else "rowid"


def create_sql(name: str, columns: Iterable[tuple[str, str, str]], pk: tuple[str, ...]) -> str:
    """``CREATE TABLE`` as sqlite-utils words it (the schema an analyst's tools have
    always seen): ``columns`` are (name, type, the table it references or '')."""
    lines = []
    for column, sql_type, references in columns:
        line = f"   {_q(column)} {sql_type}"
        if len(pk) == 1 and pk[0] == column:
            line += " PRIMARY KEY"
        if references:
            line += f" REFERENCES {_q(references)}({_q(_primary_key(references))})"
        lines.append(line)
    if len(pk) > 1:
        lines.append(f"   PRIMARY KEY ({', '.join(_q(c) for c in pk)})")
    return f"CREATE TABLE {_q(name)} (\n" + ",\n".join(lines) + "\n)"


def table_sql(table: AnalystTable, *, keyed: bool = True) -> str:
    """``table`` with its declared types, primary key (unless not ``keyed``: see
    :func:`building`) and foreign keys."""
    return create_sql(
        table.name,
        (
            (c.name, c.sql_type, "" if table.name == "visit" and c.name == "visit_id" else
             c.references)
            for c in table.columns
        ),
        table.pk if keyed else (),
    )  # fmt: skip


def _keys_sql(table: AnalystTable) -> str:
    """A table made without its primary key: the same key, unique, as an index."""
    listed = ", ".join(_q(c) for c in table.pk)
    return f"CREATE UNIQUE INDEX {_q('irp_key_' + table.name)} ON {_q(table.name)} ({listed})"


def schema_writable(conn: sqlite3.Connection) -> bool:
    """May :func:`_declared_keys` write ``conn``'s schema? (A build of SQLite, or of Python,
    in its defensive mode refuses it, as it refuses any statement naming sqlite_master to
    write: asked of one that writes nothing.)"""
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute("UPDATE sqlite_master SET sql = sql WHERE 0")
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    return True


def _declared_keys(conn: sqlite3.Connection) -> None:
    """Each table's unique index on its key (:func:`_keys_sql`, made once the rows are in)
    declared as the table's primary key, as if the table had been made with it: the
    table's text becomes :func:`table_sql`'s with the key, and the index the one SQLite
    makes for such a key (``sqlite_autoindex_<table>_1``, no text of its own: a
    ``PRIMARY KEY`` of text columns in a rowid table is exactly a unique index on them,
    the same pages). SQLite offers no statement for this; its schema is written as the
    documented ``writable_schema`` allows, in the scratch database alone, and read again
    (the schema's version moved on); ``PRAGMA index_list`` then says ``pk``. Only this
    file's own tables, made by :func:`building` a moment before, are rewritten."""
    conn.execute("PRAGMA writable_schema = ON")
    try:
        for table in TABLES:
            if not table.pk:
                continue
            conn.execute(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                (table_sql(table), table.name),
            )
            conn.execute(
                "UPDATE sqlite_master SET name = ?, sql = NULL WHERE type = 'index' AND name = ?",
                (f"sqlite_autoindex_{table.name}_1", f"irp_key_{table.name}"),
            )
        version = conn.execute("PRAGMA schema_version").fetchone()[0]
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


def _search_sql(table: str, columns: tuple[str, ...]) -> list[str]:
    """The full-text index of ``table`` and its triggers, worded as sqlite-utils'
    ``enable_fts(create_triggers=True)`` words them, and the index filled."""
    fts, listed = _q(f"{table}_fts"), ", ".join(_q(c) for c in columns)
    old = ", ".join(f"old.{_q(c)}" for c in columns)
    new = ", ".join(f"new.{_q(c)}" for c in columns)
    deleted = f"INSERT INTO {fts} ({fts}, rowid, {listed}) VALUES('delete', old.rowid, {old});"
    added = f"INSERT INTO {fts} (rowid, {listed}) VALUES (new.rowid, {new});"
    on = _q(table)
    return [
        f"CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {listed},\n    content={on}\n)",
        f"INSERT INTO {fts} (rowid, {listed})\n    SELECT rowid, {listed} FROM {on};",
        f"CREATE TRIGGER {_q(table + '_ai')} AFTER INSERT ON {on} BEGIN\n  {added}\nEND",
        f"CREATE TRIGGER {_q(table + '_ad')} AFTER DELETE ON {on} BEGIN\n  {deleted}\nEND",
        f"CREATE TRIGGER {_q(table + '_au')} AFTER UPDATE ON {on} BEGIN\n  {deleted}\n  "
        f"{added}\nEND",
    ]


@contextmanager
def building(*, keyed: bool = True, at: Path | None = None) -> Iterator[AnalystDatabase]:
    """An empty analyst database: every table read from a visit made, none filled.

    The tables are made without their primary keys, and :func:`finish` makes each key a
    unique index once they are filled: a key's index filled a row at a time, in the
    rows' order (time, not id), is written all over (at a million checks it outgrew the
    page cache; at 100,000 it was 1.1 s of a 1.5 s SQLite export); made after, from the
    keys sorted, it is written once. A clash of keys is refused all the same, then.
    ``keyed`` (the SQLite export: the database is what analysts get), each of those
    indexes then becomes its table's declared primary key (:func:`_declared_keys`); where
    this SQLite will not let its schema be written so (:func:`schema_writable`), the
    tables are made with their keys, as before.

    ``at``: an empty private file to build it in, the SQLite export's own output under its
    temporary name (``core.staging``: renamed into place once whole, removed on any
    failure), rather than a scratch file of the data folder copied out after (``VACUUM
    INTO``: the whole database written twice). What SQLite frees or rewrites there (the
    round sums dropped, a schema's text rewritten, a value settled) is overwritten with
    zeros (``secure_delete``), so the file holds nothing the export leaves out."""
    from irp_field import paths

    with ExitStack() as stack:
        scratch = stack.enter_context(paths.Scratch("export"))
        path, side = at or scratch.file("analyst.db"), scratch.file("side.db")
        conn = sqlite3.connect(path, isolation_level=None)
        stack.callback(conn.close)
        conn.execute(f"ATTACH DATABASE ? AS {SIDE}", (str(side),))
        # Written once, and thrown away on any failure: no journal, no waiting for the
        # disk (the output is flushed before it is renamed into place), and SQLite's page
        # cache held to CACHE_KIB whatever the visits' size.
        for schema in ("main", SIDE):
            conn.execute(f"PRAGMA {schema}.journal_mode = OFF")
            conn.execute(f"PRAGMA {schema}.synchronous = OFF")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        conn.execute("PRAGMA secure_delete = ON")
        # Sorts too big for the cache spill to files (``temp_store`` FILE, SQLite's
        # default): in memory they grew with the visit (230 MB at 2,000,000 checks).
        # The command line sends them to the data folder's tmp/ (paths).
        conn.execute("PRAGMA temp_store = FILE")
        keys_after = not keyed or schema_writable(conn)
        conn.execute("BEGIN")
        for table in TABLES:
            conn.execute(table_sql(table, keyed=not keys_after))
        conn.execute(create_sql(FILES, ((n, t, "") for n, t in FILE_COLUMNS), ("sha256",)))
        export_rounds.create(conn, SIDE)
        conn.execute("COMMIT")
        yield AnalystDatabase(path, conn, side, keyed, keys_after)


@contextmanager
def attached(db: AnalystDatabase, conn: sqlite3.Connection) -> Iterator[None]:
    """The analyst database attached to a visit's reading connection as :data:`SCHEMA`
    (and its side database as :data:`SIDE`), written as its own connection writes it (no
    journal, a bounded cache), in one transaction; detached after, whatever happens."""
    with ExitStack() as stack:
        for schema, path in ((SCHEMA, db.path), (SIDE, db.side)):
            conn.execute(f"ATTACH DATABASE ? AS {schema}", (str(path),))
            stack.callback(conn.execute, f"DETACH DATABASE {schema}")
            conn.execute(f"PRAGMA {schema}.journal_mode = OFF")
            conn.execute(f"PRAGMA {schema}.synchronous = OFF")
        conn.execute(f"PRAGMA {SCHEMA}.cache_size = -{CACHE_KIB}")
        conn.execute(f"PRAGMA {SCHEMA}.secure_delete = ON")
        conn.execute("BEGIN")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite has rolled back itself after some errors
                conn.execute("ROLLBACK")
            raise


def register(conn: sqlite3.Connection, key: str) -> None:
    """The keyed hashes of :mod:`redaction` as SQL functions of ``conn``: ``irp_id(value)``
    and ``irp_pseudonym(kind, value)``, as ``redaction.redactor`` makes them (a value that
    is empty or NULL stays as it is)."""
    from irp_field.interchange.redaction import hashed_id, pseudonym

    @lru_cache(maxsize=HASHES_KEPT)
    def named(kind: str, value: Any) -> Any:
        return pseudonym(key, kind, str(value)) if value else value

    @lru_cache(maxsize=HASHES_KEPT)
    def ids(value: Any) -> Any:
        return hashed_id(key, str(value)) if value else value

    conn.create_function("irp_id", 1, ids, deterministic=True)
    conn.create_function(ROW_ID, 1, ids.__wrapped__, deterministic=True)  # none remembered
    conn.create_function("irp_pseudonym", 2, named, deterministic=True)


def _redacted(policy: str, value: str, keep_staff_names: bool, *, own_id: bool = False) -> str:
    """The SQL that does to ``value`` what ``redaction.redactor(policy)`` does to it."""
    from irp_field.interchange import redaction

    if policy == redaction.KEEP or (
        policy in (redaction.STAFF, redaction.STAFF_DETAIL) and keep_staff_names
    ):
        return value
    if policy in (redaction.BLANK, redaction.STAFF_DETAIL):
        return f"CASE WHEN {value} IS NOT NULL THEN '' END"
    if policy == redaction.ID:
        return f"{ROW_ID if own_id else 'irp_id'}({value})"
    if policy == redaction.STAFF or policy.startswith("pseudonym:"):
        kind = "staff" if policy == redaction.STAFF else policy.removeprefix("pseudonym:")
        return f"irp_pseudonym('{kind}', {value})"
    raise IrpError(f"redaction: {policy!r} cannot be applied in SQL (see docs/redaction.md)")


def _typed(column: Column, value: str) -> str:
    """Empty text as NULL, as SQLite's text affinity would keep it (:func:`settle_types`
    does the number columns once their affinity has been applied)."""
    return value if column.kind in ("integer", "number") else f"NULLIF({value}, '')"


def value_sql(table: str, column: str, value: str, *, redact: bool, keep_staff_names: bool) -> str:
    """``value`` (SQL) as the analyst database holds it in ``table.column``: redacted by
    the column's policy when ``redact``, and typed."""
    from irp_field.interchange.redaction import POLICY

    if redact:
        policy = POLICY[table].get(column)
        if not policy:  # a column without a policy never goes out
            raise IrpError(f"redaction: {table}.{column} has no policy (see docs/redaction.md)")
        value = _redacted(policy, value, keep_staff_names, own_id=column == "id")
    return _typed(BY_NAME[table].columns[BY_NAME[table].names.index(column)], value)


def filling(
    table: AnalystTable, select: str, *, redact: bool, keep_staff_names: bool, where: str = ""
) -> str:
    """The statement that appends the rows of ``select`` (the table's columns in order, in
    its order) to the attached analyst table, each column redacted by its policy when
    ``redact`` and typed; ``where`` filters the rows (on ``c0``, ``c1``, ...).

    The rows are sorted by the statement itself, ``select``'s sort keys carried as
    columns ``k0``, ``k1``, ... (``export_tables.sorted_apart``): with the ORDER BY
    inside ``rows``, SQLite read ``rows`` as a subquery of its own (it keeps a sorted
    subquery whole when the query over it calls functions), copying every value into the
    redacting and typing expressions twice (0.1 s of the roll checks' 0.45 s at
    100,000); sorted here, those expressions read the visit's columns where they lie."""
    named = [f"c{i}" for i in range(len(table.columns))]
    values = [
        _text_held(table, column, value, value_sql(table.name, column.name, value,
                   redact=redact, keep_staff_names=keep_staff_names))
        for column, value in zip(table.columns, named, strict=True)
    ]  # fmt: skip
    unsorted, keys = sorted_apart(select)
    order = ", ".join(f"k{i}{direction}" for i, (_, direction) in enumerate(keys))
    return (
        f"WITH rows ({', '.join([*named, *(f'k{i}' for i in range(len(keys)))])}) AS "
        f"({unsorted}) "
        f"INSERT INTO {SCHEMA}.{_q(table.name)} ({', '.join(_q(n) for n in table.names)}) "
        f"SELECT {', '.join(values)} FROM rows{f' WHERE {where}' if where else ''}"
        f"{f' ORDER BY {order}' if keys else ''}"
    )


NOT_TEXT = "irp_not_text"  # the function :func:`watch_texts` registers


def _text_held(table: AnalystTable, column: Column, raw: str, value: str) -> str:
    """A text column's ``value``, unless the row holds bytes in it (``raw``, as the visit
    holds it): then the row is told to :func:`watch_texts`'s function, which SQLite calls
    for such a row alone (``typeof`` costs nothing beside the copy)."""
    if column.kind in ("integer", "number"):
        return value  # any other type made NULL by :func:`settle_types`
    row = f"c{table.names.index('id')}" if "id" in table.names else "NULL"
    return (
        f"CASE WHEN typeof({raw}) = 'blob' "
        f"THEN {NOT_TEXT}('{table.name}', '{column.name}', {row}) ELSE {value} END"
    )


def watch_texts(conn: sqlite3.Connection, path: Path) -> Callable[[], None]:
    """Registers :data:`NOT_TEXT` on the visit's connection; the function it returns
    refuses the visit in one line naming ``path``, the table, the row and the column,
    when a copy met bytes where text belongs (a hand's BLOB in a note's text stopped
    the JSON export with "unexpected OperationalError", and went into the others as
    bytes: hostile F12). The export has written nothing by then."""
    met: list[tuple[str, str, Any]] = []

    def not_text(table: str, column: str, row: Any) -> None:
        if not met:  # the first is named: memory stays bounded whatever the file
            met.append((table, column, row))

    conn.create_function(NOT_TEXT, 3, not_text)

    def refuse() -> None:
        if met:
            table, column, row = met[0]
            raise IrpError(
                f"{path}: {table} {f'row {row}' if row else 'a row'}: {column} holds bytes, "
                "not text (another program changed the file?): `irp-field check` names every "
                "such record"
            )

    return refuse


def insert(db: AnalystDatabase, table: AnalystTable, rows: Iterable[Any]) -> None:
    """Append ``rows`` (in column order: the few a visit's tables do not hold, such as the
    figures) to ``table``, one at a time from the iterator, typed as :func:`filling` types."""
    marks = ", ".join(_typed(c, "?") for c in table.columns)
    db.conn.execute("BEGIN")
    db.conn.executemany(
        f"INSERT INTO {_q(table.name)} ({', '.join(table.names)}) VALUES ({marks})", rows
    )
    db.conn.execute("COMMIT")


def _settled(column: Column) -> tuple[str, str]:
    """A number column's value as it becomes, and which rows need it: a number column holds
    only numbers (SQLite's column affinity has made '2018' 2018; a seed typed as words in a
    bundle edited by hand is no number: NULL rather than mistyped)."""
    name = _q(column.name)
    allowed = "'integer'" if column.kind == "integer" else "'integer', 'real'"
    return f"{name} = CASE WHEN typeof({name}) IN ({allowed}) THEN {name} END", (
        f"typeof({name}) NOT IN ({allowed}, 'null')"
    )


def settle_types(conn: sqlite3.Connection) -> None:
    """Every number column read from the visits as it declares: one pass over each table,
    rewriting only the rows holding something else (the text columns were typed as they
    were copied)."""
    for table in TABLES:
        settled = [_settled(c) for c in table.columns if c.kind in ("integer", "number")]
        if settled:
            values = ", ".join(value for value, _ in settled)
            wrong = " OR ".join(wrong for _, wrong in settled)
            conn.execute(f"UPDATE {_q(table.name)} SET {values} WHERE {wrong}")


def _make_key(conn: sqlite3.Connection, table: AnalystTable) -> None:
    """The table's key made (:func:`_keys_sql`); two rows of one key are refused in words:
    the visits given share a record (a copy of one visit given another visit's id), and
    the export said "unexpected IntegrityError" and no more."""
    try:
        conn.execute(_keys_sql(table))
    except sqlite3.IntegrityError:
        listed = ", ".join(_q(c) for c in table.pk)
        twice = conn.execute(
            f"SELECT {listed} FROM {_q(table.name)} GROUP BY {listed} HAVING count(*) > 1 LIMIT 1"
        ).fetchone()
        shown = ", ".join(str(value)[:40] for value in twice or ())
        raise IrpError(
            f"two of the visits given hold the same {table.name} record ({shown}), copied "
            "from one into the other by a hand (or a visit copied under another's id): "
            "check each (irp-field check)"
        ) from None


def finish(db: AnalystDatabase, visits: int = 2, *, searched: bool = True) -> None:
    """The tables typed, the computed tables from them (redacted, when asked), and, when
    ``searched`` (the SQLite export: no other format carries it), the notes' full-text
    index.

    Of one visit (``visits``), the computed tables are made without SQLite's automatic
    indexes: it indexed every roll check by its visit to sum them for the one visit
    there is (0.8 s of a 100,000-check export, where one pass over them takes 0.08 s);
    of several, it keeps them (a pass per visit would cost more)."""
    conn = db.conn
    conn.execute("BEGIN")
    for table in TABLES if db.keys_after else ():
        if table.pk:
            _make_key(conn, table)
    if db.keyed and db.keys_after:
        _declared_keys(conn)
    settle_types(conn)
    if visits == 1:
        conn.execute("PRAGMA automatic_index = OFF")
    export_rounds.sum_the_rest(conn)
    for table in DERIVED:
        conn.execute(table_sql(table))
        marks = ", ".join(table.names)
        select = FROM_ROUND_SUMS.get(table.name, table.select)
        conn.execute(f"INSERT INTO {table.name} ({marks}) {select}")
    export_rounds.drop(conn)
    for name, columns in SEARCHED.items() if searched else ():
        for statement in _search_sql(name, columns):
            conn.execute(statement)
    conn.execute("COMMIT")


def ordered(conn: sqlite3.Connection, table: AnalystTable) -> sqlite3.Cursor:
    """The rows of ``table`` in the order written (time or position)."""
    return conn.execute(f"SELECT {', '.join(table.names)} FROM {table.name} ORDER BY rowid")
