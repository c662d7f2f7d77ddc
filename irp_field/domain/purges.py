"""Purges: a record's content removed for good, and what a purge record must be.

A tombstone keeps a deleted record (its text, a photograph's bytes) in the visit file,
its history and every copy of it: right for evidence, wrong for the photograph of a
prisoner's face attached by mistake or a name typed into the wrong note. A purge
empties the record everywhere this app keeps it and leaves only its fact: which record
(named without its content), who, when and why. These are its words and its rules,
the same for the command line, the screens, the API, ``check`` and the merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.domain.names import name_verdicts, text_verdicts
from irp_field.domain.verdicts import Verdict


@dataclass(frozen=True)
class PurgeKind:
    word: str  # as typed on the command line
    table: str
    label: str  # a record of it, in the inspectors' words


# Every kind of record with free text a person types (or a file a person attaches),
# which a purge may empty. An attachment takes its file's bytes with it.
KINDS: tuple[PurgeKind, ...] = (
    PurgeKind("note", "note", "note"),
    PurgeKind("attachment", "attachment", "attachment"),
    PurgeKind("paragraph", "finding", "findings paragraph"),
    PurgeKind("summary", "report_paragraph", "summary paragraph"),
    PurgeKind("roll-check", "roll_check", "roll check"),
    PurgeKind("period", "toc_period", "time out of cell period"),
    PurgeKind("answer", "sample_answer", "sample answer"),
    PurgeKind("data-return", "data_return", "data return"),
    PurgeKind("glossary", "glossary_term", "glossary term"),
    PurgeKind("judgement", "judgement", "judgement"),
)
BY_WORD = {kind.word: kind for kind in KINDS}
BY_TABLE = {kind.table: kind for kind in KINDS}
# The tables a purge record may name: the kinds', an attachment's stored file, and the
# links of a subject's day whose last period is purged (they name the subject).
TABLES = frozenset({*BY_TABLE, "attachment_file", "toc_day_link"})

REASON_LIMIT = 1_000  # characters: a sentence or two, never a copy of what was purged
# Purge records a file from elsewhere may carry: a purge is a person's deliberate act,
# one record at a time; more is not a visit's (and each costs the merge a look).
MOST_PER_FILE = 10_000


def kind_of(word: str) -> PurgeKind:
    """The kind a person typed ("note", "roll-check"), or ValueError naming the choices."""
    found = BY_WORD.get(word.strip().casefold().replace("_", "-"))
    if found is None:
        choices = ", ".join(kind.word for kind in KINDS)
        raise ValueError(f"{word!r} is not a kind of record to purge; one of: {choices}")
    return found


def reason_verdicts(reason: str) -> list[Verdict]:
    """Why it was purged: required, a sentence or two, text any document can hold. It
    is working text (an export blanks it) and it stays for ever: never the content."""
    found = text_verdicts(reason, "reason", "the reason for a purge")
    if not found and len(reason.strip()) > REASON_LIMIT:
        found = [
            Verdict(
                "reason",
                f"the reason for a purge is {len(reason.strip()):,} characters; at most "
                f"{REASON_LIMIT:,} (say why, not what it held)",
            )
        ]
    return found


def record_verdicts(table: str, what: str, reason: str, by: str, deleted: object) -> list[Verdict]:
    """A purge record as a file holds it (``check``, and the merge for one from another
    laptop): a kind of record that may be purged, named and explained within the
    limits, by someone, and never itself deleted (a purge cannot be taken back, and
    a tombstone on one would let the content come back from a copy that still has it)."""
    found: list[Verdict] = []
    if table not in TABLES:
        found.append(Verdict("table", f"names {table[:40]!r}, not a kind of record to purge"))
    found += name_verdicts(what, "what", "the purged record's name")
    found += reason_verdicts(reason)
    found += name_verdicts(by, "by", "who purged it")
    if deleted != 0:
        found.append(Verdict("deleted", "is marked deleted: a purge is never taken back"))
    return found
