"""What is linked to each plan item, counted: the rounds and days linked (``links``),
read without the links' rules or the time-out-of-cell rules, so that the overview's read
loads only what it counts with (issue 24, aim 7). The link tables are named here, once."""

from __future__ import annotations

from typing import NamedTuple

from irp_field.core.visit_file import VisitFile

ROUND_TABLE = "round_link"
DAY_TABLE = "toc_day_link"


class LinkedCounts(NamedTuple):
    """What is linked to one plan item (a named tuple: no class made by dataclasses'
    code generation on the overview's read)."""

    rounds: int = 0
    checks: int = 0  # live checks in the linked rounds
    days: int = 0  # linked subjects' days with periods
    periods: int = 0  # live periods on them


def counts_by_item(visit: VisitFile) -> dict[str, LinkedCounts]:
    """plan item id -> what is linked to it, counted (rounds and days that hold nothing
    live count nothing)."""
    rounds = {
        str(row["plan_item_id"]): (int(row["rounds"]), int(row["checks"]))
        for row in visit.query(
            "SELECT k.plan_item_id, COUNT(DISTINCT k.round_id) AS rounds, COUNT(r.id) AS checks "
            f"FROM {ROUND_TABLE} k JOIN roll_check r ON r.round_id = k.round_id "
            "AND r.deleted = 0 WHERE k.deleted = 0 GROUP BY k.plan_item_id"
        )
    }
    days = {
        str(row["plan_item_id"]): (int(row["days"]), int(row["periods"]))
        for row in visit.query(
            "SELECT k.plan_item_id, COUNT(DISTINCT k.subject || char(31) || k.on_date) AS days, "
            f"COUNT(p.id) AS periods FROM {DAY_TABLE} k JOIN toc_period p "
            "ON p.subject = k.subject AND p.on_date = k.on_date AND p.deleted = 0 "
            "WHERE k.deleted = 0 GROUP BY k.plan_item_id"
        )
    }
    return {
        item: LinkedCounts(*rounds.get(item, (0, 0)), *days.get(item, (0, 0)))
        for item in {*rounds, *days}
    }
