"""What the report says, as a list of blocks that the Markdown, HTML and DOCX writers lay out.

Sections follow the published IRP reports: Section 1 the Chief Inspector's summary
(``front.py``), Section 2 key findings (the tally sentences, the charts and notable
positive practice), Section 3 findings by area with numbered paragraphs, the generated
conclusions and the photographs attached to them, Section 4 the summary of judgements,
Appendix I about the report and the team, Appendix II the glossary and the back page
(``appendix.py``). Figures are numbered in the order they appear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from irp_field.domain.plan import HMIP_SCALE, OFSTED_SCALE
from irp_field.findings import judgement_tally, outline
from irp_field.findings.sync import FindingsState
from irp_field.report import appendix, front
from irp_field.report.blocks import (
    CHART_NOTE,
    Block,
    FigureNumbers,
    Heading,
    JudgementsTable,
    Report,
    Text,
)
from irp_field.report.blocks import Chart as Chart
from irp_field.report.blocks import OutcomesTable as OutcomesTable
from irp_field.report.blocks import PageBreak as PageBreak
from irp_field.report.blocks import Photograph as Photograph
from irp_field.report.blocks import Team as Team
from irp_field.report.inputs import ReportInput
from irp_field.report.photographs import Photographs

__all__ = [
    "Block",
    "Chart",
    "Heading",
    "JudgementsTable",
    "OutcomesTable",
    "PageBreak",
    "Photograph",
    "Report",
    "Team",
    "Text",
    "build",
    "stale_advice",
    "stale_summary",
    "stale_warning",
    "visit_dates",
]


def visit_dates(start: str, end: str) -> str:
    """ "14–16 March 2022", "28 February – 2 March 2022", as the report's cover prints them."""
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        return "–".join(d for d in (start, end) if d)
    if first == last:
        return f"{first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    return f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"


def _month_year(date_text: str) -> str:
    try:
        return f"{dt.date.fromisoformat(date_text):%B %Y}"
    except ValueError:
        return ""


OFSTED_INTRO = (
    "This part of the report is written by Ofsted inspectors. Ofsted's thematic approach reflects "
    "the monitoring visit methodology used for further education and skills providers. The themes "
    "set out the main areas for improvement in the prison's previous inspection report or progress "
    "monitoring visit letter."
)


# Sections 3 and 4 of a visit whose plan is still empty (a draft made on the first day).
NOTHING_FOLLOWED_UP = "No recommendation or theme is in the visit's plan yet."


