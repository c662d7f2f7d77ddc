"""The files a merge reads, each opened once and checked on that one connection.

A merge used to open each source four or five times before it wrote anything: to read
what it is (its pages, meta and shape), to check its values and stamps, to read its rows
back through the rules, and to check its purges (each of those last two opening the
target again), and a source past SQLite's attachments a last time to copy it into the
spill. Now each file is opened once, read-only (``sources.open_alone``: its pages read by
``quick_check``, its shape checked, its bytes hashed), and every check runs on that
connection. The target is read through one connection for every source's checks, closed
before the merge writes. The checks are those they were, in the same order: nothing is
left out to go faster.

What is checked is what is merged. The checks used to read the file on its own
connection and the merge to read it again, attached, in another read transaction: a
row written by another program between the two was merged unchecked. Now the checks run
in one read transaction, begun as the file is opened, which ends with a copy of that
same state (``sources.copy_opened``) in the merge's private folder; the merge reads the
copy, which no other program writes. A file that changed at all while it was read (how
it stands on disk, ``core.sound_files.look``, taken before it was opened and again after
its copy) is refused: its digest, which a re-merge trusts, would not name what was read.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from irp_field.core import purging, schema, sound_files
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence.audit import Found
from irp_field.replication import guard, merge_checks, purge_merge, sources
from irp_field.replication.sources import Source


class OpenedSources:
    """The files a merge reads, each opened once, read-only; closed by :meth:`close`
    (use as a context manager)."""

    def __init__(self, digests: sources.Digests) -> None:
        self.digests = digests  # each file's bytes hashed once
        self._files: dict[Path, VisitFile] = {}  # a source, open in its read transaction
        self._looks: dict[Path, sound_files.Look | None] = {}  # each, before it was opened
        self._copies: dict[Path, tuple[Path, list[purging.Purge]]] = {}  # each, as checked
        self._readers: dict[Path, sqlite3.Connection] = {}  # a copy read into the spill
        self.target: VisitFile | None = None  # read-only, for the sources' checks
        # records naming one their file lacks, the target neither: the other files' turn
        self._awaited: list[tuple[Path, Found]] = []

    def __enter__(self) -> OpenedSources:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.close_target()
        for visit in self._files.values():
            visit.close()
        for reader in self._readers.values():
            reader.close()
        self._files.clear()
        self._readers.clear()

    def close_target(self) -> None:
        if self.target is not None:
            self.target.close()
            self.target = None

    def open_target(self, target: Path) -> Source:
        """The target, read-only (its pages checked): what it is and has merged."""
        self.target, held = sources.open_alone(target, "target")
        return held

    def open_all(self, target: Path, paths_given: list[Path], visit_id: str) -> list[Source]:
        """Every source opened and read (``sources.open_alone``), each of the visit of
        the first (or of the target, ``visit_id``), none the target itself."""
        checked: list[Source] = []
        for path in paths_given:
            if sources.same_file(path, target):
                raise IrpError(f"refused: {path} is the target itself; nothing was merged")
            self._looks.setdefault(path, sound_files.look(path))
            visit, source = sources.open_alone(path, digests=self.digests)
            self._files.setdefault(path, visit)
            if self._files[path] is not visit:
                visit.close()  # a file named twice: read through its first opening
            expected = visit_id or (checked[0].visit_id if checked else source.visit_id)
            if source.visit_id != expected:
                raise IrpError(
                    f"refused: {path} belongs to another visit ({source.visit_id}, not "
                    f"{expected}); nothing was merged"
                )
            checked.append(source)
        return checked

    def keep_only(self, needed: list[Path]) -> None:
        """Close every file but the copies the merge reads into the spill (a copy
        attached is read on the merge's own connection; a source, only through its copy)."""
        for path in list(self._files):
            self._files.pop(path).close()
        for path in [p for p in self._readers if p not in needed]:
            self._readers.pop(path).close()

    def reading(self, path: Path) -> sqlite3.Connection:
        """The copy read for a source (``path``: as :meth:`check` gave it), open."""
        if path not in self._readers:
            self._readers[path] = sqlite3.connect(sources.copy_uri(path), uri=True)
        return self._readers[path]

    def check(
        self, source: Source, scratch: Path, number: int, *, accept_skew: bool
    ) -> tuple[Path, list[purging.Purge]]:
        """Every check of a source's rows before any is merged, in the read transaction
        it was opened in: its values and stamps, its live records through the rules and
        its purges (those the target holds as they are let through); then the copy of
        that state the merge reads. The copy, and the purges the source carries."""
        if source.path in self._copies:  # a file named twice: checked once
            return self._copies[source.path]
        visit = self._files.pop(source.path)
        copy = scratch / f"source-{number}.db"
        try:
            if source.schema_version == schema.SCHEMA_VERSION:
                carried = self._checked(visit, source.path, accept_skew=accept_skew)
            sources.copy_opened(visit.conn, copy)  # the state checked (or to migrate)
        finally:
            visit.close()  # its read transaction ends; its pages are let go
        if source.schema_version != schema.SCHEMA_VERSION:  # an older file: its copy
            sources.migrated(source, copy)  # brought to this schema, then checked
            with VisitFile.open(copy, readonly=True, check_pages=False) as migrated:
                carried = self._checked(migrated, source.path, accept_skew=accept_skew, shape=True)
        if sound_files.look(source.path) != self._looks[source.path]:
            raise IrpError(
                f"refused: {source.path}: changed while it was read (another program wrote "
                "it meanwhile); nothing was merged: merge it again once it is closed"
            )
        self._copies[source.path] = (copy, carried)
        return copy, carried

    def refuse_unmade_whole(self) -> None:
        """Once every file is checked: a record naming one its file lacks comes in only
        when another file of this merge holds it (the record in laptop A, its answer in
        laptop B), each read as it was checked (its copy)."""
        if not self._awaited:
            return
        others = [
            sqlite3.connect(sources.copy_uri(copy), uri=True) for copy, _ in self._copies.values()
        ]
        try:
            merge_checks.refuse_unmade_whole(self._awaited, others)
        finally:
            for conn in others:
                conn.close()

    def _checked(
        self, visit: VisitFile, named: Path, *, accept_skew: bool, shape: bool = False
    ) -> list[purging.Purge]:
        """The checks of one opened file (``shape``: a migrated copy's, a source's was
        checked as it was opened); the purges it carries."""
        held = self.target.conn if self.target is not None else None
        guard.check_opened(visit.conn, named, accept_skew=accept_skew, shape=shape)
        merge_checks.refuse_bad_rows_in(visit, named=named, held=held, awaited=self._awaited)
        return purge_merge.check_opened(visit.conn, named=named, held=held)
