"""Hostile numbers in a visit from elsewhere (a hand with sqlite3 on a copied visit).

A count no rule lets in, summed: three checks of a round at 2**62 pass what SQLite's
SUM can count. Each command that sums them refused in one line naming the file, the
record and the fault ("integer overflow"), never "the visit file could not be used" or
"unexpected OperationalError"; nothing is written.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from merge_helpers import cp, edit_by_hand
from refusal_helpers import FORMATS, every_reader_refuses, refused_in_one_line, run_cli

from irp_field.core import roll_tallies as kept_tallies
from irp_field.core import schema
from irp_field.core.visit_file import VisitFile

TOO_MANY = 2**62  # three of them pass SQLite's 2**63
DROPPED = [f"DROP TRIGGER {name}" for name in kept_tallies.trigger_sql()]
THREE_ROLLS = (  # of one location: its sum passes SQLite's before any figure is made
    f"UPDATE roll_check SET roll = {TOO_MANY} WHERE id IN (SELECT id FROM roll_check "
    "WHERE deleted = 0 AND location_id = (SELECT min(location_id) FROM roll_check) LIMIT 3)"
)


OVERFLOW = ("integer overflow", "roll check", "4,611,686,018,427,387,904", "(round ")


@pytest.fixture
def summed_past_counting(hull_path: Path, tmp_path: Path, irp_home: Path) -> Path:
    """The Hull sample from elsewhere, its tallies' triggers dropped (the readers sum
    the checks) and three of one round's rolls 2**62."""
    (tmp_path / "elsewhere").mkdir()
    hostile = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(hostile, *DROPPED, THREE_ROLLS)
    return hostile


def test_figures_and_the_report_name_the_file_and_the_check(
    summed_past_counting: Path, tmp_path: Path
) -> None:
    hostile = summed_past_counting
    said = refused_in_one_line(run_cli("figures", str(hostile), "--json"), hostile, *OVERFLOW)
    assert "irp-field check" in said
    refused_in_one_line(run_cli("figures", str(hostile)), hostile, *OVERFLOW)
    for report_format in ("md", "html", "docx"):
        out = tmp_path / f"report.{report_format}"
        args = ("report", str(hostile), "--format", report_format, "--out", str(out))
        refused_in_one_line(run_cli(*args), hostile, *OVERFLOW)
        assert not out.exists()


@pytest.mark.parametrize("export_format", FORMATS)
def test_every_export_names_the_file_and_writes_nothing(
    summed_past_counting: Path, tmp_path: Path, export_format: str
) -> None:
    hostile = summed_past_counting
    other = tmp_path / "other.db"
    VisitFile.create(
        other, establishment="HMP Leeds", start_date="2022-03-14", end_date="2022-03-16"
    ).close()
    for visits, name in (((hostile,), "alone"), ((other, hostile), "combined")):
        out = tmp_path / f"{name}.{export_format}"
        combine = ("--combine",) if len(visits) > 1 else ()
        args = ("export", *map(str, visits), *combine, "--format", export_format)
        refused_in_one_line(run_cli(*args, "--out", str(out)), hostile, *OVERFLOW)
        assert not list(tmp_path.glob(f"{name}*"))  # nothing half-written


def test_a_writer_opening_it_names_the_fault_not_damage(summed_past_counting: Path) -> None:
    """A writer builds dropped tallies again from the checks: "is damaged or not a visit
    file (integer overflow)" before."""
    hostile = summed_past_counting
    before = hostile.read_bytes()
    said = refused_in_one_line(
        run_cli("rounds", "edit", str(hostile), "Mon AM", "--time", "10:05"), hostile, *OVERFLOW
    )
    assert "damaged" not in said
    assert hostile.read_bytes() == before


