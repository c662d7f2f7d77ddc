"""A redacted bundle of a visit of 100,000 roll checks, 100,000 periods and 20,000 notes.

A redacted bundle is written from a copy of the visit redacted as it is made (every row
read and written through each column's policy in Python), so that no unredacted copy
is ever on disk. Printed beside, in the same run: the plain bundle of the same visit
(the floor: what writing the bundle costs) and the way it was done before issue 21 (a
byte copy of the whole file with SQLite's backup API, blanked with UPDATEs, VACUUMed,
then the bundle). Target: within 2x of the plain bundle.
Not a test: run ``python bench/redacted_export.py``.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, machine, setup_visit, write_roll_csv, write_toc_csv

from irp_field.api.exports import export
from irp_field.core.visit_file import VisitFile
from irp_field.evidence import toc_days
from irp_field.interchange import redaction
from irp_field.interchange.bundle import write_bundle
from irp_field.interchange.imports import import_csv

ROWS = 100_000
NOTES = 20_000
RUNS = 3
TARGET = 2.0


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
        path = visit.path
    redaction.redaction_key(path)  # the key made once, as after a first export
    return path


def _the_old_way(path: Path, scratch: Path, out: Path) -> None:
    """Before issue 21: the whole file copied, then blanked (what lay in /tmp)."""
    key = redaction.redaction_key(path)
    copy = scratch / "copy.db"
    reader = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    writer = sqlite3.connect(copy, isolation_level=None)
    reader.backup(writer)
    writer.close()
    reader.close()
    VisitFile.open(copy).close()
    writer = sqlite3.connect(copy, isolation_level=None)
    writer.execute("BEGIN")
    for table, columns in {
        "note": {"text": "blank", "tags": "blank", "author": "staff"},
        "roll_check": {"note": "blank", "inspector": "staff"},
        "toc_period": {"subject": "pseudonym:subject"},
    }.items():
        for column, policy in columns.items():
            writer.create_function("redacted", 1, redaction.redactor(policy, key, False))
            writer.execute(f"UPDATE {table} SET {column} = redacted({column})")
    toc_days.settle(writer)
    writer.execute("INSERT INTO note_fts(note_fts) VALUES('rebuild')")
    writer.execute("COMMIT")
    writer.execute("VACUUM")
    writer.close()
    with VisitFile.open(copy, readonly=True) as opened:
        write_bundle(opened, out)
    copy.unlink()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="irp-bench-"))
    try:
        path = _visit(folder)
        count = iter(range(1000))

        def fresh() -> Path:
            out = folder / f"out{next(count)}"
            return out

        def plain() -> None:
            with VisitFile.open(path, readonly=True) as opened:
                write_bundle(opened, fresh())

        redacted = best_of(RUNS, lambda: export([path], "bundle", fresh(), redact=True))
        floor = best_of(RUNS, plain)
        old = best_of(RUNS, lambda: _the_old_way(path, folder, fresh()))
        print(f"Machine: {machine()}")
        print(f"Visit: {ROWS:,} roll checks, {ROWS:,} periods, {NOTES:,} notes")
        print(f"- redacted bundle (copy redacted as made): {redacted:.2f} s")
        print(
            f"- plain bundle (floor): {floor:.2f} s  -> {redacted / floor:.2f}x (target {TARGET}x)"
        )
        print(f"- before issue 21 (copy, blank, VACUUM, bundle): {old:.2f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
