"""The files a merge reads: each checked alone, then attached read-only (or, past the
number of files SQLite can attach at once, copied into one spill file), and recognised
when nothing in them has changed since this file last merged them.

A file's state is named by its site id (which laptop) and its clock (the last version
stamp it issued or saw, written with every transaction, and moved on by every merge
that changes it): the target keeps, per laptop, the clock it last merged from it, and a
re-merge skips a file whose clock has not moved (nothing in it can be new).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.replication import guard
from irp_field.replication.merge_rows import CHANGE_LOG_COLUMNS

MERGED_FROM = "merged_from:"  # meta key prefix: per laptop, the clock last merged from it


@dataclass(frozen=True)
class Source:
    path: Path
    visit_id: str
    schema_version: int
    site: str
    clock: str
    details: dict[str, str]  # the visit's establishment and dates, to make a new target
    merged_from: dict[str, str]  # site -> the clock this file last merged from it

    def has_merged(self, other: Source) -> bool:
        """Did this file merge ``other`` at exactly its present state?"""
        return bool(other.site and other.clock) and self.merged_from.get(other.site) == other.clock


def check_alone(path: Path, role: str = "source") -> Source:
    """Open read-only (magic, quick_check, app mark, schema); never writes."""
    try:
        with VisitFile.open(path, readonly=True) as visit:
            meta = visit.meta()
            if role == "source":  # before any table of it is read
                guard.check_shape(visit.conn, path, visit.schema_version)
            row = visit.one("SELECT * FROM visit WHERE id = ?", (visit.visit_id,))
            details = {k: str(v) for k, v in dict(row).items()} if row is not None else {}
            merged = {
                key.removeprefix(MERGED_FROM): value
                for key, value in meta.items()
                if key.startswith(MERGED_FROM)
            }
            return Source(
                path,
                visit.visit_id,
                visit.schema_version,
                meta.get("site_id", ""),
                meta.get("clock", ""),
                details,
                merged,
            )
    except IrpError as error:
        if str(error).startswith("refused"):
            raise
        raise IrpError(f"refused ({role}): {error}; nothing was merged") from None


def same_file(path: Path, other: Path) -> bool:
    try:
        return path.resolve() == other.resolve() or (
            path.exists() and other.exists() and os.path.samefile(path, other)
        )
    except OSError:
        return False


def copy_database(source: Path, copy: Path) -> None:
    """A consistent copy with the backup API (never copy a live file byte by byte)."""
    reader = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    writer = sqlite3.connect(copy)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def readable_copy(source: Source, scratch: Path, number: int) -> Path:
    """The file to read: the source itself, or a migrated temporary copy of an older one."""
    if source.schema_version == schema.SCHEMA_VERSION:
        return source.path
    copy = scratch / f"source-{number}.db"
    copy_database(source.path, copy)
    guard.drop_code(copy)  # none of its triggers or views runs while it is migrated
    try:
        VisitFile.open(copy).close()  # migrates the copy, never the source
    except (IrpError, sqlite3.DatabaseError) as error:
        said = str(error).removeprefix(f"{copy}: ")
        raise IrpError(
            f"refused: {source.path}: cannot be brought up to this version's schema ({said}); "
            "nothing was merged"
        ) from None
    return copy


def unchanged_since_merged(conn: sqlite3.Connection, source: Source) -> bool:
    """Did this file merge ``source`` at exactly its present state before?"""
    if not source.site or not source.clock:
        return False
    row = conn.execute(
        "SELECT value FROM main.meta WHERE key = ?", (MERGED_FROM + source.site,)
    ).fetchone()
    return row is not None and row[0] == source.clock


def remember_merged(conn: sqlite3.Connection, source: Source) -> None:
    if source.site and source.clock:
        conn.execute(
            "INSERT OR REPLACE INTO main.meta (key, value) VALUES (?, ?)",
            (MERGED_FROM + source.site, source.clock),
        )


def all_merged_before(target: Path, paths_given: list[Path]) -> bool:
    """Is every source, as it stands, a state the target has merged? A look at the files'
    meta only (no page check: nothing else is read and nothing is written); any doubt
    (a missing or foreign file, another visit, no record) answers no, and the full
    merge with its checks follows."""
    if not target.is_file():
        return False
    try:
        with VisitFile.open(target, readonly=True, check_pages=False) as visit:
            meta = visit.meta()
        for path in paths_given:
            if same_file(path, target):
                return False
            with VisitFile.open(path, readonly=True, check_pages=False) as visit:
                theirs = visit.meta()
            if theirs.get("visit_id") != meta.get("visit_id"):
                return False
            site, clock = theirs.get("site_id", ""), theirs.get("clock", "")
            if not site or not clock or meta.get(MERGED_FROM + site) != clock:
                return False
    except (IrpError, sqlite3.Error, OSError):
        return False
    return True


SPILL = "spill"


def create_spill(conn: sqlite3.Connection) -> None:
    """Empty tables of the merged kinds in the attached spill file, to copy sources into."""
    for table in (*schema.MERGED_TABLES, "change_log"):
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {SPILL}.{table} AS SELECT * FROM main.{table} WHERE 0"
        )


def fill_spill(conn: sqlite3.Connection, path: Path) -> None:
    """Copy one source's merged tables into the spill file, replacing the last one's."""
    reader = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        for table in (*schema.MERGED_TABLES, "change_log"):
            columns = schema.merged_columns(table) if table != "change_log" else CHANGE_LOG_COLUMNS
            names = ", ".join(columns)
            marks = ", ".join("?" for _ in columns)
            conn.execute(f"DELETE FROM {SPILL}.{table}")
            cursor = reader.execute(f"SELECT {names} FROM main.{table}")
            while batch := cursor.fetchmany(5000):
                conn.executemany(f"INSERT INTO {SPILL}.{table} ({names}) VALUES ({marks})", batch)
    finally:
        reader.close()
