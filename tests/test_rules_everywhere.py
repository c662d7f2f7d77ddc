"""One home per rule: every rule of every kind, broken by one record, gives the same
verdict through the CSV import, through the function a screen calls before it saves,
through the save itself (the API the screens and programs call), through ``irp-field
check`` reading the record back from a file and through the merge of that file.

``RULES`` lists each rule of each kind (its home in ``domain/``) and the cases that
break it; every ``*_verdicts`` of the evidence kinds' domain modules is in it or in
``ELSEWHERE`` (with the test that feeds it through every path), so a rule added without
a case, or a path that leaves a rule out, fails here.

A verdict is ``ok``, ``warn`` (stored and said), ``confirm`` (refused unless the person
says the date is meant) or ``refuse`` (never stored). A record a file already holds is
judged by the same rules, with the same severity, but for who recorded it (a check's
inspector, a note's author, whoever recorded a period or an answer) not on the team:
warned of (they may have left the team since; a merge never turns a laptop's evidence
away for it).
"""

from __future__ import annotations

import csv
import importlib
import inspect
import io
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from merge_helpers import cp

from irp_field import api
from irp_field.api import evidence
from irp_field.api import notes as notes_api
from irp_field.api import roll_checks as roll_checks_api
from irp_field.api import rounds as rounds_api
from irp_field.api import time_out_of_cell as time_out_of_cell_api
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import InputError, IrpError
from irp_field.domain.verdicts import CONFIRM, REFUSE, WARN, RecordRefused, Verdict
from irp_field.evidence import audit
from irp_field.replication.merge import merge_visits

ROLL = ("taken_at", "location", "roll", "locked_up", "off_wing_activity", "wing_work",
        "unlocked_on_wing", "elsewhere", "round", "inspector", "note")  # fmt: skip
PERIOD = ("date", "subject", "group", "start", "end", "activity")
NOTE = ("source", "taken_at", "author", "text", "plan_refs", "tags")
DATA = ("key", "value", "unit")
ANSWER = ("record", "criterion", "answer", "comment")
LINK = ("plan_ref", "round", "date", "subject")
FRAME = "Use of force records"
Row = dict[str, str]
BY = "(by)"  # a row's key for who records it (no sheet's column: the name the file is written by)
# Who writes a stored case's record before a hand changes it: on Hull's team (who records
# a period, an answer or a paragraph is held to it, and ``check`` names a stranger).
WRITER = "Paul Rowlands"


@dataclass(frozen=True)
class Case:
    name: str
    verdict: str  # ok, warn, confirm, refuse
    words: str  # in the message of the verdict (when not ok)
    kind: str  # import kind
    header: tuple[str, ...]
    row: tuple[str, ...]
    # what the screen asks before saving, and the save itself; both take the row by column
    before_saving: Callable[[VisitFile, Row], list[Verdict]] | None
    save: Callable[[VisitFile, Row, bool], object]
    # the record as a file holds it (written by a hand), for check and the merge: the
    # table and id of the row written; None: the kind keeps no such record
    stored: Callable[[Path, Row], tuple[str, str]] | None = None
    stored_verdict: str = ""  # the severity check gives it ("": the verdict's)
    # who records it on every path (the name the file is written by: who-am-I, --by);
    # stored: the record as a file holds it, written by this name
    by: str = "Jade Richards"


def _counts(row: Row) -> api.RollCounts:
    return api.RollCounts(*(int(row[c]) for c in ROLL[2:8]))


def _roll_verdicts(visit: VisitFile, row: Row) -> list[Verdict]:
    place = roll_checks_api.find_location(visit, row["location"])
    found = rounds_api.find_round(visit, row["round"]) if row["round"] else None
    return roll_checks_api.check_verdicts(
        visit, place, _counts(row), row["note"], row["taken_at"], found, row["inspector"]
    )


def _roll_save(visit: VisitFile, row: Row, confirmed: bool) -> object:
    return evidence.record_roll_check(
        visit, location_id=row["location"], counts=_counts(row), taken_at=row["taken_at"],
        round_label=row["round"], note=row["note"], inspector=row["inspector"],
        allow_outside_visit=confirmed, replace=True,
    )  # fmt: skip


def _hand_edit(path: Path, table: str, row_id: str, values: dict[str, object]) -> None:
    """``values`` written over a row by a hand (a SQLite browser): no rule asked."""
    conn = sqlite3.connect(path)
    with conn:
        sets = ", ".join(f"{column} = ?" for column in values)
        conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*values.values(), row_id))
    conn.close()


