"""Where an output may be written: the one rule every writer calls (the report, every
export and its Datasette metadata, a bundle, an attachment saved), on the command line
and on the report screen alike.

A slip of tab completion (``report hull.db --format markdown --out hull.db``) once
replaced an 840 KB visit with a 52 KB report. So an existing file is replaced only when
the person asked for it (``--overwrite``, or y on the screen's question), and never,
even then, when it is a visit: an SQLite database (by its first bytes, not its name), a
visit's write-ahead log or journal, the visit being read (the same file by any name or
hard link), or the data folder's own files and folders (``paths.OWN_ENTRIES``: its
visits, backups, keys, tmp/, ...).

What is written goes to a file beside the destination and is renamed into place whole;
any failure on the way (a full disk, a refused picture, a bug in a writer's library)
becomes one line, "Not written: PATH: why", and leaves the destination as it was.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from irp_field import paths
from irp_field.core.connection import OPEN_FILES, SQLITE_MAGIC
from irp_field.domain.errors import IrpError, NotWrittenError

# The first bytes of a write-ahead log (two byte orders) and of a rollback journal.
_LOG_MAGICS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83", b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")
# The files SQLite keeps beside a database while it is in use (hull.db-wal, ...).
_SIDE_FILES = ("-wal", "-shm", "-journal")
_REASON_LENGTH = 200  # a reason is one line: a library's message may quote a whole note
EXISTS = "already exists; choose another name, or replace it with --overwrite"


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or under it, links resolved, letter case as the
    platform compares it (Windows: any case)."""
    here = os.path.normcase(str(path.resolve()))
    there = os.path.normcase(str(folder.resolve()))
    return here == there or here.startswith(there.rstrip(os.sep) + os.sep)


def _first_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC))
    except OSError:
        return b""


def _a_database(path: Path) -> bool:
    """An SQLite database by its first bytes. A file this process has open as a visit is
    one without a look: reading it would drop that connection's locks (POSIX)."""
    if OPEN_FILES.is_open(path):
        return True
    return _first_bytes(path).startswith(SQLITE_MAGIC)


def _visit_reason(out: Path, reading: Sequence[Path]) -> str | None:
    """Why ``out`` may never be written, whatever the person asked; None if it may be."""
    for visit in reading:
        if _same_file(out, visit) or any(
            _same_file(out, visit.with_name(visit.name + side)) for side in _SIDE_FILES
        ):
            return "is the visit being read; irp-field never writes over a visit"
    home = paths.home()
    for name in paths.OWN_ENTRIES:
        own = home / name
        ours = name == paths.TEMPORARY and any(
            _inside(out, folder) for folder in paths.live_scratch_folders()
        )
        if _inside(out, own) and not ours:
            what = f"{name} folder" if own.is_dir() or not _inside(own, out) else name
            return (
                f"is in the data folder's {what} ({own}), where irp-field writes nothing "
                "else, not even with --overwrite"
            )
    for side in _SIDE_FILES:
        if not out.name.endswith(side) or out.name == side:
            continue
        base = out.with_name(out.name[: -len(side)])
        if base.is_file() and _a_database(base):
            return f"belongs to the SQLite database {base.name}; irp-field never writes over one"
    if not out.is_file():
        return None
    if _a_database(out):
        return (
            "is an SQLite database, as a visit file is; irp-field never writes over one, "
            "not even with --overwrite (an old export: move it away first)"
        )
    if _first_bytes(out).startswith(_LOG_MAGICS):
        return "is an SQLite database's log; irp-field never writes over one"
    return None


