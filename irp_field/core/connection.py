"""Connections to a visit file, and the checks made before one is trusted.

Every connection to a visit being worked on is made here: autocommit (transactions are
explicit), a busy timeout, WAL and ``synchronous=FULL`` for writers. The merge, the
exports, sealing and the hand-out make their own to files that are no visit in use: a
source read ``mode=ro`` before it is trusted (``replication/guard``, ``sources``), a
private copy or a scratch database being built (``replication/merge``,
``interchange/export_database``, ``redacted_copy``, ``sealing``, ``handout``), and
``:memory:`` ones. A file is looked at with :func:`inspect_file`
before SQLite opens it, and this process's open files are counted so that reading a
header never drops another connection's locks (see :class:`_OpenFiles`).
"""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from irp_field.domain.errors import IrpError, NotAVisitError

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000
# How a writer waits for the disk. FULL everywhere the app runs; the test suite lowers it
# for the tests that do not prove durability (tests/conftest.py), which is why it is a
# module setting and not an option: nothing on the command line or in the UI reaches it.
SYNCHRONOUS = "FULL"


_TOO_BIG = 18  # SQLITE_TOOBIG
# No value a sound visit holds is longer: twice the largest (an attachment's bytes; a
# text under the rules' caps is 1.6 MB at most). A reading connection takes no longer
# one (SQLite's length limit): a sampled record's name of 100 MB was read again for
# every criterion of its frame (the figures, the report and every export ran for
# minutes); the merge's row checks name such a value (``replication.row_checks``).
# Written out, not imported: ``domain.attachments`` loads hashlib (4 MB more at every
# opening); tests/test_value_bytes.py holds it to twice ``domain.attachments.MAX_BYTES``.
VALUE_BYTES = 40 * 2**20


class ValueTooLong(IrpError):
    """A reading refused a value past its connection's length limit, in words naming the
    file (``pages.damaged``)."""


def too_big(error: BaseException) -> bool:
    """Did SQLite refuse a value longer than the connection's length limit as it read it
    (its error, or that error in words: :class:`ValueTooLong`)?"""
    return isinstance(error, ValueTooLong) or (
        isinstance(error, sqlite3.DataError)
        and getattr(error, "sqlite_errorcode", 0) & 0xFF == _TOO_BIG
    )


@contextmanager
def values_at_most(conn: sqlite3.Connection, size: int) -> Iterator[None]:
    """Readings on ``conn`` take no value of more than ``size`` bytes (SQLite's
    SQLITE_LIMIT_LENGTH): a longer one is refused by SQLite as it is read (:func:`too_big`),
    never made a Python string; the limit as it was afterwards. It costs the readings of
    shorter values nothing."""
    held = conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, size)
    try:
        yield
    finally:
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, held)


def connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if readonly:
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_BYTES)
    return conn


def wal_files(path: Path) -> tuple[Path, Path]:
    """A visit file's WAL and its index, beside it."""
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def had_no_wal(path: Path) -> bool:
    """Whether neither WAL file is beside ``path`` (asked before a reading opens it)."""
    return not any(side.exists() for side in wal_files(path))


