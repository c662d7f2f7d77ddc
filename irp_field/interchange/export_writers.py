"""Writers for the analyst exports: one SQLite database, CSV files, one JSON document, XLSX.

Each reads the analyst database (:mod:`export_database`) table by table, in the order of
:data:`export_database.EVERY_TABLE`, and writes under a temporary name beside the
destination, renamed into place once whole and on the disk (``core.staging``): a failed
or killed export leaves nothing at the destination. Text that a spreadsheet would run as
a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
written as text: in XLSX as a string cell, in CSV behind a ``'`` (unless ``raw``). CSV
and JSON are streamed a batch at a time from one SELECT per table, never a list of its
rows, SQLite doing what Python did for each row (:mod:`export_lines`).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from irp_field.core import staging
from irp_field.interchange import export_lines
from irp_field.interchange.export_database import EVERY_TABLE
from irp_field.interchange.export_metadata import datapackage
from irp_field.interchange.export_metadata import datasette as metadata
from irp_field.interchange.export_tables import AnalystTable
from irp_field.interchange.export_xlsx import write_xlsx

BATCH = 2_000  # lines read from SQLite and written at a time
CSV_BATCH = 500  # CSV lines: 2,000 raised the peak by 4-6 MiB, and were no quicker
JSON_VERSION = 3  # 3: typed values, nulls, the figure and toc_day tables, rows in order
BYTE_ORDER_MARK = "\ufeff"


def metadata_path(out: Path) -> Path:
    """Datasette's metadata for ``hull.sqlite``: ``hull.metadata.json`` beside it (a name of
    its own: it never overwrites a metadata.json that is there)."""
    return out.with_name(f"{out.stem}.metadata.json")


def title(conn: sqlite3.Connection) -> str:
    """What the export is of: "irp-field export: HMP Hull (IRP, 2022-03-14 to 2022-03-16)"."""
    visits = conn.execute(
        "SELECT establishment, visit_type, start_date, end_date FROM visit "
        "ORDER BY establishment, start_date"
    ).fetchall()
    shown = [
        f"{place or 'a visit'} ({kind or 'visit'}, {start or '?'} to {end or '?'})"
        for place, kind, start, end in visits
    ]
    return "irp-field export: " + ("; ".join(shown) if len(shown) < 4 else f"{len(shown)} visits")


def write_sqlite(conn: sqlite3.Connection, out: Path, staged: staging.Staging) -> None:
    """Datasette's metadata beside the database, staged with it (``staged``): the database
    itself was built where it goes, under its temporary name
    (``export_database.building(at=...)``), and both are published together, owner only,
    once its connection is closed."""
    staged.file(metadata_path(out)).write_text(
        json.dumps(metadata(title(conn), out.stem), indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )


def write_csv(
    conn: sqlite3.Connection, out: Path, *, raw: bool = False, excel: bool = False
) -> None:
    """One CSV file per table in the folder ``out``, and ``datapackage.json`` describing
    them; with ``excel``, each file begins with a byte-order mark (Excel on Windows reads
    UTF-8 without one as its own code page: "–" comes out as "â€“")."""
    encoding = "utf-8-sig" if excel else "utf-8"
    export_lines.register(conn)
    with staging.staged() as staged:
        folder = staged.folder(out)
        for table in EVERY_TABLE:
            with (folder / f"{table.name}.csv").open("w", encoding=encoding, newline="") as handle:
                csv_table(conn, table, handle, raw=raw)
        described = datapackage(title(conn), "utf-8-sig" if excel else "utf-8")
        (folder / "datapackage.json").write_text(
            json.dumps(described, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def safe_text(value: Any) -> Any:
    """Text a spreadsheet would read as a formula, behind a ``'``; anything else as it is."""
    if isinstance(value, str) and value.startswith(export_lines.FORMULA_STARTS):
        return "'" + value
    return value


def csv_table(conn: sqlite3.Connection, table: AnalystTable, handle: TextIO, *, raw: bool) -> None:
    """``table``'s header and rows: each line made by SQLite with ``printf``
    (``export_lines.csv_plain_lines``), a batch at a time, where that is what ``csv.writer``
    writes (each batch checked here: its commas, quotes and line breaks counted); the other
    rows by ``csv.writer`` as before (:func:`_csv_row`), and from the first batch where
    most need it, the rest of the table so."""
    writers = (
        csv.writer(handle, lineterminator="\n"),
        csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL),
    )
    writers[0].writerow(table.names)
    if len(table.columns) < 2:  # no comma to count; a lone empty field is written quoted
        _csv_rest(conn, table, writers, -(2**63), raw=raw)
        return
    commas = len(table.columns) - 1
    lines = conn.execute(export_lines.csv_plain_lines(table, raw))
    while batch := lines.fetchmany(CSV_BATCH):
        try:
            written = "\n".join([line for line, _ in batch])
        except TypeError:  # a row printf could not make (NULL)
            written = ""
        if written and _plain(written, commas * len(batch), len(batch) - 1):
            handle.write(written + "\n")
            continue
        again = [rowid for line, rowid in batch if line is None or not _plain(line, commas, 0)]
        if len(again) * 10 > len(batch):  # a text column of sentences: csv from here on
            _csv_rest(conn, table, writers, batch[0][1], raw=raw)
            return
        rows = _csv_rows(conn, table, f"rowid IN ({', '.join('?' * len(again))})", again,
                         raw=raw)  # fmt: skip
        for line, rowid in batch:
            if rowid in rows:
                _csv_row(writers, rows[rowid], raw=raw)
            else:
                handle.write(f"{line}\n")


