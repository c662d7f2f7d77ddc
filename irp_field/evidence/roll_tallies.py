"""Each round's and each location's roll-check sums, as the figures read them.

The sums are kept by the file (``core.roll_tallies``: triggers on ``roll_check``), so the
roll figures read a row per round and per location instead of every check. A file
whose tallies are not this version's (an older schema read as it is, a table another
tool changed) is summed from its checks instead: never read stale. ``check`` sums the
checks again and names any round or location whose kept sums differ (:func:`drift`);
the import adds each batch's sums itself (:class:`BatchSums`).
"""

from __future__ import annotations

import sqlite3
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from irp_field.core import roll_tallies as kept_tallies
from irp_field.core.roll_tallies import Compared as Compared
from irp_field.core.roll_tallies import compared as compared
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.domain.fields import MOST

SUMMED = kept_tallies.SUMMED
# A round's live locations counted, from its id and its tally's checks (live_counted)
LiveCounted = Callable[[str, int], int]
BY_ROUND = "roll_tally_round"
BY_LOCATION = "roll_tally_location"
BY_INSPECTOR = "roll_tally_inspector"  # who counted (or, when no one is named, who typed)


@dataclass(frozen=True)
class Tally:
    """The live checks of one round or one location, and their counts summed."""

    key: str  # the round's or the location's id
    checks: int
    sums: dict[str, int]  # the roll and each category -> its sum


# visit -> (its schema's cookie, whether it keeps this version's tallies): asked for each
# round an import finds (100,000 at a million checks), the answer holds until the schema
# changes (a migration, a trigger dropped or made again, another tool's table).
_KEPT: weakref.WeakKeyDictionary[VisitFile, tuple[int, bool]] = weakref.WeakKeyDictionary()


def shaped(visit: VisitFile) -> bool:
    """Does the file keep this version's tallies, kept by this version's triggers?"""
    cookie = int(visit.conn.execute("PRAGMA schema_version").fetchone()[0])
    held = _KEPT.get(visit)
    if held is None or held[0] != cookie:
        held = _KEPT[visit] = (cookie, kept_tallies.kept(visit.conn))
    return held[1]


def kept(visit: VisitFile) -> bool:
    """May the figures read the file's kept tallies? Only this version's, and only where
    the file's pages are trusted: of a file from elsewhere, or changed by another hand,
    once they agree with its checks (``VisitFile.tallies_trusted``). If not, every reader
    sums the checks."""
    return shaped(visit) and visit.tallies_trusted()


def source(visit: VisitFile, table: str) -> str:
    """A SELECT of every tally of ``table`` (its key, ``checks`` and each count summed):
    the kept rows, or the checks summed when the file keeps none of this version's."""
    if kept(visit):
        key = kept_tallies.TABLES[table]
        return f"SELECT {key}, checks, {', '.join(SUMMED)} FROM {table}"
    return kept_tallies.summed_sql(table)


def tallies(visit: VisitFile, table: str) -> list[Tally]:
    """Every round's (``BY_ROUND``) or location's (``BY_LOCATION``) tally. A tally no
    sound checks could sum to (a kept one that is no number, or counts no rule lets in
    summed: a REAL of 1e300 or infinity, past ``fields.MOST`` a check, below nought) is
    refused naming the file, never made a figure (an export stopped on "unexpected
    OverflowError", figures on a traceback)."""
    try:
        return [
            Tally(
                str(row[0]),
                _summed(row[1], 1),
                {name: _summed(row[name] or 0, row[1]) for name in SUMMED},
            )
            for row in visit.query(source(visit, table))
        ]
    except ValueError as error:
        raise _no_sum(visit, table, error.args[0] if error.args else None) from None


def _no_sum(visit: VisitFile, table: str, value: Any) -> IrpError:
    """The refusal of a tally no sound checks could sum to: the file, and the round or
    location and the value when it is a number (read again on this path alone)."""
    # a check's count that is no number makes SQLite's SUM a REAL: that check named
    kept_tallies.refuse_unread_counts(visit.conn, visit.path)
    held = "kept roll tallies hold" if kept(visit) else "roll checks sum to"
    if type(value) not in (int, float):
        return IrpError(
            f"{visit.path}: its {held} a value that is no count (another program changed "
            "the file): `irp-field check` names it"
        )
    named = {BY_ROUND: ("roll_round", "in round"), BY_LOCATION: ("location", "at")}
    kind, said = named.get(table, ("", "of"))
    key = next((str(r[0]) for r in visit.query(source(visit, table)) if value in r[1:]), "?")
    name = visit.one(f"SELECT name FROM {kind} WHERE id = ?", (key,)) if kind else None
    shown = f"{value:,}" if type(value) is int else f"{value:g}"
    return IrpError(
        f"{visit.path}: its {held} {shown} {said} {str(name[0] if name else key)[:40]}, which "
        f"no checks the rules let in could (each a whole count, 0 to {MOST:,}: another "
        "program changed the file): `irp-field check` names the check"
    )


def _summed(value: Any, checks: Any) -> int:
    """``value`` as the sum of ``checks`` counts, each whole and at most ``fields.MOST``
    (the rule's bound); ValueError when no sound checks could sum to it."""
    if type(value) is not int or type(checks) is not int or not 0 <= value <= checks * MOST:
        raise ValueError(value)
    return value


def live_checks(visit: VisitFile) -> int:
    """The visit's live checks, read from the kept tallies (a row per location); a file
    that keeps none answers with its checks counted (a scan)."""
    row = visit.one(f"SELECT SUM(checks) FROM ({source(visit, BY_LOCATION)})")
    return int(row[0] or 0) if row is not None else 0


