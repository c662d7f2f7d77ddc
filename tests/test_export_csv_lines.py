"""The CSV export's lines made by SQLite (issue 24, aim 1): each is what ``csv.writer``
(``lineterminator="\\n"``, quoting as needed) writes of the row, the formula guard and the
carriage returns as before, whatever a field holds and wherever a batch ends; and Python's
csv writes only the header and the rows printf cannot make so (it wrote every row)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from irp_field.interchange import export_lines, export_writers
from irp_field.interchange.export_tables import AnalystTable, Column

COLUMNS = (
    Column("id", "string", "An id."),
    Column("count", "integer", "A count."),
    Column("share", "number", "A share."),
    Column("text", "string", "A text."),
)
TABLE = AnalystTable("edges", "Odd values.", COLUMNS, "", "id")
EDGES: dict[str, Any] = {  # what a hand, an older version or a spreadsheet may leave
    "quote": 'a "quoted" word',
    "comma": "one, two",
    "line feed": "one\ntwo",
    "carriage return": "one\rtwo",
    "both line ends": "one\r\ntwo",
    "formula =": "=SUM(A1:A9)",
    "formula +": "+44 7700",
    "formula -": "-2 on the wing",
    "formula @": "@sum",
    "formula tab": "\tx",
    "formula and comma": '=HYPERLINK("x"), y',
    "real": 0.1 + 0.2,
    "large real": 1e20,
    "integer": 5,
    "negative integer": -7,
    "null": None,
    "empty": "",
    "non-ASCII": "éü – “x” 監",
    "NUL": "x\x00y",
    "BLOB": b'bytes, "quoted"',
    "empty BLOB": b"",
    "spaces": "  padded  ",
    "bracket first": "(aside)",
    "digit first": "2 on the wing",
}


def _scratch(rows: list[tuple[Any, ...]]) -> sqlite3.Connection:
    """A table without declared types (every value kept as it is given: an integer or a
    real in a text column, a text in a number column), rows in rowid order."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE TABLE edges ({', '.join(c.name for c in COLUMNS)})")
    conn.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)", rows)
    export_lines.register(conn)
    return conn


def _as_csv_writes(rows: list[tuple[Any, ...]], raw: bool) -> str:
    """What the export wrote with ``csv.writer`` from the rows: a text column's text a
    spreadsheet would run behind a ``'`` (unless raw), a row holding a carriage return
    quoted whole."""
    out = io.StringIO()
    plain = csv.writer(out, lineterminator="\n")
    plain.writerow([c.name for c in COLUMNS])
    texts = [c.kind == "string" for c in COLUMNS]
    for row in rows:
        guarded = not raw and any(
            text and isinstance(v, str) and v.startswith(export_lines.FORMULA_STARTS)
            for text, v in zip(texts, row, strict=True)
        )
        values = [export_writers.safe_text(v) for v in row] if guarded else list(row)
        if any(isinstance(v, str) and "\r" in v for v in values):
            csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow(values)
        else:
            plain.writerow(values)
    return out.getvalue()


def _written(conn: sqlite3.Connection, raw: bool) -> str:
    handle = io.StringIO()
    export_writers.csv_table(conn, TABLE, handle, raw=raw)
    return handle.getvalue()


def _rows_with(edge: Any, at: int, rows: int) -> list[tuple[Any, ...]]:
    """``rows`` plain rows, the row ``at`` holding ``edge`` in its text column (a text edge
    also in its id, a number edge in its count and share)."""
    made: list[tuple[Any, ...]] = [(f"id-{i}", i, i / 4, f"w{i}") for i in range(rows)]
    if isinstance(edge, str):
        made[at] = (edge, at, 0.5, edge)
    else:
        made[at] = (f"id-{at}", edge, edge, edge)
    return made


@pytest.mark.parametrize("raw", [False, True], ids=["guarded", "raw"])
@pytest.mark.parametrize("edge", list(EDGES), ids=list(EDGES))
def test_each_odd_value_is_written_as_csv_writer_writes_it(edge: str, raw: bool) -> None:
    rows = _rows_with(EDGES[edge], 3, 8)
    assert _written(_scratch(rows), raw) == _as_csv_writes(rows, raw)


@pytest.mark.parametrize("at", [0, 1, export_writers.CSV_BATCH - 1, export_writers.CSV_BATCH,
                                2 * export_writers.CSV_BATCH + 6])  # fmt: skip
def test_an_odd_row_anywhere_in_a_batch_leaves_the_others_as_they_were(at: int) -> None:
    """The first, last and a middle row of a batch, and of the table: the batch is made
    again field by field, the batches beside it as they were."""
    rows = [(f"id-{i}", i, i / 8, f"w{i}") for i in range(2 * export_writers.CSV_BATCH + 7)]
    for offset, edge in enumerate(("one, two", "=x", "x\x00y", 0.1 + 0.2, "a\rb")):
        i = (at + offset * 3) % len(rows)
        rows[i] = (rows[i][0], rows[i][1], rows[i][2], edge)
    for raw in (False, True):
        assert _written(_scratch(rows), raw) == _as_csv_writes(rows, raw)


