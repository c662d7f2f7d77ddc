"""A bundle read as an untrusted folder: only plain files of its own, each within a cap.

A bundle arrives on a USB stick or a shared folder from another laptop, and anything
may have written it. Before a byte of it is read, :func:`survey` looks at every entry
without following it (``lstat``) and refuses, naming the entry:

- a link, to a file or a folder (it could reach outside the bundle: /etc/shadow,
  /dev/zero), and on Windows a junction;
- anything that is not a plain file or folder: a FIFO (reading it would wait forever),
  a device, a socket;
- a file larger than the cap of its kind (:data:`CAPS`), told from its size, so a file
  that claims a terabyte is refused without reading it;
- more than :data:`MAX_ENTRIES` files and folders.

Then the text files and attachments are read by :func:`read_bytes`: opened without
following a link or waiting on a FIFO, refused unless a plain file, never more than
the cap read. The CSVs stream through ``csv_rows``, which opens only plain files and
never waits on a FIFO either. So even a file swapped after the survey (a program on
the same laptop racing irp-field) cannot make a read hang, and a text file or an
attachment cannot make one grow past its cap.
"""

from __future__ import annotations

import csv
import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from irp_field.domain import attachments as attachment_rules
from irp_field.domain.errors import IrpError
from irp_field.findings import part_defaults

KB = 1024
MB = 1024 * 1024
MAX_ENTRIES = 10_000  # files and folders a bundle may hold
HEADER_PEEK = 4 * KB  # a CSV this small may be only its header

SETUP_CSV = 16 * MB  # a visit's team, locations, plan and data returns: a few KB
EVIDENCE_CSV = 256 * MB  # roll checks, time out of cell, notes, a frame's answers
CAPS: dict[str, tuple[int, str]] = {  # a file irp-field reads -> (cap, what it is)
    "visit.toml": (64 * KB, "the visit's details"),
    "manifest.json": (4 * MB, "the manifest"),  # 10,000 files of long names: under 4 MB
    "report-parts.toml": (part_defaults.MAX_FILE_BYTES, "the report's standing texts"),
    "summary.md": (part_defaults.MAX_FILE_BYTES, "the summary's paragraphs"),
    "findings.md": (32 * MB, "the findings"),  # Hull's are 22 KB
    "team.csv": (SETUP_CSV, "the team"),
    "locations.csv": (SETUP_CSV, "the locations"),
    "plan.csv": (SETUP_CSV, "the plan"),
    "data.csv": (SETUP_CSV, "the data returns"),
    "sample-frames.csv": (SETUP_CSV, "the sample frames"),
    "attachments.csv": (SETUP_CSV, "the list of attachments"),
    "roll-checks.csv": (EVIDENCE_CSV, "the roll checks"),
    "time-out-of-cell.csv": (EVIDENCE_CSV, "time out of cell"),
    "notes.csv": (EVIDENCE_CSV, "the notes"),
    "links.csv": (SETUP_CSV, "the rounds and days linked to plan items"),
}
FOLDER_CAPS: dict[str, tuple[int, str]] = {  # a file in one of these folders
    "samples": (EVIDENCE_CSV, "a frame's answers"),
    "attachments": (attachment_rules.MAX_BYTES, "an attachment"),
}
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a link is refused, not followed (POSIX)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once, to be refused (POSIX)
    | getattr(os, "O_BINARY", 0)  # Windows
)
_WINDOWS_LINKS = {  # reparse points that lead elsewhere (not OneDrive's cloud files)
    getattr(stat, "IO_REPARSE_TAG_SYMLINK", 0xA000000C),
    getattr(stat, "IO_REPARSE_TAG_MOUNT_POINT", 0xA0000003),
}


def megabytes(size: int) -> str:
    """A size in whole MB (or KB, below a MB), rounded up: never less than it is."""
    unit, name = (MB, "MB") if size >= MB else (KB, "KB")
    return f"{-(-size // unit)} {name}"


def _over(size: int, cap: int, what: str) -> str:
    return f"is {megabytes(size)}, over the {megabytes(cap)} a bundle allows for {what}"


def cap_of(relative: PurePosixPath) -> tuple[int, str] | None:
    """The cap of a file at ``relative`` inside a bundle, or None for a file irp-field
    never reads (a README beside the data)."""
    if len(relative.parts) == 1:
        return CAPS.get(relative.name)
    if len(relative.parts) == 2:  # samples/NAME.csv, attachments/NAME
        return FOLDER_CAPS.get(relative.parts[0])
    return None


def _is_link(found: os.stat_result) -> bool:
    return stat.S_ISLNK(found.st_mode) or getattr(found, "st_reparse_tag", 0) in _WINDOWS_LINKS


