"""`irp-field check` on files that other tools wrote into: every live record read back
through its rule, five findings of each kind listed and the rest counted; the roll
checks' fast path (run by SQLite on every row) never hides what the rules would say;
integrity_check runs beside the reading, and damage is still refused in one line."""

from __future__ import annotations

import itertools
import random
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from irp_field.api.check import check_visit
from irp_field.cli import main
from irp_field.core.clock import Stamp, wall_clock_ms
from irp_field.core.visit_file import VisitFile
from irp_field.domain import roll_checks, time_out_of_cell
from irp_field.domain.roll_checks import RollCounts
from irp_field.domain.vocabulary import ROLL_CATEGORIES
from irp_field.evidence import audit
from irp_field.evidence.reads import visit_dates

COLUMNS = ("taken_at", "location_id", "roll", "locked_up", "off_wing_activity", "wing_work",
           "unlocked_on_wing", "elsewhere", "note")  # fmt: skip
INSIDE, OUTSIDE = "2022-03-15T10:00", "2022-04-01T10:00"  # the Hull visit: 14 to 16 March


def _place(conn: sqlite3.Connection, name: str) -> str:
    return str(conn.execute("SELECT id FROM location WHERE name = ?", (name,)).fetchone()[0])


def _insert_rolls(conn: sqlite3.Connection, rows: list[tuple[Any, ...]], deleted: int = 0) -> None:
    """Roll checks written by another tool (straight SQL: no rule asked; well-formed
    version stamps, so that only the evidence rules have something to say)."""
    conn.executemany(
        f"INSERT INTO roll_check (id, deleted, version, {', '.join(COLUMNS)}) "
        f"VALUES (?, ?, '1700000000000.000000.hand', {', '.join('?' * len(COLUMNS))})",
        [(str(uuid.uuid4()), deleted, *row) for row in rows],
    )


def _hand_edit(path: Path) -> dict[tuple[str, str, str], int]:
    """Rows each rule refuses or questions, several times over; returns how many of each
    kind of finding (kind, field, severity) went in."""
    conn = sqlite3.connect(path)
    a_wing = _place(conn, "A wing")  # capacity 126
    with conn:
        _insert_rolls(conn, [(INSIDE, a_wing, 10, 20, 0, 0, 0, 0, "")] * 8)  # above the roll
        _insert_rolls(conn, [(INSIDE, a_wing, 100, 40, 0, 0, 0, 0, "")] * 7)  # no note
        _insert_rolls(conn, [(INSIDE, "gone", 10, 10, 0, 0, 0, 0, "")] * 6)  # unknown place
        _insert_rolls(conn, [(INSIDE, a_wing, 10, 11, 0, -1, 0, 0, "")] * 7)  # negative
        # Not whole numbers (a REAL, text): refused. A fast path taking 7.5 + 2.5 for 10
        # would pass the first; one comparing text with numbers would crash on the second.
        _insert_rolls(conn, [(INSIDE, a_wing, 10, 7.5, 0, 0, 2.5, 0, "")] * 4)
        _insert_rolls(conn, [(INSIDE, a_wing, 10, "ten", 0, 0, 10, 0, "")] * 3)
        _insert_rolls(conn, [(INSIDE, a_wing, 130, 130, 0, 0, 0, 0, "")] * 9)  # > capacity
        _insert_rolls(conn, [(OUTSIDE, a_wing, 10, 10, 0, 0, 0, 0, "")] * 6)  # outside
        _insert_rolls(conn, [(INSIDE, a_wing, 10, 20, 0, 0, 0, 0, "")] * 9, deleted=1)
        conn.executemany(
            "INSERT INTO toc_period (id, version, on_date, subject, subject_group, start_time, "
            "end_time, activity) VALUES (?, '1700000000000.000000.hand', '2022-03-15', ?, "
            "'Unemployed', '10:00', '09:00', 'gym')",
            [(str(uuid.uuid4()), f"Z{n:02d}") for n in range(7)],
        )
    conn.close()
    return {
        ("roll check", "roll", "refuse"): 8,
        ("roll check", "note", "refuse"): 7,
        ("roll check", "location", "refuse"): 6,
        ("roll check", "wing_work", "refuse"): 7,
        ("roll check", "locked_up", "refuse"): 7,
        ("roll check", "unlocked_on_wing", "refuse"): 4,
        ("roll check", "roll", "warn"): 9,
        ("roll check", "taken_at", "confirm"): 6,
        ("time out of cell", "end", "refuse"): 7,
        # The hand-made checks name no round (and so count A wing, and "gone", many times
        # in one round): each group of them said twice, as outside every round and as
        # counted more than once (issue 13).
        ("roll check", "round", "refuse"): 4,
    }


