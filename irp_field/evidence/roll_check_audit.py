"""Roll checks read back through their rules, for ``check`` and the merge
(``evidence.audit``): the kind that runs to millions of rows, so SQLite asks the
domain's fast path of each row as it reads and only the rows it doubts come back, to
be given ``domain.roll_checks.verdicts`` with where they are.

Also the small pieces every kind's reading shares (:class:`Found`, the values of a
file read as text and as whole numbers).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from irp_field.core.visit_file import VisitFile
from irp_field.domain import fields, roll_checks
from irp_field.domain.names import unwritable
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
    # A record it names that its file lacks (``domain.references``): the reference and
    # the values named, which a merge looks for in the target and its other files.
    awaited: tuple[Any, tuple[Any, ...]] | None = None


def text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def moment_verdicts(taken_at: str) -> list[Verdict]:
    """A check's moment is a real date and time, as the import and the screen parse it."""
    try:
        fields.moment(taken_at)
    except ValueError as error:
        return [Verdict("taken_at", str(error))]
    return []


ROLL_CHECK_COUNTS = ", ".join(roll_checks.COUNT_FIELDS)
UNREMARKABLE = "irp_field_unremarkable_roll_check"  # the fast path, as SQLite calls it
HELD = 100_000  # moments whose date verdict the fast path keeps


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


# What the rules read of a check, in the order its reading hands each doubted row on.
READ = (
    *("id", "version", "taken_at", "location_id", "inspector", "round_id"),
    *roll_checks.COUNT_FIELDS,
    "note",
)
# What the fast path asks of a check, when SQLite hands it these alone (no judge rides).
ASKED = ("taken_at", "location_id", "inspector", "round_id", "note", *roll_checks.COUNT_FIELDS)


def _unremarkable(
    world: RollCheckWorld, holds: Callable[[str], bool], columns: Sequence[str]
) -> Callable[[tuple[Any, ...]], bool]:
    """The roll checks' fast path, for SQLite to call on every row (a row of ``columns``,
    as one tuple): True only when the domain's own checks (``roll_checks.fine``,
    ``VisitDates.holds``) have nothing to say of a check at a known location, on its
    round's day, by a member of the team; any other row comes back to Python whole, for
    ``roll_checks.verdicts``.

    ``holds`` is asked once per distinct moment (a visit's checks share a few thousand;
    the answers kept are bounded, so memory does not grow with the file)."""
    fine, unknown = roll_checks.fine, object()
    capacity_of = {key: place[1] for key, place in world.places.items()}.get
    day_of = {key: found[1] for key, found in world.rounds.items()}.get
    members, team = {"", *world.team.values()}, world.team  # as spelt: no casefold per row
    held: dict[str, bool] = {}
    at = {name: place for place, name in enumerate(columns)}
    taken, location, by, in_round, noted = (
        at[name] for name in ("taken_at", "location_id", "inspector", "round_id", "note")
    )
    counts_of = operator.itemgetter(*(at[name] for name in roll_checks.COUNT_FIELDS))

    def unremarkable(row: tuple[Any, ...]) -> bool:
        capacity: Any = capacity_of(row[location], unknown)
        if capacity is unknown:
            return False
        try:
            # Whole numbers only (``fine``): a float, text or NULL goes the slow way,
            # where it is refused as not a whole number.
            if not fine(counts_of(row), capacity):
                return False
            inspector, note, taken_at = row[by], row[noted], row[taken]
            if team and inspector not in members and inspector.strip().casefold() not in team:
                return False
            if note and unwritable(note) is not None:  # the note's rule, but its characters
                return False  # (``fine`` knows: a note is needed only when nobody is missing)
            if not taken_at.startswith(day_of(row[in_round], "")):  # its round's day, if any
                return False
            inside = held.get(taken_at)
            if inside is None:
                if len(held) >= HELD:
                    held.clear()
                inside = held[taken_at] = holds(taken_at)
            return inside
        except (TypeError, AttributeError):  # also a taken_at or an inspector not text
            return False

    return unremarkable


def _holds(world: RollCheckWorld) -> Callable[[str], bool]:
    def holds(taken_at: str) -> bool:  # not text: the slow way, where it is refused
        return (
            isinstance(taken_at, str)
            and not moment_verdicts(taken_at)
            and world.dates.holds(taken_at)
        )

    return holds


class RollChecksRiding:
    """The roll checks' fast path given to the merge's row checks (``check``): asked in
    their one pass over the table (``replication.row_checks.Riding``), it is handed the
    live rows it doubts, and :func:`roll_check_findings` judges those, reading no check
    again (unless the pass could not keep them all: then it reads them itself)."""

    def __init__(self, visit: VisitFile) -> None:
        self.world = RollCheckWorld.of(visit)
        self.doubted: list[tuple[Any, ...]] | None = None
        self.keyed = False  # set by the pass: the key rule asked of every live check in it
        self.read: Callable[[tuple[Any, ...]], tuple[Any, ...]] | None = None

    def fine_for(self, columns: Sequence[str]) -> Callable[[tuple[Any, ...]], bool] | None:
        if not set(READ) <= set(columns):
            return None  # a file of an older schema: read the usual way
        self.read = operator.itemgetter(*(columns.index(name) for name in READ))
        return _unremarkable(self.world, _holds(self.world), columns)

    def rows(self) -> list[tuple[Any, ...]] | None:
        """The doubted rows as :data:`READ` lists their values (None: not read)."""
        if self.doubted is None or self.read is None:
            return None
        return [self.read(row) for row in self.doubted]


def roll_check_findings(
    visit: VisitFile, riding: RollChecksRiding | None = None
) -> Iterator[Found]:
    """Every roll check through its rules. SQLite calls the domain's fast path on each
    row as it reads (no row object is built for the millions nothing is wrong with) and
    hands back only the rows that need the full verdicts; ``riding``: the rows it
    doubted in the merge's row checks' pass, when that pass read them all."""
    ridden = riding.rows() if riding is not None else None
    world = riding.world if riding is not None else RollCheckWorld.of(visit)
    if ridden is not None:
        yield from _judged(ridden, world)
        return
    judge = _unremarkable(world, _holds(world), ASKED)
    visit.conn.create_function(UNREMARKABLE, len(ASKED), lambda *row: judge(row))
    cursor = visit.conn.cursor()
    try:
        cursor.execute(
            f"SELECT {', '.join(READ)} FROM roll_check WHERE deleted = 0 "
            f"AND NOT {UNREMARKABLE}({', '.join(ASKED)})"
        )
        yield from _judged(cursor, world)
    finally:
        # Closed first: SQLite will not replace a function a live statement uses. Python
        # 3.11 cannot unregister one, so None takes its place (and the closure, with the
        # places it holds, is let go): a later call fails instead of running stale.
        cursor.close()
        visit.conn.create_function(UNREMARKABLE, len(ASKED), None)


def _judged(rows: Iterable[tuple[Any, ...]], world: RollCheckWorld) -> Iterator[Found]:
    """Each doubted row (its values as :data:`READ` lists them) through the full rules."""
    for row_id, version, taken_at, location_id, inspector, round_id, *rest in rows:
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
    unread = roll_checks.stored_count_verdicts(counts)
    check = roll_checks.RollCheck(
        roll_checks.as_judged(counts), "" if moment else taken_at, text(note), inspector
    )
    context = roll_checks.RollCheckContext(
        dates, team or {}, capacity, name or "the location", *round_, stored=True
    )
    judged = roll_checks.judged_apart(roll_checks.verdicts(check, context), unread)
    for verdict in unread + moment + judged:
        yield Found("roll check", where, verdict)
