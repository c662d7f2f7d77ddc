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

A writer's own earlier output is replaced, when asked, although it is an SQLite file or
a folder that holds something (the team leader's second F12 of the evening, an
``export --overwrite`` run again): known by what it holds, never by what it says about
itself (:class:`OwnOutput`): an SQLite file whose every table is one the export writes,
and none a visit's own; a folder whose every entry is a plain file the export writes.
Anything else there (a visit, a file of the analyst's own beside the CSV files) keeps
the destination refused.

What is written goes to a file beside the destination and is renamed into place whole;
any failure on the way (a full disk, a refused picture, a bug in a writer's library)
becomes one line, "Not written: PATH: why", and leaves the destination as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from irp_field import paths
from irp_field.core.connection import OPEN_FILES, SQLITE_MAGIC
from irp_field.domain.errors import IrpError, NotWrittenError

# The first bytes of a write-ahead log (two byte orders) and of a rollback journal.
_LOG_MAGICS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83", b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")
# The files SQLite keeps beside a database while it is in use (hull.db-wal, ...).
_SIDE_FILES = ("-wal", "-shm", "-journal")
_REASON_LENGTH = 200  # a reason is one line: a library's message may quote a whole note
EXISTS = "already exists; choose another name, or replace it with --overwrite"
# Tables every visit file has (core.schema) and no export: a file holding one is a visit.
_VISITS_OWN_TABLES = frozenset({"meta", "change_log"})
_TABLES_READ = 1_000  # a stranger's schema is read this far, no further


@dataclass(frozen=True)
class OwnOutput:
    """What a writer's own output holds, by which the rule knows it again: the
    ``tables`` of an SQLite file (``required`` among them), or the ``files`` of a folder
    (``required`` among them). An output holding anything else is not the writer's."""

    tables: frozenset[str] = frozenset()
    files: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()


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


def _tables_held(path: Path) -> set[str] | None:
    """The names of the tables, views and triggers an SQLite file holds (and the tables
    they belong to), read as data (read only, without its log); None when it cannot be
    read or holds more than a schema worth reading."""
    uri = path.absolute().as_uri() + "?mode=ro&immutable=1"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            rows = conn.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite~_%' "
                "ESCAPE '~' AND type != 'index' LIMIT ?",
                (_TABLES_READ + 1,),
            ).fetchall()
    except (sqlite3.Error, ValueError):
        return None
    if len(rows) > _TABLES_READ:
        return None
    return {str(name) for row in rows for name in row}


def _an_own_database(out: Path, own: OwnOutput | None) -> bool:
    """Whether the SQLite file at ``out`` is the writer's own output, by what it holds:
    its tables the writer's, the required ones there, none a visit's own; never a file
    open here as a visit, nor one with a write-ahead log beside it (in use)."""
    if own is None or not own.tables or OPEN_FILES.is_open(out):
        return False
    if any(out.with_name(out.name + side).exists() for side in _SIDE_FILES):
        return False
    held = _tables_held(out)
    if held is None or held & _VISITS_OWN_TABLES:
        return False
    return own.required <= held <= own.tables


def _an_own_folder(out: Path, own: OwnOutput | None) -> bool:
    """Whether the folder at ``out`` holds only the writer's files (plain files, by the
    names it writes; the required ones there): its own earlier output."""
    if own is None or not own.files or out.is_symlink():
        return False
    try:
        with os.scandir(out) as entries:
            found = [(e.name, e.is_file(follow_symlinks=False)) for e in entries]
    except OSError:
        return False
    held = {name for name, _ in found}
    return all(plain for _, plain in found) and own.required <= held <= own.files


