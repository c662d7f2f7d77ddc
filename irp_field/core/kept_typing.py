"""The file that keeps what an inspector typed while the visit file could not take it.

When another program holds the visit's write lock (a merge in another window, a copy
tool, a script), a save or a note's draft cannot be written. What was typed then goes
here at once, so that a crash, a kill or a quit while the lock lasts loses nothing; it
leaves the file as soon as it is in the visit, or when the person discards it, and the
file goes when nothing is left in it.

It holds special-category data (a note about a prisoner's health, a name), so it is as
private as the visit: created readable by its owner only (0600) and replaced whole (a
crash leaves the old file or the new one, never half of one). On POSIX it lives beside
the visit (``hull.db.unsaved.json``); on Windows, which has no modes, in the user's own
data folder (``unsaved/`` in it, named by a digest of the visit's path), where other
people's accounts cannot read it. A visit whose folder cannot be written to keeps it
there too.

What the file says is read as data, within a size cap: each entry is a kind, words for
people, and the values typed; putting one back goes through the rules of the save it
came from (``api.unsaved``). Core knows no feature: it stores entries, nothing more.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from irp_field import paths
from irp_field.core import connection
from irp_field.domain.errors import IrpError

FORMAT = "irp-field unsaved typing"
SUFFIX = ".unsaved.json"
LARGEST = 32 * 1024 * 1024  # bytes: hundreds of long notes; more is not a file of ours
Entry = dict[str, Any]


def places(visit_path: Path, posix: bool = os.name == "posix", *, own: bool = True) -> list[Path]:
    """Where the kept file of ``visit_path`` may be, the first the one written to;
    ``own=False`` leaves out the one in the user's own folder."""
    resolved = Path(os.path.abspath(visit_path))
    # no modes: only the user's own folder, which other accounts cannot read
    beside = [resolved.with_name(resolved.name + SUFFIX)] if posix else []
    return [*beside, _own_place(resolved)] if own else beside


def _own_place(resolved: Path) -> Path:
    import hashlib  # it loads OpenSSL (1.4 ms): only when a file there is named

    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return _own_folder() / f"{digest}{SUFFIX}"


def _own_folder() -> Path:
    return paths.home() / paths.UNSAVED


def read(visit_path: Path, visit_id: str) -> list[Entry]:
    """The entries kept for this visit (none when there is no file). A file that is not
    one of ours, or is another visit's, is refused in one line and left as it is. The
    user's own folder is looked in when it exists (every start of the app reads this
    before its first frame, and the folder is made by the first file kept in it)."""
    found: list[Entry] = []
    for place in places(visit_path, own=_own_folder().is_dir()):
        found += _entries(place, visit_id)
    return found


def _entries(place: Path, visit_id: str) -> list[Entry]:
    try:
        with place.open("rb") as handle:
            data = handle.read(LARGEST + 1)
    except FileNotFoundError:
        return []
    except OSError as error:
        raise IrpError(f"{place}: cannot be read ({error.strerror}); it is left as it is") from None
    if len(data) > LARGEST:
        raise IrpError(f"{place}: larger than a file of unsaved typing; it is left as it is")
    try:
        held = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise IrpError(f"{place}: not a file of unsaved typing; it is left as it is") from None
    if not isinstance(held, dict) or held.get("format") != FORMAT:
        raise IrpError(f"{place}: not a file of unsaved typing; it is left as it is")
    if held.get("visit_id") != visit_id:
        raise IrpError(f"{place}: kept for another visit; it is left as it is")
    entries = held.get("entries")
    if not isinstance(entries, list) or not all(_well_formed(e) for e in entries):
        raise IrpError(f"{place}: an entry is damaged; the file is left as it is")
    return entries


def _well_formed(entry: object) -> bool:
    if not isinstance(entry, dict):
        return False
    texts = ("key", "kind", "what", "kept_at", "by")
    if not all(isinstance(entry.get(name), str) for name in texts):
        return False
    shown = entry.get("shown")
    if not isinstance(shown, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)
        for pair in shown
    ):
        return False
    return isinstance(entry.get("args"), dict)


def put(visit_path: Path, visit_id: str, entries: Iterable[Entry]) -> Path:
    """Add or replace (by their ``key``) entries in the kept file; returns where it is."""
    adding = list(entries)
    keys = {entry["key"] for entry in adding}
    held = [entry for entry in read(visit_path, visit_id) if entry["key"] not in keys]
    return _write(visit_path, visit_id, held + adding)


def drop(visit_path: Path, visit_id: str, keys: Iterable[str]) -> None:
    """Take entries out (in the visit now, or discarded); no file is left empty."""
    gone = set(keys)
    held = read(visit_path, visit_id)
    left = [entry for entry in held if entry["key"] not in gone]
    if len(left) != len(held):
        _write(visit_path, visit_id, left)


def _write(visit_path: Path, visit_id: str, entries: list[Entry]) -> Path:
    targets = places(visit_path)
    if not entries:
        for place in targets:
            place.unlink(missing_ok=True)
        return targets[0]
    body = json.dumps(
        {
            "format": FORMAT,
            "visit_id": visit_id,
            "visit": str(Path(os.path.abspath(visit_path))),
            "entries": entries,
        },
        ensure_ascii=False,
        indent=1,
    ).encode("utf-8", "surrogatepass")
    problem: OSError | None = None
    for place in targets:
        try:
            _replace(place, body)
        except OSError as error:
            problem = problem or error
            continue
        for other in targets:  # one file: an older one elsewhere goes
            if other != place:
                other.unlink(missing_ok=True)
        return place
    assert problem is not None
    raise IrpError(f"what was typed could not be kept in a file either ({problem.strerror})")


def _replace(place: Path, body: bytes) -> None:
    """Write ``body`` to ``place`` whole: a private file beside it, then a rename."""
    paths.make_private_folder(place.parent)
    for leftover in place.parent.glob(f".{place.name}.*.partial"):  # a kill mid-write
        leftover.unlink(missing_ok=True)
    partial = place.with_name(f".{place.name}.{uuid.uuid4().hex}.partial")
    paths.create_private_file(partial)
    try:
        with partial.open("r+b") as handle:
            handle.write(body)
            handle.flush()
            if connection.SYNCHRONOUS != "OFF":  # as the visit's own writes wait for the disk
                os.fsync(handle.fileno())
        os.replace(partial, place)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _names(value: object, wanted: set[str]) -> bool:
    if isinstance(value, str):
        return value in wanted
    if isinstance(value, dict):
        return any(_names(item, wanted) for item in value.values())
    if isinstance(value, list):
        return any(_names(item, wanted) for item in value)
    return False


def drop_naming(visit_path: Path, visit_id: str, row_ids: Iterable[str]) -> int:
    """Take out every entry that writes one of these records (a purge: what was typed
    into a record whose content is removed for good goes too); how many went. An
    entry names its record among its values (a note's id, a check's id) or in its key."""
    wanted = {row_id for row_id in row_ids if row_id}
    if not wanted:
        return 0
    held = read(visit_path, visit_id)
    left = [
        entry
        for entry in held
        if not _names(entry["args"], wanted)
        and not any(part in wanted for part in entry["key"].split(":"))
    ]
    if len(left) != len(held):
        _write(visit_path, visit_id, left)
    return len(held) - len(left)
