"""The merged tables of a visit file: their columns, as every migration makes them.

Merged tables share the bookkeeping columns below and have no UNIQUE constraint
beyond the primary key (natural keys are checked in code), and every NOT NULL
column has a default, so that rows from another laptop always fit. Which migration
makes each table, and the per-file tables, are in :mod:`irp_field.core.schema`.
"""

from __future__ import annotations

import sqlite3

from irp_field.domain import kind_columns

BOOKKEEPING = """
    id TEXT PRIMARY KEY,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    base_version TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
"""


def _sql_default(value: str | int | float) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def kind_column(column: kind_columns.KindColumn) -> str:
    """A kind's column (``domain.kind_columns``) as its table declares it: NOT NULL with
    its default, or NULL when it has none (a row from another laptop always fits)."""
    if column.default is None:
        return f"{column.name} {column.affinity}"
    return f"{column.name} {column.affinity} NOT NULL DEFAULT {_sql_default(column.default)}"


def _kind(table: str) -> str:
    """A kind's columns, from its registry, in the table's order (the first schema's,
    then each added since, where ``ALTER TABLE ... ADD COLUMN`` put it)."""
    found = ",\n        ".join(kind_column(c) for c in kind_columns.stored(table))
    return f"\n        {found}\n    "


# table -> its own columns (after the bookkeeping ones), in the table's order.
MERGED_TABLES: dict[str, str] = {
    "visit": """
        establishment TEXT NOT NULL DEFAULT '',
        visit_type TEXT NOT NULL DEFAULT 'IRP',
        start_date TEXT NOT NULL DEFAULT '',
        end_date TEXT NOT NULL DEFAULT '',
        previous_inspection TEXT NOT NULL DEFAULT '',
        recipients TEXT NOT NULL DEFAULT ''
    """,
    # the team, locations, the plan, rounds, roll checks, time out of cell, sampling,
    # notes and data returns: their registry's (``domain.kind_columns``; the roll check's
    # counts among them, ``domain.roll_categories``)
    "team_member": _kind("team_member"),
    "location": _kind("location"),
    "plan_item": _kind("plan_item"),
    "judgement": """
        unit TEXT NOT NULL DEFAULT '',
        scale TEXT NOT NULL DEFAULT '',
        level TEXT NOT NULL DEFAULT '',
        why TEXT NOT NULL DEFAULT ''
    """,
    # Schema 5: a round is a record (m005_rounds); a check's id is keyed by its round
    # and location, so that a location is counted once per round on every laptop.
    "roll_round": _kind("roll_round"),
    "roll_check": _kind("roll_check"),
    "toc_period": _kind("toc_period"),
    "sample_frame": _kind("sample_frame"),
    "sample_criterion": _kind("sample_criterion"),
    "sample_record": _kind("sample_record"),
    "sample_answer": _kind("sample_answer"),
    "note": _kind("note"),
    "note_link": """
        note_id TEXT NOT NULL DEFAULT '',
        plan_item_id TEXT NOT NULL DEFAULT ''
    """,
    # Schema 8: rounds and subjects' days of time out of cell linked to plan items, as
    # notes are (m008_evidence_links). A link's id is keyed by what it joins, so two
    # laptops that link the same round to the same item write one record.
    "round_link": """
        round_id TEXT NOT NULL DEFAULT '',
        plan_item_id TEXT NOT NULL DEFAULT ''
    """,
    "toc_day_link": """
        subject TEXT NOT NULL DEFAULT '',
        on_date TEXT NOT NULL DEFAULT '',
        plan_item_id TEXT NOT NULL DEFAULT ''
    """,
    "data_return": _kind("data_return"),
    "finding": """
        plan_item_id TEXT NOT NULL DEFAULT '',
        position REAL NOT NULL DEFAULT 0,
        text TEXT NOT NULL DEFAULT '',
        evidence TEXT NOT NULL DEFAULT '[]'
    """,
    # Schema 4: the report's other parts and attachments (m004_report_parts_and_attachments).
    "report_part": """
        key TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT ''
    """,
    "report_paragraph": """
        section TEXT NOT NULL DEFAULT 'summary',
        position REAL NOT NULL DEFAULT 0,
        text TEXT NOT NULL DEFAULT ''
    """,
    "glossary_term": """
        term TEXT NOT NULL DEFAULT '',
        definition TEXT NOT NULL DEFAULT '',
        matches TEXT NOT NULL DEFAULT ''
    """,
    "previous_outcome": """
        year TEXT NOT NULL DEFAULT '',
        test TEXT NOT NULL DEFAULT '',
        judgement TEXT NOT NULL DEFAULT ''
    """,
    # One row per file, its id the SHA-256 of its bytes: the same file twice is one row,
    # and two laptops that store it make the same row. Never changed once written.
    "attachment_file": """
        kind TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL DEFAULT 0,
        content BLOB NOT NULL DEFAULT x''
    """,
    "attachment": """
        file_sha256 TEXT NOT NULL DEFAULT '',
        target_kind TEXT NOT NULL DEFAULT '',
        target_id TEXT NOT NULL DEFAULT '',
        caption TEXT NOT NULL DEFAULT '',
        file_name TEXT NOT NULL DEFAULT ''
    """,
    "import_log": """
        kind TEXT NOT NULL DEFAULT '',
        file_name TEXT NOT NULL DEFAULT '',
        sha256 TEXT NOT NULL DEFAULT '',
        frame TEXT NOT NULL DEFAULT '',
        rows INTEGER NOT NULL DEFAULT 0
    """,
    "conflict": """
        table_name TEXT NOT NULL DEFAULT '',
        row_id TEXT NOT NULL DEFAULT '',
        kept_version TEXT NOT NULL DEFAULT '',
        other_version TEXT NOT NULL DEFAULT '',
        other_row TEXT NOT NULL DEFAULT '{}',
        resolved INTEGER NOT NULL DEFAULT 0,
        resolution TEXT NOT NULL DEFAULT ''
    """,
    # Schema 7: the fact of a purge (m007_purges): which record lost its content for
    # good, the version its emptied row took and the version it removed, the record as
    # the team named it (never its content) and why. Never changed once written.
    "purge": """
        table_name TEXT NOT NULL DEFAULT '',
        row_id TEXT NOT NULL DEFAULT '',
        row_version TEXT NOT NULL DEFAULT '',
        removed_version TEXT NOT NULL DEFAULT '',
        what TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT ''
    """,
}

