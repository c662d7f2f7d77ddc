"""A CSV line is never read further than a record can be long (hostile, 0.13.0).

The import read its files in batches and never whole, but the csv module takes a line
whole before it looks at a value: a file with no line break in it (a damaged copy, a
log renamed .csv, a hand's 2 GB of one character) was held in memory twice over (a
line of 300 MB: 615 MB at its peak) before "field larger than field limit". Each line is
now read at most ``LINE_LIMIT`` characters (a value at the field limit and the rest of
its record) and a longer one is refused naming the file and the line."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from click.testing import CliRunner

from irp_field.cli import main

HEADER = "source,taken_at,author,text\n"
LONG = 48 * 1024 * 1024  # characters in one line: three times the field limit


def _import(hull_path: Path, csv_file: Path) -> tuple[int, str, int]:
    """The import's exit, output and Python's memory at its peak."""
    tracemalloc.start()
    try:
        result = CliRunner().invoke(main, ["import", str(hull_path), "notes", str(csv_file)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output, peak


def _one_long_line(path: Path, start: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(start)
        handle.write("x" * LONG)
    return path


def test_a_line_longer_than_any_record_is_refused_before_it_is_held(
    hull_path: Path, tmp_path: Path
) -> None:
    CliRunner().invoke(main, ["figures", str(hull_path)])  # first imports, out of the peak
    path = _one_long_line(tmp_path / "notes.csv", HEADER + "observation,2022-03-14T10:00,A,")
    code, output, peak = _import(hull_path, path)
    assert peak < LONG * 3 // 4, peak  # never the line whole (0.13.0: twice the line)
    assert code == 1, output
    assert "notes.csv, line 2: is over 17,825,792 characters long" in output, output
    assert "Traceback" not in output


def test_a_header_whose_quote_runs_into_a_long_line_is_refused_too(
    hull_path: Path, tmp_path: Path
) -> None:
    path = _one_long_line(tmp_path / "notes.csv", 'source,"taken_at\n')
    code, output, peak = _import(hull_path, path)
    assert peak < LONG * 3 // 4, peak
    assert code == 1, output
    assert "notes.csv, line 2: is over 17,825,792 characters long" in output, output


def test_a_value_at_the_field_limit_is_still_read(tmp_path: Path) -> None:
    """The limit is the csv module's own field limit and a record's other values: a
    bundle's frame listing its records in one value (up to 16 M characters) reads."""
    from irp_field.interchange import csv_rows

    value = "r" * (csv_rows.FIELD_LIMIT - 10)
    path = tmp_path / "frame.csv"
    path.write_text(f"name,records\nUse of force,{value}\n", encoding="utf-8")
    stream = csv_rows.CsvStream(path, ("name", "records"))
    rows = [values for batch in stream.batches() for _, values in batch]
    assert stream.problems == [] and rows == [["Use of force", value]]
