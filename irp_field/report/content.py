"""What the report says, as a list of blocks that the Markdown, HTML and DOCX writers lay out.

Sections follow the published IRP reports: Section 2 key findings (the tally sentences
and Figures 2 and 3), Section 3 findings by area with numbered paragraphs and the
generated conclusions, Section 4 the summary of judgements, and the team appendix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from irp_field.core.visit_file import VisitFile
from irp_field.domain.plan import HMIP_SCALE, OFSTED_SCALE
from irp_field.evidence import reads
from irp_field.findings import outline, tally
from irp_field.findings import paragraphs as finding_store
from irp_field.findings.sync import FindingsState

# Figures 2 and 3 are blocks of the report too; their data is the tally's (one place for the
# report and the judgement board), and the writers take every block type from here.
from irp_field.findings.tally import Chart as Chart


@dataclass(frozen=True)
class Heading:
    level: int  # 1 title, 2 section, 3 area or sub-heading
    text: str


@dataclass(frozen=True)
class Text:
    text: str
    number: str = ""  # "3.39" for a numbered paragraph
    lead: str = ""  # a bold lead-in such as "Concern:"
    kind: str = "plain"  # plain, warning, caption, judgement, conclusion


@dataclass(frozen=True)
class Team:
    members: tuple[tuple[str, str], ...]  # (name, role)


Block = Heading | Text | Chart | Team


@dataclass
class Report:
    title: str
    establishment: str
    dates: str
    stale: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


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


def _full_stop(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _section_2(units: list[outline.JudgedUnit], when: str, year: str) -> list[Block]:
    """Key findings: what was followed up, the tally sentences, and Figures 2 and 3."""
    hmip = tally.count(units, HMIP_SCALE)
    ofsted = tally.count(units, OFSTED_SCALE)
    inspection = f"our most recent inspection in {when}" if when else "our most recent inspection"
    blocks: list[Block] = [Heading(2, "Section 2 Key findings")]
    followed = (
        f"At this IRP visit, we followed up {tally.units_word(HMIP_SCALE, hmip.followed_up)} "
        f"from {inspection}"
    )
    if ofsted.followed_up:
        followed += (
            f" and Ofsted followed up {tally.units_word(OFSTED_SCALE, ofsted.followed_up)} based "
            "on their latest inspection or progress monitoring visit to the prison, "
            "whichever was most recent"
        )
    blocks.append(Text(f"{followed}.", number="2.1"))
    blocks.append(Text(tally.sentence(hmip), number="2.2"))
    from_year = f" from {year} inspection" if year else ""
    blocks.append(
        tally.chart(
            hmip,
            f"Figure 2: Progress on HMI Prisons recommendations{from_year} (n={hmip.judged})",
            "This pie chart excludes any recommendations that were followed up as part of a theme "
            "within Ofsted's concurrent prison monitoring visit.",
        )
    )
    if ofsted.followed_up:
        blocks.append(Text(tally.sentence(ofsted)))
        blocks.append(
            tally.chart(
                ofsted, f"Figure 3: Progress on Ofsted themes{from_year} (n={ofsted.judged})."
            )
        )
    return blocks


def build(visit: VisitFile, findings: FindingsState) -> Report:
    summary = reads.summarise(visit)
    report = Report(
        title=f"Report on an independent review of progress at {summary.establishment}",
        establishment=summary.establishment,
        dates=visit_dates(summary.start_date, summary.end_date),
        stale=[p.paragraph.number for p in findings.stale],
    )
    add = report.blocks.append
    units = outline.units(findings.sections)
    when = _month_year(summary.previous_inspection)
    year = when.split()[-1] if when else ""
    report.blocks += _section_2(units, when, year)

    add(
        Heading(
            2, "Section 3 Progress against the key concerns and recommendations and Ofsted themes"
        )
    )
    add(
        Text(
            "The following provides a brief description of our findings in relation to each "
            f"recommendation followed up from the full inspection{' in ' + year if year else ''}. "
            "The reference numbers at the end of each recommendation refer to the paragraph "
            "location in the full inspection report."
        )
    )
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
            for paragraph in unit.paragraphs:
                if paragraph.is_conclusion:
                    add(Text(unit.conclusion_text, number=paragraph.number, kind="conclusion"))
                else:
                    add(Text(texts[paragraph.number], number=paragraph.number))

    add(Heading(2, "Section 4 Summary of judgements"))
    add(
        Text(
            "A list of the HMI Prisons recommendations and Ofsted themes followed up at this "
            "visit and "
            "the judgements made."
        )
    )
    for scale, heading in (
        (HMIP_SCALE, "HMI Prisons recommendations"),
        (OFSTED_SCALE, "Ofsted themes"),
    ):
        mine = [u for u in units if u.scale.key == scale.key]
        if not mine:
            continue
        add(Heading(3, heading))
        for unit in mine:
            for item in unit.items:
                add(Text(item.text))
                add(Text(unit.level.label if unit.level else "Not yet judged", kind="judgement"))

    add(Heading(2, "Appendix I About this report"))
    add(Heading(3, "Inspection team"))
    add(Text("This independent review of progress was carried out by:"))
    add(Team(tuple(finding_store.team_for_report(visit))))
    return report


def stale_warning(numbers: list[str]) -> str:
    shown = ", ".join(numbers[:12]) + (
        f" and {len(numbers) - 12} more" if len(numbers) > 12 else ""
    )
    return (
        f"Out of date: {len(numbers)} paragraph{'s' if len(numbers) != 1 else ''} ({shown}) "
        "changed or quote evidence that changed since the last sync. Run `irp-field sync`, review "
        "them, and make the report again (or use --sync)."
    )
