"""Sync one paragraph: store what it renders now, keeping every other paragraph's last sync.

``sync.sync`` stores every paragraph at once; the team leader also wants to accept one
paragraph's new figures after reading it, and leave the rest marked until reviewed.
"""

from __future__ import annotations

from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.figures import Figure
from irp_field.findings import paragraphs as finding_store
from irp_field.findings.sync import load


def sync_paragraph(
    visit: VisitFile, finding_id: str, computed: dict[str, Figure] | None = None
) -> list[str]:
    """Store paragraph ``finding_id`` as it renders now; returns its change lines.
    ``computed``: the registry's figures, when the caller has them."""
    state = load(visit, only=finding_id, computed=computed)  # that paragraph alone
    found = next(
        (
            p
            for p in state.paragraphs
            if p.paragraph.finding and p.paragraph.finding.id == finding_id
        ),
        None,
    )
    if found is None:
        raise IrpError(f"no paragraph with id {finding_id!r} in this visit")
    if visit.readonly:
        raise IrpError(f"{visit.path}: opened read-only; cannot sync")
    finding_store.save_sync_state(visit, found.state)  # every other paragraph's stays
    return [change.line() for change in found.changes]
