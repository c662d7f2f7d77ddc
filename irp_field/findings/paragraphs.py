"""Findings paragraphs, their sync state, judgements and the evidence behind a plan item.

The store is the only place with SQL. ``finding`` and ``judgement`` are merged tables
(ids, authors, version stamps and tombstones apply); ``finding_sync`` is per file: what
the last sync rendered, derived from the evidence, so a merged file is simply synced again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from irp_field.core.ids import keyed_id
from irp_field.core.rows import now_text
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.domain.wording import hours, minutes
from irp_field.evidence import links, purges

NONE = (None, "", "[]")  # a paragraph's evidence list that cites nothing


@dataclass(frozen=True)
class Finding:
    id: str
    plan_item_id: str
    position: float
    text: str  # the template text, with figure references
    evidence: tuple[str, ...]  # ids of the evidence the paragraph cites
    version: str
    created_by: str


@dataclass(frozen=True)
class SyncState:
    finding_id: str
    finding_version: str  # the paragraph's version when it was synced
    rendered: str
    figures: dict[str, Any]  # key -> {"value", "display"}; "@evidence" -> {id: version}
    synced_at: str


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    kind: str  # note, roll check, roll-check round, sample frame, data return, time out of cell
    summary: str
    version: str


def _cited(listed: object) -> tuple[str, ...]:
    """The ids a paragraph's stored evidence list names."""
    if listed in NONE:  # most paragraphs cite nothing: their "[]" is not parsed again and again
        return ()
    try:
        return tuple(str(item) for item in json.loads(listed))  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return ()  # a damaged list cites nothing rather than breaking the report


def finding_from_row(row: Any) -> Finding:
    return Finding(
        row["id"],
        row["plan_item_id"],
        float(row["position"]),
        row["text"],
        _cited(row["evidence"]),
        row["version"],
        row["created_by"],
    )


FINDING_COLUMNS = "id, plan_item_id, position, text, evidence, version, created_by"


def all_findings(visit: VisitFile, under: Iterable[str] | None = None) -> list[Finding]:
    """Every live paragraph, by plan item and position (ties broken by id: every laptop
    agrees); ``under`` (plan item ids): only the paragraphs filed under those items."""
    where, params = "deleted = 0", list[str]()
    if under is not None:
        params = list(under)
        where += f" AND plan_item_id IN ({', '.join('?' * len(params))})"
    rows = visit.query(  # each column by its place: no name looked up per column and row
        f"SELECT {FINDING_COLUMNS} FROM finding WHERE {where} ORDER BY plan_item_id, position, id",
        params,
    )
    return [
        Finding(
            row[0],
            row[1],
            float(row[2]),
            row[3],
            _cited(row[4]),
            row[5],
            row[6],
        )
        for row in rows
    ]


def add_finding(
    visit: VisitFile, plan_item_id: str, text: str, position: float, evidence: Iterable[str] = ()
) -> str:
    with visit.transaction():
        return visit.insert(
            "finding",
            {
                "plan_item_id": plan_item_id,
                "position": position,
                "text": text,
                "evidence": json.dumps(list(evidence)),
            },
        )


def edit_finding(
    visit: VisitFile,
    finding_id: str,
    text: str | None = None,
    evidence: Iterable[str] | None = None,
) -> bool:
    changes: dict[str, Any] = {}
    if text is not None:
        changes["text"] = text
    if evidence is not None:
        changes["evidence"] = json.dumps(list(evidence))
    with visit.transaction():
        return visit.update("finding", finding_id, changes) if changes else False


def delete_finding(visit: VisitFile, finding_id: str) -> bool:
    with visit.transaction():
        return visit.delete("finding", finding_id)


def restore_finding(visit: VisitFile, finding_id: str) -> bool:
    """Lift the tombstone (an undo): the paragraph comes back where it was."""
    return purges.restore(visit, "finding", finding_id)


