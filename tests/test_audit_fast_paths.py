"""The periods' and notes' fast paths (the domain's rules asked by SQLite as it reads,
only doubted rows coming back) find exactly what the rules asked of every row find, on
random rows written by hand: wrong types, impossible times, people's names, subjects in
two groups on a day, dates outside the visit."""

from __future__ import annotations

import random
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.domain import notes, time_out_of_cell
from irp_field.evidence import audit
from irp_field.evidence.lookups import team_names
from irp_field.evidence.reads import visit_dates

STAMP = "1700000000000.000000.hand"


def _said(found: audit.Found) -> tuple[str, str, str, str, str]:
    verdict = found.verdict
    return (found.kind, found.where, verdict.field, verdict.message, verdict.severity)


def _random_periods(count: int, seed: int) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        start = rng.choice(["09:00", "9:30", "10:00", "25:00", "", 900, "x"])
        rows.append((
            str(uuid.uuid4()),
            rng.choice(["2022-03-15", "2022-03-14", "2022-04-01", "2022-02-30", "", b"\xff"]),
            rng.choice(["A1", "A2", "B7", "John Smith", "", "a\tb", 17]),
            rng.choice(["Unemployed", "Unemployed", "Full-time work", "", 3]),
            start,
            rng.choice(["10:30", "09:00", "11:00", "24:00", "", 10.5]),
            rng.choice(["association", "gym", "work", "knitting", "", b"gym"]),
        ))  # fmt: skip
    return rows


@pytest.mark.parametrize("seed", range(4))
def test_periods_fast_path_hides_nothing_the_rules_say(hull_path: Path, seed: int) -> None:
    conn = sqlite3.connect(hull_path)
    with conn:
        conn.execute("DELETE FROM toc_period")
        conn.executemany(
            "INSERT INTO toc_period (id, version, on_date, subject, subject_group, start_time, "
            f"end_time, activity) VALUES (?, '{STAMP}', ?, ?, ?, ?, ?, ?)",
            _random_periods(500, seed),
        )
    conn.close()
    with VisitFile.open(hull_path, readonly=True) as visit:
        fast = list(audit.period_findings(visit))
        dates, every = visit_dates(visit), []
        day, first = ("", ""), ""
        for row in visit.conn.execute(
            "SELECT on_date, subject, subject_group, start_time, end_time, activity "
            "FROM toc_period WHERE deleted = 0 ORDER BY subject, on_date, start_time"
        ):
            on_date, subject, group, start, end, activity = map(audit._text, row)
            if (subject, on_date) != day:
                day, first = (subject, on_date), group
            # every rule of the kind, as every path asks them (issue 25); a period as
            # stored: times exactly HH:MM (typed ones are taken as paper has them)
            context = time_out_of_cell.PeriodContext(
                dates, lambda *_, known=first: (known, "that day"), stored=True
            )
            period = time_out_of_cell.Period(on_date, subject, group, start, end, activity)
            for verdict in time_out_of_cell.verdicts(period, context)[1]:
                where = f"{subject} on {on_date} {start}-{end}"
                every.append(audit.Found("time out of cell", where, verdict))
    assert sorted(map(_said, fast)) == sorted(map(_said, every))
    assert any(f.verdict.field == "group" for f in fast)  # two groups on a day were found
    assert len(fast) > 200 and {f.record[0] for f in fast} == {"toc_period"}


@pytest.mark.parametrize("seed", range(4))
def test_notes_fast_path_hides_nothing_the_rules_say(hull_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    rows = [
        (
            str(uuid.uuid4()),
            rng.choice(["observation", "interview", "gossip", "", 1]),
            rng.choice(["2022-03-15T10:00", "2022-04-01T10:00", "2022-03-15 9:00", "", 5]),
            rng.choice(["Seen on A wing.", "", "  ", "bell\x07", "x" * 100_001, 2.5]),
            rng.choice(["", "ROTL;gym", 7]),
        )
        for _ in range(300)
    ]
    conn = sqlite3.connect(hull_path)
    with conn:
        conn.execute("DELETE FROM note")
        conn.executemany(
            "INSERT INTO note (id, version, source, taken_at, text, tags, author) "
            f"VALUES (?, '{STAMP}', ?, ?, ?, ?, 'Hand')",
            rows,
        )
    conn.close()
    with VisitFile.open(hull_path, readonly=True) as visit:
        fast = list(audit.note_findings(visit))
        context = notes.NoteContext(visit_dates(visit), team=team_names(visit), stored=True)
        every = []
        for row in visit.conn.execute(
            "SELECT source, taken_at, text, tags FROM note WHERE deleted = 0"
        ):
            source, taken_at, text, tags = map(audit._text, row)
            # every rule of the kind, as every path asks them (issue 25): 'Hand' is on no
            # team, which a stored note is warned of
            note = notes.Note(source, taken_at, text, tags, "", "Hand")
            for verdict in notes.verdicts(note, context)[1]:
                every.append(audit.Found("note", f"by Hand at {taken_at}", verdict))
    assert sorted(map(_said, fast)) == sorted(map(_said, every))
    assert len(fast) > 150 and {f.record[0] for f in fast} == {"note"}


def test_the_fast_paths_are_taken_away_afterwards(hull_path: Path) -> None:
    """Registered for one reading only, also when the reading stops early."""
    with VisitFile.open(hull_path, readonly=True) as visit:
        for name, findings in (
            (audit.PERIOD_FINE, audit.period_findings(visit)),
            (audit.NOTE_FINE, audit.note_findings(visit)),
        ):
            list(findings)
            with pytest.raises(sqlite3.OperationalError):
                visit.conn.execute(f"SELECT {name}(1, 2, 3, 4)")
