"""`irp-field figures` on a visit of 100,000 roll checks and 100,000 time-out-of-cell periods.

Target (foundation issue): under 0.5 s. Measured two ways, in the same run:

- the command itself, a fresh process each time as an inspector runs it (`--json`, and
  the rich table), median of 7, taking turns with `python -c "import sqlite_utils"`,
  the start-up any Python tool of ours pays;
- computing every figure in a process that has the file open (fastest of 5), beside the
  one-pass SQL floor (COUNT and SUM of every column, which any aggregation must at least
  read) and beside the same computation with the time-out-of-cell figures worked out
  from the 100,000 periods instead of the kept subject-day totals (what they buy).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, compile_package, machine, setup_visit, write_roll_csv, write_toc_csv

from irp_field import figures
from irp_field.core.visit_file import VisitFile
from irp_field.domain.roll_checks import COUNT_FIELDS
from irp_field.evidence import toc_days
from irp_field.interchange.imports import import_csv

ROWS = 100_000
TARGET_SECONDS = 0.5
RUNS = 7


def _irp_field() -> list[str]:
    script = Path(sys.executable).with_name("irp-field")
    if script.exists():
        return [str(script)]
    found = shutil.which("irp-field")
    return [found] if found else [sys.executable, "-m", "irp_field"]


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def _commands(path: Path) -> dict[str, float]:
    commands = {
        "json": [*_irp_field(), "figures", str(path), "--json"],
        "table": [*_irp_field(), "figures", str(path)],
        "peer": [sys.executable, "-c", "import sqlite_utils"],
    }
    for command in commands.values():
        _time(command)  # warm the file cache
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            timings[name].append(_time(command))
    return {name: statistics.median(found) for name, found in timings.items()}


def main() -> dict[str, float]:
    compile_package()
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
                    f"SELECT COUNT(*), {', '.join(f'SUM({c})' for c in COUNT_FIELDS)} "
                    "FROM roll_check"
                )
                visit.query(
                    "SELECT COUNT(*), SUM(length(start_time)), SUM(length(end_time)) "
                    "FROM toc_period"
                )

            floor_time = best_of(5, floor)
            ours_time = best_of(5, lambda: figures.compute(visit))
            count = len(figures.compute(visit))
            kept = toc_days.days_sql
            toc_days.days_sql = lambda visit: toc_days.live_days_sql(toc_days.ALL_PERIODS)
            from_periods = best_of(3, lambda: figures.compute(visit))
            toc_days.days_sql = kept
        command = _commands(path)
    print(
        f"irp-field figures on {ROWS:,} roll checks + {ROWS:,} periods ({count} figures), "
        f"a fresh process, median of {RUNS}: --json {command['json']:.3f} s, table "
        f"{command['table']:.3f} s; python -c 'import sqlite_utils' {command['peer']:.3f} s; "
        f"target < {TARGET_SECONDS} s {'OK' if command['table'] < TARGET_SECONDS else 'MISSED'}"
    )
    print(
        f"computing them with the file open: {ours_time:.3f} s; one-pass SQL floor "
        f"{floor_time:.3f} s (ratio {ours_time / floor_time:.1f}x); with time out of cell "
        f"from the periods instead of the kept day totals {from_periods:.3f} s"
    )
    print(f"machine: {machine()}")
    return {"ours": command["table"], "compute": ours_time, "target": TARGET_SECONDS}


if __name__ == "__main__":
    main()
