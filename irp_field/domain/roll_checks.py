"""Roll checks: a count of one location at one moment, and the rules its counts obey.

The rules, applied alike by the import, the roll-check screen, the API, ``check`` and
the merge (each one here, once):

- a count is a whole number, never negative (REFUSE);
- the categories (locked up, off-wing activity, wing work, unlocked on the wing,
  elsewhere) add up to at most the roll (REFUSE: nobody is in two places);
- people on the roll in no category need a note saying why (REFUSE without one: the
  share locked up would rest on people nobody saw);
- a roll above the location's capacity is said (WARN: crowding happens, typos too);
- a note holds no character a document cannot hold (REFUSE: ``names``).
"""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.domain.names import character_verdicts
from irp_field.domain.verdicts import WARN, Verdict
from irp_field.domain.vocabulary import ROLL_CATEGORIES

COUNT_FIELDS = ("roll", *ROLL_CATEGORIES)


@dataclass(frozen=True)
class RollCounts:
    roll: int
    locked_up: int
    off_wing_activity: int
    wing_work: int
    unlocked_on_wing: int
    elsewhere: int

    @property
    def accounted(self) -> int:
        return sum(getattr(self, name) for name in ROLL_CATEGORIES)

    @property
    def unaccounted(self) -> int:
        return self.roll - self.accounted


def count_verdicts(counts: RollCounts) -> list[Verdict]:
    """REFUSE negative counts and categories that add up to more than the roll."""
    found = [
        Verdict(name, f"{name.replace('_', ' ')} cannot be negative")
        for name in COUNT_FIELDS
        if getattr(counts, name) < 0
    ]
    if counts.accounted > counts.roll:
        found.append(
            Verdict(
                "roll",
                f"the categories add up to {counts.accounted}, more than the roll of {counts.roll}",
            )
        )
    return found


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


def verdicts(
    counts: RollCounts, note: str, capacity: int | None = None, location: str = "the location"
) -> list[Verdict]:
    """Every roll-check rule on one check (not its date: see ``visit.date_verdicts``)."""
    found = count_verdicts(counts)
    if not found:
        found = note_verdicts(counts, note)
    return found + capacity_verdicts(counts, capacity, location)


def fine(
    roll: int,
    locked_up: int,
    off_wing_activity: int,
    wing_work: int,
    unlocked_on_wing: int,
    elsewhere: int,
    capacity: int | None,
) -> bool:
    """True when no rule has anything to say: the fast path of the import and of
    ``check`` for their millions of rows (the same rules as :func:`verdicts`, which they
    call for any other row). The counts come one by one, not as :class:`RollCounts`:
    this runs once per row, and building an object per row would cost more than the
    rules themselves."""
    return (
        locked_up >= 0
        and off_wing_activity >= 0
        and wing_work >= 0
        and unlocked_on_wing >= 0
        and elsewhere >= 0
        and locked_up + off_wing_activity + wing_work + unlocked_on_wing + elsewhere == roll
        and (capacity is None or roll <= capacity)
    )
