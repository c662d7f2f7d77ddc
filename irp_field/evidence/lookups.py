"""Name -> id look-ups that imports and screens check typed names against (case-insensitive)."""

from __future__ import annotations

from irp_field.core.visit_file import VisitFile


def team_names(visit: VisitFile) -> dict[str, str]:
    """casefolded name -> the name as the team list spells it."""
    rows = visit.query("SELECT name FROM team_member WHERE deleted = 0")
    return {row["name"].casefold(): row["name"] for row in rows}


def plan_ids(visit: VisitFile) -> dict[str, str]:
    rows = visit.query("SELECT ref, id FROM plan_item WHERE deleted = 0")
    return {row["ref"].casefold(): row["id"] for row in rows}


def next_plan_position(visit: VisitFile) -> int:
    row = visit.one("SELECT COALESCE(MAX(position), -1) + 1 FROM plan_item")
    return int(row[0]) if row else 0


def subject_day_groups(visit: VisitFile) -> dict[tuple[str, str], tuple[str, int]]:
    """(subject, date) -> (group, 0) for the periods already in the file."""
    rows = visit.query(
        "SELECT subject, on_date, MIN(subject_group) AS subject_group FROM toc_period "
        "WHERE deleted = 0 GROUP BY subject, on_date"
    )
    return {(row["subject"], row["on_date"]): (row["subject_group"], 0) for row in rows}
