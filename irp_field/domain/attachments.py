"""Photographs and documents attached to a note, a sampled record or a report paragraph.

A file from a laptop, a bundle or another visit file is untrusted, so every path that
takes one (the API and the command line, the screen, a bundle, the merge, ``check``)
applies these rules (REFUSE each unless said):

- its type is read from its first bytes, never from its name: a JPEG or PNG photograph,
  or a PDF document; anything else is refused (a ``.jpg`` that is really text);
- it is not empty and at most :data:`MAX_BYTES` (20 MiB: a phone photograph is 2-8 MB,
  a scanned document rarely more; a visit file is copied and merged every evening);
- a name whose extension says another type is stored by its content and said (WARN);
- the caption is one line of at most 200 characters (the name rules), and may be empty;
- a stored file is the file its hash names: a merged row whose bytes do not hash to its
  id, or whose kind or size disagree with its bytes, is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from irp_field.domain.names import name_verdicts
from irp_field.domain.verdicts import WARN, Verdict

MAX_BYTES = 20 * 1024 * 1024

# kind -> (what the inspectors call it, the extensions that name it, MIME type)
KINDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "jpeg": ("photograph", (".jpg", ".jpeg"), "image/jpeg"),
    "png": ("photograph", (".png",), "image/png"),
    "pdf": ("document", (".pdf",), "application/pdf"),
}
PHOTOGRAPHS = ("jpeg", "png")

# What an attachment can be attached to.
TARGET_KINDS = ("note", "record", "paragraph")

HEAD_BYTES = 16  # enough of the start of a file to tell its type


def kind_of(head: bytes) -> str:
    """The type the bytes start with ("jpeg", "png", "pdf"), or '' for any other."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return ""


def describe_size(size: int) -> str:
    """ "640 bytes", "12 KB", "3.4 MB", as the list shows them."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def is_photograph(kind: str) -> bool:
    return kind in PHOTOGRAPHS


def mime_type(kind: str) -> str:
    return KINDS[kind][2] if kind in KINDS else "application/octet-stream"


def extension(kind: str) -> str:
    return KINDS[kind][1][0] if kind in KINDS else ""


@dataclass(frozen=True)
class AttachmentEntry:
    file_name: str
    kind: str  # jpeg, png, pdf ('' when refused)
    size: int
    caption: str


def file_verdicts(
    file_name: str, size: int, head: bytes, caption: str = ""
) -> tuple[AttachmentEntry, list[Verdict]]:
    """The rules for a file offered as an attachment: its type by content, its size, its
    name and caption. ``head`` is the file's first bytes (at least :data:`HEAD_BYTES`)."""
    name = file_name.strip()
    found = name_verdicts(name, "file", "the file name")
    kind = kind_of(head)
    if size <= 0:
        found.append(Verdict("file", f"{name or 'the file'} is empty"))
    elif size > MAX_BYTES:
        found.append(
            Verdict(
                "file",
                f"{name} is {describe_size(size)}; an attachment is at most "
                f"{describe_size(MAX_BYTES)}",
            )
        )
    elif not kind:
        found.append(
            Verdict(
                "file",
                f"{name} is not a JPEG or PNG photograph or a PDF document by its content "
                "(its name does not decide its type)",
            )
        )
    elif not name.casefold().endswith(KINDS[kind][1]):
        found.append(
            Verdict("file", f"{name} is a {kind.upper()} by its content; stored as one", WARN)
        )
    found += name_verdicts(caption, "caption", "the caption", required=False)
    return AttachmentEntry(name, kind, size, caption.strip()), found


def stored_verdicts(sha256: str, kind: str, size: object, content: object) -> list[Verdict]:
    """A stored (or merged) file: its bytes hash to its id, and its kind and size are its
    bytes'. ``content`` and ``size`` come from a file that may be hostile: any type."""
    if not isinstance(content, bytes):
        return [Verdict("content", "holds no file")]
    if len(content) > MAX_BYTES:
        return [Verdict("content", f"is {describe_size(len(content))}, over the limit")]
    if hashlib.sha256(content).hexdigest() != sha256:
        return [Verdict("content", "its bytes are not the file its hash names")]
    found = []
    if kind_of(content[:HEAD_BYTES]) != kind or kind not in KINDS:
        found.append(Verdict("kind", f"says {kind!r}, but the bytes are not one"))
    if size != len(content):
        found.append(Verdict("size", f"says {size!r} bytes, but holds {len(content)}"))
    return found


def link_verdicts(target_kind: str, caption: str) -> list[Verdict]:
    """An attachment's link: what it is attached to, and its caption."""
    found = []
    if target_kind not in TARGET_KINDS:
        found.append(
            Verdict(
                "attached_to",
                f"cannot attach to {target_kind!r}; attach to one of: {', '.join(TARGET_KINDS)}",
            )
        )
    return found + name_verdicts(caption, "caption", "the caption", required=False)
