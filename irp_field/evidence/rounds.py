"""Rounds of roll checks: listed, started, renamed and re-timed; each a record of its own.

A round's id is keyed by the name it was started with, so two laptops that start "Tue
PM" start the same round (and their checks of one location in it are one record, see
``roll_checks.check_id``). Renaming a round keeps its id: its checks follow it. The
rules are ``domain.rounds``' and ``domain.visit``'s (a day outside the visit is asked
about).
"""

from __future__ import annotations

import json
import sqlite3
import string
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.domain import rounds as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import Verdict, refuse_unless_fine
from irp_field.domain.visit import date_verdicts
from irp_field.evidence import links, roll_tallies
from irp_field.evidence.reads import visit_dates


@dataclass(frozen=True)
class Round:
    id: str
    name: str
    on_date: str
    at_time: str
    counted: int = 0  # locations counted in it (live checks)

    @property
    def label(self) -> str:
        """ "Tue PM (15 Mar 14:00)": what the screens list."""
        return f"{self.name} ({self.on_date} {self.at_time})".replace("( ", "(")


# A round's live checks: its kept tally (a look-up), or counted from its checks when the
# file keeps no tallies of this version's (``roll_tallies``). Counted per round, listing
# 100,000 rounds walked a million checks (six seconds on F3).
_COUNTED_KEPT = "COALESCE((SELECT t.checks FROM roll_tally_round t WHERE t.round_id = o.id), 0)"
_COUNTED = "(SELECT COUNT(*) FROM roll_check r WHERE r.round_id = o.id AND r.deleted = 0)"


def _columns(visit: VisitFile) -> str:
    counted = _COUNTED_KEPT if roll_tallies.kept(visit) else _COUNTED
    return f"o.id, o.name, o.on_date, o.at_time, {counted} AS counted"


def _round(row: sqlite3.Row) -> Round:  # the columns by their place: 100,000 rounds listed
    return Round(row[0], row[1], row[2], row[3], int(row[4]))


# A round deleted on one laptop while another counted in it is listed again: no check
# counts in a round nobody can see. It is found by its name, and its name is taken, as
# any listed round's (`irp-field check` warns of it; editing it keeps it).
_LISTED = (
    "(o.deleted = 0 OR EXISTS (SELECT 1 FROM roll_check r WHERE r.round_id = o.id "
    "AND r.deleted = 0))"
)


def rounds(visit: VisitFile) -> list[Round]:
    """The visit's rounds in the order they were (or are to be) walked."""
    rows = visit.query(
        f"SELECT {_columns(visit)} FROM roll_round o WHERE {_LISTED} "
        "ORDER BY o.on_date, o.at_time, o.name COLLATE NOCASE"
    )
    return [_round(row) for row in rows]


def round_by_id(visit: VisitFile, round_id: str) -> Round | None:
    row = visit.one(f"SELECT {_columns(visit)} FROM roll_round o WHERE o.id = ?", (round_id,))
    return _round(row) if row is not None else None


def find_round(visit: VisitFile, name_or_id: str) -> Round | None:
    """A listed round by its name (any case) or its id."""
    row = visit.one(
        f"SELECT {_columns(visit)} FROM roll_round o WHERE {_LISTED} AND (o.id = ? OR "
        "o.name = ? COLLATE NOCASE) ORDER BY o.id = ? DESC, o.deleted LIMIT 1",
        (name_or_id, name_or_id.strip(), name_or_id),
    )
    return _round(row) if row is not None else None


# SQLite's NOCASE: ASCII letters alone folded
_NOCASE = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def find_rounds(visit: VisitFile, names: Collection[str]) -> dict[str, Round]:
    """:func:`find_round` of many names or ids (stripped) in one read: each that finds a
    listed round -> that round (its id first, then a live round of that name)."""
    if not names:
        return {}
    rows = visit.query(
        f"SELECT {_columns(visit)}, o.deleted FROM roll_round o WHERE {_LISTED} AND o.id IN "
        "(SELECT value FROM json_each(?1)) UNION ALL "
        f"SELECT {_columns(visit)}, o.deleted FROM roll_round o WHERE {_LISTED} AND o.name "
        "COLLATE NOCASE IN (SELECT value FROM json_each(?1))",
        (json.dumps(list(names)),),
    )
    by_id: dict[str, sqlite3.Row] = {}
    by_name: dict[str, sqlite3.Row] = {}
    for row in rows:
        by_id[row["id"]] = row
        key = str(row["name"]).translate(_NOCASE)
        if key not in by_name or (by_name[key]["deleted"] and not row["deleted"]):
            by_name[key] = row
    found = {}
    for name in names:
        held = by_id.get(name) or by_name.get(name.translate(_NOCASE))
        if held is not None:
            found[name] = _round(held)
    return found


def _names_but(visit: VisitFile, round_id: str) -> dict[str, str]:
    return {
        str(row[0]).casefold(): str(row[0])
        for row in visit.query(
            f"SELECT o.name FROM roll_round o WHERE {_LISTED} AND o.id != ?", (round_id,)
        )
    }


def round_verdicts(
    visit: VisitFile, name: str, on_date: str, at_time: str, round_id: str = ""
) -> tuple[rules.RoundEntry, list[Verdict]]:
    """Every rule on a round as typed: its name (and that no other round has it), its
    day (inside the visit, or asked about) and its time."""
    entry, found = rules.round_verdicts(name, on_date, at_time)
    found += rules.name_taken_verdicts(entry.name, _names_but(visit, round_id))
    found += date_verdicts(entry.on_date, visit_dates(visit), "on_date")
    return entry, found


