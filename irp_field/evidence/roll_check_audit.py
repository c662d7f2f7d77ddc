"""Roll checks read back through their rules, for ``check`` and the merge
(``evidence.audit``): the kind that runs to millions of rows, so SQLite judges each row
by the domain's fast path, in SQL generated from the domain, as it reads, and only the
rows it doubts come back, to be given ``domain.roll_checks.verdicts`` with where they
are.

Also the small pieces every kind's reading shares (:class:`Found`, the values of a
file read as text and as whole numbers).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from irp_field.core.visit_file import VisitFile
from irp_field.domain import fields, roll_checks
from irp_field.domain.names import plainly_writable_sql
from irp_field.domain.roll_checks import RollCounts
from irp_field.domain.verdicts import Verdict
from irp_field.domain.visit import VisitDates
from irp_field.evidence.lookups import team_names
from irp_field.evidence.reads import visit_dates


@dataclass(frozen=True)
class Found:
    kind: str  # "roll check", "note" ...
    where: str  # which record, in the inspectors' words
    verdict: Verdict
    record: tuple[str, str, str] = ("", "", "")  # (table, id, version) of the row judged


def text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def whole(value: Any) -> int:
    return value if isinstance(value, int) else -1  # not a whole number: refused as negative


def moment_verdicts(taken_at: str) -> list[Verdict]:
    """A check's moment is a real date and time, as the import and the screen parse it."""
    try:
        fields.moment(taken_at)
    except ValueError as error:
        return [Verdict("taken_at", str(error))]
    return []


ROLL_CHECK_COUNTS = ", ".join(roll_checks.COUNT_FIELDS)
# The name the roll checks' fast path had as a Python function SQLite called: it is SQL
# now (``unremarkable_sql``), and no function of this name is left registered.
UNREMARKABLE = "irp_field_unremarkable_roll_check"
HELD = 100_000  # moments whose date verdict a fast path keeps (periods, notes)


@dataclass(frozen=True)
class RollCheckWorld:
    """What the roll checks' rules need of the visit, read once for all its checks."""

    places: dict[Any, tuple[str, int | None]]  # location id -> (name, capacity)
    rounds: dict[Any, tuple[str, str]]  # round id -> (name, day)
    team: dict[str, str]  # casefolded name -> name
    dates: VisitDates

    @classmethod
    def of(cls, visit: VisitFile) -> RollCheckWorld:
        return cls(
            {  # a capacity that is no whole number is the location's own finding
                row[0]: (row[1], row[2] if isinstance(row[2], int) else None)
                for row in visit.query("SELECT id, name, capacity FROM location WHERE deleted = 0")
            },
            {
                row[0]: (text(row[1]), text(row[2]))
                for row in visit.query("SELECT id, name, on_date FROM roll_round WHERE deleted = 0")
            },
            team_names(visit),
            visit_dates(visit),
        )


def unremarkable_sql(world: RollCheckWorld) -> tuple[str, tuple[Any, ...]]:
    """The roll checks' fast path as one SQL condition on ``roll_check c`` (joined to its
    live location ``l`` and round ``r``), and its parameters: true only when the domain's
    own rules have nothing to say of a check (its counts: ``roll_checks.fine_sql``; its
    moment, a stored one inside the visit: ``VisitDates.moment_inside_sql``;
    its note: ``names.plainly_writable_sql``), at a known location, on its round's day,
    by a member of the team as the team spells them. Generated from the domain, never
    written out here; any other row comes back to Python whole, for
    ``roll_checks.verdicts``. SQLite judges each row without calling into Python, so the
    reading holds no lock that ``check``'s other thread needs (a Python function a row
    held the interpreter's, and the two threads took turns)."""
    columns = {name: f"c.{name}" for name in roll_checks.COUNT_FIELDS}
    columns["capacity"] = "(CASE WHEN typeof(l.capacity) = 'integer' THEN l.capacity END)"
    inside, dates = world.dates.moment_inside_sql("c.taken_at")
    members, team = "", ()
    if world.team:  # as the team spells them; one parameter, however long the team
        members = "AND c.inspector IN (SELECT value FROM json_each(?)) "
        team = (json.dumps(["", *world.team.values()]),)
    condition = (
        f"l.id IS NOT NULL AND {roll_checks.fine_sql(columns)} "
        f"{members}AND (c.note = '' OR {plainly_writable_sql('c.note')}) "
        "AND (r.id IS NULL OR (typeof(r.on_date) = 'text' AND "
        "substr(c.taken_at, 1, length(r.on_date)) = r.on_date)) "
        f"AND {inside}"
    )
    return condition, (*team, *dates)


def roll_check_findings(visit: VisitFile) -> Iterator[Found]:
    """Every roll check through its rules. SQLite judges each row by the domain's fast
    path as it reads (:func:`unremarkable_sql`: no row object is built for the millions
    nothing is wrong with) and hands back only the rows that need the full verdicts."""
    world = RollCheckWorld.of(visit)
    unremarkable, parameters = unremarkable_sql(world)
    counts = ", ".join(f"c.{name}" for name in roll_checks.COUNT_FIELDS)
    cursor = visit.conn.execute(
        f"SELECT c.id, c.version, c.taken_at, c.location_id, c.inspector, c.round_id, "
        f"{counts}, c.note FROM roll_check c "
        "LEFT JOIN location l ON l.id = c.location_id AND l.deleted = 0 "
        "LEFT JOIN roll_round r ON r.id = c.round_id AND r.deleted = 0 "
        f"WHERE c.deleted = 0 AND ({unremarkable}) IS NOT 1",
        parameters,
    )
    try:
        for row_id, version, taken_at, location_id, inspector, round_id, *rest in cursor:
            record = ("roll_check", text(row_id), text(version))
            place = world.places.get(location_id, (None, None))
            round_ = world.rounds.get(round_id, ("", ""))
            for found in _roll_check_verdicts(
                text(taken_at),
                place[0],
                place[1],
                rest[:-1],
                rest[-1],
                world.dates,
                inspector=text(inspector),
                team=world.team,
                round_=round_,
            ):
                yield Found(found.kind, found.where, found.verdict, record)
    finally:
        cursor.close()


def _roll_check_verdicts(
    taken_at: str,
    name: str | None,
    capacity: int | None,
    counts: list[Any],
    note: Any,
    dates: VisitDates,
    *,
    inspector: str = "",
    team: dict[str, str] | None = None,
    round_: tuple[str, str] = ("", ""),
) -> Iterator[Found]:
    """One stored check through ``roll_checks.verdicts`` (``name`` None: its location is
    not in the visit; ``round_``: its round's name and day)."""
    where = f"{name or 'an unknown location'} at {taken_at}"
    if name is None:
        yield Found("roll check", where, Verdict("location", "its location is not in the visit"))
    moment = moment_verdicts(taken_at)
    check = roll_checks.RollCheck(
        RollCounts(*(whole(c) for c in counts)), "" if moment else taken_at, text(note), inspector
    )
    context = roll_checks.RollCheckContext(
        dates, team or {}, capacity, name or "the location", *round_, stored=True
    )
    for verdict in moment + roll_checks.verdicts(check, context):
        yield Found("roll check", where, verdict)
