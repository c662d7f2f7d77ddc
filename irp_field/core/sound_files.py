"""Visit files this installation found sound, and how they looked on disk then.

Opening a visit used to read every page (``quick_check``: about a second on a 572 MB
file) before anything was shown, on every opening, also of a file nobody else had
touched since. The whole-file check now belongs to ``check``, to merge (which checks
every source and its target itself), and to the first opening after the file changed
by another hand: a file is looked at (size, modification time and file number of it
and of its WAL, from the file system, never from the file's own words) and, when it
looks as it did when this installation last found it sound or last wrote it itself,
the opening checks its shape and version only. Anything else is checked whole again.

Reading a damaged page is still refused in one line wherever it is met
(``core.pages.damaged``), so a file damaged behind an unchanged look is refused when
read, not shown. The record is a small private file in the data folder; if it cannot
be read or written, every opening simply checks the whole file, as before.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from irp_field import paths

RECORD_NAME = paths.SOUND_FILES
KEPT = 200  # files remembered: the most recent; an older one is only checked again
# What "sound" meant when a file was remembered, first in its look: 2 since a sound file
# also holds no trigger or computing index irp-field did not write (``core.
# foreign_objects``). A file an older irp-field remembered is checked again.
SOUND_MEANS = 2

Look = list[int]


def look(path: Path) -> Look | None:
    """How the file and its WAL stand on disk; None when the file cannot be looked at."""
    try:
        held = path.stat()
    except OSError:
        return None
    seen = [SOUND_MEANS, held.st_size, held.st_mtime_ns, held.st_ino, held.st_dev]
    try:
        wal = Path(f"{path}-wal").stat()
    except OSError:
        return [*seen, 0, 0]
    # An empty WAL (made by the first reading) holds nothing: as if there were none.
    return [*seen, wal.st_size, wal.st_mtime_ns] if wal.st_size else [*seen, 0, 0]


def _record() -> Path:
    return paths.home() / RECORD_NAME


def _key(path: Path) -> str:
    return str(path.resolve())


def _read() -> dict[str, Look]:
    try:
        found = json.loads(_record().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {
        key: value
        for key, value in found.items()
        if isinstance(value, list) and all(type(n) is int for n in value)
    }


def still_sound(path: Path, looked: Look | None) -> bool:
    """Does the file look as it did when it was last found sound (or written here)?"""
    return looked is not None and _read().get(_key(path)) == looked


def found_sound(path: Path, looked: Look | None) -> None:
    """Remember that the file, looking so, was found sound (or left so by this
    installation's own writing); never fails: an unwritable record costs a check."""
    if looked is None:
        return
    record = _read()
    record.pop(_key(path), None)
    record[_key(path)] = looked  # the newest last: the oldest are let go
    _write(dict(list(record.items())[-KEPT:]))


def forget(path: Path) -> None:
    """The file is no longer known sound (damage was met while reading it)."""
    record = _read()
    if record.pop(_key(path), None) is not None:
        _write(record)


def _write(record: dict[str, Look]) -> None:
    """Whole or not at all (written beside, then renamed), private to its owner."""
    try:
        folder = _record().parent
        paths.make_private_folder(folder)
        fresh = folder / f".{RECORD_NAME}.{os.getpid()}"
        paths.create_private_file(fresh)
        fresh.write_text(json.dumps(record), encoding="utf-8")
        os.replace(fresh, _record())
    except OSError:
        return
