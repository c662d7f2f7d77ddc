"""Where a paragraph stands among the others, read at a cost that does not grow with
the paragraphs written: the one synced read whole and the others counted, or the last
of each item of a unit (where a new one goes). ``outline.build`` numbers what these
count as it numbers what it is given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from irp_field.core.visit_file import VisitFile
from irp_field.findings.paragraphs import FINDING_COLUMNS, Finding, finding_from_row


@dataclass(frozen=True)
class Unread:
    """Live paragraphs filed under a plan item that were counted, not read: how many come
    before the item's paragraphs that were read, and how many after them."""

    before: int
    after: int = 0


def one_finding_placed(
    visit: VisitFile, finding_id: str
) -> tuple[list[Finding], dict[str, Unread]]:
    """Paragraph ``finding_id`` (when it is live), and every other live paragraph counted
    by its plan item, before or after it: enough to number it among all of them, at a
    cost that does not grow with what the others say."""
    rows = visit.query(
        f"SELECT {FINDING_COLUMNS} FROM finding WHERE id = ? AND deleted = 0", [finding_id]
    )
    found = [finding_from_row(row) for row in rows]
    item, position = (found[0].plan_item_id, found[0].position) if found else ("", 0.0)
    counted = visit.query(  # the order all_findings reads them in: position, then id
        "SELECT plan_item_id, count(*), coalesce(sum(plan_item_id = ? AND (position < ?"
        " OR (position = ? AND id < ?))), 0) FROM finding WHERE deleted = 0 AND id != ?"
        " GROUP BY plan_item_id",
        [item, position, position, finding_id, finding_id],
    )
    return found, {row[0]: Unread(row[2], row[1] - row[2]) for row in counted}


def last_findings_placed(
    visit: VisitFile, under: Iterable[str]
) -> tuple[list[Finding], dict[str, Unread]]:
    """The last live paragraph filed under each of the plan items ``under``, the others
    before it counted: where a paragraph added at the end of their unit goes, at a cost
    that does not grow with the paragraphs written (each item's last found by a pass
    that keeps one row, not a sort of them all)."""
    params = list(under)
    found = []
    for item in params:
        row = visit.one(
            f"SELECT {FINDING_COLUMNS} FROM finding WHERE deleted = 0 AND plan_item_id = ?"
            " ORDER BY position DESC, id DESC LIMIT 1",
            (item,),
        )
        if row is not None:
            found.append(finding_from_row(row))
    counted = visit.query(
        "SELECT plan_item_id, count(*) FROM finding WHERE deleted = 0"
        f" AND plan_item_id IN ({', '.join('?' * len(params))}) GROUP BY plan_item_id",
        params,
    )
    return found, {row[0]: Unread(row[1] - 1) for row in counted}
