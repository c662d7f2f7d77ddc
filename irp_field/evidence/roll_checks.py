"""Roll checks typed one location at a time on the roll-check screen, or by a program.

One call writes one check in its own committed transaction, so a save is either
wholly in the file or not at all. A check belongs to a round (``evidence.rounds``) and
its id is keyed by its round and location: a location is counted once per round, here,
in the import and after a merge. The rules are ``domain.roll_checks``',
``domain.rounds``' and ``domain.visit``'s, applied here as on the screen and in the
import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.domain import fields
from irp_field.domain import roll_checks as rules
from irp_field.domain import rounds as round_rules
from irp_field.domain.errors import IrpError
from irp_field.domain.roll_checks import RollCounts
from irp_field.domain.shares import share
from irp_field.domain.verdicts import Verdict, refuse_unless_fine
from irp_field.domain.vocabulary import ROLL_CATEGORIES
from irp_field.evidence import purges
from irp_field.evidence.lookups import team_names
from irp_field.evidence.reads import visit_dates
from irp_field.evidence.rounds import Round, ensure_round, find_round, round_by_id


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    capacity: int | None


@dataclass(frozen=True)
class RoundCheck:
    """One row of a round's table: the check of one location in the round."""

    id: str
    location_id: str
    location: str
    taken_at: str
    counts: RollCounts
    inspector: str
    note: str
    round_id: str = ""

    @property
    def share_locked_up(self) -> float | None:
        return share(self.counts.locked_up, self.counts.roll)


def check_id(visit: VisitFile, round_id: str, location_id: str) -> str:
    """The id of the check of one location in one round, on every laptop."""
    return keyed_id(visit.visit_id, "roll_check", round_id, location_id)


def locations(visit: VisitFile) -> list[Location]:
    rows = visit.query(
        "SELECT id, name, capacity FROM location WHERE deleted = 0 ORDER BY name COLLATE NOCASE"
    )
    return [Location(row["id"], row["name"], _capacity(row["capacity"])) for row in rows]


def _capacity(value: object) -> int | None:
    return value if isinstance(value, int) else None


_CHECK_COLUMNS = ", ".join(f"r.{name}" for name in ROLL_CATEGORIES)


def _round_check(row: sqlite3.Row) -> RoundCheck:
    counts = RollCounts(row["roll"], *(row[name] for name in ROLL_CATEGORIES))
    return RoundCheck(
        row["id"],
        row["location_id"],
        row["location"],
        row["taken_at"],
        counts,
        row["inspector"],
        row["note"],
        row["round_id"],
    )


def round_checks(visit: VisitFile, round_id: str) -> list[RoundCheck]:
    """The round's checks, one per location, by location name."""
    rows = visit.query(
        f"SELECT r.id, r.location_id, l.name AS location, r.taken_at, r.roll, {_CHECK_COLUMNS}, "
        "r.inspector, r.note, r.round_id FROM roll_check r "
        "JOIN location l ON l.id = r.location_id "
        "WHERE r.deleted = 0 AND r.round_id = ? ORDER BY l.name COLLATE NOCASE, r.taken_at",
        (round_id,),
    )
    return [_round_check(row) for row in rows]


def get_check(visit: VisitFile, check_id_: str) -> RoundCheck | None:
    row = visit.one(
        f"SELECT r.id, r.location_id, COALESCE(l.name, '') AS location, r.taken_at, r.roll, "
        f"{_CHECK_COLUMNS}, r.inspector, r.note, r.round_id FROM roll_check r "
        "LEFT JOIN location l ON l.id = r.location_id WHERE r.id = ? AND r.deleted = 0",
        (check_id_,),
    )
    return _round_check(row) if row is not None else None


def next_location(places: list[Location], done: set[str], after: str | None = None) -> str | None:
    """The first location after ``after`` (in the list's order, wrapping round) not yet
    checked in this round; None when every location is counted (the round is complete).
    The roll-check screen follows the inspector's route instead (:func:`route`)."""
    return round_rules.next_on_route([place.id for place in places], done, after)