def _visit_reason(out: Path, reading: Sequence[Path], own: OwnOutput | None = None) -> str | None:
    """Why ``out`` may never be written, whatever the person asked; None if it may be."""
    for visit in reading:
        if _same_file(out, visit) or any(
            _same_file(out, visit.with_name(visit.name + side)) for side in _SIDE_FILES
        ):
            return "is the visit being read; irp-field never writes over a visit"
    home = paths.home()
    for name in paths.OWN_ENTRIES:
        entry = home / name
        ours = name == paths.TEMPORARY and any(
            _inside(out, folder) for folder in paths.live_scratch_folders()
        )
        if _inside(out, entry) and not ours:
            what = f"{name} folder" if entry.is_dir() or not _inside(entry, out) else name
            return (
                f"is in the data folder's {what} ({entry}), where irp-field writes nothing "
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
    if _a_database(out) and not _an_own_database(out, own):
        return (
            "is an SQLite database irp-field did not export (a visit file, or another "
            "program's); irp-field never writes over one, not even with --overwrite"
        )
    if _first_bytes(out).startswith(_LOG_MAGICS):
        return "is an SQLite database's log; irp-field never writes over one"
    return None


def refusal(
    out: Path,
    *,
    overwrite: bool = False,
    reading: Sequence[Path] = (),
    folder: bool = False,
    own: OwnOutput | None = None,
) -> str | None:
    """Why ``out`` may not be written (a file, or a ``folder``), or None when it may.

    ``reading``: the visit files the output is made from. ``overwrite``: the person
    asked for an existing file to be replaced (an SQLite file, or a folder that holds
    anything, only when it is the writer's ``own`` output).
    """
    never = _visit_reason(out, reading, own)
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
            if _an_own_folder(out, own):
                return None if overwrite else EXISTS
            return (
                "already exists and is not an empty folder of this export's files; choose "
                "another name (--overwrite replaces only a folder that holds nothing else)"
            )
        return None  # an empty folder is taken as it is
    if out.exists() and not stat.S_ISREG(out.stat().st_mode):
        return "is not a plain file (a device, a pipe or a socket)"
    if folder:
        return "is a file; this export is a folder: choose another name"
    return None if overwrite else EXISTS


def check_destination(
    out: Path,
    *,
    overwrite: bool = False,
    reading: Sequence[Path] = (),
    folder: bool = False,
    own: OwnOutput | None = None,
) -> None:
    """Raise :class:`NotWrittenError` naming ``out`` when :func:`refusal` says why not."""
    why = refusal(out, overwrite=overwrite, reading=reading, folder=folder, own=own)
    if why is not None:
        raise NotWrittenError(out, why)


def may_replace(
    out: Path, *, reading: Sequence[Path] = (), folder: bool = False, own: OwnOutput | None = None
) -> bool:
    """Whether ``out`` is there and only asking stands between it and being replaced
    (the screen asks; a visit is refused without a question)."""
    return (
        refusal(out, reading=reading, folder=folder, own=own) == EXISTS
        and refusal(out, overwrite=True, reading=reading, folder=folder, own=own) is None
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


# The existing files and folders a ``writing`` block was asked to replace
# (``--overwrite``) and the rule lets it, each with what the writer's own output holds:
# what core.staging may rename over when the block's outputs are published.
_replacing: ContextVar[Mapping[str, OwnOutput | None]] = ContextVar(
    "replacing", default=MappingProxyType({})
)


def _key(path: Path) -> str:
    return os.path.normcase(str(path.absolute()))


def may_be_replaced(out: Path) -> bool:
    """Whether the file or folder now at ``out`` may be renamed over: the writing block
    that made it an output was asked to replace it, and it is still nothing the rule
    protects (a visit put there meanwhile is not, nor a file put in the folder)."""
    replacing = _replacing.get()
    if _key(out) not in replacing:
        return False
    own, folder = replacing[_key(out)], out.is_dir() and not out.is_symlink()
    return refusal(out, overwrite=True, folder=folder, own=own) is None


@contextmanager
def writing(
    out: Path,
    *,
    overwrite: bool = False,
    reading: Sequence[Path] = (),
    folder: bool = False,
    also: Iterable[Path] = (),
    own: OwnOutput | None = None,
) -> Iterator[Path]:
    """Check ``out`` (and the files written ``also`` beside it, such as Datasette's
    metadata) before any work; the block writes them through :mod:`core.staging`, which
    renames each into place whole. ``own``: what this writer's output holds, by which
    an earlier one at ``out`` is known and replaced when ``overwrite`` asks.

    A failure inside leaves nothing at the destination: staging publishes an output only
    whole, and takes back what it published of a set that failed; whatever is at the
    destination after a failure is not ours (another program's file put there meanwhile
    stays). A refusal (:class:`IrpError`: a paragraph, a file to read) is raised as it
    is; any other failure (a full disk, a library's exception) becomes
    :class:`NotWrittenError` naming ``out``; Ctrl-C stays Ctrl-C.
    """
    targets = [out, *also]
    for target in targets:
        check_destination(target, overwrite=overwrite, reading=reading, folder=folder, own=own)
    replacing = {_key(t): own for t in targets if overwrite and (t.is_file() or t.is_dir())}
    token = _replacing.set(replacing)
    try:
        yield out
    except BaseException as error:
        if not isinstance(error, Exception) or isinstance(error, IrpError):
            raise  # Ctrl-C stays Ctrl-C; a refusal already says what and where
        raise NotWrittenError(out, reason(error)) from None
    finally:
        _replacing.reset(token)
