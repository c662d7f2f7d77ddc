"""Bulk work on many rows: Python's cyclic garbage collector paused while it runs, and
new rows held until the end of an import to be written in their table's key order.

Reading 100,000 CSV records builds 100,000 lists, and every few hundred new containers
the collector walks all the ones still alive: a third of an import's time went there,
finding nothing (records, value tuples and strings make no cycles, and reference
counting frees them). Paused for the length of one import, the collector catches up on
anything else afterwards.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from irp_field.core import schema
from irp_field.core.rows import RowWrites, check_columns, now_text

_lock = threading.Lock()
_pausers = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector until the last of any overlapping pauses ends."""
    global _pausers, _was_enabled
    with _lock:
        if _pausers == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausers += 1
    try:
        yield
    finally:
        with _lock:
            _pausers -= 1
            if _pausers == 0 and _was_enabled:
                gc.enable()


class HeldRows:
    """New rows of one visit table held in a temporary table as an import reads its file,
    then written in one statement in the table's key order (:meth:`write`).

    Keyed ids scatter over the table: written batch by batch, each batch swept the whole
    table again, and once the table outgrew SQLite's page cache each sweep read and
    wrote most of its pages (at 1,000,000 checks most of an import's time). In one
    sorted pass each page is written once. A held row is its ``columns``' values, its
    version stamp (:meth:`stamps`) and its ``labels`` (its line, say, for the caller's
    one-by-one path when :meth:`write` finds a key taken), made by the caller in that
    order: what every row shares (the author, the moment, ``same``: the import's id) is
    given once, to the statement that writes them, not held a row at a time. The
    temporary table is SQLite's own (``temp``): inside the caller's transaction, rolled
    back with it, dropped by :meth:`close`.
    """

    def __init__(
        self,
        writes: RowWrites,
        table: str,
        columns: Sequence[str],
        labels: Sequence[str],
        same: Mapping[str, Any] | None = None,
    ) -> None:
        names = (*columns, *(same or {}), *labels)
        if table not in schema.MERGED_TABLES or not all(name.isidentifier() for name in names):
            raise ValueError(f"not a visit table, or not plain names: {table}, {names}")
        if "id" not in columns:
            raise ValueError("held rows are keyed: their columns include id")
        check_columns(table, (*columns, *(same or {})))
        self.writes, self.table, self.columns, self.labels = writes, table, columns, labels
        self.same = dict(same or {})
        self.bookkeeping = (writes.user, now_text())  # created_by, created_at: every row's
        self.held = f"temp.held_{table}"
        self.count = 0  # rows held

    def hold(self, rows: Sequence[Sequence[Any]]) -> int:
        """Hold new rows (each ``columns``' values, its stamp, then its labels); returns
        how many."""
        if not rows:
            return 0
        conn = self.writes.conn
        if not self.count:
            conn.execute(f"DROP TABLE IF EXISTS {self.held}")
            conn.execute(
                f"CREATE TABLE {self.held} ({', '.join((*self.columns, 'version', *self.labels))})"
            )
        marks = ", ".join("?" for _ in range(len(self.columns) + 1 + len(self.labels)))
        conn.executemany(f"INSERT INTO {self.held} VALUES ({marks})", rows)
        self.count += len(rows)
        return len(rows)

    def write(self, *, index_after: bool = False) -> None:
        """Every held row into the table, in key order (an ``sqlite3.IntegrityError``
        when a key is taken: the caller rolls back to its savepoint). ``index_after``:
        the table's look-up indexes (``schema.LOOKUP_INDEXES``) dropped for the write and
        built again after it, one sort instead of a scattered insert a row: for a table
        that holds fewer rows than are written (else rebuilding costs more)."""
        if not self.count:
            return
        conn = self.writes.conn
        dropped = [name for name, table, _ in schema.LOOKUP_INDEXES if table == self.table]
        for name in dropped if index_after else ():
            conn.execute(f"DROP INDEX IF EXISTS {name}")
        written = ("created_by", "created_at", "base_version", "deleted", "version")
        conn.execute(
            f"INSERT INTO {self.table} ({', '.join((*written, *self.columns, *self.same))}) "
            f"SELECT ?, ?, '', 0, version, {', '.join((*self.columns, *('?' for _ in self.same)))} "
            f"FROM {self.held} ORDER BY id",
            (*self.bookkeeping, *self.same.values()),
        )
        if index_after:
            schema.ensure_lookup_indexes(conn)

    def rows(self, size: int) -> Iterator[list[tuple[Any, ...]]]:
        """The held rows as they were held (``columns``, the stamp, ``labels``), ``size``
        at a time."""
        if not self.count:
            return
        cursor = self.writes.conn.execute(
            f"SELECT {', '.join((*self.columns, 'version', *self.labels))} "
            f"FROM {self.held} ORDER BY rowid"
        )
        while batch := cursor.fetchmany(size):
            yield [tuple(row) for row in batch]

    def repeated(self, label: str, most: int) -> dict[str, Any]:
        """The ids held more than once, each with the least of its ``label`` (the first
        line that held it), at most ``most`` of them: one pass, however many repeat."""
        if label not in self.labels or not self.count:
            return {}
        return dict(
            self.writes.conn.execute(
                f"SELECT id, min({label}) FROM {self.held} GROUP BY id HAVING count(*) > 1 LIMIT ?",
                (most,),
            ).fetchall()
        )

    def close(self) -> None:
        self.writes.conn.execute(f"DROP TABLE IF EXISTS {self.held}")
        self.count = 0
