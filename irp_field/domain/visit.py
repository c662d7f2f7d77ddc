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

from dataclasses import dataclass

from irp_field.domain import fields, vocabulary
from irp_field.domain.names import name_verdicts
from irp_field.domain.verdicts import CONFIRM, Verdict


@dataclass(frozen=True)
class VisitDates:
    """The visit's first and last days."""

    start: str  # YYYY-MM-DD
    end: str

    def holds(self, day: str) -> bool:
        """True when ``day`` (a date, or a moment whose first ten characters are one) is
        inside the visit; a visit without dates holds every day."""
        if not self.start or not self.end:
            return True
        return self.start <= day[:10] <= self.end

    def describe(self) -> str:
        return f"{self.start} to {self.end}"


@dataclass(frozen=True)
class VisitDetails:
    """The details a new visit is set up with."""

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
