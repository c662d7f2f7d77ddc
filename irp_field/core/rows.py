"""Row-level writes of a visit file: insert, update, upsert, tombstone, and the change log.

Mixed into :class:`~irp_field.core.visit_file.VisitFile`. Every write carries the
bookkeeping columns (id, author, time, version stamp, base version, tombstone) and,
but for bulk imports, a change-log entry with the old and new row. Table and column
names only ever come from the schema, never from input.
"""

from __future__ import annotations

import json
import operator
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from irp_field.core import schema
from irp_field.core.clock import HybridClock
from irp_field.core.ids import uuid7, uuid7_many
from irp_field.domain.errors import IrpError


def now_text() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Logged:
    """One row write as the change log holds it: what an undo needs to take it back."""

    table: str
    row_id: str
    action: str  # insert or update (a delete is an update of the tombstone)
    version: str  # the row's version after the write
    old: dict[str, Any] | None  # the row before (None: it did not exist)


def default_user() -> str:
    user = os.environ.get("IRP_FIELD_USER", "").strip()
    if user:
        return user
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # getuser raises several kinds when no name is known
        return "unknown"


class RowWrites:
    conn: sqlite3.Connection
    _clock: HybridClock
    _recordings: list[list[Logged]]
    _user: str | None = None  # None: not given, asked of the system when first needed

    @property
    def user(self) -> str:
        """Who records: given, or the login's name, asked for (getpass) only when a write
        or a screen needs it: a reading (``notes search``, ``check``) never does."""
        if self._user is None:
            self._user = default_user()
        return self._user

    @user.setter
    def user(self, name: str) -> None:
        self._user = name

    @contextmanager
    def recording(self) -> Iterator[list[Logged]]:
        """Collect the logged row writes made inside the block (the screens keep them to
        undo). A write that failed and rolled back may have left entries: keep the list
        only when the write succeeded."""
        found: list[Logged] = []
        self._recordings.append(found)
        try:
            yield found
        finally:
            self._recordings.remove(found)

    def one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Row | None:
        raise NotImplementedError  # VisitFile's, which turns damage into a clear refusal

    def row(self, table: str, row_id: str) -> dict[str, Any] | None:
        _check_table(table)
        found = self.one(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        return dict(found) if found is not None else None

    def stamp(self) -> str:
        return self._clock.tick()

    def stamps(self, count: int) -> list[str]:
        """``count`` consecutive version stamps: an import's new rows (``bulk.HeldRows``)."""
        return self._clock.tick_many(count)

    def observe_stamp(self, stamp: str) -> None:
        self._clock.observe(stamp)

    def insert(self, table: str, values: Mapping[str, Any], *, log: bool = True) -> str:
        """Insert one new row (an id is made when none is given); returns its id."""
        row = self._new_row(table, values)
        self._insert_rows(table, [row])
        if log:
            self._log(table, row["id"], "insert", row["version"], None, row)
        return str(row["id"])

    def insert_many(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert many new rows (all with the columns of the first) in the open transaction."""
        batch = list(rows)
        if not batch:
            return 0
        columns = list(batch[0])
        getter = operator.itemgetter(*columns)
        values = (
            [getter(row) for row in batch]
            if len(columns) > 1
            else [(r[columns[0]],) for r in batch]
        )
        return self.insert_values(table, columns, values)

    def insert_values(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> int:
        """Insert new rows given as value tuples in ``columns`` order: the imports' fast path.

        One import is one moment: the rows share created_at, and the import's entry in the
        change log stands for them, so this path does no per-row logging. Ids are made
        here unless ``columns`` includes ``id`` (keyed rows).
        """
        if not rows:
            return 0
        names, prepared = self.prepared_values(table, columns, rows)
        placeholders = ", ".join("?" for _ in names)
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})", prepared
        )
        return len(rows)

    def prepared_values(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """The columns and values :meth:`insert_values` writes (each row's bookkeeping
        made: its id unless given, author, time, version stamp)."""
        _check_columns(table, columns)
        created_at = now_text()
        stamps = self._clock.tick_many(len(rows))
        user = self.user  # once, not a property's call a row
        if "id" in columns:
            names = ["created_by", "created_at", "version", "base_version", "deleted", *columns]
            prepared = [
                (user, created_at, stamp, "", 0, *row)
                for stamp, row in zip(stamps, rows, strict=True)
            ]
        else:
            names = [
                "id",
                "created_by",
                "created_at",
                "version",
                "base_version",
                "deleted",
                *columns,
            ]
            ids = uuid7_many(len(rows))
            prepared = [
                (row_id, user, created_at, stamp, "", 0, *row)
                for row_id, stamp, row in zip(ids, stamps, rows, strict=True)
            ]
        return names, prepared

    def update(
        self, table: str, row_id: str, changes: Mapping[str, Any], *, log: bool = True
    ) -> bool:
        """Change some columns of a row; False (and nothing written) when nothing differs.
        ``log=False`` leaves the change log (and undo) out: the caller logs what it did
        (a file's bytes are never history, and a cleaned picture's are not to come back)."""
        _check_table(table)
        old = self.row(table, row_id)
        if old is None:
            raise IrpError(f"no {table.replace('_', ' ')} with id {row_id}")
        _check_columns(table, changes)
        if all(old.get(column) == value for column, value in changes.items()):
            return False
        if old["deleted"] and changes.get("deleted", 1) and self._emptied(table, old):
            # a screen or a kept entry holding what it said before its purge: never written
            # back (a new record over it, deleted = 0, is another matter: a check counted again)
            raise IrpError(f"this {table.replace('_', ' ')} was purged: nothing is written into it")
        version = self._clock.tick_after(str(old["version"]))
        assignments = ", ".join(f"{column} = ?" for column in changes)
        self.conn.execute(
            f"UPDATE {table} SET {assignments}, version = ?, base_version = ? WHERE id = ?",
            (*changes.values(), version, old["version"], row_id),
        )
        if log:
            new = {**old, **changes, "version": version, "base_version": old["version"]}
            self._log(table, row_id, "update", version, old, new)
        return True

    def _emptied(self, table: str, old: Mapping[str, Any]) -> bool:
        """Is this row a purge's emptied row (``core.purging``)?"""
        return (
            self.one(
                "SELECT 1 FROM purge WHERE table_name = ? AND row_id = ? AND row_version = ? "
                "AND deleted = 0",
                (table, old["id"], old["version"]),
            )
            is not None
        )

    def upsert(self, table: str, values: Mapping[str, Any]) -> str:
        """Insert the keyed row, or update it (reviving a tombstone) when its id exists."""
        row_id = str(values["id"])
        if self.row(table, row_id) is None:
            return self.insert(table, values)
        changes = {k: v for k, v in values.items() if k != "id"}
        self.update(table, row_id, {**changes, "deleted": 0})
        return row_id

    def delete(self, table: str, row_id: str) -> bool:
        """Set the tombstone: the row stays, counts nowhere, and the delete merges."""
        return self.update(table, row_id, {"deleted": 1})

    def _new_row(self, table: str, values: Mapping[str, Any]) -> dict[str, Any]:
        _check_columns(table, values)
        return {
            "id": values.get("id") or uuid7(),
            "created_by": self.user,
            "created_at": now_text(),
            "version": self.stamp(),
            "base_version": "",
            "deleted": 0,
            **{k: v for k, v in values.items() if k != "id"},
        }

    def _insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        placeholders = ", ".join("?" for _ in columns)
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
            [tuple(row[column] for column in columns) for row in rows],
        )

    def _log(
        self,
        table: str,
        row_id: str,
        action: str,
        version: str,
        old: Mapping[str, Any] | None,
        new: Mapping[str, Any] | None,
    ) -> None:
        for found in self._recordings:
            if action in ("insert", "update"):
                found.append(Logged(table, row_id, action, version, dict(old) if old else None))
        self.conn.execute(
            "INSERT INTO change_log (id, table_name, row_id, action, version, changed_by, "
            "changed_at, old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uuid7(),
                table,
                row_id,
                action,
                version,
                self.user,
                now_text(),
                json.dumps(old, sort_keys=True) if old is not None else "",
                json.dumps(new, sort_keys=True) if new is not None else "",
            ),
        )

    def log_event(self, table: str, row_id: str, action: str, details: Mapping[str, Any]) -> None:
        """Record a whole-file event (an import, a merge) in the edit history."""
        self._log(table, row_id, action, self._clock.last, None, details)


def _check_table(table: str) -> None:
    # Table names only ever come from this fixed list, never from user input.
    if table not in schema.MERGED_TABLES:
        raise ValueError(f"not a visit table: {table!r}")


def check_columns(table: str, values: Iterable[str]) -> None:
    """Refuse a table or column the schema does not have (names never come from input)."""
    _check_columns(table, values)


def _check_columns(table: str, values: Iterable[str]) -> None:
    _check_table(table)
    known = set(schema.merged_columns(table))
    unknown = [column for column in values if column not in known]
    if unknown:
        raise ValueError(f"{table} has no column(s) {', '.join(unknown)}")
