"""What a source file's rows must pass before anything of it is merged: every live
record read back through the domain's rules (``evidence.audit``,
``evidence.attachment_audit``, ``findings.parts_audit``, ``findings.paragraph_audit``),
as ``irp-field check`` reads them and as an import would take them. A file from another
laptop may have been damaged or written by hand: a roll of 10 with 900000 locked up, a
date that is no date, a file whose bytes are not the file its hash names. The first row
a rule refuses stops the merge, naming the file and the record, with nothing merged.

Only what the merge would bring in is judged: a row the target already holds as it is
(the same version and the same values) is the target's own (``check`` reports it
there), so a file written under older rules never blocks the merges of a visit. A row
at the same version with other values, which no clock makes, is judged: the merge keeps
it (in the table or as a conflict: two rows claiming one version are both kept).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator
from contextlib import closing
from pathlib import Path
from typing import Any

from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain import references
from irp_field.domain.errors import IrpError
from irp_field.evidence import attachment_audit, audit
from irp_field.evidence.audit import Found
from irp_field.findings import paragraph_audit, parts_audit


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
            refuse_bad_rows_in(source, named=named or path, held=held)
    finally:
        if held is not None:
            held.close()


def refuse_bad_rows_in(
    source: VisitFile,
    *,
    named: Path,
    held: sqlite3.Connection | None,
    awaited: list[tuple[Path, Found]] | None = None,
) -> None:
    """:func:`refuse_bad_rows` on a source the merge holds open, ``held`` its read-only
    connection to the target (None: a target made by this merge holds nothing).

    A record naming one the source lacks (``domain.references``) is let through when
    the target holds what it names, deleted or not; else, given ``awaited``, it waits
    there for the merge's other files (:func:`refuse_unmade_whole`), at most
    ``references.MOST_AWAITED`` of a file."""
    waiting, target = 0, Holdings(held)
    with closing(refusals(source)) as refused:  # ended before the file
        for found in refused:
            if _already_held(held, source, found.record):
                continue
            if target.hold(found.awaited):
                continue  # the target holds the record it names
            if found.awaited is not None and awaited is not None:
                waiting += 1
                if waiting <= references.MOST_AWAITED:
                    awaited.append((named, found))
                    continue
            raise IrpError(
                f"refused: {named}: {found.kind} {found.where}: "
                f"{found.verdict.message}; nothing was merged"
            )


class Holdings:
    """What one file holds of the records references name: each target table's keys
    read once, in one pass, when a reference first asks (a look-up by key a record cost
    a scan of its frame's records: a hostile file's ten thousand answers of a frame of
    100,000 records, 10**9 rows)."""

    def __init__(self, conn: sqlite3.Connection | None) -> None:
        self._conn = conn
        self._keys: dict[tuple[str, tuple[str, ...]], set[tuple[Any, ...]]] = {}

    def hold(self, awaited: tuple[Any, tuple[Any, ...]] | None) -> bool:
        """Does the file hold the record a reference names, deleted or not?"""
        if self._conn is None or awaited is None:
            return False
        reference, values = awaited
        which = (reference.target_table, reference.target_columns)
        if which not in self._keys:
            columns = ", ".join(reference.target_columns)
            try:
                rows = self._conn.execute(f"SELECT {columns} FROM {reference.target_table}")
                self._keys[which] = set(map(tuple, rows))
            except sqlite3.OperationalError:
                self._keys[which] = set()  # an older file without the table: it holds none
        return tuple(values) in self._keys[which]


def refuse_unmade_whole(
    awaited: list[tuple[Path, Found]], others: list[sqlite3.Connection]
) -> None:
    """Refuse the first record that names one neither its file, the target (looked for
    as each file was checked) nor any of ``others`` (every file of this merge, read as it
    was checked) holds: the merge would bring in a record naming nothing, which every
    figure and report would leave out without a word."""
    holdings = [Holdings(conn) for conn in others]
    for named, found in awaited:
        if not any(held.hold(found.awaited) for held in holdings):
            raise IrpError(
                f"refused: {named}: {found.kind} {found.where}: {found.verdict.message}; "
                "neither the target nor another file of this merge holds it; nothing was merged"
            )


def _already_held(
    held: sqlite3.Connection | None, source: VisitFile, record: tuple[str, str, str]
) -> bool:
    """Does the target hold this very row, every value as the source has it? (The same
    version with other values, which no clock makes, comes in: as the row or a conflict.)"""
    table, row_id, _ = record
    if held is None or not row_id or table not in schema.MERGED_TABLES:
        return False
    query = f"SELECT * FROM {table} WHERE id = ?"
    try:
        ours = held.execute(query, (row_id,)).fetchone()
    except sqlite3.DatabaseError:
        return False
    theirs = source.conn.execute(query, (row_id,)).fetchone()
    return ours is not None and theirs is not None and tuple(ours) == tuple(theirs)


def refusals(visit: VisitFile) -> Generator[Found]:
    """Every verdict of the rules that refuses a live row of ``visit``."""
    for kind in (audit, attachment_audit, parts_audit, paragraph_audit):
        with closing(kind.everything(visit)) as findings:  # ended before the file
            for found in findings:
                if found.verdict.refuses:
                    yield found


def first_refusal(visit: VisitFile, table: str, row_id: str) -> Found | None:
    """What the rules refuse of one row of ``visit`` as it now stands (a version about to
    be kept from a conflict record, before its transaction commits), or None."""
    with closing(refusals(visit)) as found:
        return next((f for f in found if f.record[:2] == (table, row_id)), None)
