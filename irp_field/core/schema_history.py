"""The merged tables as each migration made them: frozen text, never read from today's.

An old migration must make what it made when it was written, whatever the tables look
like today: a file migrated from schema 1 and a file made new must end alike, and both
must end as this version's tables (``core.tables``, checked by the tests and by the
merge's shape check, ``replication.guard.our_shape``). So each migration here holds
its own copy of the columns it creates, as they were then; nothing here imports the
registry (``domain.roll_categories``) or today's tables. Never edit a table here: a
change is a new migration.
"""

from __future__ import annotations

# The bookkeeping columns every merged table has had since schema 1.
BOOKKEEPING_1 = """
    id TEXT PRIMARY KEY,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    base_version TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
"""

# The tables stored in id order (WITHOUT ROWID) since schema 1.
CLUSTERED_1 = ("roll_check", "toc_period")

# m001_visit_file: the merged tables of the first schema (a round a label on each
# check; a visit naming no key to seal for).
TABLES_1: dict[str, str] = {
    "visit": """
        establishment TEXT NOT NULL DEFAULT '',
        visit_type TEXT NOT NULL DEFAULT 'IRP',
        start_date TEXT NOT NULL DEFAULT '',
        end_date TEXT NOT NULL DEFAULT '',
        previous_inspection TEXT NOT NULL DEFAULT ''
    """,
    "team_member": """
        name TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT ''
    """,
    "location": """
        name TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT 'wing',
        capacity INTEGER
    """,
    "plan_item": """
        ref TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT 'recommendation',
        body TEXT NOT NULL DEFAULT 'HMIP',
        area TEXT NOT NULL DEFAULT '',
        concern TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        judged_group TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0
    """,
    "judgement": """
        unit TEXT NOT NULL DEFAULT '',
        scale TEXT NOT NULL DEFAULT '',
        level TEXT NOT NULL DEFAULT '',
        why TEXT NOT NULL DEFAULT ''
    """,
    "roll_check": """
        taken_at TEXT NOT NULL DEFAULT '',
        location_id TEXT NOT NULL DEFAULT '',
        roll INTEGER NOT NULL DEFAULT 0,
        locked_up INTEGER NOT NULL DEFAULT 0,
        off_wing_activity INTEGER NOT NULL DEFAULT 0,
        wing_work INTEGER NOT NULL DEFAULT 0,
        unlocked_on_wing INTEGER NOT NULL DEFAULT 0,
        elsewhere INTEGER NOT NULL DEFAULT 0,
        round TEXT NOT NULL DEFAULT '',
        inspector TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        import_id TEXT NOT NULL DEFAULT ''
    """,
    "toc_period": """
        on_date TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        subject_group TEXT NOT NULL DEFAULT '',
        start_time TEXT NOT NULL DEFAULT '',
        end_time TEXT NOT NULL DEFAULT '',
        activity TEXT NOT NULL DEFAULT 'other',
        import_id TEXT NOT NULL DEFAULT ''
    """,
    "sample_frame": """
        name TEXT NOT NULL DEFAULT '',
        record_kind TEXT NOT NULL DEFAULT '',
        population INTEGER,
        method TEXT NOT NULL DEFAULT '',
        seed TEXT NOT NULL DEFAULT '',
        list_sha256 TEXT NOT NULL DEFAULT '',
        plan_item_id TEXT NOT NULL DEFAULT ''
    """,
    "sample_criterion": """
        frame_id TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0
    """,
    "sample_record": """
        frame_id TEXT NOT NULL DEFAULT '',
        record TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0
    """,
    "sample_answer": """
        frame_id TEXT NOT NULL DEFAULT '',
        record TEXT NOT NULL DEFAULT '',
        criterion_id TEXT NOT NULL DEFAULT '',
        answer TEXT NOT NULL DEFAULT '',
        comment TEXT NOT NULL DEFAULT ''
    """,
    "note": """
        source TEXT NOT NULL DEFAULT 'observation',
        taken_at TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '',
        import_id TEXT NOT NULL DEFAULT ''
    """,
    "note_link": """
        note_id TEXT NOT NULL DEFAULT '',
        plan_item_id TEXT NOT NULL DEFAULT ''
    """,
    "data_return": """
        key TEXT NOT NULL DEFAULT '',
        value REAL,
        unit TEXT NOT NULL DEFAULT 'number',
        period TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        label TEXT NOT NULL DEFAULT ''
    """,
    "finding": """
        plan_item_id TEXT NOT NULL DEFAULT '',
        position REAL NOT NULL DEFAULT 0,
        text TEXT NOT NULL DEFAULT '',
        evidence TEXT NOT NULL DEFAULT '[]'
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
}

# m004_report_parts_and_attachments.
TABLES_4: dict[str, str] = {
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
}

# m005_rounds: rounds as records, and the roll check rebuilt keyed by its round.
TABLES_5: dict[str, str] = {
    "roll_round": """
        name TEXT NOT NULL DEFAULT '',
        on_date TEXT NOT NULL DEFAULT '',
        at_time TEXT NOT NULL DEFAULT ''
    """,
    "roll_check": """
        taken_at TEXT NOT NULL DEFAULT '',
        location_id TEXT NOT NULL DEFAULT '',
        roll INTEGER NOT NULL DEFAULT 0,
        locked_up INTEGER NOT NULL DEFAULT 0,
        off_wing_activity INTEGER NOT NULL DEFAULT 0,
        wing_work INTEGER NOT NULL DEFAULT 0,
        unlocked_on_wing INTEGER NOT NULL DEFAULT 0,
        elsewhere INTEGER NOT NULL DEFAULT 0,
        round_id TEXT NOT NULL DEFAULT '',
        inspector TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        import_id TEXT NOT NULL DEFAULT ''
    """,
}

# m007_purges.
TABLES_7: dict[str, str] = {
    "purge": """
        table_name TEXT NOT NULL DEFAULT '',
        row_id TEXT NOT NULL DEFAULT '',
        row_version TEXT NOT NULL DEFAULT '',
        removed_version TEXT NOT NULL DEFAULT '',
        what TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT ''
    """,
}

# m008_evidence_links.
TABLES_8: dict[str, str] = {
    "round_link": """
        round_id TEXT NOT NULL DEFAULT '',
        plan_item_id TEXT NOT NULL DEFAULT ''
    """,
    "toc_day_link": """
        subject TEXT NOT NULL DEFAULT '',
        on_date TEXT NOT NULL DEFAULT '',
        plan_item_id TEXT NOT NULL DEFAULT ''
    """,
}


# m009_roll_tallies: each round's, location's and inspector's roll-check sums (per file),
# and the triggers on roll_check that keep them, for the counts of schema 9. Built here
# from that list of counts, never from today's registry (``core.roll_tallies`` makes
# today's: the same text while the registry holds these counts).
COUNTS_9 = ("roll", "locked_up", "off_wing_activity", "wing_work", "unlocked_on_wing", "elsewhere")
KEYS_9 = {
    "roll_tally_round": ("round_id", "{row}round_id"),
    "roll_tally_location": ("location_id", "{row}location_id"),
    "roll_tally_inspector": ("inspector", "COALESCE(NULLIF({row}inspector, ''), {row}created_by)"),
}


def _key_9(table: str, row: str = "") -> str:
    return KEYS_9[table][1].format(row=f"{row}." if row else "")


def _add_9(table: str, row: str) -> str:
    key = KEYS_9[table][0]
    values = ", ".join(f"{row}.{name}" for name in COUNTS_9)
    sums = ", ".join(f"{name} = {name} + excluded.{name}" for name in COUNTS_9)
    return (
        f"INSERT INTO {table} ({key}, checks, {', '.join(COUNTS_9)}) "
        f"SELECT {_key_9(table, row)}, 1, {values} WHERE {row}.deleted = 0 "
        f"ON CONFLICT ({key}) DO UPDATE SET checks = checks + 1, {sums};"
    )


def _take_9(table: str, row: str) -> str:
    key = KEYS_9[table][0]
    sums = ", ".join(f"{name} = {name} - {row}.{name}" for name in COUNTS_9)
    return (
        f"UPDATE {table} SET checks = checks - 1, {sums} "
        f"WHERE {key} = {_key_9(table, row)} AND {row}.deleted = 0; "
        f"DELETE FROM {table} WHERE {key} = {_key_9(table, row)} AND checks = 0;"
    )


def _each_9(step: str) -> str:
    return " ".join(_add_9(t, "NEW") if step == "NEW" else _take_9(t, "OLD") for t in KEYS_9)


def _tally_table_9(table: str) -> str:
    summed = ", ".join(f"{name} INTEGER NOT NULL DEFAULT 0" for name in COUNTS_9)
    return (
        f"CREATE TABLE {table} ({KEYS_9[table][0]} TEXT NOT NULL PRIMARY KEY, "
        f"checks INTEGER NOT NULL DEFAULT 0, {summed}) WITHOUT ROWID"
    )


_WATCHED_9 = ", ".join(("round_id", "location_id", "inspector", "created_by", *COUNTS_9, "deleted"))
ROLL_TALLIES_9 = (
    *(_tally_table_9(table) for table in KEYS_9),
    "CREATE TRIGGER roll_check_tallies_new AFTER INSERT ON roll_check WHEN NEW.deleted = 0 "
    f"BEGIN {_each_9('NEW')} END",
    f"CREATE TRIGGER roll_check_tallies_changed AFTER UPDATE OF {_WATCHED_9} ON roll_check "
    f"WHEN OLD.deleted = 0 OR NEW.deleted = 0 BEGIN {_each_9('OLD')} {_each_9('NEW')} END",
    "CREATE TRIGGER roll_check_tallies_removed AFTER DELETE ON roll_check WHEN OLD.deleted = 0 "
    f"BEGIN {_each_9('OLD')} END",
    *(
        f"INSERT INTO {table} SELECT {_key_9(table)}, COUNT(*), "
        f"{', '.join(f'SUM({name})' for name in COUNTS_9)} FROM roll_check "
        "WHERE deleted = 0 GROUP BY 1"
        for table in KEYS_9
    ),
)


def columns(table_text: str) -> tuple[str, ...]:
    """The names of a frozen table's own columns, in order."""
    return tuple(line.split()[0] for line in table_text.strip().splitlines())
