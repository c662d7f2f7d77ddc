"""The photographs attached to the report's paragraphs, read once for the whole report.

A photograph (JPEG or PNG) attached to a findings, summary or practice paragraph prints
after it with its caption, as the published reports place theirs; documents (PDF) and
attachments of notes and sampled records stay in the visit's evidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from irp_field.core.visit_file import VisitFile
from irp_field.evidence import attachments
from irp_field.report.blocks import Photograph


@dataclass
class Photographs:
    by_paragraph: dict[str, list[Photograph]] = field(default_factory=dict)

    @classmethod
    def read(cls, visit: VisitFile) -> Photographs:
        wanted = [
            a
            for a in attachments.attachments(visit)
            if a.target_kind == "paragraph" and a.is_photograph
        ]
        found = attachments.contents(visit, [a.file_sha256 for a in wanted])
        shown = cls()
        for attached in wanted:
            content = found.get(attached.file_sha256)
            if content is None:
                continue  # its file has not arrived by merge yet
            shown.by_paragraph.setdefault(attached.target_id, []).append(
                Photograph(attached.caption, attached.kind, content, attached.file_name)
            )
        return shown

    def of(self, paragraph_id: str) -> Iterator[Photograph]:
        yield from self.by_paragraph.get(paragraph_id, [])