def move_finding(visit: VisitFile, finding_id: str, plan_item_id: str, position: float) -> bool:
    """File the paragraph at ``position`` under ``plan_item_id``: an edit that merges.

    A move changes no word: a paragraph synced as it stood stays in step (its sync state
    follows its new version) rather than showing as "edited since its last sync"."""
    with visit.transaction():
        was = visit.row("finding", finding_id)
        moved = visit.update(
            "finding", finding_id, {"plan_item_id": plan_item_id, "position": position}
        )
        now = visit.row("finding", finding_id)
        if moved and was is not None and now is not None:
            visit.conn.execute(
                "UPDATE finding_sync SET finding_version = ? "
                "WHERE finding_id = ? AND finding_version = ?",
                (now["version"], finding_id, was["version"]),
            )
        return moved


# -- sync state (per file) -----------------------------------------------------------


def sync_states(visit: VisitFile, only: str | None = None) -> dict[str, SyncState]:
    """Every paragraph's last sync, by finding id (``only``: that paragraph's alone)."""
    select = "SELECT finding_id, finding_version, rendered, figures, synced_at FROM finding_sync"
    rows = (
        visit.query(select)
        if only is None
        else visit.query(f"{select} WHERE finding_id = ?", (only,))
    )
    states = {}
    for row in rows:
        try:
            figures = json.loads(row["figures"] or "{}")
        except ValueError:
            figures = {}  # unreadable: the paragraph simply counts as out of date
        states[row["finding_id"]] = SyncState(
            row["finding_id"], row["finding_version"], row["rendered"], figures, row["synced_at"]
        )
    return states


def save_sync_state(visit: VisitFile, state: SyncState) -> SyncState:
    """One paragraph's sync state, replacing its last (``synced_at`` stamped where empty);
    the other paragraphs' states are left as they are."""
    stored = state if state.synced_at else replace(state, synced_at=now_text())
    with visit.transaction():
        visit.conn.execute(
            "INSERT OR REPLACE INTO finding_sync "
            "(finding_id, finding_version, rendered, figures, synced_at) VALUES (?, ?, ?, ?, ?)",
            (
                stored.finding_id,
                stored.finding_version,
                stored.rendered,
                json.dumps(stored.figures, sort_keys=True),
                stored.synced_at,
            ),
        )
    return stored


def save_sync_states(visit: VisitFile, states: Iterable[SyncState]) -> list[SyncState]:
    """Replace the whole sync state in one transaction: a sync is all or nothing.

    Returns the states as stored (``synced_at`` stamped where it was empty).
    """
    stamp = now_text()
    stored = [s if s.synced_at else replace(s, synced_at=stamp) for s in states]
    with visit.transaction():
        visit.conn.execute("DELETE FROM finding_sync")
        visit.conn.executemany(
            "INSERT INTO finding_sync (finding_id, finding_version, rendered, figures, synced_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (
                    s.finding_id,
                    s.finding_version,
                    s.rendered,
                    json.dumps(s.figures, sort_keys=True),
                    s.synced_at,
                )
                for s in stored
            ],
        )
    return stored


# -- judgements ----------------------------------------------------------------------


def set_judgement(visit: VisitFile, unit: str, scale: str, level: str, why: str | None) -> str:
    """Judge a unit (a ref, or a group judged together); keeps the reason when none is given."""
    judgement_id = keyed_id(visit.visit_id, "judgement", unit.casefold())
    values: dict[str, Any] = {"id": judgement_id, "unit": unit, "scale": scale, "level": level}
    if why is not None:
        values["why"] = why
    with visit.transaction():
        return visit.upsert("judgement", values)


def clear_judgement(visit: VisitFile, unit: str) -> bool:
    """Back to "not judged": the level is emptied (the reason stays); False when none was set."""
    judgement_id = keyed_id(visit.visit_id, "judgement", unit.casefold())
    with visit.transaction():
        if visit.row("judgement", judgement_id) is None:
            return False
        return visit.update("judgement", judgement_id, {"level": ""})


# -- evidence ------------------------------------------------------------------------

# A round is cited as "round:" and its id (stored, so a renamed round stays cited) or its
# name (typed: "round:Mon AM"); either resolves to the round as it is now.
ROUND_PREFIX = "round:"


# A subject's day of time out of cell linked to a plan item (listed, never cited: a
# paragraph cites its periods, or the figures).
DAY_PREFIX = "day:"