def _refuse_entry(path: Path, found: os.stat_result, relative: PurePosixPath) -> None:
    if _is_link(found):
        raise IrpError(f"{path}: is a link; a bundle holds files of its own")
    if stat.S_ISDIR(found.st_mode):
        return
    if not stat.S_ISREG(found.st_mode):
        raise IrpError(f"{path}: is not a plain file (a FIFO, device or socket)")
    cap = cap_of(relative)
    if cap is not None and found.st_size > cap[0]:
        raise IrpError(f"{path}: {_over(found.st_size, *cap)}")


def survey(folder: Path) -> dict[PurePosixPath, int]:
    """Refuse a bundle holding a link, a special file, a file over its cap or too many
    entries, naming the first; nothing is followed or opened. Gives every plain file
    (its place in the bundle) with its size."""
    waiting = [PurePosixPath()]
    files: dict[PurePosixPath, int] = {}
    seen = 0
    while waiting:
        inside = waiting.pop()
        try:
            with os.scandir(folder.joinpath(*inside.parts)) as entries:
                for entry in entries:  # one at a time: a folder of millions stops at the cap
                    seen += 1
                    if seen > MAX_ENTRIES:
                        raise IrpError(f"{folder}: holds more than {MAX_ENTRIES} files and folders")
                    found = entry.stat(follow_symlinks=False)
                    relative = inside / entry.name
                    _refuse_entry(Path(entry.path), found, relative)
                    if stat.S_ISDIR(found.st_mode):
                        waiting.append(relative)
                    else:
                        files[relative] = found.st_size
        except OSError as error:
            raise IrpError(f"{folder / inside}: cannot be read ({error.strerror})") from None
    return files


def is_plain_name(name: str) -> bool:
    """True for a file's own name (a bundle's listing names a file in one of its folders):
    not empty, no folder in it, not '.' or '..'."""
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name


def _open_plain(path: Path) -> int:
    """A descriptor of a plain file of the bundle, opened without following a link or
    waiting on a FIFO; anything else refused naming it."""
    try:
        handle = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise IrpError(f"{path}: no such file") from None
    except OSError as error:  # ELOOP: a link put there since the survey
        raise IrpError(f"{path}: cannot be read ({error.strerror})") from None
    found = os.fstat(handle)
    if stat.S_ISREG(found.st_mode):
        return handle
    os.close(handle)
    if stat.S_ISDIR(found.st_mode):
        raise IrpError(f"{path}: is a folder, not a file")
    raise IrpError(f"{path}: is not a plain file (a FIFO, device or socket)")


def read_bytes(path: Path, cap: int, what: str) -> bytes:
    """The bytes of a plain file of the bundle, at most ``cap`` of them read; a link, a
    special file or a larger file is refused naming it (never printing what it holds)."""
    with open(_open_plain(path), "rb", closefd=True) as stream:
        size = os.fstat(stream.fileno()).st_size
        content = stream.read(cap + 1)
    if max(size, len(content)) > cap:
        raise IrpError(f"{path}: {_over(max(size, len(content)), cap, what)}")
    return content


def digest(path: Path, cap: int) -> tuple[int, str]:
    """The size and SHA-256 of a plain file of the bundle as it is on the disk, read in
    pieces and never more than ``cap + 1`` bytes (a larger file gives ``cap + 1``)."""
    found = hashlib.sha256()
    size = 0
    with open(_open_plain(path), "rb", closefd=True) as stream:
        while size <= cap:
            piece = stream.read(min(MB, cap + 1 - size))
            if not piece:
                break
            found.update(piece)
            size += len(piece)
    return size, found.hexdigest()


def read_text(path: Path, cap: int, what: str) -> str:
    """A bundle's UTF-8 text file (a BOM allowed), read as :func:`read_bytes` reads it;
    line ends are kept as they are."""
    try:
        return read_bytes(path, cap, what).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IrpError(f"{path}: is not UTF-8 text") from None


def holds_rows(path: Path) -> bool:
    """False for a CSV of the bundle that is its header alone (the export of a visit
    without such records writes one): nothing to import, where an import refuses it."""
    if path.stat().st_size > HEADER_PEEK:
        return True
    content = read_bytes(path, HEADER_PEEK, "a CSV file's header")
    return any(line.strip() for line in content.split(b"\n")[1:])


def read_known(folder: Path, name: str) -> str:
    """One of the bundle's own text files (``visit.toml``, ``findings.md``, ...)."""
    cap, what = CAPS[name]
    return read_text(folder / name, cap, what)


# -- writing a bundle --------------------------------------------------------------


def number_text(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """A bundle's CSV: values quoted where they need it; a row holding a carriage return
    is quoted whole (csv quotes a value holding a line feed, not one holding a lone
    carriage return, which every reader takes for the end of the line)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        for row in rows:
            values = list(row)
            returns = any(isinstance(value, str) and "\r" in value for value in values)
            (quoted if returns else writer).writerow(values)