def route(visit: VisitFile, inspector: str, places: list[Location], but: str = "") -> list[str]:
    """The order ``inspector`` walks the locations (their ids), learned from the rounds
    they counted in before (every round but ``but``, the one being counted):
    ``domain.rounds.route``. A check's place in its round is the order it was typed:
    its first save (to the second), then its time (an import's checks, saved in one
    second, keep the order of their times), then its stamp (two typed in one second at
    one time keep their order); so a round typed up from paper at the round's time
    teaches the order of the sheet. The checks carry who counted them, so the route
    travels with them: merged, a laptop learns nothing another inspector walked."""
    live = [place.id for place in places]
    return round_rules.route(_walks(visit, inspector, but, set(live)), live)


def _walks(visit: VisitFile, inspector: str, but: str, live: set[str]) -> Iterator[list[str]]:
    """Each round's checks by ``inspector`` (their locations, in the order typed), the
    earliest round first, read a round at a time until every live location they ever
    counted has been met: a later round moves nothing on the route (``domain.rounds
    .route``), and reading every check of a visit of a million took seconds on F3."""
    met: set[str] = set()
    wanted: set[str] | None = None  # read once the first rounds have not met every place
    ordered = visit.conn.execute(
        "SELECT id FROM roll_round o WHERE o.id != ? "
        "ORDER BY o.on_date, o.at_time, o.name COLLATE NOCASE, o.id",
        (but,),
    )
    for walks, (round_id,) in enumerate(ordered):
        if live <= met:  # every live location met: nothing it could learn is left
            return
        if wanted is None and walks == _WALKS_BEFORE_ASKING:
            wanted = _counted_by(visit, inspector, but) & live
        if wanted is not None and wanted <= met:
            return
        walk = walked(visit, round_id, inspector)
        yield walk
        met.update(walk)


_WALKS_BEFORE_ASKING = 20  # rounds walked before asking which locations were ever counted


def _counted_by(visit: VisitFile, inspector: str, but: str) -> set[str]:
    """Every location ``inspector`` ever counted (but in round ``but``): one pass over
    the checks (+round_id: not a look-up by round of each check; a check of a round the
    file lacks, which a hand made, only makes the walk long)."""
    return {
        str(row[0])
        for row in visit.query(
            "SELECT DISTINCT location_id FROM roll_check WHERE deleted = 0 AND inspector = ? "
            "AND +round_id != ?",
            (inspector, but),
        )
    }


def last_counted(visit: VisitFile, round_id: str, inspector: str) -> str | None:
    """The location ``inspector`` counted last in the round (the last typed), if any."""
    row = visit.one(
        "SELECT location_id FROM roll_check WHERE deleted = 0 AND round_id = ? AND "
        "inspector = ? ORDER BY created_at DESC, taken_at DESC, version DESC LIMIT 1",
        (round_id, inspector),
    )
    return str(row["location_id"]) if row is not None else None


def walked(visit: VisitFile, round_id: str, inspector: str) -> list[str]:
    """The locations ``inspector`` counted in the round, in the order typed (as
    :func:`route` orders a round's checks)."""
    rows = visit.query(
        "SELECT location_id FROM roll_check WHERE deleted = 0 AND round_id = ? AND "
        "inspector = ? ORDER BY created_at, taken_at, version",
        (round_id, inspector),
    )
    return [str(row["location_id"]) for row in rows]


def check_verdicts(
    visit: VisitFile,
    location: Location,
    counts: RollCounts,
    note: str,
    taken_at: str,
    round_: Round | None = None,
    inspector: str = "",
) -> list[Verdict]:
    """Every rule on one roll check (``domain.roll_checks.verdicts``): its counts, its
    note, its location's capacity, its date, its day against its round's and its
    inspector on the team (what the screen shows before saving and
    :func:`record_roll_check` enforces)."""
    context = rules.RollCheckContext(
        visit_dates(visit),
        team_names(visit),
        location.capacity,
        location.name,
        round_.name if round_ is not None else "",
        round_.on_date if round_ is not None else "",
    )
    return rules.verdicts(rules.RollCheck(counts, taken_at, note, inspector), context)


