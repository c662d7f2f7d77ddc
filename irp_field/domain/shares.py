"""A share (locked up over the roll, a category over the roll, days under two hours
over the days, yes over the answers that apply): the one definition every figure, the
roll-check form, a round's row and the analysts' tables use; and the rounds a range of
shares is of, the whole ones (``whole``).

A share of nothing counted is no share at all (None; NULL in SQL), never 0%: a round
with no roll says nothing about who was locked up. The analysts' tables hold fractions
from 0 to 1 rounded to four places, as the figures' values are before they are worded.
"""

from __future__ import annotations

ANALYST_PLACES = 4  # decimal places of a share in the analysts' tables (0.4012)


def share(part: float | None, whole: float | None) -> float | None:
    """``part`` over ``whole``; None when ``whole`` is nothing (0 or unknown)."""
    return (part or 0) / whole if whole else None


def share_sql(part: str, whole: str) -> str:
    """The same share as an SQL expression over ``part`` and ``whole`` (SQL text, such
    as ``SUM(r.locked_up)``), rounded for the analysts' tables; NULL over nothing."""
    return f"ROUND(1.0 * {part} / NULLIF({whole}, 0), {ANALYST_PLACES})"


def whole(counted: int, locations: int) -> bool:
    """Is a round a whole-prison check: every location of the visit counted in it? Only
    a whole round is comparable with another, so only whole rounds make the range a
    report quotes ("between 34% and 44%"): a round half typed, or one wing counted
    alone, set its top (the pooled share still counts every check). The roll-check
    screen calls a round complete by the same rule, and offers a new one after it.
    ``counted``: the visit's locations (not deleted) counted in the round; ``locations``:
    how many the visit has. (Here, beside the share, rather than with the rounds' rules:
    the figures read it without loading the rules of typing a round and its day.)"""
    return locations > 0 and counted >= locations


def whole_sql(counted: str, locations: str) -> str:
    """The same question as an SQL expression (1 or 0) over ``counted`` and
    ``locations`` (SQL text): the analysts' ``locked_up_by_round.whole``."""
    return f"({locations} > 0 AND {counted} >= {locations})"
