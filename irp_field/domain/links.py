"""Evidence linked to plan items: what a link joins, and the rules a link obeys.

A note is linked to the plan items it is evidence for (``notes``: its plan refs); so are
a round of roll checks (all its checks) and a subject's day of time out of cell (all
its periods). A day, not a period, is what an inspector links: a subject is followed
for a day, the figures total a subject's day (``time_out_of_cell.day_totals``), and a
period typed later into a linked day is evidence for the same items without linking
again. The rules, applied alike by the import (and so a bundle), the screens, the API,
``check`` and the merge (REFUSE each):

- a link names a plan item of the visit (by its ref, when typed);
- a round link names a round of the visit (by its name, case aside, when typed) that
  has checks; a day link names a real date and a subject (as a period's subject is
  judged) that has periods on it;
- a link as a file holds it names what it joins (no empty id, a real date, a subject).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from irp_field.domain import fields
from irp_field.domain.names import name_verdicts
from irp_field.domain.verdicts import Verdict

ROUND = "round"
DAY = "day"


@dataclass(frozen=True)
class LinkEntry:
    """A link as typed or imported: a plan ref, and a round or a subject's day."""

    plan_ref: str
    kind: str  # ROUND or DAY ('' when refused)
    round_name: str = ""
    on_date: str = ""
    subject: str = ""


def day_verdicts(on_date: str, subject: str) -> tuple[tuple[str, str], list[Verdict]]:
    """A subject's day as a link names it: (date, subject), parsed."""
    found = name_verdicts(subject, "subject", "the subject (a pseudonym)")
    try:
        parsed = fields.date(on_date)
    except ValueError as error:
        parsed = ""
        found.append(Verdict("date", str(error)))
    return (parsed, subject.strip()), found


def link_verdicts(
    plan_ref: str,
    round_name: str,
    on_date: str,
    subject: str,
    plan: Mapping[str, str],
    rounds: Collection[str],
    days: Collection[tuple[str, str]],
) -> tuple[LinkEntry, list[Verdict]]:
    """One link as a row of an import names it. ``plan``: casefolded ref -> id of the
    visit's plan items; ``rounds``: casefolded names of the rounds that have checks;
    ``days``: (date, subject) of every day with periods."""
    found: list[Verdict] = []
    ref = plan_ref.strip()
    if not ref:
        found.append(Verdict("plan_ref", "give the plan item's ref"))
    elif ref.casefold() not in plan:
        found.append(Verdict("plan_ref", f"unknown plan ref {ref!r}"))
    named_round = round_name.strip()
    if named_round and (on_date.strip() or subject.strip()):
        found.append(Verdict("round", "give a round, or a date and a subject: not both"))
        return LinkEntry(ref, ""), found
    if named_round:
        if named_round.casefold() not in rounds:
            found.append(Verdict("round", f"no round {named_round!r} with checks in this visit"))
        return LinkEntry(ref, ROUND, round_name=named_round), found
    if not (on_date.strip() or subject.strip()):
        found.append(Verdict("round", "give a round, or a date and a subject"))
        return LinkEntry(ref, ""), found
    (day, who), day_found = day_verdicts(on_date, subject)
    found += day_found
    if not day_found and (day, who) not in days:
        found.append(Verdict("subject", f"{who} has no periods on {day} in this visit"))
    return LinkEntry(ref, DAY, on_date=day, subject=who), found


def stored_verdicts(kind: str, plan_item_id: str, key: tuple[str, ...]) -> list[Verdict]:
    """A link as a visit file holds it (``check``, a merge): it names a plan item, and a
    round (``key``: its id) or a day (``key``: subject, date)."""
    found = [] if plan_item_id.strip() else [Verdict("plan_item_id", "names no plan item")]
    if kind == ROUND:
        if not key[0].strip():
            found.append(Verdict("round_id", "names no round"))
        return found
    return found + day_verdicts(key[1], key[0])[1]
