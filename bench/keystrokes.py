"""Keys per record, typed from paper through the real screens: is the screen as fast as
the paper?

A paper sheet is typed into the terminal UI (the real app, driven by Textual's Pilot, as
an inspector's keyboard drives it) on a copy of the HMP Hull sample, the evening of its
last day, as Jade Richards (who counted two rounds there, so her route is known):

- a new round (ctrl+n: the round's time from the sheet);
- that round's 11 locations in her route order, at the round's time;
- another new round typed as the sheet has it: some locations out of route order, some
  at another time than the round's, one both;
- time out of cell for three new subjects over two days (periods, each subject's first
  day, a subject's next day);
- a sample's answers (one key a cell: the model for the rest).

The driver reads the screen as a person does: it types the time only when the sheet's
differs from what When shows, picks a location only when the one offered is not the
sheet's (its first letters, typed in the empty roll), types a group or an activity's
first letters until the one wanted is offered. Every key pressed is counted; the floor
is the digits the paper holds that must be typed (the counts, and a time when it is not
the round's). Key counts do not depend on the machine: ``tests/test_keystrokes.py``
holds the targets. Printed per kind of record: the records, keys per record (the most),
the floor, the other keys (the most) and the target for them (issue 22).

    python bench/keystrokes.py
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

USER = "Jade Richards"
NOW = dt.datetime(2022, 3, 16, 19, 30)  # Wednesday evening: typing the day up
SIZES = ((80, 24), (120, 40))

# -- the sheets --------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One line of a roll-check sheet: where, when (None: the round's time), the counts
    (roll, locked up, off-wing activity, wing work, unlocked on the wing, elsewhere)."""

    location: str
    at: str | None
    counts: tuple[int, int, int, int, int, int]
    kind: str


@dataclass(frozen=True)
class Round:
    day: str
    time: str
    checks: tuple[Check, ...]


ROUTE = "roll check: in route order, at the round's time"
OUT_OF_ROUTE = "roll check: out of route order"
OTHER_TIME = "roll check: at another time"
BOTH = "roll check: out of route, at another time"
NEW_ROUND = "a new round (ctrl+n)"
PERIOD = "time out of cell: a period"
NEW_SUBJECT = "time out of cell: a new subject (beyond its period)"
NEXT_DAY = "time out of cell: a subject's next day (beyond its period)"
ANSWER = "sample: an answer"

# Other keys (all but the floor's digits) a record may take: issue 22's targets.
TARGETS: dict[str, int | None] = {
    ROUTE: 8,
    OUT_OF_ROUTE: 12,
    OTHER_TIME: 12,
    BOTH: 12,
    NEW_ROUND: None,
    PERIOD: 6,
    NEW_SUBJECT: 10,
    NEXT_DAY: None,
    ANSWER: 0,  # one key a cell: the mark itself
}

JADE_ROUTE = (
    "A wing", "B wing", "C wing", "D wing", "E wing", "F wing", "G wing", "H wing",
    "I wing", "Segregation unit", "Health care unit",
)  # fmt: skip

# Wednesday 16:45 (typed up at 19:30), walked in her route order, every check at the round's time.
IN_ORDER = Round(
    "2022-03-16",
    "16:45",
    tuple(
        Check(place, None, counts, ROUTE)
        for place, counts in zip(
            JADE_ROUTE,
            (
                (124, 61, 14, 17, 30, 2), (117, 52, 15, 16, 32, 2), (110, 49, 13, 15, 31, 2),
                (100, 45, 12, 14, 27, 2), (88, 38, 10, 12, 26, 2), (88, 36, 12, 12, 26, 2),
                (80, 33, 11, 12, 22, 2), (81, 34, 10, 11, 24, 2), (78, 31, 10, 11, 24, 2),
                (14, 12, 0, 0, 2, 0), (10, 7, 0, 0, 3, 0),
            ),
            strict=True,
        )
    ),
)  # fmt: skip

# Wednesday 08:15, as the sheet was walked: D wing was locked down and counted last,
# the health care unit before the segregation unit; three times are not the round's.
AS_WALKED = Round(
    "2022-03-16",
    "08:15",
    (
        Check("A wing", None, (125, 88, 9, 10, 16, 2), ROUTE),
        Check("B wing", None, (118, 80, 11, 9, 16, 2), ROUTE),
        Check("C wing", "08:31", (110, 72, 12, 10, 14, 2), OTHER_TIME),
        Check("E wing", None, (88, 51, 10, 11, 14, 2), OUT_OF_ROUTE),
        Check("F wing", None, (88, 50, 11, 11, 14, 2), ROUTE),
        Check("G wing", None, (81, 47, 9, 10, 13, 2), ROUTE),
        Check("H wing", "08:52", (82, 46, 10, 10, 14, 2), OTHER_TIME),
        Check("I wing", None, (79, 44, 10, 9, 14, 2), ROUTE),
        Check("Health care unit", "09:06", (11, 8, 0, 0, 3, 0), BOTH),
        Check("Segregation unit", None, (15, 13, 0, 0, 2, 0), OUT_OF_ROUTE),
        Check("D wing", "09:20", (101, 101, 0, 0, 0, 0), OTHER_TIME),
    ),
)


