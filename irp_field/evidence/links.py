"""Rounds and subjects' days linked to plan items: the links written, read and counted.

A round of roll checks (``round_link``) or a subject's day of time out of cell
(``toc_day_link``) is linked to plan items as a note is (``drafts.link_plan_items``): a
link's id comes from what it joins, so two laptops that link the same round to the same
item write one record, linking again writes nothing, and an unlinked item is a
tombstone; a merge takes the union of what each laptop meant. The rules are
``domain.links``'; the overview counts what is linked (``link_counts``, which names the
tables), and the findings screen lists it (``findings.paragraphs.evidence_for_plan_item``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.domain import links as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.time_out_of_cell import DayTotals
from irp_field.domain.verdicts import Verdict, refuse_unless_fine
from irp_field.evidence import lookups, toc_days
from irp_field.evidence.link_counts import DAY_TABLE, ROUND_TABLE


def round_link_id(visit: VisitFile, round_id: str, plan_item_id: str) -> str:
    return keyed_id(visit.visit_id, ROUND_TABLE, round_id, plan_item_id)


def day_link_id(visit: VisitFile, subject: str, on_date: str, plan_item_id: str) -> str:
    return keyed_id(visit.visit_id, DAY_TABLE, subject, on_date, plan_item_id)


# -- what may be linked ----------------------------------------------------------------


def rounds_with_checks(visit: VisitFile) -> dict[str, str]:
    """casefolded name -> id of every round that has live checks (the figures count them,
    and the screens list it, even when one laptop deleted the round as another counted
    in it: the live round of a name first)."""
    rows = visit.query(
        "SELECT o.id, o.name FROM roll_round o WHERE EXISTS (SELECT 1 FROM roll_check r "
        "WHERE r.round_id = o.id AND r.deleted = 0) ORDER BY o.deleted DESC, o.name"
    )
    return {str(row["name"]).casefold(): str(row["id"]) for row in rows}


def days_with_periods(visit: VisitFile) -> set[tuple[str, str]]:
    """(date, subject) of every subject's day that has live periods."""
    rows = visit.query("SELECT DISTINCT on_date, subject FROM toc_period WHERE deleted = 0")
    return {(str(row["on_date"]), str(row["subject"])) for row in rows}


def _has_periods(visit: VisitFile, subject: str, on_date: str) -> bool:
    return (
        visit.one(
            "SELECT 1 FROM toc_period WHERE subject = ? AND on_date = ? AND deleted = 0 LIMIT 1",
            (subject, on_date),
        )
        is not None
    )


def _plan_ids(visit: VisitFile, refs: Iterable[str], verdicts: list[Verdict]) -> list[str]:
    known = lookups.plan_ids(visit)
    wanted = list(dict.fromkeys(ref.strip() for ref in refs if ref.strip()))
    verdicts += [
        Verdict("plan_ref", f"unknown plan ref {ref!r}")
        for ref in wanted
        if ref.casefold() not in known
    ]
    return [known[ref.casefold()] for ref in wanted if ref.casefold() in known]


# -- writing ---------------------------------------------------------------------------


def link_round(visit: VisitFile, round_id: str, plan_refs: Iterable[str]) -> list[str]:
    """Make the round's live links exactly these plan items (by ref); gives their ids."""
    with visit.transaction():
        found = visit.one(
            "SELECT o.name, EXISTS (SELECT 1 FROM roll_check r WHERE r.round_id = o.id "
            "AND r.deleted = 0) AS counted FROM roll_round o WHERE o.id = ?",
            (round_id,),
        )
        name = str(found["name"]) if found is not None else ""
        verdicts: list[Verdict] = []
        if found is None or not found["counted"]:
            verdicts.append(Verdict("round", f"no round {name or round_id!r} with checks"))
        wanted = _plan_ids(visit, plan_refs, verdicts)
        refuse_unless_fine(verdicts, what=f"round {name}" if name else "the round")
        links = {round_link_id(visit, round_id, p): p for p in wanted}
        _make_exactly(
            visit, ROUND_TABLE, "round_id = ?", (round_id,), links, {"round_id": round_id}
        )
    return wanted


def link_day(visit: VisitFile, subject: str, on_date: str, plan_refs: Iterable[str]) -> list[str]:
    """Make the subject's day's live links exactly these plan items (by ref)."""
    (day, who), verdicts = rules.day_verdicts(on_date, subject)
    with visit.transaction():
        if not verdicts and not _has_periods(visit, who, day):
            verdicts.append(Verdict("subject", f"{who} has no periods on {day}"))
        wanted = _plan_ids(visit, plan_refs, verdicts)
        refuse_unless_fine(verdicts, what=f"{who}'s day" if who else "the day")
        links = {day_link_id(visit, who, day, p): p for p in wanted}
        _make_exactly(
            visit, DAY_TABLE, "subject = ? AND on_date = ?", (who, day), links,
            {"subject": who, "on_date": day},
        )  # fmt: skip
    return wanted


