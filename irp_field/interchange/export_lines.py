"""What SQLite makes of each row for the CSV and JSON exports, so that Python need not.

The CSV and JSON writers stream a table a batch at a time from one SELECT (never a list
of its rows), and write byte for byte what ``csv.writer`` and ``json.dumps`` wrote
before, at a cost near ``sqlite3 -csv`` and ``-json`` (issue 24: 13-28 times it before):

- CSV: ``csv.writer`` writes the rows straight from the cursor; SQLite says which rows
  need more (:func:`csv_cared`: a text a spreadsheet would run as a formula, which gets a
  ``'`` before it unless ``raw``, or a carriage return, which gets the row quoted whole),
  and only those go through Python one by one;
- JSON: each record is made by SQLite (:func:`json_records`) as
  ``json.dumps(record, sort_keys=True, ensure_ascii=False, indent=1)`` makes it, indented
  as a list item: keys in sorted order, text by SQLite's ``json_quote`` (which escapes
  exactly what ``json.dumps`` escapes), integers as they are. A real (SQLite writes 15
  digits where Python writes the shortest that reads back: 0.30000000000000004) and a
  BLOB (which no analyst column should hold, but a hand-edited visit may) are given to
  ``json.dumps`` itself (:func:`register`).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from irp_field.interchange.export_tables import AnalystTable, Column

# Text a spreadsheet would read as a formula (Excel, LibreOffice, Google Sheets)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBERS = ("integer", "number")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _json_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # a BLOB raises, as it did


def register(conn: sqlite3.Connection) -> None:
    """The function the JSON records call on ``conn``: ``irp_json``."""
    conn.create_function("irp_json", 1, _json_value, deterministic=True)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _starts(value: str) -> str:
    # the first character's code point: no string made a row and a column (substr made
    # one: a fifth of the CSV export's pass over its rows); NULL for NULL and ''
    return f"unicode({value}) IN ({', '.join(str(ord(c)) for c in FORMULA_STARTS)})"


def csv_cared(table: AnalystTable, raw: bool) -> str:
    """The SQL that is true of a row of ``table`` that ``csv.writer`` alone would not write
    as the export does: a text a spreadsheet would run (unless ``raw``), or a carriage
    return anywhere (then the row is quoted whole). Only such rows go through Python's
    :func:`export_writers.safe_text`; the rest are written by ``csv.writer`` from the
    cursor. (Only text can hold either: the number columns are settled as numbers.)"""
    cared = []
    for column in table.columns:
        if column.kind not in _NUMBERS:
            name = _q(column.name)
            cared.append(f"instr({name}, char(13)) > 0")
            if not raw:
                cared.append(_starts(name))
    return " OR ".join(cared) or "0"


def _json_of(column: Column) -> str:
    name = _q(column.name)
    if column.kind == "integer":
        return f"COALESCE({name}, 'null')"
    return (
        f"CASE WHEN typeof({name}) IN ('real', 'blob') THEN irp_json({name}) "
        f"ELSE json_quote({name}) END"
    )


def json_records(table: AnalystTable) -> str:
    """The SELECT giving each row of ``table`` as its JSON record, indented as an item of
    the document's list, in the order written."""
    by_name = {c.name: c for c in table.columns}
    members = [
        f"{_literal(chr(10) + '    ' + json.dumps(name, ensure_ascii=False) + ': ')} || "
        + _json_of(by_name[name])
        for name in sorted(by_name)
    ]
    body = " || ',' || ".join(members)
    end = _literal("\n   }")
    return f"SELECT '{{' || {body} || {end} FROM {_q(table.name)} ORDER BY rowid"