@dataclass(frozen=True)
class Period:
    start: str  # HHMM, as the paper has it
    end: str
    activity: str


@dataclass(frozen=True)
class Day:
    """One subject's day on a time-out-of-cell sheet."""

    subject: str
    on_date: str
    group: str
    periods: tuple[Period, ...]


DAYS = (
    Day("P1", "2022-03-15", "Unemployed", (
        Period("0850", "0920", "open air"), Period("0920", "1000", "domestic"),
        Period("1615", "1635", "domestic"),
    )),
    Day("P2", "2022-03-15", "Full-time work", (
        Period("0815", "1145", "work"), Period("1345", "1630", "work"),
        Period("1700", "1730", "association"),
    )),
    Day("P3", "2022-03-15", "Part-time education", (
        Period("0830", "1130", "education"), Period("1400", "1430", "open air"),
        Period("1730", "1800", "domestic"),
    )),
    Day("P1", "2022-03-16", "Unemployed", (
        Period("0900", "0930", "open air"), Period("1130", "1145", "domestic"),
    )),
    Day("P2", "2022-03-16", "Full-time work", (
        Period("0815", "1145", "work"), Period("1345", "1630", "work"),
    )),
    Day("P3", "2022-03-16", "Part-time education", (
        Period("0830", "1130", "education"), Period("1415", "1445", "gym"),
    )),
)  # fmt: skip

SAMPLE = "Bench case files"
SAMPLE_CRITERIA = ("Complete", "On time", "Signed")
SAMPLE_SIZE = 5

# -- counting ----------------------------------------------------------------------------


@dataclass
class Typed:
    """One record typed: its kind, the keys pressed, the digits the paper holds."""

    kind: str
    floor: int
    keys: list[str] = field(default_factory=list)

    @property
    def other(self) -> int:
        return len(self.keys) - self.floor


def digits(*values: object) -> int:
    return sum(character.isdigit() for value in values for character in str(value))


def key_of(character: str) -> str:
    return {" ": "space", "-": "minus", ":": "colon", ".": "full_stop"}.get(character, character)


class Typist:
    """Presses keys into the app and counts them against the record being typed."""

    def __init__(self, pilot: Any) -> None:
        self.pilot = pilot
        self.app = pilot.app
        self.records: list[Typed] = []
        self.record: Typed | None = None

    def start(self, kind: str, floor: int) -> Typed:
        self.record = Typed(kind, floor)
        self.records.append(self.record)
        return self.record

    async def press(self, *keys: str) -> None:
        assert self.record is not None
        for key in keys:
            self.record.keys.append(key)
            await self.pilot.press(key)

    async def type(self, text: str) -> None:
        await self.press(*(key_of(character) for character in text))

    async def settle(self) -> None:
        for _ in range(2):
            await self.pilot.pause()
            await self.app.workers.wait_for_complete()
        await self.pilot.pause()

    def field(self, name: str) -> Any:
        return self.app.screen.query_one(f"#{name}")

    def focused(self) -> str:
        focused = self.app.screen.focused
        return str(focused.id) if focused is not None and focused.id else ""


# -- typing the sheets ----------------------------------------------------------------


async def new_round(typist: Typist, sheet: Round) -> None:
    """ctrl+n; the name as suggested (it follows the day and time typed), the day, the
    time from the sheet."""
    typist.start(NEW_ROUND, digits(sheet.time))
    await typist.press("ctrl+n")
    await typist.settle()
    await typist.press("enter")  # the name: as suggested
    day = typist.field("round-day")
    if day.value != sheet.day:
        typist.record.floor += digits(sheet.day)  # type: ignore[union-attr]
        await typist.type(sheet.day)
    await typist.press("enter")
    await typist.type(sheet.time.replace(":", ""))
    await typist.press("enter")
    await typist.settle()


def _offered(typist: Typist) -> str:
    screen = typist.app.screen
    value = screen.query_one("#location").value
    return next((p.name for p in screen.state.places if p.id == value), "")


async def _pick(typist: Typist, name: str) -> None:
    """On the location: its first letters until the list shows it, then Enter."""
    places = typist.field("location")
    for character in name.casefold():
        await typist.type(character)
        await typist.pilot.pause()
        overlay = places.query_one("SelectOverlay")
        if overlay.highlighted is not None and str(places._options[overlay.highlighted][0]) == name:
            break
    await typist.press("enter")


