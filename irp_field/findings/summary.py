"""The paragraphs of the Chief Inspector's summary (Section 1) and of notable positive
practice (Section 2): written like findings, with figures, but under no plan item.

They are rows of ``report_paragraph`` (merged like findings: ids, versions,
tombstones), rendered in the same sandbox and synced the same way (``findings.sync``
stores what each rendered). Section 1 is numbered 1.1, 1.2, ...; notable positive
practice follows Section 2's generated 2.1 and 2.2 and its definition (2.3 when there
is one), so Hull's finding is 2.4.
"""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.core.visit_file import VisitFile
from irp_field.domain import report_parts as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import refuse_unless_fine
from irp_field.findings.outline import Paragraph
from irp_field.findings.paragraphs import Finding

SECTION_NAMES = {rules.SUMMARY: "summary", rules.PRACTICE: "notable positive practice"}
GENERATED_IN_SECTION_2 = 2  # 2.1 what was followed up, 2.2 the tally


def practice_start(definition: str) -> int:
    """The number after "2." of the first written practice paragraph."""
    return GENERATED_IN_SECTION_2 + (2 if definition.strip() else 1)


def practice_definition(visit: VisitFile) -> str:
    """The definition that opens notable positive practice (the visit's, or the default)."""
    from irp_field.findings.part_defaults import effective_parts

    return effective_parts(visit).get("practice_definition", "")


def all_paragraphs(visit: VisitFile) -> list[Finding]:
    """Every live summary and practice paragraph, as findings filed under their section."""
    rows = visit.query(
        "SELECT id, section, position, text, version, created_by FROM report_paragraph "
        "WHERE deleted = 0 ORDER BY section, position, id"
    )
    return [
        Finding(
            row["id"],
            row["section"],  # filed under its section, as a finding under its plan item
            float(row["position"]),
            row["text"],
            (),
            row["version"],
            row["created_by"],
        )
        for row in rows
        if row["section"] in rules.PARAGRAPH_SECTIONS
    ]


def numbered(paragraphs: list[Finding], definition: str) -> list[Paragraph]:
    """Section 1's paragraphs, then notable positive practice's, numbered."""
    out: list[Paragraph] = []
    for section, first, prefix in (
        (rules.SUMMARY, 1, "1"),
        (rules.PRACTICE, practice_start(definition), "2"),
    ):
        mine = [p for p in paragraphs if p.plan_item_id == section]
        out += [
            Paragraph(f"{prefix}.{first + index}", section, SECTION_NAMES[section], paragraph)
            for index, paragraph in enumerate(mine)
        ]
    return out


@dataclass(frozen=True)
class Placed:
    section: str
    position: float


def _placed(paragraphs: list[Paragraph], section: str, after: str | None) -> Placed:
    mine = [p.finding for p in paragraphs if p.unit == section and p.finding is not None]
    if after is None:
        return Placed(section, mine[-1].position + 1 if mine else 1.0)
    numbers = [p.number for p in paragraphs if p.unit == section]
    wanted = after.strip()
    if wanted == "0":
        return Placed(section, mine[0].position - 1 if mine else 1.0)
    if wanted not in numbers:
        raise IrpError(
            f"--after {wanted}: not a paragraph of the {SECTION_NAMES[section]} (its "
            f"paragraphs are {', '.join(numbers) or 'none yet'}; or 0 for first)"
        )
    index = numbers.index(wanted)
    before = mine[index]
    if index + 1 == len(mine):
        return Placed(section, before.position + 1)
    return Placed(section, (before.position + mine[index + 1].position) / 2)


def add(
    visit: VisitFile,
    section: str,
    text: str,
    paragraphs: list[Paragraph],
    after: str | None = None,
) -> str:
    """Add a paragraph (checked by the rules; the caller checks that it renders)."""
    refuse_unless_fine(rules.paragraph_verdicts(section, text), what="the paragraph")
    placed = _placed(paragraphs, section, after)
    with visit.transaction():
        return visit.insert(
            "report_paragraph",
            {"section": placed.section, "position": placed.position, "text": text.strip()},
        )


def find(paragraphs: list[Paragraph], number: str) -> Paragraph:
    wanted = number.strip()
    for paragraph in paragraphs:
        if paragraph.number == wanted or (
            paragraph.finding is not None and paragraph.finding.id == wanted
        ):
            return paragraph
    numbers = [p.number for p in paragraphs]
    span = ", ".join(numbers) if numbers else "none yet"
    raise IrpError(f"no summary or practice paragraph {wanted!r} (they are: {span})")


def edit(visit: VisitFile, paragraph: Paragraph, text: str) -> bool:
    assert paragraph.finding is not None
    refuse_unless_fine(rules.paragraph_verdicts(paragraph.unit, text), what="the paragraph")
    with visit.transaction():
        return visit.update("report_paragraph", paragraph.finding.id, {"text": text.strip()})


def delete(visit: VisitFile, paragraph: Paragraph) -> bool:
    assert paragraph.finding is not None
    with visit.transaction():
        return visit.delete("report_paragraph", paragraph.finding.id)


def move(visit: VisitFile, paragraphs: list[Paragraph], paragraph: Paragraph, step: int) -> bool:
    """Move a paragraph ``step`` places within its section; False when it cannot go further."""
    mine = [p.finding for p in paragraphs if p.unit == paragraph.unit and p.finding is not None]
    assert paragraph.finding is not None
    index = next(i for i, f in enumerate(mine) if f.id == paragraph.finding.id)
    others = mine[:index] + mine[index + 1 :]
    target = index + step
    if not 0 <= target <= len(others) or target == index:
        return False
    before = others[target - 1].position if target > 0 else None
    after = others[target].position if target < len(others) else None
    if before is None:
        position = (after if after is not None else 1.0) - 1
    elif after is None:
        position = before + 1
    else:
        position = (before + after) / 2
    with visit.transaction():
        return visit.update("report_paragraph", paragraph.finding.id, {"position": position})


def write_many(visit: VisitFile, section: str, texts: list[str]) -> None:
    """A bundle's paragraphs of one section, in order, in the open or a new transaction."""
    for text in texts:
        refuse_unless_fine(rules.paragraph_verdicts(section, text), what="summary.md")
    with visit.transaction():
        for position, text in enumerate(texts, start=1):
            visit.insert(
                "report_paragraph",
                {"section": section, "position": float(position), "text": text.strip()},
                log=False,
            )


def paragraph_numbers(visit: VisitFile) -> dict[str, str]:
    """Every written paragraph's number by its id: summary, practice and findings."""
    from irp_field.evidence import reads
    from irp_field.findings import outline
    from irp_field.findings.paragraphs import all_findings

    sections = outline.build(reads.plan_items(visit), all_findings(visit), reads.judgements(visit))
    written = [
        *numbered(all_paragraphs(visit), practice_definition(visit)),
        *outline.paragraphs(sections),
    ]
    return {p.finding.id: p.number for p in written if p.finding is not None}
