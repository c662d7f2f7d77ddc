"""The kept time-out-of-cell day totals trusted only where the file was made here.

A file from elsewhere whose kept subject-day totals (``toc_day``) a hand set to 900
minutes a day showed 15 hours in `figures` where its periods give 3.3, and `check` said
"no warnings". Trust what a file holds, never what it says about itself: as the roll
tallies are (tests/test_tallies_trust.py), a file this installation did not last write
(or find sound) has its days totalled again from its periods at its first reading
(``core.kept_totals``, one decision for both); a reader totals the periods when they
differ, a writer's opening totals the days again, and `check` names the drift.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from merge_helpers import cp, edit_by_hand
from refusal_helpers import every_reader_gives_the_same, output_of

from irp_field.core import day_totals, kept_totals, sound_files
from irp_field.core.connection import connect
from irp_field.core.visit_file import VisitFile

FORGED = "UPDATE toc_day SET minutes = 900"  # 15 hours on every subject-day


def _hours(path: Path) -> str:
    return str(
        json.loads(output_of("figures", str(path), "--json"))["toc.hours_per_day"]["display"]
    )


def _elsewhere(hull_path: Path, folder: Path, *statements: str) -> Path:
    folder.mkdir()
    copy = cp(hull_path, folder / "HULL.db")
    if statements:
        edit_by_hand(copy, *statements)
    return copy


@pytest.fixture
def honest_and_forged(hull_path: Path, tmp_path: Path, irp_home: Path) -> tuple[Path, Path]:
    """The Hull sample twice, as copies from elsewhere: one as it is, one whose kept day
    totals a hand set to 900 minutes (its periods as they were). The forgery is there to
    be read, so the tests below could fail."""
    honest = _elsewhere(hull_path, tmp_path / "honest")
    forged = _elsewhere(hull_path, tmp_path / "forged", FORGED)
    conn = sqlite3.connect(forged)
    try:
        kept = conn.execute("SELECT AVG(minutes) FROM toc_day").fetchone()[0]
        made = conn.execute(
            f"SELECT AVG(minutes) FROM ({day_totals.live_days_sql(day_totals.ALL_PERIODS)})"
        ).fetchone()[0]
    finally:
        conn.close()
    assert kept == 900 and made < 300
    return honest, forged


def test_every_reader_of_a_forged_file_reads_its_periods(
    honest_and_forged: tuple[Path, Path], tmp_path: Path
) -> None:
    """The figures, the report, the CSV export and a combined one of the forged file are
    the honest file's, byte for byte."""
    honest, forged = honest_and_forged
    truth = every_reader_gives_the_same(honest, forged, tmp_path)
    assert json.loads(truth["figures"])["toc.hours_per_day"]["display"] != "15"
    assert "toc_day.csv" in truth["csv"] and "figure.csv" in truth["csv"]


def test_check_names_the_file_and_the_days_that_drifted(
    honest_and_forged: tuple[Path, Path],
) -> None:
    honest, forged = honest_and_forged
    assert "no warnings" in output_of("check", str(honest))
    found = json.loads(output_of("check", str(forged), "--json", code=1))
    drifted = [line for line in found["problems"] if line.startswith("time out of cell:")]
    assert len(drifted) == 6, found["problems"]  # five days named, then the rest counted
    first = drifted[0]
    assert "HULL.db" in first and "subject " in first and " on 2022-03-1" in first, first
    assert "kept group" in first and "900 minutes" in first, first
    assert "more subject-days whose kept totals differ" in drifted[-1]
    conn = sqlite3.connect(forged)
    try:
        subject, on_date, group = conn.execute(
            "SELECT subject, on_date, subject_group FROM toc_day ORDER BY subject, on_date"
        ).fetchone()
    finally:
        conn.close()
    assert f"subject {subject} on {on_date}: kept group {group}, 900 minutes" in first, first


def test_a_writer_totals_forged_days_again(honest_and_forged: tuple[Path, Path]) -> None:
    """The first opening to write totals every day again from the periods (a kept day
    no period gives goes too), so the file is exact again and read from its totals."""
    _, forged = honest_and_forged
    edit_by_hand(
        forged,
        "INSERT INTO toc_day (subject, on_date, subject_group, minutes, open_air_minutes) "
        "VALUES ('Z99', '2022-03-15', 'Ghosts', 600, 60)",
    )
    VisitFile.open(forged).close()
    conn = sqlite3.connect(forged)
    try:
        held = conn.execute("SELECT * FROM toc_day ORDER BY subject, on_date").fetchall()
        made = f"{day_totals.live_days_sql(day_totals.ALL_PERIODS)} ORDER BY 1, 2"
        assert held == conn.execute(made).fetchall()
        assert conn.execute("SELECT COUNT(*) FROM toc_day_stale").fetchone()[0] == 0
    finally:
        conn.close()
    assert sound_files.still_sound(forged, sound_files.look(forged))
    assert "no warnings" in output_of("check", str(forged))


