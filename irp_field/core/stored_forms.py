"""Values a hand stored in a form the figures' SQL reads as something else, looked for
where a file's trust is judged (``core.kept_totals``).

Every path stores a word in one form (``vocabulary.stored``: 'yes', 'open_air'), a date
as YYYY-MM-DD and a tombstone as 0 or 1, and the figures read those forms alone
(``answer = 'yes'``, ``activity = 'open_air'``, a subject-day keyed by its date,
``deleted = 0``, a judgement counted under its scale's level). A file another hand
wrote 'YES', 'maybe', 'Open air', ' 2022-05-10', a level of no scale or a tombstone of
2 in made figures short of its evidence, quoted as if sound, while ``check`` named the
record and a merge refused it. Such a file is never trusted nor known sound, and every
figure of it is refused naming the file and the record (:func:`refuse_unstored`). The
forms are the domain's (its vocabularies, ``fields.STORED_DATE_PATTERN``,
``fields.TOMBSTONES``): the SQL below is made from them, as ``check`` reads them. (A
previous outcome, which no figure reads, is read through its rule where the report
reads it: ``findings.report_parts.sound_outcomes``.)
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path
from typing import NamedTuple

from irp_field.domain import vocabulary
from irp_field.domain.errors import IrpError
from irp_field.domain.fields import (
    FIRST_DATE,
    STORED_DATE_PATTERN,
    TOMBSTONES,
    held,
)
from irp_field.domain.references import REFERENCES, Reference


def _words(words: tuple[str, ...]) -> str:
    return "(" + ", ".join("'" + word.replace("'", "''") + "'" for word in words) + ")"


class _Look(NamedTuple):
    """A stored value no figure reads as the evidence means it: the record's kind in
    words, its table, what names it (SQL), the value (SQL) and when it is odd (SQL)."""

    kind: str
    table: str
    named: str
    value: str
    odd: str
    which: str  # what the value is, in words


def covered(conn: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> bool:
    """Does an index of ``table`` find a row by ``columns`` in a look-up: one whose first
    columns are exactly these, or a unique one (a key) among them?"""
    wanted = set(columns)
    for _, name, unique, *_ in conn.execute(f"PRAGMA index_list('{table}')"):
        indexed = [str(row[2]) for row in conn.execute(f"PRAGMA index_info('{name}')")]
        if set(indexed[: len(wanted)]) == wanted or (unique and set(indexed) <= wanted):
            return True
    return False


def _key(alias: str, columns: tuple[str, ...]) -> str:
    """One text for several columns, each but the last after its length (so that no two
    pairs make one key: 'a|b', 'c' is not 'a', 'b|c')."""
    *first, last = (f"{alias}.{column}" for column in columns)
    return " || ".join([*(f"length({c}) || ':' || {c}" for c in first), last])


def dangling_where(reference: Reference, conn: sqlite3.Connection) -> str:
    """SQL over ``t``, a record of ``reference``'s kind: true when its file holds no record
    it names, deleted or not (``domain.references``). By an index that finds it
    (:func:`covered`), a look-up a record; else (a sampled record by its frame and name:
    a frame's index alone scanned the frame's records for each answer, 100,000 answers of
    a frame of 100,000 records ran for minutes) each record's key against the target's
    keys, gathered once into SQLite's own index (0.47 s at that size)."""
    target, theirs_columns = reference.target_table, reference.target_columns
    if covered(conn, target, theirs_columns):
        pairs = zip(reference.columns, theirs_columns, strict=True)
        named = " AND ".join(f"r.{theirs} = t.{ours}" for ours, theirs in pairs)
        return f"NOT EXISTS (SELECT 1 FROM {target} r WHERE {named})"
    ours, theirs = _key("t", reference.columns), _key("r", theirs_columns)
    return (
        f"({ours} IS NULL OR {ours} NOT IN (SELECT {theirs} FROM {target} r "
        f"WHERE {theirs} IS NOT NULL))"
    )


# A date as stored (``fields.date``): its pattern, a day that exists (SQLite's date()
# moved by no days is '2022-03-02' of '2022-02-30', NULL of '2022-13-45'; without the
# modifier it keeps '2022-02-30') and no earlier than Python's first.
_REAL_DATE = (
    f"COALESCE(t.on_date GLOB '{STORED_DATE_PATTERN}' "
    "AND date(t.on_date, '+0 days') IS t.on_date "
    f"AND t.on_date >= '{FIRST_DATE}', 0)"
)

# A sampled record's or answer's frame, by name (SQL over ``t``).
FRAME = "COALESCE((SELECT f.name FROM sample_frame f WHERE f.id = t.frame_id), '?')"
# How a record a figure reads through a reference is named (SQL over ``t``), here and
# by ``check`` (``evidence.reference_audit``).
NAMED_BY_TABLE = {
    "sample_answer": f"{FRAME} || ', record ' || t.record",
    "sample_record": f"t.record || ' of ' || {FRAME}",
    "sample_criterion": f"t.name || ' of ' || {FRAME}",
}


