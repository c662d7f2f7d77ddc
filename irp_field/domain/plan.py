"""Plan items and their progress judgements on the HMIP and Ofsted scales."""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.domain.names import name_verdicts, text_verdicts
from irp_field.domain.verdicts import Verdict


@dataclass(frozen=True)
class Level:
    """One progress judgement of a scale ("Good progress")."""

    key: str  # "good"
    label: str  # "Good progress"


@dataclass(frozen=True)
class Scale:
    """A body's scale of progress judgements, worst first."""

    key: str  # "hmip"
    body: str  # who judges on it
    unit: str  # "recommendation"
    levels: tuple[Level, ...]  # worst first

    def parse(self, text: str) -> Level:
        """A level from its label ("Good progress"), its words without "progress", or first word."""
        wanted = " ".join(text.replace("_", " ").split()).casefold()
        for level in self.levels:
            label = level.label.casefold()
            short = label.removesuffix(" progress")
            if wanted in (label, short, short.split()[0], level.key.replace("_", " ")):
                return level
        choices = ", ".join(level.label for level in self.levels)
        raise ValueError(
            f"{text!r} is not a judgement on the {self.body} scale; choose one of: {choices}"
        )

    def level(self, key: str) -> Level:
        for level in self.levels:
            if level.key == key:
                return level
        raise KeyError(key)


HMIP_SCALE = Scale(
    "hmip",
    "HMI Prisons",
    "recommendation",
    (
        Level("no_meaningful", "No meaningful progress"),
        Level("insufficient", "Insufficient progress"),
        Level("reasonable", "Reasonable progress"),
        Level("good", "Good progress"),
    ),
)
OFSTED_SCALE = Scale(
    "ofsted",
    "Ofsted",
    "theme",
    (
        Level("insufficient", "Insufficient progress"),
        Level("reasonable", "Reasonable progress"),
        Level("significant", "Significant progress"),
    ),
)
SCALES = {HMIP_SCALE.key: HMIP_SCALE, OFSTED_SCALE.key: OFSTED_SCALE}


def scale_for(kind: str) -> Scale:
    """Recommendations are judged on the HMIP scale, Ofsted themes on Ofsted's."""
    return OFSTED_SCALE if kind == "theme" else HMIP_SCALE


@dataclass(frozen=True)
class PlanItem:
    """A recommendation (HMIP) or theme (Ofsted) followed up at the visit."""

    id: str
    ref: str
    kind: str
    body: str
    area: str
    concern: str
    text: str
    group: str  # items with the same group are judged together and count once
    position: int

    @property
    def judged_unit(self) -> str:
        return self.group or self.ref

    @property
    def scale(self) -> Scale:
        return scale_for(self.kind)


@dataclass(frozen=True)
class Judgement:
    """The progress judgement of a plan item (or of the group judged together)."""

    unit: str
    scale: str
    level: str
    why: str
    by: str
    version: str


def judgement_verdicts(unit: str, scale: str, level: str, why: str) -> list[Verdict]:
    """A judgement as stored: REFUSE a unit that is no name, a scale that is not HMIP's or
    Ofsted's, a level that is not one of its scale's (empty: not judged yet) and a reason
    beyond the limits of text."""
    found = name_verdicts(unit, "unit", "the judged recommendation or group")
    chosen = SCALES.get(scale)
    if chosen is None:
        found.append(Verdict("scale", f"unknown scale {scale!r}; choose one of: hmip, ofsted"))
    elif level and level not in {known.key for known in chosen.levels}:
        choices = ", ".join(known.label for known in chosen.levels)
        found.append(
            Verdict(
                "level",
                f"{level!r} is not a judgement on the {chosen.body} scale; "
                f"choose one of: {choices}",
            )
        )
    return found + text_verdicts(why, "why", "the reason", required=False)
