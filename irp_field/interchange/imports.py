"""``irp-field import VISIT KIND FILE.csv``: all or nothing, never twice by accident.

The file streams through in batches (memory does not grow with it): each batch is
checked by its kind's rules (``import_rows``, which apply the domain's rules, the
same as every other path) and written inside one transaction; the first problem stops
the writing, the reading goes on to name every problem, and then the transaction is
rolled back, so a refused file leaves the visit as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from irp_field.core import bulk
from irp_field.core.ids import uuid7
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import InputError, IrpError
from irp_field.interchange import import_evidence, import_setup
from irp_field.interchange.csv_rows import CsvStream
from irp_field.interchange.import_rows import Checker, Findings, Options
from irp_field.interchange.kinds import KINDS, ROLL_COUNT_COLUMNS

__all__ = ["KINDS", "ROLL_COUNT_COLUMNS", "ImportResult", "import_csv"]

CHECKERS: dict[str, type[Checker]] = {
    "team": import_setup.TeamChecker,
    "locations": import_setup.LocationChecker,
    "plan": import_setup.PlanChecker,
    "roll-checks": import_evidence.RollCheckChecker,
    "time-out-of-cell": import_evidence.PeriodChecker,
    "sample": import_evidence.SampleChecker,
    "notes": import_evidence.NoteChecker,
    "data": import_setup.DataChecker,
}


@dataclass
class ImportResult:
    kind: str
    file_name: str
    rows: int
    import_id: str = ""
    already: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)  # what the rules said but allowed


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
) -> ImportResult:
    if kind not in KINDS:
        raise IrpError(f"unknown import kind {kind!r}; choose one of: {', '.join(KINDS)}")
    if kind == "sample" and not frame.strip():
        raise IrpError("importing a sample needs --frame NAME")
    options = Options(frame.strip(), population, allow_outside_visit, replace)
    with bulk.collector_paused():
        return _import(visit, kind, Path(path), options, again)


def _import(visit: VisitFile, kind: str, path: Path, options: Options, again: bool) -> ImportResult:
    spec = KINDS[kind]
    stream = CsvStream(path, spec.required, spec.optional)
    previous = visit.one(
        "SELECT created_at, created_by, file_name FROM import_log "
        "WHERE sha256 = ? AND kind = ? AND frame = ? AND deleted = 0 ORDER BY created_at LIMIT 1",
        (stream.sha256, kind, options.frame),
    )
    if previous is not None and not again:
        return ImportResult(kind, stream.name, 0, already=dict(previous))
    import_id = uuid7()
    findings = Findings(stream.name)
    with visit.transaction():
        checker = CHECKERS[kind](visit, stream, options, findings, import_id)
        count = 0
        for batch in stream.batches():
            rows = checker.check(batch)
            if not findings.refused:
                count += checker.write(rows)
        findings.reading_problems(stream.problems)
        if findings.refused:
            raise InputError(stream.name, findings.problems, more=findings.more)
        count += checker.finish()
        details = {"kind": kind, "file_name": stream.name, "sha256": stream.sha256, "rows": count}
        visit.insert(
            "import_log",
            {"id": import_id, **details, "frame": options.frame},
            log=False,
        )
        visit.log_event("import_log", import_id, "import", details)
    return ImportResult(kind, stream.name, count, import_id, warnings=findings.warning_lines())
