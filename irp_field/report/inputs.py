"""What a report prints, read from the visit once.

``load`` is the report's one reader: the visit's details, the findings as synced (given,
so a ``--sync`` first reads them once), the standing texts rendered with the figures,
the photographs attached to paragraphs and the team. ``content.build`` turns a
``ReportInput`` into the report's blocks without the visit, so a report can be made
(and tested) from an input built in memory, and the writers never reach the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from irp_field.core.visit_file import VisitFile
from irp_field.evidence import attachments, reads
from irp_field.findings import paragraphs as finding_store
from irp_field.findings import part_defaults
from irp_field.findings.paragraph_audit import refuse_unplaced
from irp_field.findings.report_parts import sound_outcomes
from irp_field.findings.sync import FindingsState
from irp_field.findings.templates import Renderer
from irp_field.report.front import Parts
from irp_field.report.photographs import Photographs, shown


@dataclass(frozen=True)
class ReportInput:
    establishment: str
    start_date: str  # ISO dates, as the visit holds them
    end_date: str
    previous_inspection: str
    findings: FindingsState
    parts: Parts = field(default_factory=Parts)
    photographs: Photographs = field(default_factory=Photographs)
    team: tuple[tuple[str, str], ...] = ()  # (name, role), the team leader first

    @property
    def author(self) -> str:
        return finding_store.leader_of(self.team)


def load(visit: VisitFile, findings: FindingsState) -> ReportInput:
    refuse_unplaced(visit)  # a paragraph under no plan item: left out without a word
    summary = reads.summarise(visit)
    return ReportInput(
        establishment=summary.establishment,
        start_date=summary.start_date,
        end_date=summary.end_date,
        previous_inspection=summary.previous_inspection,
        findings=findings,
        parts=_parts(visit, findings),
        photographs=_photographs(visit),
        team=tuple(finding_store.team_for_report(visit)),
    )


def _parts(visit: VisitFile, findings: FindingsState) -> Parts:
    """The standing texts rendered with the figures the paragraphs rendered with."""
    renderer = Renderer(findings.figures)
    texts = {
        key: renderer.render(text, f"report part {key}").text
        for key, text in part_defaults.effective_parts(visit).items()
    }
    return Parts(texts, part_defaults.effective_glossary(visit), sound_outcomes(visit))


def _photographs(visit: VisitFile) -> Photographs:
    """The photographs attached to paragraphs, by paragraph (one read for the report)."""
    wanted = [
        a
        for a in attachments.attachments(visit)
        if a.target_kind == "paragraph" and a.is_photograph
    ]
    found = attachments.contents(visit, [a.file_sha256 for a in wanted])
    photographs = Photographs()
    for attached in wanted:
        content = found.get(attached.file_sha256)
        if content is None:
            continue  # its file has not arrived by merge yet
        photographs.by_paragraph.setdefault(attached.target_id, []).append(shown(attached, content))
    return photographs
