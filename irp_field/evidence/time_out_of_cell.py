"""Time out of cell typed one period at a time: a subject's day, its totals, the groups.

Each period is one committed transaction. The rules (times, activity, one group per
subject-day, dates inside the visit) are ``domain.time_out_of_cell``'s and
``domain.visit``'s, applied here as on the screen and in the import.
"""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.core.visit_file import VisitFile
from irp_field.domain import fields, names
from irp_field.domain import time_out_of_cell as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.time_out_of_cell import DayTotals
from irp_field.domain.verdicts import Verdict, refuse_unless_fine
from irp_field.evidence import links, purges
from irp_field.evidence.lookups import team_names
from irp_field.evidence.reads import visit_dates


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


def day_totals(periods: list[Period]) -> DayTotals:
    """Unlocked and open-air minutes of one day, each overlap counted once."""
    return rules.day_totals([(p.start, p.end, p.activity) for p in periods])


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


def known_group(visit: VisitFile, subject: str, on_date: str) -> str:
    """The group the subject is in on that day, from the periods already stored ('' if none)."""
    row = visit.one(
        "SELECT subject_group FROM toc_period WHERE deleted = 0 AND subject = ? "
        "AND on_date = ? LIMIT 1",
        (subject.strip(), on_date),
    )
    return str(row["subject_group"]) if row is not None else ""


def period_verdicts(
    visit: VisitFile,
    *,
    subject: str,
    on_date: str,
    group: str,
    start: str,
    end: str,
    activity: str,
    new: bool = True,
) -> tuple[rules.PeriodEntry, list[Verdict]]:
    """Every rule on one period (``domain.time_out_of_cell.verdicts``: what the screen
    shows and :func:`record_period` enforces); ``new``: a period to be recorded now, by
    whoever writes the file (held to the team: an edit keeps its recorder, as a roll
    check's edit keeps its inspector)."""

    def day_group(subject: str, on_date: str) -> tuple[str, str]:
        return known_group(visit, subject, on_date), "the visit file"

    recorder = visit.user if new else ""
    period = rules.Period(on_date, subject, group, start, end, activity, recorder)
    context = rules.PeriodContext(visit_dates(visit), day_group, team=team_names(visit))
    return rules.verdicts(period, context)


def record_period(
    visit: VisitFile,
    *,
    subject: str,
    on_date: str,
    group: str,
    start: str,
    end: str,
    activity: str,
    allow_outside_visit: bool = False,
) -> str:
    """Write one period in one committed transaction; refuse what a rule refuses."""
    with visit.transaction():
        entry, found = period_verdicts(
            visit,
            subject=subject,
            on_date=on_date,
            group=group,
            start=start,
            end=end,
            activity=activity,
        )
        refuse_unless_fine(found, confirmed=allow_outside_visit)
        return visit.insert(
            "toc_period",
            {
                "subject": entry.subject,
                "on_date": entry.on_date,
                "subject_group": entry.group,
                "start_time": entry.start,
                "end_time": entry.end,
                "activity": entry.activity,
            },
        )


def edit_period(
    visit: VisitFile,
    period_id: str,
    *,
    start: str,
    end: str,
    activity: str,
    subject: str | None = None,
    on_date: str | None = None,
    allow_outside_visit: bool = False,
) -> bool:
    """Change a period's times and activity in place, and, given ``subject`` or
    ``on_date``, move it to that subject's day (typed under the wrong pseudonym or
    date); its group is its day's (:func:`regroup_day` changes a day's group), so a
    move into a day of another group is refused. The day's links to plan items follow
    the period (``links.follow_moved_periods``)."""
    with visit.transaction():
        row = visit.row("toc_period", period_id)
        if row is None or row["deleted"]:
            raise IrpError("that period is deleted or not in this visit")
        was = (str(row["subject"]), str(row["on_date"]))
        to = (was[0] if subject is None else subject, was[1] if on_date is None else on_date)
        if to == was:
            period = rules.Period(
                row["on_date"], row["subject"], row["subject_group"], start, end, activity
            )
            # its day's group stays (regroup_day changes it): not judged again here
            entry, found = rules.verdicts(period, rules.PeriodContext(visit_dates(visit)))
        else:  # moved to another subject's day: that day's group is judged
            entry, found = period_verdicts(
                visit, subject=to[0], on_date=to[1], group=row["subject_group"],
                start=start, end=end, activity=activity, new=False,
            )  # fmt: skip
        refuse_unless_fine(found, confirmed=allow_outside_visit)
        changed = visit.update(
            "toc_period",
            period_id,
            {
                "subject": entry.subject,
                "on_date": entry.on_date,
                "start_time": entry.start,
                "end_time": entry.end,
                "activity": entry.activity,
            },
        )
        links.follow_moved_periods(visit, [(was, (entry.subject, entry.on_date))])
        return changed


def regroup_day(visit: VisitFile, subject: str, on_date: str, group: str) -> int:
    """Put every period of a subject's day in ``group`` (the day counts in one group's
    average), in one transaction; returns how many periods changed."""
    refuse_unless_fine(names.name_verdicts(group, "group", "the group"))
    with visit.transaction():
        changed = 0
        for row in visit.query(
            "SELECT id FROM toc_period WHERE deleted = 0 AND subject = ? AND on_date = ?",
            (subject.strip(), on_date),
        ):
            changed += visit.update("toc_period", row["id"], {"subject_group": group.strip()})
        return changed


def delete_period(visit: VisitFile, period_id: str) -> None:
    with visit.transaction():
        visit.delete("toc_period", period_id)


def restore_period(visit: VisitFile, period_id: str) -> None:
    purges.restore(visit, "toc_period", period_id)
