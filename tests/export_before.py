"""The analyst exports as irp-field 0.4.0 wrote them (a42e0a6), kept as the tests' oracle.

Issue 24 moved the exports' work into SQLite (the visit read and redacted in SQL, the
formats streamed from a SELECT). This is the way it was done before, row by row in
Python through ``redaction.redacting`` and sqlite-utils, reading the same definitions
(``export_tables``, ``export_derived``, ``redaction.POLICY``): ``test_export_unchanged``
checks that every format gives what this gives, byte for byte (CSV, JSON) or value for
value and type for type with the same schema (SQLite), with and without redaction.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from irp_field.core.visit_file import VisitFile
from irp_field.domain.attachments import PHOTOGRAPHS
from irp_field.interchange import redaction
from irp_field.interchange.export_derived import DERIVED, FIGURE, TABLES, TOC_DAY
from irp_field.interchange.export_metadata import datapackage
from irp_field.interchange.export_tables import AnalystTable, Column

EVERY_TABLE: tuple[AnalystTable, ...] = (*TABLES, *DERIVED)
BY_NAME = {table.name: table for table in EVERY_TABLE}
FILES = "attachment_file"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _primary_key(table: str) -> str:
    found = BY_NAME[table].pk
    return found[0] if found else "rowid"


def _create(db: sqlite_utils.Database, table: AnalystTable) -> None:
    pk: str | tuple[str, ...] | None = (
        None if not table.pk else table.pk[0] if len(table.pk) == 1 else table.pk
    )
    db[table.name].create(  # type: ignore[union-attr]
        {c.name: c.sql_type for c in table.columns},
        pk=pk,
        foreign_keys=[
            (c.name, c.references, _primary_key(c.references))
            for c in table.columns
            if c.references and not (table.name == "visit" and c.name == "visit_id")
        ],
        column_order=table.names,
    )


def _settled(column: Column) -> str:
    name = column.name
    if column.kind == "integer":
        return f"{name} = CASE WHEN typeof({name}) = 'integer' THEN {name} END"
    if column.kind == "number":
        return f"{name} = CASE WHEN typeof({name}) IN ('integer', 'real') THEN {name} END"
    return f"{name} = NULLIF({name}, '')"


def _figures(visit: VisitFile) -> Iterator[tuple[Any, ...]]:
    from irp_field import figures

    for f in figures.compute(visit).values():
        yield (visit.visit_id, f.key, f.value, f.display, f.unit, f.n, f.definition, f.about)


def _numbered(visit: VisitFile, rows: Iterable[Any]) -> list[tuple[Any, ...]]:
    from irp_field.domain.errors import IrpError
    from irp_field.findings.outline import split_number
    from irp_field.findings.sync import load

    try:
        state = load(visit)
    except IrpError:
        shown = {}
    else:
        shown = {
            p.paragraph.finding.id: (p.paragraph.number, p.report_text)
            for p in state.paragraphs
            if p.paragraph.finding is not None
        }
    numbered = []
    for row in rows:
        number, rendered = shown.get(str(row[1]), ("", ""))
        section, paragraph = split_number(number) if number else (None, None)
        numbered.append((*row[:4], number, section, paragraph, row[7], row[8], rendered))
    numbered.sort(key=lambda r: (r[6] is None, r[5] or 0, r[6] or 0, str(r[3]), r[7], r[1]))
    return numbered


def _rows(visit: VisitFile, table: AnalystTable, present: set[str]) -> Iterable[Any]:
    if table is FIGURE:
        return _figures(visit)
    if table is TOC_DAY:
        from irp_field.evidence import toc_days

        select = table.select.format(days=toc_days.days_sql(visit))
        return visit.conn.execute(select, (visit.visit_id,))
    if table.name not in present:
        return ()
    rows = visit.conn.execute(table.select, (visit.visit_id,))
    return _numbered(visit, rows) if table.name == "finding" else rows


def _attached_files(
    visit: VisitFile, present: set[str], photographs_only: bool
) -> Iterator[tuple[str, str, int, bytes]]:
    if "attachment_file" not in present:
        return
    rows = visit.conn.execute(
        "SELECT f.id, f.kind, f.size, f.content FROM attachment_file f WHERE EXISTS "
        "(SELECT 1 FROM attachment a WHERE a.file_sha256 = f.id AND a.deleted = 0)"
        + (" AND f.kind IN (?, ?)" if photographs_only else ""),
        PHOTOGRAPHS if photographs_only else (),
    )
    for row in rows:
        yield (row[0], row[1], row[2], row[3])


def analyst_database(
    paths: list[Path],
    into: Path,
    *,
    sqlite: bool = False,
    key: str | None = None,
    keep_attachments: bool = False,
    keep_staff_names: bool = False,
) -> sqlite3.Connection:
    """The analyst database the exports were written from, built at ``into`` as 0.4.0
    built it (``key``: redacted with it)."""
    conn = sqlite3.connect(into)
    db = sqlite_utils.Database(conn)
    for table in TABLES:
        _create(db, table)
    db[FILES].create(  # type: ignore[union-attr]
        {"sha256": "TEXT", "kind": "TEXT", "size": "INTEGER", "content": "BLOB"}, pk="sha256"
    )
    for path in paths:
        with VisitFile.open(path, readonly=True) as visit:
            present = {
                r[0] for r in visit.query("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            for table in TABLES:
                rows = _rows(visit, table, present)
                if table.name == "attachment" and key is not None:
                    rows = (r for r in rows if keep_attachments and r[3] in PHOTOGRAPHS)
                if key is not None:
                    rows = redaction.redacting(table.name, table.names, rows, key, keep_staff_names)
                marks = ", ".join("?" for _ in table.columns)
                with conn:
                    conn.executemany(
                        f"INSERT INTO {table.name} ({', '.join(table.names)}) VALUES ({marks})",
                        rows,
                    )
            if sqlite and (keep_attachments or key is None):
                with conn:
                    conn.executemany(
                        f"INSERT OR IGNORE INTO {FILES} VALUES (?, ?, ?, ?)",
                        _attached_files(visit, present, key is not None),
                    )
    with conn:
        for table in TABLES:
            conn.execute(f"UPDATE {table.name} SET {', '.join(_settled(c) for c in table.columns)}")
    for table in DERIVED:
        _create(db, table)
        db.execute(f"INSERT INTO {table.name} ({', '.join(table.names)}) {table.select}")
    db["note"].enable_fts(["text", "tags"], create_triggers=True)  # type: ignore[union-attr]
    conn.commit()
    return conn


def _ordered(conn: sqlite3.Connection, table: AnalystTable) -> sqlite3.Cursor:
    return conn.execute(f"SELECT {', '.join(table.names)} FROM {table.name} ORDER BY rowid")


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def title(conn: sqlite3.Connection) -> str:
    visits = conn.execute(
        "SELECT establishment, visit_type, start_date, end_date FROM visit "
        "ORDER BY establishment, start_date"
    ).fetchall()
    shown = [
        f"{place or 'a visit'} ({kind or 'visit'}, {start or '?'} to {end or '?'})"
        for place, kind, start, end in visits
    ]
    return "irp-field export: " + ("; ".join(shown) if len(shown) < 4 else f"{len(shown)} visits")


def csv_folder(conn: sqlite3.Connection, folder: Path, *, raw: bool, excel: bool) -> None:
    encoding = "utf-8-sig" if excel else "utf-8"
    folder.mkdir()
    for table in EVERY_TABLE:
        with (folder / f"{table.name}.csv").open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
            writer.writerow(table.names)
            for row in _ordered(conn, table):
                values = list(row) if raw else [_safe_text(v) for v in row]
                returns = any(isinstance(v, str) and "\r" in v for v in values)
                (quoted if returns else writer).writerow(values)
    described = datapackage(title(conn), "utf-8-sig" if excel else "utf-8")
    (folder / "datapackage.json").write_text(
        json.dumps(described, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def json_text(conn: sqlite3.Connection) -> str:
    parts = ['{\n "irp_field_export": 3,\n "tables": {']
    for t, table in enumerate(sorted(EVERY_TABLE, key=lambda table: table.name)):
        parts.append(f"{',' if t else ''}\n  {json.dumps(table.name, ensure_ascii=False)}: [")
        count = 0
        for row in _ordered(conn, table):
            record = json.dumps(dict(zip(table.names, row, strict=True)), sort_keys=True,
                                ensure_ascii=False, indent=1)  # fmt: skip
            parts.append(("," if count else "") + "\n   " + record.replace("\n", "\n   "))
            count += 1
        parts.append("\n  ]" if count else "]")
    parts.append("\n }\n}\n")
    return "".join(parts)


def assert_csv_as_before(
    oracle: sqlite3.Connection, out: Path, before: Path, *, raw: bool, excel: bool
) -> None:
    """The CSV folder ``out`` an export wrote holds the files the oracle writes into
    ``before``, byte for byte, and no others."""
    csv_folder(oracle, before, raw=raw, excel=excel)
    names = sorted(p.name for p in before.iterdir())
    assert sorted(p.name for p in out.iterdir()) == names
    for name in names:
        assert (out / name).read_bytes() == (before / name).read_bytes(), name
