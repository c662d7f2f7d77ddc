"""``irp-field check``: is the file whole, which schema, and what in it the rules question.

Every live record is read back through the rule that let it in (``evidence.audit``):
what a rule refuses is a *problem* (a hand-edited or damaged file, or one written under
older rules) and makes the check fail; what a rule asks about or warns of is a
*warning*. Each kind of finding is listed a few times, then counted, so a file of
millions of rows gives a readable report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

from irp_field.core.clock import is_far_future
from irp_field.core.schema import KEPT_TOTALS_SINCE, MERGED_TABLES, kept_totals_missing_triggers
from irp_field.core.visit_file import VisitFile
from irp_field.domain.verdicts import REFUSE
from irp_field.evidence import attachment_audit, audit
from irp_field.findings import parts_audit

SHOWN = 5  # findings of one kind and field listed before the rest are counted


@dataclass
class CheckReport:
    integrity: str
    schema_version: int
    app_version: str
    problems: list[str] = field(default_factory=list)  # what a rule refuses
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.problems


def check_visit(visit: VisitFile) -> CheckReport:
    integrity = "; ".join(r[0] for r in visit.query("PRAGMA integrity_check"))
    meta = visit.meta()
    report = CheckReport(integrity, visit.schema_version, meta.get("app_version", ""))
    seen: Counter[tuple[str, str, str]] = Counter()
    everything = chain(
        audit.everything(visit), attachment_audit.everything(visit), parts_audit.everything(visit)
    )
    for found in everything:
        verdict = found.verdict
        group = (found.kind, verdict.field, verdict.severity)
        seen[group] += 1
        if seen[group] <= SHOWN:
            line = f"{found.kind} {found.where}: {verdict.message}"
            (report.problems if verdict.severity == REFUSE else report.warnings).append(line)
    for (kind, column, severity), count in seen.items():
        if count > SHOWN:
            more = f"... and {count - SHOWN} more {kind}s with the same kind of {column} finding"
            (report.problems if severity == REFUSE else report.warnings).append(more)
    _file_warnings(visit, report)
    return report


def _file_warnings(visit: VisitFile, report: CheckReport) -> None:
    missing = kept_totals_missing_triggers(visit.conn)
    if missing and visit.schema_version >= KEPT_TOTALS_SINCE:
        report.warnings.append(
            f"time out of cell: the triggers that keep the subject-day totals are missing "
            f"({', '.join(missing)}; another tool rebuilt the table?): the figures total every "
            "day from its periods, and irp-field puts them back when it next opens the file "
            "for writing"
        )
    for table in MERGED_TABLES:
        latest = visit.one(f"SELECT MAX(version) FROM {table}")
        if latest and latest[0] and is_far_future(latest[0]):
            report.warnings.append(
                f"{table}: a version stamp is more than a day in the future ({latest[0][:13]} ms): "
                "a laptop clock was wrong"
            )
