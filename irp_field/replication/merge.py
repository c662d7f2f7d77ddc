"""``irp-field merge``: bring the team's visit files into one, losing nothing.

Every source is checked before anything is written (the target stays byte-for-byte
as it was when one is refused); sources are attached read-only (an older schema is
migrated in a temporary copy, never in place); the target is snapshotted into
``backups/`` and all writes happen in one transaction, checked with
``integrity_check`` before it commits, so a merge killed at any moment leaves the
target as it was or fully merged. The row rule itself is in :mod:`merge_rows`.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from irp_field import paths
from irp_field.core import schema
from irp_field.core.clock import FUTURE_TOLERANCE_MS, MILLIS_DIGITS, wall_clock_ms
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.replication import merge_checks, merge_rows

BACKUPS_KEPT = 10
MAX_SOURCES = 100


@dataclass
class MergeReport:
    target: Path
    sources: list[Path]
    dry_run: bool
    counts: dict[str, merge_rows.KindCounts] = field(default_factory=dict)
    far_future: list[str] = field(default_factory=list)
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return any(c.total for c in self.counts.values())


@dataclass(frozen=True)
class _Source:
    path: Path
    schema_version: int


def merge_visits(
    target: Path,
    sources: Sequence[Path],
    *,
    dry_run: bool = False,
    user: str | None = None,
    on_source_done: Callable[[Path], None] | None = None,
) -> MergeReport:
    """Merge ``sources`` into ``target`` (or, with ``dry_run``, into a scratch copy)."""
    target = Path(target)
    if not sources:
        raise IrpError("name at least one visit file to merge in")
    if len(sources) > MAX_SOURCES:
        raise IrpError(f"at most {MAX_SOURCES} files can be merged at once")
    visit_id, _ = _check(target, "target")
    checked = [_check_source(Path(s), target, visit_id) for s in sources]
    report = MergeReport(target, [s.path for s in checked], dry_run)
    with tempfile.TemporaryDirectory(prefix="irp-merge-") as scratch_name:
        scratch = Path(scratch_name)
        attachable = [_attachable(source, scratch, n) for n, source in enumerate(checked)]
        work = target
        if dry_run:
            work = scratch / "dry-run.db"
            _copy_database(target, work)
        with VisitFile.open(work, user=user) as visit:
            _merge_all(visit, checked, attachable, report, on_source_done)
    return report


def _check(path: Path, role: str) -> tuple[str, int]:
    """Open read-only (validates magic, quick_check, app mark, schema); never writes."""
    try:
        with VisitFile.open(path, readonly=True) as visit:
            return visit.visit_id, visit.schema_version
    except IrpError as error:
        raise IrpError(f"refused ({role}): {error}; nothing was merged") from None


def _check_source(path: Path, target: Path, visit_id: str) -> _Source:
    if path.exists() and (path.resolve() == target.resolve() or os.path.samefile(path, target)):
        raise IrpError(f"refused: {path} is the target itself; nothing was merged")
    source_visit, version = _check(path, "source")
    if source_visit != visit_id:
        raise IrpError(
            f"refused: {path} belongs to another visit ({source_visit}, not {visit_id}); "
            "nothing was merged"
        )
    merge_checks.refuse_bad_rows(path)
    return _Source(path, version)


def _copy_database(source: Path, copy: Path) -> None:
    """A consistent copy with the backup API (never copy a live file byte by byte)."""
    reader = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    writer = sqlite3.connect(copy)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _attachable(source: _Source, scratch: Path, number: int) -> Path:
    """The file to attach: the source itself, or a migrated temporary copy of an older one."""
    if source.schema_version == schema.SCHEMA_VERSION:
        return source.path
    copy = scratch / f"source-{number}.db"
    _copy_database(source.path, copy)
    VisitFile.open(copy).close()  # migrates the copy, never the source
    return copy


def _require_integrity(visit: VisitFile, when: str) -> None:
    result = "; ".join(str(r[0]) for r in visit.query("PRAGMA integrity_check"))
    if result != "ok":
        raise IrpError(
            f"{visit.path}: integrity_check failed {when} ({result}); nothing was merged"
        )


def snapshot(visit: VisitFile) -> Path:
    """Copy the target into backups/ with VACUUM INTO, keeping the last ten per visit file."""
    folder = paths.backups_folder()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = folder / f"{visit.path.stem}-{stamp}.db"
    partial = folder / f".{final.name}.partial"
    paths.create_private_file(partial)  # a snapshot is a visit file: 0600 like the visit
    # The backup API, not VACUUM INTO: that needs an attachment slot, and the sources
    # may have taken them all.
    copy = sqlite3.connect(partial)
    try:
        visit.conn.backup(copy)
    finally:
        copy.close()
    os.replace(partial, final)
    kept = sorted(folder.glob(f"{visit.path.stem}-*.db"))
    for old in kept[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return final


def _merge_all(
    visit: VisitFile,
    checked: list[_Source],
    attachable: list[Path],
    report: MergeReport,
    on_source_done: Callable[[Path], None] | None,
) -> None:
    conn = visit.conn
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, MAX_SOURCES)
    # One transaction cannot attach more files than this SQLite was built to allow.
    allowed = conn.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED)
    if len(attachable) > allowed:
        raise IrpError(f"at most {allowed} files can be merged at once; merge the rest next")
    # ATTACH is not allowed inside a transaction: attach every source first, read-only.
    aliases = []
    for number, path in enumerate(attachable):
        alias = f"source{number}"
        conn.execute(f"ATTACH DATABASE ? AS {alias}", (path.resolve().as_uri() + "?mode=ro",))
        aliases.append(alias)
    future = f"{wall_clock_ms() + FUTURE_TOLERANCE_MS:0{MILLIS_DIGITS}d}"
    try:
        if not any(merge_rows.has_news(conn, alias) for alias in aliases):
            # Every source row is here already at the same version: nothing to write,
            # so no snapshot and no transaction (the target stays byte-for-byte as it was).
            for path in report.sources:
                if on_source_done is not None:
                    on_source_done(path)
            return
        _require_integrity(visit, "before the merge")
        if not report.dry_run:
            report.backup = snapshot(visit)
        with visit.transaction():
            for alias, source in zip(aliases, checked, strict=True):
                _merge_source(visit, alias, source.path, future, report)
                if on_source_done is not None:
                    on_source_done(source.path)
            merge_rows.retire_superseded_conflicts(conn)
            if report.changed:
                visit.log_event(
                    "visit",
                    visit.visit_id,
                    "merge",
                    {"sources": [p.name for p in report.sources], "by": visit.user},
                )
            _require_integrity(visit, "after the merge")
    finally:
        for alias in aliases:
            conn.execute(f"DETACH DATABASE {alias}")


def _merge_source(
    visit: VisitFile, alias: str, path: Path, future: str, report: MergeReport
) -> None:
    conn = visit.conn
    merge_rows.merge_change_log(conn, alias)
    for table in schema.MERGED_TABLES:
        newest, ahead = merge_rows.newest_stamps(conn, alias, table, future)
        if newest:
            visit.observe_stamp(newest)  # the clock moves past every merged stamp
        if ahead:
            report.far_future.append(
                f"{path.name}: {ahead} {merge_rows.KIND_LABELS[table]} stamped more than a day "
                f"in the future (up to {_stamp_time(newest)}): that laptop's clock is wrong"
            )
        merge_rows.merge_table(conn, alias, table, visit.visit_id, report.counts)


def _stamp_time(stamp: str) -> str:
    try:
        millis = int(stamp.split(".", 1)[0])
    except ValueError:
        return stamp
    return dt.datetime.fromtimestamp(millis / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
