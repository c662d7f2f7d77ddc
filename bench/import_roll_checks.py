"""Importing 100,000 roll-check rows, beside a plain sqlite3 executemany of the same rows.

Target (foundation issue): within 3x of the floor. The floor reads the same CSV with the
csv module and inserts the same columns with executemany into a table of the same
columns, in one transaction with the same durability settings (WAL, synchronous=FULL).
"""

from __future__ import annotations

import csv
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROLL_HEADER, best_of, machine, setup_visit, write_roll_csv

from irp_field.interchange.imports import import_csv

ROWS = 100_000
TARGET = 3.0


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


def main() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        csv_path = folder / "roll.csv"
        write_roll_csv(csv_path, ROWS)
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
        f"{'OK' if ratio <= TARGET else 'MISSED'}"
    )
    print(f"machine: {machine()}")
    return {"ours": ours_time, "floor": floor_time, "ratio": ratio, "target": TARGET}


if __name__ == "__main__":
    main()
