"""A visit's set-up, one record at a time: team members, locations and plan items.

Each is keyed by its name (a member's name, a location, a ref) within the visit, so
two laptops that add "A wing" add the same record; adding one again updates it. The
rules are ``domain.setup``'s, the same as the import's.
"""

from __future__ import annotations

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.domain import setup as rules
from irp_field.domain.verdicts import refuse_unless_fine
from irp_field.evidence import lookups


def add_team_member(visit: VisitFile, name: str, *, role: str = "", body: str = "HMIP") -> str:
    entry, found = rules.member_verdicts(name, role, body)
    refuse_unless_fine(found, what=f"team member {name.strip()}")
    with visit.transaction():
        return visit.upsert(
            "team_member",
            {
                "id": keyed_id(visit.visit_id, "team_member", entry.name.casefold()),
                "name": entry.name,
                "role": entry.role,
                "body": entry.body,
            },
        )


def add_location(
    visit: VisitFile, name: str, *, kind: str = "wing", capacity: int | str | None = None
) -> str:
    entry, found = rules.location_verdicts(name, kind, "" if capacity is None else str(capacity))
    refuse_unless_fine(found, what=f"location {name.strip()}")
    with visit.transaction():
        return visit.upsert(
            "location",
            {
                "id": keyed_id(visit.visit_id, "location", entry.name.casefold()),
                "name": entry.name,
                "kind": entry.kind,
                "capacity": entry.capacity,
            },
        )


def add_plan_item(
    visit: VisitFile,
    ref: str,
    *,
    text: str,
    area: str,
    kind: str = "recommendation",
    body: str = "HMIP",
    concern: str = "",
    group: str = "",
) -> str:
    """A recommendation or theme followed up at the visit (judge it with ``judge``)."""
    entry, found = rules.plan_item_verdicts(
        ref, kind, body, area, text, concern=concern, group=group
    )
    refuse_unless_fine(found, what=f"plan item {ref.strip()}")
    item_id = keyed_id(visit.visit_id, "plan_item", entry.ref.casefold())
    with visit.transaction():
        existing = visit.row("plan_item", item_id)
        position = existing["position"] if existing else lookups.next_plan_position(visit)
        return visit.upsert(
            "plan_item",
            {
                "id": item_id,
                "ref": entry.ref,
                "kind": entry.kind,
                "body": entry.body,
                "area": entry.area,
                "concern": entry.concern,
                "text": entry.text,
                "judged_group": entry.group,
                "position": position,
            },
        )
