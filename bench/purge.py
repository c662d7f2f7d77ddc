"""Benchmark: purging a note from a visit of 100,000 roll checks, and merging purges.

Prints the purge (one note: the purge record, the emptied row and history, then the
file rewritten without free pages and its WAL emptied) beside a bare ``VACUUM`` and
truncating checkpoint of the same file measured in the same run (its floor: what
rewriting the file costs); and the
merge of a laptop's file that still holds 1,000 purged checks into a target holding
their purges, beside the same merge into a copy that holds no purge. Aims: the purge
within 1.5x the VACUUM; the merge within 1.5x its peer.
Not a test: run ``python bench/purge.py``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import import_command, run_measured, setup_visit, write_roll_csv  # noqa: E402

ROWS = 100_000
PURGED = 1_000


def _cp(source: Path, target: Path) -> Path:
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(source, target)
    return target


def _visit(folder: Path) -> Path:
    setup_visit(folder, "base.db").close()
    rows = folder / "roll.csv"
    write_roll_csv(rows, ROWS)
    run_measured(import_command(folder / "base.db", rows))
    return folder / "base.db"


def _purge_one(base: Path, folder: Path) -> tuple[float, float, int]:
    from irp_field import api
    from irp_field.core.visit_file import VisitFile

    path = _cp(base, folder / "purged.db")
    with VisitFile.open(path, user="Jade Richards") as visit:
        note = api.record_note(visit, text="a name", taken_at="2022-03-14T10:00")
        started = time.perf_counter()
        api.purge(visit, "note", note, "a prisoner's name in the wrong note")
        purged = time.perf_counter() - started
        started = time.perf_counter()
        visit.conn.execute("VACUUM")
        visit.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        vacuum = time.perf_counter() - started
    return purged, vacuum, path.stat().st_size


def _merge(base: Path, folder: Path, purges: int) -> float:
    from irp_field.core.visit_file import VisitFile
    from irp_field.evidence import purges as store
    from irp_field.replication.merge import merge_visits

    target = _cp(base, folder / f"target-{purges}.db")
    laptop = _cp(base, folder / f"laptop-{purges}.db")
    with VisitFile.open(laptop, user="Paul Rowlands") as visit:
        from irp_field import api

        api.record_note(visit, text="Wing quiet", taken_at="2022-03-14T12:00")
    if purges:
        with VisitFile.open(target, user="Jade Richards") as visit:
            ids = [r[0] for r in visit.query("SELECT id FROM roll_check LIMIT ?", (purges,))]
            store.purge(visit, [store.Target("roll_check", i, "a check") for i in ids], "names")
    started = time.perf_counter()
    merge_visits(target, [laptop])
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="irp-bench-") as name:
        folder = Path(name)
        os.environ["IRP_FIELD_HOME"] = str(folder / "home")
        base = _visit(folder)
        purged, vacuum, size = _purge_one(base, folder)
        peer = _merge(base, folder, 0)
        merged = _merge(base, folder, PURGED)
        print(f"a visit of {ROWS:,} roll checks ({size / 1e6:.0f} MB)")
        print(f"bare VACUUM + checkpoint of the file:       {vacuum:7.2f} s  (the floor)")
        print(
            f"purge of one note:                          {purged:7.2f} s  "
            f"({purged / vacuum:.2f}x the floor; aim: within 1.5x)"
        )
        print(f"merge of a laptop's file, no purge (peer):  {peer:7.2f} s")
        print(
            f"the same, {PURGED:,} of its checks purged:      {merged:7.2f} s  "
            f"({merged / peer:.2f}x the peer; aim: within 1.5x)"
        )
        sys.exit(0 if purged <= 1.5 * vacuum and merged <= 1.5 * peer else 1)


if __name__ == "__main__":
    main()
