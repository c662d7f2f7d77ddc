"""What the findings screen shows: the paragraphs as they render now, the figures they
may quote, and the evidence behind each judged unit."""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.core.visit_file import VisitFile
from irp_field.figures import Figure, compute
from irp_field.findings import outline
from irp_field.findings.paragraphs import EvidenceItem, cited_evidence, evidence_for_plan_item
from irp_field.findings.sync import FindingsState, load


@dataclass(frozen=True)
class FindingsView:
    state: FindingsState
    figures: dict[str, Figure]
    units: list[outline.JudgedUnit]
    areas: dict[str, str]  # unit name -> area
    evidence: dict[str, list[EvidenceItem]]  # unit name -> linked and cited evidence


def read_view(visit: VisitFile) -> FindingsView:
    """Everything the findings screen shows, read in one go (in its thread worker)."""
    state = load(visit)
    units: list[outline.JudgedUnit] = []
    areas: dict[str, str] = {}
    evidence: dict[str, list[EvidenceItem]] = {}
    for section in state.sections:
        for unit in section.units:
            units.append(unit)
            areas[unit.name] = section.area
            found = {e.id: e for item in unit.items for e in evidence_for_plan_item(visit, item.id)}
            cited = [i for p in unit.written if p.finding for i in p.finding.evidence]
            for cited_id, item in cited_evidence(visit, cited).items():
                found.setdefault(cited_id, item)
            evidence[unit.name] = list(found.values())
    return FindingsView(state, compute(visit), units, areas, evidence)