async def roll_check(typist: Typist, check: Check) -> None:
    typist.start(check.kind, digits(*check.counts) + (digits(check.at) if check.at else 0))
    await typist.settle()
    assert typist.focused() == "roll", typist.focused()
    if check.at is not None:
        await typist.press("shift+tab", "shift+tab")  # from the roll: location, When
        await typist.type(check.at.replace(":", ""))
        await typist.press("enter")  # on to the roll, the location as it was
    if _offered(typist) != check.location:
        # its first letters, typed in the empty roll (a letter is never a roll: the list
        # opens there, and Enter comes back to the roll)
        await _pick(typist, check.location)
    await typist.settle()
    assert typist.focused() == "roll", typist.focused()
    *first, last = (str(count) for count in check.counts)
    for count in first:
        await typist.type(count)
        await typist.press("enter")
    await typist.type(last)
    await typist.press("ctrl+s")
    await typist.settle()


async def _choose(typist: Typist, name: str, wanted: str) -> None:
    """A field with completion: its first letters until the one wanted is offered."""
    box = typist.field(name)
    if box.value.casefold() == wanted.casefold():
        await typist.press("enter")
        return
    for character in wanted:
        await typist.type(character)
        await typist.pilot.pause()
        shown = box._suggestion or box.value
        if shown.casefold() == wanted.casefold():
            break
    await typist.press("enter")


async def subject_day(typist: Typist, day: Day, kind: str) -> None:
    """To the subject (F6 puts the cursor there), the subject, the day and the group."""
    typist.start(kind, digits(day.subject))
    await typist.settle()
    await typist.press("f6")
    await typist.settle()
    if typist.field("subject").value != day.subject:
        await typist.type(day.subject)
    await typist.press("enter")
    await typist.settle()
    date = typist.field("on_date")
    if date.value != day.on_date:
        short = day.on_date[8:].lstrip("0")  # the day of the month, as paper has it
        typist.record.floor += digits(short)  # type: ignore[union-attr]
        await typist.type(short)
    await typist.press("enter")
    await typist.settle()
    await _choose(typist, "group", day.group)
    await typist.settle()


async def period(typist: Typist, period: Period) -> None:
    """A day's first period starts in Start; after a save the cursor waits in End, the
    start filled in with the last end: a period that starts later goes back for it."""
    typist.start(PERIOD, digits(period.start, period.end))
    assert typist.focused() in ("start", "end"), typist.focused()
    start = typist.field("start").value.replace(":", "")
    if start == period.start:
        typist.record.floor -= digits(period.start)  # type: ignore[union-attr]
    if typist.focused() == "end" and start != period.start:
        await typist.press("shift+tab")
    if typist.focused() == "start":
        if start != period.start:
            await typist.type(period.start)
        await typist.press("enter")
    await typist.type(period.end)
    await typist.press("enter")
    await _choose(typist, "activity", period.activity)
    await typist.settle()


async def answers(typist: Typist, marks: Iterable[str]) -> None:
    for mark in marks:
        typist.start(ANSWER, 1)  # the mark on the paper
        await typist.press(mark)
        await typist.settle()


def marks() -> list[str]:
    cycle = "yynyanyyynynyyya"
    return [cycle[i % len(cycle)] for i in range(SAMPLE_SIZE * len(SAMPLE_CRITERIA))]


async def type_sheets(path: Path, size: tuple[int, int]) -> list[Typed]:
    """Type every sheet into the visit at ``path`` in a terminal of ``size``; the
    records typed, each with its keys."""
    from irp_field.tui.app import make_app

    app = make_app(path, user=USER, now=lambda: NOW)
    async with app.run_test(size=size) as pilot:
        typist = Typist(pilot)
        typist.start("(opening F3)", 0)
        await typist.settle()
        await pilot.press("f3")
        for sheet in (IN_ORDER, AS_WALKED):
            await new_round(typist, sheet)
            for check in sheet.checks:
                await roll_check(typist, check)
        await pilot.press("f6")
        seen: set[str] = set()
        for day in DAYS:
            await subject_day(typist, day, NEXT_DAY if day.subject in seen else NEW_SUBJECT)
            seen.add(day.subject)
            for each in day.periods:
                await period(typist, each)
        await pilot.press("f5")
        await typist.settle()
        # The sheet's sample (a person picks it at the top once; the cells are measured)
        screen = app.screen
        frame = next(f.id for f in screen.frame_list if f.name == SAMPLE)
        screen.query_one("#frame").value = frame
        await typist.settle()
        screen.query_one("#grid").focus()
        await typist.settle()
        await answers(typist, marks())
    return [record for record in typist.records if not record.kind.startswith("(")]


# -- what the file holds afterwards ---------------------------------------------------


