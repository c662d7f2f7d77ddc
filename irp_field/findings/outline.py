"""The shape of Section 3: areas, judged units, and numbered paragraphs 3.1, 3.2, ...

Paragraphs are numbered across the report in the report's order of areas, then the
plan's order. A group of recommendations judged together (Hull's 1.34a and 1.34b) is
one unit: its paragraphs follow all its recommendations, and its last numbered
paragraph is the conclusion sentence generated from the judgement (never stored as
text), so written paragraphs skip the number the conclusion takes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from irp_field.domain.plan import SCALES, Judgement, Level, PlanItem, Scale, scale_for
from irp_field.findings.paragraphs import Finding
from irp_field.findings.placed import Unread

SECTION = 3


@dataclass(frozen=True)
class Paragraph:
    number: str  # "3.39"
    unit: str  # the judged unit: a ref, or a group name
    ref: str  # the plan item it is filed under (a group's first item)
    finding: Finding | None  # None for the generated conclusion

    @property
    def is_conclusion(self) -> bool:
        return self.finding is None


@dataclass
class JudgedUnit:
    name: str  # "1.34" for a group, else the ref
    items: list[PlanItem]
    scale: Scale
    level: Level | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    conclusion_text: str = ""

    @property
    def first(self) -> PlanItem:
        return self.items[0]

    @property
    def written(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if not p.is_conclusion]


@dataclass
class AreaSection:
    area: str
    units: list[JudgedUnit]


def split_number(number: str) -> tuple[int, int]:
    """A paragraph number's section and paragraph as numbers ("3.10": 3, 10): as text a
    spreadsheet reads "3.10" as 3.1, the same as "3.1"."""
    section, _, paragraph = number.partition(".")
    return int(section), int(paragraph)


def conclusion(scale: Scale, level: Level, members: int) -> str:
    """The closing sentence in the report's words."""
    progress = level.label[0].lower() + level.label[1:]
    if scale.key == "ofsted":
        return f"Ofsted considered that the prison had made {progress} against this theme."
    against = "these recommendations" if members > 1 else "this recommendation"
    return f"We considered that the prison had made {progress} against {against}."


def _level(
    unit: str, scale: Scale, judgements: Mapping[str, Judgement]
) -> tuple[Scale, Level | None]:
    wanted = unit.casefold()
    for name, judgement in judgements.items():
        if name.casefold() == wanted and judgement.level:
            judged_on = SCALES.get(judgement.scale, scale)
            try:
                return judged_on, judged_on.level(judgement.level)
            except KeyError:
                return scale, None  # a level this program does not know: shown as not judged
    return scale, None


def build(
    items: Sequence[PlanItem],
    findings: Sequence[Finding],
    judgements: Mapping[str, Judgement],
    unread: Mapping[str, Unread] | None = None,
) -> list[AreaSection]:
    """Areas in report order, each with its judged units and their numbered paragraphs.
    ``unread`` (by plan item id): paragraphs counted but not read, before and after an
    item's ``findings``; they take their numbers and are not listed."""
    units: dict[str, JudgedUnit] = {}
    sections: list[AreaSection] = []
    for item in items:  # already in report order (area, then plan position)
        key = item.judged_unit.casefold()
        if key in units:
            units[key].items.append(item)
            continue
        scale, level = _level(item.judged_unit, scale_for(item.kind), judgements)
        unit = JudgedUnit(item.judged_unit, [item], scale, level)
        units[key] = unit
        if not sections or sections[-1].area != item.area:
            sections.append(AreaSection(item.area, []))
        sections[-1].units.append(unit)
    by_item: dict[str, list[Finding]] = {}
    for finding in findings:
        by_item.setdefault(finding.plan_item_id, []).append(finding)
    counted = unread or {}
    nothing = Unread(0)
    counter = 0
    for section in sections:
        for unit in section.units:
            # Findings filed under any member belong to the group, in member order.
            for item in unit.items:
                skipped = counted.get(item.id, nothing)
                counter += skipped.before
                for finding in sorted(by_item.get(item.id, []), key=lambda f: (f.position, f.id)):
                    counter += 1
                    unit.paragraphs.append(
                        Paragraph(f"{SECTION}.{counter}", unit.name, unit.first.ref, finding)
                    )
                counter += skipped.after
            if unit.level is not None:
                counter += 1
                unit.conclusion_text = conclusion(unit.scale, unit.level, len(unit.items))
                unit.paragraphs.append(
                    Paragraph(f"{SECTION}.{counter}", unit.name, unit.first.ref, None)
                )
    return sections


def paragraphs(sections: Sequence[AreaSection]) -> list[Paragraph]:
    return [p for section in sections for unit in section.units for p in unit.paragraphs]


def units(sections: Sequence[AreaSection]) -> list[JudgedUnit]:
    return [unit for section in sections for unit in section.units]


def numbers(sections: Sequence[AreaSection]) -> dict[str, str]:
    """Every numbered paragraph's number, by its finding id (a conclusion by its unit's
    name after "conclusion:"): what ``renumbered`` compares before and after a change."""
    return {
        (p.finding.id if p.finding is not None else f"conclusion:{p.unit}"): p.number
        for p in paragraphs(sections)
    }


def renumbered(before: Mapping[str, str], after: Mapping[str, str], leave: str = "") -> str:
    """The paragraphs a change renumbered, in words ("3.1-3.57 are now 3.2-3.58": short
    enough for F7's one line of message at 80 columns),
    or "" when none was: an add, a move or a delete shifts those after (or between) by
    one, so a team leader's cross-reference ("see paragraph 3.7") can be put right.
    ``leave``: the paragraph added or moved itself (said apart)."""
    changed = [
        (before[key], number)
        for key, number in after.items()
        if key != leave and key in before and before[key] != number
    ]
    if not changed:
        return ""
    changed.sort(key=lambda pair: split_number(pair[0]))
    (first_old, first_new), (last_old, last_new) = changed[0], changed[-1]
    if len(changed) == 1:
        return f"{first_old} is now {first_new}"
    return f"{first_old}-{last_old} are now {first_new}-{last_new}"
