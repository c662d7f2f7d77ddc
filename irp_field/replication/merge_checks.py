"""What a source file's rows must pass before anything of it is merged: every live
record read back through the domain's rules (``evidence.audit``, ``evidence.
attachment_audit``, ``findings.parts_audit``), as ``irp-field check`` reads them and
as an import would take them. A file from another laptop may have been damaged or
written by hand: a roll of 10 with 900000 locked up, a date that is no date, a file
whose bytes are not the file its hash names. The first row a rule refuses stops the
merge, naming the file and the record, with nothing merged.

Only what the merge would bring in is judged: a row the target already holds at the
same version is the target's own (``check`` reports it there), so a file written under
older rules never blocks the merges of a visit.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence import attachment_audit, audit
from irp_field.findings import parts_audit


def _held(target: Path | None) -> sqlite3.Connection | None:
    if target is None or not target.exists():
        return None
    return sqlite3.connect(target.resolve().as_uri() + "?mode=ro", uri=True)


def refuse_bad_rows(path: Path, *, named: Path | None = None, target: Path | None = None) -> None:
    """``path``: the source as this version reads it (its migrated copy, if older);
    ``named``: the file to name in a refusal; ``target``: the file merged into."""
    held = _held(target)
    try:
        with VisitFile.open(path, readonly=True, check_pages=False) as source:
            for kind in (audit, attachment_audit, parts_audit):
                with closing(kind.everything(source)) as findings:  # ended before the file
                    for found in findings:
                        if found.verdict.refuses and not _already_held(held, found.record):
                            raise IrpError(
                                f"refused: {named or path}: {found.kind} {found.where}: "
                                f"{found.verdict.message}; nothing was merged"
                            )
    finally:
        if held is not None:
            held.close()


def _already_held(held: sqlite3.Connection | None, record: tuple[str, str, str]) -> bool:
    table, row_id, version = record
    if held is None or not row_id or table not in schema.MERGED_TABLES:
        return False
    try:
        row = held.execute(f"SELECT version FROM {table} WHERE id = ?", (row_id,)).fetchone()
    except sqlite3.DatabaseError:
        return False
    return row is not None and row[0] == version
