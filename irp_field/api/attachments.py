"""Photographs and documents attached to a note, a sampled record or a report paragraph:
what the command line (``irp-field attach``, ``irp-field attachments``), the screens and
a program call.

Every file is checked by ``domain.attachments`` (its type by its bytes, at most
:data:`MAX_BYTES`; a picture decodes and is stored clean, a document runs nothing); a
refused file raises ``RecordRefused`` naming it, and nothing is written.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from irp_field.core import staging
from irp_field.core.destinations import writing
from irp_field.core.visit_file import VisitFile
from irp_field.domain.attachments import KINDS as KINDS
from irp_field.domain.attachments import MAX_BYTES as MAX_BYTES
from irp_field.domain.attachments import describe_size as describe_size
from irp_field.domain.attachments import written_name
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import Verdict
from irp_field.evidence import attachment_cleaning, purges, sampling
from irp_field.evidence import attachments as store
from irp_field.evidence.attachment_cleaning import Cleaned as Cleaned
from irp_field.evidence.attachments import Attachment as Attachment
from irp_field.findings.summary import paragraph_numbers


@dataclass(frozen=True)
class AttachmentShown:
    attachment: Attachment
    attached_to: str  # "paragraph 3.12", "note by Jade Richards, 2022-03-14T10:00", ...

    @property
    def size(self) -> str:
        return describe_size(self.attachment.size)


def target(
    visit: VisitFile,
    *,
    paragraph: str | None = None,
    note: str | None = None,
    frame: str | None = None,
    record: str | None = None,
) -> tuple[str, str]:
    """(kind, id) of what to attach to: a paragraph by number ("3.12", "1.3") or id, a
    note by id (or its first eight characters or more), a sampled record by frame and ref."""
    given = [name for name, value in (("paragraph", paragraph), ("note", note)) if value]
    if frame or record:
        given.append("record")
    if len(given) != 1:
        raise IrpError("attach to one thing: a paragraph, a note, or a frame and its record")
    if paragraph:
        numbers = paragraph_numbers(visit)
        by_number = {number: found for found, number in numbers.items()}
        wanted = paragraph.strip()
        if wanted in numbers:
            return "paragraph", wanted
        if wanted not in by_number:
            raise IrpError(f"no written paragraph {wanted!r} in this visit")
        return "paragraph", by_number[wanted]
    if note:
        return "note", store.find_note(visit, note)
    found = sampling.find_frame(visit, frame or "")
    if found is None or not (record or "").strip():
        raise IrpError(f"give a sample frame of this visit and one of its records ({frame!r})")
    record_id = sampling.record_id(visit, found.id, (record or "").strip())
    if not store.target_exists(visit, "record", record_id):
        raise IrpError(f"{found.name} has no sampled record {record!r}")
    return "record", record_id


def check_file(path: Path | str, caption: str = "") -> list[Verdict]:
    """What the rules say of a file before it is attached (the screen shows them)."""
    offered = store.read_offered_file(Path(path))
    return store.offered_verdicts(offered, caption)


def attach(
    visit: VisitFile,
    path: Path | str,
    *,
    caption: str = "",
    paragraph: str | None = None,
    note: str | None = None,
    frame: str | None = None,
    record: str | None = None,
) -> tuple[str, list[Verdict]]:
    """Attach the file at ``path``; returns the attachment's id and the rules' warnings."""
    kind, target_id = target(visit, paragraph=paragraph, note=note, frame=frame, record=record)
    offered = store.read_offered_file(Path(path).expanduser())
    return store.attach(visit, offered, kind, target_id, caption)


def _described(visit: VisitFile, found: list[Attachment]) -> list[AttachmentShown]:
    numbers = paragraph_numbers(visit)
    labels = store.target_labels(visit)
    shown = []
    for attached in found:
        if attached.target_kind == "paragraph":
            number = numbers.get(attached.target_id)
            place = f"paragraph {number}" if number else "a deleted paragraph"
        else:
            place = labels.get(attached.target_id, f"a deleted {attached.target_kind}")
        shown.append(AttachmentShown(attached, place))
    return shown


def list_attachments(visit: VisitFile) -> list[AttachmentShown]:
    """Every live attachment, with what it is attached to in the inspectors' words."""
    return _described(visit, store.attachments(visit))


