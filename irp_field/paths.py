"""Where irp-field keeps its files.

``IRP_FIELD_HOME`` replaces the platform's user data folder (tests set it with
monkeypatch). Everything else derives from :func:`home`.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

APP_NAME = "irp-field"
HOME_VARIABLE = "IRP_FIELD_HOME"


def home() -> Path:
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def visits_folder(create: bool = True) -> Path:
    folder = home() / "visits"
    if create:
        make_private_folder(folder)
    return folder


def backups_folder(create: bool = True) -> Path:
    folder = home() / "backups"
    if create:
        make_private_folder(folder)
    return folder


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
    return home() / "keys"


@contextmanager
def private_scratch(purpose: str) -> Iterator[Path]:
    """A folder of the data folder readable by its owner only, for plain copies of visit
    data that must exist on disk for a moment (a snapshot being sealed, a sealed file
    being opened): never the system's shared temporary folder. Removed with everything
    in it when the block ends, however it ends."""
    parent = home() / "scratch"
    make_private_folder(parent)
    folder = parent / f"{purpose}-{uuid.uuid4().hex}"
    folder.mkdir(mode=0o700)
    if os.name == "posix":
        folder.chmod(0o700)  # whatever the umask
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def identities_file() -> Path:
    """Who uses each visit on this installation (visit id -> a team member's name): who
    you are belongs to the laptop, not to the file, so a file copied from another
    laptop asks again."""
    return home() / "who-am-i.json"


def installation_id() -> str:
    """A random id for this installation, made once and kept in the home folder.

    A visit file remembers the installation (and path) that gave it its site id; a copy
    opened elsewhere gets a fresh site id so that version stamps stay unique.
    """
    path = home() / "installation-id"
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
    """A visit argument is a path, or the name of a file in the visits folder (.db optional)."""
    path = Path(name).expanduser()
    if path.exists() or path.is_absolute() or len(path.parts) > 1:
        return path
    folder = visits_folder(create=False)
    for candidate in (folder / path, folder / f"{path}.db"):
        if candidate.exists():
            return candidate
    return path
