"""The visit file's schema, as numbered migrations.

The merged tables' columns are in :mod:`irp_field.core.tables` (re-exported here, loaded
when first asked for): they share bookkeeping columns and have no UNIQUE constraint
beyond the primary key, and every NOT NULL column has a default, so that rows from
another laptop always fit.
``meta`` and the full-text index are per-file and never merged.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from typing import TYPE_CHECKING, Any

from irp_field.core import lazy
from irp_field.core import schema_history as history
from irp_field.core.migrations import Migration

if TYPE_CHECKING:
    from irp_field.core.roll_tallies import ROLL_TALLIES as ROLL_TALLIES
    from irp_field.core.tables import BOOKKEEPING as BOOKKEEPING
    from irp_field.core.tables import CLUSTERED_TABLES as CLUSTERED_TABLES
    from irp_field.core.tables import MERGED_TABLES as MERGED_TABLES

APP_MARK = "irp-field"

# The merged tables' columns, made from every kind's registry when ``core.tables`` is
# imported, are loaded when first asked for: an opening checks a file's shape and
# version without them (the app's first frame and a notes search wait for one).
_IN_TABLES = ("BOOKKEEPING", "CLUSTERED_TABLES", "MERGED_TABLES")
# The kept roll tallies' tables are named by their module, which an opening for reading
# does not load (``core.roll_tallies``: a writer's, or a file's first reading).
_LATER = {
    **dict.fromkeys(_IN_TABLES, "irp_field.core.tables"),
    "ROLL_TALLIES": "irp_field.core.roll_tallies",
}


def __getattr__(name: str) -> Any:
    if name == "LOCAL_TABLES":
        return local_tables()
    return lazy.loaded(globals(), _LATER, name)


# The merged tables each migration creates, frozen as it made them (``schema_history``):
# a new file runs every migration in turn, so a table added later is created by its own
# migration, never by m001, and a table changed later is changed by its own migration.
SCHEMA_1_TABLES = tuple(history.TABLES_1)
SCHEMA_4_TABLES = tuple(history.TABLES_4)
# The roll check as schema 1 made it (tests build files of that schema from it).
ROLL_CHECK_BEFORE_5 = history.TABLES_1["roll_check"]
# Schema 5: rounds of roll checks; the roll check's round label became its round's id.
SCHEMA_5_TABLES = ("roll_round",)
# Schema 6: whom a hand-back is sealed for (m006_recipients), a column of the visit.
# Schema 7: the facts of purges (m007_purges).
SCHEMA_7_TABLES = tuple(history.TABLES_7)
# Schema 8: rounds and subjects' days linked to plan items (m008_evidence_links).
SCHEMA_8_TABLES = tuple(history.TABLES_8)
# Schema 9: each round's and each location's roll-check sums, per file (m009_roll_tallies).
ROLL_TALLIES_SINCE = 9

INDEXES_1 = (
    # covering, in the order the time-out-of-cell figures walk it: no sort, no table look-ups
    ("toc_period", "subject, on_date, start_time, end_time, activity, subject_group, deleted"),
    ("sample_answer", "frame_id"),
    ("sample_record", "frame_id"),
    ("note_link", "note_id"),
    ("note_link", "plan_item_id"),
    ("finding", "plan_item_id"),
    ("import_log", "sha256"),
    ("conflict", "row_id"),
)
INDEXES_4 = (
    ("attachment", "target_id"),
    ("attachment", "file_sha256"),
    ("report_paragraph", "section"),
)


NOTE_SEARCH = (
    'CREATE VIRTUAL TABLE "note_fts" USING FTS5 (\n    "text", "tags",\n    content="note"\n)',
    'CREATE TRIGGER "note_ai" AFTER INSERT ON "note" BEGIN\n'
    '  INSERT INTO "note_fts" (rowid, "text", "tags") VALUES (new.rowid, new."text", new."tags");\n'
    "END",
    'CREATE TRIGGER "note_ad" AFTER DELETE ON "note" BEGIN\n'
    '  INSERT INTO "note_fts" ("note_fts", rowid, "text", "tags") '
    'VALUES(\'delete\', old.rowid, old."text", old."tags");\nEND',
    'CREATE TRIGGER "note_au" AFTER UPDATE ON "note" BEGIN\n'
    '  INSERT INTO "note_fts" ("note_fts", rowid, "text", "tags") '
    'VALUES(\'delete\', old.rowid, old."text", old."tags");\n'
    '  INSERT INTO "note_fts" (rowid, "text", "tags") VALUES (new.rowid, new."text", new."tags");\n'
    "END",
)


def _create_tables(
    db: sqlite3.Connection, tables: dict[str, str], indexes: tuple[tuple[str, str], ...]
) -> None:
    """Tables as a migration froze them (``schema_history``), never as they are today."""
    for table, columns in tables.items():
        clustered = " WITHOUT ROWID" if table in history.CLUSTERED_1 else ""
        db.execute(f"CREATE TABLE {table} ({history.BOOKKEEPING_1},{columns}){clustered}")
    for table, columns in indexes:
        name = f"idx_{table}_{columns.split(',')[0]}"
        db.execute(f"CREATE INDEX {name} ON {table} ({columns})")


# Each migration made by :func:`adding_columns` -> (its table, the columns it adds).
ADDED_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {}


def adding_columns(name: str, table: str, *columns: str) -> Migration:
    """A migration adding columns to a merged table, each written out whole as it is
    added (``"in_healthcare INTEGER NOT NULL DEFAULT 0"``): frozen once written, as every
    migration. A file read as it is, before it, reads each as its DEFAULT
    (``VisitFile``'s reading as current)."""

    def step(db: sqlite3.Connection) -> None:
        for column in columns:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
            # An open conflict holds the other version whole (keeping it writes every
            # column): a version from before the column held its DEFAULT there.
            words = column.split(" DEFAULT ", 1)
            default = words[1].strip() if len(words) == 2 else "NULL"
            db.execute(
                f"UPDATE conflict SET other_row = json_set(other_row, ?, {default}) "
                "WHERE table_name = ? AND json_valid(other_row) "
                "AND json_type(other_row, '$') = 'object'",
                (f"$.{column.split()[0]}", table),
            )

    step.__name__ = step.__qualname__ = name
    ADDED_COLUMNS[name] = (table, tuple(column.split()[0] for column in columns))
    return step


def m001_visit_file(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL DEFAULT '')"
    )
    _create_tables(db, history.TABLES_1, INDEXES_1)
    # The edit history: append-only, merged as a plain union.
    db.execute(
        """CREATE TABLE change_log (
            id TEXT PRIMARY KEY,
            table_name TEXT NOT NULL DEFAULT '',
            row_id TEXT NOT NULL DEFAULT '',
            action TEXT NOT NULL DEFAULT '',
            version TEXT NOT NULL DEFAULT '',
            changed_by TEXT NOT NULL DEFAULT '',
            changed_at TEXT NOT NULL DEFAULT '',
            old TEXT NOT NULL DEFAULT '',
            new TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX idx_change_log_row ON change_log (table_name, row_id)")
    # Full-text search over notes, kept in step by triggers; per file, never merged. (The
    # statements sqlite-utils' enable_fts wrote for files of earlier versions.)
    for statement in NOTE_SEARCH:
        db.execute(statement)


def m002_sync_and_drafts(db: sqlite3.Connection) -> None:
    # What the last sync rendered for each findings paragraph and the figure values it
    # used: derived from the evidence, so per file and never merged (a merged master is
    # synced again).
    db.execute(
        """CREATE TABLE finding_sync (
            finding_id TEXT PRIMARY KEY,
            finding_version TEXT NOT NULL DEFAULT '',
            rendered TEXT NOT NULL DEFAULT '',
            figures TEXT NOT NULL DEFAULT '{}',
            synced_at TEXT NOT NULL DEFAULT ''
        )"""
    )
    # A note being typed, saved every few seconds so that a crash loses nothing; per
    # file (it becomes a real note, which merges, when it is saved).
    db.execute(
        """CREATE TABLE note_draft (
            id TEXT PRIMARY KEY,
            note_id TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'observation',
            taken_at TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '',
            plan_refs TEXT NOT NULL DEFAULT '',
            saved_at TEXT NOT NULL DEFAULT ''
        )"""
    )


# -- kept subject-day totals of time out of cell (schema 3) ----------------------------
# The tables and the triggers that mark what a write touched are schema, so they live
# here; totalling the marked days is the feature's (``evidence/toc_days.py``), which
# registers it as a before-commit hook.

# Per file (listed in LOCAL_TABLES); created by migration 3.
KEPT_TOTALS_TABLES = (
    """CREATE TABLE toc_day (
        subject TEXT NOT NULL,
        on_date TEXT NOT NULL,
        subject_group TEXT NOT NULL DEFAULT '',
        minutes INTEGER NOT NULL DEFAULT 0,
        open_air_minutes INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (subject, on_date)
    ) WITHOUT ROWID""",
    """CREATE TABLE toc_day_stale (
        subject TEXT NOT NULL,
        on_date TEXT NOT NULL,
        PRIMARY KEY (subject, on_date)
    ) WITHOUT ROWID""",
)


def _mark(row: str) -> str:
    # An upsert, not INSERT OR IGNORE: a policy on the statement that fires the trigger
    # (INSERT OR ABORT ...) would override OR IGNORE, never DO NOTHING.
    return (
        f"INSERT INTO toc_day_stale (subject, on_date) VALUES ({row}.subject, {row}.on_date) "
        "ON CONFLICT DO NOTHING;"
    )


# Every column a total depends on; a tombstone is an update of `deleted`.
_COUNTED = "on_date, subject, subject_group, start_time, end_time, activity, deleted"

KEPT_TOTALS_TRIGGERS = {
    "toc_period_marks_new": f"AFTER INSERT ON toc_period BEGIN {_mark('NEW')} END",
    "toc_period_marks_changed": f"AFTER UPDATE OF {_COUNTED} ON toc_period "
    f"BEGIN {_mark('OLD')} {_mark('NEW')} END",
    "toc_period_marks_removed": f"AFTER DELETE ON toc_period BEGIN {_mark('OLD')} END",
}

# The schema version that brought these tables and triggers (migration 3).
KEPT_TOTALS_SINCE = 3


MARK_EVERY_DAY = (
    "INSERT INTO toc_day_stale (subject, on_date) "
    "SELECT DISTINCT subject, on_date FROM toc_period WHERE true "
    "ON CONFLICT DO NOTHING"
)


def kept_totals_missing_triggers(conn: sqlite3.Connection) -> list[str]:
    """The marking triggers the file lacks: all of them in a file from before the kept
    totals, some when another tool rebuilt the table (sqlite-utils' transform does)."""
    found = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'toc_period'"
        )
    }
    return [name for name in KEPT_TOTALS_TRIGGERS if name not in found]


