"""The XLSX export: a sheet per table, for reading in Excel.

Columns in reading order with the ids (long, for joining) last; a bold header row with a
filter, frozen; columns as wide as their contents (up to a limit); written row by row
(openpyxl's write-only mode); each value as its
column's type says (dates, moments and times as real ones, a year as a number, a share
in a percent format: 0.4001 shows as 40.0%); every text as text, never a formula; the
workbook titled, and its author the visit's team leader or "irp-field" (never a name in
a redacted export: ``export.export_visits`` chooses).

openpyxl writes each sheet to a file of the system's temporary folder before zipping it
(``openpyxl.worksheet._writer.create_temporary_file``), which would leave the visit's
notes and names in /tmp after a kill: while a workbook is saved, those files are made in
a private folder of the data folder instead (``paths.Scratch``), removed on every way out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from irp_field import paths
from irp_field.core import staging
from irp_field.domain.names import writable
from irp_field.interchange.export_database import EVERY_TABLE, ordered
from irp_field.interchange.export_metadata import DESCRIPTION
from irp_field.interchange.export_tables import SHARE, AnalystTable, Column

PERCENT = "0.0%"
SHOWN = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "time": "hh:mm"}
PARSED = {"date": dt.date.fromisoformat, "datetime": dt.datetime.fromisoformat,
          "time": dt.time.fromisoformat}  # fmt: skip
WIDEST = 60


def reading_order(table: AnalystTable) -> list[Column]:
    """The table's columns with the ids last (their order otherwise kept)."""
    return [c for c in table.columns if not c.is_id] + [c for c in table.columns if c.is_id]


def _value(column: Column, value: Any) -> Any:
    """A cell's value as its column's type says (a date that is no date stays text)."""
    if isinstance(value, str):
        parse = PARSED.get(column.kind)
        if parse is not None:
            try:
                return parse(value)
            except ValueError:
                pass
        return writable(value)  # XML holds no U+FFFF (a file of 0.3.0 may)
    return value


def _shown(column: Column, unit: str | None) -> str | None:
    """A cell's number format: a share's percent, a date's, a moment's, a time's; a
    figure's or data return's value by its row's unit."""
    if column.unit == SHARE or (column.name == "value" and unit == SHARE):
        return PERCENT
    return SHOWN.get(column.kind)


def _widths(conn: sqlite3.Connection, table: AnalystTable, columns: list[Column]) -> list[int]:
    """Each column as wide as its longest value (up to a limit) or its name, measured in
    SQLite before a row is written (a write-only sheet takes its widths first)."""
    longest = ", ".join(f"MAX(length(CAST({c.name} AS TEXT)))" for c in columns)
    measured = conn.execute(f"SELECT {longest} FROM {table.name}").fetchone()
    return [max(len(c.name), min(m or 0, WIDEST)) for c, m in zip(columns, measured, strict=True)]


def _sheet(book: Any, conn: sqlite3.Connection, table: AnalystTable) -> None:
    """One table's sheet, written row by row (openpyxl's write-only mode: no cell of it
    is held once written)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(table.name[:31])
    columns = reading_order(table)
    places = [table.names.index(c.name) for c in columns]
    unit_at = table.names.index("unit") if "unit" in table.names else -1
    for c, width in enumerate(_widths(conn, table, columns), start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width + 2
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in ordered(conn, table):
        unit = row[unit_at] if unit_at >= 0 else None
        cells = []
        for column, place in zip(columns, places, strict=True):
            value = _value(column, row[place])
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a string, never a formula
            shown = _shown(column, unit) if value is not None else None
            if shown:
                cell.number_format = shown
            cells.append(cell)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


_saving = threading.Lock()  # one save at a time swaps openpyxl's temporary files


@contextmanager
def private_sheets() -> Iterator[None]:
    """While it lasts, openpyxl's temporary sheet files go into a private scratch folder."""
    from openpyxl.worksheet import _writer

    with _saving, paths.Scratch("xlsx") as scratch:
        numbers = itertools.count()
        made = _writer.create_temporary_file

        def private(suffix: str = "") -> str:
            path = scratch.file(f"sheet-{next(numbers)}{suffix}")
            _writer.ALL_TEMP_FILES.append(str(path))  # as openpyxl's own, for its cleanup
            return str(path)

        _writer.create_temporary_file = private
        try:
            yield
        finally:
            _writer.create_temporary_file = made


def write_xlsx(conn: sqlite3.Connection, out: Path, title: str, author: str) -> None:
    """A sheet per table, titled and authored (see the module's docstring)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    book.properties.title = writable(title)  # an establishment of 0.3.0 may hold U+FFFF
    book.properties.creator = writable(author)
    book.properties.lastModifiedBy = writable(author)
    book.properties.description = DESCRIPTION
    book.properties.language = "en-GB"
    with private_sheets():  # a write-only sheet is written as its rows are added
        try:
            for table in EVERY_TABLE:
                _sheet(book, conn, table)
            with staging.staged() as staged:
                book.save(staged.file(out))
        finally:  # a failed export closes its sheets' files before their folder goes
            for sheet in book.worksheets:
                if not sheet.closed:
                    with suppress(Exception):
                        sheet.close()