# The evidence tables that grow to 100,000 rows are stored in id order (ids of one import
# ascend): one b-tree per row instead of a table and its primary-key index, which makes
# a large import a third faster. Small tables keep rowids (their insertion order is
# their display order).
CLUSTERED_TABLES = ("roll_check", "toc_period")


def _literal(text: str) -> object:
    """A column's DEFAULT as a value: a quoted text, x'' (no bytes), or a number."""
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    if text.lower() == "x''":
        return b""
    return float(text) if "." in text else int(text)


def own_defaults(table: str) -> dict[str, object]:
    """Each own column of a merged table (after the bookkeeping) -> the value a row has
    when nothing was typed into it: its DEFAULT, or None (a capacity, a value)."""
    found: dict[str, object] = {}
    for line in MERGED_TABLES[table].strip().splitlines():
        words = line.strip().rstrip(",").split(" DEFAULT ", 1)
        name = words[0].split()[0]
        found[name] = _literal(words[1].strip()) if len(words) == 2 else None
    return found


def own_default_sql(table: str) -> dict[str, str]:
    """Each own column of a merged table -> its DEFAULT as SQL (``NULL`` when it has
    none): what an older file, read as it is, shows for a column added since."""
    found: dict[str, str] = {}
    for line in MERGED_TABLES[table].strip().splitlines():
        words = line.strip().rstrip(",").split(" DEFAULT ", 1)
        found[words[0].split()[0]] = words[1].strip() if len(words) == 2 else "NULL"
    return found


def latest_versions(conn: sqlite3.Connection) -> dict[str, str]:
    """Each merged table's newest version stamp (a pass over every row; ``check`` runs it
    beside the audit). A file of an older schema, read as it is, lacks the newer tables."""
    latest: dict[str, str] = {}
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in MERGED_TABLES:
        if table not in present:
            continue
        row = conn.execute(f"SELECT MAX(version) FROM {table}").fetchone()
        if row is not None and row[0]:
            latest[table] = str(row[0])
    return latest