# Indexes a writer makes when a file lacks them: look-ups only, no schema of their own
# (a file without them reads, merges and checks the same, only slower; the merge's shape
# check looks at tables, not at indexes).
LOOKUP_INDEXES = (
    # a round's checks: "3 of 11 counted", a check saved into its round (it scanned every
    # check of the visit: 17 ms a save on a visit of 100,000 checks)
    ("idx_roll_check_round", "roll_check", "round_id"),
)


def ensure_lookup_indexes(conn: sqlite3.Connection) -> None:
    for name, table, columns in LOOKUP_INDEXES:
        conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def repair_kept_totals(conn: sqlite3.Connection) -> bool:
    """Put back missing marking triggers and mark every day to be totalled again (a
    writer, on opening); True when there was anything to repair."""
    missing = kept_totals_missing_triggers(conn)
    if not missing:
        return False
    for name in missing:
        conn.execute(f"CREATE TRIGGER {name} {KEPT_TOTALS_TRIGGERS[name]}")
    conn.execute(MARK_EVERY_DAY)
    return True


def m003_subject_day_totals(db: sqlite3.Connection) -> None:
    # Each subject-day's time out of cell, totalled: derived, per file. Every day starts
    # marked; the first transaction after the migration totals them.
    for statement in KEPT_TOTALS_TABLES:
        db.execute(statement)
    for name, body in KEPT_TOTALS_TRIGGERS.items():
        db.execute(f"CREATE TRIGGER {name} {body}")
    db.execute(MARK_EVERY_DAY)


