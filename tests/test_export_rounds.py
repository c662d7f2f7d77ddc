"""The export's locked_up_by_round read from the kept roll tallies (issue 24): no roll
check is read for it when the visit keeps them, and what it holds is what its SELECT
over the exported roll checks gives, kept or not, redacted or not, one visit or several,
a round with no time of its own (its first check's then)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.domain.roll_checks import RollCounts
from irp_field.evidence import roll_checks, rounds, setup
from irp_field.interchange import export_database
from irp_field.interchange.export import export_visits
from irp_field.interchange.export_database import BY_NAME

KEY = "3f9a0c27d1b84e6e95c2a7f04b13d8e6a1c9f2b7e4d05a83c6b1f9e2d7a40c58"


def _reads_while_finishing(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """Each statement's target (``INSERT table``) -> the tables it reads, for every
    statement run on the analyst database once the visits are copied."""
    reads: dict[str, set[str]] = {}
    real = export_database.finish

    def watched(db: export_database.AnalystDatabase, *args: Any, **kwargs: Any) -> None:
        target = [""]

        def note(action: int, first: str | None, *_: object) -> int:
            if action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE):
                target[0] = f"{action} {first}"
            elif action == sqlite3.SQLITE_READ and first:
                reads.setdefault(target[0], set()).add(first)
            return sqlite3.SQLITE_OK

        db.conn.set_authorizer(note)
        try:
            real(db, *args, **kwargs)
        finally:
            db.conn.set_authorizer(None)

    monkeypatch.setattr(export_database, "finish", watched)
    return reads


def _by_round(path: Path) -> tuple[list[Any], list[Any]]:
    """An exported database's locked_up_by_round, and its SELECT over its roll checks."""
    conn = sqlite3.connect(path)
    table = BY_NAME["locked_up_by_round"]
    held = conn.execute(f"SELECT {', '.join(table.names)} FROM {table.name} ORDER BY rowid")
    return held.fetchall(), conn.execute(table.select).fetchall()


def _unkept(path: Path) -> None:
    """The tallies no longer this version's (a trigger another tool dropped)."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TRIGGER roll_check_tallies_changed")
    conn.close()


def test_locked_up_by_round_reads_the_kept_tallies_and_no_roll_check(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _reads_while_finishing(monkeypatch)
    export_visits([hull_path], "sqlite", tmp_path / "h.sqlite")
    made = {target: found for target, found in reads.items() if "locked_up_by_round" in target}
    assert made and all("roll_check" not in found for found in made.values())
    assert not any("roll_check" in found for target, found in reads.items() if "irp_" in target)
    held, summed = _by_round(tmp_path / "h.sqlite")
    assert len(held) > 3 and held == summed


@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redacted"])
def test_a_visit_whose_tallies_are_not_kept_is_summed_from_its_checks(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, redact: bool
) -> None:
    asked: dict[str, Any] = {"redact": True, "organisation_key": KEY} if redact else {}
    export_visits([hull_path], "sqlite", tmp_path / "kept.sqlite", **asked)
    _unkept(hull_path)
    reads = _reads_while_finishing(monkeypatch)
    export_visits([hull_path], "sqlite", tmp_path / "summed.sqlite", **asked)
    assert any("roll_check" in found for target, found in reads.items() if "irp_" in target)
    kept, summed = _by_round(tmp_path / "kept.sqlite"), _by_round(tmp_path / "summed.sqlite")
    assert kept[0] == kept[1] == summed[0] == summed[1] and len(kept[0]) > 3


def _one_round(visit: VisitFile, name: str, at_time: str) -> None:
    setup.add_location(visit, "A wing", kind="wing", capacity=100)
    setup.add_location(visit, "B wing", kind="wing", capacity=100)
    rounds.start_round(visit, name, "2022-03-15", at_time)
    for place, taken_at in (("B wing", "2022-03-15T10:09"), ("A wing", "2022-03-15T10:04")):
        counts = RollCounts(roll=50, locked_up=20, off_wing_activity=30, wing_work=0,
                            unlocked_on_wing=0, elsewhere=0)  # fmt: skip
        roll_checks.record_roll_check(
            visit, location_id=place, counts=counts, taken_at=taken_at, round_label=name
        )


def test_a_round_without_its_own_time_starts_at_its_first_check_with_others_kept(
    hull_path: Path, empty_visit: VisitFile, tmp_path: Path
) -> None:
    """Hull keeps its tallies; the other visit has a round whose time was blanked by a
    hand: summed from its checks, beside Hull's kept sums, in one table."""
    _one_round(empty_visit, "Tue AM", "10:00")
    other = empty_visit.path
    empty_visit.close()
    conn = sqlite3.connect(other)
    with conn:
        conn.execute("UPDATE roll_round SET at_time = ''")
    conn.close()
    export_visits([hull_path, other], "sqlite", tmp_path / "both.sqlite")
    held, summed = _by_round(tmp_path / "both.sqlite")
    assert held == summed
    [(visit_id,)] = sqlite3.connect(tmp_path / "both.sqlite").execute(
        "SELECT visit_id FROM visit WHERE establishment = 'HMP Test'"
    )
    assert [row[1:5] for row in held if row[0] == visit_id] == [
        ("Tue AM", "2022-03-15T10:04", 100, 40)
    ]


