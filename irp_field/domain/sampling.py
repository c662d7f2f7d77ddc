"""Reproducible record samples, the 95% interval of a sampled share, and the answers' rule.

A sample of K records from a list is the K records with the smallest
SHA-256(f"{seed}:{record}"): anyone with the seed and the list can re-derive it in
any language, and the list's own SHA-256 proves which list it was drawn from.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from irp_field.domain import vocabulary
from irp_field.domain.errors import IrpError
from irp_field.domain.names import name_verdicts, text_verdicts
from irp_field.domain.verdicts import Verdict


def list_text(records: Sequence[str]) -> str:
    return "".join(f"{record}\n" for record in records)


def list_sha256(records: Sequence[str]) -> str:
    import hashlib  # OpenSSL, loaded when a list is drawn or checked: the figures never are

    return hashlib.sha256(list_text(records).encode("utf-8")).hexdigest()


# No prison's case records number more: a larger population is a slip of the keys, and
# its records listed would fill the laptop's memory (a hundred billion ended in a
# MemoryError, after minutes).
MOST_RECORDS = 1_000_000


def population_records(size: int) -> list[str]:
    """A population given only by its size: records numbered 1 to N."""
    if size > MOST_RECORDS:
        raise IrpError(f"a population of {size:,} records: at most {MOST_RECORDS:,}")
    return [str(number) for number in range(1, size + 1)]


def draw(records: Sequence[str], size: int, seed: int) -> list[str]:
    if len(set(records)) != len(records):
        raise ValueError("the list has duplicate records")
    if size < 1:
        raise ValueError("the sample size must be at least 1")
    if size > len(records):
        raise ValueError(f"cannot draw {size} records from a list of {len(records)}")

    import hashlib

    def rank(record: str) -> bytes:
        return hashlib.sha256(f"{seed}:{record}".encode()).digest()

    return sorted(records, key=rank)[:size]


def wilson_interval(
    successes: int, trials: int, z: float = 1.959963984540054
) -> tuple[float, float]:
    """The 95% Wilson score interval of successes/trials; (0, 1) when there are no trials."""
    if trials <= 0:
        return (0.0, 1.0)
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / denominator
    # exact bounds at the ends: no "0%" sample may claim a lower bound above zero
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return (low, high)


def frame_verdicts(name: str, population: int | None) -> list[Verdict]:
    """A sample frame. REFUSE: a name that is no name; a population below zero."""
    found = name_verdicts(name, "frame", "the sample frame")
    if population is not None and population < 0:
        found.append(Verdict("population", f"the population cannot be negative ({population})"))
    if population is not None and population > MOST_RECORDS:
        found.append(Verdict("population", f"the population is above {MOST_RECORDS:,}"))
    return found


def criterion_verdicts(criterion: str) -> list[Verdict]:
    """REFUSE a criterion that is no name (empty, over-long, a control character)."""
    return name_verdicts(criterion, "criterion", "the criterion")


def record_verdicts(record: str) -> list[Verdict]:
    """REFUSE a sampled record's reference that is no name."""
    return name_verdicts(record, "record", "the record")


def answer_verdicts(
    record: str, criterion: str, answer: str, comment: str, *, stored: bool = False
) -> list[Verdict]:
    """One cell of a sampling grid. REFUSE: no record or criterion; an answer other than
    yes, no or na; an empty answer without a comment (a comment alone may wait for its
    answer, and counts in none of yes, no and n/a); over-long text. ``stored``: an
    answer the visit file holds (``check``, a merge), exactly as stored (a hand's 'YES'
    is counted in no figure: ``vocabulary.stored``)."""
    found = record_verdicts(record) + criterion_verdicts(criterion)
    found += text_verdicts(comment, "comment", "the comment", required=False)
    if answer.strip() or not comment.strip():
        try:
            parse = vocabulary.stored if stored else vocabulary.choose
            parse(answer, vocabulary.ANSWERS, "answer")
        except ValueError as error:
            found.append(Verdict("answer", str(error)))
    return found


def parse_answer(answer: str, comment: str) -> str:
    """The stored answer: yes, no, na, or '' for a comment waiting for its answer."""
    if answer.strip() or not comment.strip():
        return vocabulary.choose(answer, vocabulary.ANSWERS, "answer")
    return ""
