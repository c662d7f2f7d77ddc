"""Reading an import CSV: UTF-8 (with or without BOM), a header row, known columns only."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from irp_field.domain.errors import InputError, IrpError, RowProblem


@dataclass(frozen=True)
class CsvFile:
    name: str
    sha256: str
    header: list[str]
    records: list[list[str]]  # the values of each row, in header order
    lines: list[int]  # the line each record starts on (the header is line 1)

    @cached_property
    def rows(self) -> list[tuple[int, dict[str, str]]]:
        """(line number, values by column) for each row."""
        header = self.header
        return [
            (line, dict(zip(header, values, strict=True)))
            for line, values in zip(self.lines, self.records, strict=True)
        ]

    def column(self, name: str) -> int | None:
        """Where a column stands in the records, or None when the file leaves it out."""
        return self.header.index(name) if name in self.header else None


def read_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> CsvFile:
    name = path.name
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise IrpError(f"{path}: is a folder, not a CSV file") from None
    except OSError as error:
        raise IrpError(f"{path}: cannot be read ({error.strerror})") from None
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            name, [RowProblem(line, "", "is not UTF-8 text (save the file as CSV UTF-8)")]
        ) from None
    if not text.strip():
        raise InputError(name, [RowProblem(1, "", "the file is empty (a header row is required)")])
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(name, [RowProblem(line, "", "contains a NUL byte: not a CSV text file")])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader)]
    except csv.Error as error:
        raise InputError(name, [RowProblem(1, "", f"cannot be read as CSV ({error})")]) from None
    problems = _header_problems(header, required, optional)
    if problems:
        raise InputError(name, problems)
    width = len(header)
    try:
        everything = list(reader)
    except csv.Error:
        everything = []  # read again below, line by line, to say where
    if everything and reader.line_num == 1 + len(everything):
        # every record on a line of its own (the usual case): line numbers by counting
        numbered = list(zip(range(2, len(everything) + 2), everything, strict=True))
    else:
        numbered = _numbered_records(text, name, problems)
    records: list[list[str]] = []
    lines: list[int] = []
    for line, values in numbered:
        if len(values) == width:
            records.append(values)
            lines.append(line)
        elif values and "".join(values).strip():
            problems.append(RowProblem(line, "", f"has {len(values)} values for {width} columns"))
    if problems:
        raise InputError(name, problems)
    if not records:
        raise InputError(name, [RowProblem(2, "", "the file has a header but no rows")])
    return CsvFile(name, digest, header, records, lines)


def _numbered_records(
    text: str, name: str, problems: list[RowProblem]
) -> list[tuple[int, list[str]]]:
    """Records with the line each starts on, for files with quoted line breaks or errors."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    numbered: list[tuple[int, list[str]]] = []
    line = reader.line_num + 1
    try:
        for values in reader:
            numbered.append((line, values))
            line = reader.line_num + 1
    except csv.Error as error:
        problems.append(RowProblem(line, "", f"cannot be read as CSV ({error})"))
    return numbered


def _header_problems(
    header: list[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> list[RowProblem]:
    problems: list[RowProblem] = []
    known = set(required) | set(optional)
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(RowProblem(1, column, "the column appears twice"))
        seen.add(column)
        if column not in known:
            problems.append(
                RowProblem(
                    1,
                    column,
                    f"unknown column; the columns are: {', '.join((*required, *optional))}",
                )
            )
    for column in required:
        if column not in seen:
            problems.append(RowProblem(1, column, "required column is missing"))
    return problems
