"""The report as a Word document (python-docx) in the house layout: a cover, a contents
field, real headings, Word-numbered paragraphs, tables with header rows, labelled charts,
photographs with their captions, the back page; A4, British English, page numbers.

The page set-up, fields and properties are ``word_layout``'s.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any, BinaryIO

from irp_field.report import charts, inline, word_layout
from irp_field.report.blocks import (
    Block,
    Chart,
    Heading,
    OutcomesTable,
    PageBreak,
    Photograph,
    Report,
    Team,
    Text,
    chart_note,
    writable,
)
from irp_field.report.content import stale_warning
from irp_field.report.photographs import unshown


def _runs(paragraph: Any, text: str) -> None:
    """The text as runs: italics kept, web addresses without their brackets, line breaks."""
    for span in inline.spans(text):
        for index, line in enumerate(span.text.split("\n")):
            run = paragraph.add_run()
            if index:
                run.add_break()  # a line break kept (an address)
            run.add_text(line)
            if span.italic:
                run.italic = True


def _cover(document: Any, report: Report) -> None:
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt, RGBColor

    if report.stale:
        run = document.add_paragraph().add_run(stale_warning(report.stale))
        run.bold = True
        run.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)
    title = report.title.removesuffix(report.establishment).strip()
    document.add_paragraph(title, style="Title")
    establishment = document.add_paragraph().add_run(report.establishment)
    establishment.bold, establishment.font.size = True, Pt(28)
    document.add_paragraph("by HM Chief Inspector of Prisons")
    document.add_paragraph(report.dates)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


class _Writer:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.lists: dict[str, str] = {}

    def text(self, block: Text) -> None:
        style = {"item": "List Bullet", "caption": "Caption"}.get(block.kind)
        paragraph = self.document.add_paragraph(style=style)
        if block.lead:
            paragraph.add_run(f"{block.lead} ").bold = True
        _runs(paragraph, block.text)
        if block.kind in ("judgement", "term"):
            for run in paragraph.runs:
                run.bold = True
        if block.number:
            section = block.number.split(".")[0]
            if section not in self.lists:
                self.lists[section] = word_layout.numbering(self.document, section)
            word_layout.number(paragraph, self.lists[section])

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = self.document.styles["Table Grid"]
        for cell, value in zip(table.rows[0].cells, header, strict=True):
            cell.text = value
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
        word_layout.header_row(table)
        self.document.add_paragraph()

    def chart(self, block: Chart) -> None:
        from docx.shared import Cm

        self.document.add_paragraph(block.title, style="Caption")
        if block.note:
            self.document.add_paragraph(chart_note(block, "pie chart"))
        self.document.add_picture(io.BytesIO(charts.png(block)), width=Cm(12))

    def photograph(self, block: Photograph) -> None:
        from docx.image.image import Image
        from docx.shared import Cm

        try:  # python-docx reads the picture's header itself, and raises what it meets
            Image.from_blob(block.content)
        except Exception:
            self.text(unshown(block.file_name, block.caption, "Word cannot read it"))
            return
        self.document.add_picture(io.BytesIO(block.content), width=Cm(12))
        if block.caption:
            self.document.add_paragraph().add_run(block.caption).italic = True

    def block(self, block: Block) -> None:
        from docx.enum.text import WD_BREAK

        if isinstance(block, Heading):
            self.document.add_heading(block.text, level=block.level - 1)
        elif isinstance(block, Text):
            self.text(block)
        elif isinstance(block, Chart):
            self.chart(block)
        elif isinstance(block, Team):
            self.table(["Name", "Role"], [[name, role] for name, role in block.members])
        elif isinstance(block, OutcomesTable):
            rows = [[test, *judged] for test, judged in block.rows]
            self.table(["Healthy prison test", *block.years], rows)
        elif isinstance(block, Photograph):
            self.photograph(block)
        elif isinstance(block, PageBreak):
            self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def write(report: Report, out: Path | BinaryIO, *, written: dt.datetime | None = None) -> None:
    import docx

    report = writable(report)  # XML holds no U+FFFF: one in a file of 0.3.0 is not the end
    document = docx.Document()
    word_layout.set_up_pages(document)
    word_layout.set_language_and_font(document)
    word_layout.properties(
        document,
        report.title,
        report.author,
        written or dt.datetime.now(dt.UTC).replace(microsecond=0),
    )
    word_layout.page_numbers(document)
    _cover(document, report)
    if report.contents():
        word_layout.contents(document)
        from docx.enum.text import WD_BREAK

        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    writer = _Writer(document)
    for block in report.blocks:
        writer.block(block)
    document.save(str(out) if isinstance(out, Path) else out)
