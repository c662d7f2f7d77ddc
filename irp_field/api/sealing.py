"""Sealed files for the journey: this installation's key, the visit's recipients, the
hand-back, sealed exports, and opening sealed files for a merge.

The team leader makes a key (:func:`make_key`) and names its public key in the visit
(:func:`add_recipient`, or ``irp-field new --recipient``); the key travels to every
inspector's copy by merge. Each inspector's :func:`handback` then seals their visit
for it; the team leader's merge opens the sealed files (:func:`opened`) into a
private folder of the data folder and merges them as plain files. The formats and the
caps are ``interchange.sealing``'s.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from irp_field import paths
from irp_field.core.destinations import writing
from irp_field.core.visit_file import VisitFile
from irp_field.domain import recipients as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import refuse_unless_fine
from irp_field.evidence import recipients as stored
from irp_field.interchange import sealing, sealing_keys
from irp_field.interchange.sealing import PLAINTEXT_CAP as PLAINTEXT_CAP
from irp_field.interchange.sealing import is_sealed as is_sealed
from irp_field.interchange.sealing_keys import KeyPair as KeyPair
from irp_field.interchange.sealing_keys import PassphraseNeeded as PassphraseNeeded


def make_key(passphrase: str | None = None) -> KeyPair:
    """A key pair for this installation (refused when it has one already)."""
    return sealing_keys.make(passphrase)


def key() -> KeyPair | None:
    """This installation's key, or None."""
    return sealing_keys.held()


def key_needs_passphrase() -> bool:
    pair = sealing_keys.held()
    return pair is not None and pair.locked


def check_passphrase(passphrase: str | None) -> None:
    """Refuse a wrong passphrase before anything is opened (a screen asks again)."""
    sealing_keys.identities(passphrase)


def recipients(visit: VisitFile) -> list[str]:
    """The public keys the visit's hand-backs are sealed for."""
    return stored.held(visit)


def add_recipient(visit: VisitFile, key_text: str) -> str:
    return stored.add(visit, key_text)


def remove_recipient(visit: VisitFile, key_text: str) -> str:
    return stored.remove(visit, key_text)


def sealed_for(held: Sequence[str], to: Sequence[str], *, only: bool, what: str) -> list[str]:
    """Whom to seal for: the visit's keys and those given (``--to``), or only those
    given; each held to the domain's rule, and at least one."""
    keys = [] if only else list(held)
    for text in to:
        key_text, found = rules.recipient_verdicts(text, "to")
        refuse_unless_fine(found, what="--to")
        if key_text not in keys:
            keys.append(key_text)
    if not keys:
        raise IrpError(
            f"{what} names no one to seal for: the team leader's public key is added with "
            "`irp-field recipients add VISIT KEY` (or give --to KEY)"
        )
    return keys


@dataclass(frozen=True)
class Sealed:
    out: Path
    recipients: list[str]
    size: int  # bytes written


def handback(
    visit_path: Path,
    out: Path,
    *,
    to: Sequence[str] = (),
    only: bool = False,
    overwrite: bool = False,
    open_here: bool = False,
) -> Sealed:
    """The visit sealed for its recipients (and ``to``): a consistent snapshot taken into
    a private folder of the data folder, sealed into ``out``, the snapshot removed.
    ``open_here``: this process has the file open for writing (the terminal UI), so it
    is read through an ordinary connection (``VisitFile.open_reader``: a ``mode=ro``
    one would drop this process's locks on it)."""
    opened = (
        VisitFile.open_reader(visit_path)
        if open_here
        else VisitFile.open(visit_path, readonly=True)  # refuses what is no visit
    )
    with opened as visit:
        keys = sealed_for(stored.held(visit), to, only=only, what=visit_path.name)
        size = sum(p.stat().st_size for p in (visit_path, Path(f"{visit_path}-wal")) if p.exists())
        if size > sealing.PLAINTEXT_CAP:
            raise IrpError(
                f"{visit_path}: is larger than {sealing.shown_size(sealing.PLAINTEXT_CAP)}, "
                "the most a sealed visit file may hold"
            )
        parsed = sealing.parse_recipients(keys)
        with (
            writing(out, overwrite=overwrite, reading=[visit_path]),
            paths.Scratch("handback") as work,
        ):
            copy = work.path / visit_path.name
            sealing.snapshot(visit.conn, copy)
            written = sealing.seal_file(copy, out, parsed)
    return Sealed(out, keys, written)


@contextmanager
def opened(given: Sequence[Path], passphrase: str | None = None) -> Iterator[dict[Path, Path]]:
    """Each file given -> the plain file to read: itself, or (sealed) its contents opened
    into a private folder of the data folder under its own name, removed when the block
    ends, however it ends. A sealed file for another key, changed, or over the cap is
    refused in one line naming it."""
    sealed = [path for path in given if is_sealed(path)]
    if not sealed:
        yield {path: path for path in given}
        return
    identities = sealing_keys.identities(passphrase)
    with paths.Scratch("unsealed") as work:
        scratch = work.path
        found: dict[Path, Path] = {}
        for number, path in enumerate(given):
            if path not in sealed:
                found[path] = path
                continue
            place = scratch / str(number)  # two files of one name from two USB sticks
            place.mkdir(mode=0o700)
            found[path] = place / path.name
            sealing.open_sealed(path, found[path], identities)
        yield found


def export_sealed(
    visits: list[Path],
    export_format: str,
    out: Path,
    *,
    to: Sequence[str] = (),
    only: bool = False,
    overwrite: bool = False,
    key_file: Path | None = None,
    fresh_key: bool = False,
    **options: bool,
) -> Sealed:
    """An export (or a bundle) written into a private folder of the data folder, then
    sealed as one tar stream into ``out`` for the visits' recipients (and ``to``)."""
    from irp_field.api.exports import export

    held: list[str] = []
    for path in visits:
        with VisitFile.open(path, readonly=True) as visit:
            held += [k for k in stored.held(visit) if k not in held]
    keys = sealed_for(held, to, only=only, what=", ".join(p.name for p in visits))
    parsed = sealing.parse_recipients(keys)
    inner = out.name.removesuffix(".age").removesuffix(".tar") or "export"
    with writing(out, overwrite=overwrite, reading=visits), paths.Scratch("export") as work:
        scratch = work.path
        folder = scratch / "export"
        folder.mkdir(mode=0o700)
        export(
            visits,
            export_format,
            folder / inner,
            key_file=key_file,
            fresh_key=fresh_key,
            on_visit_read=None,
            **options,
        )
        sealing.tar_folder(folder, scratch / "export.tar")
        written = sealing.seal_file(scratch / "export.tar", out, parsed)
    return Sealed(out, keys, written)