def refusal(
    out: Path, *, overwrite: bool = False, reading: Sequence[Path] = (), folder: bool = False
) -> str | None:
    """Why ``out`` may not be written (a file, or a ``folder``), or None when it may.

    ``reading``: the visit files the output is made from. ``overwrite``: the person
    asked for an existing file to be replaced (never a folder that holds anything).
    """
    never = _visit_reason(out, reading)
    if never is not None:
        return never
    if not out.parent.is_dir():
        return f"no such folder: {out.parent}"
    if not (out.exists() or out.is_symlink()):
        return None
    if out.is_dir():
        if not folder:
            return "is a folder; give a file name"
        if any(out.iterdir()):
            return (
                "already exists and is not an empty folder; choose another name "
                "(--overwrite never empties a folder)"
            )
        return None  # an empty folder is taken as it is
    if out.exists() and not stat.S_ISREG(out.stat().st_mode):
        return "is not a plain file (a device, a pipe or a socket)"
    if folder:
        return "is a file; this export is a folder: choose another name"
    return None if overwrite else EXISTS


def check_destination(
    out: Path, *, overwrite: bool = False, reading: Sequence[Path] = (), folder: bool = False
) -> None:
    """Raise :class:`NotWrittenError` naming ``out`` when :func:`refusal` says why not."""
    why = refusal(out, overwrite=overwrite, reading=reading, folder=folder)
    if why is not None:
        raise NotWrittenError(out, why)


def may_replace(out: Path, *, reading: Sequence[Path] = (), folder: bool = False) -> bool:
    """Whether ``out`` is there and only asking stands between it and being replaced
    (the screen asks; a visit is refused without a question)."""
    return (
        refusal(out, reading=reading, folder=folder) == EXISTS
        and refusal(out, overwrite=True, reading=reading, folder=folder) is None
    )


def reason(error: BaseException) -> str:
    """One line saying why a write failed, whatever raised it."""
    if isinstance(error, OSError):
        text = error.strerror or str(error) or type(error).__name__
    elif isinstance(error, IrpError):
        text = str(error)
    else:
        text = f"unexpected {type(error).__name__}: {error}".rstrip(": ")
    text = " ".join(text.split())
    return text if len(text) <= _REASON_LENGTH else text[: _REASON_LENGTH - 1] + "…"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


# The existing files a ``writing`` block was asked to replace (``--overwrite``) and the
# rule lets it: what core.staging may rename over when the block's outputs are published.
_replacing: ContextVar[frozenset[str]] = ContextVar("replacing", default=frozenset())


def _key(path: Path) -> str:
    return os.path.normcase(str(path.absolute()))


def may_be_replaced(out: Path) -> bool:
    """Whether the file now at ``out`` may be renamed over: the writing block that made
    it an output was asked to replace it, and it is still nothing the rule protects (a
    visit put there meanwhile is not)."""
    return _key(out) in _replacing.get() and refusal(out, overwrite=True) is None


@contextmanager
def writing(
    out: Path,
    *,
    overwrite: bool = False,
    reading: Sequence[Path] = (),
    folder: bool = False,
    also: Iterable[Path] = (),
) -> Iterator[Path]:
    """Check ``out`` (and the files written ``also`` beside it, such as Datasette's
    metadata) before any work; the block writes them through :mod:`core.staging`, which
    renames each into place whole.

    A failure inside leaves nothing at the destination: staging publishes an output only
    whole, and takes back what it published of a set that failed; whatever is at the
    destination after a failure is not ours (another program's file put there meanwhile
    stays). A refusal (:class:`IrpError`: a paragraph, a file to read) is raised as it
    is; any other failure (a full disk, a library's exception) becomes
    :class:`NotWrittenError` naming ``out``; Ctrl-C stays Ctrl-C.
    """
    targets = [out, *also]
    for target in targets:
        check_destination(target, overwrite=overwrite, reading=reading, folder=folder)
    replacing = frozenset(_key(t) for t in targets if overwrite and t.is_file())
    token = _replacing.set(replacing)
    try:
        yield out
    except BaseException as error:
        if not isinstance(error, Exception) or isinstance(error, IrpError):
            raise  # Ctrl-C stays Ctrl-C; a refusal already says what and where
        raise NotWrittenError(out, reason(error)) from None
    finally:
        _replacing.reset(token)
