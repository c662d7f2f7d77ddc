"""Helpers shared by the hardening tests: hashes of a folder, writers in subprocesses,
and what a visit file holds after a kill."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from pathlib import Path

from forking import Forked, ForkServer

from irp_field.core import sound_files

HERE = Path(__file__).parent
WRITER = HERE / "hardening_writer.py"


def folder_hashes(*folders: Path) -> dict[str, str]:
    """Every file under the folders by path, with its SHA-256. A ``-shm`` index is
    scratch memory, and an empty ``-wal`` is the same as none: neither counts; nor does
    the data folder's memory of the visit files found sound (``core.sound_files``: a
    good file read on the way to a refusal is remembered, which only spares a check)."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_dir() or path.name.endswith("-shm"):
                continue
            if path.name == sound_files.RECORD_NAME:
                continue
            data = path.read_bytes()
            if path.name.endswith("-wal") and not data:
                continue
            found[str(path)] = hashlib.sha256(data).hexdigest()
    return found


def start_writer(
    server: ForkServer, path: Path, seconds: float, tag: str, stop: Path | None = None
) -> Forked | subprocess.Popen[str]:
    """A writer process (forked by ``server``), once it has said ``ready`` (the file is open).
    It writes for ``seconds`` (0: until killed), or until the file ``stop`` exists."""
    told = [str(stop)] if stop is not None else []
    process = server.start([str(WRITER), str(path), str(seconds), tag, *told])
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    assert first == "ready\n", (first, process.stderr.read())
    return process


def committed(output: str) -> tuple[dict[str, set[str]], set[str]]:
    """The rows a writer said it committed (complete lines only), and its deletes."""
    added: dict[str, set[str]] = {"note": set(), "toc_period": set()}
    deleted: set[str] = set()
    for line in output.splitlines(keepends=True):
        if not line.endswith("\n"):
            break  # killed in the middle of printing: not a promise
        parts = line.split()
        if parts[0] == "add":
            added[parts[1]].add(parts[2])
        elif parts[0] == "del":
            deleted.add(parts[1])
    return added, deleted


def check_after_kill(path: Path, added: dict[str, set[str]], deleted: set[str]) -> None:
    """integrity_check ok, the notes' full-text index in step, every promised row there."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.execute("INSERT INTO note_fts(note_fts) VALUES('integrity-check')")
        for table, ids in added.items():
            present = {r[0] for r in conn.execute(f"SELECT id FROM {table}")}
            missing = ids - present
            assert not missing, f"{len(missing)} committed {table} row(s) lost"
        tombstones = {r[0] for r in conn.execute("SELECT id FROM note WHERE deleted = 1")}
        assert deleted <= tombstones, "a committed delete was lost"
    finally:
        conn.close()
