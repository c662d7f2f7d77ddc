"""One round started on two laptops under two spellings or times ("Tue AM" at 10:00 and
"Tue am" at 10:04): a round's id is keyed by its name, case aside, so they are one
round, and their checks of one location one check. The plain row rule let the later
stamp rename the round quietly. Here the file merged into keeps its round as it had it,
the merge says so (``domain.rounds.same_round_words``), and writes that as a new version
descending from the other laptop's, so that every laptop merged with it later takes it
without a conflict or a second warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain.rounds import same_round_words

_OWN = ("name", "on_date", "at_time")


@dataclass(frozen=True)
class Met:
    round_id: str
    kept: dict[str, Any]  # the target's row as it was
    other: dict[str, Any]  # the source's row


def met(visit: VisitFile, alias: str) -> list[Met]:
    """The rounds both files started (neither row is an edit) and that differ in name,
    day or time; read before the roll_round table is merged."""
    columns = schema.merged_columns("roll_round")
    picked = ", ".join([*(f"s.{c}" for c in columns), *(f"m.{c}" for c in columns)])
    differs = " OR ".join(f"s.{c} IS NOT m.{c}" for c in _OWN)
    rows = visit.conn.execute(
        f"SELECT {picked} FROM {alias}.roll_round s JOIN main.roll_round m ON m.id = s.id "
        "WHERE s.base_version = '' AND m.base_version = '' AND s.version != m.version "
        f"AND s.deleted = 0 AND m.deleted = 0 AND ({differs})"
    ).fetchall()
    width = len(columns)
    found = []
    for row in rows:
        other = dict(zip(columns, tuple(row)[:width], strict=True))
        kept = dict(zip(columns, tuple(row)[width:], strict=True))
        found.append(Met(str(kept["id"]), kept, other))
    return found


def keep_the_targets(visit: VisitFile, found: list[Met], path: Path) -> list[str]:
    """After the table's merge: each round as the target had it, a new version whose base
    is the other laptop's (it has seen both); the warnings, one line each."""
    columns = schema.merged_columns("roll_round")[1:]
    said = []
    for each in found:
        current = visit.row("roll_round", each.round_id)
        if current is None:
            continue
        if current["version"] != each.other["version"]:
            assignments = ", ".join(f"{c} = ?" for c in columns)
            visit.conn.execute(  # the other version, its history already merged
                f"UPDATE main.roll_round SET {assignments} WHERE id = ?",
                (*(each.other[c] for c in columns), each.round_id),
            )
        visit.update("roll_round", each.round_id, {c: each.kept[c] for c in _OWN})
        said.append(
            same_round_words(
                path.name,
                tuple(str(each.kept[c]) for c in _OWN),  # type: ignore[arg-type]
                tuple(str(each.other[c]) for c in _OWN),  # type: ignore[arg-type]
            )
        )
    return said
