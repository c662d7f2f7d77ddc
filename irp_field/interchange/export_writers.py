"""Writers for the analyst exports: one SQLite database, CSV files, one JSON document, XLSX.

Each takes the analyst tables (name -> rows in :data:`export.TABLES` column order), builds
them with the views in one in-memory database, and writes under a temporary name beside
the destination, renamed into place once whole and on the disk (``core.staging``): a
failed or killed export leaves nothing at the destination. Text that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
is written as text: in XLSX as a string cell, in CSV behind a ``'`` (unless ``raw``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from irp_field.core import staging
from irp_field.domain.names import writable
from irp_field.interchange.export import (
    TABLES,
    VIEWS,
    AttachedFiles,
    Rows,
    column_names,
    metadata,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Sheets = dict[str, tuple[list[str], Rows]]  # name -> (columns, rows): tables, then views


def metadata_path(out: Path) -> Path:
    """Datasette's metadata for ``hull.sqlite``: ``hull.metadata.json`` beside it (a name of
    its own: it never overwrites a metadata.json that is there)."""
    return out.with_name(f"{out.stem}.metadata.json")


def safe_text(value: Any) -> Any:
    """Text a spreadsheet would read as a formula, behind a ``'``; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def build(tables: dict[str, Rows], files: AttachedFiles | None = None) -> sqlite3.Connection:
    """One in-memory database: a table per kind of record (foreign keys declared), the
    attached files, and the views."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
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
    return conn


def sheets(tables: dict[str, Rows]) -> Sheets:
    """The tables and, after them, the views' rows: what CSV, JSON and XLSX hold."""
    found: Sheets = {table.name: (column_names(table), tables[table.name]) for table in TABLES}
    conn = build(tables)
    try:
        for name in VIEWS:
            cursor = conn.execute(f"SELECT * FROM {name}")
            found[name] = ([c[0] for c in cursor.description], cursor.fetchall())
    finally:
        conn.close()
    return found


def write_sqlite(tables: dict[str, Rows], out: Path, files: AttachedFiles | None = None) -> None:
    """The database (written with VACUUM INTO, so it holds no free pages: a redacted export
    carries no trace of the text) and Datasette's metadata beside it, both owner only,
    published together."""
    establishments = sorted({str(r[1]) for r in tables["visit"]})
    title = "irp-field visits: " + ", ".join(establishments)
    conn = build(tables, files)
    try:
        with staging.staged() as staged:
            database = staged.file(out)  # VACUUM INTO fills an empty file and keeps its mode
            conn.execute("VACUUM INTO ?", (str(database),))
            staged.file(metadata_path(out)).write_text(
                json.dumps(metadata(title, out.stem), indent=2, sort_keys=True) + "\n",
                encoding="utf-8",
            )
    finally:
        conn.close()


def write_csv(tables: dict[str, Rows], out: Path, *, raw: bool = False) -> None:
    """One CSV file per table and per view in the folder ``out``."""
    with staging.staged() as staged:
        folder = staged.folder(out)
        for name, (columns, rows) in sheets(tables).items():
            with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                # csv quotes a value holding a line feed, not a lone carriage return, which
                # every reader takes for the end of a line: such a row is quoted whole
                quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
                writer.writerow(columns)
                for row in rows:
                    values = list(row) if raw else [safe_text(v) for v in row]
                    returns = any(isinstance(v, str) and "\r" in v for v in values)
                    (quoted if returns else writer).writerow(values)


def canonical_json(tables: dict[str, Rows]) -> str:
    """Sorted keys, records ordered by id: equal content gives equal bytes."""
    document: dict[str, Any] = {}
    for name, (columns, rows) in sheets(tables).items():
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        order = [c for c in ("id", "visit_id", "round", "frame", "criterion") if c in columns]
        records.sort(key=lambda r: tuple(str(r[c]) for c in order))
        document[name] = records
    return (
        json.dumps(
            {"irp_field_export": 2, "tables": document},
            sort_keys=True,
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def write_json(tables: dict[str, Rows], out: Path) -> None:
    with staging.staged() as staged:
        staged.file(out).write_text(canonical_json(tables), encoding="utf-8")


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")
_TIME = re.compile(r"\d{2}:\d{2}$")


def _cell(value: Any) -> tuple[Any, str | None]:
    """An XLSX cell's value and number format: ISO dates, moments and times as real ones."""
    if isinstance(value, str):
        try:
            if _MOMENT.match(value):
                return dt.datetime.fromisoformat(value), "yyyy-mm-dd hh:mm"
            if _DATE.match(value):
                return dt.date.fromisoformat(value), "yyyy-mm-dd"
            if _TIME.match(value):
                return dt.time.fromisoformat(value), "hh:mm"
        except ValueError:
            pass  # shaped like a date, not one: kept as the text it is
    return value, None


def write_xlsx(tables: dict[str, Rows], out: Path) -> None:
    """A sheet per table and per view: a bold header row with a filter, frozen, columns
    as wide as their contents (up to a limit), dates and times as real ones, and every
    text as text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, (columns, rows) in sheets(tables).items():
        sheet = book.create_sheet(name[:31])
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(c) for c in columns]
        for r, row in enumerate(rows, start=2):
            for c, raw_value in enumerate(row, start=1):
                value, shown = _cell(raw_value)
                if isinstance(value, str):  # XML holds no U+FFFF (a file of 0.3.0 may)
                    value = writable(value)
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a string, never a formula
                if shown:
                    cell.number_format = shown
                widths[c - 1] = max(widths[c - 1], min(len(str(raw_value or "")), 60))
        for c, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width + 2
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    with staging.staged() as staged:
        book.save(staged.file(out))


def write(
    export_format: str,
    tables: dict[str, Rows],
    out: Path,
    files: AttachedFiles | None = None,
    *,
    raw: bool = False,
) -> None:
    if export_format == "sqlite":
        write_sqlite(tables, out, files)
        return
    writers: dict[str, Callable[[dict[str, Rows], Path], None]] = {
        "csv": lambda t, o: write_csv(t, o, raw=raw),
        "json": write_json,
        "xlsx": write_xlsx,
    }
    writers[export_format](tables, out)
