"""Section 2's tally of the judgements: the units counted per level, the sentence, and the
chart's data and its text bars.

One place for both readers: the report (``report.content``, ``report.charts``) and the
team leader's judgement board, so the screen prints exactly what the report will.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from irp_field.domain import wording
from irp_field.domain.plan import Scale
from irp_field.findings.outline import JudgedUnit


@dataclass(frozen=True)
class Chart:
    title: str
    note: str
    scale: str  # hmip or ofsted
    slices: tuple[tuple[str, int], ...]  # (level label, units), best first, every level
    n: int


@dataclass(frozen=True)
class Counts:
    """The units of one scale: how many were followed up, and how many judged at each level."""

    scale: Scale
    by_level: dict[str, int]  # level key -> units judged at it (levels with none are absent)
    followed_up: int

    @property
    def judged(self) -> int:
        return sum(self.by_level.values())


def count(units: Sequence[JudgedUnit], scale: Scale) -> Counts:
    """The units judged on ``scale``, counted per level (a group judged together counts once)."""
    by_level: dict[str, int] = {}
    mine = [u for u in units if u.scale.key == scale.key]
    for unit in mine:
        if unit.level is not None:
            by_level[unit.level.key] = by_level.get(unit.level.key, 0) + 1
    return Counts(scale, by_level, len(mine))


def units_word(scale: Scale, n: int) -> str:
    """ "two recommendations", "one theme", "no recommendations" (never "none
    recommendations": a count alone reads "none", one before a noun "no")."""
    amount = wording.number(n) if n else "no"
    return f"{amount} {scale.unit}{'' if n == 1 else 's'}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def tally(scale: Scale, counts: dict[str, int], followed_up: int) -> str:
    """Section 2's sentence: "HMI Prisons judged that there was good progress in two ..."."""
    judged = [(level, counts.get(level.key, 0)) for level in reversed(scale.levels)]
    judged = [(level, n) for level, n in judged if n]
    if not judged:
        return f"{scale.body} has not yet judged progress against any {scale.unit}."
    if len(judged) == 1 and judged[0][1] == followed_up and followed_up > 1:
        level, n = judged[0]
        progress = level.label.lower()
        return f"{scale.body} judged that there was {progress} in all {units_word(scale, n)}."
    parts = [f"{level.label.lower()} in {units_word(scale, n)}" for level, n in judged]
    return f"{scale.body} judged that there was {_join(parts)}."


def sentence(counts: Counts) -> str:
    """The tally sentence for one scale's counts."""
    return tally(counts.scale, counts.by_level, counts.followed_up)


def chart(counts: Counts, title: str, note: str = "") -> Chart:
    """The pie's data: every level of the scale, best first, with the units judged at it."""
    scale = counts.scale
    slices = tuple(
        (level.label, counts.by_level.get(level.key, 0)) for level in reversed(scale.levels)
    )
    return Chart(title, note, scale.key, slices, counts.judged)


def bars(chart: Chart, width: int = 30) -> str:
    """A bar per judgement, as plain text (in a code block, so the bars line up)."""
    most = max((n for _, n in chart.slices), default=0) or 1
    label_width = max(len(label) for label, _ in chart.slices)
    return "\n".join(
        f"{label:<{label_width}}  {'█' * round(width * n / most):<{width}}  {n}"
        for label, n in chart.slices
    )