def test_check_lists_five_of_each_kind_and_counts_the_rest(hull_path: Path) -> None:
    expected = _hand_edit(hull_path)
    with VisitFile.open(hull_path, readonly=True) as visit:
        found = list(audit.everything(visit))
        report = check_visit(visit)
    tally: dict[tuple[str, str, str], int] = {}
    for item in found:
        key = (item.kind, item.verdict.field, item.verdict.severity)
        tally[key] = tally.get(key, 0) + 1
    assert tally == expected
    assert report.integrity == "ok" and not report.ok
    for (kind, field, severity), count in expected.items():
        lines = report.problems if severity == "refuse" else report.warnings
        more = f"... and {count - 5} more {kind}s with the same kind of {field} finding"
        assert (more in lines) == (count > 5), (kind, field, severity)
    listed = len(report.problems) + len(report.warnings)
    # and one line more: the counts that are no whole numbers (7.5, "ten") are what a
    # merge would refuse as values of the wrong type, named by the first such row
    typed = [line for line in report.problems if "holds a value of the wrong type" in line]
    assert len(typed) == 1 and typed[0].startswith("roll_check row ")
    assert listed == sum(min(n, 5) + (n > 5) for n in expected.values()) + 1
    assert sum("the categories add up to 20" in line for line in report.problems) == 5
    assert sum("capacity of 126" in line for line in report.warnings) == 5

    result = CliRunner(env={"COLUMNS": "250"}).invoke(main, ["check", str(hull_path)])
    assert result.exit_code == 1, result.output
    assert "integrity: ok" in result.output and "Traceback" not in result.output
    assert f"{len(report.problems)} problem line(s):" in result.output
    for line in report.problems + report.warnings:
        assert f"  - {line}\n" in result.output


def _random_rolls(conn: sqlite3.Connection, count: int, seed: int) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    places = [_place(conn, "A wing"), _place(conn, "Segregation unit"), "gone", "free"]
    values: list[Any] = [0, 0, 1, 2, 3, 5, 8, -1, 2.5, "x", 4.0]
    rows = []
    for _ in range(count):
        counts = [rng.choice(values) for _ in range(5)]
        accounted = sum(c for c in counts if isinstance(c, int | float) and c >= 0)
        roll = rng.choice([int(accounted), int(accounted) + 2, max(int(accounted) - 1, 0),
                           20, 150, 7.5, "y"])  # fmt: skip
        rows.append((
            rng.choice([INSIDE, INSIDE, INSIDE, OUTSIDE, "2022-03-16T23:59", "", "x", 20220315]),
            rng.choice(places), roll, *counts, rng.choice(["", "", "two at court"]),
        ))  # fmt: skip
    return rows


def _said(found: audit.Found) -> str:
    return repr((found.kind, found.where, found.verdict))


@pytest.mark.parametrize("seed", range(3))
def test_the_fast_path_hides_nothing_the_rules_say(hull_path: Path, seed: int) -> None:
    """SQLite asks the fast path of every row and hands back only those it doubts; the
    findings are those of the full rules asked of every row."""
    conn = sqlite3.connect(hull_path)
    with conn:
        conn.execute("INSERT INTO location (id, name, capacity) VALUES ('free', 'Free wing', NULL)")
        _insert_rolls(conn, _random_rolls(conn, 600, seed))
    conn.close()
    with VisitFile.open(hull_path, readonly=True) as visit:
        fast = list(audit.roll_check_findings(visit))
        places = {
            r[0]: (r[1], r[2]) for r in visit.query("SELECT id, name, capacity FROM location")
        }
        dates = visit_dates(visit)
        every = []
        for taken_at, location_id, *counts, note in visit.conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM roll_check WHERE deleted = 0"
        ):
            name, capacity = places.get(location_id, (None, None))
            every += audit._roll_check_verdicts(
                audit._text(taken_at), name, capacity, counts, note, dates
            )
    assert sorted(map(_said, fast)) == sorted(map(_said, every))
    assert {f.record[0] for f in fast} == {"roll_check"}  # each names the row it judged
    assert len(fast) > 300  # most of the random rows are wrong somehow


