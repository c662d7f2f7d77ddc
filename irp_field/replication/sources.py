"""The files a merge reads: each checked alone, then attached read-only (or, past the
number of files SQLite can attach at once, copied into one spill file), and recognised
when nothing in them has changed since this file last merged them.

What a file says about itself (its site id, which laptop; its clock, the last stamp it
issued or saw) is a claim: a byte copy says the same, and so does a copy changed by
hand. So the target keeps, per laptop, the state it last merged from it (its version
vector entry): the clock it claimed, what it had received from each laptop, and the
SHA-256 of the file's bytes (the database and its WAL) as they were read. A re-merge
skips a file only when its bytes hash to that digest: what it holds is confirmed to be
what was merged, whatever it claims. Hashing reads the file once, at the speed of
SHA-256 (a few milliseconds a megabyte), which is what the skip costs; a file that
differs in any byte is merged in full, and what it holds decides what is new.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from irp_field.core import schema, sound_files
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.replication import guard
from irp_field.replication.merge_rows import CHANGE_LOG_COLUMNS

MERGED_FROM = "merged_from:"  # meta key prefix: per laptop, the state last merged from it
_CHUNK = 1 << 20


@dataclass(frozen=True)
class MergedState:
    """What this file knows of a laptop's file as it last merged it (one entry of its
    version vector): the clock the file claimed, the digest of its bytes, and per
    laptop the newest stamp of that laptop's history it held (what it had received)."""

    clock: str = ""
    digest: str = ""
    seen: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, text: str) -> MergedState:
        """The meta value; an older irp-field's (a bare clock) has no digest: never skipped."""
        try:
            value = json.loads(text)
        except ValueError:
            return cls(clock=text)
        if not isinstance(value, dict):
            return cls(clock=text)
        seen = value.get("seen")
        return cls(
            str(value.get("clock", "")),
            str(value.get("digest", "")),
            {str(k): str(v) for k, v in seen.items()} if isinstance(seen, dict) else {},
        )

    def text(self) -> str:
        return json.dumps(
            {"clock": self.clock, "digest": self.digest, "seen": self.seen}, sort_keys=True
        )


def file_digest(path: Path) -> str:
    """SHA-256 of what the file holds: the database's bytes and its WAL's (a WAL of no
    bytes is no WAL). Its content is a function of these bytes, so equal digests mean
    equal content; a file that differs in any byte (a hand edit anywhere) differs."""
    digest = hashlib.sha256()
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    for part, label in ((path, b"database"), (Path(f"{path}-wal"), b"wal")):
        try:
            with open(part, "rb") as handle:
                if part != path and os.fstat(handle.fileno()).st_size == 0:
                    continue
                digest.update(label + b"\0")
                while read := handle.readinto(buffer):
                    digest.update(view[:read])
        except FileNotFoundError:
            if part == path:
                raise
    return digest.hexdigest()


@dataclass(frozen=True)
class Source:
    path: Path
    visit_id: str
    schema_version: int
    site: str
    clock: str
    details: dict[str, str]  # the visit's establishment and dates, to make a new target
    merged_from: dict[str, MergedState]  # site -> the state this file last merged from it
    digest: str = ""  # of the file's bytes as the checks read them (sources only)

    def has_merged(self, other: Source) -> bool:
        """Did this file merge ``other`` at exactly its present state (its bytes)?"""
        state = self.merged_from.get(other.site)
        return (
            bool(other.site and other.digest)
            and state is not None
            and (state.digest == other.digest)
        )


def check_alone(path: Path, role: str = "source") -> Source:
    """Open read-only (magic, quick_check, app mark, schema); never writes."""
    try:
        with VisitFile.open(path, readonly=True) as visit:
            return read_alone(visit, role)
    except IrpError as error:
        raise _refused(error, role) from None