def find_location(visit: VisitFile, location: str) -> Location:
    """A live location by its id or its name (any case)."""
    row = visit.one(
        "SELECT id, name, capacity FROM location WHERE deleted = 0 AND (id = ? OR name = ? "
        "COLLATE NOCASE) ORDER BY id = ? DESC LIMIT 1",
        (location, location.strip(), location),
    )
    if row is None:
        raise IrpError(f"unknown location {location!r}")
    return Location(row["id"], row["name"], _capacity(row["capacity"]))


def _counts_values(counts: RollCounts) -> dict[str, object]:
    values: dict[str, object] = {"roll": counts.roll}
    values.update({name: getattr(counts, name) for name in ROLL_CATEGORIES})
    return values


def record_roll_check(
    visit: VisitFile,
    *,
    location_id: str,
    counts: RollCounts,
    taken_at: str,
    round_label: str = "",
    round_id: str = "",
    inspector: str = "",
    note: str = "",
    allow_outside_visit: bool = False,
    replace: bool = False,
) -> str:
    """Write one roll check in one committed transaction; refuse what a rule refuses.

    ``location_id`` is a location's id or name; the round is ``round_id``, or the round
    named ``round_label`` (started when the visit has none of that name; no name: the
    round of the check's hour). A location already counted in the round is refused
    unless ``replace`` (the check is then changed in place). Returns the check's id.
    """
    try:
        taken_at = fields.moment(taken_at)
    except ValueError as error:
        raise IrpError(f"taken_at: {error}") from None
    with visit.transaction():
        place = find_location(visit, location_id)
        if round_id:
            found_round = round_by_id(visit, round_id)
            if found_round is None:
                raise IrpError(f"no round with id {round_id}")
        else:
            name = round_label.strip() or round_rules.hour_round_name(taken_at)
            found_round = find_round(visit, name) or ensure_round(
                visit, name, taken_at, allow_outside_visit=True
            )
        new_id = check_id(visit, found_round.id, place.id)
        existing = get_check(visit, new_id)
        if existing is not None and not replace:
            refuse_unless_fine(
                round_rules.counted_once_verdicts(
                    place.name, found_round.name, f"at {existing.taken_at[11:16]}"
                )
            )
        refuse_unless_fine(
            check_verdicts(visit, place, counts, note, taken_at, found_round, inspector),
            confirmed=allow_outside_visit,
        )
        values: dict[str, object] = {
            "id": new_id,
            "taken_at": taken_at,
            "location_id": place.id,
            "round_id": found_round.id,
            "inspector": inspector,
            "note": note.strip(),
            **_counts_values(counts),
        }
        return visit.upsert("roll_check", values)


def edit_roll_check(
    visit: VisitFile,
    check_id_: str,
    *,
    counts: RollCounts,
    taken_at: str,
    note: str = "",
    inspector: str | None = None,
    allow_outside_visit: bool = False,
) -> bool:
    """Change a check's counts, time and note in place (its round and location stay:
    they are what the check is of). False when nothing differed."""
    try:
        taken_at = fields.moment(taken_at)
    except ValueError as error:
        raise IrpError(f"taken_at: {error}") from None
    with visit.transaction():
        existing = get_check(visit, check_id_)
        if existing is None:
            raise IrpError("that roll check is deleted or not in this visit")
        place = find_location(visit, existing.location_id)
        refuse_unless_fine(
            check_verdicts(
                visit,
                place,
                counts,
                note,
                taken_at,
                round_by_id(visit, existing.round_id),
                inspector or "",  # a kept inspector is not judged again (they may have left)
            ),
            confirmed=allow_outside_visit,
        )
        changes: dict[str, object] = {"taken_at": taken_at, "note": note.strip()}
        changes.update(_counts_values(counts))
        if inspector is not None:
            changes["inspector"] = inspector
        return visit.update("roll_check", check_id_, changes)


def delete_roll_check(visit: VisitFile, check_id_: str) -> None:
    with visit.transaction():
        visit.delete("roll_check", check_id_)


def restore_roll_check(visit: VisitFile, check_id_: str) -> None:
    """Undo a delete: lift the tombstone (the change log keeps both steps)."""
    purges.restore(visit, "roll_check", check_id_)
