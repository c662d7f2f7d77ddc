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

A photograph is a picture, not a container (the decoding is ``evidence.pictures``'s,
which cannot live here: the domain reads no file format):

- it decodes whole as the type its first bytes say (magic bytes alone, a truncated file,
  a JPEG whose start hides an HTML page: refused);
- it has pixels (a PNG of zero width: refused) and at most :data:`MAX_PIXELS` of them (a
  decompression bomb: a 20,000 x 20,000 PNG of one colour is 1 MB on disk and 1.6 GB in
  memory: refused before it is decoded), in at most :data:`MAX_SCANS` JPEG scans;
- it is one still picture: an animated PNG is refused (a JPEG's further pictures, a
  phone's depth map or preview, are dropped with its metadata);
- what it carries beside its pixels (EXIF with a GPS position, a camera serial number
  and the owner's name; XMP; IPTC; an ICC profile's texts; PNG text chunks; comments;
  anything after its end) is never stored: the picture is re-encoded without it, and
  the path that took it says what was removed (WARN). A stored picture that still
  carries any (one stored by irp-field 0.3.0) is reported by ``check`` (WARN) until
  ``irp-field attachments clean`` cleans it.

A document (PDF) never runs anything: one that holds JavaScript, a launch action, an
embedded file, a form that sends or fetches data, embedded media or an XFA form, or that
is encrypted (so that it cannot be looked through), is refused. Its own metadata
(author, software) cannot be dropped without a PDF library, so documents are kept out
of the report and of every redacted export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from irp_field.domain.names import name_verdicts
from irp_field.domain.verdicts import WARN, Verdict
from irp_field.domain.wording import WINDOWS_DEVICES

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

# A 64-megapixel phone's full-size picture (9248 x 6936) fits; decoded, the largest
# picture is at most 320 MB (four bytes a pixel), which a laptop holds.
MAX_PIXELS = 80_000_000
# A progressive JPEG's scans are decoded one over the other: a camera writes one, a web
# encoder ten or so; thousands of tiny scans make a small file cost minutes to decode.
MAX_SCANS = 100

# Names in a PDF that make it act rather than show (the names themselves: /JS is the key
# of a JavaScript action, /EmbeddedFiles the catalogue's list of embedded files).
ACTIVE_CONTENT: dict[str, str] = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/Launch": "a launch action (it starts a program)",
    "/EmbeddedFile": "an embedded file",
    "/EmbeddedFiles": "an embedded file",
    "/GoToE": "an embedded file",
    "/RichMedia": "embedded media",
    "/XFA": "an XFA form (which can hold scripts)",
    "/SubmitForm": "a form that sends data",
    "/ImportData": "a form that fetches data",
}


def kind_of(head: bytes) -> str:
    """The type the bytes start with ("jpeg", "png", "pdf"), or '' for any other."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return ""


def file_id(content: bytes) -> str:
    """A stored file's id: the SHA-256 of its bytes (of the clean bytes, for a picture:
    the same picture attached on two laptops is one file)."""
    import hashlib  # OpenSSL: loaded when a file's bytes are hashed, not by every `check`

    return hashlib.sha256(content).hexdigest()


_UNSAFE_IN_NAME = re.compile(r"[^\w.\- ()]")  # separators, : * ? " < > |, controls
WRITTEN_NAME_LONGEST = 120  # characters, the extension added after


def written_name(file_name: str, kind: str, sha256: str) -> str:
    """The name a stored file is written under by irp-field itself (saved into a
    folder, copied for the system's viewer, put in a bundle): its own name made a plain
    name in one folder on every system, ending in its kind's extension. A name is what
    a file from elsewhere says, and the type is what its bytes are: a PDF named
    ``minutes.bat`` (a line of commands after its first) was opened by Windows's viewer
    as a batch file and run, and one named ``.bash_login`` was saved into a home folder
    under that name. So ``minutes.bat.pdf``, ``bash_login.pdf``; a name with nothing
    left is the file's hash."""
    base = _UNSAFE_IN_NAME.sub("_", re.split(r"[\\/]", file_name)[-1])
    base = base.strip(". ")[:WRITTEN_NAME_LONGEST].rstrip(". ") or sha256[:12]
    if base.split(".")[0].rstrip().casefold() in WINDOWS_DEVICES:
        base = f"_{base}"
    own = KINDS[kind][1] if kind in KINDS else ()
    if own and not base.casefold().endswith(own):
        base += own[0]
    return base


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
    if file_id(content) != sha256:
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


def picture_verdicts(
    name: str, width: int, height: int, *, frames: int = 1, scans: int = 0
) -> list[Verdict]:
    """A picture's size, pictures and scans (from its header, before it is decoded)."""
    if width <= 0 or height <= 0:
        return [Verdict("file", f"{name} has no pixels ({width} x {height}); not a photograph")]
    if width * height > MAX_PIXELS:
        return [too_many_pixels(name, width, height)]
    if frames > 1:
        return [Verdict("file", f"{name} is an animation of {frames} pictures; attach a still")]
    if scans > MAX_SCANS:
        return [
            Verdict(
                "file", f"{name} is drawn in {scans:,} scans; a photograph has at most {MAX_SCANS}"
            )
        ]
    return []


def too_many_pixels(name: str, width: int = 0, height: int = 0) -> Verdict:
    """A decompression bomb (its size unknown when the decoder alone saw it)."""
    size = (
        f"is {width:,} x {height:,} pixels ({width * height / 1e6:,.0f} megapixels)"
        if width and height
        else "has too many pixels"
    )
    return Verdict(
        "file", f"{name} {size}; a photograph is at most {MAX_PIXELS / 1e6:.0f} megapixels"
    )


def undecodable_verdict(name: str, kind: str, why: str) -> Verdict:
    return Verdict(
        "file", f"{name} does not decode as a {kind.upper()} picture ({why}); not a photograph"
    )


def removed_verdict(name: str, removed: list[str], turned: bool) -> Verdict:
    """Said when a picture is taken: what was removed before it was stored."""
    what = f"removed {', '.join(removed)}" if removed else "re-encoded it"
    upright = "; turned upright as its EXIF said" if turned else ""
    return Verdict("file", f"{name}: {what} before storing it{upright}", WARN)


def carried_verdict(name: str, carried: list[str]) -> Verdict:
    """Said of a stored picture that still carries what a picture taken now loses."""
    return Verdict(
        "file",
        f"{name} still carries {', '.join(carried)} (stored before irp-field cleaned "
        "photographs): irp-field attachments clean VISIT removes it",
        WARN,
    )


def document_verdicts(name: str, markers: list[str], *, encrypted: bool = False) -> list[Verdict]:
    """A PDF's active content (the names :data:`ACTIVE_CONTENT` lists, found in it)."""
    if encrypted:
        return [
            Verdict(
                "file",
                f"{name} is an encrypted PDF: irp-field cannot look inside it for scripts; "
                "print it to a new PDF and attach that",
            )
        ]
    found = list(dict.fromkeys(ACTIVE_CONTENT[m] for m in markers if m in ACTIVE_CONTENT))
    if not found:
        return []
    return [
        Verdict(
            "file",
            f"{name} is a PDF that holds {', '.join(found)}; irp-field takes no document "
            "that can run anything: print it to a new PDF and attach that",
        )
    ]
