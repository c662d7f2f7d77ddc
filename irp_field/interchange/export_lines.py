"""Each row of an analyst table as the CSV and JSON exports write it, made by SQLite.

The CSV and JSON writers stream a table a batch of lines at a time from one SELECT
(never a list of its rows); the text of each line is built in SQL from the table's
columns, by the rules Python's ``csv`` and ``json`` modules follow, so that the files
are byte for byte what ``csv.writer`` and ``json.dumps`` wrote before (issue 24: those
cost 13-28 times ``sqlite3 -csv`` and ``-json``):

- CSV (``csv.writer``, ``lineterminator="\\n"``): NULL is empty; a value holding a
  comma, a double quote or a line feed is quoted, its quotes doubled; a row holding a
  carriage return anywhere is quoted whole (a lone one is no line break to ``csv``, but
  is to every reader); text a spreadsheet would run as a formula gets a ``'`` before it
  (:data:`FORMULA_STARTS`) unless ``raw``;
- JSON (``json.dumps(record, sort_keys=True, ensure_ascii=False, indent=1)``, indented
  as a list item): keys in sorted order, text by SQLite's ``json_quote`` (which escapes
  exactly what ``json.dumps`` escapes), numbers as they are.

What SQLite would write otherwise (a real: SQLite gives 15 digits where Python gives the
shortest that reads back, 0.30000000000000004; a BLOB, which no analyst column should
hold but a hand-edited visit may) is handed to Python's own function for it
(:func:`register`): the same text as before.
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


def _character(char: str) -> str:
    return f"char({ord(char)})" if not char.isprintable() else _literal(char)


def _csv_text(value: Any) -> str:
    return str(value)  # as csv.writer writes a value that is not text


def _json_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # a BLOB raises, as it did


def register(conn: sqlite3.Connection) -> None:
    """The functions the lines call on ``conn``: ``irp_csv_text`` and ``irp_json``."""
    conn.create_function("irp_csv_text", 1, _csv_text, deterministic=True)
    conn.create_function("irp_json", 1, _json_value, deterministic=True)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text_of(column: Column, raw: bool) -> str:
    """The column's value as ``csv.writer`` has it before quoting (NULL for None)."""
    name = _q(column.name)
    if column.kind == "integer":  # settled: an integer or NULL
        return name
    if column.kind == "number":  # settled: a real (or an integer) or NULL
        return f"CASE WHEN typeof({name}) = 'real' THEN irp_csv_text({name}) ELSE {name} END"
    text = name
    if not raw:
        starts = ", ".join(_character(c) for c in FORMULA_STARTS)
        text = f"CASE WHEN substr({name}, 1, 1) IN ({starts}) THEN '''' || {name} ELSE {name} END"
    return (
        f"CASE typeof({name}) WHEN 'text' THEN {text} WHEN 'null' THEN NULL "
        f"ELSE irp_csv_text({name}) END"
    )


def _holds(value: str, *chars: str) -> str:
    return " OR ".join(f"instr({value}, {_character(c)}) > 0" for c in chars)


QUOTED = (",", '"', "\n")  # what csv.writer quotes a value for (its line ending is "\n")


def _quoted(value: str) -> str:
    return f"""'"' || replace({value}, '"', '""') || '"'"""


def csv_lines(table: AnalystTable, raw: bool) -> str:
    """The SELECT giving each row of ``table`` as one line of CSV (without its line
    feed), in the order written."""
    texts = [f"{_text_of(c, raw)} AS t{i}" for i, c in enumerate(table.columns)]
    fields = [f"t{i}" for i in range(len(table.columns))]
    minimal = " || ',' || ".join(
        f"CASE WHEN {f} IS NULL THEN '' WHEN {_holds(f, *QUOTED)} THEN {_quoted(f)} ELSE {f} END"
        for f in fields
    )
    whole = " || ',' || ".join(_quoted(f"COALESCE({f}, '')") for f in fields)
    returns = " OR ".join(
        f"(typeof({f}) = 'text' AND {_holds(f, chr(13))})"
        for f, c in zip(fields, table.columns, strict=True)
        if c.kind not in _NUMBERS
    )
    line = f"CASE WHEN {returns} THEN {whole} ELSE {minimal} END" if returns else minimal
    return f"SELECT {line} FROM (SELECT {', '.join(texts)} FROM {_q(table.name)} ORDER BY rowid)"


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
