"""The triggers and tables irp-field makes, and the rules about any other a visit file
holds.

A trigger is SQL that runs inside every write: one a hand added to a visit file (or one
of irp-field's names with another body) ran at each save, import, merge and purge of
the laptop that opened it for writing. It could copy a note into a table of its own as
a purge emptied it (the purge said "emptied", ``check`` said "no warnings" and the
words stayed in the file), or change a count as it was saved. An index on an
expression or with a condition computes SQL at every write of its table just the same
(one took 1 GB a save). So a writer's opening
refuses a file holding one (``VisitFile.open``) and ``check`` names it; a merge reads
its sources without writing them (no trigger of theirs fires) and copies none.

A table irp-field did not make (a hand's scratch table, another tool's) runs nothing,
but what it holds is out of every reach of irp-field's: a purge emptied the note and
said so while a copy of its words stayed in such a table. So ``check`` and the purge
name it (:func:`foreign_tables`); a merge into a new visit file leaves it behind.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

from irp_field.domain.errors import NotAVisitError


@cache
def made_by_irp_field() -> dict[str, frozenset[str]]:
    """Each trigger's name -> every CREATE statement any version of irp-field made it
    with (SQLite keeps the statement as it was run). Imported here: a reading (the
    notes search) never loads the roll tallies' module."""
    from irp_field.core import roll_tallies, schema
    from irp_field.core import schema_history as history

    made: dict[str, set[str]] = {}
    statements = [
        *schema.NOTE_SEARCH[1:],
        *(f"CREATE TRIGGER {name} {body}" for name, body in schema.KEPT_TOTALS_TRIGGERS.items()),
        *roll_tallies.trigger_sql().values(),
        *(s for s in history.ROLL_TALLIES_9 if s.startswith("CREATE TRIGGER")),
    ]
    for statement in statements:
        name = statement.split()[2].strip('"')
        made.setdefault(name, set()).add(statement)
    return {name: frozenset(sql) for name, sql in made.items()}


# An index on an expression, or with a WHERE, computes SQL at every write of its table
# (``hex(zeroblob(200000000))`` took 1 GB a save). irp-field makes none.
_COMPUTING_INDEXES = (
    "SELECT 'an index', m.name, m.tbl_name FROM main.sqlite_master m WHERE m.type = 'index' "
    "AND (EXISTS (SELECT 1 FROM pragma_index_xinfo(m.name) x WHERE x.cid = -2) "
    "OR EXISTS (SELECT 1 FROM pragma_index_list(m.tbl_name) l "
    "WHERE l.name = m.name AND l.partial)) ORDER BY m.name"
)


def foreign(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """What of the file runs SQL irp-field did not write at every change, as (what, name,
    table): a trigger it did not make, an index that computes an expression."""
    known = made_by_irp_field()
    triggers = [
        ("a trigger", str(name), str(table))
        for name, table, sql in conn.execute(
            "SELECT name, tbl_name, sql FROM main.sqlite_master WHERE type = 'trigger' "
            "ORDER BY name"
        )
        if sql not in known.get(str(name), ())
    ]
    return triggers + [(str(w), str(n), str(t)) for w, n, t in conn.execute(_COMPUTING_INDEXES)]


def none_in(conn: sqlite3.Connection) -> bool:
    """Whether the file holds no SQL irp-field did not write (:func:`foreign`): asked
    before a file is remembered sound (``core.sound_files``), so that a writer's opening
    of a file remembered so need not ask again."""
    return not foreign(conn)


def described(found: list[tuple[str, str, str]]) -> str:
    what, name, table = found[0]
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    computed = ", on an expression or a condition," if what == "an index" else ""
    return f"{what} irp-field did not make{computed} ({name[:40]!r} on {table[:40]}{more})"


def refuse_foreign(
    path: Path, conn: sqlite3.Connection, refused: str = "the file is not opened for writing"
) -> None:
    """A writer's opening (or a hand-out, whose copies would carry it to every laptop):
    refused in one line, before any SQL of the file runs."""
    found = foreign(conn)
    if found:
        raise NotAVisitError(
            f"{path}: holds {described(found)}: its SQL would run at every change, so "
            f"{refused} (irp-field merge NEW.db {path.name} copies its records into a new "
            "visit file without it)"
        )


@cache
def made_tables() -> frozenset[str]:
    """Every table some version's migrations leave in a file: each migration run in turn
    on an empty file in memory (about 60 ms; for ``check`` and the purge alone)."""
    from irp_field.core import schema

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        made = {"_sqlite_migrations"}  # the migrations' own record (core.migrations)
        for step in schema.MIGRATIONS:
            step(conn)
            made.update(
                str(row[0])
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            )
        return frozenset(made)
    finally:
        conn.close()


def foreign_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables of the file irp-field did not make (SQLite's own ``sqlite_`` tables
    are its)."""
    made = made_tables()
    return [
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name"
        )
        if str(row[0]) not in made and not str(row[0]).startswith("sqlite_")
    ]


def tables_said(path: Path, found: list[str]) -> str:
    """The warning ``check`` and the purge give of them."""
    names = ", ".join(repr(name[:40]) for name in found[:3]) + (" ..." if len(found) > 3 else "")
    return (
        f"{path.name} holds {len(found)} table(s) irp-field did not make ({names}): irp-field "
        "neither reads nor purges what they hold; a merge into a new visit file leaves them "
        "behind"
    )