def _new_round_id(visit: VisitFile, entry: rules.RoundEntry) -> str:
    """Keyed by the name; a renamed round keeps the id its first name made, so a new
    round of that first name is keyed by its day and time too."""
    return _round_id_held(visit, entry)[0]


def _round_id_held(visit: VisitFile, entry: rules.RoundEntry) -> tuple[str, bool]:
    """:func:`_new_round_id`, and whether the file holds a row of that id (a deleted
    round of that name)."""
    round_id = keyed_id(visit.visit_id, "roll_round", entry.name.casefold())
    held = visit.row("roll_round", round_id)
    if held is None:
        return round_id, False
    if str(held["name"]).casefold() == entry.name.casefold():
        return round_id, True
    other = keyed_id(
        visit.visit_id, "roll_round", entry.name.casefold(), entry.on_date, entry.at_time
    )
    return other, visit.row("roll_round", other) is not None


def insert_round(visit: VisitFile, entry: rules.RoundEntry) -> str:
    """Write a round the caller has checked (an import: its name is new, its day and
    time parsed); in the open transaction. Returns its id."""
    return visit.upsert(
        "roll_round",
        {
            "id": _new_round_id(visit, entry),
            "name": entry.name,
            "on_date": entry.on_date,
            "at_time": entry.at_time,
            "deleted": 0,
        },
    )


def import_rounds(visit: VisitFile, entries: Sequence[rules.RoundEntry]) -> list[str]:
    """New rounds an import names (each name once), written as the import writes its
    checks (one entry in the change log for the whole import, not one a row), in one
    statement; in the open transaction. Returns their ids, in ``entries``' order."""
    ids = [keyed_id(visit.visit_id, "roll_round", entry.name.casefold()) for entry in entries]
    held = {
        str(row[0])
        for row in visit.query(
            "SELECT id FROM roll_round WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
    }
    visit.insert_values(
        "roll_round",
        ("id", "name", "on_date", "at_time"),
        [
            (round_id, entry.name, entry.on_date, entry.at_time)
            for round_id, entry in zip(ids, entries, strict=True)
            if round_id not in held
        ],
    )
    # a deleted round of that name (or a renamed round's first name): as a round started
    return [
        insert_round(visit, entry) if round_id in held else round_id
        for round_id, entry in zip(ids, entries, strict=True)
    ]


def start_round(
    visit: VisitFile,
    name: str,
    on_date: str,
    at_time: str,
    *,
    allow_outside_visit: bool = False,
) -> Round:
    """A new round (refused when the visit has a round of that name)."""
    entry, found = round_verdicts(visit, name, on_date, at_time)
    refuse_unless_fine(found, confirmed=allow_outside_visit, what=f"round {name.strip()}")
    with visit.transaction():
        round_id = insert_round(visit, entry)
    found_round = round_by_id(visit, round_id)
    assert found_round is not None
    return found_round


def ensure_round(
    visit: VisitFile, name: str, moment: str, *, allow_outside_visit: bool = False
) -> Round:
    """The live round called ``name``, started at ``moment`` when there is none."""
    existing = find_round(visit, name)
    if existing is not None:
        return existing
    return start_round(
        visit, name, moment[:10], moment[11:16], allow_outside_visit=allow_outside_visit
    )


def edit_round(
    visit: VisitFile,
    round_id: str,
    *,
    name: str,
    on_date: str,
    at_time: str,
    allow_outside_visit: bool = False,
) -> bool:
    """Rename a round or change its day and time; its checks stay in it."""
    entry, found = round_verdicts(visit, name, on_date, at_time, round_id)
    refuse_unless_fine(found, confirmed=allow_outside_visit, what=f"round {name.strip()}")
    with visit.transaction():
        if round_by_id(visit, round_id) is None:
            raise IrpError(f"no round with id {round_id}")
        return visit.update(
            "roll_round",
            round_id,
            {"name": entry.name, "on_date": entry.on_date, "at_time": entry.at_time, "deleted": 0},
        )


def delete_round(visit: VisitFile, round_id: str) -> None:
    """Delete a round nothing was counted in (a round started by mistake)."""
    with visit.transaction():
        found = round_by_id(visit, round_id)
        if found is None:
            raise IrpError(f"no round with id {round_id}")
        if found.counted:
            raise IrpError(
                f"round {found.name} has {found.counted} check(s): delete them first, "
                "or rename the round"
            )
        visit.delete("roll_round", round_id)
        links.drop_round_links(visit, round_id)


def _rounds_on(visit: VisitFile, listed: list[Round] | None) -> dict[str, str]:
    if listed is not None:  # the rounds as :func:`rounds` listed them: not read again
        return {r.name.casefold(): r.on_date for r in listed}
    return {
        str(row["name"]).casefold(): str(row["on_date"])
        for row in visit.query(f"SELECT o.name, o.on_date FROM roll_round o WHERE {_LISTED}")
    }


def suggest_round_name(visit: VisitFile, moment: str, listed: list[Round] | None = None) -> str:
    """The round of ``moment``: "Tue PM" (the visit's own "Tue PM" when it is on that
    day), or with its date when the visit has a "Tue PM" on another day. ``listed``:
    the visit's rounds, when the caller has just read them (:func:`rounds`)."""
    return rules.suggest_name(moment, _rounds_on(visit, listed))


def new_round_name(visit: VisitFile, moment: str, listed: list[Round] | None = None) -> str:
    """A name for another round at ``moment`` that no round of the visit has."""
    return rules.new_name(moment, _rounds_on(visit, listed))
