"""`irp-field figures` on a visit of 100,000 roll checks and 100,000 time-out-of-cell periods.

Target (foundation issue): under 0.5 s for computing every figure. Printed beside its
floor measured in the same run: one bare SQL pass over the same rows (COUNT and SUM of
every column), which any aggregation must at least read.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, machine, setup_visit, write_roll_csv, write_toc_csv

from irp_field import figures
from irp_field.store.imports import import_csv
from irp_field.store.visit_file import VisitFile

ROWS = 100_000
TARGET_SECONDS = 0.5


def main() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        write_roll_csv(folder / "roll.csv", ROWS)
        write_toc_csv(folder / "toc.csv", ROWS)
        with setup_visit(folder) as visit:
            import_csv(visit, "roll-checks", folder / "roll.csv")
            import_csv(visit, "time-out-of-cell", folder / "toc.csv")
            path = visit.path
        with VisitFile.open(path, readonly=True) as visit:

            def floor() -> None:
                visit.query(
                    "SELECT COUNT(*), SUM(roll), SUM(locked_up), SUM(off_wing_activity), "
                    "SUM(wing_work), SUM(unlocked_on_wing), SUM(elsewhere) FROM roll_check"
                )
                visit.query(
                    "SELECT COUNT(*), SUM(length(start_time)), SUM(length(end_time)) "
                    "FROM toc_period"
                )

            floor_time = best_of(5, floor)
            ours_time = best_of(5, lambda: figures.compute(visit))
            start = time.perf_counter()
            count = len(figures.compute(visit))
            once = time.perf_counter() - start
    print(
        f"figures on {ROWS:,} roll checks + {ROWS:,} periods ({count} figures): "
        f"{ours_time:.3f} s (first-seen {once:.3f} s); one-pass SQL floor {floor_time:.3f} s; "
        f"ratio {ours_time / floor_time:.1f}x; target < {TARGET_SECONDS} s "
        f"{'OK' if ours_time < TARGET_SECONDS else 'MISSED'}"
    )
    print(f"machine: {machine()}")
    return {"ours": ours_time, "floor": floor_time, "target": TARGET_SECONDS}


if __name__ == "__main__":
    main()
