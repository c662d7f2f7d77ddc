"""Helpers of the tests of typing kept while another program holds the visit file."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from irp_field.core.visit_file import VisitFile


def showing(app: object, name: str) -> bool:
    """Is the screen on top the one named? (By name: the question and the offer are
    new, and a test that imported them could not fail on the code before them.)"""
    return type(app.screen).__name__ == name  # type: ignore[attr-defined]


def lock(path: Path) -> sqlite3.Connection:
    """Another program's write lock on the visit, held until ``release``."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    other.execute("BEGIN EXCLUSIVE")
    return other


def release(other: sqlite3.Connection) -> None:
    other.rollback()
    other.close()


def kept_file(path: Path) -> Path:
    return path.with_name(path.name + ".unsaved.json")


def kept_entries(path: Path) -> list[dict[str, object]]:
    found = kept_file(path)
    if not found.exists():
        return []
    return list(json.loads(found.read_text(encoding="utf-8"))["entries"])


def one(path: Path, sql: str, params: tuple[object, ...] = ()) -> object:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.one(sql, params)
    return None if row is None else row[0]


def drafts_with(path: Path, text: str) -> int:
    return int(one(path, "SELECT COUNT(*) FROM note_draft WHERE text = ?", (text,)))  # type: ignore[arg-type]


async def until(pilot: Pilot[None], holds: Callable[[], bool], what: str) -> None:
    """Wait, a tenth of a second at a time and at most 15 seconds, for ``holds()``."""
    for _ in range(150):
        if holds():
            return
        await pilot.pause(0.1)
    raise AssertionError(f"never happened: {what}")


def private(path: Path) -> bool:
    return os.name != "posix" or stat.S_IMODE(path.stat().st_mode) == 0o600