def leave_as_found(path: Path) -> None:
    """Take away the empty WAL files a reading made beside a file that had none.

    A ``mode=ro`` connection to a WAL file makes its ``-wal`` and ``-shm`` and cannot
    remove them as it closes, as SQLite's last connection otherwise does: ``irp-field
    figures hull.db`` left two files beside the visit on a USB stick, which went on to
    every copy of its folder. So SQLite is left to tidy them, as it tidies its own:
    an ordinary connection opened and closed, which removes them only if it is the last
    user of the file (another process's connection keeps them) and the WAL holds
    nothing to copy back (checked first: a reading never writes the file it read).
    Where the file cannot be written (a locked stick), they stay, as they did."""
    wal, _shm = wal_files(path)
    try:
        if wal.stat().st_size:
            return
        conn = sqlite3.connect(str(path), isolation_level=None)
    except (OSError, sqlite3.Error):
        return
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.Error:
        pass
    finally:
        conn.close()


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` on a connection of the opening's own (a
    migration, a repair, a claim), or ``ROLLBACK`` and the error raised."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def configure_for_writing(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
    # Every commit is copied into the visit file itself at once (a passive checkpoint),
    # not left in its -wal file until the app closes: an inspector who copies the .db
    # to a USB stick while the app is open takes everything saved (walking it, a copy
    # made mid-session lacked the session's photographs, glossary term and edits).
    conn.execute("PRAGMA wal_autocheckpoint = 1")


class _OpenFiles:
    """The visit files this process has open, by inode, with how many connections each.

    POSIX drops every lock a process holds on a file when the process closes *any*
    descriptor of it. SQLite guards its own descriptors against this, but a plain
    open() and close() to read the header of a file that this process already has open
    would release the shared lock of the open connection: another process could then
    take itself for the file's last user and delete the WAL files from under it. So the
    header is read only from files this process does not have open (one registry per
    process, like SQLite's own table of open files).
    """

    def __init__(self) -> None:
        self._count: dict[tuple[int, int], int] = {}

    @staticmethod
    def key(path: Path) -> tuple[int, int] | None:
        try:
            status = path.stat()
        except OSError:
            return None
        return (status.st_dev, status.st_ino)

    def is_open(self, path: Path) -> bool:
        key = self.key(path)
        return key is not None and self._count.get(key, 0) > 0

    def add(self, path: Path) -> tuple[int, int] | None:
        key = self.key(path)
        if key is not None:
            self._count[key] = self._count.get(key, 0) + 1
        return key

    def holds(self, key: tuple[int, int] | None) -> bool:
        return key in self._count

    def remove(self, key: tuple[int, int] | None) -> None:
        if key is not None and key in self._count:
            self._count[key] -= 1
            if not self._count[key]:
                del self._count[key]


OPEN_FILES = _OpenFiles()


def refuse_unless_plain(path: Path) -> None:
    """A visit is a plain file: a pipe given as one blocked its reader for ever, and a
    device (/dev/zero) was read without end; both are refused before they are opened."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise NotAVisitError(f"{path}: cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(mode):
        raise NotAVisitError(
            f"{path}: is not a file (a pipe, a device or a socket), not a visit file"
        )


def refuse_foreign_objects(path: Path, conn: sqlite3.Connection) -> None:
    """No visit file holds a view, nor a virtual table but its notes' index: one
    read runs any query its author wrote (a view of a recursive query named
    ``roll_check`` hung every command that opened the file, before any check of its
    shape). Refused before anything is read through one."""
    found = conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type = 'view' OR (type = 'table' "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%' AND NOT (name = 'note_fts' "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%USING FTS5%')) LIMIT 1"
    ).fetchone()
    if found is not None:
        what = "a view" if found[0] == "view" else "a virtual table"
        raise NotAVisitError(
            f"{path}: {str(found[1])[:40]} is {what}, not a table: no visit file holds "
            "one, so nothing is read through it (a merge would refuse it)"
        )


def inspect_file(path: Path) -> None:
    """Refuse, with one clear sentence, anything that is not a readable visit file."""
    if not path.exists():
        raise NotAVisitError(f"{path}: no such file")
    if path.is_dir():
        raise NotAVisitError(f"{path}: is a folder, not a visit file")
    refuse_unless_plain(path)
    if OPEN_FILES.is_open(path):
        return  # checked when this process opened it; reading it again would drop locks
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise NotAVisitError(f"{path}: cannot be read ({error.strerror})") from None
    if len(header) == 0:
        raise NotAVisitError(f"{path}: is empty, not a visit file")
    if not header.startswith(SQLITE_MAGIC):
        raise NotAVisitError(f"{path}: is not a visit file (not an SQLite database)")
    if len(header) < 100:
        raise NotAVisitError(f"{path}: is damaged (truncated SQLite header)")
