"""A visit's details, and the rule that evidence is dated inside the visit.

The visit's details are refused (REFUSE) when a date is not a real date, the last day
is before the first, the establishment is not a name or the visit's type is unknown;
every path that makes a visit (``irp-field new``, a bundle's ``visit.toml``, the Home
screen, the API) applies :func:`details_verdicts`, and ``check`` and the merge read the
stored details back through it.

A record dated outside the visit is asked about (CONFIRM): evidence written up a day
later is still dated on the day it was seen, so a date outside the visit is most often
a slip, but not always (a data return about last month).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from irp_field.domain import fields, vocabulary
from irp_field.domain.names import name_verdicts
from irp_field.domain.verdicts import CONFIRM, Verdict


LISTED_DAYS = 1500  # about four years: an analyst's years of visits


@dataclass(frozen=True)
class VisitDates:
    start: str  # YYYY-MM-DD
    end: str

    def holds(self, day: str) -> bool:
        """True when ``day`` (a date, or a moment whose first ten characters are one) is
        inside the visit; a visit without dates holds every day."""
        if not self.start or not self.end:
            return True
        return self.start <= day[:10] <= self.end

    def moment_inside_sql(self, column: str) -> tuple[str, tuple[str, ...]]:
        """An SQL condition true only of a moment as every path stores one
        (``fields.moment_sql``) that :meth:`holds`, and its parameters (the file's dates:
        never written into the SQL). A visit of a few years lists its days, each one
        checked here: a look-up in that short list costs a third of SQLite's parsing
        of the date on every row."""
        days = self._days()
        if days is None:
            inside = (
                "1"
                if not self.start or not self.end
                else (f"(substr({column}, 1, 10) BETWEEN ? AND ?)")
            )
            found = fields.moment_sql(column)
            return f"({found} AND {inside})", (() if inside == "1" else (self.start, self.end))
        return (
            f"({fields.moment_sql(column, day_checked=True)} AND "
            f"substr({column}, 1, 10) IN (SELECT value FROM json_each(?)))",
            (json.dumps(days),),
        )

    def _days(self) -> list[str] | None:
        """Every day the visit holds, each a real day as ``fields.date`` takes it; None
        for a visit without dates, with dates in another form, or of more than
        :data:`LISTED_DAYS` days."""
        try:
            first, last = dt.date.fromisoformat(self.start), dt.date.fromisoformat(self.end)
        except ValueError:
            return None
        if first.isoformat() != self.start or last.isoformat() != self.end:
            return None
        if not 0 <= (last - first).days < LISTED_DAYS:
            return None
        days = [(first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
        return [day for day in days if self.holds(day) and fields.date(day) == day]

    def describe(self) -> str:
        return f"{self.start} to {self.end}"


@dataclass(frozen=True)
class VisitDetails:
    establishment: str
    start: str
    end: str
    previous_inspection: str
    visit_type: str = "IRP"


def details_verdicts(
    establishment: str,
    start: str,
    end: str,
    previous_inspection: str = "",
    visit_type: str = "IRP",
) -> tuple[VisitDetails, list[Verdict]]:
    """The details parsed, and what is wrong with them (every problem REFUSE)."""
    found = name_verdicts(establishment, "establishment", "the establishment")
    try:
        kind = vocabulary.choose(visit_type, vocabulary.VISIT_TYPES, "visit type")
    except ValueError as error:
        found.append(Verdict("visit_type", str(error)))
        kind = ""
    parsed: dict[str, str] = {}
    for field, text in (("start", start), ("end", end), ("previous", previous_inspection)):
        if field == "previous" and not text.strip():
            parsed[field] = ""
            continue
        try:
            parsed[field] = fields.date(text)
        except ValueError as error:
            found.append(Verdict(field, str(error)))
            parsed[field] = ""
    if parsed["start"] and parsed["end"] and parsed["end"] < parsed["start"]:
        found.append(
            Verdict(
                "end", f"the last day ({parsed['end']}) is before the first ({parsed['start']})"
            )
        )
    details = VisitDetails(
        establishment.strip(), parsed["start"], parsed["end"], parsed["previous"], kind
    )
    return details, found


def date_verdicts(day: str, dates: VisitDates, field: str) -> list[Verdict]:
    """CONFIRM a record dated outside the visit."""
    if not day or dates.holds(day):
        return []
    return [
        Verdict(
            field,
            f"{day[:10]} is outside the visit ({dates.describe()}); "
            "confirm it is meant (--allow-outside-visit)",
            CONFIRM,
        )
    ]
