"""Where irp-field keeps its files.

``IRP_FIELD_HOME`` replaces the platform's user data folder (tests set it with
monkeypatch). Everything else derives from :func:`home`.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import IO

APP_NAME = "irp-field"
HOME_VARIABLE = "IRP_FIELD_HOME"
# The data folder's own files and folders, each named here once. No output is ever
# written over or into one of them (``core.destinations``): an export given
# ``--out DATA/keys/identity.txt --overwrite`` once replaced the team leader's key, and
# every hand-back sealed for it could no longer be opened. ``outputs/`` is not one: it
# is where outputs go when the data folder is moved (``output_folder``).
VISITS = "visits"
BACKUPS = "backups"
KEYS = "keys"
TEMPORARY = "tmp"
UNSAVED = "unsaved"
IDENTITIES = "who-am-i.json"
INSTALLATION_ID = "installation-id"
SOUND_FILES = "sound-files.json"
REPORT_DEFAULTS = "report-defaults.toml"
OWN_ENTRIES = (
    VISITS, BACKUPS, KEYS, TEMPORARY, UNSAVED, IDENTITIES, INSTALLATION_ID, SOUND_FILES,
    REPORT_DEFAULTS,
)  # fmt: skip


def home() -> Path:
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def visits_folder(create: bool = True) -> Path:
    folder = home() / VISITS
    if create:
        make_private_folder(folder)
    return folder


def backups_folder(create: bool = True) -> Path:
    folder = home() / BACKUPS
    if create:
        make_private_folder(folder)
    return folder


def output_folder(visit: Path) -> Path:
    """Where reports and exports of ``visit`` are offered to go (F12): beside the visit,
    unless it is kept in the data folder's ``visits/``, where nothing but visits is
    written: then the person's documents folder, or (the data folder moved by
    IRP_FIELD_HOME: a test, a portable install) an ``outputs/`` folder beside ``visits/``,
    made private."""
    kept = visits_folder(create=False).resolve()
    folder = visit.resolve().parent
    if folder != kept:
        return visit.parent
    if os.environ.get(HOME_VARIABLE):
        outputs = home() / "outputs"
        make_private_folder(outputs)
        return outputs
    from platformdirs import user_documents_path

    documents = user_documents_path()
    return documents if documents.is_dir() else Path.home()


def make_private_folder(folder: Path) -> bool:
    """Create ``folder`` (and any missing parents) readable by its owner only, where the
    platform has modes; True when it was created. A folder that already exists keeps
    its mode: the program never changes a folder it did not create (a shared /tmp, a
    team's USB stick)."""
    missing = []
    place = folder
    while not place.exists() and place != place.parent:
        missing.append(place)
        place = place.parent
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        for created in missing:
            created.chmod(0o700)
    return bool(missing)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty, readable by its owner only (replacing a leftover), so that
    what is written into it next is never readable by others, not even for a moment."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def make_private_tree(folder: Path, *, root: bool = True) -> None:
    """Folders 0700 and files 0600 under ``folder`` (an export of visit data), on POSIX;
    ``root=False`` leaves the folder's own mode (one the program did not create)."""
    if os.name != "posix":
        return
    if root:
        folder.chmod(0o700)
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


def keys_folder() -> Path:
    """This installation's key pair for sealed files (``irp-field keys new``)."""
    return home() / KEYS


def identities_file() -> Path:
    """Who uses each visit file on this installation (a team member's name by the visit's
    id and the file's place, and by the visit's id alone: ``api.identity``): who you are
    belongs to the laptop, not to the file, so a file copied from another laptop asks
    again."""
    return home() / IDENTITIES


def installation_id() -> str:
    """A random id for this installation, made once and kept in the home folder.

    A visit file remembers the installation (and path) that gave it its site id; a copy
    opened elsewhere gets a fresh site id so that version stamps stay unique.
    """
    path = home() / INSTALLATION_ID
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except OSError:
        existing = ""
    if existing:
        return existing
    make_private_folder(path.parent)
    new_id = uuid.uuid4().hex
    create_private_file(path)  # 0600, as every file of the home folder
    path.write_text(new_id, encoding="utf-8")
    return new_id


def resolve_visit(name: str | os.PathLike[str]) -> Path:
    """A visit argument is a path, or the name of a file in the visits folder (.db optional).
    A bare name found nowhere is a file of the visits folder too, once there is one (a
    merge's new master, ``irp-field merge master hull jade``, goes where ``open master``
    and the visits list find it, not into the folder the command was typed in)."""
    path = Path(name).expanduser()
    if path.exists() or not is_bare_name(name):
        return path
    folder = visits_folder(create=False)
    for candidate in (folder / path, folder / f"{path}.db"):
        if candidate.exists():
            return candidate
    if folder.is_dir() and path.name not in ("", ".", ".."):
        return folder / (path.name if path.suffix == ".db" else f"{path.name}.db")
    return path


def is_bare_name(name: str | os.PathLike[str]) -> bool:
    """Is a visit argument a bare name (a file of the visits folder), not a path? A
    path names a folder, even the current one: ``./v.db``, which pathlib reads as the
    bare ``v.db``, is the file here."""
    typed = os.fspath(name)
    path = Path(typed).expanduser()
    folder_typed = any(sep in typed for sep in (os.sep, os.altsep) if sep)
    return not (folder_typed or path.is_absolute() or len(path.parts) > 1)


# -- temporary copies ------------------------------------------------------------------
# A temporary copy of visit data (an export's redacted copy, a merge's copies of its
# sources, a photograph opened in the system's viewer) is as sensitive as the visit: it
# lives in the data folder (``tmp/``, 0700), never in the system's shared temporary
# folder, and goes on every way out. What a killed process left is removed at the next
# start: each copy's folder has a lock file that its process holds locked while it
# lives (the system lets go of the lock when the process dies, kill -9 included), so a
# start never removes the work of an irp-field that is still running.

_LOCK = ".lock"
_NEW = ".new-"
_STRAY_AGE = 3600.0  # seconds: anything else in tmp/ older than this was not made by us


def sqlite_temporary_files_here() -> None:
    """SQLite's own temporary files (a sort or an index too big for its page cache, as
    an export of a million checks makes) go into :func:`temporary_folder`, not the
    system's temporary folder: process-wide, set once when a command starts, before any
    thread runs. SQLite reads SQLITE_TMPDIR only before ``import sqlite3``; the pragma,
    deprecated but kept by SQLite, is the way after it. A folder gone later only sends
    SQLite back to its own choice."""
    import sqlite3

    quoted = str(temporary_folder()).replace("'", "''")
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"PRAGMA temp_store_directory = '{quoted}'")
    except sqlite3.Error:  # a build without deprecated features: SQLite's own choice
        pass
    finally:
        conn.close()