def test_tallies_kept_but_summed_past_counting_at_the_first_reading(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    """The triggers made again as this version makes them after the hand's edit: the
    tallies are this version's, so the first reading sums the checks to compare."""
    (tmp_path / "elsewhere").mkdir()
    hostile = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(hostile, *DROPPED, THREE_ROLLS, *kept_tallies.trigger_sql().values())
    refused_in_one_line(run_cli("figures", str(hostile), "--json"), hostile, *OVERFLOW)


def test_an_overflow_of_no_roll_check_names_the_file_and_the_fault(
    hull: VisitFile, hull_path: Path
) -> None:
    """Another sum past counting (no check holds a count no rule lets in): the file and
    the fault, no record blamed."""
    with pytest.raises(sqlite3.OperationalError) as overflowed:
        hull.conn.execute(f"SELECT SUM(x) FROM (SELECT {2**62} AS x UNION ALL SELECT {2**62})")
    refused = kept_tallies.past_counting(hull_path, overflowed.value, hull.conn)
    assert refused is not None
    said = str(refused)
    assert str(hull_path) in said and "integer overflow" in said and "roll check " not in said
    other = sqlite3.OperationalError("no such table: x")
    assert kept_tallies.past_counting(hull_path, other) is None


# -- a value too long for any record: check reads it no more than the merge does -------

LIMIT = 1024 * 1024  # bytes: the row checks' limit, made small for the test
NOTE = 16 * LIMIT  # the hand's note


@pytest.fixture
def a_long_note(hull_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Hull sample with one note's text made 16 MiB by a hand, the limit 1 MiB."""
    from irp_field.replication import row_checks

    monkeypatch.setattr(row_checks, "VALUE_BYTES", LIMIT)
    edit_by_hand(
        hull_path,
        f"UPDATE note SET text = printf('%.{NOTE}c', 'n') "
        "WHERE id = (SELECT min(id) FROM note WHERE deleted = 0)",
    )
    return hull_path


def _checked(path: Path) -> object:
    from irp_field.api.check import check_visit

    with VisitFile.open(path, readonly=True, check_pages=False) as visit:
        return check_visit(visit)


def _checked_within_half_a_note(path: Path) -> Any:
    """``check``'s report, its Python memory at its peak held under half the long
    value's size (a value read into Python whole would pass it)."""
    import tracemalloc

    _checked(path)  # first imports and compiled code, out of the peak
    tracemalloc.start()
    try:
        report = _checked(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < NOTE // 2, peak
    return report


def test_check_takes_no_value_past_the_limit_into_python(a_long_note: Path) -> None:
    """The rules read the notes again after the merge's row checks refused the long
    one, with no limit: the 16 MiB text became a Python string (a 900 MB note: 2.67 GB)."""
    report = _checked_within_half_a_note(a_long_note)
    problems = report.problems
    assert any("text is over 400,000 characters" in line for line in problems), problems
    assert any(line.startswith("note (the rules' reading): ") for line in problems), problems
    assert not report.ok


def test_check_measures_the_long_value_under_the_limit(a_long_note: Path) -> None:
    """Naming the row measured each text's length with the limit lifted: SQLite read the
    900 MB note whole into its own memory (0.91 GB) to say it was too long. Every
    statement over the notes now runs under the limit."""
    from irp_field.api.check import check_visit

    over_notes: list[tuple[str, int]] = []
    with VisitFile.open(a_long_note, readonly=True, check_pages=False) as visit:
        length = sqlite3.SQLITE_LIMIT_LENGTH

        def traced(statement: str) -> None:
            if " note " in f"{statement} ".replace("main.note", " note "):
                over_notes.append((statement, visit.conn.getlimit(length)))

        visit.conn.set_trace_callback(traced)
        check_visit(visit)
        visit.conn.set_trace_callback(None)
    reading_text = [(s, limit) for s, limit in over_notes if "text" in s]
    assert reading_text
    assert all(limit <= LIMIT for _, limit in reading_text), [
        s[:120] for s, limit in reading_text if limit > LIMIT
    ]


# -- a count no rule lets in, within what SQLite sums: no figure made of it ----------

ONE_ROLL = "UPDATE roll_check SET roll = {} WHERE id = (SELECT min(id) FROM roll_check)"


@pytest.mark.parametrize(
    ("value", "triggers", "shown"),
    [
        ("9e999", True, "inf"),  # infinity: "cannot convert float infinity to integer"
        ("-9e999", False, "-inf"),  # summed from the checks, the tallies' triggers dropped
        ("1e300", True, "1e+300"),  # "Python int too large to convert to SQLite INTEGER"
        ("1e300", False, "1e+300"),
        ("100.5", True, ".5"),  # a REAL where a whole count belongs
        (str(TOO_MANY), True, "4,611,686,018,427,38"),  # once: no overflow, a figure of it
    ],
)
def test_a_count_no_rule_lets_in_makes_no_figure(
    hull_path: Path, tmp_path: Path, irp_home: Path, value: str, triggers: bool, shown: str
) -> None:
    """figures (a traceback for infinity), the report and every export ("unexpected
    OverflowError") refused in one line naming the file, the location and the sum."""
    (tmp_path / "elsewhere").mkdir()
    hostile = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(hostile, *([] if triggers else DROPPED), ONE_ROLL.format(value))
    words = ("no checks the rules let in could", shown, " at ")
    every_reader_refuses(hostile, tmp_path, *words)
    checked = run_cli("check", str(hostile))
    assert checked.exit_code == 1 and "roll check" in checked.output


ONE_START = "UPDATE toc_period SET start_time = {} WHERE id = (SELECT min(id) FROM toc_period)"
DROPPED_DAYS = [f"DROP TRIGGER {name}" for name in schema.KEPT_TOTALS_TRIGGERS]
ROLL, PERIOD = "roll", "period"  # a check's roll, a period's start
NO_VALUE = {  # the kind -> its hand's statement, its triggers, the readers' and check's words
    ROLL: (ONE_ROLL, DROPPED, "which is no number", "roll must be a whole number, not "),
    PERIOD: (ONE_START, DROPPED_DAYS, "which is no time of day", "is not a time of day as stored"),
}


@pytest.mark.parametrize(
    ("kind", "value", "shown", "merge_says"),
    [
        (ROLL, "'abc'", "'abc'", "roll holds a value of the wrong type"),
        (ROLL, "'NaN'", "'NaN'", "roll holds a value of the wrong type"),
        (ROLL, "''", "''", "roll holds a value of the wrong type"),
        (ROLL, "x'00'", "1 byte of binary data", "roll holds a value of the wrong type"),
        (PERIOD, "'abc'", "'abc'", "is not a time of day as stored"),
        (PERIOD, "'9:30'", "'9:30'", "is not a time of day as stored"),
        (PERIOD, "'25:99'", "'25:99'", "is not a time of day as stored"),
        (PERIOD, "25", "'25'", "is not a time of day as stored"),  # TEXT affinity: '25'
        (PERIOD, "x'00'", "1 byte of binary data", "start_time holds a value of the wrong type"),
    ],
)
@pytest.mark.parametrize("triggers", [True, False])
def test_a_value_no_sum_can_read_makes_no_figure(
    hull_path: Path,
    tmp_path: Path,
    irp_home: Path,
    kind: str,
    value: str,
    shown: str,
    merge_says: str,
    triggers: bool,
) -> None:
    """SQLite's SUM reads a text or bytes as 0, and a day's minutes read the two digits
    either side of a time's colon: the figures, the report and every export quoted a
    total the evidence does not give (5,364 where the checks hold 5,379; 3.29 hours out
    of cell a day for 3.32), kept or summed alike, and ``check`` said the roll "cannot
    be negative", "the roll of -1"."""
    statement, dropped, refused, checked_says = NO_VALUE[kind]
    (tmp_path / "elsewhere").mkdir()
    hostile = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(hostile, *([] if triggers else dropped), statement.format(value))
    words = (refused, shown, "irp-field check")
    every_reader_refuses(hostile, tmp_path, *words)
    # A writer's opening sums the kept totals again and goes on, but never makes the
    # file trusted, nor known sound: the figures still refuse it after.
    edited = run_cli("rounds", "edit", str(hostile), "Mon AM", "--time", "10:05")
    assert edited.exit_code == 0, edited.output
    every_reader_refuses(hostile, tmp_path, *words)
    checked = run_cli("check", str(hostile))
    assert checked.exit_code == 1
    # in the import's words (``irp-field import`` of a CSV cell "abc" says the same)
    assert checked_says in checked.output
    assert shown in checked.output or (kind, value) == (PERIOD, "x'00'")  # said as b'\\x00'
    assert "negative" not in checked.output and "roll of -1" not in checked.output
    target = tmp_path / "merged.db"
    refused_in_one_line(run_cli("merge", str(target), str(hostile)), hostile, merge_says)
    assert not target.exists()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("9e999", ("totals inf minutes", "which no day holds")),  # a traceback in figures
        ("'lots'", ("which no day holds",)),
        (str(TOO_MANY), ("integer overflow",)),  # summed past counting: the file, the fault
        ("2000", ("which no day holds",)),  # a day of 33 hours
    ],
)
def test_kept_day_totals_no_day_holds_make_no_figure(
    hull_path: Path, tmp_path: Path, irp_home: Path, value: str, words: tuple[str, ...]
) -> None:
    """The kept subject-day totals of time out of cell, as a hand left them: figures, the
    report and the exports refused in one line naming the file ("unexpected
    InvalidOperation", "could not be used (integer overflow)" before). (A file changed by
    another hand has its days totalled again from its periods, tests/test_toc_trust.py;
    this is the guard behind that, for a hand that left the file looking as this
    installation last found it.)"""
    from irp_field.core import sound_files

    (tmp_path / "elsewhere").mkdir()
    hostile = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(hostile, f"UPDATE toc_day SET minutes = {value}")
    sound_files.found_sound(hostile, sound_files.look(hostile))
    every_reader_refuses(hostile, tmp_path, *words)


def test_a_long_round_name_makes_short_lines(hull_path: Path) -> None:
    """A round's name of 500,000 characters (under the length limit, over every cap):
    each line of check held it whole, and the terminal's wrapping of a 100 MB one ran
    for minutes."""
    edit_by_hand(
        hull_path,
        "UPDATE roll_round SET name = printf('%.500000c', 'r') "
        "WHERE id = (SELECT min(id) FROM roll_round)",
    )
    report = _checked(hull_path)
    lines = [*report.problems, *report.warnings]  # type: ignore[attr-defined]
    assert any("name is over 400,000 characters" in line for line in lines), lines
    assert max(map(len, lines)) <= 300


def test_a_round_name_past_the_limit_is_never_read_into_python(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The roll checks' fast path reads the rounds' names before any limit was set, and
    the tallies' drift after it was lifted: the 16 MiB name became Python strings."""
    from irp_field.replication import row_checks

    monkeypatch.setattr(row_checks, "VALUE_BYTES", LIMIT)
    edit_by_hand(
        hull_path,
        f"UPDATE roll_round SET name = printf('%.{NOTE}c', 'r') "
        "WHERE id = (SELECT min(id) FROM roll_round)",
    )
    report = _checked_within_half_a_note(hull_path)
    problems = report.problems
    assert any("roll_round row " in line for line in problems), problems
    assert any("stopped the rules' reading" in line for line in problems), problems


def test_a_value_past_the_limit_is_refused_by_every_reading(
    hull_path: Path, tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sampled record's name of 100 MB was read again for every criterion of its
    frame: figures, the report and every export ran for minutes (killed at 45 s). A
    reading connection takes no value past the limit: refused naming the file."""
    from irp_field.core import connection

    monkeypatch.setattr(connection, "VALUE_BYTES", LIMIT, raising=False)
    edit_by_hand(
        hull_path,
        f"UPDATE sample_record SET record = printf('%.{NOTE}c', 'r') "
        "WHERE id = (SELECT min(id) FROM sample_record WHERE deleted = 0)",
    )
    words = ("holds a value longer than any record holds",)
    every_reader_refuses(hull_path, tmp_path, *words)
