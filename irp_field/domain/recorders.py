"""Who records each kind of evidence, held to the visit's team: one rule, an entry a kind.

A record carries the name of whoever recorded it: the figures by inspector, a record's
history and the hand-back follow the team list, so a record by a login name ("root") or
a slip ("Jade Richard") would be a stranger's in each. Every kind of evidence holds its
recorder to the team by :func:`recorder_verdicts` (``setup.team_verdicts``: REFUSE a new
record; WARN of one a file holds, kept: a member taken off the team after recording
leaves evidence, and a merge never turns a laptop's evidence away for it; a visit with
no team yet, set up on site, takes records from anyone).

:data:`RECORDERS` says, for each kind, which field names its recorder:

- a roll check's ``inspector`` and a note's ``author`` are fields of their own, typed in
  an import's sheet or given by the API (empty: nobody in particular, for a roll check);
- a period of time out of cell, a sample answer and a findings paragraph hold their
  recorder in the record's bookkeeping (``created_by``): whoever records it, the name
  the file is written by (who-am-I, ``--by``, IRP_FIELD_USER or the login). An import's
  sheet of them gives no name: the person importing records every line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from irp_field.domain.setup import UNKNOWN, team_verdicts
from irp_field.domain.verdicts import Verdict


@dataclass(frozen=True)
class Recorder:
    """Where one kind holds who recorded it."""

    kind: str  # the inspectors' word for a record of it
    field: str  # the field its verdict names ("recorded_by": the record's bookkeeping)
    label: str  # the field as a screen names it
    column: str  # the stored column that holds the name
    typed: bool  # a field of its own (a sheet's column); else whoever records it


RECORDED_BY = "recorded_by"

BY = "Recorded by"
RECORDERS: dict[str, Recorder] = {
    "roll_check": Recorder("roll check", "inspector", "Inspector", "inspector", typed=True),
    "note": Recorder("note", "author", "Author", "author", typed=True),
    "toc_period": Recorder("period of time out of cell", RECORDED_BY, BY, "created_by", False),
    "sample_answer": Recorder("sample answer", RECORDED_BY, BY, "created_by", typed=False),
    "finding": Recorder("findings paragraph", RECORDED_BY, BY, "created_by", typed=False),
}


def recorder_verdicts(
    table: str, name: str, team: Mapping[str, str], *, stored: bool = False
) -> list[Verdict]:
    """The rule on who recorded one record of the kind kept in ``table`` (``team``:
    casefolded name -> name): REFUSE a name not on the team; ``stored`` (``check``, a
    merge), WARN of it."""
    return team_verdicts(name, team, RECORDERS[table].field, stored=stored)


def on_the_team(name: str, team: Mapping[str, str]) -> bool:
    """The rule's fast path (``check``'s, of every stored row): nothing to say of ``name``."""
    return not team_verdicts(name, team, "")


def refused_recorder(verdicts: Iterable[Verdict]) -> Recorder | None:
    """The entry whose recorder one of ``verdicts`` refuses (a save by a name not on the
    team), or None: what a screen says of it names the field in the inspectors' words."""
    fields = {recorder.field: recorder for recorder in RECORDERS.values()}
    for verdict in verdicts:
        if verdict.refuses and verdict.field in fields and verdict.message.startswith(UNKNOWN):
            return fields[verdict.field]
    return None
