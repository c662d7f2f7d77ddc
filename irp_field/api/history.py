"""Each record's history, and undoing what a screen just did.

with history.recording(visit) as changes:
    evidence.edit_roll_check(visit, check, counts=..., taken_at=...)
history.undo(visit, changes)            # back as it was, or refused if changed since
history.record_history(visit, "roll_check", check)   # who changed what, when
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from irp_field.core.rows import Logged as Change
from irp_field.core.visit_file import VisitFile
from irp_field.evidence.history import HistoryEntry as HistoryEntry
from irp_field.evidence.history import field_words as field_words
from irp_field.evidence.history import record_history as record_history
from irp_field.evidence.history import undo as undo

__all__ = ["Change", "HistoryEntry", "field_words", "record_history", "recording", "undo"]


def recording(visit: VisitFile) -> AbstractContextManager[list[Change]]:
    """The row writes made inside the block, to undo them later."""
    return visit.recording()
