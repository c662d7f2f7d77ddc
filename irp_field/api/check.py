"""``irp-field check``: is the file whole, which schema, and what in it the rules question.

Every live record is read back through the rule that let it in (``evidence.audit``):
what a rule refuses is a *problem* (a hand-edited or damaged file, or one written under
older rules) and makes the check fail; what a rule asks about or warns of is a
*warning*. Each kind of finding is listed a few times, then counted, so a file of
millions of rows gives a readable report.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from irp_field.core import foreign_objects
from irp_field.core.clock import is_far_future
from irp_field.core.connection import too_big, values_at_most
from irp_field.core.schema import (
    KEPT_TOTALS_SINCE,
    ROLL_TALLIES_SINCE,
    kept_totals_missing_triggers,
)
from irp_field.core.tables import latest_versions
from irp_field.core.visit_file import VisitFile
from irp_field.domain.verdicts import REFUSE
from irp_field.evidence import attachment_audit, audit, roll_tallies, toc_days
from irp_field.findings import paragraph_audit, parts_audit
from irp_field.replication import row_checks

SHOWN = 5  # findings of one kind and field listed before the rest are counted


@dataclass
class CheckReport:
    integrity: str
    schema_version: int
    app_version: str
    problems: list[str] = field(default_factory=list)  # what a rule refuses
    warnings: list[str] = field(default_factory=list)
    purges: list[str] = field(default_factory=list)  # each purge: which record, who, when, why

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.problems


@dataclass(frozen=True)
class _ReadBeside:
    """What the second connection reads after ``integrity_check``: SQLite's work, done
    without Python's lock, so it costs the reading's thread nothing."""

    latest: dict[str, str]  # each merged table's newest version stamp
    tallies: roll_tallies.Compared | None  # the kept roll tallies against the checks' sums
    days: toc_days.Compared | None  # the kept subject-day totals against the periods'


def _read_beside(conn: sqlite3.Connection) -> _ReadBeside:
    return _ReadBeside(latest_versions(conn), roll_tallies.compared(conn), toc_days.compared(conn))


def check_visit(visit: VisitFile) -> CheckReport:
    """SQLite's ``integrity_check``, then the newest version stamps and the roll
    tallies' sums, run on a second connection in another thread while this one makes
    the checks a merge makes of each row (the roll checks' fast path asked in the same
    call: one pass over the checks) and then reads every record through its rule (two
    cores: the slower of the two is the wait). Those readings call into Python for
    every row, and so would hold the interpreter's lock by turns on two threads (a
    third longer at 200,000 roll checks): only SQLite's own work runs beside them. A
    file opened with ``check_pages=False`` is checked no less: damaged pages are refused
    in one line, as an opening refuses them."""
    seen: Counter[tuple[str, str, str]] = Counter()
    refused_rows: set[tuple[str, str]] = set()  # (table, id) of the rows a rule refused
    problems: list[str] = []
    warnings: list[str] = []
    shape = _shape_refused(visit)
    if shape is not None:  # no row is read: a view of its own could run forever
        integrity = visit.integrity()
        app_version = visit.meta().get("app_version", "")
        return CheckReport(integrity, visit.schema_version, app_version, [shape])
    # Every reading takes no value longer than the merge's row checks do (a 900 MB note
    # was read again, row by row: 2.67 GB): SQLite refuses it as it reads it.
    bounded = values_at_most(visit.conn, row_checks.VALUE_BYTES)
    with visit.checked_beside("integrity_check", also=_read_beside) as checked, bounded:
        # The merge's row checks first, with the roll checks' fast path riding on their
        # pass (each check fetched and called upon once for both); the rules then judge
        # the checks it doubted, while the second connection still works.
        riding = _riding(visit)
        refused, unread = _what_a_merge_refuses(visit, riding)
        everything = chain(
            audit.everything(visit, riding),
            audit.bounded("attachment", attachment_audit.everything(visit)),
            audit.bounded("report part", parts_audit.everything(visit)),
            audit.bounded("paragraph", paragraph_audit.everything(visit)),
        )
        for found in everything:
            verdict = found.verdict
            if verdict.severity == REFUSE:
                refused_rows.add(found.record[:2])
            group = (found.kind, verdict.field, verdict.severity)
            seen[group] += 1
            if seen[group] <= SHOWN:
                line = f"{found.kind} {found.where}: {verdict.message}"
                (problems if verdict.severity == REFUSE else warnings).append(line)
    if unread is not None and checked.lines == ["ok"]:
        raise unread  # a sound file, and yet: the caller hears of it
    app_version = visit.meta().get("app_version", "")
    integrity = "; ".join(checked.lines)
    report = CheckReport(integrity, visit.schema_version, app_version, problems, warnings)
    for (kind, column, severity), count in seen.items():
        if count > SHOWN:
            more = f"... and {count - SHOWN} more {kind}s with the same kind of {column} finding"
            (report.problems if severity == REFUSE else report.warnings).append(more)
    beside = checked.also
    with values_at_most(visit.conn, row_checks.VALUE_BYTES):
        for step in (
            lambda: _file_warnings(visit, report, beside.latest if beside else {}),
            lambda: _tallies(visit, report, beside.tallies if beside else None),
            lambda: _days(visit, report, beside.days if beside else None),
            lambda: _purges(visit, report),
        ):
            _stopped_by_a_long_value(step, report)
    # A row a rule named already is not named again in a merge's words.
    report.problems += [line for line, row in refused if row not in refused_rows]
    report.problems = [_shortened(line) for line in report.problems]
    report.warnings = [_shortened(line) for line in report.warnings]
    return report


LINE = 300  # characters of a line of the report at most: a name a hand made long is cut


def _shortened(line: str) -> str:
    """A found line cut to :data:`LINE` (a round's name of 30 MB, under the length
    limit, made a line the terminal's wrapping took minutes over)."""
    return line if len(line) <= LINE else line[: LINE - 1] + "…"


def _riding(visit: VisitFile) -> audit.RollChecksRiding | None:
    """The roll checks' fast path, or None when what it reads first (the rounds, the
    locations, the team) holds a value past the length limit: the rules' reading of
    the checks then says it stopped (``audit.bounded``)."""
    try:
        return audit.RollChecksRiding(visit)
    except Exception as error:  # SQLite's, or in words (ValueTooLong)
        if not too_big(error):
            raise
        return None


def _stopped_by_a_long_value(step: Callable[[], None], report: CheckReport) -> None:
    try:
        step()
    except Exception as error:  # SQLite's, or in words (ValueTooLong)
        if not too_big(error):
            raise
        report.problems.append(
            "a value longer than any record holds stopped a reading of the file (the "
            "line naming its row says which)"
        )


def _merge_words(path: Path, error: Exception) -> str:
    text = str(error).removeprefix(f"refused: {path}: ")
    return text.removesuffix("; nothing was merged") + " (a merge would refuse it)"


def _shape_refused(visit: VisitFile) -> str | None:
    """A table of the wrong shape (a view, a virtual table, other columns), as a merge
    would refuse it: looked at in the schema alone, before any row is read."""
    from irp_field.domain.errors import IrpError
    from irp_field.replication import guard

    try:
        guard.check_shape(visit.conn, visit.path, visit.schema_version)
    except IrpError as error:
        return _merge_words(visit.path, error)
    return None


Refused = list[tuple[str, tuple[str, str] | None]]  # what a merge refuses, and of which row


def _what_a_merge_refuses(
    visit: VisitFile, riding: audit.RollChecksRiding | None
) -> tuple[Refused, sqlite3.DatabaseError | None]:
    """The checks a merge makes of a source's rows (its values' types, its stamps, its
    conflict records; its tables' shape was checked first), so that a file a merge would
    refuse is reported here, not "ok" (one pass each, the roll checks' fast path riding
    on the checks' pass: ``riding`` is handed the checks it doubts). Run before
    ``integrity_check``'s answer is known: a database error is handed back, to be raised
    only if the file is sound (a damaged file is refused in one line on leaving the
    check's block, and one whose index is out of step is said so by ``integrity_check``,
    not here)."""
    from irp_field.domain.errors import IrpError
    from irp_field.replication import guard

    found: Refused = []
    try:  # its shape was checked first (``_shape_refused``)
        ridden = {} if riding is None else {"roll_check": riding}
        guard.check_rows(visit.conn, visit.path, accept_skew=True, riding=ridden)
    except guard.RowRefused as error:
        found.append((_merge_words(visit.path, error), (error.table, error.row_id)))
    except IrpError as error:
        found.append((_merge_words(visit.path, error), None))
    except sqlite3.DatabaseError as error:
        return found, error
    return found, None


def _purges(visit: VisitFile, report: CheckReport) -> None:
    """Every purge (the team leader sees each one: a purge is a command to delete
    content, from any laptop), a purge record the rules refuse, and any content a
    purge removed that is still held: in the file, or in a snapshot of the visit."""
    from irp_field.evidence import purges
    from irp_field.replication.describe import when

    report.purges = [
        f"{p.what}: purged by {p.by}, {when(p.at)}: {p.reason}" for p in purges.purge_records(visit)
    ]
    report.problems += purges.refused(visit)
    report.warnings += purges.leftovers(visit)


def _tallies(visit: VisitFile, report: CheckReport, compared: roll_tallies.Compared | None) -> None:
    """The kept roll tallies summed again from the checks (``compared``: as the second
    connection read them; read here when it could not): a round or location whose
    kept sums differ is a problem (the figures read them); tallies not kept by this
    version's triggers are said (the figures sum the checks until a writer rebuilds them)."""
    if visit.schema_version < ROLL_TALLIES_SINCE:
        return
    if not roll_tallies.shaped(visit):
        report.warnings.append(
            "roll checks: the kept sums by round and location are not this version's (another "
            "tool changed their tables or triggers?): the figures sum every check, and "
            "irp-field builds them again when it next opens the file for writing"
        )
        return
    report.problems += roll_tallies.drift(visit, compared)


def _days(visit: VisitFile, report: CheckReport, compared: toc_days.Compared | None) -> None:
    """The kept subject-day totals of time out of cell made again from the periods
    (``compared``: as the second connection read them; read here when it could not): a
    day whose kept totals differ is a problem (the figures read them where the file is
    trusted). A file without the marking triggers is said in ``_file_warnings``."""
    if visit.schema_version < KEPT_TOTALS_SINCE:
        return
    report.problems += toc_days.drift(visit, compared)


def _file_warnings(visit: VisitFile, report: CheckReport, latest: dict[str, str]) -> None:
    foreign = foreign_objects.foreign(visit.conn)
    if foreign:
        report.problems.append(
            f"{visit.path.name}: holds {foreign_objects.described(foreign)}: its SQL would run at "
            "every change, so irp-field will not open the file for writing; a merge into a new "
            "visit file copies its records without it"
        )
    if tables := foreign_objects.foreign_tables(visit.conn):
        report.warnings.append(foreign_objects.tables_said(visit.path, tables))
    missing = kept_totals_missing_triggers(visit.conn)
    if missing and visit.schema_version >= KEPT_TOTALS_SINCE:
        report.warnings.append(
            f"time out of cell: the triggers that keep the subject-day totals are missing "
            f"({', '.join(missing)}; another tool rebuilt the table?): the figures total every "
            "day from its periods, and irp-field puts them back when it next opens the file "
            "for writing"
        )
    for table, stamp in latest.items():
        if is_far_future(stamp):
            report.warnings.append(
                f"{table}: a version stamp is more than a day in the future ({stamp[:13]} ms): "
                "a laptop clock was wrong"
            )
