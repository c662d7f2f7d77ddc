"""The snapshots this app keeps of a visit (``backups/``, one before each merge), purged
as the visit is.

A snapshot is a whole visit file: it holds what a purge removed from the visit, as it
was before. Each snapshot of the visit (whatever its file was called: the master's, a
laptop's) is purged in place, the same way (:func:`core.purging.enforce`, then VACUUM
and an emptied WAL), so it stays a backup to go back to; one that cannot be (damaged,
or of a schema this version does not purge in place) is deleted, and said.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from irp_field import paths
from irp_field.core import purging, schema
from irp_field.core.purging import Purge


@dataclass(frozen=True)
class SnapshotPurged:
    path: Path
    purged: bool = False  # held purged content, and holds none now
    removed: str = ""  # deleted, and why

    def describe(self) -> str:
        if self.removed:
            return f"{self.path.name}: deleted ({self.removed})"
        return f"{self.path.name}: purged"


def snapshots_of(visit_id: str) -> list[Path]:
    """Every snapshot of this visit in the backups folder, oldest first."""
    folder = paths.backups_folder(create=False)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.db")):
        with contextlib.suppress(sqlite3.Error, OSError):
            with _connected(path, reading=True) as conn:
                row = conn.execute("SELECT value FROM meta WHERE key = 'visit_id'").fetchone()
            if row is not None and row[0] == visit_id:
                found.append(path)
    return found


@contextlib.contextmanager
def _connected(path: Path, *, reading: bool) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if reading:
            conn.execute("PRAGMA query_only = ON")
        yield conn
    finally:
        conn.close()


def _shape_refused(conn: sqlite3.Connection, purges: Sequence[Purge]) -> str:
    """Why this snapshot cannot be purged in place ('' when it can): a table a purge
    writes lacks this version's columns (a snapshot an older irp-field took)."""
    tables = {p.table for p in purges} | {"conflict"}
    for table in sorted(tables):
        held = [str(r[1]) for r in conn.execute(f"SELECT * FROM pragma_table_info('{table}')")]
        if held and tuple(held) != schema.merged_columns(table):
            return f"its {table} table is an older irp-field's"
    held = [str(r[1]) for r in conn.execute("SELECT * FROM pragma_table_info('change_log')")]
    return "" if held else "it holds no edit history table"


def purge_snapshots(visit_id: str, purges: Sequence[Purge]) -> list[SnapshotPurged]:
    """Purge every snapshot of the visit that holds what ``purges`` cover."""
    done = []
    for path in snapshots_of(visit_id):
        try:
            done.append(_purge_one(path, visit_id, purges))
        except (sqlite3.Error, OSError, ValueError) as error:
            _delete(path)
            done.append(SnapshotPurged(path, removed=f"it could not be purged: {error}"))
    return [d for d in done if d.purged or d.removed]


def _purge_one(path: Path, visit_id: str, purges: Sequence[Purge]) -> SnapshotPurged:
    with _connected(path, reading=False) as conn:
        refused = _shape_refused(conn, purges)
        if refused:
            conn.close()
            _delete(path)
            return SnapshotPurged(path, removed=refused)
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("BEGIN IMMEDIATE")
        try:
            found = purging.enforce(conn, purges, visit_id)
            if found.changed:
                purging.optimise_search(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if not found.changed:
            return SnapshotPurged(path)
        purging.compact(conn)
    return SnapshotPurged(path, purged=True)


def _delete(path: Path) -> None:
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        part.unlink(missing_ok=True)


def leftovers(visit_id: str, purges: Sequence[Purge]) -> list[str]:
    """Each snapshot of the visit that still holds what a purge removed (``check``)."""
    said = []
    for path in snapshots_of(visit_id):
        try:
            with _connected(path, reading=True) as conn:
                refused = _shape_refused(conn, purges)
                found = None if refused else purging.enforce(conn, purges, visit_id, dry=True)
        except sqlite3.Error as error:
            said.append(f"{path.name} cannot be read ({error}): it may hold purged content")
            continue
        if refused:
            said.append(f"{path.name} may hold purged content ({refused})")
        elif found is not None and found.changed:
            said.append(f"{path.name} holds purged content")
    return said
