"""Sealed files for the journey: a visit (or an export) encrypted to the team leader's
public key, in the age format, so that a lost USB stick gives away nothing but the
file's size.

Sealing is the age library's (``pyrage``): a random file key, wrapped for each
recipient (X25519), and the file in authenticated 64 KB chunks, so that a changed byte
anywhere is refused. Nothing here is cryptography of ours; the ``age`` command-line
tool opens these files too (``age -d -i identity.txt hull-jade.age > hull-jade.db``).

A visit is sealed from a consistent snapshot (SQLite's backup API), taken into a
private folder of the data folder and removed however the sealing ends; never a plain
copy in the system's temporary folder. A sealed file is opened the same way, into a
private folder, with at most :data:`PLAINTEXT_CAP` bytes written: a file from
elsewhere cannot fill the disk. An export or a bundle folder is sealed as a tar stream
(``age -d -i identity.txt hull.tar.age | tar -x``).
"""

from __future__ import annotations

import sqlite3
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pyrage
from pyrage import x25519

from irp_field import paths
from irp_field.core import staging
from irp_field.domain.errors import IrpError
from irp_field.interchange.sealed_mark import ARMOURED as ARMOURED
from irp_field.interchange.sealed_mark import MAGIC as MAGIC
from irp_field.interchange.sealed_mark import is_sealed as is_sealed

# The most a sealed file may hold once opened: far above any visit (a visit of 100,000
# roll checks and a hundred photographs is well under 200 MB), low enough that a file
# from elsewhere cannot fill a laptop's disk.
PLAINTEXT_CAP = 2 * 1024**3
_CHUNK = 64 * 1024
_HEADER_ALLOWANCE = 64 * 1024  # the header: a stanza per recipient, each under 200 bytes


def shown_size(size: int) -> str:
    return f"{size / 1024**3:.0f} GB" if size >= 1024**3 else f"{size / 1024**2:.0f} MB"


def sealed_size_bound(cap: int) -> int:
    """The largest sealed file whose contents can be within ``cap``: the cap, 16 bytes of
    tag a chunk, and the header."""
    return cap + (cap // _CHUNK + 1) * 16 + _HEADER_ALLOWANCE


def parse_recipients(keys: list[str]) -> list[x25519.Recipient]:
    """Keys the domain's rule took, as the age library's recipients."""
    try:
        return [x25519.Recipient.from_str(key) for key in keys]
    except pyrage.RecipientError as error:
        raise IrpError(f"not an age public key ({error})") from None


def _written_whole(out: Path, write: Callable[[BinaryIO], None]) -> None:
    """``write(file)`` into a private draft beside ``out``, renamed into place only once
    whole and on the disk (``core.staging``): a sealing stopped half way leaves nothing
    that looks like a hand-back."""
    with staging.staged() as staged, open(staged.file(out), "wb") as file:
        write(file)


def snapshot(source: sqlite3.Connection, copy: Path) -> None:
    """A consistent copy of the visit file ``source`` reads, even one being written (the
    backup API), as one self-contained file (no write-ahead log beside it)."""
    paths.create_private_file(copy)
    writer = sqlite3.connect(copy, isolation_level=None)
    try:
        source.backup(writer)
        writer.execute("PRAGMA journal_mode = DELETE")
    finally:
        writer.close()


def seal_file(plain: Path, out: Path, recipients: list[x25519.Recipient]) -> int:
    """Encrypt ``plain`` to ``out`` for the recipients; the size of what was written."""

    def write(file: BinaryIO) -> None:
        with open(plain, "rb") as reader:
            pyrage.encrypt_io(reader, file, recipients)

    _written_whole(out, write)
    return out.stat().st_size


def tar_folder(folder: Path, tar_path: Path) -> None:
    """The files under ``folder`` as a tar stream, with no owner's name or number in it."""

    def anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    paths.create_private_file(tar_path)
    with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
        for entry in sorted(folder.iterdir()):
            tar.add(entry, arcname=entry.name, filter=anonymous)


class _Bounded:
    """A file that refuses to grow past the cap (a file from elsewhere could say
    anything about its size: what is counted is what is written)."""

    def __init__(self, file: BinaryIO, cap: int) -> None:
        self.file, self.cap, self.written = file, cap, 0

    def write(self, data: bytes) -> int:
        if self.written + len(data) > self.cap:
            raise _TooLarge
        self.written += len(data)
        return self.file.write(data)

    def flush(self) -> None:
        self.file.flush()


class _TooLarge(Exception):
    pass


def open_sealed(
    sealed: Path, plain: Path, identities: list[x25519.Identity], *, cap: int | None = None
) -> None:
    """Decrypt ``sealed`` into ``plain`` (a file in a private folder, created 0600);
    refused in one line naming the file when it is for another key, was changed, or
    would hold more than the cap. On a refusal, ``plain`` is removed."""
    cap = PLAINTEXT_CAP if cap is None else cap
    if not identities:
        raise IrpError(
            f"{sealed}: is sealed, and this installation has no key to open it "
            "(the team leader's laptop makes one with `irp-field keys new`)"
        )
    if sealed.stat().st_size > sealed_size_bound(cap):
        raise IrpError(f"{sealed}: would hold more than {shown_size(cap)} once opened; refused")
    paths.create_private_file(plain)
    try:
        with open(sealed, "rb") as reader, open(plain, "wb") as file:
            pyrage.decrypt_io(reader, _Bounded(file, cap), identities)
    except (pyrage.DecryptError, OSError) as error:
        plain.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno is not None:
            raise  # the disk's, not the file's (no room, no permission)
        if "No matching keys" in str(error):
            raise IrpError(f"{sealed}: sealed for another key; ask the team leader") from None
        # The age library reports a chunk that fails its check, streamed, as an OSError
        # with no errno; the header's faults as DecryptError.
        said = " ".join(str(error).split())  # the library's words, on one line
        raise IrpError(
            f"{sealed}: damaged or changed since it was sealed ({said}); refused"
        ) from None
    except _TooLarge:
        plain.unlink(missing_ok=True)
        raise IrpError(
            f"{sealed}: holds more than {shown_size(cap)} once opened; refused"
        ) from None
    except BaseException:
        plain.unlink(missing_ok=True)
        raise
