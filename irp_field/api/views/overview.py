"""What the overview shows: the visit, each plan item's evidence by kind of source, the
key figures, and who recorded what (read in one go, in the screen's thread worker)."""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.core.visit_file import VisitFile
from irp_field.evidence.reads import VisitSummary, summarise
from irp_field.evidence.tallies import EVIDENCE_KINDS as EVIDENCE_KINDS
from irp_field.evidence.tallies import InspectorTally as InspectorTally
from irp_field.evidence.tallies import ItemEvidence, evidence_by_item, tallies
from irp_field.figures import Figure as Figure
from irp_field.figures import compute


@dataclass(frozen=True)
class Overview:
    """What the overview shows, read in one go."""

    summary: VisitSummary
    items: list[ItemEvidence]
    figures: dict[str, Figure]
    tallies: list[InspectorTally]


def overview(visit: VisitFile) -> Overview:
    return Overview(summarise(visit), evidence_by_item(visit), compute(visit), tallies(visit))
