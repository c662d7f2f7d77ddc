"""Conflicts: concurrent edits the merge kept both of, listed and settled by a person.

Settling one is an ordinary edit (new stamps, logged), so it merges like any other:
the kept version becomes the row's newest version, and the conflict row is marked
resolved with a version that outranks the unresolved copy other files still hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from irp_field.core import schema
from irp_field.core.purging import PURGE_AUTHOR
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.replication import describe, merge_checks, purge_merge
from irp_field.replication.merge_rows import CLASH, KIND_LABELS


@dataclass(frozen=True)
class Conflict:
    id: str
    table: str
    row_id: str
    kept_version: str
    other_version: str
    current: dict[str, Any]
    other: dict[str, Any]
    current_edit: tuple[str, str] = ("", "")  # (who, when) made the version kept now
    other_edit: tuple[str, str] = ("", "")  # (who, when) made the other version
    what: str = ""  # the record, in the team's words: "judgement of 1.21"
    current_by: str = ""  # "Priya Shah, 14 March 14:00"
    other_by: str = ""
    # why the merge would not take the other version on its word, and from which file
    # ("two different rows claim to be the same version (jade.db)"); '' for an edit made
    # while another was made elsewhere
    reason: str = ""
    purged: bool = False  # the other version was purged: it holds nothing to keep

    @property
    def kind(self) -> str:
        return KIND_LABELS.get(self.table, self.table)

    @property
    def clash(self) -> bool:
        """Do both versions carry one stamp (neither can be an edit of the other)?"""
        return str(self.current.get("version", "")) == self.other_version

    def differences(self) -> list[tuple[str, Any, Any]]:
        """(column, current value, other value) for each typed column that differs."""
        own = (*schema.merged_columns(self.table)[6:], "deleted")
        return [
            (c, self.current.get(c), self.other.get(c))
            for c in own
            if self.current.get(c) != self.other.get(c)
        ]


def open_conflicts(visit: VisitFile) -> list[Conflict]:
    rows = visit.query(
        "SELECT * FROM conflict WHERE deleted = 0 AND resolved = 0 ORDER BY table_name, row_id, "
        "other_version"
    )
    found = []
    numbers = describe.paragraph_numbers(visit) if rows else {}
    questioned = _questioned(visit) if rows else {}
    for row in rows:
        table = row["table_name"]
        if table not in schema.MERGED_TABLES:
            continue
        current = visit.row(table, row["row_id"]) or {}
        other = describe.json_row(row["other_row"])
        kept = str(current.get("version", ""))
        reason = questioned.get((table, row["row_id"], row["other_version"]), "")
        other_by = describe.editor(visit, table, row["row_id"], row["other_version"], other)
        purged = row["created_by"] == PURGE_AUTHOR
        what = describe.record(visit, table, current or other, numbers)
        if purged:
            what = purge_merge.purged_what(visit.conn, table, row["row_id"])
            reason = (
                "changed on another laptop without the purge of this record: that change "
                "was purged too, and nothing of it is left to keep"
            )
        if reason and kept != row["other_version"]:
            # its history entry was not taken: who made it is a claim, not a record
            other_by = "not proven"
        elif not reason and kept == row["other_version"]:
            reason = CLASH
        found.append(
            Conflict(
                row["id"],
                table,
                row["row_id"],
                row["kept_version"],
                row["other_version"],
                current,
                other,
                _edit(visit, table, row["row_id"], kept),
                _edit(visit, table, row["row_id"], row["other_version"]),
                what,
                describe.editor(visit, table, row["row_id"], kept, current),
                other_by,
                reason,
                purged,
            )
        )
    return found


def _questioned(visit: VisitFile) -> dict[tuple[str, str, str], str]:
    """(table, row id, version) -> why a merge questioned that version, and the file it
    came in (the merges' own history entries keep them)."""
    found: dict[tuple[str, str, str], str] = {}
    for (details,) in visit.query(
        "SELECT new FROM change_log WHERE table_name = 'visit' AND action = 'merge' "
        "AND instr(new, '\"questioned\"') ORDER BY version"
    ):
        try:
            listed = json.loads(details).get("questioned", [])
        except (ValueError, AttributeError):
            continue
        for item in listed if isinstance(listed, list) else []:
            if isinstance(item, dict):
                key = (str(item.get("table")), str(item.get("row_id")), str(item.get("version")))
                found[key] = f"{item.get('why')} ({item.get('file')})"
    return found


def _edit(visit: VisitFile, table: str, row_id: str, version: str) -> tuple[str, str]:
    """Who made ``version`` of a row and when, from the (merged) edit history."""
    found = visit.one(
        "SELECT changed_by, changed_at FROM change_log WHERE table_name = ? AND row_id = ? "
        "AND version = ? LIMIT 1",
        (table, row_id, version),
    )
    return (found["changed_by"], found["changed_at"]) if found else ("", "")


def find_conflict(visit: VisitFile, conflict_id: str) -> Conflict:
    matches = [c for c in open_conflicts(visit) if c.id.startswith(conflict_id.strip())]
    if not conflict_id.strip() or not matches:
        raise IrpError(f"{visit.path}: no open conflict with id {conflict_id!r}")
    if len(matches) > 1:
        raise IrpError(f"{conflict_id!r} matches {len(matches)} conflicts; give more of the id")
    return matches[0]


def resolve(visit: VisitFile, conflict_id: str, keep: str) -> Conflict:
    """Keep one version: ``kept`` (the version kept now), ``other``, or a version stamp
    (or its start); both stay in the edit history."""
    conflict = find_conflict(visit, conflict_id)
    current_version = str(conflict.current.get("version", ""))
    keep = keep.strip()
    if keep.casefold() in ("kept", "current"):
        chosen = "current"
    elif keep.casefold() == "other" and conflict.purged:
        raise IrpError(
            f"the other version of {conflict.what} was purged: nothing of it is left to "
            "keep; settle it with --keep kept"
        )
    elif keep.casefold() == "other":
        chosen = "other"
    elif keep and current_version.startswith(keep) and not conflict.other_version.startswith(keep):
        chosen = "current"
    elif keep and conflict.other_version.startswith(keep) and not current_version.startswith(keep):
        chosen = "other"
    elif conflict.clash:
        raise IrpError(
            f"both versions of the {conflict.what or conflict.kind} carry the same stamp "
            "(two different rows claim to be the same version): --keep must name 'kept' "
            "or 'other'"
        )
    else:
        raise IrpError(
            f"--keep must name 'kept' (the version by {conflict.current_by or '?'}) or 'other' "
            f"(the version by {conflict.other_by or '?'}), or one of the two version stamps"
        )
    with visit.transaction():
        if chosen == "other":
            _keep_other(visit, conflict)
        kept = conflict.other_version if chosen == "other" else current_version
        visit.update("conflict", conflict.id, {"resolved": 1, "resolution": f"kept {kept}"})
    return conflict


def _keep_other(visit: VisitFile, conflict: Conflict) -> None:
    """Write the other version over the row, read back through the rules before the
    transaction commits: a conflict record forged in a file (or written under older
    rules) cannot slip a record the rules refuse into the visit."""
    own = (*schema.merged_columns(conflict.table)[6:], "deleted")
    missing = [column for column in own if column not in conflict.other]
    if not conflict.current or missing:
        raise IrpError(
            f"conflict {conflict.id[:12]}: the record does not hold a whole version of "
            f"{conflict.what or conflict.kind}; keep the version kept now"
        )
    visit.update(conflict.table, conflict.row_id, {c: conflict.other[c] for c in own})
    refused = merge_checks.first_refusal(visit, conflict.table, conflict.row_id)
    if refused is not None:
        raise IrpError(
            f"conflict {conflict.id[:12]}: the other version cannot be kept: {refused.kind} "
            f"{refused.where}: {refused.verdict.message}; nothing was changed"
        )
