"""Purges carried out in a visit file: a record's content removed for good.

A purge (a row of ``purge``) names a record (its table and id), the version ``P`` its
emptied row took and the version ``R`` it removed. Every version of the record that
does not descend from ``P`` is *covered*: the content as it was purged, every version
before it, and any edit made elsewhere without the purge (a laptop that changed the
note while the team leader purged it). A version written on top of the purge, by
someone whose file had it (a roll check counted again), descends from ``P`` and lives.

:func:`enforce` makes a file hold nothing covered, in the caller's transaction:

- the record's row becomes its purged form (every column its default, a tombstone,
  version ``P``): the same row on every laptop, so merges agree on it;
- its history entries keep their bookkeeping (version, base, tombstone) and lose the
  rows they held (``{"purged": true}`` says so), so the history still says who
  changed it when, and the merge's ancestry still holds;
- a conflict record keeping a covered version is re-keyed and emptied the same way;
- a covered version that is neither ``R`` nor before it (an edit made elsewhere
  without the purge) leaves a conflict that says so, without its content;
- a note's drafts, a paragraph's sync state, the subject-day totals of a period and
  the full-text index's entries go (the index is optimised, so its old segments go).

With ``dry=True`` it only counts what it would change (``check``). It runs on any
connection to a visit file of this schema (the live one, a snapshot): the caller turns
``secure_delete`` on first and compacts after (:func:`compact`), so that no freed page
and no old WAL frame holds what was removed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from irp_field.core import schema
from irp_field.core.ids import keyed_id
from irp_field.core.tables import own_defaults

PURGE_AUTHOR = "irp-field purge"  # the author of the conflicts a purge writes
RESOLVED_BY_PURGE = "purged"  # a conflict's resolution once the versions it kept are gone


@dataclass(frozen=True)
class Purge:
    table: str
    row_id: str
    version: str  # P: the version the emptied row took
    removed: str  # R: the version the person purging saw and removed ('' if none)


@dataclass
class Enforced:
    """What :func:`enforce` changed (or, dry, would change)."""

    rows: int = 0
    history: int = 0
    conflicts: int = 0
    local: int = 0  # drafts, sync state, totals
    # (table, row id, version): edits made elsewhere without the purge, now empty
    concurrent: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.rows or self.history or self.conflicts or self.local)


def read_purges(conn: sqlite3.Connection, db: str = "main") -> list[Purge]:
    """The purges a file holds (none in a file of a schema before 7)."""
    try:
        rows = conn.execute(
            f"SELECT table_name, row_id, row_version, removed_version FROM {db}.purge "
            "WHERE deleted = 0"
        ).fetchall()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return []
        raise
    return [Purge(str(t), str(i), str(v), str(r)) for t, i, v, r in rows]


def effective(purges: Iterable[Purge]) -> dict[tuple[str, str], Purge]:
    """Per record, the purge every version must descend from (:class:`Purges`)."""
    return Purges(purges).latest


def purged_row(
    table: str, row_id: str, version: str, base: str, deleted: int = 1
) -> dict[str, Any]:
    """A record with nothing in it: every column its default, at ``version``."""
    return {
        "id": row_id,
        "created_by": "",
        "created_at": "",
        "version": version,
        "base_version": base,
        "deleted": deleted,
        **own_defaults(table),
    }


def bare(entry_row: Mapping[str, Any] | None, row_id: str) -> str:
    """A history entry's row reduced to its bookkeeping, and marked as purged."""
    if entry_row is None:
        return ""
    kept = {k: entry_row[k] for k in ("version", "base_version", "deleted") if k in entry_row}
    return json.dumps({"id": row_id, **kept, "purged": True}, sort_keys=True)


def is_bare(text: str) -> bool:
    return '"purged": true' in text


