"""Merging one attached source file's rows into the open visit file, table by table.

The rule is a join: for each row id the higher ``version`` wins, so merging is
idempotent, commutative and associative. Whatever loses without being an ancestor of
the winner (its author had not seen the winning edit) is kept in ``conflict``, under an
id made from the row id and the losing version, so that any merge order records the
same conflict rows. A loser that a later known edit descends from has been seen by
someone and is not a conflict (it is "superseded").

Two rows of one version with other typed values, which no clock makes (a copy changed
by hand, or a copy of a copy changed in two places), are a *clash*: neither is an edit
of the other, so whichever a hash of the content puts first stays in the table (every
order keeps the same one) and the other is always kept as a conflict, never dropped
(:data:`CLASH`). And an edit whose history the merge questions (``provenance``) never
replaces the target's version: it is kept beside it as a conflict.

New rows and unchanged rows are handled in SQL (the common case: fast); only rows
that differ on both sides come into Python.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from irp_field.core import schema
from irp_field.core.ids import keyed_id
from irp_field.core.purging import is_ancestor as is_ancestor  # one home: a purge asks it too

CHANGE_LOG_COLUMNS = (
    "id",
    "table_name",
    "row_id",
    "action",
    "version",
    "changed_by",
    "changed_at",
    "old",
    "new",
)
MERGE_AUTHOR = "irp-field merge"
CLASH = "two different rows claim to be the same version"

# The kinds of record as the inspectors name them, in the order reports show them.
KIND_LABELS: dict[str, str] = {
    "visit": "visit details",
    "team_member": "team members",
    "location": "locations",
    "plan_item": "plan items",
    "judgement": "judgements",
    "roll_round": "rounds",
    "roll_check": "roll checks",
    "toc_period": "time out of cell periods",
    "sample_frame": "sample frames",
    "sample_criterion": "sample criteria",
    "sample_record": "sampled records",
    "sample_answer": "sample answers",
    "note": "notes",
    "note_link": "note links",
    "round_link": "round links",
    "toc_day_link": "day links",
    "data_return": "data returns",
    "finding": "findings",
    "report_part": "report texts",
    "report_paragraph": "summary paragraphs",
    "glossary_term": "glossary terms",
    "previous_outcome": "previous outcomes",
    "attachment_file": "attached files",
    "attachment": "attachments",
    "import_log": "imports",
    "conflict": "conflict records",
    "purge": "purges",
}


@dataclass
class KindCounts:
    new: int = 0
    updated: int = 0
    deleted: int = 0
    conflicts: int = 0

    @property
    def total(self) -> int:
        return self.new + self.updated + self.deleted + self.conflicts


@dataclass(frozen=True)
class Doubt:
    """A version of a record the merge would not take on its word: a clash, or an edit
    whose history it questions (``why``). ``kept_apart``: the version is kept as a
    conflict to settle (otherwise only its history entry was left out); ``new``: not
    kept so before (a merge of the same files again has nothing new to say)."""

    table: str
    row_id: str
    version: str
    why: str
    kept_apart: bool
    new: bool = True


def content_hash(row: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()


def _order_key(row: dict[str, Any]) -> tuple[str, str]:
    return (str(row["version"]), content_hash(row))


def _same_content(table: str, row: dict[str, Any], other_row: str) -> bool:
    try:
        other = json.loads(other_row)
        return _own_content(table, row) == _own_content(table, other)
    except (ValueError, KeyError, TypeError):
        return False


def _own_content(table: str, row: dict[str, Any]) -> tuple[Any, ...]:
    """What an inspector typed: the own columns and the tombstone, not the bookkeeping."""
    return (*tuple(row[c] for c in schema.merged_columns(table)[6:]), row["deleted"])


def merge_change_log(conn: sqlite3.Connection, source: str, held: set[str] | None = None) -> int:
    """Add the source's history entries this file lacks, but for ``held`` (entries the
    merge questions: they never join this file's history)."""
    columns = ", ".join(CHANGE_LOG_COLUMNS)
    left_out = ""
    if held:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS irp_held (id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.irp_held")
        conn.executemany(
            "INSERT OR IGNORE INTO temp.irp_held (id) VALUES (?)", [(i,) for i in held]
        )
        left_out = " AND s.id NOT IN (SELECT id FROM temp.irp_held)"
    cursor = conn.execute(
        f"INSERT INTO main.change_log ({columns}) SELECT {columns} FROM {source}.change_log s "
        f"WHERE NOT EXISTS (SELECT 1 FROM main.change_log m WHERE m.id = s.id){left_out}"
    )
    return cursor.rowcount


def tables_holding_rows(conn: sqlite3.Connection, source: str) -> set[str]:
    """The merged tables in which the attached source holds any row, in one query: a
    laptop's file holds a few kinds, and each table the merge reads costs it three
    queries (its newest stamps, the rows both files hold, the new ones)."""
    asked = " UNION ALL ".join(
        f"SELECT '{table}' WHERE EXISTS (SELECT 1 FROM {source}.{table})"
        for table in schema.MERGED_TABLES
    )
    return {str(row[0]) for row in conn.execute(asked)}


def has_news(conn: sqlite3.Connection, source: str) -> bool:
    """Does the source hold any row (or history entry) this file lacks as it is: at that
    version, or at that version with other values (a clash)?"""
    for table in (*schema.MERGED_TABLES, "change_log"):
        same = "m.id = s.id"
        if table != "change_log":
            same += "".join(f" AND m.{c} IS s.{c}" for c in schema.merged_columns(table)[1:])
        found = conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM {source}.{table} s WHERE NOT EXISTS "
            f"(SELECT 1 FROM main.{table} m WHERE {same}))"
        ).fetchone()[0]
        if found:
            return True
    return False


