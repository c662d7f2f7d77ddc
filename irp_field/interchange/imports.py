"""``irp-field import VISIT KIND FILE.csv``: all or nothing, never twice by accident.

The file streams through in batches (memory does not grow with it): each batch is
checked by its kind's rules (``import_rows``, which apply the domain's rules, the
same as every other path) and written inside one transaction; the first problem stops
the writing, the reading goes on to name every problem, and then the transaction is
rolled back, so a refused file leaves the visit as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from irp_field import paths
from irp_field.core import bulk
from irp_field.core.ids import uuid7
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import InputError, IrpError
from irp_field.interchange import import_evidence, import_links, import_notes, import_setup
from irp_field.interchange.csv_rows import CsvStream
from irp_field.interchange.import_rows import Checker, Findings, Options
from irp_field.interchange.kinds import KINDS, ROLL_COUNT_COLUMNS

__all__ = ["KINDS", "ROLL_COUNT_COLUMNS", "ImportResult", "import_csv", "import_stream"]

STANDARD_INPUT = "standard input"  # what messages and the import log call ``-``
# Standard input is copied (privately) before it is read; a file has its size, a pipe
# needs a bound: as a bundle's evidence CSV (bundle_files.EVIDENCE_CSV).
STREAM_CAP = 256 * 1024 * 1024
# SQLite's page cache while an import writes (KiB; SQLite's own default is 2,000): the
# held checks' one sorted write and the round index's inserts touch pages all over
# the table, and each page found in the cache is not read again (at 1,000,000 checks)
# (2 MiB: 1M checks 26.5 s of CPU; 64 MiB: 21.2 s, peak 201 MB; 256 MiB: 21.3 s, 591 MB)
IMPORT_CACHE_KIB = 65_536
Progress = Callable[[int, int], None]  # (lines read, lines in the file)

CHECKERS: dict[str, type[Checker]] = {
    "team": import_setup.TeamChecker,
    "locations": import_setup.LocationChecker,
    "plan": import_setup.PlanChecker,
    "roll-checks": import_evidence.RollCheckChecker,
    "time-out-of-cell": import_evidence.PeriodChecker,
    "sample": import_evidence.SampleChecker,
    "notes": import_notes.NoteChecker,
    "links": import_links.LinkChecker,
    "data": import_setup.DataChecker,
}


@dataclass
class ImportResult:
    kind: str
    file_name: str
    rows: int  # the file's rows written: added, or put in place of another (``replaced``)
    import_id: str = ""
    already: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)  # what the rules said but allowed
    replaced: int = 0  # of ``rows``, those that replaced a record (--replace)


def import_csv(
    visit: VisitFile,
    kind: str,
    path: Path,
    *,
    frame: str = "",
    population: int | None = None,
    again: bool = False,
    allow_outside_visit: bool = False,
    replace: bool = False,
    name: str | None = None,
    on_progress: Progress | None = None,
    carried: bool = False,
) -> ImportResult:
    """Import the CSV file at ``path`` (called ``name`` in messages, by default its file
    name); ``on_progress`` hears how far through the file each written batch reaches.
    ``carried``: records a bundle carries back from a visit, recorded there (whoever
    builds the file is not held to the team as their recorder: ``check`` says so)."""
    options = _options(kind, frame, population, allow_outside_visit, replace, carried)
    with bulk.collector_paused():
        return _import(visit, kind, Path(path), options, again, name, on_progress)


def import_stream(
    visit: VisitFile,
    kind: str,
    stream: BinaryIO,
    *,
    frame: str = "",
    population: int | None = None,
    again: bool = False,
    allow_outside_visit: bool = False,
    replace: bool = False,
    on_progress: Progress | None = None,
) -> ImportResult:
    """Import a CSV read from ``stream`` (``irp-field import VISIT KIND -``: standard
    input), held to the same rules as a file's. An import reads its file twice (its
    bytes, then its records) and again to name both lines of a location counted twice,
    so the stream is first copied into a private folder of the data folder
    (:class:`paths.Scratch`: 0700, removed on every way out), at most :data:`STREAM_CAP`
    bytes; "already imported" is told by its SHA-256, as for a file."""
    options = _options(kind, frame, population, allow_outside_visit, replace, False)
    with paths.Scratch("import") as scratch:
        copy = scratch.file("standard-input.csv")
        with copy.open("wb") as held:
            shutil.copyfileobj(_Capped(stream), held)
            copied = held.tell()
        if copied > STREAM_CAP:
            raise IrpError(
                f"{STANDARD_INPUT}: more than {STREAM_CAP // (1024 * 1024)} MB; "
                "save it to a file and import the file"
            )
        with bulk.collector_paused():
            return _import(visit, kind, copy, options, again, STANDARD_INPUT, on_progress)


class _Capped:
    """``stream`` read until one byte past :data:`STREAM_CAP` (which refuses it)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream, self._left = stream, STREAM_CAP + 1

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        chunk = self._stream.read(min(size if size > 0 else self._left, self._left))
        self._left -= len(chunk)
        return chunk


def _options(
    kind: str,
    frame: str,
    population: int | None,
    allow_outside_visit: bool,
    replace: bool,
    carried: bool,
) -> Options:
    if kind not in KINDS:
        raise IrpError(f"unknown import kind {kind!r}; choose one of: {', '.join(KINDS)}")
    if kind == "sample" and not frame.strip():
        raise IrpError("importing a sample needs --frame NAME")
    return Options(frame.strip(), population, allow_outside_visit, replace, carried)


@contextmanager
def _page_cache(visit: VisitFile) -> Iterator[None]:
    """SQLite's page cache made :data:`IMPORT_CACHE_KIB` for the import (then as it was)."""
    held = visit.conn.execute("PRAGMA cache_size").fetchone()[0]
    visit.conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        visit.conn.execute(f"PRAGMA cache_size = {int(held)}")


def _import(
    visit: VisitFile,
    kind: str,
    path: Path,
    options: Options,
    again: bool,
    name: str | None,
    on_progress: Progress | None,
) -> ImportResult:
    spec = KINDS[kind]
    stream = CsvStream(path, spec.required, spec.optional, name=name)
    previous = visit.one(
        "SELECT created_at, created_by, file_name FROM import_log "
        "WHERE sha256 = ? AND kind = ? AND frame = ? AND deleted = 0 ORDER BY created_at LIMIT 1",
        (stream.sha256, kind, options.frame),
    )
    if previous is not None and not again:
        return ImportResult(kind, stream.name, 0, already=dict(previous))
    import_id = uuid7()
    findings = Findings(stream.name)
    with _page_cache(visit), visit.transaction():
        checker = CHECKERS[kind](visit, stream, options, findings, import_id)
        count = 0
        for batch in stream.batches():
            rows = checker.check(batch)
            if not findings.refused:
                count += checker.write(rows)
            if on_progress is not None:
                on_progress(batch[-1][0], stream.lines)
        findings.reading_problems(stream.problems)
        if findings.refused:
            raise InputError(stream.name, findings.problems, more=findings.more)
        count += checker.finish()
        if findings.refused:  # a check's location counted twice, found as it was written
            raise InputError(stream.name, findings.problems, more=findings.more)
        details = {"kind": kind, "file_name": stream.name, "sha256": stream.sha256, "rows": count}
        visit.insert(
            "import_log",
            {"id": import_id, **details, "frame": options.frame},
            log=False,
        )
        visit.log_event("import_log", import_id, "import", details)
    return ImportResult(
        kind,
        stream.name,
        count,
        import_id,
        warnings=findings.warning_lines(),
        replaced=checker.replaced,
    )