def parents_of(
    conn: sqlite3.Connection,
    table: str,
    row_id: str,
    rows: Iterable[Mapping[str, Any]] = (),
    dbs: Iterable[str] = ("main",),
) -> dict[str, str]:
    """version -> the version its editor saw, from the edit history of each of ``dbs``
    (the file, and a merge's source) and ``rows``."""
    found: dict[str, str] = {}
    for db in dbs:
        for version, base in conn.execute(
            "SELECT new ->> '$.version', new ->> '$.base_version' FROM "
            f"{db}.change_log WHERE table_name = ? AND row_id = ? AND new != '' "
            "AND json_valid(new)",
            (table, row_id),
        ):
            if version:
                found.setdefault(str(version), str(base))
    for row in rows:
        found.setdefault(str(row["version"]), str(row["base_version"]))
    return found


def is_ancestor(version: str, of: str, parents: Mapping[str, str]) -> bool:
    """Did the edit ``of`` descend from ``version`` (its editor had seen it)?"""
    seen: set[str] = set()
    current = parents.get(of, "")
    while current and current not in seen:
        if current == version:
            return True
        seen.add(current)
        current = parents.get(current, "")
    return False


@dataclass(frozen=True)
class Lineage:
    """What a purge leaves alive of a record: the versions descending from it."""

    purge: Purge
    parents: Mapping[str, str]
    purge_versions: frozenset[str]  # every purge's own version of this record

    def lives(self, version: str) -> bool:
        return version == self.purge.version or is_ancestor(
            self.purge.version, version, self.parents
        )

    def concurrent(self, version: str) -> bool:
        """A covered version made without the purge: neither what was removed, nor
        before it, nor another purge's emptied row."""
        removed = self.purge.removed
        return not (
            self.lives(version)
            or version in self.purge_versions
            or version == removed
            or (removed and is_ancestor(version, removed, self.parents))
        )


class Purges:
    """The purges known, by record: the one every version must descend from (the latest:
    two laptops that purged one record at once end with the same emptied row), and every
    purge's own version of it."""

    def __init__(self, purges: Iterable[Purge]) -> None:
        self.latest: dict[tuple[str, str], Purge] = {}
        self.versions: dict[tuple[str, str], set[str]] = {}
        for purge in purges:
            key = (purge.table, purge.row_id)
            self.versions.setdefault(key, set()).add(purge.version)
            if key not in self.latest or purge.version > self.latest[key].version:
                self.latest[key] = purge

    def lineage(
        self,
        conn: sqlite3.Connection,
        key: tuple[str, str],
        rows: Iterable[Mapping[str, Any]] = (),
        dbs: Iterable[str] = ("main",),
    ) -> Lineage:
        purge = self.latest[key]
        parents = parents_of(conn, purge.table, purge.row_id, rows, dbs)
        return Lineage(purge, parents, frozenset(self.versions[key]))


def textless_conflict(
    visit_id: str, lineage_: Lineage, version: str, base: str, *, open_: bool
) -> dict[str, Any]:
    """A conflict record that a version of a purged record was made and is gone: a
    whole version of the row with nothing in it (live, so that no merge takes it for
    the emptied row), its id made from the record and the version alone (never from
    what it held), the same on every laptop."""
    purge = lineage_.purge
    other = purged_row(purge.table, purge.row_id, version, base, deleted=0)
    return {
        "id": keyed_id(visit_id, "conflict", purge.table, purge.row_id, "purged", version),
        "created_by": PURGE_AUTHOR,
        "created_at": "",
        "version": version,
        "base_version": "",
        "deleted": 0,
        "table_name": purge.table,
        "row_id": purge.row_id,
        "kept_version": purge.version,
        "other_version": version,
        # default=str: an attached file's empty bytes, written as the merge writes them
        "other_row": json.dumps(other, sort_keys=True, default=str),
        "resolved": 0 if open_ else 1,
        "resolution": "" if open_ else RESOLVED_BY_PURGE,
    }


