"""Outputs written whole or not at all: beside their destination under a temporary name,
renamed into place only once complete and on the disk.

An export killed part-way (kill -9, a full disk, a power cut) must never leave at its
destination something that looks whole: a bundle of 12 of its 17 files, its notes.csv
empty, was taken by ``new --from`` as a visit with no notes. So every file and folder
an export writes is first written under a dot-name in the destination's own folder
(``.NAME.irp-TAG-PID-RANDOM.partial``: the same file system, so the rename is atomic),
flushed to the disk (the files, then the folders, where the platform allows it), and
only then renamed to NAME. An export that fails or is refused removes its temporary
names; one that is killed cannot, and the next export into that folder removes what it
left (:func:`sweep`), so a temporary name is never taken for an output.

A temporary name says which installation (``paths.installation_id``) and which process
made it: a sweep removes only its own installation's leftovers whose process is gone
(POSIX), or a day old where a process cannot be asked after cheaply (Windows), so it
never removes the work of an export still running, nor another laptop's in a shared
folder. The 0.3.0 writers' fixed name (``.NAME.partial``) is removed too, by the next
export to the same NAME.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from irp_field import paths
from irp_field.core import connection, destinations
from irp_field.domain.errors import Ended, IrpError

_NAME = re.compile(r"^\..*\.irp-(?P<tag>[0-9a-f]{8})-(?P<pid>\d{1,10})-[0-9a-f]{8}\.partial$")
STALE_AFTER_SECONDS = 24 * 3600  # where a process cannot be asked after (Windows)
_live: set[str] = set()  # this process's temporary names in use (a pid can come back)
_live_lock = threading.Lock()


def durable() -> bool:
    """Whether writers wait for the disk: always in the app; the test suite turns it off
    with the SQLite writers' own setting, outside the tests that prove durability."""
    return connection.SYNCHRONOUS != "OFF"


def sync_file(path: Path) -> None:
    if not durable():
        return
    with path.open("rb+") as handle:  # Windows flushes only a handle open for writing
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Make a folder's entries (a file made or renamed in it) last. POSIX only: Windows
    cannot open a folder, and its file systems keep a rename once it returns."""
    if not durable() or os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def sync_tree(folder: Path) -> None:
    """Every file under ``folder``, then every folder, deepest first."""
    if not durable():
        return
    folders = [folder]
    for path in sorted(folder.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            folders.append(path)
        elif path.is_file():
            sync_file(path)
    for each in reversed(folders):
        sync_folder(each)


def _tag() -> str:
    return paths.installation_id()[:8]


def temporary_name(out: Path) -> Path:
    """Where ``out`` is written before it is renamed into place (a name kept short:
    a file name has at most 255 bytes)."""
    token = os.urandom(4).hex()
    return out.with_name(f".{out.name[:80]}.irp-{_tag()}-{os.getpid()}-{token}.partial")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: asks, sends nothing (POSIX only)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def _is_stale(entry: os.DirEntry[str], tag: str) -> bool:
    found = _NAME.match(entry.name)
    if found is None or found["tag"] != tag:
        return False  # not ours, or another installation's (a laptop sharing the folder)
    with _live_lock:
        if entry.name in _live:
            return False
    pid = int(found["pid"])
    if os.name == "posix":
        return pid == os.getpid() or not _running(pid)
    try:
        age = time.time() - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return False
    return age > STALE_AFTER_SECONDS


def _remove(path: Path) -> None:
    try:
        found = path.lstat()
    except OSError:
        return
    if stat.S_ISDIR(found.st_mode):
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def sweep(folder: Path, *, legacy: tuple[str, ...] = ()) -> None:
    """Remove what killed exports left in ``folder``: this installation's temporary
    names whose export is over, and the 0.3.0 writers' ``.NAME.partial`` for each NAME
    in ``legacy``. Best effort: what cannot be removed stays, and is never output."""
    tag = _tag()
    try:
        with os.scandir(folder) as entries:
            stale = [Path(e.path) for e in entries if _is_stale(e, tag)]
    except OSError:
        return
    for path in stale + [folder / f".{name}.partial" for name in legacy]:
        _remove(path)


# The signals that ask a program to stop and that Python would otherwise obey at once,
# leaving a temporary name (a copy of the evidence) on a USB stick: taken as Ctrl-C is
# while an output is written. kill -9 cannot be caught: the next write's sweep.
_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def ended_as_interrupted() -> Iterator[None]:
    """While the block runs in the main thread, SIGTERM and SIGHUP raise
    :class:`Ended` (a KeyboardInterrupt) where the program is, so that every ``finally``
    on the way out removes what it began. Elsewhere (a worker thread, which cannot take
    a signal) the block runs as it is. The handlers before are put back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def ended(signal_number: int, frame: object) -> None:
        raise Ended(signal_number, signal.Signals(signal_number).name)

    before = {each: signal.signal(each, ended) for each in _STOPPING}
    try:
        yield
    finally:
        for each, handler in before.items():
            signal.signal(each, handler)


