"""Each analyst export (sqlite, csv, json, xlsx) of a visit of 50,000 roll checks,
50,000 periods and 10,000 notes: the time it takes and the peak of Python's memory
(the process's peak resident size, each export in a process of its own: SQLite's memory
is not Python's, so tracemalloc would not see the in-memory database).

Every format is written from one analyst database built in memory with sqlite-utils,
row by row as the visit is read (issue 23); before, every table was read into lists
first and then copied into an in-memory database. The peak is the figure a later
streaming export (constant memory at a million rows) is to bring down.
Not a test: run ``python bench/analyst_export.py``.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, setup_visit, write_roll_csv, write_toc_csv

from irp_field.interchange.export import export_visits
from irp_field.interchange.imports import import_csv

ROWS = 50_000
NOTES = 10_000


def _visit(folder: Path) -> Path:
    with setup_visit(folder) as visit:
        write_roll_csv(folder / "roll.csv", ROWS)
        write_toc_csv(folder / "toc.csv", ROWS)
        import_csv(visit, "roll-checks", folder / "roll.csv")
        import_csv(visit, "time-out-of-cell", folder / "toc.csv")
        with visit.transaction():
            visit.insert_many(
                "note",
                (
                    {"taken_at": "2022-03-15T10:00", "text": f"Note {i} about Mr Example " * 8,
                     "tags": "t", "author": "Jade Richards"}
                    for i in range(NOTES)
                ),
            )  # fmt: skip
        return visit.path


def _one(export_format: str, path: Path, out: Path) -> None:
    """In this process alone: the export, its time and the process's peak size."""
    began = time.perf_counter()
    export_visits([path], export_format, out)
    took = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"{export_format:7} {took:6.1f} s   peak {peak:6.0f} MiB", flush=True)


def main() -> None:
    if len(sys.argv) == 4:
        _one(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
        return
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        path = _visit(Path(folder))
        for export_format in ("sqlite", "csv", "json", "xlsx"):
            out = Path(folder) / f"out-{export_format}"
            subprocess.run([sys.executable, __file__, export_format, str(path), str(out)],
                           check=True)  # fmt: skip


if __name__ == "__main__":
    main()
