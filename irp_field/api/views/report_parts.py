"""What the report parts screen (F11) shows: the summary's and practice's paragraphs as
they render now, the standing texts, Figure 1's outcomes, the glossary and the figures a
text may quote."""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.api.report_parts import glossary
from irp_field.core.visit_file import VisitFile
from irp_field.domain.report_parts import PARAGRAPH_SECTIONS
from irp_field.figures import Figure
from irp_field.findings.report_editing import PartShown, parts
from irp_field.findings.report_parts import GlossaryTerm, Outcome, outcomes
from irp_field.findings.sync import RenderedParagraph, load


@dataclass(frozen=True)
class PartsView:
    """What the report parts screen shows, read in one go (in its thread worker)."""

    paragraphs: list[RenderedParagraph]  # the summary's and practice's, as they render now
    parts: list[PartShown]
    outcomes: list[Outcome]
    glossary: list[GlossaryTerm]
    figures: dict[str, Figure]  # what a text may quote, for the preview as you type


def read_view(visit: VisitFile) -> PartsView:
    state = load(visit)
    written = [p for p in state.paragraphs if p.paragraph.unit in PARAGRAPH_SECTIONS]
    return PartsView(written, parts(visit), outcomes(visit), glossary(visit), state.figures)