def _present(conn: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT name FROM main.sqlite_master")}


def enforce(
    conn: sqlite3.Connection, purges: Iterable[Purge], visit_id: str, *, dry: bool = False
) -> Enforced:
    """Make the file on ``conn`` hold nothing any of ``purges`` covers (see above)."""
    known = Purges(purges)
    done = Enforced()
    present = _present(conn)
    for key, purge in known.latest.items():
        if purge.table not in present or purge.table not in schema.MERGED_TABLES:
            continue
        cursor = conn.execute(f"SELECT * FROM main.{purge.table} WHERE id = ?", (purge.row_id,))
        found = cursor.fetchone()
        row = dict(zip([c[0] for c in cursor.description], found, strict=True)) if found else None
        line = known.lineage(conn, key, [row] if row else [])
        _row(conn, line, row, done, visit_id, dry)
        _history(conn, line, done, dry)
        _conflicts(conn, line, done, visit_id, dry)
        _local(conn, purge, present, done, dry)
    return done


def _row(
    conn: sqlite3.Connection,
    line: Lineage,
    row: dict[str, Any] | None,
    done: Enforced,
    visit_id: str,
    dry: bool,
) -> None:
    purge = line.purge
    emptied = purged_row(purge.table, purge.row_id, purge.version, purge.removed)
    if (
        row is not None
        and line.lives(str(row["version"]))
        and (str(row["version"]) != purge.version or row == emptied)
    ):
        return  # written on top of the purge, or emptied already
    if row is not None and line.concurrent(str(row["version"])):
        done.concurrent.append((purge.table, purge.row_id, str(row["version"])))
        if not dry:
            record_textless(conn, visit_id, line, str(row["version"]), str(row["base_version"]))
    done.rows += 1
    if dry:
        return
    old_subject = (row or {}).get("subject"), (row or {}).get("on_date")
    if row is None:
        columns = ", ".join(emptied)
        marks = ", ".join("?" for _ in emptied)
        conn.execute(
            f"INSERT INTO main.{purge.table} ({columns}) VALUES ({marks})", tuple(emptied.values())
        )
    else:
        assignments = ", ".join(f"{c} = ?" for c in emptied if c != "id")
        conn.execute(
            f"UPDATE main.{purge.table} SET {assignments} WHERE id = ?",
            (*(v for c, v in emptied.items() if c != "id"), purge.row_id),
        )
    if purge.table == "toc_period" and row is not None:
        _forget_day(conn, *old_subject)


def _forget_day(conn: sqlite3.Connection, subject: object, on_date: object) -> None:
    """A purged period's subject-day total and its mark, when no live period keeps the
    subject on that day (the subject may be the name that had to go)."""
    if conn.execute(
        "SELECT 1 FROM main.toc_period WHERE subject = ? AND on_date = ? AND deleted = 0",
        (subject, on_date),
    ).fetchone():
        return
    for table in ("toc_day", "toc_day_stale"):
        conn.execute(
            f"DELETE FROM main.{table} WHERE subject = ? AND on_date = ?", (subject, on_date)
        )


def record_textless(
    conn: sqlite3.Connection, visit_id: str, line: Lineage, version: str, base: str
) -> bool:
    """Keep the fact that ``version`` was made and is purged, as an open conflict
    (once: a conflict of that id already held, settled or not, is left)."""
    values = textless_conflict(visit_id, line, version, base, open_=True)
    if conn.execute("SELECT 1 FROM main.conflict WHERE id = ?", (values["id"],)).fetchone():
        return False
    marks = ", ".join("?" for _ in values)
    conn.execute(
        f"INSERT INTO main.conflict ({', '.join(values)}) VALUES ({marks})", tuple(values.values())
    )
    return True


def _history(conn: sqlite3.Connection, line: Lineage, done: Enforced, dry: bool) -> None:
    purge = line.purge
    for entry_id, old, new in conn.execute(
        "SELECT id, old, new FROM main.change_log WHERE table_name = ? AND row_id = ?",
        (purge.table, purge.row_id),
    ).fetchall():
        kept_old, kept_new = entry_without_covered(line, old, new)
        if (kept_old, kept_new) == (old, new):
            continue
        done.history += 1
        if not dry:
            conn.execute(
                "UPDATE main.change_log SET old = ?, new = ? WHERE id = ?",
                (kept_old, kept_new, entry_id),
            )


def entry_without_covered(line: Lineage, old: str, new: str) -> tuple[str, str]:
    """A history entry's old and new rows, each reduced to its bookkeeping when it is a
    covered version of the purged record."""
    row_id = line.purge.row_id
    return (
        _bare_if_covered(line, _json(old), old, row_id),
        _bare_if_covered(line, _json(new), new, row_id),
    )


def _bare_if_covered(line: Lineage, row: dict[str, Any] | None, text: str, row_id: str) -> str:
    if not text or is_bare(text):
        return text
    if row is not None and "version" in row and line.lives(str(row["version"])):
        return text
    return bare(row or {}, row_id)


def _json(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _conflicts(
    conn: sqlite3.Connection, line: Lineage, done: Enforced, visit_id: str, dry: bool
) -> None:
    """Conflict records keeping a covered version: emptied and re-keyed (their ids were
    made from what they held), settled as purged unless an edit made without the purge."""
    purge = line.purge
    for row in conn.execute(
        "SELECT id, other_version, other_row FROM main.conflict WHERE table_name = ? "
        "AND row_id = ?",
        (purge.table, purge.row_id),
    ).fetchall():
        cid, version, other_row = str(row[0]), str(row[1]), str(row[2])
        if line.lives(version):
            continue
        base = str((_json(other_row) or {}).get("base_version", ""))
        wanted = textless_conflict(visit_id, line, version, base, open_=line.concurrent(version))
        if cid == wanted["id"] and other_row == wanted["other_row"]:
            continue
        done.conflicts += 1
        if dry:
            continue
        conn.execute("DELETE FROM main.conflict WHERE id = ?", (cid,))
        if not conn.execute("SELECT 1 FROM main.conflict WHERE id = ?", (wanted["id"],)).fetchone():
            marks = ", ".join("?" for _ in wanted)
            conn.execute(
                f"INSERT INTO main.conflict ({', '.join(wanted)}) VALUES ({marks})",
                tuple(wanted.values()),
            )


def _local(
    conn: sqlite3.Connection, purge: Purge, present: set[str], done: Enforced, dry: bool
) -> None:
    """What this file alone keeps of the record: a note's drafts, a paragraph's last
    rendering."""
    local = {"note": ("note_draft", "note_id"), "finding": ("finding_sync", "finding_id")}
    if purge.table not in local or local[purge.table][0] not in present:
        return
    table, column = local[purge.table]
    held = conn.execute(
        f"SELECT COUNT(*) FROM main.{table} WHERE {column} = ?", (purge.row_id,)
    ).fetchone()[0]
    done.local += int(held)
    if held and not dry:
        conn.execute(f"DELETE FROM main.{table} WHERE {column} = ?", (purge.row_id,))


def optimise_search(conn: sqlite3.Connection) -> None:
    """Rewrite the notes' full-text index as one segment: FTS5 keeps a deleted note's
    words in its old segments (marked deleted) until they are merged."""
    if conn.execute("SELECT 1 FROM main.sqlite_master WHERE name = 'note_fts'").fetchone():
        conn.execute("INSERT INTO main.note_fts (note_fts) VALUES ('optimize')")


def compact(conn: sqlite3.Connection) -> bool:
    """After a purge has committed: rewrite the file without free pages (VACUUM) and
    empty its WAL (a truncating checkpoint), so that neither holds an old page. False
    when another connection's reading kept the WAL from being emptied."""
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("VACUUM")
    busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy is None or not busy[0]