def temporary_folder(create: bool = True) -> Path:
    """The data folder's ``tmp/``: the one home of every temporary copy of visit data."""
    folder = home() / TEMPORARY
    if create:
        make_private_folder(folder)
    return folder


def _lock(handle: IO[bytes]) -> bool:
    """Lock ``handle``'s file for this open handle alone, without waiting; False when
    another handle holds it (another process, or another copy of this one)."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _held_lock(root: Path, name: str) -> tuple[Path, IO[bytes]]:
    """The lock file ``name.lock`` in ``root``, made and locked by this process, and the
    handle that holds it. A start never finds it there unlocked while we live."""
    final = root / f"{name}{_LOCK}"
    if sys.platform == "win32":  # pragma: no cover - Windows
        # An open file cannot be removed there: made under its name, then locked (a start
        # that locked it first in between lets go at once, having removed nothing).
        create_private_file(final)
        handle = final.open("r+b")
        for _ in range(100):
            if _lock(handle):
                return final, handle
            time.sleep(0.01)
        handle.close()
        raise OSError(f"{final}: could not be locked")
    # POSIX removes an open file: a start could unlink a lock file made under its name
    # before it was locked. So it is locked under another name, then renamed.
    fresh = root / f"{_NEW}{name}"
    create_private_file(fresh)
    handle = fresh.open("r+b")
    if not _lock(handle):  # pragma: no cover - a file nobody else knows of
        handle.close()
        raise OSError(f"{fresh}: could not be locked")
    os.replace(fresh, final)
    return final, handle


_LIVE: set[Path] = set()  # this process's scratch folders, while they live


def live_scratch_folders() -> frozenset[Path]:
    """This process's scratch folders that still live: the one place in ``tmp/`` an
    output is written (a sealed bundle before it is sealed: ``core.destinations``)."""
    return frozenset(_LIVE)


class Scratch:
    """A private folder (0700) in :func:`temporary_folder` for one piece of work, locked
    while it lives and removed by :meth:`close` (a ``with`` block closes it on every way
    out: success, refusal, exception, Ctrl-C)."""

    def __init__(self, purpose: str) -> None:
        root = temporary_folder()
        name = f"{purpose}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.lock_file, handle = _held_lock(root, name)
        self._handle: IO[bytes] | None = handle
        self.path = root / name
        try:
            self.path.mkdir(mode=0o700)
            _LIVE.add(self.path)
            if os.name == "posix":
                self.path.chmod(0o700)  # whatever the umask
        except BaseException:
            self.close()
            raise

    def file(self, name: str) -> Path:
        """A path in the folder, created empty and owner-only, for a program (SQLite)
        that keeps the mode of a file it finds."""
        path = self.path / name
        create_private_file(path)
        return path

    def close(self) -> None:
        import shutil  # here: every command imports this module, few remove a folder

        _LIVE.discard(self.path)
        shutil.rmtree(self.path, ignore_errors=True)
        if self._handle is not None:
            self._handle.close()  # Windows removes no open file: unlocked first
            self._handle = None
        if not self.path.exists():  # a viewer on Windows may hold a copy: the next start
            self.lock_file.unlink(missing_ok=True)

    def __enter__(self) -> Scratch:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        import shutil

        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _left_by_the_dead(lock_file: Path) -> bool:
    try:
        with lock_file.open("r+b") as handle:
            return _lock(handle)  # taken: its process is gone (closing lets go again)
    except OSError:
        return False


def remove_leftovers() -> list[Path]:
    """Remove what a killed irp-field left in :func:`temporary_folder` (each folder whose
    lock nobody holds), leaving the work of every running one; the folders removed.
    Cheap: one listing of a folder that is usually empty or absent."""
    root = temporary_folder(create=False)
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    removed = []
    names = {entry.name for entry in entries}
    now = time.time()
    for entry in entries:
        if entry.name.endswith(_LOCK) and not entry.name.startswith(_NEW):
            folder = entry.with_name(entry.name.removesuffix(_LOCK))
            if _left_by_the_dead(entry):
                _remove(folder)
                entry.unlink(missing_ok=True)
                removed.append(folder)
        elif f"{entry.name}{_LOCK}" in names:
            continue  # a folder of a lock: decided with its lock
        elif entry.is_dir() and not entry.is_symlink():
            _remove(entry)  # its lock went first: its process was closing it
            removed.append(entry)
        else:
            try:
                stray = now - entry.lstat().st_mtime > _STRAY_AGE
            except OSError:
                continue
            if stray:  # (a young one may be a lock file being made)
                _remove(entry)
    return removed