def _roll_stored(path: Path, row: Row) -> tuple[str, str]:
    """A good check of the row's location, round and time, then its counts, note and
    inspector written over it by hand."""
    good = {**row, **dict(zip(ROLL[2:8], ("100", "40", "20", "10", "25", "5"), strict=True))}
    with VisitFile.open(path, user=WRITER) as visit:
        check = str(_roll_save(visit, {**good, "note": "", "inspector": ""}, True))
    counts = {column: int(row[column]) for column in ROLL[2:8]}
    _hand_edit(path, "roll_check", check, {**counts, "note": row["note"],
                                           "inspector": row["inspector"]})  # fmt: skip
    return "roll_check", check


def _round_save(visit: VisitFile, row: Row, confirmed: bool) -> object:
    """A round started on F3 (or by a program), as a roll-check line names one."""
    when = row["taken_at"]
    return evidence.start_round(
        visit, row["round"], when[:10], when[11:16], allow_outside_visit=confirmed
    )


def _round_stored(path: Path, row: Row) -> tuple[str, str]:
    with VisitFile.open(path, user=WRITER) as visit:
        kept = evidence.start_round(visit, "Kept round", IN[:10], IN[11:16]).id
    _hand_edit(path, "roll_round", kept, {"name": row["round"]})
    return "roll_round", kept


def _period_args(row: Row) -> Row:
    return {"subject": row["subject"], "on_date": row["date"], "group": row["group"],
            "start": row["start"], "end": row["end"], "activity": row["activity"]}  # fmt: skip


def _period_verdicts(visit: VisitFile, row: Row) -> list[Verdict]:
    return time_out_of_cell_api.period_verdicts(visit, **_period_args(row))[1]


def _period_save(visit: VisitFile, row: Row, confirmed: bool) -> object:
    return evidence.record_period(visit, **_period_args(row), allow_outside_visit=confirmed)


def _period_stored(path: Path, row: Row) -> tuple[str, str]:
    """A good period of a new subject on the row's day, then the row written over it."""
    good = {**row, "subject": "Z99", "start": "09:00", "end": "10:00", "activity": "gym"}
    with VisitFile.open(path, user=WRITER) as visit:
        period = str(_period_save(visit, good, True))
    _hand_edit(path, "toc_period", period, {"subject": row["subject"],
               "subject_group": row["group"], "start_time": row["start"],
               "end_time": row["end"], "activity": row["activity"],
               "created_by": row.get(BY, WRITER)})  # fmt: skip
    return "toc_period", period


def _draft(visit: VisitFile, row: Row) -> notes_api.NoteDraft:
    return notes_api.NoteDraft(
        id=notes_api.new_draft(row["author"], row["taken_at"]).id, author=row["author"],
        source=row["source"], taken_at=row["taken_at"], text=row["text"], tags=row["tags"],
        plan_refs=row["plan_refs"],
    )  # fmt: skip


def _note_verdicts(visit: VisitFile, row: Row) -> list[Verdict]:
    return notes_api.draft_verdicts(visit, _draft(visit, row))[1]


def _note_save(visit: VisitFile, row: Row, confirmed: bool) -> object:
    return notes_api.save_note(visit, _draft(visit, row), allow_outside_visit=confirmed)


def _note_stored(path: Path, row: Row) -> tuple[str, str]:
    good = {**row, "source": "staff", "author": "Jade Richards", "text": "x", "tags": ""}
    with VisitFile.open(path, user=WRITER) as visit:
        note = str(_note_save(visit, {**good, "plan_refs": ""}, True))
    _hand_edit(path, "note", note, {"source": row["source"], "author": row["author"],
               "text": row["text"], "tags": row["tags"]})  # fmt: skip
    return "note", note


def _data_save(visit: VisitFile, row: Row, confirmed: bool) -> object:
    return evidence.record_data_return(visit, key=row["key"], value=row["value"], unit=row["unit"])


def _data_stored(path: Path, row: Row) -> tuple[str, str]:
    with VisitFile.open(path, user=WRITER) as visit:
        kept = str(_data_save(visit, {"key": "x_kept", "value": "1", "unit": "count"}, True))
    _hand_edit(path, "data_return", kept, {"key": row["key"], "value": row["value"],
               "unit": row["unit"]})  # fmt: skip
    return "data_return", kept


