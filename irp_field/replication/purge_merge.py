"""A purge travels by merge: a file that merges one purges its own copy, and a file that
still holds the purged content never brings it back.

Before the merge writes anything, every purge record a source carries is held to the
rules (``domain.purges.record_verdicts``: a kind of record a purge may name, named and
explained within the limits, never deleted), to the file itself (it names a record
the file holds; its versions are stamps) and to the target (a purge the target holds
under the same id is the same purge), and the number a file carries is bounded: a
purge is a command to delete content, so one that breaks a rule refuses the file,
naming it, with nothing merged. Inside the merge's transaction, every purge known (the
target's and every source's) is carried out on the target first (``core.purging``);
then, from each source, nothing covered comes in: its versions of a purged record,
its conflict records keeping one, and its history entries' rows of them (the entries
come, emptied, so the history still says who changed what and when). An edit a source
made of a purged record without the purge (a laptop that changed the note while the
team leader purged it) does not live: the purge wins whatever the stamps say, and a
conflict records that the edit was made and is gone, without its content.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from irp_field.core import purging, schema
from irp_field.core.clock import is_stamp
from irp_field.core.purging import Lineage, Purge
from irp_field.domain import purges as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import Verdict
from irp_field.replication.merge_rows import CHANGE_LOG_COLUMNS

_PURGE_COLUMNS = (
    "id, table_name, row_id, row_version, removed_version, what, reason, created_by, deleted"
)


def _refuse(path: Path, what: str) -> IrpError:
    return IrpError(f"refused: {path}: {what}; nothing was merged")


def check_source(path: Path, *, named: Path, target: Path | None) -> list[Purge]:
    """The purges a source carries, each held to the rules, to the file and to the
    target; a file with one that breaks them is refused. ``path``: the file as read
    (its migrated copy, if older); ``named``: the file to name."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    held = None
    if target is not None and target.exists():
        held = sqlite3.connect(target.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return check_opened(conn, named=named, held=held)
    finally:
        conn.close()
        if held is not None:
            held.close()


def check_opened(
    conn: sqlite3.Connection, *, named: Path, held: sqlite3.Connection | None
) -> list[Purge]:
    """:func:`check_source` on connections the merge holds: to the source (or its
    migrated copy) and, read-only, to the target (None: a target this merge makes)."""
    try:
        count = conn.execute("SELECT COUNT(*) FROM purge").fetchone()[0]
        if count > rules.MOST_PER_FILE:
            raise _refuse(
                named, f"carries {count:,} purges, more than a visit's ({rules.MOST_PER_FILE:,})"
            )
        rows = [
            tuple(row)
            for row in conn.execute(f"SELECT {_PURGE_COLUMNS} FROM purge ORDER BY version")
        ]
        for row in rows:
            _check_one(conn, named, row)
        if held is not None:
            _same_as_held(named, held, rows)
        return [Purge(str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows]
    except sqlite3.DatabaseError as error:
        raise _refuse(named, f"its purges cannot be read ({error})") from None


def _check_one(conn: sqlite3.Connection, named: Path, row: tuple[Any, ...]) -> None:
    purge_id, table, row_id, version, removed, what, reason, by, deleted = row
    found = rules.record_verdicts(str(table), str(what), str(reason), str(by), deleted)
    if not is_stamp(str(version)) or (removed and not is_stamp(str(removed))):
        found.append(Verdict("version", "its versions are not stamps"))
    if (
        not found
        and conn.execute(f"SELECT 1 FROM main.{table} WHERE id = ?", (row_id,)).fetchone() is None
    ):
        found.append(Verdict("row_id", "names a record the file does not hold"))
    if found:
        raise _refuse(named, f"purge {str(purge_id)[:12]}: {found[0].message}")


def _same_as_held(named: Path, held: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    for row in rows:
        try:
            ours = held.execute(
                f"SELECT {_PURGE_COLUMNS} FROM purge WHERE id = ?", (row[0],)
            ).fetchone()
        except sqlite3.OperationalError:
            return  # a target of a schema before 7 holds no purge
        if ours is not None and tuple(ours) != tuple(row):
            raise _refuse(named, f"purge {str(row[0])[:12]} differs from the one held here")


@dataclass
class FromSource:
    """What of a source's copy of the purged records stays out of the target."""

    rows: dict[str, set[str]] = field(default_factory=dict)  # table -> row ids left out
    entries: set[str] = field(default_factory=set)  # history entries about purged records
    # (table, row id, version, base): its edits made without a purge, now empty
    concurrent: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.rows or self.entries)


def left_out(conn: sqlite3.Connection, alias: str, known: purging.Purges) -> FromSource:
    """What an attached source holds of the purged records that must not come in."""
    found = FromSource()
    for key, purge in known.latest.items():
        if purge.table not in schema.MERGED_TABLES:
            continue
        theirs = _row(conn, f"{alias}.{purge.table}", purge.row_id)
        ours = _row(conn, f"main.{purge.table}", purge.row_id)
        line = known.lineage(conn, key, [r for r in (theirs, ours) if r], dbs=("main", alias))
        if theirs is not None and not line.lives(str(theirs["version"])):
            found.rows.setdefault(purge.table, set()).add(purge.row_id)
            if line.concurrent(str(theirs["version"])):
                found.concurrent.append(
                    (purge.table, purge.row_id, str(theirs["version"]), str(theirs["base_version"]))
                )
        found.entries |= {
            str(r[0])
            for r in conn.execute(
                f"SELECT id FROM {alias}.change_log WHERE table_name = ? AND row_id = ?",
                (purge.table, purge.row_id),
            )
        }
        found.rows.setdefault("conflict", set()).update(_conflicts_left_out(conn, alias, line))
    found.rows = {table: ids for table, ids in found.rows.items() if ids}
    return found


def _row(conn: sqlite3.Connection, table: str, row_id: str) -> dict[str, Any] | None:
    cursor = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    found = cursor.fetchone()
    if found is None:
        return None
    return dict(zip([c[0] for c in cursor.description], found, strict=True))


def _conflicts_left_out(conn: sqlite3.Connection, alias: str, line: Lineage) -> set[str]:
    """A source's conflict records keeping a covered version of the record, but for
    those that already say, without content, that it was purged (they merge as any)."""
    purge = line.purge
    out = set()
    for cid, version, other_row in conn.execute(
        f"SELECT id, other_version, other_row FROM {alias}.conflict "
        "WHERE table_name = ? AND row_id = ?",
        (purge.table, purge.row_id),
    ):
        if line.lives(str(version)):
            continue
        other = _json(str(other_row))
        base = str(other.get("base_version", ""))
        for open_ in (True, False):
            textless = purging.textless_conflict("", line, str(version), base, open_=open_)
            if str(other_row) == textless["other_row"]:
                break
        else:
            out.add(str(cid))
    return out


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def mark_left_out(conn: sqlite3.Connection, found: FromSource) -> None:
    """The rows the merge's table passes leave out (``merge_rows.merge_table``)."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS irp_left_out (table_name TEXT, row_id TEXT, "
        "PRIMARY KEY (table_name, row_id))"
    )
    conn.execute("DELETE FROM temp.irp_left_out")
    conn.executemany(
        "INSERT OR IGNORE INTO temp.irp_left_out VALUES (?, ?)",
        [(table, row_id) for table, ids in found.rows.items() for row_id in ids],
    )


def add_entries_emptied(
    conn: sqlite3.Connection,
    alias: str,
    found: FromSource,
    known: purging.Purges,
    held: Iterable[str],
) -> int:
    """The source's history entries about purged records that this file lacks, each
    with the rows of covered versions reduced to their bookkeeping (``held``: entries
    the merge questions, which never join this file's history)."""
    wanted = found.entries - set(held)
    if not wanted:
        return 0
    lines: dict[tuple[str, str], Lineage] = {}
    columns = ", ".join(CHANGE_LOG_COLUMNS)
    added = 0
    for entry_id in sorted(wanted):
        entry = conn.execute(
            f"SELECT {columns} FROM {alias}.change_log s WHERE s.id = ? AND NOT EXISTS "
            "(SELECT 1 FROM main.change_log m WHERE m.id = s.id)",
            (entry_id,),
        ).fetchone()
        if entry is None:
            continue  # held here already
        values = dict(zip(CHANGE_LOG_COLUMNS, entry, strict=True))
        key = (str(values["table_name"]), str(values["row_id"]))
        if key not in known.latest:
            continue
        if key not in lines:
            lines[key] = known.lineage(conn, key, dbs=("main", alias))
        line = lines[key]
        values["old"], values["new"] = purging.entry_without_covered(
            line, str(values["old"]), str(values["new"])
        )
        marks = ", ".join("?" for _ in values)
        conn.execute(
            f"INSERT INTO main.change_log ({columns}) VALUES ({marks})", tuple(values.values())
        )
        added += 1
    return added


def record_concurrent(
    conn: sqlite3.Connection, visit_id: str, found: FromSource, known: purging.Purges
) -> list[tuple[str, str]]:
    """Conflicts saying, without content, that a source edited a purged record without
    the purge; the (table, row id) of each new one."""
    new = []
    for table, row_id, version, base in found.concurrent:
        line = known.lineage(conn, (table, row_id))
        if purging.record_textless(conn, visit_id, line, version, base):
            new.append((table, row_id))
    return new


def new_purges(conn: sqlite3.Connection, held_before: set[str]) -> list[dict[str, str]]:
    """The purge records the target did not hold before the merge, oldest first."""
    names = ("id", "what", "reason", "created_by", "created_at")
    return [
        dict(zip(names, map(str, row), strict=True))
        for row in conn.execute(f"SELECT {', '.join(names)} FROM main.purge ORDER BY version")
        if str(row[0]) not in held_before
    ]


def held_purge_ids(conn: sqlite3.Connection) -> set[str]:
    return {str(row[0]) for row in conn.execute("SELECT id FROM main.purge")}


def purged_what(conn: sqlite3.Connection, table: str, row_id: str) -> str:
    """The purged record as its (latest) purge names it."""
    row = conn.execute(
        "SELECT what FROM main.purge WHERE table_name = ? AND row_id = ? ORDER BY version DESC",
        (table, row_id),
    ).fetchone()
    return str(row[0]) if row is not None else table.replace("_", " ")
