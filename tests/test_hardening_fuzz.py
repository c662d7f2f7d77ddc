"""Hypothesis fuzzing of every CSV import kind: all or nothing, never a traceback.

Arbitrary bytes, and CSV files built from the kind's own columns with values both
plausible and arbitrary, go through :func:`import_csv` on the Hull sample. Only an
``IrpError`` (``InputError`` for bad rows) may come out, and then the visit's content
is exactly as before; on success every row of the file is in the visit.
"""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from merge_helpers import cp

from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain import vocabulary
from irp_field.domain.errors import IrpError
from irp_field.interchange.imports import KINDS, import_csv

PLAUSIBLE = [
    "",
    " ",
    "A wing",
    "B wing",
    "Healthcare unit",
    "Jade Richards",
    "Martin Lomas",
    "1.33",
    "1.34a",
    "Theme 1",
    "9",
    "0",
    "12",
    "126",
    "-3",
    "1.5",
    "0.4",
    "1e9",
    "NaN",
    "2022-03-14",
    "2022-03-15T10:00",
    "2022-02-30",
    "2022-03-14 25:00",
    "10:00",
    "09:30",
    "24:00",
    "Mon AM",
    "Unemployed",
    "U01",
    "x;y",
    "1.33;Theme 1",
    "key_1",
    "Key One",
    "Good progress",
    "reasonable",
    "no meaningful",
    "significant",
    "C01",
    *vocabulary.BODIES,
    *vocabulary.LOCATION_KINDS,
    *vocabulary.AREAS,
    *vocabulary.PLAN_KINDS,
    *vocabulary.ACTIVITIES,
    *vocabulary.NOTE_SOURCES,
    *vocabulary.ANSWERS,
    *vocabulary.DATA_UNITS,
]
cells = st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=12))

# On success, every row's value of this column is in this table (values are stripped).
LANDS_IN = {
    "team": ("team_member", "name", "name"),
    "locations": ("location", "name", "name"),
    "plan": ("plan_item", "ref", "ref"),
    "roll-checks": ("roll_check", "taken_at", None),
    "time-out-of-cell": ("toc_period", "subject", "subject"),
    "sample": ("sample_answer", "record", "record"),
    "notes": ("note", "text", "text"),
    "data": ("data_return", "key", "key"),
    "links": ("round_link", "plan_item_id", None),  # or toc_day_link: the fingerprint holds both
}
INSERTED = {"roll-checks", "time-out-of-cell", "notes"}  # one new row per CSV row


# Valid-looking text holds no control characters: the name and text rules refuse them
# (arbitrary text, control characters and all, still comes in through ``cells``).
printable = st.characters(blacklist_categories=("Cc", "Cs"))
free_text = st.text(printable, max_size=20)
some_text = st.text(printable, min_size=1, max_size=16).filter(str.strip)
names = st.one_of(some_text, st.sampled_from(["A wing", "Fuzz unit", "Jade Richards"]))
# Values that a row of each column may well accept on the Hull sample, so that many
# fuzzed files import and the all-or-nothing check sees both outcomes.
VALID: dict[str, st.SearchStrategy[str]] = {
    "name": names,
    "role": free_text,
    "body": st.sampled_from(vocabulary.BODIES),
    "kind": st.sampled_from(vocabulary.LOCATION_KINDS),
    "capacity": st.sampled_from(["", "0", "10", "126"]),
    "ref": st.sampled_from(["1.33", "9.99", "Theme 9", "1.34a"]),
    "area": st.sampled_from(vocabulary.AREAS),
    "concern": free_text,
    "text": st.one_of(some_text, free_text),
    "judgement": st.sampled_from(["", "good", "Reasonable progress", "insufficient"]),
    "group": st.sampled_from(["", "g1", "Unemployed"]),
    "why": free_text,
    "taken_at": st.sampled_from(["2022-03-15T10:00", "2022-03-14T09:00", "2022-03-16"]),
    "location": st.sampled_from(["A wing", "B wing"]),
    "roll": st.sampled_from(["100", "50"]),
    **{c: st.sampled_from(["0", "5", "10"]) for c in vocabulary.ROLL_CATEGORIES},
    "round": free_text,
    "inspector": st.sampled_from(["", "Jade Richards"]),
    "note": free_text,
    "date": st.sampled_from(["2022-03-14", "2022-03-15"]),
    "subject": st.sampled_from(["F01", "F02", "U01"]),
    "start": st.sampled_from(["08:00", "10:00"]),
    "end": st.sampled_from(["11:00", "12:00"]),
    "activity": st.sampled_from(vocabulary.ACTIVITIES),
    "record": st.one_of(some_text, st.sampled_from(["R1", "R2"])),
    "criterion": st.one_of(st.sampled_from(["Complete", "On time"]), some_text),
    "answer": st.sampled_from(vocabulary.ANSWERS),
    "comment": free_text,
    "source": st.sampled_from(vocabulary.NOTE_SOURCES),
    "author": st.sampled_from(["Jade Richards", "Martin Lomas"]),
    "plan_refs": st.sampled_from(["", "1.33", "1.33;Theme 1"]),
    "tags": st.sampled_from(["", "a;b", "x"]),
    "key": st.one_of(
        st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True),
        st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True),
        st.just("prev_pct_locked_up"),  # "Key One" (refused) comes in through ``cells``
    ),
    "value": st.sampled_from(["1", "1", "0.5", "3"]),  # 0.5 is no count, 3 no proportion
    "unit": st.sampled_from(vocabulary.DATA_UNITS),
    "period": free_text,
    "label": free_text,
}