def _answer_save(visit: VisitFile, row: Row, confirmed: bool) -> object:
    return evidence.record_answer(
        visit, FRAME, row["record"], row["criterion"], row["answer"], row["comment"]
    )


def _answer_stored(path: Path, row: Row) -> tuple[str, str]:
    """A good answer, then the row's record, answer and comment written over it (a
    criterion with no name: the criterion's own row, which the answer joins)."""
    good = {"record": "UoF-001", "criterion": "Complete", "answer": "yes", "comment": ""}
    with VisitFile.open(path, user=WRITER) as visit:
        answer = str(_answer_save(visit, good, True))
        criterion = str(
            visit.one("SELECT criterion_id FROM sample_answer WHERE id = ?", (answer,))[0]  # type: ignore[index]
        )
    if not row["criterion"].strip():
        _hand_edit(path, "sample_criterion", criterion, {"name": row["criterion"]})
        return "sample_criterion", criterion
    _hand_edit(path, "sample_answer", answer, {"record": row["record"],
               "answer": row["answer"], "comment": row["comment"],
               "created_by": row.get(BY, WRITER)})  # fmt: skip
    return "sample_answer", answer


def _link_save(visit: VisitFile, row: Row, confirmed: bool) -> object:
    """What F3's and F6's picker saves (ctrl+k): the round's or the day's links."""
    if row["round"]:
        found = rounds_api.find_round(visit, row["round"])
        round_id = found.id if found is not None else row["round"]
        return evidence.link_round(visit, round_id, [row["plan_ref"]])
    return evidence.link_day(visit, row["subject"], row["date"], [row["plan_ref"]])


def link(name: str, verdict: str, words: str, *values: str) -> Case:
    return Case(name, verdict, words, "links", LINK, values, None, _link_save)


def roll(name: str, verdict: str, words: str, *values: str, stored: str = "") -> Case:
    return Case(name, verdict, words, "roll-checks", ROLL, values, _roll_verdicts, _roll_save,
                _roll_stored, stored)  # fmt: skip


def period(name: str, verdict: str, words: str, *values: str, by: str = "Jade Richards") -> Case:
    stored = WARN if "team member" in words else ""
    return Case(name, verdict, words, "time-out-of-cell", PERIOD, values, _period_verdicts,
                _period_save, _period_stored, stored, by)  # fmt: skip


def note(name: str, verdict: str, words: str, *values: str, stored: bool = True) -> Case:
    return Case(name, verdict, words, "notes", NOTE, values, _note_verdicts, _note_save,
                _note_stored if stored else None, WARN if "team member" in words else "")  # fmt: skip


def data(name: str, verdict: str, words: str, *values: str) -> Case:
    return Case(name, verdict, words, "data", DATA, values, None, _data_save, _data_stored)


def answer(name: str, verdict: str, words: str, *values: str, by: str = "Jade Richards") -> Case:
    stored = WARN if "team member" in words else ""
    return Case(name, verdict, words, "sample", ANSWER, values, None, _answer_save,
                _answer_stored, stored, by)  # fmt: skip


