"""Notes of interviews and observations, with full-text search."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.domain.note_search import search_verdicts


@dataclass(frozen=True)
class Note:
    id: str
    source: str
    taken_at: str
    author: str
    text: str
    tags: tuple[str, ...]
    plan_refs: tuple[str, ...]


_NOTE_COLUMNS = (
    "n.id, n.source, n.taken_at, n.author, n.text, n.tags, "
    "COALESCE((SELECT group_concat(p.ref, ';') FROM note_link k JOIN plan_item p "
    "ON p.id = k.plan_item_id WHERE k.note_id = n.id AND k.deleted = 0 AND p.deleted = 0), '') "
    "AS refs"
)


def _note(row: sqlite3.Row) -> Note:
    return Note(
        row["id"],
        row["source"],
        row["taken_at"],
        row["author"],
        row["text"],
        tuple(t for t in row["tags"].split(";") if t),
        tuple(r for r in row["refs"].split(";") if r),
    )


def search_notes(visit: VisitFile, query: str, limit: int = 200) -> list[Note]:
    """Notes matching an FTS5 query, best first; deleted notes never match. A query is
    bounded (``domain.note_search.search_verdicts``); one FTS5 cannot read is refused in one
    line, as is any other error of SQLite's while searching (the file's own)."""
    if not query.strip():
        return list_notes(visit, limit)
    refused = search_verdicts(query)
    if refused:
        raise IrpError(f"cannot search: {refused[0].message}")
    try:
        rows = visit.query(
            f"SELECT {_NOTE_COLUMNS} FROM note_fts JOIN note n ON n.rowid = note_fts.rowid "
            "WHERE note_fts MATCH ? AND n.deleted = 0 ORDER BY note_fts.rank LIMIT ?",
            (query, limit),
        )
    except sqlite3.DatabaseError as error:
        raise IrpError(f"cannot search for {query!r}: {error}") from None
    return [_note(row) for row in rows]


def get_note(visit: VisitFile, note_id: str) -> Note | None:
    row = visit.one(
        f"SELECT {_NOTE_COLUMNS} FROM note n WHERE n.id = ? AND n.deleted = 0", (note_id,)
    )
    return _note(row) if row is not None else None


def list_notes(visit: VisitFile, limit: int = 1000) -> list[Note]:
    rows = visit.query(
        f"SELECT {_NOTE_COLUMNS} FROM note n WHERE n.deleted = 0 ORDER BY n.taken_at DESC LIMIT ?",
        (limit,),
    )
    return [_note(row) for row in rows]
