"""The photographs attached to the report's paragraphs, read once for the whole report.

A photograph (JPEG or PNG) attached to a findings, summary or practice paragraph prints
after it with its caption, as the published reports place theirs; documents (PDF) and
attachments of notes and sampled records stay in the visit's evidence.

The report prints a picture as ``evidence.pictures.for_showing`` gives it: every path that
stores one already stores it clean, so this is the stored bytes themselves, but a
picture stored by irp-field 0.3.0 with its metadata is printed without it, and one
that does not decode (which no path lets in now) is not printed: a line in the report
says which, so no writer meets it and the report is still written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from irp_field.domain.verdicts import RecordRefused
from irp_field.evidence import attachments, pictures
from irp_field.report.blocks import Block, Photograph, Text


@dataclass
class Photographs:
    """The blocks to print after each paragraph (by its finding id); read by
    ``report.inputs``."""

    by_paragraph: dict[str, list[Block]] = field(default_factory=dict)

    def of(self, paragraph_id: str) -> Iterator[Block]:
        yield from self.by_paragraph.get(paragraph_id, [])


def shown(attached: attachments.Attachment, content: bytes) -> Block:
    try:
        clean = pictures.for_showing(
            attached.file_name, attached.kind, content, attached.file_sha256
        )
    except RecordRefused as refused:
        return unshown(attached.file_name, attached.caption, refused.verdicts[0].message)
    return Photograph(attached.caption, attached.kind, clean, attached.file_name)


def unshown(file_name: str, caption: str, why: str) -> Text:
    """The line a report prints where a picture it cannot show was attached."""
    named = f"{file_name} ({caption})" if caption else file_name
    return Text(f"[Photograph not shown: {named}. {why}.]", kind="warning")