IN = "2022-03-15T10:00"
CASES = [
    roll("counts add up", "ok", "", IN, "A wing", "100", "40", "20", "10", "25", "5", "Tue AM", "", ""),
    roll("categories above the roll", REFUSE, "more than the roll", IN, "A wing", "10", "5", "5", "5", "0", "0", "Tue AM", "", ""),
    roll("a negative count", REFUSE, "cannot be negative", IN, "A wing", "10", "5", "5", "-1", "0", "0", "Tue AM", "", ""),
    roll("unaccounted without a note", REFUSE, "unaccounted for", IN, "A wing", "100", "40", "0", "0", "0", "0", "Tue AM", "", ""),
    roll("unaccounted with a note", "ok", "", IN, "A wing", "100", "40", "0", "0", "0", "0", "Tue AM", "", "60 at a staff training lock-down"),
    roll("roll above capacity", WARN, "capacity of 126", IN, "A wing", "130", "50", "20", "20", "30", "10", "Tue AM", "", ""),
    roll("dated outside the visit", CONFIRM, "outside the visit", "2022-04-01T10:00", "A wing", "100", "40", "20", "10", "25", "5", "", "", ""),
    # issue 25: applied by the API save, the screen and check too (the import's alone)
    roll("an inspector not on the team", REFUSE, "unknown team member 'Nobody'", IN, "A wing", "100", "40", "20", "10", "25", "5", "Tue AM", "Nobody", "", stored=WARN),
    roll("an inspector on the team", "ok", "", IN, "A wing", "100", "40", "20", "10", "25", "5", "Tue AM", "jade richards", ""),
    Case("a round whose name is too long", REFUSE, "the round's name is 201 characters", "roll-checks", ROLL,
         (IN, "A wing", "100", "40", "20", "10", "25", "5", "R" * 201, "", ""), None, _round_save, _round_stored),
    # issue 25: applied by the import and check too (the API's alone)
    roll("dated on another day than its round", WARN, "but round Tue AM is on 2022-03-15", "2022-03-14T10:00", "A wing", "100", "40", "20", "10", "25", "5", "Tue AM", "", ""),
    period("a good period", "ok", "", "2022-03-15", "Z01", "Unemployed", "09:00", "10:00", "gym"),
    period("ends before it starts", REFUSE, "before or when it starts", "2022-03-15", "Z01", "Unemployed", "10:00", "09:00", "gym"),
    period("unknown activity", REFUSE, "unknown activity", "2022-03-15", "Z01", "Unemployed", "09:00", "10:00", "bingo"),
    period("a subject named like a person", WARN, "person's name", "2022-03-15", "John Smith", "Unemployed", "09:00", "10:00", "gym"),
    period("a second group that day", REFUSE, "is in group 'Wing work'", "2022-03-14", "C01", "Unemployed", "20:00", "21:00", "gym"),
    period("dated outside the visit", CONFIRM, "outside the visit", "2022-03-20", "Z01", "Unemployed", "09:00", "10:00", "gym"),
    # who records a period is held to the team as a check's inspector is (the name the
    # file is written by: a login nobody chose, "root", was taken)
    period("recorded by someone not on the team", REFUSE, "unknown team member 'Nobody'", "2022-03-15", "Z01", "Unemployed", "09:00", "10:00", "gym", by="Nobody"),
    period("recorded by a member, any case", "ok", "", "2022-03-15", "Z01", "Unemployed", "09:00", "10:00", "gym", by="paul rowlands"),
    note("a good note", "ok", "", "staff", "2022-03-15T11:00", "Jade Richards", "Said so.", "1.33", ""),
    note("an empty note", REFUSE, "must not be empty", "staff", "2022-03-15T11:00", "Jade Richards", " ", "", ""),
    note("an unknown source", REFUSE, "source", "gossip", "2022-03-15T11:00", "Jade Richards", "Said so.", "", ""),
    # a stored note's plan refs are links of their own (tests/test_evidence_links.py)
    note("an unknown plan ref", REFUSE, "unknown plan ref '9.99'", "staff", "2022-03-15T11:00", "Jade Richards", "Said so.", "9.99", "", stored=False),
    note("dated outside the visit", CONFIRM, "outside the visit", "staff", "2024-01-01T11:00", "Jade Richards", "Said so.", "", ""),
    # issue 25: the API save and check too (the import's alone)
    note("an author not on the team", REFUSE, "unknown team member 'Nobody'", "staff", "2022-03-15T11:00", "Nobody", "Said so.", "", ""),
    # issue 20: no document can hold them (a merged note stopped the Word report)
    note("a note holding U+FFFF", REFUSE, "U+FFFF", "staff", "2022-03-15T11:00", "Jade Richards", "Said so.\uffff", "", ""),
    note("a note holding U+FDD0", REFUSE, "U+FDD0", "staff", "2022-03-15T11:00", "Jade Richards", "Said \ufdd0so.", "", ""),
    note("a tag holding U+FFFE", REFUSE, "U+FFFE", "staff", "2022-03-15T11:00", "Jade Richards", "Said so.", "", "seg\ufffe"),
    roll("a note holding U+1FFFF", REFUSE, "U+1FFFF", IN, "A wing", "100", "40", "20", "10", "25", "5", "Tue AM", "", "Seen\U0001ffff"),
    data("a proportion above 1", REFUSE, "between 0 and 1", "x_share", "1.5", "proportion"),
    data("a count with a fraction", REFUSE, "whole number", "x_count", "2.5", "count"),
    data("a percentage above 100", WARN, "outside 0 to 100", "x_pct", "120", "percent"),
    data("a key that is no key", REFUSE, "must be lower case letters", "X Share", "0.5", "proportion"),
    data("a good data return", "ok", "", "x_hours", "1.5", "hours"),
    answer("an answer that is no answer", REFUSE, "unknown answer 'maybe'", "UoF-001", "Complete", "maybe", ""),
    answer("an answer without its record", REFUSE, "the record must not be empty", " ", "Complete", "yes", ""),
    answer("an answer without its criterion", REFUSE, "the criterion must not be empty", "UoF-001", " ", "yes", ""),
    answer("a comment waiting for its answer", "ok", "", "UoF-001", "Complete", "", "ask the wing"),
    answer("answered by someone not on the team", REFUSE, "unknown team member 'Nobody'", "UoF-001", "Complete", "yes", "", by="Nobody"),
    # issue 22: rounds and subjects' days linked to plan items (stored: tests/test_merge_links.py)
    link("a round linked", "ok", "", "1.33", "Mon AM", "", ""),
    link("a subject's day linked", "ok", "", "1.33", "", "2022-03-14", "U01"),
    link("an unknown plan ref", REFUSE, "unknown plan ref '9.99'", "9.99", "Mon AM", "", ""),
    link("a round that is not one", REFUSE, "no round 'Fri AM' with checks", "1.33", "Fri AM", "", ""),
    link("a day without periods", REFUSE, "U01 has no periods on 2022-03-16", "1.33", "", "2022-03-16", "U01"),
    link("a day that is no date", REFUSE, "is not a date", "1.33", "", "14/03/2022", "U01"),
]  # fmt: skip
CASE = {f"{c.kind}: {c.name}": c for c in CASES}