def newest_stamps(
    conn: sqlite3.Connection, source: str, table: str, future: str
) -> tuple[str, int]:
    """The source table's highest version and how many of its stamps lie past ``future``."""
    row = conn.execute(
        f"SELECT MAX(version), COALESCE(SUM(version > ?), 0) FROM {source}.{table}", (future,)
    ).fetchone()
    return (row[0] or "", int(row[1]))


def merge_table(
    conn: sqlite3.Connection,
    source: str,
    table: str,
    visit_id: str,
    counts: dict[str, KindCounts],
    questioned: Mapping[tuple[str, str], str] | None = None,
    doubts: list[Doubt] | None = None,
    left_out: bool = False,
) -> None:
    """Merge one table; ``questioned``: (table, row id) -> why the merge questions the
    source's history of that record; every clash and questioned version met is added
    to ``doubts``; ``left_out``: the source's rows listed in ``temp.irp_left_out``
    (what a purge covers: ``purge_merge``) are not merged."""
    columns = schema.merged_columns(table)
    column_list = ", ".join(columns)
    tally = counts.setdefault(table, KindCounts())
    outside = (
        f" AND NOT EXISTS (SELECT 1 FROM temp.irp_left_out k WHERE k.table_name = '{table}' "
        "AND k.row_id = s.id)"
        if left_out
        else ""
    )
    # The rows both files hold and that differ come first, while the target holds only
    # its own rows (into an empty target, a quick pass of misses); then the new ones.
    differs = " OR ".join(f"s.{c} IS NOT m.{c}" for c in columns[1:])
    pairs = conn.execute(
        f"SELECT {', '.join('s.' + c for c in columns)}, {', '.join('m.' + c for c in columns)} "
        f"FROM {source}.{table} s JOIN main.{table} m ON m.id = s.id WHERE ({differs}){outside}"
    ).fetchall()
    width = len(columns)
    for pair in pairs:
        incoming = dict(zip(columns, tuple(pair)[:width], strict=True))
        local = dict(zip(columns, tuple(pair)[width:], strict=True))
        doubted = (questioned or {}).get((table, str(local["id"])))
        found = _merge_pair(conn, table, visit_id, local, incoming, tally, doubted)
        if found is not None and doubts is not None:
            doubts.append(found)
    inserted = conn.execute(
        f"INSERT INTO main.{table} ({column_list}) SELECT {column_list} FROM {source}.{table} s "
        f"WHERE NOT EXISTS (SELECT 1 FROM main.{table} m WHERE m.id = s.id){outside}"
    ).rowcount
    tally.new += max(inserted, 0)


