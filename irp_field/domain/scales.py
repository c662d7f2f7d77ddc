"""The HMIP and Ofsted scales of progress judgements, as data: each scale's levels, worst
first. Read by the plan's rules (``domain.plan``) and by the look for a judgement stored at
a level of no scale (``core.stored_forms``), which a file's first reading makes before the
overview's first frame, without the plan's rules."""

from __future__ import annotations

from dataclasses import dataclass


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
