"""Writers for the analyst exports: one SQLite database, CSV files, one JSON document, XLSX.

Each takes the analyst tables (name -> rows in :data:`export.TABLES` column order) and
writes only when everything is ready: to a temporary name, renamed into place.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from irp_field.interchange.export import (
    TABLES,
    VIEWS,
    AttachedFiles,
    Rows,
    column_names,
    metadata,
)
from irp_field.paths import create_private_file, make_private_folder, make_private_tree


def _partial(out: Path) -> Path:
    return out.with_name(f".{out.name}.partial")


def write_sqlite(tables: dict[str, Rows], out: Path, files: AttachedFiles | None = None) -> None:
    """One table per kind of record with foreign keys declared, the figure views, the
    attached files (``attachment_file``: sha256, kind, size, content) and a Datasette
    ``metadata.json`` beside it. Built in memory, written with VACUUM INTO so the file
    holds no free pages (a redacted export carries no trace of the text)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.execute("BEGIN")
        for table in TABLES:
            declared = ", ".join(f"{name} {kind}" for name, kind in table.columns)
            conn.execute(f"CREATE TABLE {table.name} ({declared})")
            marks = ", ".join("?" for _ in table.columns)
            conn.executemany(f"INSERT INTO {table.name} VALUES ({marks})", tables[table.name])
        conn.execute(
            "CREATE TABLE attachment_file (sha256 TEXT PRIMARY KEY, kind TEXT, size INTEGER, "
            "content BLOB)"
        )
        conn.executemany(
            "INSERT OR IGNORE INTO attachment_file VALUES (?, ?, ?, ?)",
            [(sha, kind, size, data) for sha, (kind, size, data) in (files or {}).items()],
        )
        for name, (_, select) in VIEWS.items():
            conn.execute(f"CREATE VIEW {name} AS {select}")
        conn.execute("COMMIT")
        partial = _partial(out)
        create_private_file(partial)  # VACUUM INTO fills an empty file and keeps its mode
        conn.execute("VACUUM INTO ?", (str(partial),))
    finally:
        conn.close()
    os.replace(partial, out)
    establishments = sorted({str(r[1]) for r in tables["visit"]})
    title = "irp-field visits: " + ", ".join(establishments)
    (out.parent / "metadata.json").write_text(
        json.dumps(metadata(title, out.stem), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def write_csv(tables: dict[str, Rows], out: Path) -> None:
    """One CSV file per table in the folder ``out``."""
    partial = _partial(out)
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    make_private_folder(partial)
    for table in TABLES:
        with (partial / f"{table.name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(column_names(table))
            writer.writerows(tables[table.name])
    make_private_tree(partial)
    if out.exists():
        out.rmdir()  # checked empty before anything was read
    os.replace(partial, out)


def canonical_json(tables: dict[str, Rows]) -> str:
    """Sorted keys, records ordered by id: equal content gives equal bytes."""
    document: dict[str, Any] = {}
    for table in TABLES:
        names = column_names(table)
        records = [dict(zip(names, row, strict=True)) for row in tables[table.name]]
        key = "id" if "id" in names else "visit_id"
        records.sort(key=lambda r: (str(r[key]), str(r["visit_id"])))
        document[table.name] = records
    return (
        json.dumps(
            {"irp_field_export": 1, "tables": document},
            sort_keys=True,
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def write_json(tables: dict[str, Rows], out: Path) -> None:
    partial = _partial(out)
    create_private_file(partial)
    partial.write_text(canonical_json(tables), encoding="utf-8")
    os.replace(partial, out)


def write_xlsx(tables: dict[str, Rows], out: Path) -> None:
    """One sheet per table: a bold header row, then typed cells (numbers stay numbers)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in TABLES:
        sheet = book.create_sheet(table.name[:31])
        sheet.append(column_names(table))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in tables[table.name]:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
    partial = _partial(out)
    create_private_file(partial)
    book.save(partial)
    os.replace(partial, out)