def _reference_looks(conn: sqlite3.Connection) -> tuple[_Look, ...]:
    """A record a figure reads through a reference to one its file lacks: the figure
    left it out without a word (an answer of no sampled record, a criterion of no frame)."""
    return tuple(
        _Look(
            reference.kind,
            reference.table,
            NAMED_BY_TABLE[reference.table],
            f"t.{reference.columns[reference.shown]}",
            (f"t.{reference.columns[0]} != '' AND " if reference.optional else "")
            + dangling_where(reference, conn),
            f"{reference.target}, which the file does not hold",
        )
        for reference in REFERENCES
        if reference.read_by_figures
    )


@cache
def _scales() -> tuple[str, ...]:
    from irp_field.domain.scales import SCALES

    return tuple(scale.key for scale in SCALES.values())


@cache
def _pairs() -> tuple[str, ...]:
    """Each scale's levels as stored, "scale level" (loaded by the first file from
    elsewhere: a reading of our own file, such as a notes search, never needs them)."""
    from irp_field.domain.scales import SCALES

    return tuple(f"{scale.key} {level.key}" for scale in SCALES.values() for level in scale.levels)


@cache
def _looks() -> tuple[_Look, ...]:
    """Each look, made once (the judgements' pairs from the plan's scales)."""
    return (
        _Look(
            "sample answer",
            "sample_answer",
            NAMED_BY_TABLE["sample_answer"],
            "t.answer",
            f"t.answer NOT IN {_words((*vocabulary.ANSWERS, ''))}",
            "answer",
        ),
        _Look(
            "period",
            "toc_period",
            "t.subject || ' on ' || t.on_date",
            "t.activity",
            # an empty activity (an older version's, a hand's) is no one's open air, as read
            f"t.activity NOT IN {_words((*vocabulary.ACTIVITIES, ''))}",
            "activity",
        ),
        _Look("period", "toc_period", "t.subject", "t.on_date", f"NOT {_REAL_DATE}", "date"),
        _Look(
            "sample answer",
            "sample_answer",
            NAMED_BY_TABLE["sample_answer"],
            "t.criterion_id",
            "NOT EXISTS (SELECT 1 FROM sample_criterion c WHERE c.id = t.criterion_id)",
            "criterion, which names none",
        ),
        _Look(
            "period",
            "toc_period",
            "t.subject || ' on ' || t.on_date",
            "t.subject_group",
            "t.subject_group = ''",
            "group",
        ),
        _Look("day link", "toc_day_link", "t.subject", "t.on_date", f"NOT {_REAL_DATE}", "date"),
        _Look(  # a scale of no name first: its levels are then no one's (HMIP, not hmip)
            "judgement",
            "judgement",
            "t.unit",
            "t.scale",
            f"t.level != '' AND t.scale NOT IN {_words(_scales())}",
            "scale",
        ),
        _Look(
            "judgement",
            "judgement",
            "t.unit",
            "t.level",
            f"t.level != '' AND t.scale || ' ' || t.level NOT IN {_words(_pairs())}",
            "level",
        ),
    )


# The tables a figure reads, whose tombstone says whether a record counts.
_COUNTED = (
    "location",
    "roll_round",
    "roll_check",
    "toc_period",
    "sample_frame",
    "sample_criterion",
    "sample_record",
    "sample_answer",
    "plan_item",
    "judgement",
    "data_return",
    "previous_outcome",
    "round_link",
    "toc_day_link",
)
_FLAGS = ", ".join(map(str, TOMBSTONES))


def _present(conn: sqlite3.Connection) -> set[str]:
    return {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master")}


def first_unstored(conn: sqlite3.Connection) -> str | None:
    """The first live record holding a value in no stored form (above), or a record
    whose tombstone is neither 0 nor 1, in words; None when there is none. One look a
    column, each a pass over its table (a file from elsewhere, at its first reading: the
    roll checks' tombstones are the one pass over the large table, 0.013 s at 100,000).
    (A check of a round or location the visit lacks is counted as the figures say,
    under its own key, and ``check`` names it: not looked for here.)"""
    tables = _present(conn)
    for look in (*_looks(), *_reference_looks(conn)):
        if look.table not in tables:
            continue
        row = conn.execute(
            f"SELECT substr({look.named}, 1, 60), {look.value} FROM {look.table} t "
            f"WHERE t.deleted = 0 AND ({look.odd}) LIMIT 1"
        ).fetchone()
        if row is not None:
            which = (
                look.which
                if "," in look.which
                else f"{look.which}, which no figure reads as stored"
            )
            return f"its {look.kind} {row[0]} holds {held(row[1])} as its {which}"
    for table in _COUNTED:
        if table not in tables:
            continue
        row = conn.execute(
            f"SELECT id, deleted FROM {table} WHERE deleted NOT IN ({_FLAGS}) LIMIT 1"
        ).fetchone()
        if row is not None:
            return (
                f"its {table} record {str(row[0])[:40]} holds {held(row[1])} as its tombstone, "
                f"which is neither 0 nor 1"
            )
    return None


def refuse_unstored(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse, in one line naming the file and the record, a file holding a value
    :func:`first_unstored` finds: asked by the figures of a file not trusted."""
    found = first_unstored(conn)
    if found is not None:
        raise IrpError(
            f"{path}: {found} (another program changed the file): no figure is made of it; "
            "`irp-field check` names every such record"
        )
