"""Purging a record: its content removed for good from the visit file, its WAL, its
history, its drafts, its search index, its conflict copies, the typing kept for it and
the app's snapshots; what stays is the fact (a row of ``purge``: which record, named
without its content, who, when and why).

The person chooses the records (``api.purges`` finds them and names them); this writes
the purge records and carries them out (``core.purging``) in one transaction, with
SQLite's ``secure_delete`` on, then rewrites the file without free pages and empties
its WAL, takes the records out of the kept-typing file and purges the snapshots. A
purge travels by merge: every copy that merges a file carrying it purges its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from irp_field.core import foreign_objects, kept_typing, purged_snapshots, purging
from irp_field.core.purged_snapshots import SnapshotPurged
from irp_field.core.purging import Enforced
from irp_field.core.visit_file import VisitFile
from irp_field.domain import purges as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import Verdict, refuse_unless_fine


@dataclass(frozen=True)
class Target:
    """A record to purge, and how the purge record names it (never by its content)."""

    table: str
    row_id: str
    what: str


@dataclass(frozen=True)
class PurgeRecord:
    id: str
    table: str
    row_id: str
    what: str
    reason: str
    by: str
    at: str  # UTC, "2022-03-14T10:02:11Z"
    version: str  # the emptied row's


@dataclass
class Purged:
    made: list[Target] = field(default_factory=list)  # purged now
    already: list[Target] = field(default_factory=list)  # purged before: carried out again
    enforced: Enforced = field(default_factory=Enforced)
    kept_typing: int = 0  # entries of typing kept for them, taken out
    kept_typing_problem: str = ""  # the kept-typing file could not be read
    emptied_wal: bool = True  # False: another program's reading kept old pages in the WAL
    snapshots: list[SnapshotPurged] = field(default_factory=list)
    foreign_tables: str = ""  # said when the file holds tables a purge cannot reach


def purge_records(visit: VisitFile) -> list[PurgeRecord]:
    """Every purge of the visit, oldest first (none in a file of a schema before 7)."""
    return [
        PurgeRecord(
            str(row["id"]),
            str(row["table_name"]),
            str(row["row_id"]),
            str(row["what"]),
            str(row["reason"]),
            str(row["created_by"]),
            str(row["created_at"]),
            str(row["row_version"]),
        )
        for row in visit.query(
            "SELECT id, table_name, row_id, what, reason, created_by, created_at, row_version "
            "FROM purge WHERE deleted = 0 ORDER BY version"
        )
    ]


def purged_ids(visit: VisitFile, table: str) -> set[str]:
    """The records of ``table`` a purge emptied (and that hold nothing written since)."""
    return {
        str(row[0])
        for row in visit.query(
            "SELECT p.row_id FROM purge p WHERE p.deleted = 0 AND p.table_name = ?", (table,)
        )
    }


def is_emptied(visit: VisitFile, table: str, row_id: str) -> bool:
    """Does the record hold its purged form now (nothing written on it since)?"""
    held = purging.effective(
        purging.Purge(str(r[0]), str(r[1]), str(r[2]), str(r[3]))
        for r in visit.query(
            "SELECT table_name, row_id, row_version, removed_version FROM purge "
            "WHERE deleted = 0 AND table_name = ? AND row_id = ?",
            (table, row_id),
        )
    ).get((table, row_id))
    row = visit.row(table, row_id)
    return (
        held is not None
        and row is not None
        and row == purging.purged_row(table, row_id, held.version, held.removed)
    )


def restore(visit: VisitFile, table: str, row_id: str) -> bool:
    """Lift a record's tombstone (the undo of its delete) in one commit; whether a row
    changed. A record a purge emptied is gone for good: its row holds only defaults (a
    roll check no round or location, a note no text), and lifting its tombstone would
    make a live record of nothing that no merge accepts, so it is refused, naming it."""
    with visit.transaction():
        if table in rules.TABLES and is_emptied(visit, table, row_id):
            kind = rules.BY_TABLE.get(table)
            raise IrpError(
                f"{kind.label if kind else table} {row_id} was purged for good: nothing of "
                "it is left to restore"
            )
        return visit.update(table, row_id, {"deleted": 0})


def purge(visit: VisitFile, targets: Sequence[Target], reason: str) -> Purged:
    """Purge these records, each named, for ``reason``; a record already purged (and
    empty since) is purged again everywhere without a second record."""
    refuse_unless_fine(rules.reason_verdicts(reason), what="the purge")
    for target in targets:
        refuse_unless_fine(
            rules.record_verdicts(target.table, target.what, reason, visit.user or "?", 0),
            what="the purge",
        )
    if visit.readonly:
        raise IrpError(f"{visit.path}: opened read-only")
    done = Purged()
    conn = visit.conn
    before = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = ON")  # what the purge frees is zeroed on its page
    try:
        with visit.transaction():
            emptied = {(t.table, t.row_id) for t in targets if is_emptied(visit, t.table, t.row_id)}
            for target in targets:
                _record(visit, target, reason.strip(), done, emptied)
            done.enforced = purging.enforce(conn, purging.read_purges(conn), visit.visit_id)
            if any(t.table == "note" for t in targets):
                purging.optimise_search(conn)
        try:
            done.kept_typing = kept_typing.drop_naming(
                visit.path, visit.visit_id, [t.row_id for t in targets]
            )
        except IrpError as error:
            done.kept_typing_problem = str(error)
        done.emptied_wal, done.snapshots = settle(visit)
        if found := foreign_objects.foreign_tables(conn):
            done.foreign_tables = foreign_objects.tables_said(visit.path, found)
    finally:
        conn.execute(f"PRAGMA secure_delete = {int(before)}")
    return done


def purge_within(visit: VisitFile, targets: Sequence[Target], reason: str) -> Enforced:
    """Purge these live records inside the caller's transaction, which has SQLite's
    ``secure_delete`` on: cleaning's part (the old bytes of a picture stored with its
    metadata go as a purge removes them, and travel by merge as a purge does). Once the
    transaction has committed, the caller calls :func:`settle`."""
    for target in targets:
        refuse_unless_fine(
            rules.record_verdicts(target.table, target.what, reason, visit.user or "?", 0),
            what="the purge",
        )
    done = Purged()
    for target in targets:
        _record(visit, target, reason.strip(), done, set())
    keys = {(t.table, t.row_id) for t in targets}
    chosen = [p for p in purging.read_purges(visit.conn) if (p.table, p.row_id) in keys]
    return purging.enforce(visit.conn, chosen, visit.visit_id)


def settle(visit: VisitFile) -> tuple[bool, list[SnapshotPurged]]:
    """After purges have committed: the file rewritten without free pages and its WAL
    emptied (False: another program's reading kept old pages in it), and every snapshot
    of the visit purged as the file is."""
    emptied_wal = purging.compact(visit.conn)
    return emptied_wal, purged_snapshots.purge_snapshots(
        visit.visit_id, purging.read_purges(visit.conn)
    )


def _record(
    visit: VisitFile, target: Target, reason: str, done: Purged, emptied: set[tuple[str, str]]
) -> None:
    row = visit.row(target.table, target.row_id)
    if row is None:
        raise IrpError(f"no {target.what} with id {target.row_id!r} in this visit; nothing purged")
    if (target.table, target.row_id) in emptied:
        done.already.append(target)
        return
    version = visit.stamp()
    while version <= str(row["version"]):  # a stamp from a laptop whose clock ran ahead
        visit.observe_stamp(str(row["version"]))
        version = visit.stamp()
    visit.insert(
        "purge",
        {
            "table_name": target.table,
            "row_id": target.row_id,
            "row_version": version,
            "removed_version": str(row["version"]),
            "what": target.what,
            "reason": reason,
        },
    )
    done.made.append(target)


def leftovers(visit: VisitFile) -> list[str]:
    """Where purged content is still held (``check``): the visit file itself (a purge
    carried out by an older irp-field, or a hand) and the snapshots of the visit."""
    held = purging.read_purges(visit.conn)
    if not held:
        return []
    said = []
    found = purging.enforce(visit.conn, held, visit.visit_id, dry=True)
    if found.changed:
        said.append(
            f"{visit.path.name} still holds content a purge removed ({found.rows} record(s), "
            f"{found.history} history entries, {found.conflicts} conflict records): purge "
            "the record again to remove it"
        )
    said += [
        f"backups/{line}: purge the record again to purge it, or delete it"
        for line in purged_snapshots.leftovers(visit.visit_id, held)
    ]
    return said


def records(
    visit: VisitFile, table: str, *, emptied: bool = False, deleted_only: bool = False
) -> list[dict[str, object]]:
    """Every record of ``table`` that holds anything a purge could remove, live or
    deleted (a tombstone keeps its text), oldest first; an attachment with its file's
    kind. A record emptied by a purge (and not written on since) only when ``emptied``
    (to purge it again everywhere); the deleted ones alone with ``deleted_only`` (what a
    restore offers: read by SQLite, not every live check of a large visit)."""
    if table not in rules.TABLES:
        raise ValueError(f"not a table a purge may name: {table!r}")
    if table == "attachment":
        where = "WHERE a.deleted = 1 " if deleted_only else ""
        rows = visit.query(
            "SELECT a.*, COALESCE(f.kind, '') AS kind FROM attachment a "
            f"LEFT JOIN attachment_file f ON f.id = a.file_sha256 {where}"
            "ORDER BY a.created_at, a.rowid"
        )
    else:
        where = "WHERE deleted = 1 " if deleted_only else ""
        rows = visit.query(f"SELECT * FROM {table} {where}ORDER BY created_at, id")
    purged = purging.effective(purging.read_purges(visit.conn))
    names = {(p.table, p.row_id): p.what for p in purge_records(visit)}  # the latest's
    found = []
    for row in rows:
        values = dict(row)
        held = purged.get((table, str(values["id"])))
        if held is not None and {k: values[k] for k in values if k != "kind"} == purging.purged_row(
            table, str(values["id"]), held.version, held.removed
        ):
            if not emptied:
                continue
            values["emptied_as"] = names.get((table, str(values["id"])), "")
        found.append(values)
    return found


def ids(visit: VisitFile, table: str) -> list[str]:
    """Every id of ``table``, live, deleted or emptied: what an id's start must tell
    apart to name one record."""
    if table not in rules.TABLES:
        raise ValueError(f"not a table a purge may name: {table!r}")
    return [str(row[0]) for row in visit.query(f"SELECT id FROM {table}")]


def day_links_with(visit: VisitFile, period_id: str) -> list[Target]:
    """The links of a purged period's subject-day, when no other period holds the subject
    on that day (the subject may be the name that had to go: a link names it too), live
    or deleted; each named by its day and plan item, never by its subject."""
    row = visit.row("toc_period", period_id)
    if row is None or not row["subject"]:
        return []
    day = (row["subject"], row["on_date"])
    if visit.one(
        "SELECT 1 FROM toc_period WHERE subject = ? AND on_date = ? AND id != ?", (*day, period_id)
    ):
        return []
    return [
        Target("toc_day_link", str(link["id"]), f"link of a day of time out of cell, "
               f"{link['on_date']}, to {link['ref']}")
        for link in visit.query(
            "SELECT k.id, k.on_date, COALESCE(p.ref, '?') AS ref FROM toc_day_link k "
            "LEFT JOIN plan_item p ON p.id = k.plan_item_id WHERE k.subject = ? "
            "AND k.on_date = ? ORDER BY k.id",
            day,
        )
    ]  # fmt: skip


def file_attachments(visit: VisitFile, sha256: str) -> list[str]:
    """Every attachment (live or not) of one stored file: its bytes are theirs."""
    return [
        str(row[0])
        for row in visit.query("SELECT id FROM attachment WHERE file_sha256 = ?", (sha256,))
    ]


def refused(visit: VisitFile) -> list[str]:
    """Each purge record the rules refuse (a hand, or another program, wrote it), as a
    merge would refuse it: ``check``'s problems."""
    said = []
    for row in visit.query(
        "SELECT id, table_name, row_id, what, reason, created_by, deleted FROM purge"
    ):
        found = rules.record_verdicts(
            str(row["table_name"]), str(row["what"]), str(row["reason"]),
            str(row["created_by"]), row["deleted"],
        )  # fmt: skip
        if not found and visit.row(str(row["table_name"]), str(row["row_id"])) is None:
            found = [Verdict("row_id", "names a record the visit does not hold")]
        said += [f"purge {str(row['id'])[:12]}: {v.message}" for v in found[:1]]
    return said
