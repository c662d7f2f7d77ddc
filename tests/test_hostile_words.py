"""Hostile words in a visit from elsewhere (a hand with sqlite3 on a copied visit).

Every path stores a word in one form ('yes', 'open_air'), a date as YYYY-MM-DD and a
tombstone as 0 or 1, and the figures read those forms alone. A hand's 'YES', 'maybe',
'Open air', ' 2022-05-10', a level of no scale or a tombstone of 2 made the figures,
the report and every export quote figures short of the evidence and say nothing (a
share of yes answers from one record fewer; the open air's minutes without a period;
a subject-day split in two; a recommendation judged counted nowhere), while ``check``
named the record and a merge refused the file (or, for 'YES', 'Open air', ' 2022-...',
'PERCENT', both took it). Now no figure is made of such a file: the readers refuse it
in one line naming the file and the record, ``check`` names it and a merge refuses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from merge_helpers import cp, edit_by_hand
from refusal_helpers import every_reader_refuses, refused_in_one_line, run_cli


def _first(table: str, where: str = "1") -> str:
    return f"(SELECT min(id) FROM {table} WHERE deleted = 0 AND {where})"


def _set(table: str, column: str, value: str, where: str = "1") -> str:
    return f"UPDATE {table} SET {column} = {value} WHERE id = {_first(table, where)}"


READ_AS_STORED = "which no figure reads as stored"
TOMBSTONE = "which is neither 0 nor 1"
CASES = {  # case -> (the hand's statement, the readers' words, check's, the merge's)
    "answer YES": (
        _set("sample_answer", "answer", "'YES'", "answer = 'yes'"),
        ("'YES' as its answer", READ_AS_STORED),
        "answer 'YES' is not as stored ('yes')",
        "answer 'YES' is not as stored ('yes')",
    ),
    "answer maybe": (
        _set("sample_answer", "answer", "'maybe'", "answer = 'no'"),
        ("'maybe' as its answer", READ_AS_STORED),
        "unknown answer 'maybe'",
        "unknown answer 'maybe'",
    ),
    "answer bytes": (
        _set("sample_answer", "answer", "x'79'", "answer = 'yes'"),
        ("answer",),  # the exports' own look names it first: "answer holds bytes"
        "unknown answer",
        "answer holds a value of the wrong type",
    ),
    "activity Open air": (
        _set("toc_period", "activity", "'Open air'", "activity = 'open_air'"),
        ("'Open air' as its activity", READ_AS_STORED),
        "activity 'Open air' is not as stored ('open_air')",
        "activity 'Open air' is not as stored ('open_air')",
    ),
    "activity unknown": (
        _set("toc_period", "activity", "'swimming'"),
        ("'swimming' as its activity", READ_AS_STORED),
        "unknown activity 'swimming'",
        "unknown activity 'swimming'",
    ),
    "date with a space": (
        _set("toc_period", "on_date", "' ' || on_date"),
        ("as its date", READ_AS_STORED),
        "is not a date as stored (YYYY-MM-DD)",
        "is not a date as stored (YYYY-MM-DD)",
    ),
    "date with slashes": (
        _set("toc_period", "on_date", "replace(on_date, '-', '/')"),
        ("as its date", READ_AS_STORED),
        "is not a date (write YYYY-MM-DD)",
        "is not a date (write YYYY-MM-DD)",
    ),
    "judgement level unknown": (
        _set("judgement", "level", "'excellent'", "level != ''"),
        ("'excellent' as its level", READ_AS_STORED),
        "'excellent' is not a judgement on the",
        "'excellent' is not a judgement on the",
    ),
    "judgement scale upper": (  # named for its scale, not its level (right on its scale)
        _set("judgement", "scale", "upper(scale)", "level != ''"),
        ("as its scale", READ_AS_STORED),
        "unknown scale",
        "unknown scale",
    ),
    "roll check tombstone 2": (
        _set("roll_check", "deleted", "2"),
        ("roll_check record", "'2' as its tombstone", TOMBSTONE),
        "neither 0 nor 1",
        "neither 0 nor 1",
    ),
    "location tombstone 2": (
        _set("location", "deleted", "2"),
        ("location record", TOMBSTONE),
        "neither 0 nor 1",
        "neither 0 nor 1",
    ),
    "answer tombstone 2": (
        _set("sample_answer", "deleted", "2", "answer = 'yes'"),
        ("sample_answer record", TOMBSTONE),
        "neither 0 nor 1",
        "neither 0 nor 1",
    ),
    "judgement tombstone 2": (
        _set("judgement", "deleted", "2", "level != ''"),
        ("judgement record", TOMBSTONE),
        "neither 0 nor 1",
        "neither 0 nor 1",
    ),
    "answer of no criterion": (
        _set("sample_answer", "criterion_id", "'nosuch'"),
        ("as its criterion, which names none",),
        "the criterion must not be empty",
        "the criterion must not be empty",
    ),
    "group empty": (
        _set("toc_period", "subject_group", "''"),
        ("'' as its group", READ_AS_STORED),
        "the subject's group must not be empty",
        "the subject's group must not be empty",
    ),
    "day link date": (
        _set("toc_day_link", "on_date", "replace(on_date, '-', '/')"),
        ("as its date", READ_AS_STORED),
        "is not a date (write YYYY-MM-DD)",
        "is not a date (write YYYY-MM-DD)",
    ),
    "outcome tombstone 2": (
        _set("previous_outcome", "deleted", "2"),
        ("previous_outcome record", TOMBSTONE),
        "neither 0 nor 1",
        "neither 0 nor 1",
    ),
    "data value NULL": (
        _set("data_return", "value", "NULL"),
        ("data return", "value must be a number, not ''"),
        "value must be a number, not ''",
        "value must be a number, not ''",
    ),
    "data unit PERCENT": (
        _set("data_return", "unit", "upper(unit)"),
        ("data return", "unit", "is not as stored"),
        "is not as stored",
        "is not as stored",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_word_no_figure_reads_as_stored_makes_no_figure(
    hull_path: Path, tmp_path: Path, irp_home: Path, case: str
) -> None:
    """Before: every reader quoted figures without the record (or with it read as
    something else) and said nothing; ``check`` named it, or took it too."""
    statement, refused, checked_says, merge_says = CASES[case]
    (tmp_path / "elsewhere").mkdir()
    hostile = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(hostile, statement)
    every_reader_refuses(hostile, tmp_path, *refused, "irp-field check")
    # A writer's opening goes on, but never makes the file trusted, nor known sound.
    edited = run_cli("rounds", "edit", str(hostile), "Mon AM", "--time", "10:05")
    assert edited.exit_code == 0, edited.output
    every_reader_refuses(hostile, tmp_path, *refused, "irp-field check")
    checked = run_cli("check", str(hostile))
    assert checked.exit_code == 1 and checked_says in checked.output, checked.output
    target = tmp_path / "merged.db"
    refused_in_one_line(run_cli("merge", str(target), str(hostile)), hostile, merge_says)
    assert not target.exists()


OUTCOMES = {  # no figure reads a previous outcome: the report's Figure 1 does
    "outcome year abc": (
        _set("previous_outcome", "year", "'abc'"),
        ("previous outcome abc", "'abc' is not a year such as 2021"),
        "'abc' is not a year such as 2021",
        "'abc' is not a year such as 2021",
    ),
    "outcome judgement lower case": (
        _set("previous_outcome", "judgement", "lower(judgement)"),
        ("previous outcome", "is not as stored"),
        "is not as stored",
        "is not as stored",
    ),
}


@pytest.mark.parametrize("case", list(OUTCOMES))
def test_a_previous_outcome_no_rule_takes_makes_no_report(
    hull_path: Path, tmp_path: Path, irp_home: Path, case: str
) -> None:
    """Before: the report printed "outcomes in 2018, 2021 and abc" (or 'reasonably
    good' in Figure 1) and said nothing; ``check`` named it, or took it too."""
    statement, refused, checked_says, merge_says = OUTCOMES[case]
    (tmp_path / "elsewhere").mkdir()
    hostile = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(hostile, statement)
    for report_format in ("md", "html", "docx"):
        out = tmp_path / f"report.{report_format}"
        args = ("report", str(hostile), "--format", report_format, "--out", str(out))
        refused_in_one_line(run_cli(*args), hostile, *refused, "irp-field check")
        assert not out.exists()
    checked = run_cli("check", str(hostile))
    assert checked.exit_code == 1 and checked_says in checked.output, checked.output
    target = tmp_path / "merged.db"
    refused_in_one_line(run_cli("merge", str(target), str(hostile)), hostile, merge_says)
    assert not target.exists()