PLAN_VALID: dict[str, st.SearchStrategy[str]] = {
    "kind": st.sampled_from(["recommendation", "recommendation", "theme"]),
    "body": st.sampled_from(["HMIP", "HMIP", "Ofsted"]),
    "ref": st.one_of(st.from_regex(r"[1-9]\.[0-9]{1,2}[a-c]?", fullmatch=True), st.just("1.33")),
}

# A roll check counts a location once in its round: a free text round name (a new round)
# or an hour Hull has no round at, over its eleven locations, so that most files of
# valid rows import; the sample's own rounds (already counted) are there too, refused.
ROLL_VALID: dict[str, st.SearchStrategy[str]] = {
    "taken_at": st.sampled_from(
        ["2022-03-14T07:30", "2022-03-15T21:00", "2022-03-16T06:15", "2022-03-15T10:00"]
    ),
    "location": st.sampled_from(
        [f"{letter} wing" for letter in "ABCDEFGHI"] + ["Segregation unit", "Health care unit"]
    ),
    "round": st.one_of(st.just(""), some_text),
}

OVERRIDES = {
    "plan": PLAN_VALID,
    "roll-checks": ROLL_VALID,
    "time-out-of-cell": {"group": st.just("Unemployed")},  # one group per subject and day
    "links": {  # mostly a round of the sample by its name, or a subject's day; or both
        "plan_ref": st.sampled_from(["1.33", "1.33", "1.38", "9.99"]),
        "round": st.sampled_from(["Mon AM", "Wed PM", "Mon AM", "", "No such round"]),
        "date": st.sampled_from(["", "", "2022-03-14", "2022-03-20"]),
        "subject": st.sampled_from(["", "", "U01"]),
    },
}


# Hypothesis draws small integers far more often than 1 in 10 (it leans to 0): the rare
# cases are drawn evenly from a list instead.
ONE_IN_TEN = st.sampled_from([False] * 9 + [True])
ONE_IN_THREE = st.sampled_from([False, False, True])


@st.composite
def roll_counts(draw: st.DrawFn) -> dict[str, str]:
    """Counts that add up to the roll, as on a paper sheet; now and then one over (a
    person in no category: refused without a note) or a roll that is no number."""
    counts = {c: draw(st.integers(0, 30)) for c in vocabulary.ROLL_CATEGORIES}
    over = draw(st.sampled_from([0] * 9 + [1]))
    return {**{c: str(n) for c, n in counts.items()}, "roll": str(sum(counts.values()) + over)}


