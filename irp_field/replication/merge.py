"""``irp-field merge``: bring the team's visit files into one, losing nothing.

Every source is checked before anything is written (the target stays byte-for-byte
as it was when one is refused); sources are read, never written (an older schema is
migrated in a temporary copy); the target is snapshotted into ``backups/`` after an
``integrity_check``, and every source is merged in one transaction, checked with
``quick_check`` before it commits, so a merge killed at any moment leaves the target
as it was or fully merged. Any number of sources: SQLite attaches a few at a time,
and the rest are copied, one by one, into an attached spill file inside the same
transaction. A target that does not exist yet is made from the sources' visit. A
source whose bytes are those the target last merged from its laptop is skipped
(``sources``); nothing a file says about itself decides it. The row rule itself is in
:mod:`merge_rows`; what a source's history may claim, in :mod:`provenance`.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from irp_field import paths
from irp_field.core import purged_snapshots, purging, schema
from irp_field.core.clock import FUTURE_TOLERANCE_MS, MILLIS_DIGITS, wall_clock_ms
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence import attachment_cleaning
from irp_field.replication import (
    backups,
    describe,
    guard,
    merge_links,
    merge_rounds,
    merge_rows,
    provenance,
    purge_merge,
    source_checks,
    sources,
)
from irp_field.replication.merge_rows import Doubt
from irp_field.replication.sources import SPILL, Source


@dataclass
class MergeReport:
    target: Path
    sources: list[Path]
    dry_run: bool
    counts: dict[str, merge_rows.KindCounts] = field(default_factory=dict)
    far_future: list[str] = field(default_factory=list)
    backup: Path | None = None
    created: bool = False  # the target did not exist: it was made from the sources' visit
    unchanged: list[Path] = field(default_factory=list)  # skipped: merged before, as they are
    cleaned: list[str] = field(default_factory=list)  # pictures that arrived with metadata
    # versions not taken on their word (a clash, a questioned history, an edit of a
    # purged record made without the purge), each in one line naming the file and record
    questioned: list[str] = field(default_factory=list)
    purged: list[str] = field(default_factory=list)  # purges new here, each in one line
    purges_carried_out: bool = False  # the target held content a purge covers: emptied
    snapshots: list[str] = field(default_factory=list)  # snapshots purged or deleted
    # what each file brought, in the order merged (the guide's "per file"); ``counts`` is
    # the whole. A file's conflicts are those open after the merge that it opened.
    by_file: dict[Path, dict[str, merge_rows.KindCounts]] = field(default_factory=dict)
    # one round started on two laptops under two spellings or times: the target's kept
    rounds_met: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.total for c in self.counts.values())

    @property
    def conflicts(self) -> int:
        return sum(c.conflicts for c in self.counts.values())


def merge_visits(
    target: Path,
    source_paths: Sequence[Path],
    *,
    dry_run: bool = False,
    user: str | None = None,
    on_source_done: Callable[[Path], None] | None = None,
    accept_clock_skew: bool = False,
) -> MergeReport:
    """Merge the sources into ``target`` (made from their visit when it does not exist;
    with ``dry_run``, into a scratch copy: the report says exactly what would change).

    A source stamped more than a day ahead of this machine's clock is refused unless
    ``accept_clock_skew``; every source is checked (``guard``) before anything is read
    from it beyond its shape, or written."""
    target = Path(target)
    if not source_paths:
        raise IrpError("name at least one visit file to merge in")
    digests = sources.Digests()  # each file's bytes hashed once
    if sources.all_merged_before(target, [Path(p) for p in source_paths], digests):
        # Every file is as it was when the target last merged it: nothing can be new,
        # nothing is read beyond each file's name for its state, nothing is written.
        report = MergeReport(target, [Path(p) for p in source_paths], dry_run)
        report.unchanged = list(report.sources)
        for path in report.sources:
            if on_source_done is not None:
                on_source_done(path)
        return report
    exists = target.exists()
    # Each file opened once, read-only, every check made on that connection; kept open
    # until the merge ends (a source copied into the spill is read through it).
    with source_checks.OpenedSources(digests) as opened:
        held = opened.open_target(target) if exists else None
        given = [Path(p) for p in source_paths]
        checked = opened.open_all(target, given, held.visit_id if held else "")
        report = MergeReport(target, [s.path for s in checked], dry_run, created=not exists)
        _merge_checked(
            target, checked, held, opened, report, user, on_source_done, accept_clock_skew
        )
    return report


def _merge_checked(
    target: Path,
    checked: list[Source],
    held: Source | None,
    opened: source_checks.OpenedSources,
    report: MergeReport,
    user: str | None,
    on_source_done: Callable[[Path], None] | None,
    accept_clock_skew: bool,
) -> None:
    exists, dry_run = not report.created, report.dry_run
    # The sources' copies, the spill and a dry run's copy: in the data folder (0700),
    # removed on every way out, and at the next start if this process is killed (the
    # files read closed first: a file open cannot be removed on Windows).
    with paths.Scratch("merge") as scratch_folder, closing(opened):
        scratch = scratch_folder.path
        readable: list[Path] = []  # what the merge reads of each: the copy checked
        carried: list[purging.Purge] = []  # the purges the sources carry
        for number, source in enumerate(checked):
            if held is not None and held.has_merged(source):
                readable.append(source.path)  # merged before as it is: never read
                continue
            copy, more = opened.check(source, scratch, number, accept_skew=accept_clock_skew)
            readable.append(copy)
            carried += more
        opened.refuse_unmade_whole()  # what one file names, another of this merge may hold
        opened.close_target()  # read for the checks; the merge writes it on its own
        work = target
        if not exists:
            work = scratch / "new.db" if dry_run else _partial(target)
            _create_from(checked[0], work)
        elif dry_run:
            work = scratch / "dry-run.db"
            sources.copy_database(target, work)
        try:
            with VisitFile.open(work, user=user) as visit:
                # the target's own laptop, the same in a dry run's copy (which a copy's
                # first opening gives a laptop id of its own)
                own_site = held.site if held is not None else visit.site_id
                _merge_all(
                    visit, checked, readable, report, scratch, on_source_done, own_site, carried,
                    opened,
                )  # fmt: skip
                if report.purges_carried_out and not dry_run:
                    _after_purges(visit, report)
            if not exists and not dry_run:
                os.replace(work, target)
        finally:
            if work != target and not dry_run:
                for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
                    leftover.unlink(missing_ok=True)


def _after_purges(visit: VisitFile, report: MergeReport) -> None:
    """A merge that carried out a purge: the file rewritten without the freed pages and
    its WAL emptied, and the snapshots of the visit (the one just taken too) purged."""
    purging.compact(visit.conn)
    done = purged_snapshots.purge_snapshots(visit.visit_id, purging.read_purges(visit.conn))
    report.snapshots = [f"backups/{d.describe()}" for d in done]


def _partial(target: Path) -> Path:
    if not target.parent.is_dir():
        raise IrpError(f"{target.parent}: no such folder; nothing was merged")
    return target.with_name(f".{target.name}.merging")


def _create_from(source: Source, path: Path) -> None:
    """An empty visit file of the source's visit (its rows, the visit's own included,
    come in with the merge), its first record made by the merge as a program
    (``provenance.MERGE_AUTHOR``)."""
    details = source.details
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    VisitFile.create(
        path,
        establishment=details.get("establishment", ""),
        start_date=details.get("start_date", ""),
        end_date=details.get("end_date", ""),
        visit_type=details.get("visit_type", "IRP"),
        previous_inspection=details.get("previous_inspection", ""),
        recipients=details.get("recipients", ""),
        user=provenance.MERGE_AUTHOR,  # the sources' rows, their makers', come in after
        visit_id=source.visit_id,
    ).close()


def _require_integrity(
    visit: VisitFile, when: str, check: str = "integrity_check", schema_name: str = ""
) -> None:
    """``check`` of every file attached, or of ``schema_name`` alone."""
    prefix = f"{schema_name}." if schema_name else ""
    result = "; ".join(str(r[0]) for r in visit.query(f"PRAGMA {prefix}{check}"))
    if result != "ok":
        raise IrpError(f"{visit.path}: {check} failed {when} ({result}); nothing was merged")


def _merge_all(
    visit: VisitFile,
    checked: list[Source],
    readable: list[Path],
    report: MergeReport,
    scratch: Path,
    on_source_done: Callable[[Path], None] | None,
    own_site: str,
    carried: list[purging.Purge],
    opened: source_checks.OpenedSources,
) -> None:
    conn = visit.conn
    news = [s for s in checked if not sources.unchanged_since_merged(conn, s)]
    report.unchanged = [s.path for s in checked if s not in news]
    if any(readable[checked.index(s)] == s.path for s in news):
        # a source left unchecked (the target had merged it as it is) and now to be
        # read: the target changed since its look (another merge into it meanwhile)
        raise IrpError(
            f"refused: {visit.path} changed while it was merged into; nothing was merged"
        )
    aliases = (
        sources.attach(conn, [readable[checked.index(s)] for s in news], scratch) if news else []
    )
    opened.keep_only(  # the files read into the spill; the rest are attached or not read
        [
            readable[checked.index(s)]
            for s, alias in zip(news, aliases, strict=True)
            if alias == SPILL
        ]
    )
    try:
        direct = [a for a in aliases if a != SPILL]
        if not news or (
            len(direct) == len(news)
            and not any(merge_rows.has_news(conn, alias) for alias in direct)
        ):
            # Nothing to write: no snapshot and no transaction (the target stays
            # byte-for-byte as it was); remember the files as merged at this state.
            if news and not report.dry_run:
                with visit.transaction():
                    for source, alias in zip(news, aliases, strict=True):
                        seen = sources.seen_by_laptop(conn, alias)
                        sources.remember_merged(conn, source, seen)
            for path in report.sources:
                if on_source_done is not None:
                    on_source_done(path)
            return
        # Before anything is written or snapshotted: the target's pages and its indexes
        # against its tables, and those of every source's copy attached (an index holding
        # values its table does not would hand a query reading it values never checked).
        _require_integrity(visit, "before the merge")
        if not report.dry_run and not report.created:
            report.backup = backups.snapshot(visit)
        bound = guard.time_bound([visit.path, *readable])
        with guard.stoppable(conn, bound), visit.transaction():
            _merge_each(
                visit, news, readable, checked, aliases, report, on_source_done, own_site, carried,
                opened,
            )  # fmt: skip
            # Before committing, the pages the merge wrote are checked (quick_check: every
            # page and b-tree; the full integrity_check before the merge also compared
            # the indexes with their tables, which rows written through SQLite keep in
            # step: a third of the merge's time for no finding): the target's, and the
            # spill's. The sources' copies, attached read-only and checked before the
            # merge, are not read again (an unnamed quick_check read them all again: a
            # third of this check's time on twelve laptops' files).
            for written in dict.fromkeys(("main", *(a for a in aliases if a == SPILL))):
                _require_integrity(visit, "after the merge", "quick_check", written)
    finally:
        for alias in dict.fromkeys(aliases):
            conn.execute(f"DETACH DATABASE {alias}")


def _merge_each(
    visit: VisitFile,
    news: list[Source],
    readable: list[Path],
    checked: list[Source],
    aliases: list[str],
    report: MergeReport,
    on_source_done: Callable[[Path], None] | None,
    own_site: str,
    carried: list[purging.Purge],
    opened: source_checks.OpenedSources,
) -> None:
    conn = visit.conn
    future = f"{wall_clock_ms() + FUTURE_TOLERANCE_MS:0{MILLIS_DIGITS}d}"
    files_held = attachment_cleaning.file_ids(visit)
    doubts: list[tuple[Path, Doubt]] = []
    # Every purge known is carried out here first; nothing it covers comes in after.
    purges_held = purge_merge.held_purge_ids(conn)
    purges = [*purging.read_purges(conn), *carried]
    before = purging.enforce(conn, purges, visit.visit_id)
    open_before = merge_rows.open_conflicts(conn)
    opened_by: dict[str, Path] = {}  # an open conflict -> the file whose merge opened it
    for source, alias in zip(news, aliases, strict=True):
        if alias == SPILL:
            sources.fill_spill(conn, opened.reading(readable[checked.index(source)]))
        open_now = merge_rows.open_conflicts(conn)
        seen = _merge_source(visit, alias, source, future, report, doubts, own_site, purges)
        opened_by.update(
            (cid, source.path) for cid in set(merge_rows.open_conflicts(conn)) - set(open_now)
        )
        sources.remember_merged(conn, source, seen)
        if on_source_done is not None:
            on_source_done(source.path)
    for path in report.unchanged:
        if on_source_done is not None:
            on_source_done(path)
    # A picture from a laptop of 0.3.0 arrives with its metadata: stored clean here.
    cleaned = attachment_cleaning.clean_arrived(visit, files_held)
    report.cleaned = [f"cleaned {found.describe()}" for found in cleaned]
    _purges_done(visit, report, purges_held, before.changed)
    merge_rows.retire_superseded_conflicts(conn)
    _count_new_conflicts(report, open_before, merge_rows.open_conflicts(conn), opened_by)
    report.questioned = [*_in_words(visit, doubts), *report.questioned]
    if report.changed or doubts:
        visit.stamp()  # the file changed: its clock moves, so others see it is not as it was
        details: dict[str, object] = {"sources": [p.name for p in report.sources], "by": visit.user}
        if doubts:  # kept with the history, so that a conflict can say where it came from
            details["questioned"] = [
                {"file": path.name, "table": d.table, "row_id": d.row_id, "version": d.version,
                 "why": d.why}
                for path, d in doubts[:QUESTIONS_KEPT]
            ]  # fmt: skip
        visit.log_event("visit", visit.visit_id, "merge", details)


def _purges_done(
    visit: VisitFile, report: MergeReport, held_before: set[str], emptied: bool
) -> None:
    """Every purge carried out once more (what came in meets them all), and said."""
    conn = visit.conn
    after = purging.enforce(conn, purging.read_purges(conn), visit.visit_id)
    new = purge_merge.new_purges(conn, held_before)
    report.purged = [
        f"purged {p['what']} (by {p['created_by']}, {describe.when(p['created_at'])}: "
        f"{p['reason']})"
        for p in new
    ]
    report.purges_carried_out = emptied or after.changed or bool(new)
    if report.purges_carried_out:
        purging.optimise_search(conn)


def _count_new_conflicts(
    report: MergeReport,
    before: dict[str, str],
    after: dict[str, str],
    opened_by: dict[str, Path],
) -> None:
    """A merge's new conflicts are those open after it that were not open before: what
    ``irp-field conflicts`` then lists. (Counted as the rows met, merging the master back
    onto a laptop said "1 new conflict" for one the team leader had settled, which the
    master's conflict record then closed, and ``conflicts`` said "No open conflicts".)"""
    each_file = [tally for counts in report.by_file.values() for tally in counts.values()]
    for tally in (*report.counts.values(), *each_file):
        tally.conflicts = 0
    for cid, table in after.items():
        if cid in before:
            continue
        report.counts.setdefault(table, merge_rows.KindCounts()).conflicts += 1
        path = opened_by.get(cid)
        if path is not None:
            report.by_file[path].setdefault(table, merge_rows.KindCounts()).conflicts += 1


# Questioned versions named one by one in a merge's output and its history entry (a
# bounded text, whatever a hostile file holds); the rest are counted.
QUESTIONS_KEPT = 100


def _in_words(visit: VisitFile, doubts: list[tuple[Path, Doubt]]) -> list[str]:
    """Each questioned version in one line: the file, the record as the team names it,
    why, and what the merge did."""
    numbers: dict[str, str] | None = None
    lines = []
    for path, doubt in doubts[:QUESTIONS_KEPT]:
        if doubt.table == "finding" and numbers is None:
            numbers = describe.paragraph_numbers(visit)
        row = visit.row(doubt.table, doubt.row_id) or {}
        what = describe.record(visit, doubt.table, row, numbers or {})
        if doubt.why == merge_rows.CLASH:
            done = "both are kept: settle the conflict (irp-field conflicts, F10)"
        elif doubt.kept_apart:
            done = "the version held here stays, and the other is kept as a conflict to settle"
        else:
            done = "that history entry was not taken"
        lines.append(f"{path.name}: {what}: {doubt.why}; {done}")
    if len(doubts) > QUESTIONS_KEPT:
        files = ", ".join(dict.fromkeys(path.name for path, _ in doubts[QUESTIONS_KEPT:]))
        lines.append(
            f"{files}: {len(doubts) - QUESTIONS_KEPT:,} more versions questioned, not named "
            "here (irp-field conflicts lists those kept apart)"
        )
    return lines


def _asked_before(conn: sqlite3.Connection, table: str, row_id: str, version: str) -> bool:
    """Was this version of the record kept as a conflict before (open or settled)? Its
    history entry is still not taken, but the team leader has had the question."""
    return (
        conn.execute(
            "SELECT 1 FROM main.conflict WHERE table_name = ? AND row_id = ? AND other_version = ?",
            (table, row_id, version),
        ).fetchone()
        is not None
    )


def _merge_source(
    visit: VisitFile,
    alias: str,
    source: Source,
    future: str,
    report: MergeReport,
    doubts: list[tuple[Path, Doubt]],
    own_site: str,
    purges: list[purging.Purge],
) -> dict[str, str]:
    """Merge one attached source; returns what it holds of each laptop's history."""
    conn = visit.conn
    path = source.path
    counts = report.by_file.setdefault(path, {})
    recorded = sources.merged_state(conn, source.site)
    questioned = provenance.question(conn, alias, own_site, source.site, recorded)
    known = purging.Purges(purges)
    covered = purge_merge.left_out(conn, alias, known) if purges else purge_merge.FromSource()
    merge_rows.merge_change_log(conn, alias, questioned.held | covered.entries)
    purge_merge.add_entries_emptied(conn, alias, covered, known, questioned.held)
    purge_merge.mark_left_out(conn, covered)
    met: list[Doubt] = []
    moving = merge_links.periods_moving(conn, alias)
    held = merge_rows.tables_holding_rows(conn, alias)  # a table it holds nothing of: no news
    for table in (t for t in schema.MERGED_TABLES if t in held):
        newest, ahead = merge_rows.newest_stamps(conn, alias, table, future)
        if newest:
            visit.observe_stamp(newest)  # the clock moves past every merged stamp
        if ahead:
            report.far_future.append(
                f"{path.name}: {ahead} {merge_rows.KIND_LABELS[table]} stamped more than a day "
                f"in the future (up to {_stamp_time(newest)}): that laptop's clock is wrong"
            )
        rounds_met = merge_rounds.met(visit, alias) if table == "roll_round" else []
        merge_rows.merge_table(
            conn, alias, table, visit.visit_id, counts, questioned.rows, met,
            left_out=table in covered.rows,
        )  # fmt: skip
        report.rounds_met += merge_rounds.keep_the_targets(visit, rounds_met, path)
    merge_links.follow(visit, moving)  # a day's links follow a period moved there
    for table, tally in counts.items():
        whole = report.counts.setdefault(table, merge_rows.KindCounts())
        whole.new, whole.updated = whole.new + tally.new, whole.updated + tally.updated
        whole.deleted += tally.deleted
    handled = {(d.table, d.row_id) for d in met}
    met += [
        Doubt(table, row_id, version, why, False, not _asked_before(conn, table, row_id, version))
        for (table, row_id), why in questioned.rows.items()
        if (table, row_id) not in handled
        for version in (questioned.versions[(table, row_id)],)
    ]
    doubts += [(path, doubt) for doubt in met if doubt.new]
    for table, row_id in purge_merge.record_concurrent(conn, visit.visit_id, covered, known):
        report.counts.setdefault(table, merge_rows.KindCounts()).conflicts += 1
        report.questioned.append(
            f"{path.name}: {purge_merge.purged_what(conn, table, row_id)}: changed on that "
            "laptop without the purge; the change is purged too (a conflict says so: "
            "irp-field conflicts)"
        )
    return questioned.seen


def _stamp_time(stamp: str) -> str:
    try:
        millis = int(stamp.split(".", 1)[0])
    except ValueError:
        return stamp
    return dt.datetime.fromtimestamp(millis / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