def open_alone(
    path: Path, role: str = "source", digests: Digests | None = None
) -> tuple[VisitFile, Source]:
    """As :func:`check_alone`, the file left open read-only for the caller's further
    checks (each source opened once: the caller closes it)."""
    try:
        visit = VisitFile.open(path, readonly=True)
    except IrpError as error:
        raise _refused(error, role) from None
    try:
        if role == "source":
            # One read transaction from here to the copy the merge reads (``copy_opened``):
            # the shape, the checks and the copy read one state of the file, whatever
            # another program writes meanwhile.
            visit.conn.execute("BEGIN")
        return visit, read_alone(visit, role, digests)
    except IrpError as error:
        visit.close()
        raise _refused(error, role) from None
    except BaseException:
        visit.close()
        raise


def _refused(error: IrpError, role: str) -> IrpError:
    if str(error).startswith("refused"):
        return error
    return IrpError(f"refused ({role}): {error}; nothing was merged")


def read_alone(visit: VisitFile, role: str = "source", digests: Digests | None = None) -> Source:
    """What an opened file is (its visit, laptop, clock, what it merged; a source's
    shape checked before any table of it is read, and its bytes' digest)."""
    path = visit.path
    meta = visit.meta()
    if role == "source":  # before any table of it is read
        guard.check_shape(visit.conn, path, visit.schema_version)
    row = visit.one("SELECT * FROM visit WHERE id = ?", (visit.visit_id,))
    details = {k: str(v) for k, v in dict(row).items()} if row is not None else {}
    merged = {
        key.removeprefix(MERGED_FROM): MergedState.read(value)
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
        "" if role != "source" else digests.of(path) if digests else file_digest(path),
    )


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


def copy_opened(reader: sqlite3.Connection, copy: Path) -> None:
    """A copy of the file ``reader`` reads, with the backup API, made inside the reader's
    open read transaction: the state its checks read, not the file as it may stand now
    (the merge reads the copy, in the data folder, which no other program writes)."""
    writer = sqlite3.connect(copy, isolation_level=None)
    try:
        writer.execute("PRAGMA synchronous = OFF")  # thrown away after the merge
        reader.backup(writer)
    finally:
        writer.close()


def copy_uri(copy: Path) -> str:
    """How the merge reads a copy made by :func:`copy_opened`: read-only and immutable
    (this merge's own file, which nothing writes again: SQLite takes no locks and makes
    no WAL files beside it). A copy whose WAL holds pages (a migrated copy not yet
    checkpointed) is read through it, as any file."""
    wal = Path(f"{copy}-wal")
    held = wal.exists() and wal.stat().st_size > 0
    return copy.resolve().as_uri() + ("?mode=ro" if held else "?mode=ro&immutable=1")


def migrated(source: Source, copy: Path) -> Path:
    """A source of an older schema: its copy (``copy_opened``) brought to this one."""
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


def merged_state(conn: sqlite3.Connection, site: str) -> MergedState | None:
    """The state this file last merged from laptop ``site`` (as the file claims to be)."""
    if not site:
        return None
    row = conn.execute(
        "SELECT value FROM main.meta WHERE key = ?", (MERGED_FROM + site,)
    ).fetchone()
    return MergedState.read(str(row[0])) if row is not None else None


def unchanged_since_merged(conn: sqlite3.Connection, source: Source) -> bool:
    """Did this file merge ``source``, byte for byte as it now is, before?"""
    state = merged_state(conn, source.site)
    return bool(source.digest) and state is not None and state.digest == source.digest


def seen_by_laptop(conn: sqlite3.Connection, alias: str) -> dict[str, str]:
    """Per laptop (a stamp's site), the newest stamp of its history an attached file
    holds: what that file had received from each laptop, as far as its history shows."""
    return {
        str(site): str(newest)
        for site, newest in conn.execute(
            f"SELECT substr(version, 22), MAX(version) FROM {alias}.change_log "
            "WHERE length(version) > 21 GROUP BY 1"
        )
    }


def remember_merged(conn: sqlite3.Connection, source: Source, seen: dict[str, str]) -> None:
    if source.site and source.digest:
        state = MergedState(source.clock, source.digest, seen)
        conn.execute(
            "INSERT OR REPLACE INTO main.meta (key, value) VALUES (?, ?)",
            (MERGED_FROM + source.site, state.text()),
        )


