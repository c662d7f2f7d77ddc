"""Importing roll checks, beside plain SQLite importing the same rows.

Three figures, each beside its floor measured in the same run:

- in process, 100,000 rows (foundation issue, target within 3x): the floor reads the
  same CSV with the csv module and inserts the same columns with executemany into a
  table of the same columns, in one transaction with the same durability settings (WAL,
  synchronous=FULL);
- as processes, at 100,000 and 1,000,000 rows (issue 24, aim 4, target within 5x):
  `irp-field import VISIT roll-checks FILE` into a new visit (team and locations set up,
  not timed) against the sqlite3 command line's `.import --csv FILE roll_check` into a
  new database, taken in turns, the ratio pair by pair (its median printed);
- the cost per row independent of the visit's size (issue 24): the same 100,000 new
  rows into a copy of the visit of 1,000,000 checks the second figure made, against
  into an empty visit, in turns (target within 1.5x).

    python bench/import_roll_checks.py          # all three (about five minutes)
    python bench/import_roll_checks.py --quick  # 100,000 rows only, no 1,000,000
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    ROLL_HEADER,
    best_of,
    import_command,
    machine,
    run_measured,
    setup_visit,
    write_roll_csv,
)

from irp_field.interchange.imports import import_csv

ROWS = 100_000
TARGET = 3.0  # in process, against executemany (foundation)
PROCESS_TARGET = 5.0  # as processes, against sqlite3 .import (issue 24)
GROWTH_TARGET = 1.5  # 100,000 rows into 1,000,000 checks against into none
FIRST_OPEN = (
    "import sys; from irp_field.core.visit_file import VisitFile; "
    "VisitFile.open(sys.argv[1], readonly=True).close()"
)
BIG = 1_000_000
TURNS = {ROWS: 3, BIG: 1}


def floor(csv_path: Path, db_path: Path) -> None:
    db_path.unlink(missing_ok=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"CREATE TABLE roll_check ({', '.join(ROLL_HEADER)})")
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = list(reader)
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO roll_check VALUES ({', '.join('?' * len(ROLL_HEADER))})", rows)
    conn.execute("COMMIT")
    conn.close()


def in_process(folder: Path, csv_path: Path) -> dict[str, float]:
    floor_time = best_of(3, lambda: floor(csv_path, folder / "floor.db"))
    timings = []
    for attempt in range(3):
        with setup_visit(folder, f"v{attempt}.db") as visit:  # not timed: a new visit
            start = time.perf_counter()
            import_csv(visit, "roll-checks", csv_path)
            timings.append(time.perf_counter() - start)
    ours_time = min(timings)
    ratio = ours_time / floor_time
    print(
        f"import {ROWS:,} roll checks: {ours_time:.3f} s; sqlite3 executemany floor "
        f"{floor_time:.3f} s; ratio {ratio:.2f}x (target <= {TARGET}x) "
        f"{'OK' if ratio <= TARGET else 'MISSED'}",
        flush=True,
    )
    return {"ours": ours_time, "floor": floor_time, "ratio": ratio, "target": TARGET}


def _fresh(path: Path) -> Path:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return path


def sqlite_import(sqlite3_cli: str, csv_path: Path, db_path: Path) -> float:
    """The sqlite3 command line importing the CSV into a new table (its header names the
    columns), a process of its own."""
    command = [sqlite3_cli, str(_fresh(db_path)), f'.import --csv "{csv_path}" roll_check']
    return run_measured(command).seconds


def new_visit(folder: Path, name: str) -> Path:
    _fresh(folder / name)
    setup_visit(folder, name).close()
    return folder / name


def _line(what: str, ours: list[float], peer: str, theirs: list[float], target: float) -> float:
    ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
    print(
        f"{what}: {statistics.median(ours):.2f} s (median of {len(ours)}); {peer} "
        f"{statistics.median(theirs):.2f} s; ratio {ratio:.2f}x (target <= {target}x) "
        f"{'OK' if ratio <= target else 'MISSED'}",
        flush=True,
    )
    return ratio


def as_processes(folder: Path, sizes: tuple[int, ...], sqlite3_cli: str) -> dict[str, float]:
    """``irp-field import`` against ``sqlite3 .import`` in turns, at each size; the last
    visit of the largest size is kept as ``big.db`` for :func:`growth`."""
    found: dict[str, float] = {}
    for rows in sizes:
        csv_path = folder / f"roll-{rows}.csv"
        write_roll_csv(csv_path, rows)
        ours, theirs = [], []
        for turn in range(TURNS[rows]):
            visit = new_visit(folder, f"p{rows}-{turn}.db")
            ours.append(run_measured(import_command(visit, csv_path)).seconds)
            theirs.append(sqlite_import(sqlite3_cli, csv_path, folder / "cli.db"))
            if rows == BIG:
                visit.replace(folder / "big.db")
            else:
                _fresh(visit)
        found[f"process_{rows}"] = _line(
            f"irp-field import of {rows:,} roll checks, a fresh process",
            ours,
            "sqlite3 .import --csv",
            theirs,
            PROCESS_TARGET,
        )
        csv_path.unlink()
    return found


def growth(folder: Path) -> float:
    """The same 100,000 new checks (rounds the big visit has not) into the big visit and
    into an empty one, in turns, as processes."""
    csv_path = folder / "more.csv"
    write_roll_csv(csv_path, ROWS, first=BIG)
    into_big, into_empty, first_open = [], [], []
    for _ in range(TURNS[ROWS]):
        copy = shutil.copyfile(folder / "big.db", _fresh(folder / "big-copy.db"))
        # A copy is a file from elsewhere: its first opening reads every page and sums its
        # tallies again (once a file). The empty visit was made here, so is known sound:
        # the copy is opened once first, untimed in the ratio, so that both imports are
        # into a visit of this installation's, as an inspector's own visit is.
        first_open.append(run_measured([sys.executable, "-c", FIRST_OPEN, str(copy)]).seconds)
        into_big.append(run_measured(import_command(copy, csv_path)).seconds)
        empty = new_visit(folder, "empty.db")
        into_empty.append(run_measured(import_command(empty, csv_path)).seconds)
    ratio = _line(
        f"the same {ROWS:,} rows into a visit of {BIG:,} checks",
        into_big,
        "into an empty visit",
        into_empty,
        GROWTH_TARGET,
    )
    print(
        f"  (the copy's first opening here, before it: {statistics.median(first_open):.2f} s, "
        "its pages read and its tallies summed again, once a file from elsewhere)",
        flush=True,
    )
    return ratio


def main(quick: bool = False) -> dict[str, float]:
    sqlite3_cli = shutil.which("sqlite3")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        csv_path = folder / "roll.csv"
        write_roll_csv(csv_path, ROWS)
        found = in_process(folder, csv_path)
        if sqlite3_cli is None:
            print("the sqlite3 command line is not on this machine: no .import floor")
        else:
            sizes = (ROWS,) if quick else (ROWS, BIG)
            found.update(as_processes(folder, sizes, sqlite3_cli))
            if not quick:
                found["growth"] = growth(folder)
    print(f"machine: {machine()}")
    return found


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 rows only")
    main(parser.parse_args().quick)