def attachments_of(
    visit: VisitFile,
    *,
    paragraph: str | None = None,
    note: str | None = None,
    frame: str | None = None,
    record: str | None = None,
) -> list[Attachment]:
    """The live attachments of one paragraph, note or sampled record (the screens' list)."""
    _, target_id = target(visit, paragraph=paragraph, note=note, frame=frame, record=record)
    return store.attachments(visit, target_id)


def find(visit: VisitFile, attachment: str) -> AttachmentShown:
    """An attachment by its id or the start of it."""
    return _described(visit, [store.find_attachment(visit, attachment)])[0]


def remove(visit: VisitFile, attachment: str) -> AttachmentShown:
    found = find(visit, attachment)
    store.remove(visit, found.attachment.id)
    return found


@dataclass
class Cleaning:
    """What ``attachments clean`` did: each file, and the snapshots its purges reached."""

    files: list[Cleaned] = field(default_factory=list)
    snapshots: list[str] = field(default_factory=list)  # "backups/NAME: purged"
    emptied_wal: bool = True  # False: another program's reading kept old pages in the WAL


def clean(visit: VisitFile) -> Cleaning:
    """``irp-field attachments clean``: every stored picture that still carries metadata
    (stored by irp-field 0.3.0) cleaned and its attachments moved to the clean file, in
    one transaction; its old bytes purged as ``irp-field purge`` purges them (a purge
    record, the file rewritten without free pages, its WAL emptied, the snapshots of the
    visit purged; every laptop that merges it purges its own). A file the rules refuse
    is purged so when nothing is attached to it, and said (left) when something is."""
    done = Cleaning(attachment_cleaning.clean_files(visit))
    if any(not found.left for found in done.files):
        done.emptied_wal, purged = purges.settle(visit)
        done.snapshots = [f"backups/{found.describe()}" for found in purged]
    return done


def content(visit: VisitFile, attachment: str) -> bytes:
    return store.content(visit, find(visit, attachment).attachment.file_sha256)


def save(visit: VisitFile, attachment: str, out: Path, *, overwrite: bool = False) -> Path:
    """Write the attached file to ``out`` (a file, or a folder to put it in under its
    name as :func:`domain.attachments.written_name` makes it safe), whole or not at all,
    where :func:`core.destinations.writing`'s rule lets it go."""
    found = find(visit, attachment).attachment
    if out.is_dir():
        out = out / written_name(found.file_name, found.kind, found.file_sha256)
    with writing(out, overwrite=overwrite, reading=[visit.path]), staging.staged() as staged:
        staged.file(out).write_bytes(store.content(visit, found.file_sha256))  # private
    return out


def viewer_command(path: Path, platform: str | None = None) -> list[str] | None:
    """The command that opens ``path`` in the system's viewer; None on Windows, where
    ``os.startfile`` does it."""
    chosen = platform or sys.platform
    if chosen.startswith("win"):
        return None
    if chosen == "darwin":
        return ["open", str(path)]
    return ["xdg-open", str(path)]


def open_in_viewer(path: Path) -> None:
    """Open a file with the system's viewer (never waits for it)."""
    command = viewer_command(path)
    try:
        if command is None:
            if sys.platform == "win32":  # the only platform with no command: Windows's own
                os.startfile(path)
        else:
            subprocess.Popen(  # a fixed program and our own file's path
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
    except FileNotFoundError:
        program = command[0] if command else "program for this kind of file"
        raise IrpError(
            f"cannot open {path.name}: this computer has no {program}; the file is at {path}"
        ) from None
    except OSError as error:
        raise IrpError(f"cannot open {path.name}: {error.strerror or error}") from None
