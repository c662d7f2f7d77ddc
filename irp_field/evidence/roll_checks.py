"""Roll checks typed one location at a time on the roll-check screen, or by a program.

One call writes one check in its own committed transaction, so a save is either
wholly in the file or not at all. The rules are ``domain.roll_checks``' and
``domain.visit``'s, applied here as on the screen and in the import.
"""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.core.visit_file import VisitFile
from irp_field.domain import fields
from irp_field.domain import roll_checks as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.roll_checks import RollCounts, round_key
from irp_field.domain.verdicts import Verdict, refuse_unless_fine
from irp_field.domain.visit import date_verdicts
from irp_field.domain.vocabulary import ROLL_CATEGORIES
from irp_field.evidence.reads import visit_dates


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    capacity: int | None


@dataclass(frozen=True)
class RoundCheck:
    """One row of a round's table: the latest check of one location in the round."""

    id: str
    location_id: str
    location: str
    taken_at: str
    counts: RollCounts
    inspector: str
    note: str

    @property
    def share_locked_up(self) -> float | None:
        return self.counts.locked_up / self.counts.roll if self.counts.roll else None


def locations(visit: VisitFile) -> list[Location]:
    rows = visit.query(
        "SELECT id, name, capacity FROM location WHERE deleted = 0 ORDER BY name COLLATE NOCASE"
    )
    return [Location(row["id"], row["name"], row["capacity"]) for row in rows]


def rounds(visit: VisitFile) -> list[str]:
    """Round labels, the most recently checked last (a round without a label is its hour)."""
    rows = visit.query(
        "SELECT COALESCE(NULLIF(round, ''), substr(taken_at, 1, 13)) AS round_key, "
        "MAX(taken_at) AS latest FROM roll_check WHERE deleted = 0 "
        "GROUP BY round_key ORDER BY latest"
    )
    return [row["round_key"] for row in rows]


def round_checks(visit: VisitFile, round_label: str) -> list[RoundCheck]:
    """The round's checks by location; a location checked twice shows its latest check."""
    columns = ", ".join(f"r.{name}" for name in ROLL_CATEGORIES)
    rows = visit.query(
        f"SELECT r.id, r.location_id, l.name AS location, r.taken_at, r.roll, {columns}, "
        "r.inspector, r.note FROM roll_check r JOIN location l ON l.id = r.location_id "
        "WHERE r.deleted = 0 AND COALESCE(NULLIF(r.round, ''), substr(r.taken_at, 1, 13)) = ? "
        "ORDER BY l.name COLLATE NOCASE, r.taken_at",
        (round_label,),
    )
    latest: dict[str, RoundCheck] = {}
    for row in rows:
        counts = RollCounts(row["roll"], *(row[name] for name in ROLL_CATEGORIES))
        latest[row["location_id"]] = RoundCheck(
            row["id"],
            row["location_id"],
            row["location"],
            row["taken_at"],
            counts,
            row["inspector"],
            row["note"],
        )
    return list(latest.values())


def next_location(places: list[Location], done: set[str], after: str | None = None) -> str | None:
    """The first location after ``after`` (wrapping round) not yet checked in this round."""
    if not places:
        return None
    start = next((i + 1 for i, place in enumerate(places) if place.id == after), 0)
    for offset in range(len(places)):
        place = places[(start + offset) % len(places)]
        if place.id not in done:
            return place.id
    return places[start % len(places)].id


def check_verdicts(
    visit: VisitFile, location: Location, counts: RollCounts, note: str, taken_at: str
) -> list[Verdict]:
    """Every rule on one roll check: its counts, its note, its location's capacity and
    its date (what the screen shows before saving and :func:`record_roll_check` enforces)."""
    found = rules.verdicts(counts, note, location.capacity, location.name)
    return found + date_verdicts(taken_at, visit_dates(visit), "taken_at")


def find_location(visit: VisitFile, location: str) -> Location:
    """A live location by its id or its name (any case)."""
    row = visit.one(
        "SELECT id, name, capacity FROM location WHERE deleted = 0 AND (id = ? OR name = ? "
        "COLLATE NOCASE) ORDER BY id = ? DESC LIMIT 1",
        (location, location.strip(), location),
    )
    if row is None:
        raise IrpError(f"unknown location {location!r}")
    return Location(row["id"], row["name"], row["capacity"])


def record_roll_check(
    visit: VisitFile,
    *,
    location_id: str,
    counts: RollCounts,
    taken_at: str,
    round_label: str = "",
    inspector: str = "",
    note: str = "",
    allow_outside_visit: bool = False,
) -> str:
    """Write one roll check in one committed transaction; refuse what a rule refuses.

    ``location_id`` is a location's id or name. Returns the new check's id.
    """
    try:
        taken_at = fields.moment(taken_at)
    except ValueError as error:
        raise IrpError(f"taken_at: {error}") from None
    with visit.transaction():
        place = find_location(visit, location_id)
        refuse_unless_fine(
            check_verdicts(visit, place, counts, note, taken_at), confirmed=allow_outside_visit
        )
        values: dict[str, object] = {
            "taken_at": taken_at,
            "location_id": place.id,
            "roll": counts.roll,
            "round": round_label.strip() or round_key("", taken_at),
            "inspector": inspector,
            "note": note.strip(),
        }
        values.update({name: getattr(counts, name) for name in ROLL_CATEGORIES})
        return visit.insert("roll_check", values)


def delete_roll_check(visit: VisitFile, check_id: str) -> None:
    with visit.transaction():
        visit.delete("roll_check", check_id)


def restore_roll_check(visit: VisitFile, check_id: str) -> None:
    """Undo a delete: lift the tombstone (the change log keeps both steps)."""
    with visit.transaction():
        visit.update("roll_check", check_id, {"deleted": 0})
