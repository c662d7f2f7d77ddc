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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence import toc_days
from irp_field.interchange import redaction
from irp_field.interchange.redaction import ID, KEEP, POLICY, SHIPPED, STAFF

# Merged tables a bundle never carries, whose text (another laptop's version of a row,
# the names of the files imported) is never copied.
LEFT_OUT = ("conflict", "import_log")
ATTACHMENT_TABLES = ("attachment_file", "attachment")

# The visit file's own columns that no analyst table has.
_FILE_ONLY: dict[tuple[str, str], str] = {
    ("visit", "id"): KEEP,
    ("roll_check", "import_id"): KEEP,
    ("toc_period", "import_id"): KEEP,
    ("note", "import_id"): KEEP,
    ("finding", "evidence"): KEEP,  # the ids of the evidence a paragraph cites
    ("report_part", "key"): KEEP,
    ("attachment_file", "kind"): KEEP,
    ("attachment_file", "size"): KEEP,
    ("attachment_file", "content"): KEEP,  # only with --keep-attachments
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

Row = tuple[Any, ...]


def _shipped_rows(table: str) -> set[tuple[str, ...]]:
    """The rows of ``table`` as irp-field ships them (its standing texts, its glossary)."""
    from irp_field.findings import part_defaults

    shipped = part_defaults.shipped()
    if table == "report_part":
        return {(key, text) for key, text in shipped.parts.items()}
    if table == "glossary_term":
        return {(t.term, t.definition, ";".join(t.matches)) for t in shipped.glossary}
    return set()


def row_redactor(
    table: str, columns: list[str], key: str, keep_staff_names: bool
) -> Callable[[Row], Row | None]:
    """What the copy makes of one row of ``table`` (None: the row is left out)."""
    policy = FILE_POLICY[table]
    missing = [c for c in columns if not policy.get(c)]
    if missing:
        raise IrpError(f"redaction: {table}.{missing[0]} has no policy (see docs/redaction.md)")
    changes = []
    for index, column in enumerate(columns):
        if policy[column] != SHIPPED:
            change = redaction.redactor(policy[column], key, keep_staff_names)
            if change is not None:
                changes.append((index, change))
    # A standing text or glossary entry is kept only word for word as irp-field ships it
    # (with its key or term); one the team wrote is left out, and the report prints
    # the shipped text in its place.
    judged = [i for i, c in enumerate(columns) if policy[c] == SHIPPED or c == "key"]
    shipped = _shipped_rows(table) if any(policy[c] == SHIPPED for c in columns) else None

    def redact(row: Row) -> Row | None:
        if shipped is not None and tuple(str(row[i]) for i in judged) not in shipped:
            return None
        values = list(row)
        for index, change in changes:
            values[index] = change(values[index])
        return tuple(values)

    return redact


def _columns(source: sqlite3.Connection, table: str) -> list[str]:
    """The columns of ``table`` that the visit holds (an older file lacks some tables; its
    rounds and checks read as this schema's through the reading views)."""
    held = {row[1] for row in source.execute(f"PRAGMA table_info({table})")}
    return [c for c in schema.merged_columns(table) if c in held]


def _rows(source: sqlite3.Connection, table: str, columns: list[str]) -> Iterator[Row]:
    listed = ", ".join(columns)
    try:  # in the order they were written (the team's and the locations' order)
        cursor = source.execute(f"SELECT {listed} FROM {table} ORDER BY rowid")
    except sqlite3.OperationalError:  # WITHOUT ROWID, or a reading view: in key order
        cursor = source.execute(f"SELECT {listed} FROM {table}")
    while batch := cursor.fetchmany(2000):
        yield from batch


def _write(
    target: sqlite3.Connection, table: str, columns: list[str], rows: Iterable[Row | None]
) -> None:
    marks = ", ".join("?" for _ in columns)
    target.executemany(
        f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES ({marks})",
        (row for row in rows if row is not None),
    )


def redacted_copy(
    path: Path,
    scratch: Path,
    *,
    key: str,
    keep_attachments: bool = False,
    keep_staff_names: bool = False,
) -> Path:
    """A new visit file in ``scratch`` holding the visit at ``path`` redacted with
    ``key``; attachments left out unless ``keep_attachments``."""
    copy = scratch / f"redacted-{path.stem}.db"
    tables = [t for t in FILE_POLICY if keep_attachments or t not in ATTACHMENT_TABLES]
    with VisitFile.open(path, readonly=True) as source:
        details = source.one("SELECT * FROM visit WHERE id = ?", (source.visit_id,))
        if details is None:
            raise IrpError(f"{path}: holds no visit record")
        with VisitFile.create(
            copy,
            establishment=details["establishment"],
            start_date=details["start_date"],
            end_date=details["end_date"],
            visit_id=source.visit_id,
            user="irp-field",
        ) as made:
            target = made.conn
            target.execute("PRAGMA temp_store = MEMORY")  # no spill into the system's folder
            target.execute("BEGIN IMMEDIATE")
            try:
                for table in tables:
                    columns = _columns(source.conn, table)
                    if columns:
                        redact = row_redactor(table, columns, key, keep_staff_names)
                        rows = _rows(source.conn, table, columns)
                        _write(target, table, columns, map(redact, rows))
                target.execute("DELETE FROM change_log")  # the copy's own making
                toc_days.settle(target)  # the kept subject-day totals, under the pseudonyms
                target.execute("COMMIT")
            except BaseException:
                target.execute("ROLLBACK")
                raise
    return copy