def _plain(lines: str, commas: int, line_feeds: int) -> bool:
    """Whether ``lines`` made by printf are what ``csv.writer`` writes: no field holds a
    comma, a line feed (counted: printf wrote ``commas`` and ``line_feeds`` of its own), a
    ``"`` or a carriage return."""
    return (
        lines.count(",") == commas
        and lines.count("\n") == line_feeds
        and '"' not in lines
        and "\r" not in lines
    )


def _csv_select(table: AnalystTable, raw: bool, where: str) -> str:
    """The rows of ``table`` that ``where`` is true of, in their order: each row's values,
    whether it needs the formula guard or quoting whole (``export_lines.csv_cared``), its
    rowid."""
    cared = export_lines.csv_cared(table, raw)
    return (
        f"SELECT {', '.join(table.names)}, {cared}, rowid FROM {table.name} "
        f"WHERE {where} ORDER BY rowid"
    )


def _csv_rest(
    conn: sqlite3.Connection,
    table: AnalystTable,
    writers: tuple[Any, Any],
    rowid: int,
    *,
    raw: bool,
) -> None:
    """The rows from ``rowid`` on by ``csv.writer``: straight from the cursor when none
    needs the formula guard or quoting whole, as the export wrote them before printf."""
    cared = export_lines.csv_cared(table, raw)
    rows = f"SELECT {', '.join(table.names)} FROM {table.name} WHERE rowid >= ?"
    if not conn.execute(f"SELECT EXISTS ({rows} AND ({cared}))", (rowid,)).fetchone()[0]:
        writers[0].writerows(conn.execute(f"{rows} ORDER BY rowid", (rowid,)))
        return
    for row in conn.execute(_csv_select(table, raw, "rowid >= ?"), (rowid,)):
        _csv_row(writers, row[:-1], raw=raw)


def _csv_rows(
    conn: sqlite3.Connection, table: AnalystTable, where: str, params: Sequence[int], *, raw: bool
) -> dict[int, tuple[Any, ...]]:
    """:func:`_csv_select`'s rows by rowid (values, then whether cared for), in order."""
    return {row[-1]: row[:-1] for row in conn.execute(_csv_select(table, raw, where), params)}


def _csv_row(writers: tuple[Any, Any], row: tuple[Any, ...], *, raw: bool) -> None:
    """One row (its values, then whether ``csv_cared`` is true of it) as the export wrote
    it with ``csv.writer``: a row cared for through :func:`safe_text`, and quoted whole
    (``writers[1]``) when it holds a carriage return (``csv`` quotes a value holding a
    line feed, not a lone carriage return, which every reader takes for a line's end)."""
    if not row[-1]:
        writers[0].writerow(row[:-1])
        return
    values = list(row[:-1]) if raw else [safe_text(v) for v in row[:-1]]
    returns = any(isinstance(v, str) and "\r" in v for v in values)
    writers[1 if returns else 0].writerow(values)


def json_parts(conn: sqlite3.Connection) -> Iterator[str]:
    """The document of :func:`canonical_json` a batch of records at a time, byte for byte
    what ``json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1)`` gives (no
    list of a table's records is held; each record is made by SQLite: ``export_lines``)."""
    export_lines.register(conn)
    yield f'{{\n "irp_field_export": {JSON_VERSION},\n "tables": {{'
    for t, table in enumerate(sorted(EVERY_TABLE, key=lambda table: table.name)):
        yield f"{',' if t else ''}\n  {json.dumps(table.name, ensure_ascii=False)}: ["
        records = conn.execute(export_lines.json_records(table))
        between = "\n   "
        while batch := records.fetchmany(BATCH):
            yield between + ",\n   ".join([record for (record,) in batch])
            between = ",\n   "
        yield "\n  ]" if between != "\n   " else "]"
    yield "\n }\n}\n"


def canonical_json(conn: sqlite3.Connection) -> str:
    """Sorted keys, each table's records in its order (time or position, ids breaking
    ties): equal content gives equal bytes."""
    return "".join(json_parts(conn))


def write_json(conn: sqlite3.Connection, out: Path) -> None:
    """:func:`canonical_json`'s bytes, written a record at a time (the document whole in
    memory was 365 MB at 100,000 checks)."""
    with staging.staged() as staged, staged.file(out).open("w", encoding="utf-8") as handle:
        for part in json_parts(conn):
            handle.write(part)


def write(
    export_format: str,
    conn: sqlite3.Connection,
    out: Path,
    *,
    raw: bool = False,
    excel: bool = False,
    author: str = "irp-field",
    staged: staging.Staging | None = None,
) -> None:
    """``export_format`` written from the analyst database at ``conn``; ``staged``: the
    SQLite export's staging, which holds its database already."""
    if export_format == "sqlite":
        if staged is None:
            raise ValueError("the SQLite export is built in its staging (export_visits)")
        write_sqlite(conn, out, staged)
    elif export_format == "csv":
        write_csv(conn, out, raw=raw, excel=excel)
    elif export_format == "json":
        write_json(conn, out)
    else:
        write_xlsx(conn, out, title(conn), author)
