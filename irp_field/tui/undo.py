"""What one action wrote, kept for ctrl+z: every screen's undo stack holds these."""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.api.history import Change


@dataclass(frozen=True)
class Undoable:
    """What one action wrote, to take back with ctrl+z; ``where`` is the row the
    screen's cursor stays on (a record's id, a cell), whatever the screen needs."""

    label: str
    changes: list[Change]
    where: object = None
