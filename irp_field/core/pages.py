"""Whole-file reading beside the caller's: SQLite's ``quick_check`` and ``integrity_check``,
and any other whole-table pass a caller would rather not wait for.

Every opening runs ``quick_check`` unless the caller runs a check beside its reading
(:func:`checked_beside`). Work beside runs on a second connection in another thread
(SQLite lets go of Python's lock while it works, so on two cores it costs no wait), and
its result is acted on when the reading ends, before the caller shows anything it read.
Damaged pages are refused in one sentence, as an opening refuses them; what only
``integrity_check`` finds (an index out of step with its table) is the caller's to
report.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from irp_field.core.connection import VALUE_BYTES, ValueTooLong, too_big
from irp_field.domain.errors import IrpError, NotAVisitError

T = TypeVar("T")

# SQLITE_CORRUPT and SQLITE_NOTADB (primary codes): what reading a damaged page gives.
CORRUPT = 11  # SQLITE_CORRUPT: "database disk image is malformed"
DAMAGE_CODES = (CORRUPT, 26)  # and SQLITE_NOTADB
CHECKS = ("quick_check", "integrity_check")


def refuse_damage(path: Path, quick_check: str) -> None:
    """Refuse a file whose ``quick_check`` is not ``ok``, naming the first fault."""
    if quick_check != "ok":
        first = " ".join(
            line.strip("* ") for line in quick_check.splitlines()[:2] if line.strip("* ")
        )
        raise NotAVisitError(f"{path}: is damaged (quick_check: {first})")


def damaged(path: Path, error: sqlite3.DatabaseError) -> Exception:
    """A damaged page met while reading, as the one-line refusal an opening gives; any
    other database error as it was."""
    if getattr(error, "sqlite_errorcode", 0) & 0xFF in DAMAGE_CODES:
        return NotAVisitError(f"{path}: is damaged ({error}); see `irp-field check`")
    if too_big(error):  # past a reading connection's length limit: no damage, a hand's
        return _too_long(path)
    return error


def _too_long(path: Path) -> ValueTooLong:
    return ValueTooLong(
        f"{path}: holds a value longer than any record holds (over "
        f"{VALUE_BYTES // 2**20} MiB: another program changed the file); "
        "`irp-field check` names it"
    )


def not_opened(path: Path, error: sqlite3.DatabaseError) -> IrpError:
    """Why a file could not be opened as a visit, in one line: a visit file with a
    damaged page (its schema's own, say: SQLITE_CORRUPT) as damage met while reading is
    said; a value past the reading's length limit, met by an opening's looks at a file
    from elsewhere (``core.stored_forms``), as a reading says it; anything else (not a
    database at all) as what it may be."""
    if too_big(error):
        return _too_long(path)
    if getattr(error, "sqlite_errorcode", 0) & 0xFF == CORRUPT:
        return NotAVisitError(f"{path}: is damaged ({error}); see `irp-field check`")
    return NotAVisitError(f"{path}: is damaged or not a visit file ({error})")


class Beside(Generic[T]):
    """``work(conn)`` running on a connection of its own in another thread."""

    def __init__(
        self, connect: Callable[[], sqlite3.Connection], work: Callable[[sqlite3.Connection], T]
    ) -> None:
        self._connect, self._work = connect, work
        self._value: list[T] = []
        self._error: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name="irp-field beside", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = self._connect()
            try:
                self._value.append(self._work(conn))
            finally:
                conn.close()
        except BaseException as error:  # handed to the caller by result()
            self._error.append(error)

    def join(self) -> None:
        self._thread.join()

    def result(self) -> T:
        """Wait for the work; its value, or the exception it raised."""
        self._thread.join()
        if self._error:
            raise self._error[0]
        return self._value[0]


@contextmanager
def beside(
    connect: Callable[[], sqlite3.Connection], work: Callable[[sqlite3.Connection], T]
) -> Iterator[Beside[T]]:
    """Run ``work`` on a second connection while the block reads; joined on leaving."""
    running = Beside(connect, work)
    try:
        yield running
    finally:
        running.join()


def _pragma(check: str, conn: sqlite3.Connection) -> list[str]:
    try:
        return [str(row[0]) for row in conn.execute(f"PRAGMA {check}")]
    except sqlite3.DatabaseError as error:
        return [str(error)]


def _act_on(path: Path, check: str, found: list[str], conn: sqlite3.Connection) -> None:
    """Refuse damaged pages; leave anything else ``integrity_check`` says to the caller."""
    if found == ["ok"]:
        return
    if check == "quick_check":
        refuse_damage(path, found[0] if found else "not checked")
        return
    try:  # integrity_check found something: are the pages themselves damaged?
        quick = str(conn.execute("PRAGMA quick_check").fetchone()[0])
    except sqlite3.DatabaseError as error:
        quick = str(error)
    refuse_damage(path, quick)


@dataclass
class Checked(Generic[T]):
    """What the work beside found, once the block has ended."""

    lines: list[str] = field(default_factory=list)  # the check's lines ("ok" when sound)
    also: T | None = None  # what ``also`` returned


@contextmanager
def checked_beside(
    path: Path,
    connect: Callable[[], sqlite3.Connection],
    conn: sqlite3.Connection,
    check: str = "quick_check",
    also: Callable[[sqlite3.Connection], T] | None = None,
) -> Iterator[Checked[T]]:
    """Run ``PRAGMA check`` (and then ``also``, on the same connection in the same thread)
    on a connection from ``connect`` while the caller reads through ``conn``. Damaged
    pages are refused on leaving, also when the reading met them first (a raw database
    error from the block becomes the one-line refusal)."""
    if check not in CHECKS:
        raise ValueError(f"not a whole-file check: {check!r}")

    def work(second: sqlite3.Connection) -> tuple[list[str], T | None]:
        lines = _pragma(check, second)
        if also is None:
            return lines, None
        try:
            return lines, also(second)
        except sqlite3.DatabaseError:
            if lines == ["ok"]:
                raise  # a sound file, and yet: the caller hears of it
            return lines, None  # damaged: refused on leaving

    checked: Checked[T] = Checked()
    with beside(connect, work) as running:
        try:
            yield checked
        except sqlite3.DatabaseError as error:
            _finish(running, checked)
            _act_on(path, check, checked.lines, conn)
            raise damaged(path, error) from None
    _finish(running, checked)
    _act_on(path, check, checked.lines, conn)


def _finish(running: Beside[tuple[list[str], T | None]], checked: Checked[T]) -> None:
    try:
        checked.lines, checked.also = running.result()
    except sqlite3.DatabaseError as error:  # no second connection, or ``also`` failed
        checked.lines = [str(error)]