def _merge_pair(
    conn: sqlite3.Connection,
    table: str,
    visit_id: str,
    local: dict[str, Any],
    incoming: dict[str, Any],
    tally: KindCounts,
    doubted: str | None = None,
) -> Doubt | None:
    """The row rule for one record both files hold (and that differs); a clash or a
    questioned version met is returned."""
    incoming_wins = _order_key(incoming) > _order_key(local)
    same_version = str(incoming["version"]) == str(local["version"])
    if doubted is not None and incoming_wins and not same_version and table != "conflict":
        # An edit whose history the merge questions never replaces what this file holds:
        # this file's version stays, and the other is kept beside it to be settled.
        apart = _own_content(table, local) != _own_content(table, incoming)
        new = not apart or record_conflict(conn, visit_id, table, local, incoming)
        tally.conflicts += apart and new
        return Doubt(table, str(incoming["id"]), str(incoming["version"]), doubted, apart, new)
    winner, loser = (incoming, local) if incoming_wins else (local, incoming)
    if winner is incoming:
        assignments = ", ".join(f"{c} = ?" for c in schema.merged_columns(table)[1:])
        conn.execute(
            f"UPDATE main.{table} SET {assignments} WHERE id = ?",
            (*(incoming[c] for c in schema.merged_columns(table)[1:]), incoming["id"]),
        )
        if incoming["deleted"] and not local["deleted"]:
            tally.deleted += 1
        else:
            tally.updated += 1
    if table == "conflict" or _own_content(table, winner) == _own_content(table, loser):
        return None
    if same_version:
        # Neither can be an edit of the other, and neither is known to be the genuine
        # one: the other is always kept (whichever order the files come in).
        new = record_conflict(conn, visit_id, table, winner, loser)
        tally.conflicts += new
        return Doubt(table, str(loser["id"]), str(loser["version"]), CLASH, True, new)
    parents = edit_parents(conn, table, str(winner["id"]), (winner, loser))
    known = [str(winner["version"]), *live_conflict_versions(conn, table, str(winner["id"]))]
    if any(is_ancestor(str(loser["version"]), of, parents) for of in known):
        return None
    if record_conflict(conn, visit_id, table, winner, loser):
        tally.conflicts += 1
    return None


def edit_parents(
    conn: sqlite3.Connection, table: str, row_id: str, rows: tuple[dict[str, Any], ...] = ()
) -> dict[str, str]:
    """version -> the version its editor saw, from the (already merged) edit history."""
    parents = {
        str(version): str(base)
        for version, base in conn.execute(
            "SELECT new ->> '$.version', new ->> '$.base_version' FROM main.change_log "
            "WHERE table_name = ? AND row_id = ? AND new != '' AND json_valid(new)",
            (table, row_id),
        )
        if version
    }
    for row in rows:
        parents.setdefault(str(row["version"]), str(row["base_version"]))
    return parents


def live_conflict_versions(conn: sqlite3.Connection, table: str, row_id: str) -> list[str]:
    return [
        str(r[0])
        for r in conn.execute(
            "SELECT other_version FROM main.conflict WHERE table_name = ? AND row_id = ? "
            "AND deleted = 0 AND resolved = 0",
            (table, row_id),
        )
    ]


def conflict_id(visit_id: str, table: str, row_id: str, loser_content: str) -> str:
    return keyed_id(visit_id, "conflict", table, row_id, loser_content)


