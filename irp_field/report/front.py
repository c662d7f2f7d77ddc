"""Section 1, the Chief Inspector's summary, and notable positive practice (Section 2).

The summary's paragraphs are the visit's (written like findings, synced like them);
Figure 1, the previous inspections' healthy prison outcomes, follows the paragraph
the ``outcomes_after`` part names (Hull's 1.2), and the signature closes the section.
Notable positive practice opens with its definition (2.3), then the visit's own
paragraphs, or, when it has none, the ``practice_none`` text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from irp_field.domain import report_parts as rules
from irp_field.domain.vocabulary import HEALTHY_PRISON_TESTS
from irp_field.findings.report_parts import GlossaryTerm, Outcome
from irp_field.findings.summary import practice_start
from irp_field.findings.sync import FindingsState, RenderedParagraph
from irp_field.report.blocks import Block, FigureNumbers, Heading, OutcomesTable, Text
from irp_field.report.photographs import Photographs


@dataclass
class Parts:
    """The standing texts as the report prints them (rendered with the visit's figures),
    the glossary and the previous outcomes (read by ``report.inputs``)."""

    texts: dict[str, str] = field(default_factory=dict)
    glossary: list[GlossaryTerm] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def text(self, key: str) -> str:
        return self.texts.get(key, "").strip()


def _written(findings: FindingsState, section: str) -> list[RenderedParagraph]:
    return [p for p in findings.paragraphs if p.paragraph.unit == section]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def figure_1(establishment: str, outcomes: list[Outcome], number: int) -> list[Block]:
    years = tuple(sorted({o.year for o in outcomes}))
    judged = {(o.year, o.test): o.judgement for o in outcomes}
    rows = tuple(
        (test, tuple(judged.get((year, test), "") for year in years))
        for test in HEALTHY_PRISON_TESTS
    )
    caption = f"Figure {number}: {establishment} healthy prison outcomes in {_and(list(years))}"
    return [OutcomesTable(years, rows, caption)]


# Section 1 before its paragraphs are written (a draft made during the visit): the report
# keeps the published shape, and a reader sees what is still to come.
SUMMARY_NOT_WRITTEN = "The Chief Inspector's summary is not written yet."


def section_1(
    establishment: str,
    findings: FindingsState,
    parts: Parts,
    photographs: Photographs,
    numbers: FigureNumbers,
) -> list[Block]:
    written = _written(findings, rules.SUMMARY)
    blocks: list[Block] = [Heading(2, "Section 1 Chief Inspector's summary", "section-1")]
    if not written and not parts.outcomes:  # a draft: the section said empty, not missing
        return [*blocks, Text(SUMMARY_NOT_WRITTEN)]
    outcomes = figure_1(establishment, parts.outcomes, numbers.next()) if parts.outcomes else []
    after = parts.text("outcomes_after")
    if outcomes and not any(p.paragraph.number == after for p in written):
        after = written[-1].paragraph.number if written else ""
        if not written:
            blocks += outcomes
    for shown in written:
        blocks.append(Text(shown.report_text, number=shown.paragraph.number))
        assert shown.paragraph.finding is not None
        blocks += photographs.of(shown.paragraph.finding.id)
        if shown.paragraph.number == after:
            blocks += outcomes
    blocks += [
        Text(parts.text(key), kind="signature")
        for key in ("signature_name", "signature_title", "signature_date")
        if parts.text(key)
    ]
    return blocks


def positive_practice(
    findings: FindingsState, parts: Parts, photographs: Photographs
) -> list[Block]:
    definition = parts.text("practice_definition")
    written = _written(findings, rules.PRACTICE)
    none_found = parts.text("practice_none")
    if not (definition or written or none_found):
        return []
    blocks: list[Block] = [Heading(3, "Notable positive practice")]
    first = practice_start(definition)
    if definition:
        blocks.append(Text(definition, number=f"2.{first - 1}"))
    for shown in written:
        blocks.append(Text(shown.report_text, number=shown.paragraph.number))
        assert shown.paragraph.finding is not None
        blocks += photographs.of(shown.paragraph.finding.id)
    if not written and none_found:
        blocks.append(Text(none_found, number=f"2.{first}"))
    return blocks