def changed_refs(
    held: list[str], add: Iterable[str], remove: Iterable[str], what: str
) -> list[str]:
    """The plan refs a round or day is linked to once ``add`` are linked and ``remove``
    unlinked (refs in any case); unlinking a ref it is not linked to is refused, naming
    both (a typo must not read as done)."""
    kept = {ref.casefold(): ref for ref in held}
    for ref in (r.strip() for r in remove if r.strip()):
        if kept.pop(ref.casefold(), None) is None:
            linked = ", ".join(held) or "nothing"
            raise IrpError(f"{what} is not linked to {ref} (it is linked to {linked})")
    for ref in (r.strip() for r in add if r.strip()):
        kept.setdefault(ref.casefold(), ref)
    return list(kept.values())


def relink_round(
    visit: VisitFile, round_id: str, add: Iterable[str] = (), remove: Iterable[str] = ()
) -> list[str]:
    """Link the round to ``add`` and unlink it from ``remove`` (plan refs), keeping its
    other links; gives the refs it is linked to now."""
    name = visit.one("SELECT name FROM roll_round WHERE id = ?", (round_id,))
    what = f"round {name['name'] if name is not None else round_id}"
    link_round(visit, round_id, changed_refs(round_plan_refs(visit, round_id), add, remove, what))
    return round_plan_refs(visit, round_id)


