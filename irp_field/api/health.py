"""``irp-field check``: is the file whole, which schema, and what in it looks wrong."""

from __future__ import annotations

from dataclasses import dataclass, field

from irp_field.core.clock import is_far_future
from irp_field.core.schema import KEPT_TOTALS_SINCE, MERGED_TABLES, kept_totals_missing_triggers
from irp_field.core.visit_file import VisitFile
from irp_field.domain.vocabulary import ROLL_CATEGORIES


@dataclass
class CheckReport:
    integrity: str
    schema_version: int
    app_version: str
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok"


def check_visit(visit: VisitFile) -> CheckReport:
    integrity = "; ".join(r[0] for r in visit.query("PRAGMA integrity_check"))
    meta = visit.meta()
    report = CheckReport(integrity, visit.schema_version, meta.get("app_version", ""))
    accounted = " + ".join(f"r.{c}" for c in ROLL_CATEGORIES)
    for row in visit.query(
        f"SELECT r.taken_at, l.name, r.roll, r.roll - ({accounted}) AS missing FROM roll_check r "
        f"LEFT JOIN location l ON l.id = r.location_id "
        f"WHERE r.deleted = 0 AND ({accounted}) != r.roll "
        "ORDER BY r.taken_at, l.name"
    ):
        report.warnings.append(
            f"roll check {row['name'] or '?'} at {row['taken_at']}: {row['missing']} of a roll of "
            f"{row['roll']} unaccounted (the categories do not add up to the roll)"
        )
    for row in visit.query(
        "SELECT r.taken_at, l.name, r.roll, l.capacity FROM roll_check r JOIN location l ON "
        "l.id = r.location_id WHERE r.deleted = 0 AND l.capacity IS NOT NULL "
        "AND r.roll > l.capacity"
    ):
        report.warnings.append(
            f"roll check {row['name']} at {row['taken_at']}: roll {row['roll']} is above the "
            f"location's capacity of {row['capacity']}"
        )
    for row in visit.query(
        "SELECT ref FROM plan_item p WHERE deleted = 0 AND NOT EXISTS (SELECT 1 FROM judgement j "
        "WHERE j.deleted = 0 AND j.level != '' AND j.unit = (CASE WHEN p.judged_group != '' "
        "THEN p.judged_group ELSE p.ref END)) ORDER BY position"
    ):
        report.warnings.append(f"plan item {row['ref']} has no judgement yet")
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
    return report
