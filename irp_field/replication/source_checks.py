"""The files a merge reads, each opened once and checked on that one connection.

A merge used to open each source four or five times before it wrote anything: to read
what it is (its pages, meta and shape), to check its values and stamps, to read its rows
back through the rules, and to check its purges (each of those last two opening the
target again), and a source past SQLite's attachments a last time to copy it into the
spill. Now each file is opened once, read-only (``sources.open_alone``: its pages read by
``quick_check``, its shape checked, its bytes hashed), every check runs on that
connection, and it stays open, read-only, until the merge ends, so that a source copied
into the spill is read through it too. The target is read through one connection for
every source's checks, closed before the merge writes. The checks are those they were,
in the same order: nothing is left out to go faster.
"""

from __future__ import annotations

from pathlib import Path

from irp_field.core import purging
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.replication import guard, merge_checks, purge_merge, sources
from irp_field.replication.sources import Source


class OpenedSources:
    """The files a merge reads, each opened once, read-only; closed by :meth:`close`
    (use as a context manager)."""

    def __init__(self, digests: sources.Digests) -> None:
        self.digests = digests  # each file's bytes hashed once
        self._files: dict[Path, VisitFile] = {}  # the file read (a source, or its copy)
        self.target: VisitFile | None = None  # read-only, for the sources' checks

    def __enter__(self) -> OpenedSources:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.close_target()
        for visit in self._files.values():
            visit.close()
        self._files.clear()

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

    def readable(self, source: Source, scratch: Path, number: int) -> Path:
        """The file the merge reads for ``source``: itself, or a migrated copy of an
        older one (opened here: the copy is this merge's own)."""
        path = sources.readable_copy(source, scratch, number)
        if path not in self._files:
            self._files[path] = VisitFile.open(path, readonly=True, check_pages=False)
        return path

    def keep_only(self, needed: list[Path]) -> None:
        """Close every file but those the merge still reads through this opening (the
        ones copied into the spill); an attached file is read on the merge's own
        connection."""
        for path in [p for p in self._files if p not in needed]:
            self._files.pop(path).close()

    def reading(self, path: Path) -> VisitFile:
        """The open file read for a source (``path``: as :meth:`readable` gave it)."""
        return self._files[path]

    def check(self, source: Source, path: Path, *, accept_skew: bool) -> list[purging.Purge]:
        """Every check of a source's rows before any is merged, on its one connection:
        its shape (a migrated copy's; a source's was checked as it was opened), values
        and stamps, its live records through the rules and its purges (those the target
        holds as they are let through); the purges it carries."""
        visit = self._files[path]
        held = self.target.conn if self.target is not None else None
        guard.check_opened(
            visit.conn, source.path, accept_skew=accept_skew, shape=path != source.path
        )
        merge_checks.refuse_bad_rows_in(visit, named=source.path, held=held)
        carried = purge_merge.check_opened(visit.conn, named=source.path, held=held)
        # Its pages, read for the checks, are let go while it stays open (twelve files'
        # caches held to the end took 25 MiB); the spill reads it again from the disk's.
        visit.conn.execute("PRAGMA shrink_memory")
        return carried
