"""What the overview counts: each plan item's evidence by kind of source, and who
recorded what (the SQL behind the dashboard; ``api.overview`` adds the figures).

Inspectors triangulate: a judgement that rests on one kind of source (only staff
interviews, say) is weak, so the overview counts each item's evidence by kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from irp_field.core.visit_file import VisitFile
from irp_field.domain.plan import PlanItem
from irp_field.domain.vocabulary import SOURCE_KINDS
from irp_field.evidence import roll_tallies
from irp_field.evidence.link_counts import counts_by_item
from irp_field.evidence.reads import judgements, plan_items

# The kinds of source in the order the dashboard lists them. Roll checks and time out
# of cell count for an item when their round or day is linked to it (``links``).
EVIDENCE_KINDS = (
    *dict.fromkeys(SOURCE_KINDS.values()),
    "roll checks",
    "time out of cell",
    "samples",
)


@dataclass(frozen=True)
class ItemEvidence:
    """A plan item's judgement and its evidence counted by kind of source."""

    item: PlanItem
    judgement: str  # the level's label, or "" when not judged yet
    counts: dict[str, int] = field(default_factory=dict)  # kind -> pieces of evidence

    @property
    def kinds(self) -> int:
        return sum(1 for n in self.counts.values() if n)

    @property
    def single_source(self) -> bool:
        """Resting on one kind of source only: flag it (no evidence is flagged too)."""
        return self.kinds <= 1


@dataclass(frozen=True)
class InspectorTally:
    """What one inspector recorded: roll checks, notes and records sampled."""

    name: str
    roll_checks: int
    notes: int
    sampled: int


def evidence_by_item(visit: VisitFile) -> list[ItemEvidence]:
    counts: dict[str, dict[str, int]] = {}
    for row in visit.query(
        "SELECT k.plan_item_id, n.source, COUNT(DISTINCT n.id) AS pieces FROM note_link k "
        "JOIN note n ON n.id = k.note_id WHERE k.deleted = 0 AND n.deleted = 0 "
        "GROUP BY k.plan_item_id, n.source"
    ):
        kind = SOURCE_KINDS.get(row["source"], row["source"])
        per_kind = counts.setdefault(row["plan_item_id"], {})
        per_kind[kind] = per_kind.get(kind, 0) + int(row["pieces"])
    for row in visit.query(
        "SELECT f.plan_item_id, COUNT(r.id) AS records FROM sample_frame f "
        "JOIN sample_record r ON r.frame_id = f.id AND r.deleted = 0 "
        "WHERE f.deleted = 0 AND f.plan_item_id != '' GROUP BY f.plan_item_id"
    ):
        counts.setdefault(row["plan_item_id"], {})["samples"] = int(row["records"])
    for plan_item_id, linked in counts_by_item(visit).items():
        per_kind = counts.setdefault(plan_item_id, {})
        for kind, pieces in (("roll checks", linked.checks), ("time out of cell", linked.periods)):
            if pieces:
                per_kind[kind] = pieces
    judged = judgements(visit)
    found: list[ItemEvidence] = []
    for item in plan_items(visit):
        item_counts = dict(counts.get(item.id, {}))
        judgement = judged.get(item.judged_unit)
        label = ""
        if judgement is not None:
            try:
                label = item.scale.level(judgement.level).label
            except KeyError:
                label = judgement.level
        found.append(ItemEvidence(item, label, item_counts))
    return found


def tallies(visit: VisitFile) -> list[InspectorTally]:
    """Roll checks, notes and sampled records per inspector (whoever recorded them).
    The roll checks are each inspector's kept tally (``roll_tallies``), not a million
    rows grouped."""
    checks = roll_tallies.source(visit, roll_tallies.BY_INSPECTOR)
    rows = visit.query(
        "SELECT name, SUM(checks) AS checks, SUM(notes) AS notes, SUM(sampled) AS sampled FROM ("
        f" SELECT inspector AS name, checks, 0 AS notes, 0 AS sampled FROM ({checks})"
        " UNION ALL SELECT COALESCE(NULLIF(author, ''), created_by), 0, 1, 0 FROM note"
        " WHERE deleted = 0"
        " UNION ALL SELECT created_by, 0, 0, COUNT(DISTINCT frame_id || char(31) || record)"
        " FROM sample_answer a WHERE a.deleted = 0 AND a.answer != ''"  # a comment alone: not yet
        " AND EXISTS (SELECT 1 FROM sample_frame f WHERE f.id = a.frame_id AND f.deleted = 0)"
        " GROUP BY created_by"
        ") GROUP BY name ORDER BY name"
    )
    return [
        InspectorTally(r["name"], int(r["checks"]), int(r["notes"]), int(r["sampled"]))
        for r in rows
    ]
