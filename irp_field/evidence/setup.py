"""A visit's set-up, one record at a time: team members, locations and plan items.

Each is keyed by its name (a member's name, a location, a ref) within the visit, so
two laptops that add "A wing" add the same record; adding one again updates it. The
rules are ``domain.setup``'s, the same as the import's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.domain import setup as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import RecordRefused, Verdict, refuse_unless_fine
from irp_field.evidence import lookups


def key_for(visit: VisitFile, table: str, column: str, name: str) -> str:
    """The id a new record of that name takes: the live record of that name when there
    is one (renamed into it), else the id keyed by the name (two laptops that add "A
    wing" add one record), else, when a record keyed so was renamed since, a new key."""
    row = visit.one(
        f"SELECT id FROM {table} WHERE deleted = 0 AND {column} = ? COLLATE NOCASE LIMIT 1",
        (name,),
    )
    if row is not None:
        return str(row[0])
    keyed = keyed_id(visit.visit_id, table, name.casefold())
    held = visit.row(table, keyed)
    if held is None or str(held[column]).casefold() == name.casefold():
        return keyed
    return keyed_id(visit.visit_id, table, name.casefold(), "again")


def add_team_member(visit: VisitFile, name: str, *, role: str = "", body: str = "HMIP") -> str:
    entry, found = rules.member_verdicts(name, role, body)
    refuse_unless_fine(found, what=f"team member {name.strip()}")
    with visit.transaction():
        return visit.upsert(
            "team_member",
            {
                "id": key_for(visit, "team_member", "name", entry.name),
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
                "id": key_for(visit, "location", "name", entry.name),
                "name": entry.name,
                "kind": entry.kind,
                "capacity": entry.capacity,
            },
        )


def plan_item_row(item_id: str, entry: rules.PlanEntry, position: float) -> dict[str, Any]:
    """A plan item's stored row, from its checked entry: what typing it and importing
    the plan both write."""
    return {
        "id": item_id,
        "ref": entry.ref,
        "kind": entry.kind,
        "body": entry.body,
        "area": entry.area,
        "concern": entry.concern,
        "text": entry.text,
        "judged_group": entry.group,
        "position": position,
    }


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
    with visit.transaction():
        item_id = key_for(visit, "plan_item", "ref", entry.ref)
        existing = visit.row("plan_item", item_id)
        position = existing["position"] if existing else lookups.next_plan_position(visit)
        return visit.upsert(
            "plan_item",
            plan_item_row(item_id, entry, position),
        )


# -- editing in place ------------------------------------------------------------------
# A record keeps its id when its name (or ref) changes: everything that refers to it
# follows. Two live records may not share a name (case aside): the natural key is
# checked here, as the schema cannot (no UNIQUE beyond the primary key on merged tables).


@dataclass(frozen=True)
class LocationRow:
    id: str
    name: str
    kind: str
    capacity: int | None
    checks: int  # live roll checks of it


def location_rows(visit: VisitFile) -> list[LocationRow]:
    rows = visit.query(
        "SELECT l.id, l.name, l.kind, l.capacity, (SELECT COUNT(*) FROM roll_check r WHERE "
        "r.location_id = l.id AND r.deleted = 0) AS checks FROM location l WHERE l.deleted = 0 "
        "ORDER BY l.name COLLATE NOCASE"
    )
    return [
        LocationRow(
            r["id"],
            r["name"],
            r["kind"],
            r["capacity"] if isinstance(r["capacity"], int) else None,
            int(r["checks"]),
        )
        for r in rows
    ]


def _refuse_taken(
    visit: VisitFile, table: str, column: str, value: str, own_id: str, what: str
) -> None:
    row = visit.one(
        f"SELECT {column} FROM {table} WHERE deleted = 0 AND id != ? AND {column} = ? "
        "COLLATE NOCASE LIMIT 1",
        (own_id, value),
    )
    if row is not None:
        raise RecordRefused([Verdict(column, f"the visit already has {what} {row[0]!r}")])


def _existing(visit: VisitFile, table: str, row_id: str) -> None:
    row = visit.row(table, row_id)
    if row is None or row["deleted"]:
        raise IrpError(f"that {table.replace('_', ' ')} is deleted or not in this visit")


def edit_team_member(
    visit: VisitFile, member_id: str, name: str, *, role: str = "", body: str = "HMIP"
) -> bool:
    entry, found = rules.member_verdicts(name, role, body)
    refuse_unless_fine(found, what=f"team member {name.strip()}")
    with visit.transaction():
        _existing(visit, "team_member", member_id)
        _refuse_taken(visit, "team_member", "name", entry.name, member_id, "a team member")
        return visit.update(
            "team_member", member_id, {"name": entry.name, "role": entry.role, "body": entry.body}
        )


def edit_location(
    visit: VisitFile, location_id: str, name: str, *, kind: str = "wing", capacity: str = ""
) -> bool:
    entry, found = rules.location_verdicts(name, kind, capacity)
    refuse_unless_fine(found, what=f"location {name.strip()}")
    with visit.transaction():
        _existing(visit, "location", location_id)
        _refuse_taken(visit, "location", "name", entry.name, location_id, "a location")
        return visit.update(
            "location",
            location_id,
            {"name": entry.name, "kind": entry.kind, "capacity": entry.capacity},
        )


def edit_plan_item(
    visit: VisitFile,
    item_id: str,
    ref: str,
    *,
    text: str,
    area: str,
    kind: str = "recommendation",
    body: str = "HMIP",
    concern: str = "",
    group: str = "",
) -> bool:
    entry, found = rules.plan_item_verdicts(
        ref, kind, body, area, text, concern=concern, group=group
    )
    refuse_unless_fine(found, what=f"plan item {ref.strip()}")
    with visit.transaction():
        _existing(visit, "plan_item", item_id)
        _refuse_taken(visit, "plan_item", "ref", entry.ref, item_id, "a plan item")
        return visit.update(
            "plan_item",
            item_id,
            {
                "ref": entry.ref, "kind": entry.kind, "body": entry.body, "area": entry.area,
                "concern": entry.concern, "text": entry.text, "judged_group": entry.group,
            },
        )  # fmt: skip


_IN_USE = {
    "location": (
        "SELECT COUNT(*) FROM roll_check WHERE location_id = ? AND deleted = 0",
        "roll check(s)",
    ),
    "plan_item": (
        "SELECT (SELECT COUNT(*) FROM finding WHERE plan_item_id = ?1 AND deleted = 0) + "
        "(SELECT COUNT(*) FROM note_link WHERE plan_item_id = ?1 AND deleted = 0) + "
        "(SELECT COUNT(*) FROM round_link WHERE plan_item_id = ?1 AND deleted = 0) + "
        "(SELECT COUNT(*) FROM toc_day_link WHERE plan_item_id = ?1 AND deleted = 0)",
        "paragraph(s) or linked notes, rounds or days",
    ),
}


def delete_setup_record(visit: VisitFile, table: str, row_id: str) -> None:
    """Delete a team member, location, plan item or data return; a location with roll
    checks, or a plan item with paragraphs or linked evidence, is refused (they would count, or
    sit, under nothing)."""
    if table not in ("team_member", "location", "plan_item", "data_return"):
        raise ValueError(f"not a set-up table: {table!r}")
    with visit.transaction():
        _existing(visit, table, row_id)
        if table in _IN_USE:
            sql, what = _IN_USE[table]
            row = visit.one(sql, (row_id,))
            if row is not None and row[0]:
                raise IrpError(f"it has {row[0]} {what}: delete or move those first")
        visit.delete(table, row_id)
