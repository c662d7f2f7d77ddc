"""A redacted copy of a visit file, for a redacted bundle: redacted as it is made.

The copy is a new, empty visit file; every row is read from the visit and written into
it with each column's policy already applied (:data:`FILE_POLICY`, the analyst export's
policies for the visit file's own columns). So no moment exists when the copy holds
what redaction takes out: a copy of the whole file blanked afterwards did (and lay
in the system's temporary folder after a kill -9). The edit history, conflicts,
drafts, imports' file names and sync state are never copied; attachments only when
asked. The copy is for the bundle writer, which carries no ids: ids stay as they are,
so the copy's joins and keyed look-ups hold.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain import kind_columns
from irp_field.domain.attachments import PHOTOGRAPHS
from irp_field.domain.errors import IrpError
from irp_field.evidence import toc_days
from irp_field.interchange import redaction
from irp_field.interchange.redaction import (
    BLANK,
    ID,
    KEEP,
    POLICY,
    SHIPPED,
    STAFF,
    STAFF_DETAIL,
    redactor,
)

# Merged tables a bundle never carries, whose text (another laptop's version of a row,
# the names of the files imported) is never copied.
LEFT_OUT = ("conflict", "import_log")
ATTACHMENT_TABLES = ("attachment_file", "attachment")

# The visit file's own columns that no analyst table has.
_FILE_ONLY: dict[tuple[str, str], str] = {
    ("visit", "id"): KEEP,
    # public keys (whom hand-backs are sealed for): no one's secret, and no personal data
    ("visit", "recipients"): KEEP,
    # and each registered kind's own (``domain.kind_columns``: its import_id)
    **{
        (table, c.name): c.policy
        for table in kind_columns.COLUMNS
        for c in kind_columns.stored(table)
        if not c.exported
    },
    ("finding", "evidence"): KEEP,  # the ids of the evidence a paragraph cites
    ("report_part", "key"): KEEP,
    ("attachment_file", "kind"): KEEP,
    ("attachment_file", "size"): KEEP,
    ("attachment_file", "content"): KEEP,  # only with --keep-attachments
    # a purge's fact: which record (its id stays, as every id of the copy does) and the
    # versions of its emptied row; a bundle never writes it (it carries live records)
    ("purge", "table_name"): KEEP,
    ("purge", "row_id"): KEEP,
    ("purge", "row_version"): KEEP,
    ("purge", "removed_version"): KEEP,
}
_BOOKKEEPING = {"id": KEEP, "created_by": STAFF, "created_at": KEEP, "version": KEEP,
                "base_version": KEEP, "deleted": KEEP}  # fmt: skip


def file_policy(table: str, column: str) -> str:
    """The policy of a column of the visit file ('' when it has none: refused)."""
    decided = redaction.text_policy(table, column)
    if decided:
        return decided
    if column in _BOOKKEEPING:
        return _BOOKKEEPING[column]
    analyst = POLICY.get(table, {}).get(column, "")
    if analyst:
        return KEEP if analyst == ID else analyst  # ids stay: the copy is never shared
    return _FILE_ONLY.get((table, column), "")


FILE_POLICY: dict[str, dict[str, str]] = {
    table: {column: file_policy(table, column) for column in schema.merged_columns(table)}
    for table in schema.MERGED_TABLES
    if table not in LEFT_OUT
}


def _shipped_rows(table: str) -> set[tuple[str, ...]]:
    """The rows of ``table`` as irp-field ships them (its standing texts, its glossary),
    as (key, text) and (term, definition, matches)."""
    from irp_field.findings import part_defaults

    shipped = part_defaults.shipped()
    if table == "report_part":
        return {(key, text) for key, text in shipped.parts.items()}
    if table == "glossary_term":
        return {(t.term, t.definition, ";".join(t.matches)) for t in shipped.glossary}
    return set()


# Documents keep their author and software (no PDF library here to drop them): never in
# a redacted copy; --keep-attachments keeps the photographs, each clean.
_KINDS = ", ".join(f"'{kind}'" for kind in PHOTOGRAPHS)
_PHOTOGRAPHS_ONLY = {
    "attachment_file": f"kind IN ({_KINDS})",
    "attachment": f"file_sha256 IN (SELECT id FROM attachment_file WHERE kind IN ({_KINDS}))",
}


def copy_statement(
    conn: sqlite3.Connection, table: str, columns: list[str], key: str, keep_staff_names: bool
) -> str:
    """``INSERT INTO redacted.TABLE ... SELECT ...``: each column through its policy
    (functions registered on ``conn``), read from ``conn``'s own TABLE."""
    policy = FILE_POLICY[table]
    missing = [c for c in columns if not policy.get(c)]
    if missing:
        raise IrpError(f"redaction: {table}.{missing[0]} has no policy (see docs/redaction.md)")
    chosen = []
    for column in columns:
        change = (
            None if policy[column] == SHIPPED else redactor(policy[column], key, keep_staff_names)
        )
        if change is None:
            chosen.append(column)
        elif policy[column] in (BLANK, STAFF_DETAIL):
            chosen.append(f"CASE WHEN {column} IS NULL THEN NULL ELSE '' END")
        else:
            name = f"redacted_{table}_{column}"
            conn.create_function(name, 1, change, deterministic=True)
            chosen.append(f"{name}({column})")
    where = ""
    # A standing text or glossary entry is kept only word for word as irp-field ships it
    # (with its key or term); one the team wrote is left out, and the report prints the
    # shipped text in its place.
    judged = [c for c in columns if policy[c] == SHIPPED or (c == "key" and table == "report_part")]
    if any(policy[c] == SHIPPED for c in columns):
        shipped = _shipped_rows(table)
        name = f"shipped_{table}"
        conn.create_function(
            name, -1, lambda *values: tuple(str(v) for v in values) in shipped, deterministic=True
        )
        where = f" WHERE {name}({', '.join(judged)})"
    if table in _PHOTOGRAPHS_ONLY:
        where = f"{where} AND " if where else " WHERE "
        where += _PHOTOGRAPHS_ONLY[table]
    return (
        f"INSERT OR REPLACE INTO redacted.{table} ({', '.join(columns)}) "
        f"SELECT {', '.join(chosen)} FROM {table}{where}"
    )