def test_the_fast_path_is_taken_away_afterwards(hull_path: Path) -> None:
    """Registered on the caller's connection for one reading only, also when the reading
    stops early (then left as nothing: Python 3.11 cannot unregister it, so a call fails)."""
    _hand_edit(hull_path)
    with VisitFile.open(hull_path, readonly=True) as visit:
        findings = audit.roll_check_findings(visit)
        assert next(findings).kind == "roll check"
        findings.close()
        with pytest.raises(sqlite3.OperationalError):
            visit.conn.execute(f"SELECT {audit.UNREMARKABLE}(1, 2, 3, 4, 5, 6, 7, 8)")
        assert len(list(audit.roll_check_findings(visit))) > 5


def test_fine_says_nothing_is_wrong_exactly_when_the_rules_say_nothing() -> None:
    """The fast path's rule and the full rules, over every small case (no note: with one,
    people unaccounted for are allowed, and fine sends those rows the slow way)."""
    values = range(-1, 4)
    for counts in itertools.product(range(-1, 6), *(values,) * len(ROLL_CATEGORIES)):
        for capacity in (None, 2, 4):
            said = roll_checks.counts_verdicts(RollCounts(*counts), "", capacity)
            assert roll_checks.fine(counts, capacity) == (said == []), (counts, capacity)
            if roll_checks.fine(counts, capacity):
                assert roll_checks.counts_verdicts(RollCounts(*counts), "a note", capacity) == []


def _stamp_far_ahead(conn: sqlite3.Connection) -> None:
    """One roll check stamped three days ahead (a laptop clock was wrong)."""
    ahead = str(Stamp(wall_clock_ms() + 3 * 86_400_000, 0, "laptop"))
    conn.execute(
        "UPDATE roll_check SET version = ? WHERE id = (SELECT MIN(id) FROM roll_check)", (ahead,)
    )


def test_check_warns_of_a_version_stamp_far_ahead(hull_path: Path) -> None:
    """The newest stamps are read beside the audit, after integrity_check."""
    conn = sqlite3.connect(hull_path)
    with conn:
        _stamp_far_ahead(conn)
    conn.close()
    with VisitFile.open(hull_path, readonly=True, check_pages=False) as visit:
        report = check_visit(visit)
    assert report.ok
    assert [w[:62] for w in report.warnings] == [
        "roll_check: a version stamp is more than a day in the future ("
    ]


def test_check_reports_an_index_out_of_step_without_refusing(hull_path: Path) -> None:
    """What only integrity_check finds (an index out of step with its table; the pages
    themselves sound) is reported as the integrity line, and fails the check; the rest
    of the check is still done."""
    conn = sqlite3.connect(hull_path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, '(plan_item_id)', '(text)') "
        "WHERE name = 'idx_finding_plan_item_id'"
    )
    _stamp_far_ahead(conn)
    conn.commit()
    conn.close()
    result = CliRunner(env={"COLUMNS": "250"}).invoke(main, ["check", str(hull_path)])
    assert result.exit_code == 1
    assert "integrity: row 1 missing from index idx_finding_plan_item_id" in result.output
    assert "roll_check: a version stamp is more than a day in the future" in result.output
    assert not result.output.startswith("Error")


