"""Opening, creating and writing one visit file: the only place a connection is made.

Every write runs in its own ``BEGIN IMMEDIATE`` transaction and commits before the
call returns (WAL, ``synchronous=FULL``): evidence survives a kill or a flat battery.
Rows are never hard-deleted; a delete sets the tombstone and is logged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import operator
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from irp_field import __version__, paths
from irp_field.core import hooks, pages, schema
from irp_field.core.clock import HybridClock
from irp_field.core.ids import uuid7, uuid7_many
from irp_field.domain.errors import IrpError, NotAVisitError

T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def default_user() -> str:
    user = os.environ.get("IRP_FIELD_USER", "").strip()
    if user:
        return user
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # getuser raises several kinds when no name is known
        return "unknown"


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _configure_for_writing(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")


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

    def remove(self, key: tuple[int, int] | None) -> None:
        if key is not None and key in self._count:
            self._count[key] -= 1
            if not self._count[key]:
                del self._count[key]


OPEN_FILES = _OpenFiles()


def inspect_file(path: Path) -> None:
    """Refuse, with one clear sentence, anything that is not a readable visit file."""
    if not path.exists():
        raise NotAVisitError(f"{path}: no such file")
    if path.is_dir():
        raise NotAVisitError(f"{path}: is a folder, not a visit file")
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


class VisitFile:
    """An open visit file. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, user: str, readonly: bool) -> None:
        self.path = path
        self.conn = conn
        self.user = user
        self.readonly = readonly
        meta = self.meta()
        self.visit_id = meta["visit_id"]
        self.schema_version = int(meta.get("schema_version", "0"))
        self.site_id = meta.get("site_id", "")
        self._clock = HybridClock(self.site_id, meta.get("clock", ""))
        self._registered = OPEN_FILES.add(path)

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        user: str | None = None,
        readonly: bool = False,
        check_pages: bool = True,
    ) -> VisitFile:
        """Open a visit file, refusing anything that is not one (or is damaged).

        ``check_pages=False`` (read-only only) leaves out the whole-file ``quick_check``
        (a tenth of a second per 50 MB) so that the caller can run it alongside its
        reading with :meth:`pages_checked`; damage met while reading is refused just as
        clearly (see :meth:`query`). Every writer checks the whole file first.
        """
        path = Path(path)
        if not check_pages and not readonly:
            raise ValueError("only a read-only opening may skip the page check")
        inspect_file(path)
        if not readonly and not os.access(path, os.W_OK):
            raise NotAVisitError(f"{path}: is read-only; open it read-only or copy it first")
        try:
            conn = _connect(path, readonly)
            try:
                cls._verify(path, conn, check_pages=check_pages)
                if not readonly:
                    _configure_for_writing(conn)
                    cls._migrate(conn)
                    cls._repair_kept_totals(conn)
                    cls._claim_site(path, conn)
                visit = cls(path, conn, user or default_user(), readonly)
            except BaseException:
                conn.close()
                raise
        except sqlite3.DatabaseError as error:
            raise NotAVisitError(f"{path}: is damaged or not a visit file ({error})") from None
        return visit

    @classmethod
    def open_reader(
        cls, path: Path | str, *, user: str | None = None, verify: bool = True
    ) -> VisitFile:
        """A read-only view of a file that this process may also be writing (the UI).

        POSIX drops every lock a process holds on a file when the process closes *any*
        descriptor of it. So a second connection must not peek at the file with a plain
        open() (as :func:`inspect_file` does) nor use ``mode=ro``: either can release the
        shared lock of this process's writing connection, and another process then takes
        itself for the last user and deletes the WAL files from under it ("disk I/O
        error" in the next reader). This opens an ordinary connection, made read-only
        with ``query_only``, and looks at the file through stat() and SQLite alone.
        ``verify=False`` also skips the quick_check of a file this process has checked.
        """
        path = Path(path)
        if not path.exists():
            raise NotAVisitError(f"{path}: no such file")
        if path.is_dir():
            raise NotAVisitError(f"{path}: is a folder, not a visit file")
        if path.stat().st_size == 0:
            raise NotAVisitError(f"{path}: is empty, not a visit file")
        try:
            conn = _connect(path, readonly=False)
            try:
                conn.execute("PRAGMA query_only = ON")
                if verify:
                    cls._verify(path, conn)
                visit = cls(path, conn, user or default_user(), readonly=True)
            except BaseException:
                conn.close()
                raise
        except sqlite3.DatabaseError as error:
            raise NotAVisitError(f"{path}: is damaged or not a visit file ({error})") from None
        return visit

    @staticmethod
    def _verify(path: Path, conn: sqlite3.Connection, *, check_pages: bool = True) -> None:
        if check_pages:
            pages.refuse_damage(path, conn.execute("PRAGMA quick_check").fetchone()[0])
        has_meta = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall()) if has_meta else {}
        if meta.get("app") != schema.APP_MARK or not meta.get("visit_id"):
            raise NotAVisitError(f"{path}: is an SQLite database but not an irp-field visit file")
        version = int(meta.get("schema_version", "0"))
        if version > schema.SCHEMA_VERSION:
            raise NotAVisitError(
                f"{path}: was written by a newer irp-field (schema {version}; this program "
                f"knows {schema.SCHEMA_VERSION}); upgrade irp-field to open it"
            )

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        current = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if current is not None and current[0] == str(schema.SCHEMA_VERSION):
            return
        from sqlite_utils import Database

        database = Database(conn, execute_plugins=False)
        migrations = schema.migration_set()
        if migrations.pending(database):
            migrations.apply(database)
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
            (str(schema.SCHEMA_VERSION),),
        )
        # A migration may leave derived tables to be brought up to date: the hooks do it.
        conn.execute("BEGIN IMMEDIATE")
        try:
            hooks.run_before_commit(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _repair_kept_totals(conn: sqlite3.Connection) -> None:
        """Another tool rebuilt the periods' table without its marking triggers: put them
        back and let the hooks total every subject-day again, before anything relies on
        the totals."""
        if not schema.kept_totals_missing_triggers(conn):
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            schema.repair_kept_totals(conn)
            hooks.run_before_commit(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _claim_site(path: Path, conn: sqlite3.Connection) -> None:
        """A file copied to another path or machine gets a fresh site id on first open there."""
        origin = f"{paths.installation_id()}:{path.resolve()}"
        row = conn.execute("SELECT value FROM meta WHERE key = 'site_origin'").fetchone()
        if row is not None and row[0] == origin:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [("site_id", uuid.uuid4().hex[:16]), ("site_origin", origin)],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @classmethod
    def create(
        cls,
        path: Path | str,
        *,
        establishment: str,
        start_date: str,
        end_date: str,
        visit_type: str = "IRP",
        previous_inspection: str = "",
        user: str | None = None,
        visit_id: str | None = None,
    ) -> VisitFile:
        path = Path(path)
        if path.exists():
            raise IrpError(f"{path}: already exists; choose another name")
        paths.make_private_folder(path.parent)
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(descriptor)
        try:
            conn = _connect(path, readonly=False)
            _configure_for_writing(conn)
            conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL DEFAULT '')")
            new_visit_id = visit_id or uuid7()
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("app", schema.APP_MARK),
                    ("visit_id", new_visit_id),
                    ("schema_version", "0"),
                    ("app_version", __version__),
                    ("created_at", now_text()),
                ],
            )
            cls._migrate(conn)
            cls._claim_site(path, conn)
            visit = cls(path, conn, user or default_user(), readonly=False)
            with visit.transaction():
                visit.insert(
                    "visit",
                    {
                        "id": new_visit_id,
                        "establishment": establishment,
                        "visit_type": visit_type,
                        "start_date": start_date,
                        "end_date": end_date,
                        "previous_inspection": previous_inspection,
                    },
                )
        except BaseException:
            with contextlib.suppress(Exception):
                conn.close()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
        return visit

    def close(self) -> None:
        self.conn.close()
        OPEN_FILES.remove(self._registered)
        self._registered = None

    def __enter__(self) -> VisitFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta").fetchall())

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as error:
            raise self._damaged(error) from None

    def one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Row | None:
        try:
            row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        except sqlite3.DatabaseError as error:
            raise self._damaged(error) from None
        return row

    @contextmanager
    def pages_checked(self) -> Iterator[None]:
        """The whole-file check of an opening that skipped it, run in another thread
        while the caller reads (on two cores it costs no wait): a damaged file is
        refused on leaving, before the caller has shown anything it read."""
        with self.checked_beside("quick_check"):
            yield

    def checked_beside(
        self, check: str, also: Callable[[sqlite3.Connection], T] | None = None
    ) -> contextlib.AbstractContextManager[pages.Checked[T]]:
        """``PRAGMA quick_check`` or ``integrity_check`` (then ``also``) on a second
        connection in another thread while the caller reads through this one (see
        ``core.pages``); what they found is there when the block ends, and damaged pages
        are refused on leaving."""
        return pages.checked_beside(self.path, self._second_connection(), self.conn, check, also)

    def _second_connection(self) -> Callable[[], sqlite3.Connection]:
        """How to make a reading connection beside this one: ``mode=ro`` only for a file
        opened so, otherwise (a writer, or open_reader's view) an ordinary connection
        kept to reading, which cannot release this process's locks (see open_reader)."""
        query_only = self.one("PRAGMA query_only")
        mode_ro = self.readonly and not (query_only is not None and query_only[0])

        def connect() -> sqlite3.Connection:
            conn = _connect(self.path, mode_ro)
            if not mode_ro:
                conn.execute("PRAGMA query_only = ON")
            return conn

        return connect

    def _damaged(self, error: sqlite3.DatabaseError) -> Exception:
        return pages.damaged(self.path, error)

    def row(self, table: str, row_id: str) -> dict[str, Any] | None:
        _check_table(table)
        found = self.one(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        return dict(found) if found is not None else None

    # -- writing ------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One committed write: ``BEGIN IMMEDIATE`` ... ``COMMIT``, or nothing at all."""
        if self.readonly:
            raise IrpError(f"{self.path}: opened read-only")
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            # Another window may have written since we last looked: never reuse its stamps.
            stored = self.one("SELECT value FROM meta WHERE key = 'clock'")
            if stored is not None:
                self._clock.observe(stored[0])
            yield
            hooks.run_before_commit(self.conn)  # derived tables brought up to date
            self.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)", (self._clock.last,)
            )
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def stamp(self) -> str:
        return self._clock.tick()

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
        _check_columns(table, columns)
        created_at = now_text()
        stamps = self._clock.tick_many(len(rows))
        if "id" in columns:
            names = ["created_by", "created_at", "version", "base_version", "deleted", *columns]
            prepared = [
                (self.user, created_at, stamp, "", 0, *row)
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
                (row_id, self.user, created_at, stamp, "", 0, *row)
                for row_id, stamp, row in zip(ids, stamps, rows, strict=True)
            ]
        placeholders = ", ".join("?" for _ in names)
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})", prepared
        )
        return len(rows)

    def update(self, table: str, row_id: str, changes: Mapping[str, Any]) -> bool:
        """Change some columns of a row; False (and nothing written) when nothing differs."""
        _check_table(table)
        old = self.row(table, row_id)
        if old is None:
            raise IrpError(f"no {table.replace('_', ' ')} with id {row_id}")
        _check_columns(table, changes)
        if all(old.get(column) == value for column, value in changes.items()):
            return False
        version = self.stamp()
        assignments = ", ".join(f"{column} = ?" for column in changes)
        self.conn.execute(
            f"UPDATE {table} SET {assignments}, version = ?, base_version = ? WHERE id = ?",
            (*changes.values(), version, old["version"], row_id),
        )
        new = {**old, **changes, "version": version, "base_version": old["version"]}
        self._log(table, row_id, "update", version, old, new)
        return True

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


def _check_columns(table: str, values: Iterable[str]) -> None:
    _check_table(table)
    known = set(schema.merged_columns(table))
    unknown = [column for column in values if column not in known]
    if unknown:
        raise ValueError(f"{table} has no column(s) {', '.join(unknown)}")
