"""Opening, creating and writing one visit file: the only place a connection is made.

Every write runs in its own ``BEGIN IMMEDIATE`` transaction and commits before the
call returns (WAL, ``synchronous=FULL``): evidence survives a kill or a flat battery.
Rows are never hard-deleted; a delete sets the tombstone and is logged.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from irp_field import __version__, paths
from irp_field.core import foreign_objects, hooks, lazy, migrations, pages, schema, sound_files
from irp_field.core.clock import HybridClock
from irp_field.core.connection import (
    BUSY_TIMEOUT_MS,
    OPEN_FILES,
    configure_for_writing,
    connect,
    had_no_wal,
    immediate,
    inspect_file,
    leave_as_found,
    refuse_foreign_objects,
    refuse_unless_plain,
)
from irp_field.core.ids import uuid7
from irp_field.core.rows import RowWrites, now_text
from irp_field.core.rows import default_user as default_user
from irp_field.domain.errors import IrpError, NotAVisitError

if TYPE_CHECKING:
    from irp_field.core import kept_totals, roll_tallies
else:  # the kept sums: a writer's, or a file's first reading; never a sound file's reading
    kept_totals = lazy.Module("irp_field.core.kept_totals")
    roll_tallies = lazy.Module("irp_field.core.roll_tallies")
T = TypeVar("T")
# meta: the team member a hand-out copy was written for (``interchange.handout``)
HANDED_TO = "handed_to"


def new_site_id() -> str:
    """A laptop's id in the version stamps: random, so that no two files share one."""
    return uuid.uuid4().hex[:16]


class FileBusy(IrpError):
    """Another connection holds the visit file's write lock past the wait allowed."""