# Every rule of every kind (its home) -> the cases that break it.
RULES = {
    "roll_checks.count_verdicts": ["roll-checks: categories above the roll", "roll-checks: a negative count"],
    "roll_checks.note_verdicts": ["roll-checks: unaccounted without a note", "roll-checks: a note holding U+1FFFF"],
    "roll_checks.capacity_verdicts": ["roll-checks: roll above capacity"],
    "rounds.day_verdicts": ["roll-checks: dated on another day than its round"],
    "setup.team_verdicts": ["roll-checks: an inspector not on the team", "notes: an author not on the team"],
    "visit.date_verdicts": ["roll-checks: dated outside the visit", "time-out-of-cell: dated outside the visit", "notes: dated outside the visit"],
    "time_out_of_cell.period_verdicts": ["time-out-of-cell: ends before it starts", "time-out-of-cell: unknown activity", "time-out-of-cell: a subject named like a person"],
    "time_out_of_cell.group_verdicts": ["time-out-of-cell: a second group that day"],
    "notes.note_verdicts": ["notes: an empty note", "notes: an unknown source", "notes: an unknown plan ref", "notes: a note holding U+FFFF", "notes: a tag holding U+FFFE"],
    "notes.author_verdicts": ["notes: an author not on the team"],
    "recorders.recorder_verdicts": ["roll-checks: an inspector not on the team", "notes: an author not on the team",
                                    "time-out-of-cell: recorded by someone not on the team",
                                    "sample: answered by someone not on the team"],
    "data_returns.data_return_verdicts": ["data: a key that is no key", "data: a count with a fraction"],
    "data_returns.value_verdicts": ["data: a proportion above 1", "data: a percentage above 100"],
    "sampling.answer_verdicts": ["sample: an answer that is no answer"],
    "sampling.record_verdicts": ["sample: an answer without its record"],
    "sampling.criterion_verdicts": ["sample: an answer without its criterion"],
    "rounds.round_verdicts": ["roll-checks: a round whose name is too long"],
    "links.link_verdicts": ["links: an unknown plan ref", "links: a round that is not one", "links: a day without periods"],
    "links.day_verdicts": ["links: a day that is no date"],
}  # fmt: skip
# Each kind's one combination, which every path calls (their cases are the rules' above).
COMBINED = {"roll_checks.verdicts", "roll_checks.counts_verdicts", "time_out_of_cell.verdicts",
            "notes.verdicts"}  # fmt: skip
