"""The XLSX export: a sheet per table, for reading in Excel.

Columns in reading order with the ids (long, for joining) last; a bold header row with a
filter, frozen; columns as wide as their contents (up to a limit); written row by row
(XlsxWriter's constant-memory mode: a row is flushed to its sheet's file once the next
begins, so the peak does not grow with the rows); each value as its column's type says
(dates, moments and times as real ones, a year as a number, a share in a percent format:
0.4001 shows as 40.0%); every text as text, never a formula or a link; the workbook
titled, and its author the visit's team leader or "irp-field" (never a name in a
redacted export: ``export.export_visits`` chooses).

XlsxWriter writes each sheet to a temporary file before zipping it, which would leave
the visit's notes and names in /tmp after a kill: those files are made in a private
folder of the data folder instead (``paths.Scratch``), removed on every way out.
Excel holds at most 32,767 characters in a cell: a longer text is cut there and says
so at its end (the CSV, JSON and SQLite exports hold it whole).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
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
    SQLite before a row is written (a constant-memory sheet takes its widths first)."""
    longest = ", ".join(f"MAX(length(CAST({c.name} AS TEXT)))" for c in columns)
    measured = conn.execute(f"SELECT {longest} FROM {table.name}").fetchone()
    return [max(len(c.name), min(m or 0, WIDEST)) for c, m in zip(columns, measured, strict=True)]


LONGEST = 32_767  # characters Excel holds in a cell
CUT = " [cut: {} characters more; the CSV, JSON and SQLite exports hold it whole]"


def _fits(text: str) -> str:
    """A text Excel can hold: a longer one cut, saying so (never silently)."""
    if len(text) <= LONGEST:
        return text
    said = CUT.format(len(text) - LONGEST)
    kept = LONGEST - len(said) - len(str(len(text)))
    return text[:kept] + CUT.format(len(text) - kept)


class _Formats:
    """The workbook's cell formats, made once each (XlsxWriter keeps every one made)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.made: dict[str | None, Any] = {None: None}
        self.bold = book.add_format({"bold": True})

    def __getitem__(self, shown: str | None) -> Any:
        if shown not in self.made:
            self.made[shown] = self.book.add_format({"num_format": shown})
        return self.made[shown]


def _write(sheet: Any, row: int, col: int, value: Any, shown: Any) -> None:
    """One cell by its value's type: text always as text (never a formula or a link)."""
    if value is None:
        return
    if isinstance(value, str):
        sheet.write_string(row, col, _fits(writable(value)))
    elif isinstance(value, dt.date | dt.time):  # a datetime is a date
        sheet.write_datetime(row, col, value, shown)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, shown)
    else:  # bytes: no analyst table holds any; shown as text, never dropped
        sheet.write_string(row, col, _fits(repr(value)))


def _sheet(book: Any, formats: _Formats, conn: sqlite3.Connection, table: AnalystTable) -> None:
    """One table's sheet, written row by row (constant memory: no row of it is held once
    the next is written)."""
    sheet = book.add_worksheet(table.name[:31])
    columns = reading_order(table)
    places = [table.names.index(c.name) for c in columns]
    unit_at = table.names.index("unit") if "unit" in table.names else -1
    for c, width in enumerate(_widths(conn, table, columns)):
        sheet.set_column(c, c, width + 2)
    sheet.freeze_panes(1, 0)
    for c, column in enumerate(columns):
        sheet.write_string(0, c, column.name, formats.bold)
    count = 0
    for count, row in enumerate(ordered(conn, table), start=1):
        unit = row[unit_at] if unit_at >= 0 else None
        for c, (column, place) in enumerate(zip(columns, places, strict=True)):
            value = _value(column, row[place])
            _write(sheet, count, c, value, formats[_shown(column, unit)])
    sheet.autofilter(0, 0, count, len(columns) - 1)


def write_xlsx(conn: sqlite3.Connection, out: Path, title: str, author: str) -> None:
    """A sheet per table, titled and authored (see the module's docstring)."""
    from xlsxwriter import Workbook

    with paths.Scratch("xlsx") as scratch, staging.staged() as staged:
        book = Workbook(
            str(staged.file(out)),
            {"constant_memory": True, "tmpdir": str(scratch.path), "nan_inf_to_errors": True},
        )
        book.set_properties(
            {
                "title": writable(title),  # an establishment of 0.3.0 may hold U+FFFF
                "author": writable(author),
                "comments": DESCRIPTION,
            }
        )
        try:
            formats = _Formats(book)
            for table in EVERY_TABLE:
                _sheet(book, formats, conn, table)
        finally:  # closing writes the workbook, and removes its sheets' temporary files
            book.close()
