"""Importing 2,000,000 roll checks: the peak memory of `irp-field import`, and its time.

Target (streaming-import issue): a peak of at most 300 MB (before the streaming rewrite
it was 2.8 GB). Every figure is a fresh process, measured in the same run:

- `irp-field import VISIT roll-checks roll.csv` into a new visit (team and locations
  only): its peak resident memory (the child's ``ru_maxrss`` from ``wait4``) and time;
- the peer: `python -c "import irp_field.interchange.imports"`, the memory any import
  pays before it reads a row (Python, sqlite3 and our modules);
- the time floor: Python's csv module streaming the same rows into sqlite3's
  executemany, into a table of the same columns in one transaction with the same
  durability settings (WAL, synchronous=FULL), and its own peak;
- the first tenth of the rows imported on its own: the same peak says that memory does
  not grow with the file.

The 2,000,000-row CSV and the visit the import leaves are kept in a temporary folder for
the check benchmark (`bench/check_speed.py`); `python bench/run.py` removes it after.
"""

from __future__ import annotations

import csv
import itertools
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BIG_FOLDER,
    BIG_ROWS,
    ROLL_HEADER,
    big_csv,
    big_visit_imported,
    compile_package,
    empty_big_visit,
    import_command,
    machine,
    run_measured,
    setup_visit,
)

TARGET_MB = 300


def floor(csv_path: Path, db_path: Path) -> None:
    """The csv module's rows straight into executemany, streamed (run in a fresh process)."""
    for leftover in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"CREATE TABLE roll_check ({', '.join(ROLL_HEADER)})")
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        conn.execute("BEGIN")
        placeholders = ", ".join("?" * len(ROLL_HEADER))
        conn.executemany(f"INSERT INTO roll_check VALUES ({placeholders})", reader)
        conn.execute("COMMIT")
    conn.close()


def _tenth(csv_path: Path) -> tuple[Path, Path]:
    """The first tenth of the rows as a CSV of their own, and a new visit to import it into:
    the peak at a tenth of the file shows whether memory grows with it."""
    path = BIG_FOLDER / "tenth.csv"
    with csv_path.open(encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        out.writelines(itertools.islice(source, BIG_ROWS // 10 + 1))  # one line per row here
    visit = BIG_FOLDER / "tenth.db"
    for leftover in (visit, Path(f"{visit}-wal"), Path(f"{visit}-shm")):
        leftover.unlink(missing_ok=True)
    setup_visit(BIG_FOLDER, visit.name).close()
    return path, visit


def main() -> dict[str, float]:
    compile_package()
    csv_path = big_csv()  # written once, kept for the check benchmark
    peer = run_measured([sys.executable, "-c", "import irp_field.interchange.imports"])
    floor_db = BIG_FOLDER / "floor.db"
    floored = run_measured([sys.executable, __file__, "--floor", str(csv_path), str(floor_db)])
    floor_db.unlink(missing_ok=True)
    tenth_csv, tenth_visit = _tenth(csv_path)
    tenth = run_measured(import_command(tenth_visit, tenth_csv))
    tenth_visit.unlink()
    ours = run_measured(import_command(empty_big_visit(), csv_path))
    big_visit_imported()
    if ours.peak_bytes is None:
        verdict = "not measured on this platform"
    else:
        verdict = "OK" if ours.peak_bytes <= TARGET_MB * 2**20 else "MISSED"
    print(
        f"irp-field import of {BIG_ROWS:,} roll checks, a fresh process: peak {ours.peak_mb}, "
        f"{ours.seconds:.1f} s; peer python -c 'import irp_field.interchange.imports' peak "
        f"{peer.peak_mb}; target peak <= {TARGET_MB} MB {verdict}"
    )
    print(
        f"the first tenth ({BIG_ROWS // 10:,} rows) on its own: peak {tenth.peak_mb}, "
        f"{tenth.seconds:.1f} s"
    )
    print(
        f"time floor, the csv module streaming the same rows into sqlite3 executemany (one "
        f"transaction, WAL, synchronous=FULL): {floored.seconds:.1f} s, peak {floored.peak_mb}; "
        f"ratio {ours.seconds / floored.seconds:.2f}x (no target at this size; see the "
        "100,000-row import)"
    )
    print(f"machine: {machine()}")
    return {
        "peak_mb": (ours.peak_bytes or 0) / 2**20,
        "seconds": ours.seconds,
        "floor": floored.seconds,
        "target_mb": TARGET_MB,
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--floor"]:
        floor(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