def test_every_odd_value_in_one_table() -> None:
    rows = [row for i, edge in enumerate(EDGES.values()) for row in _rows_with(edge, i, 30)]
    for raw in (False, True):
        assert _written(_scratch(rows), raw) == _as_csv_writes(rows, raw)


def test_a_real_is_written_as_python_writes_it() -> None:
    """SQLite's text of a real (15 digits, "1.0e+20") is not Python's."""
    reals = [0.1 + 0.2, 1e20, 1e-7, 2.0, -0.0, float("inf"), float("-inf"), 1 / 3, 123456789.125]
    rows = [(f"id-{i}", i, value, str(value)) for i, value in enumerate(reals)]
    written = _written(_scratch(rows), False)
    assert written == _as_csv_writes(rows, False)
    assert "0.30000000000000004" in written and "1e+20" in written


def test_a_lone_column_empty_is_quoted_as_csv_writes_it() -> None:
    """``csv.writer`` quotes a row of one empty field (or it would read as no row)."""
    table = AnalystTable("one", "One column.", (Column("text", "string", "A text."),), "", "text")
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE one (text)")
    values = ["", None, "x", "a,b", "=1", "a\rb"]
    conn.executemany("INSERT INTO one VALUES (?)", [(v,) for v in values])
    export_lines.register(conn)
    handle = io.StringIO()
    export_writers.csv_table(conn, table, handle, raw=True)
    expected = io.StringIO()
    quoted = csv.writer(expected, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for v in ["text", *values]:
        writer = quoted if isinstance(v, str) and "\r" in v else csv.writer(
            expected, lineterminator="\n")  # fmt: skip
        writer.writerow([v])
    assert handle.getvalue() == expected.getvalue()


def test_an_excel_file_begins_with_its_byte_order_mark_then_the_lines(tmp_path: Path) -> None:
    rows = [row for i, edge in enumerate(EDGES.values()) for row in _rows_with(edge, i, 30)]
    conn = _scratch(rows)
    path = tmp_path / "edges.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        export_writers.csv_table(conn, TABLE, handle, raw=False)
    assert path.read_bytes() == b"\xef\xbb\xbf" + _as_csv_writes(rows, False).encode("utf-8")


class _Counting:
    """``csv`` as the writers see it, counting the rows its writers are given."""

    QUOTE_ALL = csv.QUOTE_ALL
    QUOTE_MINIMAL = csv.QUOTE_MINIMAL

    def __init__(self) -> None:
        self.rows = 0

    def writer(self, handle: Any, **options: Any) -> Any:
        made = csv.writer(handle, **options)
        counting = self

        class Writer:
            def writerow(self, row: Any) -> Any:
                counting.rows += 1
                return made.writerow(row)

            def writerows(self, rows: Any) -> None:
                for row in rows:
                    self.writerow(row)

        return Writer()


def test_python_writes_only_the_header_and_the_rows_printf_cannot_make(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """10,000 rows, two a spreadsheet would run, one with a comma, one with a real in its
    text: SQLite makes every other line; Python's csv writes the header and those four (it
    wrote every row before)."""
    rows: list[tuple[Any, ...]] = [(f"id-{i}", i, i / 4, f"w{i}") for i in range(10_000)]
    rows[17] = ("id-17", 17, 1.0, "=cmd()")
    rows[5_000] = ("id-5000", 5_000, 1.0, "@x")
    rows[7_000] = ("id-7000", 7_000, 1.0, "one, two")
    rows[9_999] = ("id-9999", 9_999, 1.0, 0.1 + 0.2)
    counting = _Counting()
    monkeypatch.setattr(export_writers, "csv", counting)
    assert _written(_scratch(rows), False) == _as_csv_writes(rows, False)
    assert counting.rows == 1 + 4


def test_a_table_of_sentences_is_written_by_csv_from_the_first_batch_that_needs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where most lines need quoting (a text column of sentences), each line is not made
    twice: the rows from that batch on go through Python's csv, as before."""
    batch = export_writers.CSV_BATCH
    rows: list[tuple[Any, ...]] = [(f"id-{i}", i, i / 4, f"w{i}") for i in range(4 * batch)]
    for i in range(2 * batch, 4 * batch):
        rows[i] = (f"id-{i}", i, 0.5, f"said, on day {i}, that" if i % 3 else "=x")
    counting = _Counting()
    monkeypatch.setattr(export_writers, "csv", counting)
    assert _written(_scratch(rows), False) == _as_csv_writes(rows, False)
    assert counting.rows == 1 + 2 * batch
