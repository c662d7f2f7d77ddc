"""Time out of cell typed one period at a time: a subject's day, its totals, the groups.

A subject (a pseudonym, never a name) belongs to one group for a day; each period is
one committed transaction, refused here as well as on the screen when its times or its
activity are wrong or its group disagrees with the day's other periods.
"""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.core.visit_file import VisitFile
from irp_field.domain import fields, vocabulary
from irp_field.domain.errors import IrpError


@dataclass(frozen=True)
class Period:
    id: str
    start: str  # HH:MM
    end: str
    activity: str
    group: str

    @property
    def minutes(self) -> int:
        return fields.minute_of_day(self.end) - fields.minute_of_day(self.start)


@dataclass(frozen=True)
class DayTotals:
    unlocked_minutes: int  # overlaps counted once
    open_air_minutes: int


def day_totals(periods: list[Period]) -> DayTotals:
    """Unlocked and open-air minutes of one day, each overlap counted once."""

    def covered(spans: list[tuple[int, int]]) -> int:
        total, reach = 0, -1
        for start, end in sorted(spans):
            if end > reach:
                total += end - max(start, reach)
                reach = end
        return total

    spans = [(fields.minute_of_day(p.start), fields.minute_of_day(p.end)) for p in periods]
    outside = [
        (fields.minute_of_day(p.start), fields.minute_of_day(p.end))
        for p in periods
        if p.activity == "open_air"
    ]
    return DayTotals(covered(spans), covered(outside))


def subjects(visit: VisitFile) -> list[str]:
    rows = visit.query(
        "SELECT DISTINCT subject FROM toc_period WHERE deleted = 0 ORDER BY subject COLLATE NOCASE"
    )
    return [row["subject"] for row in rows]


def groups(visit: VisitFile) -> list[str]:
    rows = visit.query(
        "SELECT DISTINCT subject_group FROM toc_period WHERE deleted = 0 AND subject_group != '' "
        "ORDER BY subject_group COLLATE NOCASE"
    )
    return [row["subject_group"] for row in rows]


def day(visit: VisitFile, subject: str, on_date: str) -> list[Period]:
    rows = visit.query(
        "SELECT id, start_time, end_time, activity, subject_group FROM toc_period "
        "WHERE deleted = 0 AND subject = ? AND on_date = ? ORDER BY start_time, end_time",
        (subject.strip(), on_date),
    )
    return [
        Period(r["id"], r["start_time"], r["end_time"], r["activity"], r["subject_group"])
        for r in rows
    ]


def latest_day(visit: VisitFile, subject: str) -> tuple[str, str] | None:
    """The subject's most recent day and that day's group, to preselect them."""
    row = visit.one(
        "SELECT on_date, subject_group FROM toc_period WHERE deleted = 0 AND subject = ? "
        "ORDER BY on_date DESC, start_time DESC LIMIT 1",
        (subject.strip(),),
    )
    return (row["on_date"], row["subject_group"]) if row is not None else None


def record_period(
    visit: VisitFile,
    *,
    subject: str,
    on_date: str,
    group: str,
    start: str,
    end: str,
    activity: str,
) -> str:
    """Write one period in one committed transaction; refuse what cannot be right."""
    if not subject.strip():
        raise IrpError("a period needs its subject (a pseudonym)")
    try:
        on_date = fields.date(on_date)
        start, end = fields.time_of_day(start), fields.time_of_day(end)
        activity = vocabulary.choose(activity.replace(" ", "_"), vocabulary.ACTIVITIES, "activity")
    except ValueError as error:
        raise IrpError(str(error)) from None
    if fields.minute_of_day(end) <= fields.minute_of_day(start):
        raise IrpError(f"the period ends ({end}) before or when it starts ({start})")
    if not group.strip():
        raise IrpError("a period needs the subject's group")
    with visit.transaction():
        known = visit.one(
            "SELECT subject_group FROM toc_period WHERE deleted = 0 AND subject = ? "
            "AND on_date = ? LIMIT 1",
            (subject.strip(), on_date),
        )
        if known is not None and known["subject_group"] != group.strip():
            raise IrpError(
                f"{subject.strip()} is in the group {known['subject_group']!r} on {on_date}"
            )
        return visit.insert(
            "toc_period",
            {
                "subject": subject.strip(),
                "on_date": on_date,
                "subject_group": group.strip(),
                "start_time": start,
                "end_time": end,
                "activity": activity,
            },
        )


def delete_period(visit: VisitFile, period_id: str) -> None:
    with visit.transaction():
        visit.delete("toc_period", period_id)


def restore_period(visit: VisitFile, period_id: str) -> None:
    with visit.transaction():
        visit.update("toc_period", period_id, {"deleted": 0})
