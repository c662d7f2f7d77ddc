"""Each analyst export (sqlite, csv, json, xlsx) at two sizes, beside its floor measured
in the same run (issue 24, aim 1): visits of N roll checks, N periods and N/5 notes, for
N = 10,000 and 100,000 (``python bench/analyst_export.py N1 N2`` for others; the issue's
1,000,000 takes about half an hour here; ``--formats csv,json,sqlite`` leaves the others
out, such as xlsx, which takes most of the time). Each export runs in a process of its own and
prints its time and the process's peak resident size (SQLite's memory is not Python's:
tracemalloc would not see it). The visits are built once, in a process of their own, and
kept in ``bench/out/analyst_export/`` (git ignores it; delete it to build them again):
the process that starts the exports and their floors imports nothing of irp-field, so
that a child's peak (Linux counts a child's resident size from before its ``exec``) is
its own, not its parent's.

The analyst database every format is written from is built in a private scratch file
with a bounded page cache (it was in memory: peak linear in rows, 1.6 GB at a million
checks for CSV), by SQLite: each visit's tables copied and redacted by ``INSERT ...
SELECT`` (it was row by row through Python and sqlite-utils); CSV and JSON are streamed
from it a batch at a time. Floors, on the same visit, in the same run: ``sqlite3 VISIT
"VACUUM INTO"`` (sqlite), ``sqlite3 -csv`` / ``-json`` of the three big tables (csv,
json), XlsxWriter's
constant-memory workbook of the same three tables as they are (xlsx: the writer the
export uses, without its typing, formats and the analyst database). Targets: peak under
100 MB whatever the size; csv and json within 3x, sqlite within 3x, xlsx within 1.5x of
their floors.
Not a test: run ``python bench/analyst_export.py``.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SIZES = (10_000, 100_000)
BIG_TABLES = ("roll_check", "toc_period", "note")
TARGETS = {"sqlite": 3.0, "csv": 3.0, "json": 3.0, "xlsx": 1.5}
PEAK_MB = 100
FIRST_OPEN = (
    "import sys; from irp_field.core.visit_file import VisitFile; "
    "VisitFile.open(sys.argv[1], readonly=True).close()"
)
KEPT = HERE / "out" / "analyst_export"  # the built visits, kept between runs
BUILT = 1  # the visits' recipe: a change here builds them again


def _visit(folder: Path, rows: int) -> Path:
    from common import setup_visit, write_roll_csv, write_toc_csv

    from irp_field.interchange.imports import import_csv

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
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


def _kept_visit(rows: int) -> Path:
    """The visit of ``rows`` roll checks, built (in a child process) the first time."""
    folder = KEPT / f"{rows}-v{BUILT}"
    path = folder / "bench.db"
    if not (folder / "done").exists():
        subprocess.run([sys.executable, __file__, "build", str(rows), str(folder)], check=True)
        (folder / "done").write_text("built\n", encoding="utf-8")
    return path


def _one(export_format: str, path: Path, out: Path) -> None:
    """In this process alone: the export (or its floor), its time and the peak size."""
    began = time.perf_counter()
    if export_format == "xlsx-floor":
        _xlsx_floor(path, out)
    else:
        from irp_field.interchange.export import export_visits

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


def _clear(out: Path) -> None:
    for made in (out, Path(f"{out}.floor"), out.with_name(f"{out.stem}.metadata.json")):
        if made.is_dir():
            shutil.rmtree(made)
        elif made.exists():
            made.unlink()


def main() -> None:
    if len(sys.argv) == 2 and sys.argv[1] == "machine":
        from common import machine

        print(machine())
        return
    if len(sys.argv) == 4 and sys.argv[1] == "build":
        _visit(Path(sys.argv[3]), int(sys.argv[2]))
        return
    if len(sys.argv) == 4 and sys.argv[1] in (*TARGETS, "xlsx-floor"):
        _one(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
        return
    asked = [a for a in sys.argv[1:] if not a.startswith("--formats")]
    chosen = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--formats=")]
    if "--formats" in sys.argv[1:]:  # --formats csv,json (the next word)
        at = sys.argv.index("--formats")
        chosen.append(sys.argv[at + 1])
        asked.remove(sys.argv[at + 1])
    formats = [f for f in TARGETS if not chosen or f in ",".join(chosen).split(",")]
    sizes = tuple(int(n) for n in asked) or SIZES
    subprocess.run([sys.executable, __file__, "machine"], check=True)
    outs = KEPT / "outputs"
    outs.mkdir(parents=True, exist_ok=True)
    for rows in sizes:
        path = _kept_visit(rows)
        mb = path.stat().st_size / 2**20
        print(f"-- {rows:,} roll checks, {rows:,} periods, {rows // 5:,} notes ({mb:.0f} MB)")
        # A file this installation has not found sound (a visit built or touched since, or
        # forgotten) has every page read and its tallies summed again at its first opening,
        # once: done here, untimed, so that each format's line is the export's own cost.
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", FIRST_OPEN, str(path)], check=True)
        opened = time.perf_counter() - began
        print(f"   (its first opening here, before the exports: {opened:.2f} s)", flush=True)
        for export_format in formats:
            out = outs / f"out-{rows}-{export_format}"
            _clear(out)
            ours = _measured([sys.executable, __file__, export_format, str(path), str(out)])
            floor = _floor(export_format, path, Path(f"{out}.floor"))
            _clear(out)
            ratio, target = ours[0] / floor[0], TARGETS[export_format]
            fine = ratio <= target and ours[1] <= PEAK_MB
            print(
                f"{export_format:6} {ours[0]:6.2f} s  peak {ours[1]:5.0f} MiB   floor "
                f"{floor[0]:6.2f} s  peak {floor[1]:5.0f} MiB   ratio {ratio:4.1f}x "
                f"(target <= {target}x, peak <= {PEAK_MB} MiB) "
                f"{'OK' if fine else 'MISSED'}",
                flush=True,
            )


if __name__ == "__main__":
    main()
