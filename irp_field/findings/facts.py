"""What a template may say about the visit itself besides its figures:
``{{ visit.establishment }}``, ``{{ visit.month }}`` ("March 2022"), ``{{ visit.year }}``,
``{{ visit.previous_inspection }}`` ("July 2021"), so that a standing text (a signature's
date, a back page's year) is written once and fits every visit."""

from __future__ import annotations

import datetime as dt

from irp_field.evidence.reads import VisitSummary
from irp_field.figures import Figure


def _month(date_text: str) -> str:
    try:
        return f"{dt.date.fromisoformat(date_text):%B %Y}"
    except ValueError:
        return ""


def visit_facts(summary: VisitSummary) -> dict[str, Figure]:
    month = _month(summary.end_date)
    facts = {
        "visit.establishment": (summary.establishment, "the establishment's name"),
        "visit.month": (month, "the month and year the visit ended"),
        "visit.year": (month.split()[-1] if month else "", "the year the visit ended"),
        "visit.previous_inspection": (
            _month(summary.previous_inspection),
            "the month and year of the last full inspection",
        ),
    }
    return {
        key: Figure(key, None, text, 0, "text", definition)
        for key, (text, definition) in facts.items()
    }
