"""Settling a conflict with a combined version: the team leader writes what both meant.

The combined text is an ordinary edit of the row (new stamps, logged, so it merges like
any other), and the conflict is marked resolved in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.replication.conflicts import Conflict, find_conflict


def combine(visit: VisitFile, conflict_id: str, changes: Mapping[str, Any]) -> Conflict:
    """Write ``changes`` (the row's own columns) over the kept version and settle the conflict."""
    conflict = find_conflict(visit, conflict_id)
    own = set(schema.merged_columns(conflict.table)[6:])
    unknown = sorted(set(changes) - own)
    if unknown:
        raise IrpError(f"{conflict.kind}: no field {', '.join(unknown)} to combine")
    if not changes:
        raise IrpError("nothing to combine: give the combined text")
    with visit.transaction():
        visit.update(conflict.table, conflict.row_id, dict(changes))
        visit.update("conflict", conflict.id, {"resolved": 1, "resolution": "combined"})
    return conflict