@st.composite
def csv_files(draw: st.DrawFn, kind: str) -> bytes:
    """Arbitrary bytes now and then; mostly a CSV of the kind's columns (some left out,
    sometimes an unknown one), rows of valid-looking values, with arbitrary ones mixed in
    in half the files."""
    if draw(ONE_IN_TEN):
        return draw(st.binary(max_size=200))
    required, optional = KINDS[kind].required, KINDS[kind].optional
    header = list(required) + [c for c in optional if draw(st.booleans())]
    if draw(ONE_IN_TEN) and header:
        header.remove(draw(st.sampled_from(header)))
    if draw(ONE_IN_TEN):
        header.append(draw(st.sampled_from(["extra", "Name", " ref", ""])))
    header = draw(st.permutations(header))
    mixed = draw(ONE_IN_THREE)
    valid = {**VALID, **OVERRIDES.get(kind, {})}
    row = st.tuples(
        *(st.one_of(valid.get(c, cells), cells) if mixed else valid.get(c, cells) for c in header)
    ).map(list)
    # A file of no rows now and then (refused); shrinking would make most of them empty.
    rows = [] if draw(ONE_IN_TEN) else draw(st.lists(row, min_size=1, max_size=5))
    if kind == "roll-checks" and not mixed:  # counts that agree with their roll
        for values in rows:
            counts = draw(roll_counts())
            values[:] = [counts.get(c, v) for c, v in zip(header, values, strict=True)]
    if kind == "links" and not mixed:  # a round, or a subject's day: one of them, mostly
        for values in rows:
            row = dict(zip(header, values, strict=True))
            if row.get("round") in ("Mon AM", "Wed PM"):
                row.update({c: "" for c in ("date", "subject") if c in row})
            elif "date" in row and "subject" in row:
                row.update({"round": "", "date": "2022-03-14", "subject": "U01"})
                row = {c: row[c] for c in header}
            values[:] = [row[c] for c in header]
    if rows and draw(ONE_IN_TEN):
        rows[-1] = rows[-1][:-1]  # a short row
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    prefix = draw(st.sampled_from(["", "\ufeff"]))
    return (prefix + buffer.getvalue()).encode("utf-8")


def fingerprint(visit: VisitFile) -> str:
    digest = hashlib.sha256()
    for table in [*schema.MERGED_TABLES, "meta", "note_fts"]:
        order = "id" if table in schema.CLUSTERED_TABLES else "rowid"
        for row in visit.conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def count(visit: VisitFile, table: str) -> int:
    found = visit.one(f"SELECT count(*) FROM {table}")
    assert found is not None
    return int(found[0])


def data_rows(raw: bytes) -> list[dict[str, str]]:
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [r for r in reader if any((v or "").strip() for v in r.values())]


pytestmark = pytest.mark.property  # Hypothesis runs inside each test, per kind

EXAMPLES = 80  # in every profile: the mix of outcomes below is part of what is tested


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_import_kind_is_all_or_nothing(
    hull_template: Path, tmp_path_factory: pytest.TempPathFactory, kind: str
) -> None:
    folder = tmp_path_factory.mktemp("csv")
    outcomes = {"imported": 0, "refused": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(raw=csv_files(kind), new_frame=st.booleans())
    def check(raw: bytes, new_frame: bool) -> None:
        # Each file meets the sample as it is: what an earlier example imported (a
        # location counted in a round) must not decide what this one may import.
        with VisitFile.open(cp(hull_template, folder / "hull.db"), user="Jade Richards") as visit:
            judge(visit, raw, new_frame)

    def judge(fuzz_visit: VisitFile, raw: bytes, new_frame: bool) -> None:
        path = folder / f"{kind}.csv"
        path.write_bytes(raw)
        frame = "Fuzzed frame" if new_frame else "Use of force records"
        before = fingerprint(fuzz_visit)
        table, column, csv_column = LANDS_IN[kind]
        rows_before = count(fuzz_visit, table)
        try:
            result = import_csv(fuzz_visit, kind, path, frame=frame, population=50, again=True)
        except IrpError:
            assert fingerprint(fuzz_visit) == before
            outcomes["refused"] += 1
            return
        except sqlite3.Error as error:  # pragma: no cover - what this test hunts for
            raise AssertionError(f"database error escaped the import: {error!r}") from error
        outcomes["imported"] += 1
        rows = data_rows(raw)
        assert result.rows > 0 and fingerprint(fuzz_visit) != before
        if kind in INSERTED:
            assert result.rows == len(rows)
            assert count(fuzz_visit, table) == rows_before + len(rows)
        if csv_column is not None:
            stored = {str(r[0]) for r in fuzz_visit.query(f"SELECT {column} FROM {table}")}
            assert {r[csv_column].strip() for r in rows} <= stored

    check()
    # A meaningful mix: at least one file in eight imported, and one in eight refused.
    assert min(outcomes.values()) >= EXAMPLES // 8, outcomes
    print(kind, outcomes)
