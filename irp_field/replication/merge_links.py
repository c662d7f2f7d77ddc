"""A period moved to another subject's day on another laptop takes its day's links with
it here too, as it does on the laptop that moved it (``links.follow_moved_periods``):
this file may hold links that laptop never saw."""

from __future__ import annotations

import sqlite3

from irp_field.core.visit_file import VisitFile
from irp_field.evidence import links

Moving = dict[str, tuple[str, str]]  # period id -> (subject, date) here before the merge


def periods_moving(conn: sqlite3.Connection, source: str) -> Moving:
    """The live periods of this file the source holds on another subject's day."""
    rows = conn.execute(
        f"SELECT m.id, m.subject, m.on_date FROM {source}.toc_period s JOIN main.toc_period m "
        "ON m.id = s.id WHERE m.deleted = 0 AND (s.subject IS NOT m.subject "
        "OR s.on_date IS NOT m.on_date)"
    ).fetchall()
    return {str(row[0]): (str(row[1]), str(row[2])) for row in rows}


def follow(visit: VisitFile, moving: Moving) -> None:
    """Once the source's rows are in: the links of each day a period left follow it to
    the day it is on now (when the source's edit won and the period is live)."""
    moves = []
    for period_id, was in moving.items():
        now = visit.one(
            "SELECT subject, on_date FROM toc_period WHERE id = ? AND deleted = 0", (period_id,)
        )
        if now is not None and (str(now["subject"]), str(now["on_date"])) != was:
            moves.append((was, (str(now["subject"]), str(now["on_date"]))))
    links.follow_moved_periods(visit, moves)