# Rules fed through every path by another test (a rule here, not there, fails that test).
ELSEWHERE = {  # rule -> (the test, words of its message the test looks for)
    # a name another round has: only a rename or a file can give one (no import can)
    "rounds.name_taken_verdicts": ("test_rounds.py", "already has a round named"),
    "rounds.counted_once_verdicts": ("test_rounds.py", "already counted in round"),
    "links.stored_verdicts": ("test_evidence_links.py", "names no round"),
    # a count that is no number: only a hand can store one (the import refuses the cell
    # in the same words, a screen types digits alone); check, the figures and the merge
    "roll_checks.stored_count_verdicts": (
        "test_hostile_numbers.py",
        "roll must be a whole number, not ",
    ),
    "sampling.frame_verdicts": ("test_sampling.py", "the sample frame must not be empty"),
    "note_search.search_verdicts": ("test_notes_search_bounds.py", "the search has 40 words"),
    # a column added to a kind, which no rule reads: no such column yet (a fresh
    # interpreter adds one, and feeds it through the import, check and the merge)
    "kind_columns.stored_verdicts": ("test_kind_columns.py", "cannot be negative (-1)"),
}
KIND_MODULES = ("roll_checks", "rounds", "time_out_of_cell", "notes", "note_search", "sampling",
                "data_returns", "links", "kind_columns", "recorders")  # fmt: skip


def test_every_rule_of_every_kind_is_broken_by_a_case_or_tested_elsewhere() -> None:
    """A rule added to a kind's module without a case (or a test elsewhere) fails here."""
    homes = set()
    for name in KIND_MODULES:
        module = importlib.import_module(f"irp_field.domain.{name}")
        for function, value in vars(module).items():
            ours = inspect.isfunction(value) and value.__module__ == module.__name__
            a_rule = function == "verdicts" or function.endswith("_verdicts")
            if ours and a_rule and not function.startswith("_"):
                homes.add(f"{name}.{function}")
    listed = set(RULES) | COMBINED | set(ELSEWHERE)
    assert homes - listed == set(), "rules with no case: add one to CASES and RULES"
    for rule, cases in RULES.items():
        assert cases and all(case in CASE for case in cases), rule
        assert all(CASE[case].verdict != "ok" for case in cases), rule
    tests = Path(__file__).parent
    for rule, (test, words) in ELSEWHERE.items():
        assert words in (tests / test).read_text(), rule


def _csv(path: Path, header: tuple[str, ...], row: tuple[str, ...]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerow(row)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _import(visit: VisitFile, case: Case, path: Path, confirmed: bool) -> tuple[str, str]:
    options: dict[str, Any] = {"again": True, "allow_outside_visit": confirmed}
    if case.kind == "roll-checks":
        # A wing is counted in Tue AM already: these cases test the counts' rules, so
        # each path replaces that check (the once-per-round rule: tests/test_rounds.py).
        options["replace"] = True
    if case.kind == "sample":
        options["frame"] = FRAME
    try:
        result = evidence.import_csv(visit, case.kind, path, **options)
    except InputError as error:
        return "refused", str(error)
    return ("warned", "\n".join(result.warnings)) if result.warnings else ("ok", "")


def _save(visit: VisitFile, case: Case, path: Path, confirmed: bool) -> tuple[str, str]:
    try:
        case.save(visit, dict(zip(case.header, case.row, strict=True)), confirmed)
    except RecordRefused as error:
        return "refused", str(error)
    return "ok", ""


EXPECTED = {  # verdict -> (import, import confirmed, save, save confirmed)
    "ok": ("ok", "ok", "ok", "ok"),
    WARN: ("warned", "warned", "ok", "ok"),
    CONFIRM: ("refused", "ok", "refused", "ok"),
    REFUSE: ("refused", "refused", "refused", "refused"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASE))
def test_every_path_gives_the_same_verdict(hull_path: Path, tmp_path: Path, case: Case) -> None:
    row = dict(zip(case.header, case.row, strict=True))
    path = _csv(tmp_path / "case.csv", case.header, case.row)
    outcomes: list[str] = []
    for run in (_import, _save):
        for confirmed in (False, True):
            with VisitFile.open(hull_path, user=case.by) as visit:  # a fresh look each time
                before = visit.one("SELECT MAX(changed_at), COUNT(*) FROM change_log")
                outcome, message = run(visit, case, path, confirmed)
                if outcome == "refused":
                    assert case.words in message, (run.__name__, confirmed, message)
                    after = visit.one("SELECT MAX(changed_at), COUNT(*) FROM change_log")
                    assert tuple(after) == tuple(before)  # type: ignore[arg-type]
                if outcome == "warned":
                    assert case.words in message
            outcomes.append(outcome)
    assert tuple(outcomes) == EXPECTED[case.verdict], outcomes
    if case.before_saving is not None:
        with VisitFile.open(hull_path, user=case.by) as visit:
            shown = case.before_saving(visit, row)
        severities = {v.severity for v in shown if case.words in v.message}
        if case.verdict == "ok":
            assert not [v for v in shown if v.severity in (REFUSE, CONFIRM)], shown
        else:
            assert case.verdict in severities, shown


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.stored], ids=[n for n, c in CASE.items() if c.stored]
)
def test_check_and_the_merge_give_a_stored_record_the_same_verdict(
    hull_path: Path, tmp_path: Path, case: Case
) -> None:
    """The record as a file from another laptop holds it (written by a hand): ``check``
    says what the rules say of it, and the merge refuses the file when they refuse it,
    naming the file, with nothing merged."""
    assert case.stored is not None
    jade = cp(hull_path, tmp_path / "jade.db")
    paul = cp(hull_path, tmp_path / "paul.db")
    table, row_id = case.stored(
        paul, {**dict(zip(case.header, case.row, strict=True)), BY: case.by}
    )
    stored = case.stored_verdict or case.verdict
    with VisitFile.open(paul, readonly=True) as visit:
        said = [f.verdict for f in audit.everything(visit) if f.record[:2] == (table, row_id)]
    if stored == "ok":
        assert said == [], said
    else:
        assert stored in {v.severity for v in said if case.words in v.message}, said
    try:
        merge_visits(jade, [paul])
        merged = "ok"
    except IrpError as error:
        merged = REFUSE
        assert str(paul) in str(error) and "nothing was merged" in str(error)
        assert case.words in str(error)
    assert merged == (REFUSE if stored == REFUSE else "ok"), said


