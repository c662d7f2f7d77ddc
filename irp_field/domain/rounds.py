"""Rounds of roll checks: one whole-prison check at one time of day, and its rules.

A round has a name ("Tue PM"), a day and a time. Each location is counted at most
once in a round: a second check of it is refused (REFUSE), and the screens open the
first one for editing instead, so that no figure ever counts one location twice in a
round. A round's name is suggested from the time ("Tue AM", "Tue PM", "Tue eve"); a
check typed without a round (an import without the column, a program) belongs to the
round of its hour ("Mon 14 Mar 10:00"), which is listed and can be renamed like any
other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from irp_field.domain import fields
from irp_field.domain.names import name_verdicts
from irp_field.domain.verdicts import WARN, Verdict
from irp_field.domain.visit import VisitDates

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class RoundEntry:
    """A round as typed: its name, day and time."""

    name: str
    on_date: str  # YYYY-MM-DD, or "" when refused
    at_time: str  # HH:MM, or "" when refused


def _day(moment: str) -> dt.date:
    return dt.date.fromisoformat(moment[:10])


def part_of_day(hhmm: str) -> str:
    """AM before noon, PM until six, eve after."""
    hour = int(hhmm[:2])
    return "AM" if hour < 12 else "PM" if hour < 18 else "eve"


def hour_round_name(taken_at: str) -> str:
    """The round of a check typed without one: its day and hour, "Mon 14 Mar 10:00"."""
    day = _day(taken_at)
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {taken_at[11:13]}:00"


def suggest_name(moment: str, rounds_on: Mapping[str, str]) -> str:
    """A name for a new round at ``moment`` (YYYY-MM-DDTHH:MM): "Tue PM", or with the
    date ("Tue 22 Mar PM") when a round of that name is on another day already.
    ``rounds_on`` maps each existing round's name, case folded, to its day."""
    day = _day(moment)
    short = f"{_DAYS[day.weekday()]} {part_of_day(moment[11:16])}"
    taken_on = rounds_on.get(short.casefold())
    if taken_on is None or taken_on == day.isoformat():
        return short
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {part_of_day(moment[11:16])}"


def new_name(moment: str, rounds_on: Mapping[str, str]) -> str:
    """A name no round of the visit has, for a round started at ``moment``: the name
    the time suggests ("Wed PM", or "Wed 23 Mar PM" when a "Wed PM" is on another day),
    and a second round of that half-day its numbered sibling ("Wed PM 2", "Wed PM 3").
    (It was "Wed 16 Mar PM" beside "Wed PM" on the same day, then "Wed 14:10": a walker
    took them for rounds of different days.)"""
    suggested = suggest_name(moment, rounds_on)
    if suggested.casefold() not in rounds_on:
        return suggested
    number = 2
    while f"{suggested} {number}".casefold() in rounds_on:
        number += 1
    return f"{suggested} {number}"


def round_verdicts(
    name: str, on_date: str, at_time: str, *, stored: bool = False
) -> tuple[RoundEntry, list[Verdict]]:
    """REFUSE a round without a proper name, a real day or a time of day (as paper has
    it: ``1000``, ``10:00``; ``stored``: a round the file holds, HH:MM as stored)."""
    found = name_verdicts(name, "round", "the round's name")
    parsed: dict[str, str] = {}
    for field, text, parse in (
        ("on_date", on_date, fields.date),
        ("at_time", at_time, fields.stored_time if stored else fields.time_of_day),
    ):
        try:
            parsed[field] = parse(text)
        except ValueError as error:
            found.append(Verdict(field, str(error)))
            parsed[field] = ""
    return RoundEntry(name.strip(), parsed["on_date"], parsed["at_time"]), found


def name_taken_verdicts(name: str, other_round_names: Mapping[str, str]) -> list[Verdict]:
    """REFUSE a name another round of the visit has (case aside): the round a check
    belongs to must be plain from its name, in the figures and in the report.
    ``other_round_names`` maps the other rounds' names, case folded, to their names."""
    taken = other_round_names.get(name.strip().casefold())
    if taken is not None:
        return [Verdict("round", f"the visit already has a round named {taken!r}")]
    return []


def counted_once_verdicts(location: str, round_name: str, earlier: str | None) -> list[Verdict]:
    """REFUSE a second check of one location in one round (``earlier`` says where the
    first is: "line 3", "at 10:06"): each location counts once in a round."""
    if earlier is None:
        return []
    return [
        Verdict(
            "round",
            f"{location} is already counted in round {round_name} ({earlier}); edit that "
            "check, or replace it (--replace)",
        )
    ]