def record_conflict(
    conn: sqlite3.Connection,
    visit_id: str,
    table: str,
    winner: dict[str, Any],
    loser: dict[str, Any],
) -> bool:
    """Keep the losing version; the conflict row's own version is the loser's, so that
    every merge order writes the same row (and a later resolution outranks it).

    The conflict's id comes from what the loser holds, not its version: two inspectors
    who made the same change (both deleted a note) lose to a third edit as one conflict,
    whichever of their copies a merge meets first. Of such twins the newest is kept,
    the same rule as for any row, so every order of merging ends with the same row.
    """
    row_id, other_version = str(loser["id"]), str(loser["version"])
    typed = hashlib.sha256(json.dumps(_own_content(table, loser), default=str).encode()).hexdigest()
    new_id = conflict_id(visit_id, table, row_id, typed)
    existing = conn.execute("SELECT version FROM main.conflict WHERE id = ?", (new_id,)).fetchone()
    if existing is not None:
        if str(existing[0]) < other_version:
            conn.execute(
                "UPDATE main.conflict SET version = ?, other_version = ?, other_row = ?, "
                "kept_version = ? WHERE id = ? AND version < ?",
                (
                    other_version,
                    other_version,
                    json.dumps(loser, sort_keys=True, default=str),
                    str(winner["version"]),
                    new_id,
                    other_version,
                ),
            )
        return False
    values = {
        "id": new_id,
        "created_by": MERGE_AUTHOR,
        "created_at": "",
        "version": other_version,
        "base_version": "",
        "deleted": 0,
        "table_name": table,
        "row_id": row_id,
        "kept_version": str(winner["version"]),
        "other_version": other_version,
        "other_row": json.dumps(loser, sort_keys=True, default=str),
        "resolved": 0,
        "resolution": "",
    }
    marks = ", ".join("?" for _ in values)
    conn.execute(
        f"INSERT INTO main.conflict ({', '.join(values)}) VALUES ({marks})", tuple(values.values())
    )
    return True


def open_conflicts(conn: sqlite3.Connection) -> dict[str, str]:
    """The open conflicts (as ``irp-field conflicts`` lists them): id -> the record's table."""
    return {
        str(cid): str(table)
        for cid, table in conn.execute(
            "SELECT id, table_name FROM main.conflict WHERE deleted = 0 AND resolved = 0"
        )
    }


def retire_superseded_conflicts(conn: sqlite3.Connection) -> None:
    """An open conflict whose losing version a later known edit descends from was seen
    and built upon: retire it (a tombstone stamped with that later edit's version, so
    that every merge order agrees)."""
    open_rows = conn.execute(
        "SELECT id, table_name, row_id, other_version, version, other_row, "
        "kept_version = other_version FROM main.conflict "
        "WHERE deleted = 0 AND resolved = 0 ORDER BY table_name, row_id"
    ).fetchall()
    by_row: dict[tuple[str, str], list[tuple[str, str, str, str, bool]]] = {}
    for cid, table, row_id, other, version, other_row, clash in open_rows:
        by_row.setdefault((table, row_id), []).append((cid, other, version, other_row, clash))
    for (table, row_id), conflicts in by_row.items():
        if table not in schema.MERGED_TABLES or table == "conflict":
            continue
        cursor = conn.execute(f"SELECT * FROM main.{table} WHERE id = ?", (row_id,))
        found = cursor.fetchone()
        names = [column[0] for column in cursor.description]
        current = dict(zip(names, found, strict=True)) if found is not None else None
        known = [str(current["version"])] if current else []
        known += [other for _, other, _, _, _ in conflicts]
        parents = edit_parents(conn, table, row_id)
        for cid, other, version, other_row, clash in conflicts:
            # A clash's version is the kept row's too: an edit descending from it may have
            # seen either row, so only the same content arriving retires it.
            later = [
                v for v in known if not clash and v != other and is_ancestor(other, v, parents)
            ]
            if current is not None and (
                (str(current["version"]) == other and not clash)
                or _same_content(table, current, other_row)
            ):
                # The losing version has since won outright, or the same change made on
                # another laptop has (both deleted the note): nothing is lost any more.
                later = [str(current["version"])]
            if later:
                stamp = max(max(later), version)
                conn.execute(
                    "UPDATE main.conflict SET deleted = 1, version = ? WHERE id = ? AND "
                    "version <= ?",
                    (stamp, cid, stamp),
                )