def relink_day(
    visit: VisitFile,
    subject: str,
    on_date: str,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> list[str]:
    """Link a subject's day to ``add`` and unlink it from ``remove``, keeping the rest."""
    (day, who), verdicts = rules.day_verdicts(on_date, subject)
    refuse_unless_fine(verdicts, what=f"{who}'s day" if who else "the day")
    held = day_plan_refs(visit, who, day)
    link_day(visit, who, day, changed_refs(held, add, remove, f"{who}'s day {day}"))
    return day_plan_refs(visit, who, day)


def _make_exactly(
    visit: VisitFile,
    table: str,
    where: str,
    params: tuple[str, ...],
    wanted: dict[str, str],
    joined: dict[str, str],
) -> None:
    """The live links of one round or day made exactly ``wanted`` (link id -> plan item
    id), in the open transaction: the others tombstoned, the new ones written, the ones
    already there left alone (no new version: a merge sees nothing changed)."""
    held = {
        str(row["id"])
        for row in visit.query(f"SELECT id FROM {table} WHERE deleted = 0 AND {where}", params)
    }
    for link_id in held - set(wanted):
        visit.delete(table, link_id)
    for link_id, plan_item_id in wanted.items():
        if link_id not in held:
            visit.upsert(table, {"id": link_id, **joined, "plan_item_id": plan_item_id})


def insert_links(visit: VisitFile, entries: Iterable[rules.LinkEntry]) -> int:
    """Links an import found good (its plan refs, rounds and days checked), added to those
    the visit has, in the open transaction; gives how many were new."""
    plan, rounds = lookups.plan_ids(visit), rounds_with_checks(visit)
    made = 0
    for entry in entries:
        plan_item_id = plan[entry.plan_ref.casefold()]
        if entry.kind == rules.ROUND:
            round_id = rounds[entry.round_name.casefold()]
            link_id = round_link_id(visit, round_id, plan_item_id)
            values = {"round_id": round_id}
        else:
            link_id = day_link_id(visit, entry.subject, entry.on_date, plan_item_id)
            values = {"subject": entry.subject, "on_date": entry.on_date}
        table = ROUND_TABLE if entry.kind == rules.ROUND else DAY_TABLE
        held = visit.row(table, link_id)
        if held is None or held["deleted"]:
            visit.upsert(table, {"id": link_id, **values, "plan_item_id": plan_item_id})
            made += 1
    return made


def follow_moved_periods(
    visit: VisitFile, moves: Iterable[tuple[tuple[str, str], tuple[str, str]]]
) -> None:
    """A day's links follow its periods, in the open transaction (every path that moves
    a period: ``edit_period``, and a merge that brings a period moved on another laptop).
    ``moves``: ((subject, date) before, (subject, date) after) of each period moved,
    once all are moved. The day a period moved to is linked to every plan item the day
    it left was (it is the evidence that was linked: never lost); the day it left keeps
    its links while it still has periods (they are still that evidence), and loses them
    (tombstones) once it has none, as they would name nothing."""
    left: dict[tuple[str, str], list[Any]] = {}
    for was, now in moves:
        if was == now:
            continue
        held = left.setdefault(
            was,
            visit.query(
                f"SELECT id, plan_item_id FROM {DAY_TABLE} WHERE deleted = 0 AND subject = ? "
                "AND on_date = ?",
                was,
            ),
        )
        for row in held:
            link_id = day_link_id(visit, now[0], now[1], str(row["plan_item_id"]))
            there = visit.row(DAY_TABLE, link_id)
            if there is None or there["deleted"]:
                visit.upsert(
                    DAY_TABLE,
                    {"id": link_id, "subject": now[0], "on_date": now[1],
                     "plan_item_id": row["plan_item_id"]},
                )  # fmt: skip
    for (subject, on_date), held in left.items():
        if held and not _has_periods(visit, subject, on_date):
            for row in held:
                visit.delete(DAY_TABLE, str(row["id"]))


def drop_round_links(visit: VisitFile, round_id: str) -> None:
    """A deleted round's links go with it, in the open transaction."""
    for row in visit.query(
        f"SELECT id FROM {ROUND_TABLE} WHERE deleted = 0 AND round_id = ?", (round_id,)
    ):
        visit.delete(ROUND_TABLE, str(row["id"]))


# -- reading ---------------------------------------------------------------------------


def round_plan_refs(visit: VisitFile, round_id: str) -> list[str]:
    """The refs of the plan items a round is linked to, in the plan's order."""
    return _refs(visit, ROUND_TABLE, "k.round_id = ?", (round_id,))


def day_plan_refs(visit: VisitFile, subject: str, on_date: str) -> list[str]:
    return _refs(visit, DAY_TABLE, "k.subject = ? AND k.on_date = ?", (subject.strip(), on_date))


def _refs(visit: VisitFile, table: str, where: str, params: tuple[str, ...]) -> list[str]:
    rows = visit.query(
        f"SELECT p.ref FROM {table} k JOIN plan_item p ON p.id = k.plan_item_id "
        f"WHERE k.deleted = 0 AND p.deleted = 0 AND {where} ORDER BY p.position, p.ref",
        params,
    )
    return [str(row["ref"]) for row in rows]


def linked_round_ids(visit: VisitFile, plan_item_id: str) -> list[str]:
    rows = visit.query(
        f"SELECT k.round_id FROM {ROUND_TABLE} k JOIN roll_round o ON o.id = k.round_id "
        "WHERE k.deleted = 0 AND k.plan_item_id = ? ORDER BY o.on_date, o.at_time, o.name",
        (plan_item_id,),
    )
    return [str(row["round_id"]) for row in rows]


@dataclass(frozen=True)
class LinkedDay:
    subject: str
    on_date: str
    group: str
    periods: int
    totals: DayTotals
    version: str  # its newest period's: any change to the day shows


def linked_day_totals(visit: VisitFile, plan_item_id: str) -> list[LinkedDay]:
    """Each day linked to the plan item that has periods, with its totals as the figures
    read them (the kept subject-day totals, overlaps counted once: ``toc_days``), by
    date then subject: one query, however many days are linked."""
    rows = visit.query(
        f"WITH d AS ({toc_days.days_sql(visit)}) "
        "SELECT k.subject, k.on_date, d.subject_group, d.minutes, d.open_air_minutes, "
        "(SELECT COUNT(*) FROM toc_period p WHERE p.subject = k.subject "
        "AND p.on_date = k.on_date AND p.deleted = 0) AS periods, "
        "(SELECT MAX(p.version) FROM toc_period p WHERE p.subject = k.subject "
        "AND p.on_date = k.on_date AND p.deleted = 0) AS version "
        f"FROM {DAY_TABLE} k JOIN d ON d.subject = k.subject AND d.on_date = k.on_date "
        "WHERE k.deleted = 0 AND k.plan_item_id = ? "
        "ORDER BY k.on_date, k.subject COLLATE NOCASE, k.subject",
        (plan_item_id,),
    )
    return [
        LinkedDay(
            str(r["subject"]),
            str(r["on_date"]),
            str(r["subject_group"]),
            int(r["periods"]),
            DayTotals(int(r["minutes"]), int(r["open_air_minutes"])),
            str(r["version"]),
        )
        for r in rows
    ]


def bundle_rows(visit: VisitFile) -> list[tuple[str, str, str, str]]:
    """(plan_ref, round, date, subject) of every live link to live evidence, in an order
    of what they say (a bundle's links.csv: the same bundle whatever the ids)."""
    rounds = visit.query(
        f"SELECT p.ref, o.name FROM {ROUND_TABLE} k JOIN plan_item p ON p.id = k.plan_item_id "
        "JOIN roll_round o ON o.id = k.round_id WHERE k.deleted = 0 AND p.deleted = 0 "
        "AND EXISTS (SELECT 1 FROM roll_check r WHERE r.round_id = o.id AND r.deleted = 0) "
        "ORDER BY p.position, p.ref, o.on_date, o.at_time, o.name"
    )
    days = visit.query(
        f"SELECT p.ref, k.on_date, k.subject FROM {DAY_TABLE} k JOIN plan_item p "
        "ON p.id = k.plan_item_id WHERE k.deleted = 0 AND p.deleted = 0 AND EXISTS (SELECT 1 "
        "FROM toc_period t WHERE t.subject = k.subject AND t.on_date = k.on_date "
        "AND t.deleted = 0) ORDER BY p.position, p.ref, k.on_date, k.subject"
    )
    return [(str(r[0]), str(r[1]), "", "") for r in rounds] + [
        (str(r[0]), "", str(r[1]), str(r[2])) for r in days
    ]