def evidence_for_plan_item(visit: VisitFile, plan_item_id: str) -> list[EvidenceItem]:
    """Notes linked to the item, the sample frames drawn for it, and the rounds of roll
    checks and subjects' days of time out of cell linked to it."""
    notes = visit.query(
        "SELECT n.id, n.source, n.taken_at, n.author, n.text, n.version FROM note_link k "
        "JOIN note n ON n.id = k.note_id WHERE k.plan_item_id = ? AND k.deleted = 0 "
        "AND n.deleted = 0 ORDER BY n.taken_at, n.id",
        (plan_item_id,),
    )
    frames = visit.query(
        "SELECT id, name, record_kind, population, version FROM sample_frame "
        "WHERE plan_item_id = ? AND deleted = 0 ORDER BY name",
        (plan_item_id,),
    )
    items = [
        EvidenceItem(
            r["id"],
            "note",
            f"{r['source']}, {r['taken_at']}, {r['author']}: {r['text']}",
            r["version"],
        )
        for r in notes
    ]
    items += [
        EvidenceItem(r["id"], "sample frame", f"{r['name']} ({r['record_kind']})", r["version"])
        for r in frames
    ]
    rounds = _cited_rounds(
        visit, [ROUND_PREFIX + i for i in links.linked_round_ids(visit, plan_item_id)]
    )
    items += rounds.values()
    items += [
        EvidenceItem(
            f"{DAY_PREFIX}{day.on_date} {day.subject}",
            "time out of cell",
            f"{day.subject}, {day.on_date}{f' ({day.group})' if day.group else ''}: "
            f"{day.periods} period{'s' if day.periods != 1 else ''}, "
            f"{hours(day.totals.unlocked_minutes / 60)} unlocked, "
            f"{minutes(day.totals.open_air_minutes)} in the open air",
            day.version,
        )
        for day in links.linked_day_totals(visit, plan_item_id)
    ]
    return items


_CITABLE: tuple[tuple[str, str, str], ...] = (
    # table, what the inspector calls it, how to summarise it
    ("note", "note", "source || ', ' || taken_at || ', ' || author || ': ' || text"),
    ("sample_frame", "sample frame", "name || ' (' || record_kind || ')'"),
    ("data_return", "data return", "key || ' = ' || COALESCE(value, '') || ' (' || label || ')'"),
    (
        "roll_check",
        "roll check",
        "taken_at || ' ' || COALESCE((SELECT o.name FROM roll_round o WHERE o.id = round_id), '') "
        "|| ': roll ' || roll || ', locked up ' || locked_up",
    ),
    (
        "toc_period",
        "time out of cell",
        "on_date || ' ' || subject || ' ' || start_time || '-' || end_time",
    ),
)


# Ids per query: well under SQLite's oldest limit of 999 bound parameters.
_IDS_PER_QUERY = 900


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[at : at + _IDS_PER_QUERY] for at in range(0, len(ids), _IDS_PER_QUERY)]


def cited_evidence(visit: VisitFile, ids: Iterable[str]) -> dict[str, EvidenceItem]:
    """The live evidence among ``ids``, by id; ids naming nothing (or deleted rows) are left out.

    One query per evidence table over all the ids (and one for all the rounds), however
    many are asked for: the report reads every paragraph's citations in one call.
    """
    wanted = [i for i in dict.fromkeys(ids) if i]
    found: dict[str, EvidenceItem] = {}
    plain = [i for i in wanted if not i.startswith(ROUND_PREFIX)]
    for table, kind, summary in _CITABLE:
        for chunk in _chunks(plain):
            marks = ", ".join("?" for _ in chunk)
            for row in visit.query(
                f"SELECT id, {summary} AS summary, version FROM {table} "
                f"WHERE deleted = 0 AND id IN ({marks})",
                chunk,
            ):
                found[row["id"]] = EvidenceItem(row["id"], kind, row["summary"], row["version"])
    rounds = [i for i in wanted if i.startswith(ROUND_PREFIX)]
    found.update(_cited_rounds(visit, rounds))
    return found


