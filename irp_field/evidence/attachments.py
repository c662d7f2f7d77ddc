"""Photographs and documents attached to notes, sampled records and report paragraphs.

The file is stored once in ``attachment_file``, its id the SHA-256 of its bytes (the
same file attached twice, or by two laptops, is one row, and the merge joins them);
each attachment is a row of ``attachment`` naming the file, what it is attached to and
its caption, with a keyed id (the same file on the same record is one attachment).
Every file is held to ``domain.attachments`` before it is stored, and what is stored of
it is :func:`taken_content`: a picture decoded and re-encoded without its metadata
(``pictures``), whose id is the hash of those clean bytes; a document looked through
for active content (``documents``).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.domain import attachments as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import RecordRefused, Verdict, refuse_unless_fine
from irp_field.evidence import documents


@dataclass(frozen=True)
class OfferedFile:
    """A file's name and bytes, read within the size limit and not yet checked."""

    name: str
    content: bytes


@dataclass(frozen=True)
class Attachment:
    id: str
    file_sha256: str
    kind: str  # jpeg, png, pdf
    size: int
    target_kind: str  # note, record, paragraph
    target_id: str
    caption: str
    file_name: str
    created_by: str
    created_at: str

    @property
    def is_photograph(self) -> bool:
        return rules.is_photograph(self.kind)

    @property
    def what(self) -> str:
        """ "photograph (PNG)", "document (PDF)"."""
        return f"{rules.KINDS.get(self.kind, ('file',))[0]} ({self.kind.upper()})"


def read_offered_file(path: Path, *, follow_symlinks: bool = True) -> OfferedFile:
    """Read a file to attach, refusing in one line naming it: no such file, a folder, a
    link when links are not followed (a bundle's), or over the size limit (told from its
    size before a byte is read, and never more than the limit read)."""
    try:
        found = os.stat(path, follow_symlinks=follow_symlinks)
    except FileNotFoundError:
        raise IrpError(f"{path}: no such file") from None
    except OSError as error:
        raise IrpError(f"{path}: cannot be read ({error.strerror or error})") from None
    if stat.S_ISLNK(found.st_mode):
        raise IrpError(f"{path}: is a link; an attachment in a bundle must be a file of its own")
    if not stat.S_ISREG(found.st_mode):
        raise IrpError(f"{path}: is not a file")
    refuse_size(path.name, found.st_size)
    try:
        with open(path, "rb") as handle:
            content = handle.read(rules.MAX_BYTES + 1)
    except OSError as error:
        raise IrpError(f"{path}: cannot be read ({error.strerror or error})") from None
    refuse_size(path.name, len(content))  # it grew while we looked
    return OfferedFile(path.name, content)


def refuse_size(name: str, size: int) -> None:
    if size > rules.MAX_BYTES:
        found = rules.file_verdicts(name, size, b"")[1]
        raise RecordRefused([v for v in found if v.refuses])


def offered_verdicts(offered: OfferedFile, caption: str = "") -> list[Verdict]:
    """What the rules say of a file before it is attached (the screen shows them)."""
    entry, found = rules.file_verdicts(
        offered.name, len(offered.content), offered.content[: rules.HEAD_BYTES], caption
    )
    if any(v.refuses for v in found):
        return found
    try:
        return found + taken_content(entry.file_name, entry.kind, offered.content)[1]
    except RecordRefused as refused:
        return found + refused.verdicts


def taken_content(name: str, kind: str, content: bytes) -> tuple[bytes, list[Verdict]]:
    """What a visit stores of a file the rules let in, and what was said of it (a
    picture's removed metadata: WARN); RecordRefused naming ``name`` for a picture that
    does not decode or breaks a rule of size, or a document that acts."""
    if rules.is_photograph(kind):
        from irp_field.evidence import pictures  # Pillow, loaded when a picture is met

        cleaned = pictures.clean(name, kind, content)
        said = [rules.removed_verdict(name, cleaned.removed, cleaned.turned)]
        if len(cleaned.content) > rules.MAX_BYTES:
            raise RecordRefused(
                [
                    Verdict(
                        "file",
                        f"{name} is {rules.describe_size(len(cleaned.content))} once cleaned; "
                        f"an attachment is at most {rules.describe_size(rules.MAX_BYTES)}",
                    )
                ]
            )
        return cleaned.content, said if cleaned.changed else []
    refuse_unless_fine(documents.verdicts(name, content))
    return content, []


def stored_content_verdicts(name: str, kind: str, content: bytes, sha256: str) -> list[Verdict]:
    """A stored file's content read back by the rules that take one (``check``, the
    merge): ``content`` hashes to ``sha256`` and is of ``kind`` (checked first)."""
    if rules.is_photograph(kind):
        from irp_field.evidence import pictures  # Pillow, loaded when a picture is met

        return pictures.stored_verdicts(name, kind, content, sha256)
    return documents.verdicts(name, content)


# A kind of record an attachment may name -> the tables such a record is in.
TARGET_TABLES = {
    "note": ("note",),
    "record": ("sample_record",),
    "paragraph": ("finding", "report_paragraph"),
}


def target_exists(
    visit: VisitFile, target_kind: str, target_id: str, *, deleted_too: bool = False
) -> bool:
    """Is there a live note, sampled record or paragraph with this id (``deleted_too``:
    or one deleted, which an attachment's history may name)?"""
    live = "" if deleted_too else " AND deleted = 0"
    return any(
        visit.one(f"SELECT 1 FROM {table} WHERE id = ?{live}", (target_id,)) is not None
        for table in TARGET_TABLES.get(target_kind, ())
    )