def m004_report_parts_and_attachments(db: sqlite3.Connection) -> None:
    # The report's parts besides the findings (standing texts, the summary's and notable
    # positive practice's paragraphs, the glossary, the previous inspections' outcomes)
    # and attached photographs and documents: merged tables like every record. A file
    # from schema 3 has none; its report prints the shipped standing texts.
    _create_tables(db, history.TABLES_4, INDEXES_4)


def m005_rounds(db: sqlite3.Connection) -> None:
    # Rounds become records with a name, a day and a time; every check joins its round
    # by id and takes the id of its round and location. A check saved without a round
    # (a "hidden" round, counted by the figures but shown nowhere) gets the round of its
    # hour; a second check of a location in a round is kept as a deleted record.
    from irp_field.core import rounds_migration

    rounds_migration.migrate(db, f"({history.BOOKKEEPING_1},{history.TABLES_5['roll_round']})")
    # Rounds are found by name (any case) as each check is typed or imported.
    db.execute("CREATE INDEX idx_roll_round_name ON roll_round (name COLLATE NOCASE)")
    checks = history.TABLES_5["roll_check"]
    rounds_migration.rebuild_roll_checks(
        db,
        f"({history.BOOKKEEPING_1},{checks}) WITHOUT ROWID",
        (*history.columns(history.BOOKKEEPING_1), *history.columns(checks)),
    )


def m006_recipients(db: sqlite3.Connection) -> None:
    # The public keys hand-backs are sealed for: visit details, so they travel by merge.
    db.execute("ALTER TABLE visit ADD COLUMN recipients TEXT NOT NULL DEFAULT ''")


