"""A second writing connection to a visit file this process has open: the UI's worker's.

The terminal UI writes on one connection, on its event loop. Work that reads the whole
visit before it writes (a sync of every paragraph computes every figure: seconds on a
visit of a million checks) runs in a thread worker instead, and sqlite3 objects stay in
one thread, so the worker writes through a connection of its own, made here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from irp_field.core import pages
from irp_field.core.connection import configure_for_writing, connect
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError, NotAVisitError

# How many of SQLite's steps the connection runs between two looks at whether it was
# told to stop (a look is a call into Python: rare enough to cost nothing measurable).
STOP_STEPS = 10_000


def writer_beside(visit: VisitFile, stop: Callable[[], bool] | None = None) -> VisitFile:
    """A writing connection to ``visit``'s file beside ``visit``'s own, for a thread.

    Opened as ``VisitFile.open_reader`` opens its view (stat() and SQLite alone: a plain
    open and close of the file by this process would drop ``visit``'s locks), configured
    for writing as ``visit`` is, waiting as long as ``visit`` does for another program's
    write lock (then :class:`~irp_field.core.visit_file.FileBusy`, the same refusal), and
    sharing ``visit``'s clock: SQLite lets one connection write at a time and the clock
    never hands out a stamp twice, so every stamp either writes is above every stamp the
    other wrote before it. The file was checked and migrated when ``visit`` opened it.

    ``stop``, asked every :data:`STOP_STEPS` steps of SQLite's: once it is true whatever
    the connection runs fails ("interrupted") and its open transaction is rolled back, so
    a thread told to stop (the app closing) ends at once and leaves nothing half-written.
    """
    if visit.readonly:
        raise IrpError(f"{visit.path}: opened read-only")
    if not visit.path.is_file():
        raise NotAVisitError(f"{visit.path}: no such file")
    try:
        conn = connect(visit.path, readonly=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {visit.lock_wait_ms}")
            configure_for_writing(conn)
            if stop is not None:
                conn.set_progress_handler(lambda: 1 if stop() else 0, STOP_STEPS)
            beside = VisitFile(visit.path, conn, visit.user, False, clock=visit._clock)
            beside.lock_wait_ms = visit.lock_wait_ms
        except BaseException:
            conn.close()
            raise
    except sqlite3.DatabaseError as error:
        raise pages.not_opened(visit.path, error) from None
    return beside