def replace_file(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` whole, in place of what is there (a bundle's manifest
    sealed again): under a temporary name beside it, flushed, then renamed over it."""
    sweep(out.parent)
    temporary = temporary_name(out)
    with _live_lock:
        _live.add(temporary.name)
    try:
        with ended_as_interrupted():
            paths.create_private_file(temporary)
            temporary.write_bytes(data)
            sync_file(temporary)
            os.replace(temporary, out)
            sync_folder(out.parent)
    finally:
        _remove(temporary)
        with _live_lock:
            _live.discard(temporary.name)


@dataclass
class _Draft:
    temporary: Path
    out: Path
    folder: bool


class Staging:
    """The files and folders of one export, written under temporary names and published
    together (:func:`staged`)."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []

    def _start(self, out: Path, folder: bool) -> Path:
        sweep(out.parent, legacy=(out.name,))
        temporary = temporary_name(out)
        with _live_lock:
            _live.add(temporary.name)
        self.drafts.append(_Draft(temporary, out, folder))
        if folder:
            temporary.mkdir()
            if os.name == "posix":
                temporary.chmod(0o700)  # evidence about people in prison: owner only
        else:
            paths.create_private_file(temporary)
        return temporary

    def file(self, out: Path) -> Path:
        """An empty private file to write ``out`` into."""
        return self._start(out, folder=False)

    def folder(self, out: Path) -> Path:
        """An empty private folder to write the folder ``out`` into."""
        return self._start(out, folder=True)

    def publish(self) -> None:
        """Flush every draft to the disk, then rename each into place; if a rename
        fails, the ones already made are taken back."""
        for draft in self.drafts:
            if draft.folder:
                paths.make_private_tree(draft.temporary)
                sync_tree(draft.temporary)
            else:
                sync_file(draft.temporary)
        for draft in self.drafts:
            _check_free(draft)
        published: list[_Draft] = []
        # an earlier export's folder being replaced (``--overwrite``, checked its own by
        # _check_free) is renamed aside first, and put back if the set fails
        aside: dict[Path, Path] = {}
        try:
            for draft in self.drafts:
                if draft.folder and draft.out.is_dir() and not draft.out.is_symlink():
                    if any(draft.out.iterdir()):
                        aside[draft.out] = _set_aside(draft.out)
                    else:
                        draft.out.rmdir()  # checked empty: the export's own choice of place
                os.replace(draft.temporary, draft.out)
                published.append(draft)
        except BaseException:
            for done in published:
                _remove(done.out)
            for out, earlier in aside.items():
                if not os.path.lexists(out):
                    os.replace(earlier, out)
            raise
        finally:
            for earlier in aside.values():
                with _live_lock:
                    _live.discard(earlier.name)
        for earlier in aside.values():
            _remove(earlier)
        for parent in {draft.out.parent for draft in self.drafts}:
            sync_folder(parent)

    def discard(self) -> None:
        """Remove every temporary name still there (all of them, unless published)."""
        for draft in self.drafts:
            _remove(draft.temporary)
            with _live_lock:
                _live.discard(draft.temporary.name)


def _set_aside(out: Path) -> Path:
    """``out`` renamed to a temporary name beside it (removed once its replacement is in
    place; a killed export's is swept as any other)."""
    earlier = temporary_name(out)
    with _live_lock:
        _live.add(earlier.name)  # not swept by another export meanwhile
    os.replace(out, earlier)
    return earlier


def _check_free(draft: _Draft) -> None:
    """The destination is still free (something may have been put there meanwhile), or
    holds a file the writer was asked to replace (``core.destinations.writing``)."""
    out = draft.out
    if not os.path.lexists(out):
        return
    if draft.folder and out.is_dir() and not out.is_symlink() and not any(out.iterdir()):
        return
    if out.is_dir() == draft.folder and destinations.may_be_replaced(out):
        return
    raise IrpError(f"{out}: already exists; choose another name")


@contextmanager
def staged() -> Iterator[Staging]:
    """Drafts of an export's outputs, published when the block ends without an error and
    removed in any case (an error, Ctrl-C, SIGTERM or SIGHUP: :func:`ended_as_interrupted`)."""
    staging = Staging()
    try:
        with ended_as_interrupted():
            yield staging
            staging.publish()
    finally:
        staging.discard()
