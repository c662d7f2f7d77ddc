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
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from irp_field.core import schema
from irp_field.core.rows import RowWrites

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
    sorted pass each page is written once. Each row keeps ``labels`` beside it (its
    line, say) for the caller's one-by-one path when :meth:`write` finds a key taken.
    The temporary table is SQLite's own (``temp``): inside the caller's transaction,
    rolled back with it, dropped by :meth:`close`.
    """

    def __init__(
        self, writes: RowWrites, table: str, columns: Sequence[str], labels: Sequence[str]
    ) -> None:
        if table not in schema.MERGED_TABLES or not all(name.isidentifier() for name in labels):
            raise ValueError(f"not a visit table, or labels not plain names: {table}, {labels}")
        self.writes, self.table, self.columns, self.labels = writes, table, columns, labels
        self.held = f"temp.held_{table}"
        self.names: list[str] = []  # the table's columns written, known at the first hold
        self.count = 0  # rows held

    def hold(self, rows: Sequence[Sequence[Any]], labels: Sequence[Sequence[Any]]) -> int:
        """Hold new rows (``columns``' values, each with its labels); returns how many."""
        if not rows:
            return 0
        names, prepared = self.writes.prepared_values(self.table, self.columns, rows)
        conn = self.writes.conn
        if not self.names:
            self.names = names
            conn.execute(f"DROP TABLE IF EXISTS {self.held}")
            conn.execute(f"CREATE TABLE {self.held} ({', '.join((*names, *self.labels))})")
        marks = ", ".join("?" for _ in (*names, *self.labels))
        conn.executemany(
            f"INSERT INTO {self.held} VALUES ({marks})",
            [(*row, *label) for row, label in zip(prepared, labels, strict=True)],
        )
        self.count += len(rows)
        return len(rows)

    def write(self, *, index_after: bool = False) -> None:
        """Every held row into the table, in key order (an ``sqlite3.IntegrityError``
        when a key is taken: the caller rolls back to its savepoint). ``index_after``:
        the table's look-up indexes (``schema.LOOKUP_INDEXES``) dropped for the write and
        built again after it, one sort instead of a scattered insert a row: for a table
        that holds fewer rows than are written (else rebuilding costs more)."""
        if not self.names:
            return
        conn, listed = self.writes.conn, ", ".join(self.names)
        dropped = [name for name, table, _ in schema.LOOKUP_INDEXES if table == self.table]
        for name in dropped if index_after else ():
            conn.execute(f"DROP INDEX IF EXISTS {name}")
        conn.execute(
            f"INSERT INTO {self.table} ({listed}) SELECT {listed} FROM {self.held} ORDER BY id"
        )
        if index_after:
            schema.ensure_lookup_indexes(conn)

    def rows(self, size: int) -> Iterator[list[sqlite3.Row]]:
        """The held rows (``columns``, then ``labels``), as they were held, ``size`` at a time."""
        if not self.names:
            return
        cursor = self.writes.conn.execute(
            f"SELECT {', '.join((*self.columns, *self.labels))} FROM {self.held} ORDER BY rowid"
        )
        while batch := cursor.fetchmany(size):
            yield batch

    def close(self) -> None:
        self.writes.conn.execute(f"DROP TABLE IF EXISTS {self.held}")
        self.names = []
