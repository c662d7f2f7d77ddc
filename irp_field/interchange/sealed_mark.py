"""Whether a file is sealed (an age file), known from its first bytes: asked of every
file a merge is given, without loading the sealing itself (``interchange.sealing`` and
the age library) when none is."""

from __future__ import annotations

from pathlib import Path

MAGIC = b"age-encryption.org/v1\n"
ARMOURED = b"-----BEGIN AGE ENCRYPTED FILE-----"


def is_sealed(path: Path) -> bool:
    """Does the file hold an age file (by its first bytes, never by its name)? A pipe or
    a device is no file, sealed or not: opening a pipe to look would wait for ever."""
    if not path.is_file():
        return False
    try:
        with open(path, "rb") as file:
            start = file.read(len(ARMOURED))
    except OSError:
        return False
    return start.startswith(MAGIC) or start.startswith(ARMOURED)