def find_note(visit: VisitFile, note: str) -> str:
    """A live note's id from its id, or the start of it (eight characters or more)."""
    wanted = note.strip()
    rows = visit.query(
        "SELECT id FROM note WHERE deleted = 0 "
        "AND (id = ? OR (length(?) >= 8 AND id LIKE ? || '%'))",
        (wanted, wanted, wanted),
    )
    if len(rows) != 1:
        raise IrpError(f"{'no' if not rows else 'more than one'} note with id {wanted!r}")
    return str(rows[0]["id"])


def target_labels(visit: VisitFile) -> dict[str, str]:
    """Every note's and sampled record's id -> how a person names it."""
    labels = {
        row["id"]: f"note by {row['author'] or 'someone'}, {row['taken_at']}"
        for row in visit.query("SELECT id, author, taken_at FROM note")
    }
    labels.update(
        (row["id"], f"record {row['record']} ({row['frame']})")
        for row in visit.query(
            "SELECT r.id, r.record, f.name AS frame FROM sample_record r "
            "JOIN sample_frame f ON f.id = r.frame_id"
        )
    )
    return labels


def attachment_id(visit: VisitFile, sha256: str, target_kind: str, target_id: str) -> str:
    return keyed_id(visit.visit_id, "attachment", sha256, target_kind, target_id)


def attach(
    visit: VisitFile, offered: OfferedFile, target_kind: str, target_id: str, caption: str = ""
) -> tuple[str, list[Verdict]]:
    """Store the file (once) and attach it, in one committed transaction; returns the
    attachment's id and the rules' warnings. Refused (RecordRefused) and nothing written
    when a rule refuses it or the target is not in the visit."""
    entry, found = rules.file_verdicts(
        offered.name, len(offered.content), offered.content[: rules.HEAD_BYTES], caption
    )
    found += rules.link_verdicts(target_kind, caption)
    warned = refuse_unless_fine(found)  # each refusal names the file
    if not target_exists(visit, target_kind, target_id):
        raise IrpError(f"no {target_kind} with id {target_id!r} in this visit")
    stored, said = taken_content(entry.file_name, entry.kind, offered.content)
    sha256 = rules.file_id(stored)
    with visit.transaction():
        store_file(visit, sha256, entry.kind, stored)
        new_id = visit.upsert(
            "attachment",
            {
                "id": attachment_id(visit, sha256, target_kind, target_id),
                "file_sha256": sha256,
                "target_kind": target_kind,
                "target_id": target_id,
                "caption": entry.caption,
                "file_name": entry.file_name,
            },
        )
    return new_id, warned + said


def store_file(visit: VisitFile, sha256: str, kind: str, content: bytes) -> None:
    """The file's row, unless it is there already (inside the caller's transaction).

    Logged without its bytes: the edit history holds text, and the bytes are the hash's.
    """
    if visit.one("SELECT 1 FROM attachment_file WHERE id = ?", (sha256,)) is not None:
        return
    visit.insert(
        "attachment_file",
        {"id": sha256, "kind": kind, "size": len(content), "content": content},
        log=False,
    )
    visit.log_event("attachment_file", sha256, "insert", {"kind": kind, "size": len(content)})


_COLUMNS = (
    "a.id, a.file_sha256, COALESCE(f.kind, '') AS kind, COALESCE(f.size, 0) AS size, "
    "a.target_kind, a.target_id, a.caption, a.file_name, a.created_by, a.created_at"
)


def attachments(visit: VisitFile, target_id: str | None = None) -> list[Attachment]:
    """Live attachments (all, or those of one record), in the order they were made."""
    where = "a.deleted = 0" + (" AND a.target_id = ?" if target_id is not None else "")
    rows = visit.query(
        f"SELECT {_COLUMNS} FROM attachment a LEFT JOIN attachment_file f ON f.id = a.file_sha256 "
        f"WHERE {where} ORDER BY a.created_at, a.rowid",
        (target_id,) if target_id is not None else (),
    )
    return [Attachment(**dict(row)) for row in rows]


def find_attachment(visit: VisitFile, attachment: str) -> Attachment:
    """An attachment by its id, or the start of it (as the list prints it)."""
    wanted = attachment.strip()
    found = [
        a for a in attachments(visit) if a.id == wanted or (wanted and a.id.startswith(wanted))
    ]
    if len(found) != 1:
        reason = "no" if not found else "more than one"
        raise IrpError(f"{reason} attachment with id {wanted!r} in this visit")
    return found[0]


def content(visit: VisitFile, sha256: str) -> bytes:
    row = visit.one("SELECT content FROM attachment_file WHERE id = ?", (sha256,))
    if row is None or not isinstance(row[0], bytes):
        raise IrpError(f"the file {sha256[:12]} is not in this visit")
    return row[0]


def contents(visit: VisitFile, sha256s: list[str]) -> dict[str, bytes]:
    """The bytes of several files at once (the report's photographs)."""
    found: dict[str, bytes] = {}
    for sha256 in dict.fromkeys(sha256s):
        row = visit.one("SELECT content FROM attachment_file WHERE id = ?", (sha256,))
        if row is not None and isinstance(row[0], bytes):
            found[sha256] = row[0]
    return found


def remove(visit: VisitFile, attachment_id: str) -> bool:
    """Take an attachment off its record (a tombstone that merges; the file stays)."""
    with visit.transaction():
        return visit.delete("attachment", attachment_id)
