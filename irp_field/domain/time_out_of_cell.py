"""Time out of cell: a subject's periods unlocked in a day, and the rules they obey.

The rules, applied alike by the import, the time-out-of-cell screen, the API, ``check``
and the merge:

- a period has a subject (a pseudonym), a group, a real date, start and end times
  (HH:MM) with the end after the start, and a known activity (REFUSE);
- a subject belongs to one group on one day (REFUSE: the figures by group would count
  the day twice);
- a subject that looks like a person's name ("John Smith") is said (WARN: subjects are
  pseudonyms, and the visit file travels);
- who records it is on the visit's team (REFUSE; WARN of a stored period:
  ``recorders.recorder_verdicts``, every kind's).

Overlapping periods are allowed and counted once (:func:`day_totals`). A period dated
outside the visit is asked about (CONFIRM: ``visit.date_verdicts``).

:func:`verdicts` combines them for one period: every path calls it (``check`` asks
:func:`period_fine` first, its fast path for the rows nothing is wrong with).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache

from irp_field.domain import fields, vocabulary
from irp_field.domain.names import name_verdicts
from irp_field.domain.recorders import recorder_verdicts
from irp_field.domain.verdicts import WARN, Verdict
from irp_field.domain.visit import VisitDates, date_verdicts
from irp_field.domain.wording import hours, minutes

# Two or more capitalised words of letters: "John Smith", "Mary-Ann O'Neil".
_PERSON_NAME = re.compile(r"[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+)+")


@dataclass(frozen=True)
class PeriodEntry:
    """A period as typed or imported, its fields parsed (empty where they were refused)."""

    on_date: str
    subject: str
    group: str
    start: str
    end: str
    activity: str


def period_verdicts(
    on_date: str,
    subject: str,
    group: str,
    start: str,
    end: str,
    activity: str,
    *,
    stored: bool = False,
) -> tuple[PeriodEntry, list[Verdict]]:
    """Parse one period's fields; REFUSE what cannot be right. Times are taken as paper
    has them (``0900``, ``9:30``, ``9.30``: :func:`fields.time_of_day`); ``stored``: a
    period the visit file holds (``check``, a merge), whose times must be HH:MM as they
    are stored. (A day's periods share their date, group, times and activity: each is
    judged once and remembered, and only the subject is judged afresh; a merge asks this
    of every period of every laptop.)"""
    found = name_verdicts(subject, "subject", "the subject (a pseudonym)")
    group_found = _group_verdicts(group)
    parsed_date, date_found = _date(on_date, stored)
    (parsed_start, parsed_end), span_found = _span(start, end, stored)
    parsed_activity, activity_found = _activity(activity, stored)
    found += [*group_found, *date_found, *span_found, *activity_found]
    subject = subject.strip()
    if _PERSON_NAME.fullmatch(subject):
        found.append(
            Verdict(
                "subject",
                f"{subject!r} looks like a person's name; subjects should be pseudonyms",
                WARN,
            )
        )
    entry = PeriodEntry(
        parsed_date, subject, group.strip(), parsed_start, parsed_end, parsed_activity
    )
    return entry, found


def period_fine(
    on_date: str, subject: str, group: str, start: str, end: str, activity: str
) -> bool:
    """True exactly when :func:`period_verdicts` (``stored=True``) finds nothing, without
    building the entry or the list: ``check`` and the merge ask it of every stored period,
    and all but a few are fine (each part is judged once and remembered; the subject,
    which repeats from day to day, too)."""
    return (
        not _span(start, end, True)[1]
        and not _date(on_date, True)[1]
        and not _activity(activity, True)[1]
        and not _group_verdicts(group)
        and _subject_fine(subject)
    )


@lru_cache(maxsize=8192)
def _subject_fine(subject: str) -> bool:
    return not name_verdicts(subject, "subject", "the subject (a pseudonym)") and not (
        _PERSON_NAME.fullmatch(subject.strip())
    )


@lru_cache(maxsize=1024)
def _group_verdicts(group: str) -> tuple[Verdict, ...]:
    return tuple(name_verdicts(group, "group", "the subject's group"))


@lru_cache(maxsize=4096)
def _date(on_date: str, stored: bool) -> tuple[str, tuple[Verdict, ...]]:
    try:
        parsed = fields.date(on_date)
    except ValueError as error:
        return "", (Verdict("date", str(error)),)
    if stored and parsed != on_date:  # ' 2022-05-10': a subject-day of its own
        shown = fields.shown(on_date)
        return "", (Verdict("date", f"{shown} is not a date as stored (YYYY-MM-DD)"),)
    return parsed, ()


@lru_cache(maxsize=4096)
def _span(start: str, end: str, stored: bool) -> tuple[tuple[str, str], tuple[Verdict, ...]]:
    parsed, found = {"start": "", "end": ""}, []
    parse = fields.stored_time if stored else fields.time_of_day
    for field, text in (("start", start), ("end", end)):
        try:
            parsed[field] = parse(text)
        except ValueError as error:
            found.append(Verdict(field, str(error)))
    if parsed["start"] and parsed["end"] and parsed["end"] <= parsed["start"]:
        found.append(
            Verdict(
                "end",
                f"the period ends ({parsed['end']}) before or when it starts ({parsed['start']}): "
                "the end must be after the start",
            )
        )
    return (parsed["start"], parsed["end"]), tuple(found)


@lru_cache(maxsize=256)
def _activity(activity: str, stored: bool) -> tuple[str, tuple[Verdict, ...]]:
    """``stored``: exactly as the file holds it (the open air's minutes are those of
    ``activity = 'open_air'``: a hand's 'Open air' counted none)."""
    try:
        chosen = vocabulary.choose(
            activity.strip().replace(" ", "_"), vocabulary.ACTIVITIES, "activity"
        )
    except ValueError:
        words = ", ".join(a.replace("_", " ") for a in vocabulary.ACTIVITIES)
        return "", (Verdict("activity", f"unknown activity {activity.strip()!r}; one of: {words}"),)
    if stored and chosen != activity:
        shown = fields.shown(activity)
        return "", (
            Verdict(
                "activity", f"activity {shown} is not as stored ({chosen!r}): no figure counts it"
            ),
        )
    return chosen, ()


def group_verdicts(
    subject: str, on_date: str, group: str, known_group: str, where: str
) -> list[Verdict]:
    """REFUSE a second group for a subject on one day (``where``: where the first is).

    Refused, not warned (issue 13 asked): a subject-day is one group's day in the
    averages by group (``toc_day`` keeps one group per subject and day), so a day in two
    groups would count its hours in two averages, or in one of them by chance. A wrong
    group is put right for the whole day at once (``regroup_day``, ctrl+r on the
    time-out-of-cell screen), never period by period."""
    if known_group and known_group != group:
        return [
            Verdict(
                "group",
                f"subject {subject} is in group {known_group!r} on {on_date} in {where}, "
                f"not {group!r} (a day counts in one group: change the whole day's group)",
            )
        ]
    return []


@dataclass(frozen=True)
class Period:
    """One period as typed, imported or read back from a file (text, not parsed yet)."""

    on_date: str
    subject: str
    group: str
    start: str
    end: str
    activity: str
    recorder: str = ""  # who records it (``recorders``: the name the file is written by)


def _nobody_s_day(subject: str, on_date: str) -> tuple[str, str]:
    return "", ""


@dataclass(frozen=True)
class PeriodContext:
    """What the rules need to know of the visit around one period. ``day_group``: the
    group a subject already has on a day, and where that is said ("line 3", "the visit
    file"), or ("", "") when the day is new."""

    dates: VisitDates
    day_group: Callable[[str, str], tuple[str, str]] = _nobody_s_day
    stored: bool = False  # a period the file holds (``check``, a merge): times as stored
    team: Mapping[str, str] = dataclass_field(default_factory=dict)  # casefolded name -> name


def verdicts(period: Period, context: PeriodContext) -> tuple[PeriodEntry, list[Verdict]]:
    """Every time-out-of-cell rule on one period, as every path applies them: its fields
    (:func:`period_verdicts`), its subject's one group that day (:func:`group_verdicts`),
    its date inside the visit and who records it on the team (``recorders``)."""
    entry, found = period_verdicts(
        period.on_date,
        period.subject,
        period.group,
        period.start,
        period.end,
        period.activity,
        stored=context.stored,
    )
    if entry.subject and entry.on_date and entry.group:
        known, where = context.day_group(entry.subject, entry.on_date)
        found += group_verdicts(entry.subject, entry.on_date, entry.group, known, where)
    found += recorder_verdicts("toc_period", period.recorder, context.team, stored=context.stored)
    return entry, found + date_verdicts(entry.on_date, context.dates, "date")


@dataclass(frozen=True)
class DayTotals:
    unlocked_minutes: int  # overlaps counted once
    open_air_minutes: int
    overlap_minutes: int = 0  # unlocked minutes two or more periods claim: counted once

    def said(self, subject: str, on_date: str) -> str:
        """The day's line on the time-out-of-cell screen. It said "overlaps once" of
        every day, a single period's too: the overlap is named only when there is one."""
        counted = f"{self.unlocked_minutes} min"
        if self.overlap_minutes:
            counted += f"; {self.overlap_minutes} min of overlapping periods counted once"
        return (
            f"{subject} on {on_date}: {hours(self.unlocked_minutes / 60)} unlocked "
            f"({counted}), {minutes(self.open_air_minutes)} in the open air"
        )


def day_totals(spans: list[tuple[str, str, str]]) -> DayTotals:
    """Unlocked and open-air minutes of one day from (start, end, activity), each
    overlap counted once."""

    def covered(minutes: list[tuple[int, int]]) -> int:
        total, reach = 0, -1
        for start, end in sorted(minutes):
            if end > reach:
                total += end - max(start, reach)
                reach = end
        return total

    every = [(fields.minute_of_day(s), fields.minute_of_day(e)) for s, e, _ in spans]
    outside = [
        (fields.minute_of_day(s), fields.minute_of_day(e)) for s, e, a in spans if a == "open_air"
    ]
    unlocked = covered(every)
    return DayTotals(unlocked, covered(outside), sum(e - s for s, e in every) - unlocked)
