"""Reading an import CSV: UTF-8 (with or without BOM), a header row, known columns only.

A file is read twice and never held whole: a first pass over its bytes takes its
SHA-256 (which says whether it was imported before) and checks that it is UTF-8 text
without NUL bytes, naming the line of the first bad byte (and notes whether it holds a
character no document can hold: then each record is looked at for it, line and column);
the second pass hands out its records in batches, each with the line it starts on (the
header is line 1), so an import of two million rows holds one batch at a time.

A file is opened only when it is a plain file: a FIFO (which would wait forever for a
writer), a device (/dev/zero) or a socket is refused before anything is read. A value
may be as long as :data:`FIELD_LIMIT`: Python's csv stops at 131,072 characters, which a
bundle's sample frame listing its records (or a note's tags) can pass.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TextIO

from irp_field.domain.errors import InputError, IrpError, RowProblem
from irp_field.domain.names import character_verdicts, unwritable

CHUNK = 1 << 20  # bytes per read of the first pass
BATCH = 20_000  # records handed out at a time
NOT_UTF8 = "is not UTF-8 text (save the file as CSV UTF-8)"
FIELD_LIMIT = 16 * 1024 * 1024  # characters in one value; files are bounded by their size
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once, to be refused

csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
# Characters in one line of a file: a value at FIELD_LIMIT and the rest of its record.
# The csv module reads a line whole before it looks at a value: one line of 300 MB (a
# file without line breaks) took 615 MB, and one of gigabytes as much again as it held.
LINE_LIMIT = FIELD_LIMIT + (1 << 20)


class _LineTooLong(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _lines_within_limit(handle: TextIO) -> Iterator[str]:
    """The file's lines for the csv module, each read at most LINE_LIMIT characters at a
    time, so that a line longer than that is refused (:class:`_LineTooLong`) having been
    held no further. A value holding line breaks spans lines; csv's FIELD_LIMIT bounds it."""
    line = 0
    while text := handle.readline(LINE_LIMIT + 1):
        line += 1
        if len(text) > LINE_LIMIT:
            raise _LineTooLong(line)
        yield text


def _too_long(line: int) -> RowProblem:
    return RowProblem(
        line, "", f"is over {LINE_LIMIT:,} characters long: not a CSV irp-field reads"
    )


def _plain_file(path: str, flags: int) -> int:
    """``open``'s opener: the file's descriptor, refused unless it is a plain file."""
    handle = os.open(path, flags | _OPEN_FLAGS)
    kind = os.fstat(handle).st_mode
    if stat.S_ISREG(kind):
        return handle
    os.close(handle)
    if stat.S_ISDIR(kind):
        raise IsADirectoryError(21, "is a folder", path)
    raise IrpError(f"{path}: is not a plain file (a FIFO, device or socket)")


def open_csv(path: Path) -> TextIO:
    """The file as text for the csv module (UTF-8, a BOM dropped), if it is a plain file."""
    return open(path, encoding="utf-8-sig", newline="", opener=_plain_file)


@dataclass(frozen=True)
class CsvFile:
    """A small CSV read whole (bundles' own files): records in header order."""

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


