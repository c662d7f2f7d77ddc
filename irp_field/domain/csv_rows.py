"""Reading an import CSV: UTF-8 (with or without BOM), a header row, known columns only."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from irp_field.domain.errors import InputError, IrpError, RowProblem


@dataclass(frozen=True)
class CsvFile:
    name: str
    sha256: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, values by column)


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
    rows: list[tuple[int, dict[str, str]]] = []
    line = reader.line_num + 1
    try:
        width = len(header)
        for values in reader:
            if not values or (len(values) != width and not "".join(values).strip()):
                line = reader.line_num + 1
                continue
            if len(values) != width:
                problems.append(
                    RowProblem(line, "", f"has {len(values)} values for {len(header)} columns")
                )
            else:
                rows.append((line, dict(zip(header, values))))  # noqa: B905 - width checked
            line = reader.line_num + 1
    except csv.Error as error:
        problems.append(RowProblem(line, "", f"cannot be read as CSV ({error})"))
    if problems:
        raise InputError(name, problems)
    if not rows:
        raise InputError(name, [RowProblem(2, "", "the file has a header but no rows")])
    return CsvFile(name, digest, header, rows)


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
