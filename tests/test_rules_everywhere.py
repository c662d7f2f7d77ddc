"""One home per rule: each rule's cases give the same verdict through the CSV import,
through the function a screen calls before it saves, and through the save itself (the
API the screens and programs call).

A verdict is ``ok``, ``warn`` (stored and said), ``confirm`` (refused unless the person
says the date is meant) or ``refuse`` (never stored).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from irp_field import api
from irp_field.api import evidence
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import InputError
from irp_field.domain.verdicts import CONFIRM, REFUSE, WARN, RecordRefused, Verdict

ROLL = ("taken_at", "location", "roll", "locked_up", "off_wing_activity", "wing_work",
        "unlocked_on_wing", "elsewhere", "round", "inspector", "note")  # fmt: skip
PERIOD = ("date", "subject", "group", "start", "end", "activity")
NOTE = ("source", "taken_at", "author", "text", "plan_refs", "tags")
DATA = ("key", "value", "unit")
ANSWER = ("record", "criterion", "answer", "comment")
LINK = ("plan_ref", "round", "date", "subject")


@dataclass(frozen=True)
class Case:
    name: str
    verdict: str  # ok, warn, confirm, refuse
    words: str  # in the message of the verdict (when not ok)
    kind: str  # import kind
    header: tuple[str, ...]
    row: tuple[str, ...]
    # what the screen asks before saving, and the save itself; both take the row by column
    before_saving: Callable[[VisitFile, dict[str, str]], list[Verdict]] | None
    save: Callable[[VisitFile, dict[str, str], bool], object]


def _counts(row: dict[str, str]) -> api.RollCounts:
    return api.RollCounts(*(int(row[c]) for c in ROLL[2:8]))


def _roll_verdicts(visit: VisitFile, row: dict[str, str]) -> list[Verdict]:
    place = evidence.find_location(visit, row["location"])
    return evidence.check_verdicts(visit, place, _counts(row), row["note"], row["taken_at"])


def _roll_save(visit: VisitFile, row: dict[str, str], confirmed: bool) -> object:
    return evidence.record_roll_check(
        visit, location_id=row["location"], counts=_counts(row), taken_at=row["taken_at"],
        round_label=row["round"], note=row["note"], allow_outside_visit=confirmed, replace=True,
    )  # fmt: skip


def _period_args(row: dict[str, str]) -> dict[str, str]:
    return {"subject": row["subject"], "on_date": row["date"], "group": row["group"],
            "start": row["start"], "end": row["end"], "activity": row["activity"]}  # fmt: skip


def _period_verdicts(visit: VisitFile, row: dict[str, str]) -> list[Verdict]:
    return evidence.period_verdicts(visit, **_period_args(row))[1]


def _period_save(visit: VisitFile, row: dict[str, str], confirmed: bool) -> object:
    return evidence.record_period(visit, **_period_args(row), allow_outside_visit=confirmed)


def _draft(visit: VisitFile, row: dict[str, str]) -> evidence.NoteDraft:
    return evidence.NoteDraft(
        id=evidence.new_draft(row["author"], row["taken_at"]).id, author=row["author"],
        source=row["source"], taken_at=row["taken_at"], text=row["text"], tags=row["tags"],
        plan_refs=row["plan_refs"],
    )  # fmt: skip


def _note_verdicts(visit: VisitFile, row: dict[str, str]) -> list[Verdict]:
    return evidence.draft_verdicts(visit, _draft(visit, row))[1]


def _note_save(visit: VisitFile, row: dict[str, str], confirmed: bool) -> object:
    return evidence.save_note(visit, _draft(visit, row), allow_outside_visit=confirmed)


def _data_save(visit: VisitFile, row: dict[str, str], confirmed: bool) -> object:
    return evidence.record_data_return(visit, key=row["key"], value=row["value"], unit=row["unit"])


def _answer_save(visit: VisitFile, row: dict[str, str], confirmed: bool) -> object:
    return evidence.record_answer(
        visit, "Use of force records", row["record"], row["criterion"], row["answer"],
        row["comment"],
    )  # fmt: skip


def _link_save(visit: VisitFile, row: dict[str, str], confirmed: bool) -> object:
    """What F3's and F6's picker saves (ctrl+k): the round's or the day's links."""
    if row["round"]:
        found = evidence.find_round(visit, row["round"])
        round_id = found.id if found is not None else row["round"]
        return evidence.link_round(visit, round_id, [row["plan_ref"]])
    return evidence.link_day(visit, row["subject"], row["date"], [row["plan_ref"]])


def link(name: str, verdict: str, words: str, *values: str) -> Case:
    return Case(name, verdict, words, "links", LINK, values, None, _link_save)


def roll(name: str, verdict: str, words: str, *values: str) -> Case:
    return Case(name, verdict, words, "roll-checks", ROLL, values, _roll_verdicts, _roll_save)


def period(name: str, verdict: str, words: str, *values: str) -> Case:
    return Case(name, verdict, words, "time-out-of-cell", PERIOD, values, _period_verdicts,
                _period_save)  # fmt: skip


def note(name: str, verdict: str, words: str, *values: str) -> Case:
    return Case(name, verdict, words, "notes", NOTE, values, _note_verdicts, _note_save)


CASES = [
    roll("counts add up", "ok", "", "2022-03-15T10:00", "A wing", "100", "40", "20", "10", "25", "5", "Tue AM", "", ""),
    roll("categories above the roll", REFUSE, "more than the roll", "2022-03-15T10:00", "A wing", "10", "5", "5", "5", "0", "0", "Tue AM", "", ""),
    roll("unaccounted without a note", REFUSE, "unaccounted for", "2022-03-15T10:00", "A wing", "100", "40", "0", "0", "0", "0", "Tue AM", "", ""),
    roll("unaccounted with a note", "ok", "", "2022-03-15T10:00", "A wing", "100", "40", "0", "0", "0", "0", "Tue AM", "", "60 at a staff training lock-down"),
    roll("roll above capacity", WARN, "capacity of 126", "2022-03-15T10:00", "A wing", "130", "50", "20", "20", "30", "10", "Tue AM", "", ""),
    roll("dated outside the visit", CONFIRM, "outside the visit", "2022-04-01T10:00", "A wing", "100", "40", "20", "10", "25", "5", "Tue AM", "", ""),
    period("a good period", "ok", "", "2022-03-15", "Z01", "Unemployed", "09:00", "10:00", "gym"),
    period("ends before it starts", REFUSE, "before or when it starts", "2022-03-15", "Z01", "Unemployed", "10:00", "09:00", "gym"),
    period("unknown activity", REFUSE, "unknown activity", "2022-03-15", "Z01", "Unemployed", "09:00", "10:00", "bingo"),
    period("a subject named like a person", WARN, "person's name", "2022-03-15", "John Smith", "Unemployed", "09:00", "10:00", "gym"),
    period("a second group that day", REFUSE, "is in group 'Wing work'", "2022-03-14", "C01", "Unemployed", "20:00", "21:00", "gym"),
    period("dated outside the visit", CONFIRM, "outside the visit", "2022-03-20", "Z01", "Unemployed", "09:00", "10:00", "gym"),
    note("a good note", "ok", "", "staff", "2022-03-15T11:00", "Jade Richards", "Said so.", "1.33", ""),
    note("an empty note", REFUSE, "must not be empty", "staff", "2022-03-15T11:00", "Jade Richards", " ", "", ""),
    note("an unknown plan ref", REFUSE, "unknown plan ref '9.99'", "staff", "2022-03-15T11:00", "Jade Richards", "Said so.", "9.99", ""),
    note("dated outside the visit", CONFIRM, "outside the visit", "staff", "2024-01-01T11:00", "Jade Richards", "Said so.", "", ""),
    # issue 20: no document can hold them (a merged note stopped the Word report)
    note("a note holding U+FFFF", REFUSE, "U+FFFF", "staff", "2022-03-15T11:00", "Jade Richards", "Said so.\uffff", "", ""),
    note("a note holding U+FDD0", REFUSE, "U+FDD0", "staff", "2022-03-15T11:00", "Jade Richards", "Said \ufdd0so.", "", ""),
    note("a tag holding U+FFFE", REFUSE, "U+FFFE", "staff", "2022-03-15T11:00", "Jade Richards", "Said so.", "", "seg\ufffe"),
    roll("a note holding U+1FFFF", REFUSE, "U+1FFFF", "2022-03-15T10:00", "A wing", "100", "40", "20", "10", "25", "5", "Tue AM", "", "Seen\U0001ffff"),
    Case("a proportion above 1", REFUSE, "between 0 and 1", "data", DATA, ("x_share", "1.5", "proportion"), None, _data_save),
    Case("a count with a fraction", REFUSE, "whole number", "data", DATA, ("x_count", "2.5", "count"), None, _data_save),
    Case("a percentage above 100", WARN, "outside 0 to 100", "data", DATA, ("x_pct", "120", "percent"), None, _data_save),
    Case("a good data return", "ok", "", "data", DATA, ("x_hours", "1.5", "hours"), None, _data_save),
    Case("an answer that is no answer", REFUSE, "unknown answer 'maybe'", "sample", ANSWER, ("UoF-001", "Complete", "maybe", ""), None, _answer_save),
    Case("a comment waiting for its answer", "ok", "", "sample", ANSWER, ("UoF-001", "Complete", "", "ask the wing"), None, _answer_save),
    # issue 22: rounds and subjects' days linked to plan items
    link("a round linked", "ok", "", "1.33", "Mon AM", "", ""),
    link("a subject's day linked", "ok", "", "1.33", "", "2022-03-14", "U01"),
    link("an unknown plan ref", REFUSE, "unknown plan ref '9.99'", "9.99", "Mon AM", "", ""),
    link("a round that is not one", REFUSE, "no round 'Fri AM' with checks", "1.33", "Fri AM", "", ""),
    link("a day without periods", REFUSE, "U01 has no periods on 2022-03-16", "1.33", "", "2022-03-16", "U01"),
    link("a day that is no date", REFUSE, "is not a date", "1.33", "", "14/03/2022", "U01"),
]  # fmt: skip


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
        options["frame"] = "Use of force records"
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


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}: {c.name}" for c in CASES])
def test_every_path_gives_the_same_verdict(hull_path: Path, tmp_path: Path, case: Case) -> None:
    row = dict(zip(case.header, case.row, strict=True))
    path = _csv(tmp_path / "case.csv", case.header, case.row)
    outcomes: list[str] = []
    for run in (_import, _save):
        for confirmed in (False, True):
            with VisitFile.open(hull_path, user="Jade Richards") as visit:  # a fresh look each time
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
        with VisitFile.open(hull_path, user="Jade Richards") as visit:
            shown = case.before_saving(visit, row)
        severities = {v.severity for v in shown if case.words in v.message}
        if case.verdict == "ok":
            assert not [v for v in shown if v.severity in (REFUSE, CONFIRM)], shown
        else:
            assert case.verdict in severities, shown


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
    from irp_field.tui.screens.confirm import ConfirmScreen

    before = _roll_checks(hull_path)
    app = make_app(hull_path, user="Jade Richards", now=lambda: dt.datetime(2022, 4, 1, 19, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _type_roll_check(pilot, ())
        when = screen.query_one("#taken_at", Input)
        assert when.value == "2022-03-16 19:00"  # the visit's last day, not 1 April
        screen.set_focus(when)
        await pilot.press(*"2022-04-01", "space", *"19:00", "enter", "enter")  # to the roll
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