# -- the same verdicts on the screen itself -------------------------------------------


async def _type_roll_check(pilot: Any, counts: tuple[str, ...]) -> Any:
    from tui_helpers import settle

    from irp_field.tui.screens.roll_check import RollCheckScreen

    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RollCheckScreen)
    for value in counts:
        await pilot.press(*value, "enter")
    return screen


def _roll_checks(path: Path) -> int:
    with VisitFile.open(path, readonly=True) as visit:
        return int(visit.one("SELECT COUNT(*) FROM roll_check WHERE deleted = 0")[0])  # type: ignore[index]


async def test_the_roll_check_screen_asks_about_a_date_outside_the_visit(hull_path: Path) -> None:
    """The same CONFIRM as the import's: n saves nothing, y saves it with that date. Since
    issue 13 the time is entered, not assumed: after the visit, a check is dated on its
    last day unless another date is typed, and a typed date outside the visit is asked
    about."""
    import datetime as dt

    from textual.widgets import Input
    from tui_helpers import settle

    from irp_field.tui.app import make_app
    from irp_field.tui.dialogs.confirm import ConfirmScreen

    before = _roll_checks(hull_path)
    app = make_app(hull_path, user="Jade Richards", now=lambda: dt.datetime(2022, 4, 1, 19, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _type_roll_check(pilot, ())
        when = screen.query_one("#taken_at", Input)
        assert when.value == "2022-03-16 19:00"  # the visit's last day, not 1 April
        screen.set_focus(when)
        await pilot.press(*"2022-04-01", "space", *"19:00", "enter")  # on to the roll
        for value in ("100", "40", "20", "10", "25"):
            await pilot.press(*value, "enter")
        await pilot.press("5", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "2022-04-01 is outside the visit" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert _roll_checks(hull_path) == before
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert _roll_checks(hull_path) == before + 1


async def test_the_roll_check_screen_saves_a_roll_above_capacity_and_says_so(
    hull_path: Path,
) -> None:
    """The same WARN as the import's: saved, and the screen says it is above capacity."""
    from tui_helpers import EVENING, hull_app, settle

    before = _roll_checks(hull_path)
    app = hull_app(hull_path, now=EVENING)  # a new round, where the check is a new record
    shown: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _type_roll_check(pilot, ("900", "400", "200", "100", "195"))
        assert screen.query_one("#round").value == "new:Wed eve"  # type: ignore[attr-defined]
        screen.notify = lambda message, **_: shown.append(str(message))  # type: ignore[method-assign]
        await pilot.press("5", "ctrl+s")
        await settle(pilot)
    assert _roll_checks(hull_path) == before + 1
    assert any("capacity of" in message for message in shown), shown