@pytest.mark.parametrize("value", ["9e999", "'lots'", str(2**62), "2000"])
def test_kept_days_no_day_holds_from_elsewhere_give_the_periods_figures(
    hull_path: Path, tmp_path: Path, irp_home: Path, value: str
) -> None:
    """Kept totals no day could hold, in a file from elsewhere: not refused (as a file
    found sound here is, tests/test_hostile_numbers.py), but read from its periods."""
    honest = _elsewhere(hull_path, tmp_path / "honest")
    forged = _elsewhere(hull_path, tmp_path / "forged", f"UPDATE toc_day SET minutes = {value}")
    assert output_of("figures", str(forged), "--json") == output_of(
        "figures", str(honest), "--json"
    )


def _period_passes(path: Path) -> list[str]:
    """The passes over every period (the days totalled from them) that reading the
    figures made."""
    from irp_field import figures

    with VisitFile.open(path, readonly=True, check_pages=False) as visit:
        statements: list[str] = []
        visit.conn.set_trace_callback(statements.append)
        with visit.pages_checked():
            figures.compute(visit)
        visit.conn.set_trace_callback(None)
    return [s for s in statements if f"FROM {day_totals.ALL_PERIODS}" in s]


def test_days_are_totalled_again_once_after_another_hand_and_never_on_our_own_file(
    honest_and_forged: tuple[Path, Path],
) -> None:
    """The cost stays off the hot path: a file this installation wrote is read from its
    kept totals (no pass over the periods); a file from elsewhere whose totals agree is
    totalled once, at its first reading, and then known sound; one that does not agree
    is totalled at every reading (nothing of it is remembered)."""
    honest, forged = honest_and_forged
    assert len(_period_passes(honest)) == 1  # from elsewhere: the comparison's
    assert sound_files.still_sound(honest, sound_files.look(honest))
    assert _period_passes(honest) == []  # then known sound
    assert _period_passes(honest) == []
    assert _period_passes(forged)
    assert not sound_files.still_sound(forged, sound_files.look(forged))
    assert _period_passes(forged)
    VisitFile.open(forged).close()  # written here: totalled again, known sound
    assert _period_passes(forged) == []
    assert _hours(forged) == _hours(honest)


@pytest.mark.parametrize("two_connections", [False, True])
def test_a_forged_day_is_found_whichever_way_the_first_opening_sums(
    hull_path: Path, tmp_path: Path, two_connections: bool
) -> None:
    """A large file's first opening sums the roll rounds on a second connection beside
    the rest: a hand's change to one day's open-air minutes alone is found either way;
    the honest file agrees both ways."""
    forged = cp(hull_path, tmp_path / "forged.db")
    edit_by_hand(
        forged,
        "UPDATE toc_day SET open_air_minutes = open_air_minutes + 1 "
        "WHERE subject = (SELECT max(subject) FROM toc_day)",
    )
    for path, agrees in ((hull_path, True), (forged, False)):
        conn = connect(path, readonly=True)
        try:
            beside = (lambda p=path: connect(p, readonly=True)) if two_connections else None
            assert kept_totals.agree(conn, beside=beside) is agrees, path
        finally:
            conn.close()


def test_a_large_files_first_reading_splits_its_passes_and_still_finds_the_forgery(
    honest_and_forged: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reading that skipped the opening's page check asks at its first reading; a large
    file's passes then split over two connections (as the opening's): the forged days
    are found there too, and the figures are the periods'."""
    from irp_field import figures
    from irp_field.core import roll_tallies

    monkeypatch.setattr(roll_tallies, "BESIDE_FROM_BYTES", 0)  # every file is large
    read: dict[Path, dict[str, object]] = {}
    for path in honest_and_forged:
        with VisitFile.open(path, readonly=True, check_pages=False) as visit:
            with visit.pages_checked():
                read[path] = {k: f.as_json() for k, f in figures.compute(visit).items()}
            assert visit.tallies_trusted() is (path == honest_and_forged[0])
    honest, forged = honest_and_forged
    assert read[forged] == read[honest]
