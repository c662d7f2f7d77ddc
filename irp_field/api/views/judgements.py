"""The judgements as the team leader sees them: every judged unit, its reason, the
conclusion the report prints, and the Section 2 tallies and charts.

Pure Python over the store's reads and the tally the report prints (``judgement_tally.sentence``,
``judgement_tally.bars``), so the screen prints exactly what the report will.
"""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.core.visit_file import VisitFile
from irp_field.domain.plan import HMIP_SCALE, OFSTED_SCALE, Level, Scale
from irp_field.evidence import reads
from irp_field.findings import judgement_tally, outline
from irp_field.findings.sync import FindingsState, load


@dataclass(frozen=True)
class UnitRow:
    name: str  # "1.34" for a group, else the ref
    refs: tuple[str, ...]  # the plan items judged together
    area: str
    scale: Scale
    level: Level | None
    why: str
    conclusion: str  # the sentence the report prints ("" when not judged)


@dataclass(frozen=True)
class Board:
    units: list[UnitRow]
    tallies: list[str]  # one sentence per scale, in the report's words
    charts: list[str]  # text bars per scale, with n


def board_from(visit: VisitFile, state: FindingsState) -> Board:
    judged = {name.casefold(): j for name, j in reads.judgements(visit).items()}
    rows: list[UnitRow] = []
    for section in state.sections:
        for unit in section.units:
            found = judged.get(unit.name.casefold())
            rows.append(
                UnitRow(
                    unit.name,
                    tuple(item.ref for item in unit.items),
                    section.area,
                    unit.scale,
                    unit.level,
                    found.why if found else "",
                    unit.conclusion_text,
                )
            )
    tallies: list[str] = []
    bars: list[str] = []
    units = outline.units(state.sections)
    for scale in (HMIP_SCALE, OFSTED_SCALE):
        counts = judgement_tally.count(units, scale)
        if not counts.followed_up:
            continue
        tallies.append(judgement_tally.sentence(counts))
        chart = judgement_tally.chart(counts, scale.body)
        bars.append(f"{scale.body} (n={chart.n})\n{judgement_tally.bars(chart, width=20)}")
    return Board(rows, tallies, bars)


def board(visit: VisitFile) -> Board:
    return board_from(visit, load(visit))