def _columns(source: sqlite3.Connection, table: str) -> list[str]:
    """The columns of ``table`` that the visit holds (an older file lacks some tables; its
    rounds and checks read as this schema's through the reading views)."""
    held = {row[1] for row in source.execute(f"PRAGMA table_info({table})")}
    return [c for c in schema.merged_columns(table) if c in held]


def _fill(
    source: sqlite3.Connection, copy: Path, tables: list[str], key: str, keep_staff_names: bool
) -> None:
    """Every row of ``tables`` from ``source`` into ``copy``, redacted on the way: SQLite
    reads each row and writes it redacted, and only redacted values reach the copy."""
    source.execute("ATTACH DATABASE ? AS redacted", (str(copy),))
    try:
        # A scratch file, removed on every way out: no durability to pay for.
        source.execute("PRAGMA redacted.journal_mode = MEMORY")
        source.execute("PRAGMA redacted.synchronous = OFF")
        source.execute("BEGIN")
        try:
            for table in tables:
                columns = _columns(source, table)
                if columns:
                    source.execute(copy_statement(source, table, columns, key, keep_staff_names))
            source.execute("DELETE FROM redacted.change_log")  # the copy's own making
            source.execute("COMMIT")
        except BaseException:
            source.execute("ROLLBACK")
            raise
    finally:
        source.execute("DETACH DATABASE redacted")


def redacted_copy(
    path: Path,
    scratch: Path,
    *,
    key: str | None = None,
    keep_attachments: bool = False,
    keep_staff_names: bool = False,
) -> Path:
    """A new visit file in ``scratch`` holding the visit at ``path`` redacted with
    ``key`` (the visit's own redaction key when none is given); attachments left out
    unless ``keep_attachments``."""
    key = key if key is not None else redaction.redaction_key(path)
    if keep_attachments:
        redaction.refuse_unclean_pictures(path)  # a picture with its camera's metadata
    copy = scratch / f"redacted-{path.stem}.db"
    tables = [t for t in FILE_POLICY if keep_attachments or t not in ATTACHMENT_TABLES]
    with VisitFile.open(path, readonly=True) as source:
        details = source.one("SELECT * FROM visit WHERE id = ?", (source.visit_id,))
        if details is None:
            raise IrpError(f"{path}: holds no visit record")
        VisitFile.create(
            copy,
            establishment=details["establishment"],
            start_date=details["start_date"],
            end_date=details["end_date"],
            visit_id=source.visit_id,
            user="irp-field",
        ).close()
        _fill(source.conn, copy, tables, key, keep_staff_names)
    settling = sqlite3.connect(copy, isolation_level=None)
    try:
        settling.execute("BEGIN")
        toc_days.settle(settling)  # the kept subject-day totals, under the pseudonyms
        settling.execute("COMMIT")
    finally:
        settling.close()
    return copy