def prepare(folder: Path) -> Path:
    """A copy of the Hull sample with the sheet's sample drawn (no answers yet)."""
    from irp_field.interchange import samples
    from irp_field.interchange.bundle import build_from_bundle

    path = build_from_bundle(samples.sample_bundle(), folder / "hull.db", user="Sara Pennington")
    draw(path)
    return path


def draw(path: Path) -> None:
    """The sheet's sample, drawn in the visit at ``path`` (its cells to answer)."""
    from irp_field.api import evidence
    from irp_field.core.visit_file import VisitFile

    with VisitFile.open(path, user=USER) as visit:
        evidence.draw_sample(
            visit, SAMPLE, size=SAMPLE_SIZE, seed=2022, population=60, criteria=SAMPLE_CRITERIA
        )


def landed(path: Path) -> list[str]:
    """What the file should hold from the sheets and does not (empty: all of it)."""
    from irp_field.domain.roll_checks import COUNT_FIELDS

    missing: list[str] = []
    db = sqlite3.connect(path)
    for sheet in (IN_ORDER, AS_WALKED):
        for check in sheet.checks:
            at = f"{sheet.day}T{check.at or sheet.time}"
            row = db.execute(
                f"SELECT {', '.join(f'r.{c}' for c in COUNT_FIELDS)}, o.at_time FROM roll_check r "
                "JOIN location l ON l.id = r.location_id JOIN roll_round o ON o.id = r.round_id "
                "WHERE r.deleted = 0 AND l.name = ? AND r.taken_at = ? AND r.inspector = ?",
                (check.location, at, USER),
            ).fetchall()
            if [tuple(r[:6]) for r in row] != [check.counts] or row[0][6] != sheet.time:
                missing.append(f"{check.location} at {at}: {row}")
    for day in DAYS:
        for each in day.periods:
            row = db.execute(
                "SELECT subject_group, activity FROM toc_period WHERE deleted = 0 AND "
                "subject = ? AND on_date = ? AND start_time = ? AND end_time = ?",
                (day.subject, day.on_date, f"{each.start[:2]}:{each.start[2:]}",
                 f"{each.end[:2]}:{each.end[2:]}"),
            ).fetchall()  # fmt: skip
            if row != [(day.group, each.activity.replace(" ", "_"))]:
                missing.append(f"{day.subject} {day.on_date} {each}: {row}")
    answered = db.execute(
        "SELECT COUNT(*) FROM sample_answer a JOIN sample_frame f ON f.id = a.frame_id "
        "WHERE f.name = ? AND a.deleted = 0 AND a.answer != ''",
        (SAMPLE,),
    ).fetchone()[0]
    if answered != len(marks()):
        missing.append(f"{answered} sample answers of {len(marks())}")
    db.close()
    return missing


# -- the table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    kind: str
    records: int
    keys: int  # the most any record of the kind took
    floor: int  # that record's floor
    other: int  # the most other keys any record of the kind took
    target: int | None

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "(no target)"
        return "OK" if self.other <= self.target else "MISSED"


def lines(records: list[Typed]) -> list[Line]:
    found = []
    for kind, target in TARGETS.items():
        of_kind = [record for record in records if record.kind == kind]
        if not of_kind:
            continue
        worst = max(of_kind, key=lambda record: (record.other, len(record.keys)))
        found.append(Line(kind, len(of_kind), len(worst.keys), worst.floor, worst.other, target))
    return found


def table(measured: list[Line]) -> str:
    wide = max(len(line.kind) for line in measured) if measured else 6
    head = f"{'record':<{wide}} {'n':>3} {'keys':>5} {'floor':>6} {'other':>6} {'target':>7}"
    rows = [
        f"{line.kind:<{wide}} {line.records:>3} {line.keys:>5} {line.floor:>6} {line.other:>6} "
        f"{'<= ' + str(line.target) if line.target is not None else '-':>7}  {line.verdict}"
        for line in measured
    ]
    return "\n".join([head, *rows])


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="irp-keys-") as scratch:
        os.environ["IRP_FIELD_HOME"] = str(Path(scratch) / "home")
        missed = False
        for size in SIZES:
            folder = Path(scratch) / f"{size[0]}x{size[1]}"
            folder.mkdir()
            path = prepare(folder)
            records = asyncio.run(type_sheets(path, size))
            wrong = landed(path)
            measured = lines(records)
            print(f"{size[0]}x{size[1]}: keys per record (the most any took), typed from paper")
            print(table(measured))
            if wrong:
                print("NOT AS THE SHEET: " + "; ".join(wrong))
            missed |= bool(wrong) or any(line.verdict == "MISSED" for line in measured)
        print(
            "floor: the digits the paper holds that must be typed; other: every other key "
            "(Enter, shift+Tab, ctrl+s, a letter of a location, group or activity)"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
