"""This installation's key pair for sealed files, in the age format.

``irp-field keys new`` makes an age X25519 identity (the age library, ``pyrage``: no
cryptography of ours) and keeps it in the data folder's ``keys/`` (folder 0700, files
0600 on POSIX):

- ``identity.txt``: the identity as ``age-keygen`` writes it, so that ``age -d -i
  identity.txt FILE`` opens a sealed file where irp-field is not to hand; or, when a
  passphrase protects it, ``identity.age``: that same file sealed with age's own
  passphrase recipient (scrypt), which ``age -d -i identity.age`` also opens (it asks
  for the passphrase). age's identities have no passphrase of their own: sealing the
  identity file is how age itself protects one;
- ``public.txt``: the public key (``age1...``), so that ``keys show`` needs no
  passphrase.

The secret never leaves this folder; a passphrase is never stored.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from irp_field import paths
from irp_field.domain.errors import IrpError

PLAIN = "identity.txt"
LOCKED = "identity.age"
PUBLIC = "public.txt"
SECRET_PREFIX = "AGE-SECRET-KEY-"


class PassphraseNeeded(IrpError):
    """The key is protected and no passphrase was given: ask for one, then try again."""


@dataclass(frozen=True)
class KeyPair:
    public: str  # age1...
    locked: bool  # protected by a passphrase
    file: Path  # the identity file (for `age -d -i FILE`)


def _folder() -> Path:
    return paths.keys_folder()


def held() -> KeyPair | None:
    """This installation's key, or None when it has none yet."""
    folder = _folder()
    try:
        public = (folder / PUBLIC).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    for name, locked in ((PLAIN, False), (LOCKED, True)):
        if (folder / name).is_file():
            return KeyPair(public, locked, folder / name)
    return None


def _write_private(path: Path, data: bytes) -> None:
    """Written whole or not at all, readable by its owner only from the first byte."""
    partial = path.with_name(f".{path.name}.partial")
    paths.create_private_file(partial)
    try:
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def make(passphrase: str | None = None) -> KeyPair:
    """A new key pair for this installation; refused when it has one (files sealed for
    it could no longer be opened here)."""
    folder = _folder()
    existing = [name for name in (PLAIN, LOCKED, PUBLIC) if (folder / name).exists()]
    if existing:
        raise IrpError(
            f"this installation has a key already ({folder / existing[0]}); files sealed for "
            "it could not be opened without it: `irp-field keys show` prints its public key"
        )
    paths.make_private_folder(folder)
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    made = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"# created: {made}\n# public key: {public}\n{identity}\n".encode()
    if passphrase:
        _write_private(folder / LOCKED, age_passphrase.encrypt(text, passphrase))
    else:
        _write_private(folder / PLAIN, text)
    _write_private(folder / PUBLIC, f"{public}\n".encode())
    pair = held()
    assert pair is not None
    return pair


def identities(passphrase: str | None = None) -> list[x25519.Identity]:
    """The identity that opens files sealed for this installation (none when it has no
    key); :class:`PassphraseNeeded` when it is protected and no passphrase was given."""
    pair = held()
    if pair is None:
        return []
    data = pair.file.read_bytes()
    if pair.locked:
        if not passphrase:
            raise PassphraseNeeded("this installation's key is protected: give its passphrase")
        try:
            data = age_passphrase.decrypt(data, passphrase)
        except pyrage.DecryptError:
            raise PassphraseNeeded(
                "wrong passphrase for this installation's key; nothing was opened"
            ) from None
    lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines()]
    secrets = [line for line in lines if line.startswith(SECRET_PREFIX)]
    try:
        return [x25519.Identity.from_str(secret) for secret in secrets]
    except pyrage.IdentityError:
        raise IrpError(f"{pair.file}: is damaged (no age identity in it)") from None
