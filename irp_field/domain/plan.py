"""Plan items and their progress judgements on the HMIP and Ofsted scales."""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.domain.names import name_verdicts, text_verdicts
from irp_field.domain.scales import HMIP_SCALE as HMIP_SCALE
from irp_field.domain.scales import OFSTED_SCALE as OFSTED_SCALE
from irp_field.domain.scales import SCALES as SCALES
from irp_field.domain.scales import Level as Level
from irp_field.domain.scales import Scale as Scale
from irp_field.domain.verdicts import Verdict


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