def day_verdicts(taken_at: str, round_name: str, round_day: str) -> list[Verdict]:
    """WARN of a check dated on another day than its round: typed from paper, a round
    picked from the list on the wrong day is the likely slip."""
    if not taken_at or not round_day or taken_at[:10] == round_day:
        return []
    return [
        Verdict(
            "taken_at",
            f"the check is dated {taken_at[:10]} but round {round_name} is on {round_day}",
            WARN,
        )
    ]


def default_moment(now: dt.datetime, dates: VisitDates) -> str:
    """When a new record happened, before anyone says otherwise: now when now is inside
    the visit, otherwise the visit's last day at this time of day (evidence typed up
    after the visit, from paper)."""
    moment = now.replace(second=0, microsecond=0).isoformat(timespec="minutes")
    if dates.holds(moment) or not dates.end:
        return moment
    return f"{dates.end}T{moment[11:16]}"


ROUND_LASTS_MINUTES = 120  # a check typed this long after its round's time is from paper


def check_moment(now_at: str, default_at: str, on_date: str, at_time: str) -> str:
    """When a check in a round happened, before anyone says otherwise: now, while the
    round is going on (its day, from its time to two hours after); otherwise the round's
    own day and time (a check typed up afterwards, from paper). A round without a day
    takes ``default_at`` (:func:`default_moment`)."""
    if not on_date:
        return default_at
    if not at_time:
        return now_at if now_at[:10] == on_date else f"{on_date}T{default_at[11:16]}"
    if now_at[:10] == on_date:
        since = _minutes(now_at[11:16]) - _minutes(at_time)
        if 0 <= since <= ROUND_LASTS_MINUTES:
            return now_at
    return f"{on_date}T{at_time}"


def _minutes(hh_mm: str) -> int:
    return int(hh_mm[:2]) * 60 + int(hh_mm[3:5])


def route(walks: Iterable[Sequence[str]], places: Sequence[str]) -> list[str]:
    """An inspector's route: the order they walk the locations (``places``, the visit's
    locations in the order they are listed), learned from the rounds they counted
    before (``walks``: each round's locations in the order its checks were typed, the
    earliest round first). Each location takes the place of its first count: a first
    round counted A to E, a second F to I, make the route A to I; a later round walked
    otherwise moves nothing. Locations never counted follow in the list's order."""
    live = set(places)
    learned: dict[str, None] = {}
    for walk in walks:
        for place in walk:
            if place in live:
                learned.setdefault(place, None)
    return [*learned, *(place for place in places if place not in learned)]


def next_on_route(
    walk: Sequence[str], counted: Collection[str], after: str | None = None
) -> str | None:
    """The first location after ``after`` on the route ``walk`` (from its start when
    ``after`` is not on it; wrapping round) not counted yet; None when every location is
    counted (the round is complete)."""
    if not walk:
        return None
    start = next((i + 1 for i, place in enumerate(walk) if place == after), 0)
    for offset in range(len(walk)):
        place = walk[(start + offset) % len(walk)]
        if place not in counted:
            return place
    return None


def passed_over(walk: Sequence[str], counted: Collection[str], walked: Sequence[str]) -> list[str]:
    """The locations an inspector passed over in a round: not counted yet, and on the
    route ``walk`` before the furthest they have got (``walked``: their checks in the
    round in the order typed; the route read from where they began it, so a walk begun
    at F wing passes over nothing by reaching A wing). Counting D wing after A wing
    passes over B and C wing. The next location offered is still the next on the route
    (:func:`next_on_route`: a wing locked down is counted at the end, and a sheet walked
    so goes on in route order), so these are said beside it, never silently left."""
    ring = list(walk)
    if walked and walked[0] in ring:
        at = ring.index(walked[0])
        ring = ring[at:] + ring[:at]
    reached = max((ring.index(place) for place in walked if place in ring), default=0)
    return [place for place in ring[:reached] if place not in counted]


def same_round_words(file: str, kept: tuple[str, str, str], other: tuple[str, str, str]) -> str:
    """WARN that two laptops started one round under two spellings or times (a round is
    known by its name, case aside: "Tue AM" and "Tue am" are one round, and their checks
    of one location one check). ``kept`` and ``other``: (name, day, time). The merge
    keeps the round as the file merged into had it, and says so, never quietly."""

    def shown(name: str, on_date: str, at_time: str) -> str:
        return f"{name!r} ({on_date} {at_time})"

    return (
        f"{file}: round {shown(*other)} is this visit's {shown(*kept)}, started on two "
        f"laptops: kept {kept[0]!r} (rename it: ctrl+r on F3, or irp-field rounds edit)"
    )