def test_check_refuses_a_damaged_roll_check_page_in_one_line(hull_path: Path) -> None:
    """The opening leaves the page check to integrity_check, run beside the reading; a
    damaged page is refused in one line all the same (as the opening would)."""
    conn = sqlite3.connect(hull_path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'roll_check'"
    ).fetchone()[0]
    conn.close()
    data = bytearray(hull_path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = bytes(range(256)) * (page_size // 256)
    hull_path.write_bytes(bytes(data))
    result = CliRunner().invoke(main, ["check", str(hull_path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {hull_path}: is damaged (")
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_capacity_stored_as_text_is_reported_not_a_crash(hull_path: Path) -> None:
    import sqlite3

    from click.testing import CliRunner

    from irp_field.cli import main

    conn = sqlite3.connect(hull_path)
    conn.execute("UPDATE location SET capacity = 'lots' WHERE name = 'A wing'")
    conn.commit()
    conn.close()
    result = CliRunner().invoke(main, ["check", str(hull_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "location A wing" in result.output and "capacity" in result.output


@settings(max_examples=400, deadline=None)
@example("2022-03-15", "P1", "Full-time work", "09:00", "10:00", "work")
@given(
    on_date=st.sampled_from(["2022-03-15", "2022-3-15", "2022-02-30", "", "15/03/2022"]),
    subject=st.sampled_from(
        ["P1", "P-204", "John Smith", "", " P1 ", "x" * 200, "P\x07", "P\ufffe", "a\tb"]
    ),
    group=st.sampled_from(["Full-time work", "", "g\n", "Unemployed", "y" * 200]),
    start=st.sampled_from(["09:00", "9:00", "0900", "25:00", "", "12:30"]),
    end=st.sampled_from(["10:00", "09:00", "08:59", "12:30", "24:00", "1000"]),
    activity=st.sampled_from(["exercise", "work", "Education", "gym", "", "association"]),
)
def test_period_fine_says_nothing_is_wrong_exactly_when_the_rules_say_nothing(
    on_date: str, subject: str, group: str, start: str, end: str, activity: str
) -> None:
    """``check``'s fast path for a stored period and the full rules agree on every mix of
    good and bad fields (a warning counts: such a row goes the slow way to be reported)."""
    _, said = time_out_of_cell.period_verdicts(
        on_date, subject, group, start, end, activity, stored=True
    )
    assert time_out_of_cell.period_fine(on_date, subject, group, start, end, activity) == (
        said == []
    )
    if (on_date, subject, group, start, end, activity) == (
        "2022-03-15", "P1", "Full-time work", "09:00", "10:00", "work"
    ):  # fmt: skip
        assert said == []  # the fine row is among the cases (``example`` below)


def test_a_count_too_large_for_any_visit_is_refused_on_every_path() -> None:
    """A count of thirty digits (a stuck key, a hostile CSV) reached SQLite, which cannot
    hold it: the import ended in a traceback. Typed or imported (``whole_number``) or
    given as a number (the API's ``RollCounts``), it is refused by the rules, the fast
    path agreeing, and the refusal quotes no page of digits."""
    from irp_field.domain import fields

    with pytest.raises(ValueError, match=r"^roll is 30 digits long; at most 999,999,999$"):
        fields.whole_number("9" * 30, "roll")
    assert fields.whole_number("999999999", "roll") == fields.MOST
    with pytest.raises(ValueError) as refused:
        fields.whole_number("x" * 5000, "roll")
    assert len(str(refused.value)) < 80
    huge = fields.MOST + 1
    for counts in ((huge, huge, 0, 0, 0, 0), (huge, 1, 1, 1, 1, huge - 4)):
        said = roll_checks.counts_verdicts(RollCounts(*counts), "", None)
        assert any("above 999,999,999" in v.message for v in said), said
        assert not roll_checks.fine(counts, None)


def test_a_population_no_prison_has_is_refused_before_it_is_listed() -> None:
    """``sample draw --population 99999999999`` listed its records first and died of a
    MemoryError after minutes: the population is refused by the rules and before it is
    listed, in one line."""
    from irp_field.domain import sampling
    from irp_field.domain.errors import IrpError

    with pytest.raises(IrpError, match=r"^a population of 99,999,999,999 records: at most"):
        sampling.population_records(99_999_999_999)
    assert len(sampling.population_records(sampling.MOST_RECORDS)) == sampling.MOST_RECORDS
    said = sampling.frame_verdicts("Case files", sampling.MOST_RECORDS + 1)
    assert [v.field for v in said] == ["population"]
