"""What SQLite makes of each row for the CSV and JSON exports, so that Python need not.

The CSV and JSON writers stream a table a batch at a time from one SELECT (never a list
of its rows), and write byte for byte what ``csv.writer`` and ``json.dumps`` wrote
before, at a cost near ``sqlite3 -csv`` and ``-json`` (issue 24: 13-28 times it before):

- CSV: each line is made by SQLite's ``printf`` (:func:`csv_plain_lines`) where that is
  what ``csv.writer(lineterminator="\n")`` writes: every field as it is (NULL as
  nothing, an integer as its digits, a real as Python's repr through :func:`register`),
  none needing quoting (the writer counts each batch's commas, quotes and line breaks).
  A row printf cannot make so (a BLOB, a NUL, a number where text belongs or the
  reverse, a text a spreadsheet would run as a formula, which gets a ``'`` before it
  unless ``raw``) gives NULL, and it, a row that needs quoting and a row with a carriage
  return (quoted whole: :func:`csv_cared`) go through ``csv.writer`` as before;
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


def _csv_value(value: float) -> str:
    # a real as csv.writer writes it: its repr (digits, '.', 'e', a sign, 'inf' or 'nan':
    # never quoted); SQLite's own text of a real has 15 digits (0.3 for 0.1 + 0.2)
    return repr(value)


def register(conn: sqlite3.Connection) -> None:
    """The functions the JSON records and the CSV lines call on ``conn``: ``irp_json``,
    ``irp_csv`` (a real's text)."""
    conn.create_function("irp_json", 1, _json_value, deterministic=True)
    conn.create_function("irp_csv", 1, _csv_value, deterministic=True)


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
    :func:`export_writers.safe_text`. (Only text can hold either: the number columns are
    settled as numbers.)"""
    cared = []
    for column in table.columns:
        if column.kind not in _NUMBERS:
            name = _q(column.name)
            cared.append(f"instr({name}, char(13)) > 0")
            if not raw:
                cared.append(_starts(name))
    return " OR ".join(cared) or "0"


def _may_start_formula(value: str) -> list[str]:
    # A cheap superset of _starts(value), from FORMULA_STARTS: comparisons of the text's
    # bytes, no function called; true of a number too (numbers sort before text), and of
    # '' and a few other first characters, whose rows csv.writer writes, as it does all.
    below = [c for c in FORMULA_STARTS if c < "0"]
    above = sorted(c for c in FORMULA_STARTS if c >= "0")
    ranges = [f"{value} < {_literal(chr(ord(max(below)) + 1))}"] if below else [f"{value} < ''"]
    if above:
        upto = _literal(chr(ord(above[-1]) + 1))
        ranges.append(f"({value} >= {_literal(above[0])} AND {value} < {upto})")
    return ranges


def _plain_of(column: Column, raw: bool) -> tuple[str, list[str]]:
    # The value printf's %s writes as csv.writer does (NULL as nothing, an integer's digits,
    # a text as it is), and what makes a row need more: a text or a BLOB in a number
    # column, a number or a BLOB in a text column (SQLite orders numbers before text before
    # BLOBs: a comparison, no function called), a NUL (where %s stops), a formula's start
    # (unless raw).
    name = _q(column.name)
    if column.kind in _NUMBERS:
        return f"CASE WHEN typeof({name}) = 'real' THEN irp_csv({name}) ELSE {name} END", [
            f"{name} >= ''"
        ]
    starts = [f"{name} < ''"] if raw else _may_start_formula(name)
    return name, [*starts, f"{name} >= x''", f"instr({name}, char(0)) > 0"]


def csv_plain_lines(table: AnalystTable, raw: bool) -> str:
    """The SELECT giving each row of ``table`` (of two columns or more) as its CSV line made
    by ``printf``, then its rowid, in the order written: the line ``csv.writer`` writes
    when no field holds a comma, a ``"``, a line feed or a carriage return, which the
    writer checks of each batch (:func:`export_writers.csv_table`); NULL for a row whose
    values printf would not write so (:func:`_plain_of`) or that needs the formula guard.
    One pass and few functions called: SQLite's expressions cost what ``csv.writer`` does
    (a line made field by field, quoting each as needed, cost as much as writing it with
    ``csv``)."""
    values, odd = [], []
    for column in table.columns:
        value, its_odd = _plain_of(column, raw)
        values.append(value)
        odd.extend(its_odd)
    made = f"printf('{','.join(['%s'] * len(values))}', {', '.join(values)})"
    return (
        f"SELECT CASE WHEN {' OR '.join(odd)} THEN NULL ELSE {made} END, rowid "
        f"FROM {_q(table.name)} ORDER BY rowid"
    )


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