def all_merged_before(target: Path, paths_given: list[Path], digests: Digests) -> bool:
    """Is every source, byte for byte, a state the target has merged? A hash of each
    file's bytes (a file whose bytes the target never merged is not opened), then a look
    at the files' meta (which laptop each claims to be); no page check (nothing else is
    read and nothing is written). Any doubt (a missing or foreign file, another visit, no
    record, other bytes) answers no, and the full merge with its checks follows."""
    if not (target.is_file() and all(path.is_file() for path in paths_given)):
        return False  # a pipe or a device is not hashed: the merge's opening refuses it
    try:
        with VisitFile.open(target, readonly=True, check_pages=False) as visit:
            meta = visit.meta()
        merged = {
            MergedState.read(value).digest
            for key, value in meta.items()
            if key.startswith(MERGED_FROM)
        }
        if any(same_file(path, target) for path in paths_given) or not merged:
            return False
        if any(digests.of(path) not in merged for path in paths_given):
            return False
        for path in paths_given:
            with VisitFile.open(path, readonly=True, check_pages=False) as visit:
                theirs = visit.meta()
            if theirs.get("visit_id") != meta.get("visit_id"):
                return False
            recorded = meta.get(MERGED_FROM + theirs.get("site_id", ""))
            if recorded is None or MergedState.read(recorded).digest != digests.of(path):
                return False
    except (IrpError, sqlite3.Error, OSError):
        return False
    return True


class Digests:
    """Each file's bytes hashed once in a merge (:func:`file_digest`): taken again only
    when the file no longer looks as it did just before it was hashed (its size, times
    and file number, and its WAL's: ``core.sound_files.look``), so a file written
    meanwhile is hashed as it now is."""

    def __init__(self) -> None:
        self._taken: dict[Path, tuple[sound_files.Look, str]] = {}

    def of(self, path: Path) -> str:
        looked = sound_files.look(path)
        kept = self._taken.get(path)
        if kept is not None and looked is not None and kept[0] == looked:
            return kept[1]
        digest = file_digest(path)
        if looked is not None:
            self._taken[path] = (looked, digest)
        return digest


SPILL = "spill"


def attach(conn: sqlite3.Connection, readable: list[Path], scratch: Path) -> list[str]:
    """Attach as many sources' copies as SQLite allows (ATTACH cannot run inside a
    transaction), and a spill file for the rest when there are more; the aliases, in
    source order."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 125)
    slots = conn.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED)
    direct = len(readable) if len(readable) <= slots else slots - 1
    aliases = []
    for number, path in enumerate(readable[:direct]):
        alias = f"source{number}"
        conn.execute(f"ATTACH DATABASE ? AS {alias}", (copy_uri(path),))
        aliases.append(alias)
    if direct < len(readable):
        conn.execute(f"ATTACH DATABASE ? AS {SPILL}", (str(scratch / "spill.db"),))
        create_spill(conn)
        aliases += [SPILL] * (len(readable) - direct)
    return aliases


def create_spill(conn: sqlite3.Connection) -> None:
    """Empty tables of the merged kinds in the attached spill file, to copy sources into,
    made in one transaction. The spill is thrown away after the merge whatever happens,
    so nothing written to it waits for the disk (its journal is kept: the merge's
    rollback rolls it back too); a disk write waited on for each of its tables took
    a fifth of a second when other work shared the disk."""
    conn.execute(f"PRAGMA {SPILL}.synchronous = OFF")
    conn.execute("BEGIN")
    try:
        for table in (*schema.MERGED_TABLES, "change_log"):
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {SPILL}.{table} AS SELECT * FROM main.{table} WHERE 0"
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def fill_spill(conn: sqlite3.Connection, reader: sqlite3.Connection) -> None:
    """Copy one source's merged tables into the spill file, replacing the last one's
    (``reader``: the merge's connection to the source, opened once for its checks)."""
    for table in (*schema.MERGED_TABLES, "change_log"):
        columns = schema.merged_columns(table) if table != "change_log" else CHANGE_LOG_COLUMNS
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        conn.execute(f"DELETE FROM {SPILL}.{table}")
        cursor = reader.execute(f"SELECT {names} FROM main.{table}")
        while batch := cursor.fetchmany(5000):
            conn.executemany(f"INSERT INTO {SPILL}.{table} ({names}) VALUES ({marks})", batch)