def _cited_rounds(visit: VisitFile, cited: list[str]) -> dict[str, EvidenceItem]:
    """ "round:ID" or "round:NAME" -> the round with its totals, in the order asked for."""
    if not cited:
        return {}
    by_id: dict[str, Any] = {}
    by_name: dict[str, Any] = {}
    for row in visit.query(
        "SELECT o.id, o.name, COUNT(r.id) AS checks, COALESCE(SUM(r.roll), 0) AS roll, "
        "COALESCE(SUM(r.locked_up), 0) AS locked, COALESCE(MAX(r.version), '') AS version "
        "FROM roll_round o JOIN roll_check r ON r.round_id = o.id AND r.deleted = 0 "
        "WHERE o.deleted = 0 GROUP BY o.id"
    ):
        by_id[row["id"]] = row
        by_name.setdefault(str(row["name"]).casefold(), row)
    found: dict[str, EvidenceItem] = {}
    for key in cited:
        wanted = key.removeprefix(ROUND_PREFIX)
        totals = by_id.get(wanted) or by_name.get(wanted.strip().casefold())
        if totals is not None:
            # The round's version is its newest check's: any change to a check shows.
            found[key] = EvidenceItem(
                key,
                "roll-check round",
                f"{totals['name']}: {totals['checks']} checks, roll {totals['roll']}, "
                f"locked up {totals['locked']}",
                f"{totals['version']}/{totals['checks']}/{totals['roll']}/{totals['locked']}",
            )
    return found


def citable_evidence(visit: VisitFile) -> list[EvidenceItem]:
    """Every roll-check round, sample frame and data return of the visit, to cite in a paragraph."""
    rounds = visit.query(
        "SELECT o.id FROM roll_round o WHERE o.deleted = 0 AND EXISTS (SELECT 1 FROM roll_check "
        "r WHERE r.round_id = o.id AND r.deleted = 0) ORDER BY o.on_date, o.at_time, o.name"
    )
    found = cited_evidence(visit, [ROUND_PREFIX + r["id"] for r in rounds])
    items = list(found.values())
    for table, kind, summary in _CITABLE:
        if table not in ("sample_frame", "data_return"):
            continue
        order = "name" if table == "sample_frame" else "key, period"
        items += [
            EvidenceItem(r["id"], kind, r["summary"], r["version"])
            for r in visit.query(
                f"SELECT id, {summary} AS summary, version FROM {table} "
                f"WHERE deleted = 0 ORDER BY {order}, id"
            )
        ]
    return items


def check_citations(visit: VisitFile, ids: Iterable[str]) -> list[str]:
    """The ids, refused with a clear message when any names no evidence in this visit."""
    wanted = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
    found = cited_evidence(visit, wanted)
    missing = [i for i in wanted if i not in found]
    if missing:
        raise IrpError(
            f"no evidence with id {', '.join(missing)} in this visit (cite a note, sample frame, "
            f"data return, roll check or time-out-of-cell period by id, or a round as "
            f"'{ROUND_PREFIX}NAME')"
        )
    return list(
        dict.fromkeys(_round_by_id(visit, i) if i.startswith(ROUND_PREFIX) else i for i in wanted)
    )


def _round_by_id(visit: VisitFile, cited: str) -> str:
    """ "round:Mon AM" as "round:" and the round's id: renaming the round keeps it cited."""
    wanted = cited.removeprefix(ROUND_PREFIX)
    row = visit.one(
        "SELECT id FROM roll_round WHERE deleted = 0 AND (id = ? OR name = ? COLLATE NOCASE) "
        "ORDER BY id = ? DESC LIMIT 1",
        (wanted, wanted.strip(), wanted),
    )
    return ROUND_PREFIX + str(row["id"]) if row is not None else cited


def team_for_report(visit: VisitFile) -> list[tuple[str, str]]:
    """(name, role) in the order the team list gave them (the report lists the lead first).

    ``reads.team`` sorts by created_at then name, and a whole team imported in one second
    comes out alphabetical; the insertion order (rowid) keeps the list as written.
    """
    rows = visit.query("SELECT name, role FROM team_member WHERE deleted = 0 ORDER BY rowid")
    return [(row["name"], row["role"]) for row in rows]


def team_leader(visit: VisitFile) -> str:
    """The team leader's name (the report's and an export's author), or '' when the team
    has none."""
    return leader_of(team_for_report(visit))


def leader_of(team: Iterable[tuple[str, str]]) -> str:
    """The first member whose role is team leader, or ''."""
    for name, role in team:
        if role.strip().casefold() == "team leader":
            return name
    return ""