def _full_stop(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _section_2(
    units: list[outline.JudgedUnit], when: str, year: str, numbers: FigureNumbers
) -> list[Block]:
    """Key findings: what was followed up, the tally sentences, and the charts."""
    hmip = judgement_tally.count(units, HMIP_SCALE)
    ofsted = judgement_tally.count(units, OFSTED_SCALE)
    inspection = f"our most recent inspection in {when}" if when else "our most recent inspection"
    blocks: list[Block] = [Heading(2, "Section 2 Key findings", "section-2")]
    units_word = judgement_tally.units_word
    followed = (
        f"At this IRP visit, we followed up {units_word(HMIP_SCALE, hmip.followed_up)} "
        f"from {inspection}"
    )
    if ofsted.followed_up:
        followed += (
            f" and Ofsted followed up {units_word(OFSTED_SCALE, ofsted.followed_up)} based "
            "on their latest inspection or progress monitoring visit to the prison, "
            "whichever was most recent"
        )
    blocks.append(Text(f"{followed}.", number="2.1"))
    blocks.append(Text(judgement_tally.sentence(hmip), number="2.2"))
    from_year = f" from {year} inspection" if year else ""
    title = f"Progress on HMI Prisons recommendations{from_year} (n={hmip.judged})"
    blocks.append(_tally_figure(hmip, title, numbers, CHART_NOTE))
    if ofsted.followed_up:
        blocks.append(Text(judgement_tally.sentence(ofsted)))
        title = f"Progress on Ofsted themes{from_year} (n={ofsted.judged})."
        blocks.append(_tally_figure(ofsted, title, numbers))
    return blocks


def _tally_figure(
    counts: judgement_tally.Counts, title: str, numbers: FigureNumbers, note: str = ""
) -> Block:
    """The pie of a scale's judgements; before any is judged, a sentence in its place (a
    pie of nothing says nothing) that takes no figure number: the next figure is numbered
    as if it were the first, and no text names a figure that is not there."""
    if not counts.judged:
        unit = counts.scale.unit
        return Text(
            f"No {unit}s judged yet: the chart of progress against them appears here "
            f"once the first {unit} is judged."
        )
    return judgement_tally.chart(counts, f"Figure {numbers.next()}: {title}", note)


def _section_3(findings: FindingsState, year: str, photographs: Photographs) -> list[Block]:
    blocks: list[Block] = [
        Heading(
            2,
            "Section 3 Progress against the key concerns and recommendations and Ofsted themes",
            "section-3",
        ),
        Text(
            "The following provides a brief description of our findings in relation to each "
            f"recommendation followed up from the full inspection{' in ' + year if year else ''}. "
            "The reference numbers at the end of each recommendation refer to the paragraph "
            "location in the full inspection report."
        ),
    ]
    add = blocks.append
    if not findings.sections:
        add(Text(NOTHING_FOLLOWED_UP))  # the introduction promises a list: say it is empty
    texts = {p.paragraph.number: p.report_text for p in findings.paragraphs}
    for section in findings.sections:
        add(Heading(3, section.area))
        if any(unit.scale.key == OFSTED_SCALE.key for unit in section.units):
            add(Text(OFSTED_INTRO))
        last_concern = ""
        for unit in section.units:
            for item in unit.items:
                if item.kind == "theme":
                    add(Text(_full_stop(item.text), lead=f"{item.ref}:"))
                    continue
                if item.concern and item.concern != last_concern:
                    add(Text(item.concern, lead="Concern:"))
                    last_concern = item.concern
                add(Text(f"{item.text} ({item.ref})", lead="Recommendation:"))
            held: list[Block] = []  # the last paragraph's photographs wait for the conclusion
            for paragraph in unit.paragraphs:
                if paragraph.is_conclusion:
                    add(Text(unit.conclusion_text, number=paragraph.number, kind="conclusion"))
                    continue
                blocks.extend(held)
                add(Text(texts[paragraph.number], number=paragraph.number))
                assert paragraph.finding is not None
                held = list(photographs.of(paragraph.finding.id))
            blocks.extend(held)
    return blocks


def _section_4(units: list[outline.JudgedUnit]) -> list[Block]:
    blocks: list[Block] = [
        Heading(2, "Section 4 Summary of judgements", "section-4"),
        Text(
            "A list of the HMI Prisons recommendations and Ofsted themes followed up at this "
            "visit and the judgements made."
        ),
    ]
    if not units:
        blocks.append(Text(NOTHING_FOLLOWED_UP))
    for scale, heading in (
        (HMIP_SCALE, "HMI Prisons recommendations"),
        (OFSTED_SCALE, "Ofsted themes"),
    ):
        mine = [u for u in units if u.scale.key == scale.key]
        if not mine:
            continue
        blocks.append(Heading(3, heading))
        rows = tuple(
            (item.text, unit.level.label if unit.level else "Not yet judged")
            for unit in mine
            for item in unit.items
        )
        item = "Recommendation" if scale.key == HMIP_SCALE.key else "Theme"
        blocks.append(JudgementsTable(heading, item, rows))
    return blocks


def build(given: ReportInput) -> Report:
    """The report's blocks from what ``inputs.load`` read (or a test built): no visit."""
    findings, parts, photographs = given.findings, given.parts, given.photographs
    report = Report(
        title=f"Report on an independent review of progress at {given.establishment}",
        establishment=given.establishment,
        dates=visit_dates(given.start_date, given.end_date),
        stale=[p.paragraph.number for p in findings.stale],
        author=given.author,
    )
    units = outline.units(findings.sections)
    when = _month_year(given.previous_inspection)
    year = when.split()[-1] if when else ""
    numbers = FigureNumbers()
    report.blocks += front.section_1(given.establishment, findings, parts, photographs, numbers)
    report.blocks += _section_2(units, when, year, numbers)
    report.blocks += front.positive_practice(findings, parts, photographs)
    report.blocks += _section_3(findings, year, photographs)
    report.blocks += _section_4(units)
    has_ofsted = any(unit.scale.key == OFSTED_SCALE.key for unit in units)
    report.blocks += appendix.appendix_1(parts, given.team, has_ofsted)
    report.blocks += appendix.glossary(report.blocks, parts)
    report.blocks += appendix.back_page(parts)
    return report


def stale_summary(numbers: list[str]) -> str:
    """Which paragraphs are out of date, without what to do about it (each face says
    that in its own keys or commands)."""
    shown = ", ".join(numbers[:12]) + (
        f" and {len(numbers) - 12} more" if len(numbers) > 12 else ""
    )
    return (
        f"Out of date: {len(numbers)} paragraph{'s' if len(numbers) != 1 else ''} ({shown}) "
        "changed or quote evidence that changed since the last sync."
    )


def _backquoted(command: str) -> str:
    return f"`{command}`"


def stale_advice(command: Callable[[str], str] = _backquoted) -> str:
    """What to do about out-of-date paragraphs, the command marked as each writer marks
    code (Markdown: backquotes, written as they are, never escaped; HTML: ``<code>``)."""
    return (
        f"Run {command('irp-field sync')}, review them, and make the report again (or use --sync)."
    )


def stale_warning(numbers: list[str]) -> str:
    return stale_summary(numbers) + " " + stale_advice()