def _bytes_pass(path: Path, name: str) -> tuple[str, bool, int]:
    """The file's SHA-256, refusing a file that is not UTF-8 text or holds a NUL byte;
    whether it holds a character no document can hold (its records are then each
    looked at, to name the line and column: :meth:`CsvStream.batches`); and its lines."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, size, suspect = 1, 0, False
    try:
        with open(path, "rb", opener=_plain_file) as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                try:
                    text = decoder.decode(chunk)  # every chunk: the UTF-8 check
                    suspect = suspect or unwritable(text) is not None
                except UnicodeDecodeError as error:
                    bad = line + chunk[: max(error.start, 0)].count(b"\n")
                    raise InputError(
                        name,
                        [RowProblem(bad, "", "is not UTF-8 text (save the file as CSV UTF-8)")],
                    ) from None
                if b"\x00" in chunk:
                    at = line + chunk[: chunk.index(b"\x00")].count(b"\n")
                    raise InputError(
                        name, [RowProblem(at, "", "contains a NUL byte: not a CSV text file")]
                    )
                line += chunk.count(b"\n")
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise InputError(name, [RowProblem(line, "", NOT_UTF8)]) from None
    except IsADirectoryError:
        raise IrpError(f"{path}: is a folder, not a CSV file") from None
    except OSError as error:
        raise IrpError(f"{path}: cannot be read ({error.strerror})") from None
    if size == 0:
        raise InputError(name, [RowProblem(1, "", "the file is empty (a header row is required)")])
    return digest.hexdigest(), suspect, line


class CsvStream:
    """An import CSV: its header checked at once, its records handed out in batches.

    Problems met while reading (a row of the wrong width, broken quoting) collect in
    :attr:`problems`; the reader goes on to the end so that every one is named.
    """

    def __init__(
        self,
        path: Path,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
        *,
        name: str | None = None,
    ):
        self.path = path
        self.name = name or path.name  # what messages call it ('standard input' for -)
        # lines: how far a batch's last line is through the file (a progress bar's total)
        self.sha256, self._suspect, self.lines = _bytes_pass(path, self.name)
        self.problems: list[RowProblem] = []
        self.records = 0
        with open_csv(self.path) as handle:
            try:
                if len(handle.readline(HEADER_LONGEST + 1)) > HEADER_LONGEST:
                    raise InputError(
                        self.name,
                        [RowProblem(1, "", f"the header row is over {HEADER_LONGEST:,} "
                                           "characters long: not an irp-field CSV")],
                    )  # fmt: skip
                handle.seek(0)
                first = next(csv.reader(_lines_within_limit(handle)), None)
            except csv.Error as error:
                raise InputError(
                    self.name, [RowProblem(1, "", f"cannot be read as CSV ({error})")]
                ) from None
            except UnicodeDecodeError:
                raise InputError(self.name, [RowProblem(1, "", CHANGED_WHILE_READ)]) from None
            except _LineTooLong as error:  # a header's quote left open, a long line after
                raise InputError(self.name, [_too_long(error.line)]) from None
        if first is None or not "".join(first).strip():
            raise InputError(
                self.name, [RowProblem(1, "", "the file is empty (a header row is required)")]
            )
        self.header = [column.strip() for column in first]
        found, more = _header_problems(self.header, required, optional)
        if found:
            raise InputError(self.name, found, more)

    def column(self, name: str) -> int | None:
        return self.header.index(name) if name in self.header else None

    def batches(self, size: int | None = None) -> Iterator[list[tuple[int, list[str]]]]:
        """(line, values) of every record, ``size`` (by default :data:`BATCH`) at a time;
        blank lines skipped."""
        size = size or BATCH  # looked up now, so that a test can make batches small
        width = len(self.header)
        with open_csv(self.path) as handle:
            reader = csv.reader(_lines_within_limit(handle))
            next(reader)
            batch: list[tuple[int, list[str]]] = []
            line = reader.line_num + 1
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    self.problems.append(RowProblem(line, "", f"cannot be read as CSV ({error})"))
                    break
                except UnicodeDecodeError:  # UTF-8 when its bytes were read: changed since
                    self.problems.append(RowProblem(line, "", CHANGED_WHILE_READ))
                    break
                except _LineTooLong as error:
                    self.problems.append(_too_long(error.line))
                    break
                if len(values) == width:
                    self.records += 1
                    if not (self._suspect and self._unwritable(line, values)):
                        batch.append((line, values))
                    if len(batch) >= size:
                        yield batch
                        batch = []
                elif values and "".join(values).strip():
                    self.problems.append(
                        RowProblem(line, "", f"has {len(values)} values for {width} columns")
                    )
                line = reader.line_num + 1
            if batch:
                yield batch
        if not self.records and not self.problems:
            self.problems.append(RowProblem(2, "", "the file has a header but no rows"))

    def _unwritable(self, line: int, values: list[str]) -> bool:
        """A record holding a character no document can hold (the domain's text rule,
        asked of every column, those no other rule reads too): a problem naming its
        line and column; the record is not handed out, so no rule names it again."""
        found = False
        for column, value in zip(self.header, values, strict=True):
            problem = character_verdicts(value, column, "the value")
            if problem:
                self.problems.append(RowProblem(line, column, problem[0].message))
                found = True
        return found


def read_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> CsvFile:
    """A small CSV read whole, refused like an import when anything in it is wrong."""
    stream = CsvStream(path, required, optional)
    records: list[list[str]] = []
    lines: list[int] = []
    for batch in stream.batches():
        for line, values in batch:
            lines.append(line)
            records.append(values)
    if stream.problems:
        raise InputError(stream.name, stream.problems)
    return CsvFile(stream.name, stream.sha256, stream.header, records, lines)


SHOWN_NAME = 60  # characters of a column's name quoted back
# A header names a kind's columns once each: a few hundred characters. One of megabytes
# (35 MB of names) held millions of names as it was read.
HEADER_LONGEST = 64 * 1024
CHANGED_WHILE_READ = (
    "is no longer UTF-8 text: the file changed while it was read (save it, then import again)"
)
HEADER_PROBLEMS_KEPT = 100  # a header of a million columns is told in a few lines
BYTE_ORDER_MARK = "\ufeff"  # the file's own first one is read away (``utf-8-sig``)


def _header_problems(
    header: list[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> tuple[list[RowProblem], int]:
    """The header's problems, the first :data:`HEADER_PROBLEMS_KEPT` kept, and how many
    more were found: a header of a million empty columns made a million problems, each
    quoting every column's name (hundreds of megabytes for a file of one)."""
    problems: list[RowProblem] = []
    more = 0
    known = set(required) | set(optional)
    listed = ", ".join((*required, *optional))
    seen: set[str] = set()

    def found(column: str, why: str) -> None:
        nonlocal more
        if len(problems) < HEADER_PROBLEMS_KEPT:
            problems.append(RowProblem(1, column[:SHOWN_NAME], why))
        else:
            more += 1

    for at, column in enumerate(header):
        if column.startswith(BYTE_ORDER_MARK):  # invisible: named, then read without it
            column = column.lstrip(BYTE_ORDER_MARK)
            mark = "a second byte-order mark" if at == 0 else "a byte-order mark"
            found(
                column,
                f"{mark} (an invisible character) before {column[:SHOWN_NAME]!r}: save the "
                "file again as CSV UTF-8",
            )
        if column in seen:
            found(column, "the column appears twice")
        seen.add(column)
        if column not in known:
            found(column, f"unknown column; the columns are: {listed}")
    for column in required:
        if column not in seen:
            found(column, "required column is missing")
    return problems, more
