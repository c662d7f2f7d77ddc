"""Reads that screens and commands share; each returns dataclasses, never raw rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from irp_field.core.visit_file import VisitFile
from irp_field.domain.vocabulary import AREAS
from irp_field.evidence import roll_tallies

if TYPE_CHECKING:  # the plan's types (and their scales) are imported by the reads of it:
    # opening a visit (the app's start, a command) reads the team and the dates alone;
    # the visit's rules (its dates') by the read of the dates: the overview reads none
    from irp_field.domain.plan import Judgement, PlanItem
    from irp_field.domain.visit import VisitDates


@dataclass(frozen=True)
class TeamMember:
    """A member of the visit's team."""

    id: str
    name: str
    role: str
    body: str


@dataclass(frozen=True)
class VisitSummary:
    """A visit at a glance: the establishment, its dates and what is recorded."""

    path: Path
    visit_id: str
    establishment: str
    visit_type: str
    start_date: str
    end_date: str
    previous_inspection: str
    roll_checks: int
    time_periods: int
    notes: int
    sampled_records: int
    plan_items: int
    findings: int
    last_changed: str


_COUNTS = {
    "roll_checks": "roll_check",
    "time_periods": "toc_period",
    "notes": "note",
    "sampled_records": "sample_record",
    "plan_items": "plan_item",
    "findings": "finding",
}


def summarise(visit: VisitFile) -> VisitSummary:
    details = visit.one("SELECT * FROM visit WHERE id = ?", (visit.visit_id,))
    counted = {t: f"SELECT COUNT(*) FROM {t} WHERE deleted = 0" for t in _COUNTS.values()}
    if roll_tallies.kept(visit):  # a million checks counted: a tenth of a second
        counted["roll_check"] = "SELECT COALESCE(SUM(checks), 0) FROM roll_tally_location"
    counts = {
        name: int(visit.one(counted[table])[0])  # type: ignore[index]
        for name, table in _COUNTS.items()
    }
    last = visit.one("SELECT MAX(changed_at) FROM change_log")
    return VisitSummary(
        path=visit.path,
        visit_id=visit.visit_id,
        establishment=details["establishment"] if details else "",
        visit_type=details["visit_type"] if details else "",
        start_date=details["start_date"] if details else "",
        end_date=details["end_date"] if details else "",
        previous_inspection=details["previous_inspection"] if details else "",
        last_changed=(last[0] if last and last[0] else ""),
        **counts,
    )


def team(visit: VisitFile) -> list[TeamMember]:
    rows = visit.query(
        "SELECT id, name, role, body FROM team_member WHERE deleted = 0 ORDER BY rowid"
    )
    return [TeamMember(**dict(row)) for row in rows]


def plan_items(visit: VisitFile) -> list[PlanItem]:
    """Plan items in the report's order: by area, then the plan's own order."""
    from irp_field.domain.plan import PlanItem

    rows = visit.query(
        "SELECT id, ref, kind, body, area, concern, text, judged_group AS 'group', position "
        "FROM plan_item WHERE deleted = 0 ORDER BY position, ref"
    )
    items = [PlanItem(**dict(row)) for row in rows]
    order = {area: index for index, area in enumerate(AREAS)}
    return sorted(items, key=lambda item: (order.get(item.area, len(order)), item.position))


def judgements(visit: VisitFile) -> dict[str, Judgement]:
    from irp_field.domain.plan import Judgement

    rows = visit.query(
        "SELECT unit, scale, level, why, created_by AS by, version FROM judgement "
        "WHERE deleted = 0 AND level != ''"
    )
    return {row["unit"]: Judgement(**dict(row)) for row in rows}


def visit_dates(visit: VisitFile) -> VisitDates:
    """The visit's first and last days, which evidence is dated inside."""
    from irp_field.domain.visit import VisitDates

    row = visit.one("SELECT start_date, end_date FROM visit WHERE id = ?", (visit.visit_id,))
    return VisitDates(row["start_date"], row["end_date"]) if row is not None else VisitDates("", "")


def typed_day(visit: VisitFile, text: str) -> str:
    """A day a person typed (a form's field, a command's option) as YYYY-MM-DD: written
    whole, or as paper has it, a day of this visit (``15``, ``15/3``, ``Tue``). One rule
    wherever a day is typed (:func:`fields.visit_day`); a file's or a program's day is
    written whole. ValueError says why not."""
    from irp_field.domain.fields import visit_day

    dates = visit_dates(visit)
    return visit_day(text, dates.start, dates.end)


def typed_moment(visit: VisitFile, text: str, day: str) -> str:
    """A moment a person typed (a form's When) as YYYY-MM-DDTHH:MM: a time alone on
    ``day``, or a day of this visit as :func:`typed_day` reads it and a time (``Tue
    10:00``, ``15 1000``), or written whole. One rule (:func:`fields.moment_on`); a
    file's or a program's moment is written whole. ValueError says why not."""
    from irp_field.domain.fields import moment_on

    dates = visit_dates(visit)
    return moment_on(text, day, dates.start, dates.end)
