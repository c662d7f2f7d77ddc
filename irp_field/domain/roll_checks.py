"""Roll checks: a count of one location at one moment, and the rules its counts obey.

The rules, applied alike by the import, the roll-check screen, the API, ``check`` and
the merge (each one here, once):

- a count is a whole number, never negative (REFUSE);
- the categories (``roll_categories``: locked up, off-wing activity, ...) add up to at
  most the roll (REFUSE: nobody is in two places);
- people on the roll in no category need a note saying why (REFUSE without one: the
  share locked up would rest on people nobody saw);
- a roll above the location's capacity is said (WARN: crowding happens, typos too);
- a note holds no character a document cannot hold (REFUSE: ``names``);
- a check dated outside the visit is asked about (CONFIRM: ``visit.date_verdicts``), one
  dated on another day than its round is said (WARN: ``rounds.day_verdicts``);
- its inspector is on the visit's team (REFUSE; WARN of a stored check:
  ``recorders.recorder_verdicts``, every kind's).

:func:`verdicts` combines them for one check: every path calls it (the import and
``check`` ask :func:`fine` first, their fast path for the rows nothing is wrong with).
What needs the visit file (a location counted once in a round, a location the visit
has) is the paths' own, as a look-up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from irp_field.domain import fields
from irp_field.domain.names import character_verdicts
from irp_field.domain.recorders import recorder_verdicts
from irp_field.domain.roll_categories import FIRST_SCHEMA, counts
from irp_field.domain.rounds import day_verdicts
from irp_field.domain.verdicts import WARN, Verdict
from irp_field.domain.visit import VisitDates, date_verdicts
from irp_field.domain.vocabulary import ROLL_CATEGORIES

COUNT_FIELDS = tuple(count.name for count in counts())
_AT = {name: at for at, name in enumerate(COUNT_FIELDS)}
# The counts a caller may leave out: categories added after the first schema (a caller
# written before one, a script or a test, gives the counts it knew; the new one is 0, as
# in a file made before its column).
_LATER = frozenset(count.name for count in counts() if count.since > FIRST_SCHEMA)


class RollCounts:
    """The roll and its categories (``roll_categories``, in order), by position
    (``RollCounts(126, 54, 18, 18, 33, 3)``) or by name (``RollCounts(**values)``); each
    read by name (``counts.locked_up``). Immutable and compared by value, as the frozen
    dataclass it replaces: its fields are the registry's, not spelled out here."""

    __slots__ = ("_values",)
    _values: tuple[int, ...]

    def __init__(self, roll: int, *categories: int, **named: int) -> None:
        given = dict(zip(COUNT_FIELDS, (roll, *categories), strict=False))
        if len(categories) >= len(COUNT_FIELDS) or given.keys() & named.keys():
            raise TypeError(f"RollCounts takes {', '.join(COUNT_FIELDS)}, each once")
        unknown = named.keys() - _AT.keys()
        if unknown:
            raise TypeError(f"RollCounts has no count {sorted(unknown)[0]!r}")
        given.update(named)
        missing = [name for name in COUNT_FIELDS if name not in given and name not in _LATER]
        if missing:
            raise TypeError(f"RollCounts lacks {', '.join(missing)}")
        object.__setattr__(self, "_values", tuple(given.get(name, 0) for name in COUNT_FIELDS))

    def __getattr__(self, name: str) -> int:
        at = _AT.get(name)
        if at is None:
            raise AttributeError(f"RollCounts has no count {name!r}")
        return self._values[at]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("RollCounts is immutable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RollCounts) and self._values == other._values

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(COUNT_FIELDS, self._values, strict=True))
        return f"RollCounts({shown})"

    def __reduce__(self) -> tuple[type[RollCounts], tuple[int, ...]]:
        return RollCounts, self._values

    @property
    def values(self) -> tuple[int, ...]:
        """The counts in ``COUNT_FIELDS`` order: the roll, then each category."""
        return self._values

    @property
    def accounted(self) -> int:
        return sum(self._values[1:])

    @property
    def unaccounted(self) -> int:
        return self._values[0] - self.accounted


def count_verdicts(counts: RollCounts) -> list[Verdict]:
    """REFUSE negative counts and categories that add up to more than the roll."""
    found = [
        Verdict(name, f"{name.replace('_', ' ')} cannot be negative")
        for name in COUNT_FIELDS
        if getattr(counts, name) < 0
    ]
    found += [
        Verdict(name, f"{name.replace('_', ' ')} is above {fields.MOST:,}")
        for name in COUNT_FIELDS
        if getattr(counts, name) > fields.MOST
    ]
    if counts.accounted > counts.roll:
        found.append(
            Verdict(
                "roll",
                f"the categories add up to {counts.accounted}, more than the roll of {counts.roll}",
            )
        )
    return found