def test_a_file_without_its_rounds_table_is_summed_from_its_checks(
    empty_visit: VisitFile, tmp_path: Path
) -> None:
    """A hand dropped the rounds' table, the tallies left as they were: the checks are
    exported without round names, and their sums as the checks give them."""
    _one_round(empty_visit, "Tue AM", "10:00")
    path = empty_visit.path
    empty_visit.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TABLE roll_round")
    conn.close()
    export_visits([path], "sqlite", tmp_path / "v.sqlite")
    held, summed = _by_round(tmp_path / "v.sqlite")
    assert held == summed and [row[1:5] for row in held] == [(None, "2022-03-15T10:04", 100, 40)]


def _whole_and_partial(visit: VisitFile) -> None:
    """Three wings: Mon AM counts all three, Mon PM only two (a wing left out)."""
    for place in ("A wing", "B wing", "C wing"):
        setup.add_location(visit, place, kind="wing", capacity=100)
    for name, at_time, places in (
        ("Mon AM", "10:00", ("A wing", "B wing", "C wing")),
        ("Mon PM", "14:45", ("A wing", "B wing")),
    ):
        rounds.start_round(visit, name, "2022-03-14", at_time)
        for place in places:
            counts = RollCounts(roll=50, locked_up=20, off_wing_activity=30, wing_work=0,
                                unlocked_on_wing=0, elsewhere=0)  # fmt: skip
            roll_checks.record_roll_check(
                visit, location_id=place, counts=counts, taken_at=f"2022-03-14T{at_time}",
                round_label=name,
            )  # fmt: skip


@pytest.mark.parametrize("kept", [True, False], ids=["kept tallies", "summed from checks"])
@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redacted"])
def test_each_round_says_whether_it_was_whole_as_the_figures_count_them(
    empty_visit: VisitFile, tmp_path: Path, kept: bool, redact: bool
) -> None:
    """The report's range is of whole rounds alone (a wing left out of a round would set
    its top): an analyst recomputing it from locked_up_by_round needs to know which
    rounds were whole. The overview said "2 partial left out"; the export did not."""
    from irp_field.figures import compute

    _whole_and_partial(empty_visit)
    partial = compute(empty_visit)["roll.rounds_partial"].value
    path = empty_visit.path
    empty_visit.close()
    if not kept:
        _unkept(path)
    asked: dict[str, Any] = {"redact": True, "organisation_key": KEY} if redact else {}
    export_visits([path], "sqlite", tmp_path / "v.sqlite", **asked)
    held, summed = _by_round(tmp_path / "v.sqlite")
    assert held == summed
    names = BY_NAME["locked_up_by_round"].names
    assert names[-1] == "whole"
    assert [(row[1], row[3], row[-1]) for row in held] == [("Mon AM", 150, 1), ("Mon PM", 100, 0)]
    assert partial == sum(1 for row in held if not row[-1]) == 1