class VisitFile(RowWrites):
    """An open visit file. Use as a context manager, or call :meth:`close`."""

    _leave_as_found = False  # a reading that made the file's WAL files: it takes them away

    def wait_for_lock(self, seconds: float) -> None:
        """How long a write waits for another writer to finish before it is refused as
        :class:`FileBusy` (the terminal UI waits briefly and says so, never freezes)."""
        self.lock_wait_ms = int(seconds * 1000)
        self.conn.execute(f"PRAGMA busy_timeout = {self.lock_wait_ms}")

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        user: str | None,
        readonly: bool,
        clock: HybridClock | None = None,
    ) -> None:
        self.path = path
        self.conn = conn
        self._user = user or None  # None: the login's name, asked when first needed
        self.readonly = readonly
        self._recordings = []
        meta = self.meta()
        self.visit_id = meta["visit_id"]
        self.schema_version = int(meta.get("schema_version", "0"))
        self.site_id = meta.get("site_id", "")
        # ``clock``: another connection's to this file, shared (``core.beside``)
        if clock is None:
            clock = HybridClock(self.site_id, meta.get("clock", ""))
        self._clock = clock
        self.lock_wait_ms = BUSY_TIMEOUT_MS
        self._registered = OPEN_FILES.add(path)
        self._others_at_open: int | None = None
        # May the figures read the kept roll tallies and subject-day totals? True for a
        # file this installation wrote or found sound; None until summed again
        # (``tallies_trusted``).
        self._tallies_trusted: bool | None = True

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
        as_found = readonly and had_no_wal(path)
        try:
            conn = connect(path, readonly)
            try:
                trusted = cls._verify(path, conn, check_pages=check_pages, writing=not readonly)
                if not readonly:
                    configure_for_writing(conn)
                    cls._migrate(conn)
                    cls._repair_kept_totals(conn)
                    if trusted is False:  # sums another hand changed: summed again
                        kept_totals.sum_again(conn)
                    trusted = trusted or kept_totals.summable(conn)
                    cls._claim_site(path, conn)
                visit = cls(path, conn, user, readonly)
                visit._leave_as_found = as_found
                visit._tallies_trusted = trusted
                if not readonly and trusted:  # left sound by this writer alone: known
                    # sound on closing (never a file holding what no sum can read)
                    visit._others_at_open = visit.data_version()
                if readonly and visit.schema_version < schema.SCHEMA_VERSION:
                    schema.read_as_current(conn)
            except BaseException:
                conn.close()
                raise
        except sqlite3.DatabaseError as error:  # a sum past counting is no damage
            raise roll_tallies.past_counting(path, error) or pages.not_opened(path, error) from None
        return visit

    @classmethod
    def open_reader(
        cls, path: Path | str, *, user: str | None = None, verify: bool = True
    ) -> VisitFile:
        """A read-only view of a file that this process may also be writing (the UI).

        Neither a plain open() (as :func:`inspect_file` does) nor ``mode=ro`` may release
        this process's locks (``connection._OpenFiles``: another process then deleted the
        WAL files from under it, "disk I/O error"): this is an ordinary connection, made
        read-only with ``query_only``, looking at the file through stat() and SQLite alone.
        ``verify=False`` also skips the quick_check of a file this process has checked.
        """
        path = Path(path)
        if not path.exists():
            raise NotAVisitError(f"{path}: no such file")
        if path.is_dir():
            raise NotAVisitError(f"{path}: is a folder, not a visit file")
        refuse_unless_plain(path)
        if path.stat().st_size == 0:
            raise NotAVisitError(f"{path}: is empty, not a visit file")
        try:
            conn = connect(path, readonly=False)
            try:
                conn.execute("PRAGMA query_only = ON")
                trusted = cls._verify(path, conn) if verify else True
                visit = cls(path, conn, user, readonly=True)
                visit._tallies_trusted = trusted
            except BaseException:
                conn.close()
                raise
        except sqlite3.DatabaseError as error:  # a sum past counting is no damage
            raise roll_tallies.past_counting(path, error) or pages.not_opened(path, error) from None
        return visit

    @staticmethod
    def _verify(
        path: Path, conn: sqlite3.Connection, *, check_pages: bool = True, writing: bool = False
    ) -> bool | None:
        """Refuse what is not a sound visit file; whether its kept roll tallies and
        subject-day totals may be read: True when the file looks as this installation
        last found it sound or wrote it (``core.sound_files``), or when they agree with
        its checks and periods (``core.kept_totals``); False when they do not; None
        when that is to be asked at the first reading that needs them
        (``check_pages=False``: the pages are checked beside the reading)."""
        looked = sound_files.look(path)
        sound = sound_files.still_sound(path, looked)
        if check_pages and not sound:
            pages.refuse_damage(path, conn.execute("PRAGMA quick_check").fetchone()[0])
        refuse_foreign_objects(path, conn)
        has_meta = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall()) if has_meta else {}
        if meta.get("app") != schema.APP_MARK or not meta.get("visit_id"):
            raise NotAVisitError(f"{path}: is an SQLite database but not an irp-field visit file")
        text = str(meta.get("schema_version", "0"))
        if not (text.isdigit() and text.isascii()):
            raise NotAVisitError(
                f"{path}: is damaged (its schema version {text[:20]!r} is no number)"
            )
        version = int(text)
        if version > schema.SCHEMA_VERSION:
            raise NotAVisitError(
                f"{path}: was written by a newer irp-field (schema {version}; this program "
                f"knows {schema.SCHEMA_VERSION}); upgrade irp-field to open it"
            )
        if sound:  # holds no SQL irp-field did not write: remembered so (sound_files)
            return True
        if writing:  # a trigger of another's runs in every write: refused before one
            foreign_objects.refuse_foreign(path, conn)
        if not check_pages:
            return None
        # Trust what a file holds, never what it says about itself: its kept sums are
        # made again from its checks and periods once, as its pages were read.
        large = path.stat().st_size >= roll_tallies.BESIDE_FROM_BYTES  # two connections
        trusted = kept_totals.agree(
            conn, beside=(lambda: connect(path, readonly=True)) if large else None
        )
        if trusted and sound_files.look(path) == looked and foreign_objects.none_in(conn):
            sound_files.found_sound(path, looked)  # not written meanwhile
        return trusted

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        current = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if current is None or current[0] != str(schema.SCHEMA_VERSION):
            VisitFile._apply_migrations(conn)
        schema.ensure_lookup_indexes(conn)
        # tallies of another shape (a category added since, a trigger another tool
        # dropped): built again from the checks before anything reads them
        roll_tallies.repair(conn)

    @staticmethod
    def _apply_migrations(conn: sqlite3.Connection) -> None:
        migrations.apply(conn, schema.MIGRATIONS)
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
            (str(schema.SCHEMA_VERSION),),
        )
        # A migration may leave derived tables to be brought up to date: the hooks do it.
        with immediate(conn):
            hooks.run_before_commit(conn)

    @staticmethod
    def _repair_kept_totals(conn: sqlite3.Connection) -> None:
        """Another tool rebuilt the periods' table without its marking triggers: put them
        back and let the hooks total every subject-day again, before anything relies on
        the totals."""
        if not schema.kept_totals_missing_triggers(conn):
            return
        with immediate(conn):
            schema.repair_kept_totals(conn)
            hooks.run_before_commit(conn)

    @staticmethod
    def _claim_site(path: Path, conn: sqlite3.Connection) -> None:
        """A file copied to another path or machine gets a fresh site id on first open there."""
        origin = f"{paths.installation_id()}:{path.resolve()}"
        row = conn.execute("SELECT value FROM meta WHERE key = 'site_origin'").fetchone()
        if row is not None and row[0] == origin:
            return
        with immediate(conn):
            conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [("site_id", new_site_id()), ("site_origin", origin)],
            )

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
        recipients: str = "",
    ) -> VisitFile:
        path = Path(path)
        if path.exists():
            raise IrpError(f"{path}: already exists; choose another name")
        paths.make_private_folder(path.parent)
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(descriptor)
        try:
            conn = connect(path, readonly=False)
            configure_for_writing(conn)
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
            visit = cls(path, conn, user, readonly=False)
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
                        "recipients": recipients,
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
        # A writer opened on a file found sound, and written by no other connection
        # since (SQLite's data_version counts their commits), leaves it sound.
        own = False
        if self._others_at_open is not None:
            with contextlib.suppress(sqlite3.Error):  # closed already: nothing to remember
                own = self.conn.execute("PRAGMA data_version").fetchone()[0] == (
                    self._others_at_open
                )
        self._others_at_open = None
        self.conn.close()
        OPEN_FILES.remove(self._registered)
        if self._leave_as_found and not OPEN_FILES.holds(self._registered):
            leave_as_found(self.path)
        self._registered = None
        if own:
            sound_files.found_sound(self.path, sound_files.look(self.path))

    def __enter__(self) -> VisitFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------

    def data_version(self) -> int:
        """SQLite's count of commits by *other* connections to the file, as this one has
        seen them: a change means another window, a merge or an import wrote the file."""
        row = self.one("PRAGMA data_version")
        return int(row[0]) if row is not None else 0

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta").fetchall())

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as error:
            if self._not_there_yet(error):
                return []
            raise self._damaged(error) from None

    def one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Row | None:
        try:
            row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        except sqlite3.DatabaseError as error:
            if self._not_there_yet(error):
                return None
            raise self._damaged(error) from None
        return row

    def _not_there_yet(self, error: sqlite3.DatabaseError) -> bool:
        """A file of an older schema, opened read-only (never migrated in place), lacks the
        tables later versions made: reading one reads nothing, as a new file holds."""
        text = str(error)
        if not (self.readonly and text.startswith("no such table: ")):
            return False
        table = text.removeprefix("no such table: ").split(".")[-1].strip()
        return self.schema_version < schema.since(table) <= schema.SCHEMA_VERSION

    def tallies_trusted(self) -> bool:
        """May the figures read the file's kept roll tallies and subject-day totals?
        Asked of a file from elsewhere (or changed by another hand) at its first reading:
        both made again from the checks and periods (``core.kept_totals.agree``); if
        either differs, the readers sum the checks and total the periods instead. A large
        file's passes split over two connections, as an opening's (``_verify``)."""
        if self._tallies_trusted is None:
            large = self.path.stat().st_size >= roll_tallies.BESIDE_FROM_BYTES
            beside = self._second_connection() if large else None
            try:
                self._tallies_trusted = kept_totals.agree(self.conn, beside=beside)
            except sqlite3.DatabaseError as error:
                raise self._damaged(error) from None
        return self._tallies_trusted

    @contextmanager
    def pages_checked(self) -> Iterator[None]:
        """The whole-file check of an opening that skipped it, run in another thread
        while the caller reads (on two cores it costs no wait): a damaged file is
        refused on leaving, before the caller has shown anything it read. A file found
        sound so, whose tallies were found to agree, is remembered as sound."""
        looked = sound_files.look(self.path)
        with self.checked_beside("quick_check"):
            yield
        unchanged = self._tallies_trusted is True and sound_files.look(self.path) == looked
        if (
            unchanged
            and not sound_files.still_sound(self.path, looked)
            and foreign_objects.none_in(self.conn)  # remembered sound holds none
        ):
            sound_files.found_sound(self.path, looked)

    def integrity(self) -> str:
        """SQLite's ``integrity_check`` on this connection, its lines joined ("ok")."""
        return "; ".join(str(r[0]) for r in self.conn.execute("PRAGMA integrity_check"))

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

        def second() -> sqlite3.Connection:
            conn = connect(self.path, mode_ro)
            if not mode_ro:
                conn.execute("PRAGMA query_only = ON")
            return conn

        return second

    def _damaged(self, error: sqlite3.DatabaseError) -> Exception:
        if past := roll_tallies.past_counting(self.path, error, self.conn):
            return past  # a count no rule lets in, summed: no damage; the file and the check
        refused = pages.damaged(self.path, error)
        if refused is not error:  # damage: the next opening reads every page again
            self._others_at_open = None
            sound_files.forget(self.path)
        return refused

    # -- writing ------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One committed write: ``BEGIN IMMEDIATE`` ... ``COMMIT``, or nothing at all."""
        if self.readonly:
            raise IrpError(f"{self.path}: opened read-only")
        if self.conn.in_transaction:
            yield
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise FileBusy(
                    f"{self.path.name} is busy: another program (a merge?) is writing it; "
                    "nothing was saved yet, and what you typed is kept: save again in a moment"
                ) from None
            raise
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
