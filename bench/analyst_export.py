"""Each analyst export (sqlite, csv, json, xlsx) at two sizes, beside its floor measured
in the same run (issue 24, aim 1): visits of N roll checks, N periods and N/5 notes, for
N = 10,000 and 100,000 (``python bench/analyst_export.py N1 N2`` for others; the issue's
1,000,000 takes about half an hour here). Each export runs in a process of its own and
prints its time and the process's peak resident size (SQLite's memory is not Python's:
tracemalloc would not see it).

The analyst database every format is written from is built in a private scratch file
with a bounded page cache (it was in memory: peak linear in rows, 1.6 GB at a million
checks for CSV). Floors, on the larger visit: ``sqlite3 VISIT "VACUUM INTO"`` (sqlite),
``sqlite3 -csv`` / ``-json`` of the three big tables (csv, json), XlsxWriter's
constant-memory workbook of the same three tables as they are (xlsx: the writer the
export uses, without its typing, formats and the analyst database). Targets: peak under
100 MB whatever the size; csv and json within 3x, sqlite within 3x, xlsx within 1.5x of
their floors.
Not a test: run ``python bench/analyst_export.py``.
"""

from __future__ import annotations

import os
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

SIZES = (10_000, 100_000)
BIG_TABLES = ("roll_check", "toc_period", "note")
TARGETS = {"sqlite": 3.0, "csv": 3.0, "json": 3.0, "xlsx": 1.5}
PEAK_MB = 100


def _visit(folder: Path, rows: int) -> Path:
    folder.mkdir()
    with setup_visit(folder) as visit:
        write_roll_csv(folder / "roll.csv", rows)
        write_toc_csv(folder / "toc.csv", rows)
        import_csv(visit, "roll-checks", folder / "roll.csv")
        import_csv(visit, "time-out-of-cell", folder / "toc.csv")
        with visit.transaction():
            visit.insert_many(
                "note",
                (
                    {"taken_at": "2022-03-15T10:00", "text": f"Note {i} about Mr Example " * 8,
                     "tags": "t", "author": "Jade Richards"}
                    for i in range(rows // 5)
                ),
            )  # fmt: skip
        return visit.path


def _one(export_format: str, path: Path, out: Path) -> None:
    """In this process alone: the export (or its floor), its time and the peak size."""
    began = time.perf_counter()
    if export_format == "xlsx-floor":
        _xlsx_floor(path, out)
    else:
        export_visits([path], export_format, out)
    took = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"{took:.3f} {peak:.0f}", flush=True)


def _xlsx_floor(path: Path, out: Path) -> None:
    """XlsxWriter's constant-memory workbook of the big tables as they are: no typing, no
    analyst database, no formats."""
    import sqlite3

    from xlsxwriter import Workbook

    book = Workbook(str(out), {"constant_memory": True})
    conn = sqlite3.connect(path)
    for table in BIG_TABLES:
        sheet = book.add_worksheet(table)
        for r, row in enumerate(conn.execute(f"SELECT * FROM {table}")):
            sheet.write_row(r, 0, row)
    book.close()


def _measured(command: list[str], into: Path | None = None) -> tuple[float, float]:
    """A fresh process's wall time and peak resident size (MiB); ``into``: its output."""
    began = time.perf_counter()
    if command[0] == sys.executable:  # the whole process timed, as the floor's is
        said = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        return time.perf_counter() - began, float(said.split()[1])
    with open(into or os.devnull, "wb") as output:
        process = subprocess.Popen(command, stdout=output)
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {command}")
    return time.perf_counter() - began, usage.ru_maxrss / 1024


def _floor(export_format: str, path: Path, out: Path) -> tuple[float, float]:
    if export_format == "sqlite":
        return _measured(["sqlite3", str(path), f"VACUUM INTO '{out}'"])
    if export_format == "xlsx":
        return _measured([sys.executable, __file__, "xlsx-floor", str(path), str(out)])
    mode = "-csv" if export_format == "csv" else "-json"
    selects = "; ".join(f"SELECT * FROM {table}" for table in BIG_TABLES)
    return _measured(["sqlite3", mode, "-header", str(path), selects], into=out)


def main() -> None:
    if len(sys.argv) == 4:
        _one(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
        return
    sizes = tuple(int(n) for n in sys.argv[1:]) or SIZES
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            path = _visit(Path(folder) / str(rows), rows)
            mb = path.stat().st_size / 2**20
            print(f"-- {rows:,} roll checks, {rows:,} periods, {rows // 5:,} notes ({mb:.0f} MB)")
            for export_format in ("sqlite", "csv", "json", "xlsx"):
                out = Path(folder) / f"out-{rows}-{export_format}"
                ours = _measured([sys.executable, __file__, export_format, str(path), str(out)])
                floor = _floor(export_format, path, Path(f"{out}.floor"))
                ratio, target = ours[0] / floor[0], TARGETS[export_format]
                fine = ratio <= target and ours[1] <= PEAK_MB
                print(
                    f"{export_format:6} {ours[0]:6.1f} s  peak {ours[1]:5.0f} MiB   floor "
                    f"{floor[0]:6.1f} s  peak {floor[1]:5.0f} MiB   ratio {ratio:4.1f}x "
                    f"(target <= {target}x, peak <= {PEAK_MB} MiB) "
                    f"{'OK' if fine else 'MISSED'}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
