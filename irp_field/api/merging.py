"""Merging the team's visit files, and settling the conflicts a merge keeps."""

from __future__ import annotations

from irp_field.replication.candidates import Candidate as Candidate
from irp_field.replication.candidates import candidates as candidates
from irp_field.replication.conflict_combine import combine as combine_conflict
from irp_field.replication.conflicts import Conflict as Conflict
from irp_field.replication.conflicts import open_conflicts as open_conflicts
from irp_field.replication.conflicts import resolve as resolve_conflict
from irp_field.replication.merge import MergeReport as MergeReport
from irp_field.replication.merge import merge_visits as merge_visits
from irp_field.replication.merge_rows import KIND_LABELS as KIND_LABELS

__all__ = [
    "KIND_LABELS",
    "Candidate",
    "Conflict",
    "MergeReport",
    "candidates",
    "combine_conflict",
    "merge_visits",
    "open_conflicts",
    "resolve_conflict",
]
