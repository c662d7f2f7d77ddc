"""Writing the report's other parts: the summary's and notable positive practice's
paragraphs and the standing texts, each rendered before it is stored (an unknown figure
or a refused template is reported at once and nothing is written), as findings are."""

from __future__ import annotations

from dataclasses import dataclass

from irp_field import figures as figure_registry
from irp_field.core.visit_file import VisitFile
from irp_field.domain import report_parts as rules
from irp_field.domain.errors import IrpError
from irp_field.evidence import purges, reads
from irp_field.figures import Figure
from irp_field.findings import part_defaults, summary
from irp_field.findings import report_parts as store
from irp_field.findings.facts import visit_facts
from irp_field.findings.outline import Paragraph
from irp_field.findings.templates import Renderer


def template_figures(visit: VisitFile) -> dict[str, Figure]:
    """What a summary paragraph or a standing text may quote: the figures and the facts."""
    return {**figure_registry.compute(visit), **visit_facts(reads.summarise(visit))}


def check_renders(visit: VisitFile, text: str, where: str) -> str:
    """The text as it renders now; FindingError (an IrpError) naming ``where`` if it cannot."""
    return Renderer(template_figures(visit)).render(text, where).text


def numbered(visit: VisitFile) -> list[Paragraph]:
    return summary.numbered(summary.all_paragraphs(visit), summary.practice_definition(visit))


def add_paragraph(
    visit: VisitFile, text: str, *, practice: bool = False, after: str | None = None
) -> tuple[str, str]:
    """Add a paragraph to the summary (or notable positive practice); (id, its number)."""
    section = rules.PRACTICE if practice else rules.SUMMARY
    if not text.strip():
        raise IrpError("a paragraph needs some text")
    check_renders(visit, text, f"new {summary.SECTION_NAMES[section]} paragraph")
    new_id = summary.add(visit, section, text, numbered(visit), after)
    number = next(p.number for p in numbered(visit) if p.finding and p.finding.id == new_id)
    return new_id, number


def edit_paragraph(visit: VisitFile, paragraph: str, text: str) -> Paragraph:
    found = summary.find(numbered(visit), paragraph)
    check_renders(visit, text, f"paragraph {found.number} ({found.ref})")
    summary.edit(visit, found, text)
    return found


def delete_paragraph(visit: VisitFile, paragraph: str) -> Paragraph:
    found = summary.find(numbered(visit), paragraph)
    summary.delete(visit, found)
    return found


def move_paragraph(visit: VisitFile, paragraph: str, step: int) -> Paragraph | None:
    paragraphs = numbered(visit)
    found = summary.find(paragraphs, paragraph)
    return found if summary.move(visit, paragraphs, found, step) else None


def restore_paragraph(visit: VisitFile, paragraph_id: str) -> None:
    purges.restore(visit, "report_paragraph", paragraph_id)


@dataclass(frozen=True)
class PartShown:
    key: str
    about: str  # what the part is
    text: str  # as stored or shipped, with its figure references
    own: bool  # the visit's own text, not the shipped default
    one_line: bool


def parts(visit: VisitFile) -> list[PartShown]:
    """Every part, in the order a report prints them."""
    stored = store.stored_parts(visit)
    shipped = part_defaults.shipped().parts
    return [
        PartShown(
            key,
            about,
            stored.get(key, shipped.get(key, "")),
            key in stored,
            key in rules.ONE_LINE,
        )
        for key, about in rules.PARTS.items()
    ]


def set_part(visit: VisitFile, key: str, text: str) -> bool:
    """Set a part's text after checking that it renders; False when unchanged."""
    chosen = store.known_key(key)
    check_renders(visit, text, f"report part {chosen}")
    return store.set_part(visit, chosen, text)