def stored_count_verdicts(counts: Sequence[Any]) -> list[Verdict]:
    """REFUSE a count a file holds that is no whole number (text, a fraction, bytes: a
    hand or another program wrote it), in the import's words (``fields.whole_number``:
    the import refuses such a cell as it reads it, and no screen can type one). The other
    count rules say nothing of such a check's sums: :func:`as_judged` reads each such
    count as 0, and :func:`judged_apart` leaves out what they would say of it."""
    return [
        Verdict(name, f"{name.replace('_', ' ')} must be a whole number, not {fields.held(value)}")
        for name, value in zip(COUNT_FIELDS, counts, strict=True)
        if type(value) is not int
    ]


def as_judged(counts: Sequence[Any]) -> RollCounts:
    """A file's counts as the rules judge them: a count no whole number as 0."""
    return RollCounts(*(value if type(value) is int else 0 for value in counts))


def judged_apart(found: Sequence[Verdict], unread: Sequence[Verdict]) -> list[Verdict]:
    """``found`` less what the count rules say of counts ``unread`` names
    (:func:`stored_count_verdicts`): of that count, of the categories' sum, and of the
    note (whose rules ask the counts to hold, :func:`counts_verdicts`)."""
    if not unread:
        return list(found)
    left_out = {verdict.field for verdict in unread} | {"roll", "note"}
    return [verdict for verdict in found if verdict.field not in left_out]


def over_the_roll(counts: RollCounts) -> tuple[str, str] | None:
    """The category whose running total first passes the roll, and why: the same rule
    as :func:`count_verdicts`, told beside the field being typed."""
    running = 0
    for name in ROLL_CATEGORIES:
        running += getattr(counts, name)
        if running > counts.roll:
            return name, f"takes the total to {running}, above the roll of {counts.roll}"
    return None


def note_verdicts(counts: RollCounts, note: str) -> list[Verdict]:
    """REFUSE people on the roll in no category when no note says why, and a note holding
    a character no document can hold."""
    if counts.unaccounted > 0 and not note.strip():
        return [Verdict("note", f"{counts.unaccounted} unaccounted for: say why in a note")]
    return character_verdicts(note, "note", "the note")


def capacity_verdicts(counts: RollCounts, capacity: int | None, location: str) -> list[Verdict]:
    """WARN of a roll above the location's capacity."""
    if capacity is not None and counts.roll > capacity:
        return [
            Verdict(
                "roll",
                f"a roll of {counts.roll} is above {location}'s capacity of {capacity}",
                WARN,
            )
        ]
    return []


def counts_verdicts(
    counts: RollCounts, note: str, capacity: int | None = None, location: str = "the location"
) -> list[Verdict]:
    """The rules on a check's counts and note: its counts (:func:`count_verdicts`), its
    note (when the counts hold) and its location's capacity."""
    found = count_verdicts(counts)
    if not found:
        found = note_verdicts(counts, note)
    return found + capacity_verdicts(counts, capacity, location)


@dataclass(frozen=True)
class RollCheck:
    """One check as a path holds it (typed, imported, read back from a file)."""

    counts: RollCounts
    taken_at: str = ""  # YYYY-MM-DDTHH:MM; "" when it could not be read (said elsewhere)
    note: str = ""
    inspector: str = ""


@dataclass(frozen=True)
class RollCheckContext:
    """What the rules need to know of the visit around one check."""

    dates: VisitDates
    team: Mapping[str, str] = field(default_factory=dict)  # casefolded name -> name
    capacity: int | None = None
    location: str = "the location"
    round_name: str = ""
    round_day: str = ""  # YYYY-MM-DD of the check's round; "" when it has none yet
    stored: bool = False  # a check the file holds (``check``, a merge)


def verdicts(check: RollCheck, context: RollCheckContext) -> list[Verdict]:
    """Every roll-check rule on one check, as every path applies them."""
    found = counts_verdicts(check.counts, check.note, context.capacity, context.location)
    found += date_verdicts(check.taken_at, context.dates, "taken_at")
    found += day_verdicts(check.taken_at, context.round_name, context.round_day)
    return found + recorder_verdicts(
        "roll_check", check.inspector, context.team, stored=context.stored
    )


def fine(counts: Sequence[int], capacity: int | None) -> bool:
    """True when the counts (the roll, then each category, in ``COUNT_FIELDS`` order)
    are whole numbers no rule has anything to say of: the fast path of the import and
    of ``check`` for their millions of rows (the same rules as :func:`counts_verdicts`;
    they ask :func:`verdicts` of any other row, where a count that is no whole number is
    refused, and of a row whose date, round or inspector the cheap look-ups doubt). The
    counts come as the plain sequence the caller holds, not as :class:`RollCounts`:
    this runs once per row, and building an object per row would cost more than the
    rules themselves."""
    try:
        roll, total = counts[0], sum(counts)
        # the categories add up to the roll exactly when all the counts add up to twice
        # it (no slice built per row); a float anywhere makes the total a float, text or
        # NULL raises
        return (
            type(total) is int
            and total == 2 * roll
            and min(counts) >= 0
            and roll <= fields.MOST  # then so is each category: they add up to it
            and (capacity is None or roll <= capacity)
        )
    except TypeError:
        return False
