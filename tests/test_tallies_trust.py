"""The kept roll tallies trusted only where the file's pages are (hostile F8).

A file whose tallies another hand edited (every round and location saying 10% locked
up, the checks saying 40%) gave the forged figures to `figures`, the report and the
analyst's export, also combined. Trust what a file holds, never what it says about
itself: a file this installation did not last write (or find sound) has its tallies
summed again from its checks at its first reading; a reader sums the checks when they
differ, a writer sums the tallies again.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from merge_helpers import cp, edit_by_hand
from refusal_helpers import every_reader_gives_the_same, output_of

from irp_field.core import roll_tallies as kept_tallies
from irp_field.core import sound_files
from irp_field.core.visit_file import VisitFile
from irp_field.evidence import roll_tallies

FORGED = [  # what tally_lie.db holds (/work/hostile/export/make_tally_files.py)
    f"UPDATE {table} SET locked_up = roll / 10" for table in kept_tallies.TABLES
]


@pytest.fixture
def honest_and_forged(hull_path: Path, tmp_path: Path, irp_home: Path) -> tuple[Path, Path]:
    """The Hull sample twice, as copies from elsewhere: one as it is, one whose kept
    tallies a hand forged (its checks as they were)."""
    for name in ("honest", "forged"):
        (tmp_path / name).mkdir()
    honest = cp(hull_path, tmp_path / "honest" / "HULL.db")
    forged = cp(hull_path, tmp_path / "forged" / "HULL.db")
    edit_by_hand(forged, *FORGED)
    return honest, forged


def _locked_up(path: Path) -> str:
    return str(
        json.loads(output_of("figures", str(path), "--json"))["roll.pct_locked_up"]["display"]
    )


def test_the_forged_file_says_what_it_says_to_sqlite(honest_and_forged: tuple[Path, Path]) -> None:
    """The forgery is there to be read (so the tests below could fail)."""
    _, forged = honest_and_forged
    conn = sqlite3.connect(forged)
    roll, locked = conn.execute(
        "SELECT SUM(roll), SUM(locked_up) FROM roll_tally_location"
    ).fetchone()
    checks = conn.execute("SELECT SUM(locked_up) FROM roll_check WHERE deleted = 0").fetchone()[0]
    conn.close()
    assert locked < roll / 5 < checks


def test_every_reader_of_a_forged_file_reads_the_checks(
    honest_and_forged: tuple[Path, Path], tmp_path: Path
) -> None:
    """The figures, the report, the CSV export and a combined one of the forged file are
    the honest file's, byte for byte."""
    honest, forged = honest_and_forged
    truth = every_reader_gives_the_same(honest, forged, tmp_path)
    assert json.loads(truth["figures"])["roll.pct_locked_up"]["display"] == "40%"
    assert "locked_up_by_round.csv" in truth["csv"]


def test_a_kept_tally_a_hand_made_no_count_gives_the_checks_figures(
    honest_and_forged: tuple[Path, Path],
) -> None:
    """tally_text.db: a word in a kept tally, from elsewhere: summed from the checks."""
    honest, forged = honest_and_forged
    edit_by_hand(
        forged,
        *(
            f"UPDATE {t} SET locked_up = 'lots' WHERE {k} = (SELECT min({k}) FROM {t})"
            for t, k in kept_tallies.TABLES.items()
        ),
    )
    assert _locked_up(forged) == _locked_up(honest) == "40%"


def test_a_writer_sums_forged_tallies_again(honest_and_forged: tuple[Path, Path]) -> None:
    """The inspector's own file, changed by another hand: the first opening to write
    sums the tallies again from the checks (every tally, the inspectors' too), so the
    file is exact again and its later readings read the tallies."""
    _, forged = honest_and_forged
    VisitFile.open(forged).close()
    conn = sqlite3.connect(forged)
    try:
        for table in kept_tallies.TABLES:
            key = kept_tallies.TABLES[table]
            held = conn.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
            summed = conn.execute(f"{kept_tallies.summed_sql(table)} ORDER BY 1").fetchall()
            assert held == summed, table
    finally:
        conn.close()
    with VisitFile.open(forged, readonly=True) as visit:
        assert roll_tallies.kept(visit)


def _roll_check_passes(path: Path) -> list[str]:
    """The grouped passes over every roll check that reading the figures made."""
    from irp_field import figures

    with VisitFile.open(path, readonly=True, check_pages=False) as visit:
        statements: list[str] = []
        visit.conn.set_trace_callback(statements.append)
        with visit.pages_checked():
            figures.compute(visit)
        visit.conn.set_trace_callback(None)
    return [s for s in statements if "FROM roll_check" in s and "GROUP BY" in s]


def test_tallies_are_summed_again_once_after_another_hand_and_never_on_our_own_file(
    honest_and_forged: tuple[Path, Path],
) -> None:
    """The cost stays off the hot path: a file this installation wrote is read from its
    tallies (no pass over the checks); a file from elsewhere whose tallies agree is
    summed once, at its first reading, and then known sound; one that does not agree
    is summed at every reading (nothing of it is remembered)."""
    honest, forged = honest_and_forged
    assert _roll_check_passes(honest)  # from elsewhere: summed at its first reading
    assert sound_files.still_sound(honest, sound_files.look(honest))
    assert _roll_check_passes(honest) == []  # then known sound
    assert _roll_check_passes(forged)
    assert not sound_files.still_sound(forged, sound_files.look(forged))
    assert _roll_check_passes(forged)
    VisitFile.open(forged).close()  # written here: summed again, known sound
    assert _roll_check_passes(forged) == []


@pytest.mark.parametrize("table", list(kept_tallies.TABLES))
@pytest.mark.parametrize("two_connections", [False, True])
def test_a_forgery_in_any_one_tally_is_found_whichever_connection_sums_it(
    hull_path: Path, tmp_path: Path, table: str, two_connections: bool
) -> None:
    """The first opening's passes split between two connections (the rounds' beside, the
    others here): a hand's change to one tally alone, whichever connection sums it, is
    found; the honest file agrees both ways."""
    from irp_field.core.connection import connect

    forged = cp(hull_path, tmp_path / "forged.db")
    edit_by_hand(forged, f"UPDATE {table} SET checks = checks + 1")
    for path, agrees in ((hull_path, True), (forged, False)):
        conn = connect(path, readonly=True)
        try:
            beside = (lambda p=path: connect(p, readonly=True)) if two_connections else None
            assert kept_tallies.agree(conn, beside=beside) is agrees, (path, table)
        finally:
            conn.close()
