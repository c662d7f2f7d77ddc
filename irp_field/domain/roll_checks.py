"""Roll checks: a count of one location at one moment."""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.domain.vocabulary import ROLL_CATEGORIES


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


def problems(counts: RollCounts) -> list[tuple[str, str]]:
    """(field, message) for counts that cannot be true: categories above the roll."""
    found: list[tuple[str, str]] = []
    for name in ("roll", *ROLL_CATEGORIES):
        if getattr(counts, name) < 0:
            found.append((name, f"{name} cannot be negative"))
    if counts.accounted > counts.roll:
        found.append(
            (
                "roll",
                f"the categories add up to {counts.accounted}, more than the roll of {counts.roll}",
            )
        )
    return found


@dataclass(frozen=True)
class RollCheck:
    id: str
    taken_at: str
    location: str
    counts: RollCounts
    round: str
    inspector: str
    note: str
    created_by: str


def round_key(round_label: str, taken_at: str) -> str:
    """A round is its label, or else the date and hour of the check."""
    return round_label or taken_at[:13]
