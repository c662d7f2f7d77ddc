"""`irp-field check` on a visit of 2,000,000 roll checks, beside SQLite's own
``PRAGMA integrity_check`` of the same file in the same run.

Target (streaming-import issue): `check` within 3x of `integrity_check` (before, it took
about two minutes). Both are fresh processes, as an inspector runs them, taking turns
(median of 5, after one run each to warm the file cache):

- `irp-field check VISIT`: integrity_check on a second connection beside the reading of
  every live record through its domain rule;
- the peer: `python -c "import sqlite3; sqlite3.connect(VISIT).execute('PRAGMA
  integrity_check').fetchall()"`: SQLite alone, with Python's start-up.

What bounds it, measured in this process with the file open (fastest of 3): the rules'
reading alone (`audit.everything`), integrity_check alone, and the two together as
`check_visit` runs them.

The visit is the one the import-memory benchmark leaves (`bench/import_memory.py`),
imported here when this runs alone. ``--rows N`` (given once or more, e.g. ``--rows 100000
--rows 200000``) measures visits of N roll checks and N/10 periods instead, built here
(``setup_visit``, then the roll checks and time out of cell imported from the common
CSVs) and kept in the temporary folder for the next run: aim 5 of issue 24 asks for 3x
from 100,000 checks up, where Python's start-up and the whole-table passes weigh more.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BIG_ROWS,
    Measured,
    best_of,
    big_visit,
    compile_package,
    irp_field_command,
    machine,
    run_measured,
    setup_visit,
    write_roll_csv,
    write_toc_csv,
)

TARGET = 3.0
RUNS = 5


def _in_process(path: Path) -> dict[str, float]:
    from irp_field.api.check import check_visit
    from irp_field.core.visit_file import VisitFile
    from irp_field.evidence import audit

    with VisitFile.open(path, readonly=True, check_pages=False) as visit:
        return {
            "audit": best_of(3, lambda: list(audit.everything(visit))),
            "integrity": best_of(3, lambda: visit.query("PRAGMA integrity_check")),
            "check_visit": best_of(3, lambda: check_visit(visit)),
        }


def visit_of(rows: int) -> Path:
    """A visit of ``rows`` roll checks and ``rows // 10`` periods (built once, then kept)."""
    from irp_field.interchange.imports import import_csv

    folder = Path(tempfile.gettempdir()) / f"irp-field-bench-check-{rows}"
    path, done = folder / "visit.db", folder / "visit.db.done"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        write_roll_csv(folder / "roll.csv", rows)
        write_toc_csv(folder / "toc.csv", rows // 10)
        with setup_visit(folder, path.name) as visit:
            import_csv(visit, "roll-checks", folder / "roll.csv")
            import_csv(visit, "time-out-of-cell", folder / "toc.csv")
        done.write_text(str(rows), encoding="utf-8")
    return path


def measured(path: Path, rows: int) -> dict[str, float]:
    """`check` and the peer in turns on ``path``, printed with the ratio and the target."""
    commands = {
        "check": [*irp_field_command(), "check", str(path)],
        "peer": [
            sys.executable,
            "-c",
            "import sqlite3, sys; "
            "found = sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchall(); "
            "sys.exit(found != [('ok',)])",
            str(path),
        ],
    }
    for command in commands.values():
        run_measured(command)  # warm the file cache (and fail here if either fails)
    runs: dict[str, list[Measured]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            runs[name].append(run_measured(command))
    check, peer = (statistics.median(m.seconds for m in runs[name]) for name in commands)
    best = {name: min(m.seconds for m in found) for name, found in runs.items()}
    ratio = check / peer
    print(
        f"irp-field check on {rows:,} roll checks ({path.stat().st_size / 2**20:.0f} MB), "
        f"a fresh process, median of {RUNS}: {check:.2f} s (best {best['check']:.2f} s, peak "
        f"{runs['check'][-1].peak_mb}); python -c sqlite3 PRAGMA integrity_check {peer:.2f} s "
        f"(best {best['peer']:.2f} s); ratio {ratio:.2f}x (target <= {TARGET}x) "
        f"{'OK' if ratio <= TARGET else 'MISSED'}"
    )
    inside = _in_process(path)
    print(
        f"with the file open, fastest of 3: the rules' reading alone {inside['audit']:.2f} s, "
        f"integrity_check alone {inside['integrity']:.2f} s, both as check runs them (side "
        f"by side on two connections) {inside['check_visit']:.2f} s"
    )
    return {"check": check, "peer": peer, "ratio": ratio, "target": TARGET, **inside}


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description="irp-field check beside integrity_check")
    parser.add_argument(
        "--rows",
        type=int,
        action="append",
        metavar="N",
        help="a visit of N roll checks instead of the 2,000,000 (repeatable)",
    )
    sizes = parser.parse_args(argv).rows
    compile_package()
    found: dict[str, float] = {}
    if not sizes:
        found = measured(big_visit(), BIG_ROWS)
    for rows in sizes or ():
        found |= {f"{key} {rows}": v for key, v in measured(visit_of(rows), rows).items()}
    print(f"machine: {machine()}")
    return found


if __name__ == "__main__":
    main()
