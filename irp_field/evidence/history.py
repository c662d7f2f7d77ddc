"""Each record's history, read from the change log, and undoing a screen's last change.

The change log holds every write's old and new row (merged from every laptop as a plain
union), so a record's history is who changed what, when, on any laptop. An import
writes its rows without a per-row entry: its rows show as imported from their file.

Undo takes back exactly the writes one action made (``VisitFile.recording``): each
row goes back to what it was (a new row becomes a tombstone), in one transaction, and
only when nobody changed the row since (a merge may have): otherwise nothing is undone
and the person is told who did.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from irp_field.core import schema
from irp_field.core.rows import Logged
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError

# columns a person never typed: not shown as changes
_BOOKKEEPING = {"id", "created_by", "created_at", "version", "base_version", "import_id"}

# a column holding another record's id -> (its table, the column that names it)
_NAMED_BY = {
    "location_id": ("location", "name"),
    "round_id": ("roll_round", "name"),
    "plan_item_id": ("plan_item", "ref"),
    "frame_id": ("sample_frame", "name"),
    "criterion_id": ("sample_criterion", "name"),
}

_WORDS = {
    "round_id": "round",
    "location_id": "location",
    "plan_item_id": "plan item",
    "frame_id": "sample",
    "criterion_id": "criterion",
    "subject_group": "group",
    "on_date": "date",
    "taken_at": "when",
    "at_time": "time",
    "start_time": "start",
    "end_time": "end",
    "judged_group": "group",
    "deleted": "deleted",
}


@dataclass(frozen=True)
class HistoryEntry:
    changed_at: str  # UTC stamp, "2022-03-14T10:02:11Z"
    changed_by: str
    what: str  # added, changed, deleted, restored, imported
    changes: tuple[tuple[str, str, str], ...]  # (field, before, after), in people's words


def field_words(column: str) -> str:
    return _WORDS.get(column, column.replace("_", " "))


def _json(text: str) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _shown(visit: VisitFile, column: str, value: Any, names: dict[tuple[str, str], str]) -> str:
    if value is None:
        return ""
    if column in _NAMED_BY and value:
        key = (column, str(value))
        if key not in names:
            table, name_column = _NAMED_BY[column]
            row = visit.one(f"SELECT {name_column} FROM {table} WHERE id = ?", (str(value),))
            names[key] = str(row[0]) if row is not None else str(value)
        return names[key]
    if column == "deleted":
        return "yes" if value else "no"
    return str(value)


def _entry(
    visit: VisitFile,
    table: str,
    action: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    names: dict[tuple[str, str], str],
) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    before, after = old or {}, new or {}
    if before.get("purged") or after.get("purged"):  # what it held was purged
        done = "added" if action == "insert" else "changed"
        return f"{done} (what it held was purged)", ()
    order = {column: n for n, column in enumerate(schema.merged_columns(table))}
    named = {*after, *before}
    columns = sorted(
        (c for c in named if c not in _BOOKKEEPING), key=lambda c: (order.get(c, len(order)), c)
    )
    changes = []
    for column in columns:
        if column == "deleted":
            continue
        was, now = before.get(column), after.get(column)
        if old is not None and was == now:
            continue
        if old is None and now in ("", None, 0) and column not in ("roll",):
            continue
        changes.append(
            (
                field_words(column),
                _shown(visit, column, was, names),
                _shown(visit, column, now, names),
            )
        )
    if action == "insert":
        return "added", tuple(changes)
    if before.get("deleted") != after.get("deleted"):
        return ("deleted" if after.get("deleted") else "restored"), tuple(changes)
    return "changed", tuple(changes)


def record_history(visit: VisitFile, table: str, row_id: str) -> list[HistoryEntry]:
    """Who changed the record, when and what, oldest first (from every laptop merged)."""
    if table not in schema.MERGED_TABLES:
        raise ValueError(f"not a visit table: {table!r}")
    names: dict[tuple[str, str], str] = {}
    entries: list[HistoryEntry] = []
    current = visit.row(table, row_id)
    if current is not None and current.get("import_id"):
        imported = visit.one(
            "SELECT file_name, created_by, created_at FROM import_log WHERE id = ?",
            (current["import_id"],),
        )
        if imported is not None:
            entries.append(
                HistoryEntry(
                    str(imported["created_at"]),
                    str(imported["created_by"]),
                    "imported",
                    (("from", "", str(imported["file_name"])),),
                )
            )
    logged = visit.query(
        "SELECT action, changed_by, changed_at, old, new FROM change_log "
        "WHERE table_name = ? AND row_id = ? ORDER BY version, changed_at",
        (table, row_id),
    )
    for row in logged:
        what, changes = _entry(
            visit, table, row["action"], _json(row["old"]), _json(row["new"]), names
        )
        entries.append(HistoryEntry(row["changed_at"], row["changed_by"], what, changes))
    entries += [
        HistoryEntry(str(row["created_at"]), str(row["created_by"]), "purged",
                     (("why", "", str(row["reason"])),))
        for row in visit.query(
            "SELECT created_at, created_by, reason FROM purge WHERE table_name = ? AND "
            "row_id = ? AND deleted = 0 ORDER BY version",
            (table, row_id),
        )
    ]  # fmt: skip
    if not entries and current is not None:
        entries.append(
            HistoryEntry(str(current["created_at"]), str(current["created_by"]), "added", ())
        )
    return entries


def undo(visit: VisitFile, changes: list[Logged]) -> int:
    """Take back one action's writes, newest first, in one transaction; refused (nothing
    undone) when a row has changed since. Returns how many rows went back."""
    first_old: dict[tuple[str, str], dict[str, Any] | None] = {}
    last_version: dict[tuple[str, str], str] = {}
    for change in changes:
        key = (change.table, change.row_id)
        first_old.setdefault(key, change.old)
        last_version[key] = change.version
    with visit.transaction():
        for (table, row_id), version in last_version.items():
            row = visit.row(table, row_id)
            if visit.one(
                "SELECT 1 FROM purge WHERE table_name = ? AND row_id = ? AND row_version > ?",
                (table, row_id, version),
            ):
                raise IrpError("it was purged since: nothing of it is left to undo")
            if row is None or row["version"] != version:
                by = visit.one(
                    "SELECT changed_by FROM change_log WHERE table_name = ? AND row_id = ? "
                    "ORDER BY version DESC LIMIT 1",
                    (table, row_id),
                )
                who = f" by {by[0]}" if by is not None and by[0] else ""
                raise IrpError(
                    f"it has been changed since{who} (a merge?); nothing was undone: "
                    "see its history"
                )
        own = {table: set(schema.merged_columns(table)) - _BOOKKEEPING for table, _ in first_old}
        for (table, row_id), old in reversed(list(first_old.items())):
            if old is None:
                visit.delete(table, row_id)
                continue
            restored = {c: v for c, v in old.items() if c in own[table] or c == "deleted"}
            visit.update(table, row_id, restored)
    return len(first_old)
