"""What one record of a visit names of another, and the rule every such reference obeys.

A sampled answer names its frame, its sampled record and its criterion; a sampled
record and a criterion, their frame; a link, its plan item and the round, note or
subject's day it joins; a findings paragraph and a sample frame, their plan item. Every
path that writes one (the import, the screens, the API) writes the record it names
first, so a file irp-field wrote never holds a live record naming one the file lacks.
One a hand wrote ('nosuch') is refused (REFUSE, ``check`` and the merge): the figures,
the report and the exports read the pair through a join, and a record naming nothing
was left out of them without a word (a share of answers from one fewer record; a
paragraph missing from the report), or a team leader's merged file took it.

A record named that was deleted is no broken reference: a record deleted on one laptop
while another answered it (or linked it) is the history a merge keeps, and the figures
leave it out as they leave out the deleted record's own. A merge judges a reference
against everything it brings together: the target and every file of the same merge (a
record in laptop A, its answer in laptop B, make one whole visit).

Not refused, and why:

- a day link whose day has no periods at all is said (WARN): a period moved to another
  day on one laptop while another linked its first day makes one, honestly
  (``evidence.links.follow_moved_periods`` tombstones it when one file meets the move);
- a judgement's unit: regrouping plan items leaves the old group's judgement naming no
  item, honestly; the figures count the items' own, and ``check`` warns of an item
  left with none;
- a roll check's round and location: a check names them in its id
  (``replication.row_keys``), which the merge refuses when it is not so, and ``check``
  names a check of a round the visit lacks; the figures count such a check under its
  own key, as they say;
- an attachment's record and file: an attachment's rule (``evidence.attachment_audit``:
  a file or record still to arrive is said).

Pure data and words: the SQL that looks for a reference is made from this table where
the file is read (``evidence.reference_audit``, ``core.stored_forms``).
"""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.domain.verdicts import REFUSE, WARN, Verdict


@dataclass(frozen=True)
class Reference:
    """A record's columns naming another record: ``table``'s ``columns`` name the row of
    ``target_table`` whose ``target_columns`` (in the same order) hold the same values."""

    kind: str  # the record's kind, in words ("sample answer")
    table: str
    columns: tuple[str, ...]
    target: str  # what it names, in words ("sampled record")
    target_table: str
    target_columns: tuple[str, ...]
    field: str  # the verdict's field: the column a person would mend
    optional: bool = False  # an empty value names nothing, and may (a frame for no item)
    shown: int = 0  # the first of ``columns`` a person reads (a frame's id is no one's word)
    severity: str = REFUSE  # WARN: a state two laptops' honest edits can make (said, merged)
    read_by_figures: bool = False  # a figure reads the pair: such a file makes no figure


REFERENCES: tuple[Reference, ...] = (
    Reference(  # its frame places its record and criterion, which the figures read
        "sample answer", "sample_answer", ("frame_id",),
        "sample frame", "sample_frame", ("id",), "frame", read_by_figures=True,
    ),
    Reference(
        "sample answer", "sample_answer", ("frame_id", "record"),
        "sampled record", "sample_record", ("frame_id", "record"), "record",
        shown=1, read_by_figures=True,
    ),
    Reference(
        "sample answer", "sample_answer", ("frame_id", "criterion_id"),
        "criterion", "sample_criterion", ("frame_id", "id"), "criterion",
        shown=1, read_by_figures=True,
    ),
    Reference(
        "sampled record", "sample_record", ("frame_id",),
        "sample frame", "sample_frame", ("id",), "frame", read_by_figures=True,
    ),
    Reference(
        "criterion", "sample_criterion", ("frame_id",),
        "sample frame", "sample_frame", ("id",), "frame", read_by_figures=True,
    ),
    Reference(
        "sample frame", "sample_frame", ("plan_item_id",),
        "plan item", "plan_item", ("id",), "plan_ref", optional=True,
    ),
    Reference(
        "round link", "round_link", ("round_id",),
        "round", "roll_round", ("id",), "round",
    ),
    Reference(
        "round link", "round_link", ("plan_item_id",),
        "plan item", "plan_item", ("id",), "plan_ref",
    ),
    Reference(  # a period moved on one laptop while another linked its day: said
        "day link", "toc_day_link", ("subject", "on_date"),
        "subject's day of time out of cell", "toc_period", ("subject", "on_date"), "subject",
        severity=WARN,
    ),
    Reference(
        "day link", "toc_day_link", ("plan_item_id",),
        "plan item", "plan_item", ("id",), "plan_ref",
    ),
    Reference(
        "note link", "note_link", ("note_id",),
        "note", "note", ("id",), "note",
    ),
    Reference(
        "note link", "note_link", ("plan_item_id",),
        "plan item", "plan_item", ("id",), "plan_ref",
    ),
    Reference(
        "findings paragraph", "finding", ("plan_item_id",),
        "plan item", "plan_item", ("id",), "plan_ref",
    ),
)  # fmt: skip


# Distinct records named that no file holds, kept per file while a merge looks for them
# in the others of the merge (a hostile file naming a million is refused past this).
MOST_AWAITED = 10_000


def dangling_verdict(reference: Reference, values: tuple[object, ...]) -> Verdict:
    """A live record naming one its file does not hold, deleted or not (``values``: what
    it names, in the order of ``columns``). REFUSE."""
    named = ", ".join(
        repr(value if isinstance(value, str) else str(value))[:60]
        for value in values[reference.shown :]
    )
    of_frame = " of its frame" if reference.shown and reference.columns[0] == "frame_id" else ""
    if reference.severity == WARN:
        why = "(its periods moved on another laptop?)"
    else:
        why = "(written by a hand or another program?): no figure or report can place it"
    return Verdict(
        reference.field,
        f"its {reference.target} {named}{of_frame} is not in the file {why}",
        reference.severity,
    )