def m007_purges(db: sqlite3.Connection) -> None:
    # What was purged (its content removed for good), by whom, when and why: a merged
    # table, so a purge travels to every copy of the visit (``core.purging``).
    _create_tables(db, history.TABLES_7, (("purge", "row_id"),))


INDEXES_8 = (
    ("round_link", "round_id"),
    ("round_link", "plan_item_id"),
    ("toc_day_link", "subject, on_date"),
    ("toc_day_link", "plan_item_id"),
)


def m008_evidence_links(db: sqlite3.Connection) -> None:
    # A round of roll checks, or a subject's day of time out of cell, linked to the plan
    # items it is evidence for, as a note is (note_link): merged tables whose rows are
    # keyed by what they join, deleted as tombstones. A file of schema 7 has none.
    _create_tables(db, history.TABLES_8, INDEXES_8)


def m009_roll_tallies(db: sqlite3.Connection) -> None:
    # Each round's and each location's roll-check sums, kept by triggers on roll_check
    # (``core.roll_tallies``): derived, per file; summed from the checks the file holds.
    for statement in history.ROLL_TALLIES_9:
        db.execute(statement)


# In order; each runs once per file, recorded in _sqlite_migrations (core/migrations.py).
# The schema's version is how many there are.
MIGRATIONS: tuple[Migration, ...] = (
    m001_visit_file,
    m002_sync_and_drafts,
    m003_subject_day_totals,
    m004_report_parts_and_attachments,
    m005_rounds,
    m006_recipients,
    m007_purges,
    m008_evidence_links,
    m009_roll_tallies,
)


SCHEMA_VERSION = len(MIGRATIONS)


def since(table: str) -> int:
    """The schema version whose migration made ``table`` (0 when it is not ours)."""
    if table in ("finding_sync", "note_draft"):
        return 2
    if table in ("toc_day", "toc_day_stale"):
        return KEPT_TOTALS_SINCE
    if table in SCHEMA_4_TABLES:
        return 4
    if table in SCHEMA_5_TABLES:
        return 5
    if table in SCHEMA_7_TABLES:
        return 7
    if table in SCHEMA_8_TABLES:
        return 8
    from irp_field.core.roll_tallies import ROLL_TALLIES

    if table in ROLL_TALLIES:
        return ROLL_TALLIES_SINCE
    from irp_field.core.tables import MERGED_TABLES

    return 1 if table in MERGED_TABLES or table in ("meta", "change_log", "note_fts") else 0


def local_tables() -> tuple[str, ...]:
    """Tables that belong to one file and are never merged (``LOCAL_TABLES``)."""
    from irp_field.core.roll_tallies import ROLL_TALLIES

    return ("meta", "finding_sync", "note_draft", "toc_day", "toc_day_stale", *ROLL_TALLIES)


@cache
def declared_columns(table: str) -> tuple[tuple[str, str], ...]:
    """(name, declared type) of every column of a merged table, as its CREATE makes them."""
    from irp_field.core.tables import BOOKKEEPING, MERGED_TABLES

    lines = [*BOOKKEEPING.strip().splitlines(), *MERGED_TABLES[table].strip().splitlines()]
    return tuple((line.split()[0], line.split()[1].rstrip(",")) for line in lines)


@cache
def merged_columns(table: str) -> tuple[str, ...]:
    """Every column of a merged table, bookkeeping first, in schema order."""
    from irp_field.core.tables import MERGED_TABLES

    own = [line.split()[0] for line in MERGED_TABLES[table].strip().splitlines()]
    return ("id", "created_by", "created_at", "version", "base_version", "deleted", *own)


def read_as_current(conn: sqlite3.Connection) -> None:
    """An older file read as it is (never migrated in place): tables a later version
    changed read as it makes them, through temporary views; the file is not touched."""
    from irp_field.core import rounds_migration
    from irp_field.core.tables import MERGED_TABLES, own_default_sql

    reread = rounds_migration.read_as_schema_5(
        conn, merged_columns("roll_check"), own_default_sql("roll_check")
    )
    for table in MERGED_TABLES:
        held = [str(row[1]) for row in conn.execute(f"PRAGMA main.table_info({table})")]
        wanted = merged_columns(table)
        if not held or (table == "roll_check" and reread) or set(wanted) <= set(held):
            continue
        # columns a later migration added (a visit's recipients, schema 6; a roll
        # category, ``adding_columns``): their DEFAULT, after the columns held
        quoted = ", ".join('"' + name.replace('"', '""') + '"' for name in held)
        added = own_default_sql(table)
        shown = ", ".join(f"{added.get(c, 'NULL')} AS {c}" for c in wanted if c not in held)
        conn.execute(f"CREATE TEMP VIEW {table} AS SELECT {quoted}, {shown} FROM main.{table}")