def checks_elsewhere(visit: VisitFile, locations: Sequence[str]) -> dict[str, int]:
    """Each round's live checks of ``locations`` (those the visit no longer has, or
    never had: usually none, and then nothing is read)."""
    if not locations:
        return {}
    marks = ", ".join("?" for _ in locations)
    return {
        str(row[0]): int(row[1])
        for row in visit.query(
            "SELECT round_id, COUNT(DISTINCT location_id) FROM roll_check "
            f"WHERE deleted = 0 AND location_id IN ({marks}) GROUP BY round_id",
            tuple(locations),
        )
    }


def live_counted(visit: VisitFile, live: Iterable[str], located: Iterable[str]) -> LiveCounted:
    """How many of the visit's ``live`` locations (not deleted) a round counted, from its
    tally's ``checks`` (a location is counted once in a round: its check's id is the
    round's and the location's): less the round's checks of a location the visit no
    longer has (``located``: every location checked; usually all live, and then no
    check is read). What ``domain.shares.whole`` is asked of, by the figures and the
    export alike."""
    here = set(live)
    elsewhere = checks_elsewhere(visit, [key for key in located if key not in here])

    def counted(round_id: str, checks: int) -> int:
        return checks - elsewhere.get(round_id, 0)

    return counted


def _words(columns: Sequence[str], kept: Any, summed: Any) -> str:
    if kept is None:
        return f"none kept, the checks hold {summed[0]}"
    if summed is None:
        return f"kept {kept[0]} checks, the file holds none live"
    pairs = zip(columns, kept, summed, strict=True)
    return "; ".join(f"{c} {k} kept, {s} in the checks" for c, k, s in pairs if k != s)


def drift(visit: VisitFile, found: Compared | None = None) -> list[str]:
    """Each round and location whose kept sums differ from its checks', in words (none
    when the file keeps no tallies of this version's: the figures sum the checks).
    ``found``: what :func:`compared` read on another connection of the same file
    (otherwise it is read here)."""
    if not shaped(visit):
        return []
    if found is None:
        found = compared(visit.conn)
        if found is None:
            return []
    columns = ("checks", *SUMMED)
    rounds = {r["id"]: r["name"] for r in visit.query("SELECT id, name FROM roll_round")}
    places = {r["id"]: r["name"] for r in visit.query("SELECT id, name FROM location")}
    said = []
    for table, what, names in ((BY_ROUND, "round", rounds), (BY_LOCATION, "location", places)):
        for key, held, summed in found.get(table, []):
            name = names.get(key) or f"with id {key!r}"
            said.append(
                f"roll tallies: {what} {name}: {_words(columns, held, summed)} "
                "(the figures sum the checks instead; a writer's opening sums it again)"
            )
    return said


class BatchSums:
    """An import's roll checks added to the tallies batch by batch, the triggers lifted
    for its transaction (a trigger a row doubled an import's cost). Rows are given as
    the import writes them, with the position of each column in ``columns``."""

    def __init__(self, conn: sqlite3.Connection, columns: Sequence[str], typed_by: str) -> None:
        self.conn = conn
        self.kept = kept_tallies.kept(conn)
        self._at = {name: columns.index(name) for name in (*kept_tallies.KEYS, *SUMMED)}
        self._counts = itemgetter(*(self._at[name] for name in SUMMED))
        self.typed_by = typed_by  # the rows' created_by: their inspector when none is named
        self._taken = False
        if self.kept:
            kept_tallies.lift(conn)

    def _sums(
        self,
        rows: Sequence[Sequence[Any]],
        counts: Sequence[Sequence[int]],
        key: str,
        sign: int,
        typed_by: str,
    ) -> dict[Any, list[int]]:
        keys: Iterable[Any] = map(itemgetter(self._at[key]), rows)
        if key == "inspector":  # as ``kept_tallies.KEYS`` has it: or who typed the check
            keys = [of or typed_by for of in keys]
        # each key's counts gathered, then summed a column at a time (no loop a count)
        held: defaultdict[Any, list[Sequence[int]]] = defaultdict(list)
        for of, counted in zip(keys, counts, strict=True):
            held[of].append(counted)
        return {
            of: [sign * len(each), *(sign * sum(column) for column in zip(*each, strict=True))]
            for of, each in held.items()
        }

    def add(
        self, rows: Sequence[Sequence[Any]], sign: int = 1, typed_by: str | None = None
    ) -> None:
        """Live rows written (``sign=-1``: live rows about to be replaced; ``typed_by``:
        the rows' created_by, when not the import's: a replaced check keeps its own)."""
        if not self.kept or not rows:
            return
        counts = list(map(self._counts, rows))  # each row's counts, once for every table
        for table, key in kept_tallies.TABLES.items():
            sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in ("checks", *SUMMED))
            marks = ", ".join("?" for _ in range(len(SUMMED) + 2))
            self.conn.executemany(
                f"INSERT INTO {table} ({key}, checks, {', '.join(SUMMED)}) VALUES ({marks}) "
                f"ON CONFLICT ({key}) DO UPDATE SET {sets}",
                [
                    (k, *sums)
                    for k, sums in self._sums(
                        rows, counts, key, sign, typed_by or self.typed_by
                    ).items()
                ],
            )
        self._taken = self._taken or sign < 0

    def done(self) -> None:
        """The triggers made again (inside the import's transaction)."""
        if not self.kept:
            return
        if self._taken:  # a key whose checks were all replaced by none: no row, as summed
            for table in kept_tallies.TABLES:
                self.conn.execute(f"DELETE FROM {table} WHERE checks = 0")
        kept_tallies.restore(self.conn)
        self.kept = False
