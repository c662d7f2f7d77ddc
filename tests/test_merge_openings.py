"""A merge opens each file it reads once (issue 24): every check of a source (its pages,
shape, values and stamps, its rows through the rules, its purges) is made on one
connection, its bytes are hashed once, and the merge then reads it attached or, past
SQLite's attachments, through that same connection; the target is read through one
connection for every source's checks. Counted here by the connections made to each file
(``sqlite3.connect``, which every opening goes through), the ATTACHes the merge runs and
the hashes taken."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from merge_helpers import cp

from irp_field.core import visit_file
from irp_field.core.visit_file import VisitFile
from irp_field.replication import sources
from irp_field.replication.merge import merge_visits

TEAM = 12  # more than SQLite attaches at once: the last ones are read into the spill


def _file_of(database: object) -> Path | None:
    """The file a connection or an ATTACH names (a path, or a ``file:`` URI)."""
    text = str(database)
    if text.startswith("file:"):
        text = unquote(urlparse(text).path)
    if not text or text == ":memory:":
        return None
    return Path(text).resolve()


class Counted:
    """Connections made to each file, ATTACHes of each file, and hashes of each."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.connections: Counter[Path] = Counter()
        self.attached: Counter[Path] = Counter()
        self.hashed: Counter[Path] = Counter()
        # A reading that made a file's WAL files has SQLite take them away after it, on
        # a connection that reads nothing of the file (``connection.leave_as_found``):
        # counted apart, at most once a file, so that a file is still read through one.
        self.tidied: Counter[Path] = Counter()
        self._tidying = False
        connect, digest, tidy = sqlite3.connect, sources.file_digest, visit_file.leave_as_found

        def counting_connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
            found = _file_of(database)
            if found is not None:
                (self.tidied if self._tidying else self.connections)[found] += 1
            conn = connect(database, *args, **kwargs)
            conn.set_trace_callback(self._attach)
            return conn

        def counting_digest(path: Path) -> str:
            self.hashed[path.resolve()] += 1
            return digest(path)

        def counting_tidy(path: Path) -> None:
            self._tidying = True
            try:
                tidy(path)
            finally:
                self._tidying = False

        monkeypatch.setattr(sqlite3, "connect", counting_connect)
        monkeypatch.setattr(visit_file, "leave_as_found", counting_tidy)
        monkeypatch.setattr(sources, "file_digest", counting_digest)

    def _attach(self, statement: str) -> None:
        if statement.lstrip().upper().startswith("ATTACH"):
            named = statement.split("'")[1] if "'" in statement else ""
            found = _file_of(named)
            if found is not None:
                self.attached[found] += 1


def _laptops(hull_path: Path, folder: Path) -> list[Path]:
    laptops = []
    for n in range(TEAM):
        path = cp(hull_path, folder / f"inspector{n}.db")
        with VisitFile.open(path, user=f"Inspector {n}") as visit, visit.transaction():
            visit.insert(
                "note",
                {
                    "taken_at": "2022-03-15T10:00",
                    "text": f"seen by {n}",
                    "author": f"Inspector {n}",
                },
            )
        laptops.append(path)
    return laptops


def test_each_source_is_opened_once_hashed_once_and_read_once(
    hull_path: Path, tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptops = _laptops(hull_path, tmp_path)
    master = cp(hull_path, tmp_path / "master.db")
    counted = Counted(monkeypatch)
    report = merge_visits(master, laptops)
    assert report.counts["note"].new == TEAM
    for laptop in laptops:
        where = laptop.resolve()
        assert counted.connections[where] == 1, (laptop.name, counted.connections[where])
        assert counted.tidied[where] <= 1, (laptop.name, counted.tidied[where])
        assert counted.hashed[where] == 1, (laptop.name, counted.hashed[where])
        assert counted.attached[where] <= 1  # or read into the spill through its connection
    assert sum(1 for laptop in laptops if counted.attached[laptop.resolve()]) < TEAM
    # the target: whether it was merged before, its pages and what it holds, its writer
    assert counted.connections[master.resolve()] <= 3, counted.connections[master.resolve()]


def test_a_re_merge_with_one_file_changed_opens_each_file_once(
    hull_path: Path, tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptops = _laptops(hull_path, tmp_path)
    master = cp(hull_path, tmp_path / "master.db")
    merge_visits(master, laptops)
    with VisitFile.open(laptops[-1], user="Inspector 11") as visit, visit.transaction():
        visit.insert(
            "note", {"taken_at": "2022-03-15T11:00", "text": "later", "author": "Inspector 11"}
        )
    counted = Counted(monkeypatch)
    report = merge_visits(master, laptops)
    assert report.counts["note"].new == 1 and len(report.unchanged) == TEAM - 1
    for laptop in laptops:
        where = laptop.resolve()
        assert counted.connections[where] == 1, (laptop.name, counted.connections[where])
        assert counted.tidied[where] <= 1, (laptop.name, counted.tidied[where])
        assert counted.hashed[where] == 1, (laptop.name, counted.hashed[where])
