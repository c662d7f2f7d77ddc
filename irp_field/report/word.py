"""The report as a Word document (python-docx) in the house layout: a cover, the contents,
real headings, Word-numbered paragraphs, tables with header rows, labelled charts,
photographs with their captions, the back page; A4, British English, page numbers.

It starts from the house template (``word_layout.template``: styles, fonts, page set-up);
the contents, bookmarks, numbering, tables' and pictures' alternative text and the
properties are ``word_layout``'s.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from irp_field.report import charts, inline, word_layout
from irp_field.report.blocks import (
    Block,
    Chart,
    Heading,
    JudgementsTable,
    OutcomesTable,
    PageBreak,
    Photograph,
    Report,
    Team,
    Text,
    chart_note,
    writable,
)
from irp_field.report.content import stale_advice, stale_summary
from irp_field.report.photographs import unshown

PICTURE_CM = 12.0  # a photograph's longer side on the page
TEXT_CM = 16.0  # the text's width: A4 less the house template's 2.5 cm margins
TESTS_CM = 7.0  # Figure 1's first column: the longest healthy prison test on one line


def _runs(
    paragraph: Any,
    text: str,
    anchors: frozenset[str] = frozenset(),
    glossary: bool = False,
) -> None:
    """The text as runs: italics kept, line breaks, and links (``inline``: web addresses
    without their brackets, "(see Glossary)", paragraph references in ``anchors``)."""
    for span in inline.spans(text, anchors, glossary):
        link = word_layout.hyperlink(paragraph, span.href) if span.href else None
        for index, line in enumerate(span.text.split("\n")):
            run = paragraph.add_run()
            if index:
                run.add_break()  # a line break kept (an address)
            run.add_text(line)
            if span.italic:
                run.italic = True
            if link is not None:
                link.append(run._r)  # the run moves into the link
                run.style = "Hyperlink"


def _cover(document: Any, report: Report) -> None:
    from docx.shared import RGBColor

    if report.stale:
        said = f"{stale_summary(report.stale)} {stale_advice(lambda command: command)}"
        run = document.add_paragraph().add_run(said)  # no Markdown's backquotes in Word
        run.bold = True
        run.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)
    title = report.title.removesuffix(report.establishment).strip()
    document.add_paragraph(title, style="Title")
    document.add_paragraph(report.establishment, style="Subtitle")
    document.add_paragraph("by HM Chief Inspector of Prisons")
    document.add_paragraph(report.dates)


class _Writer:
    def __init__(self, document: Any, report: Report | None = None) -> None:
        self.document = document
        # What "see paragraphs 3.7 and 3.14" and "(see Glossary)" may link to, as in HTML
        # (no report: a writer of one block links nothing).
        blocks = report.blocks if report is not None else []
        self.anchors = frozenset(
            block.number for block in blocks if isinstance(block, Text) and block.number
        )
        self.glossary = any(isinstance(b, Heading) and b.anchor == "appendix-ii" for b in blocks)
        self.lists: dict[str, str] = {}
        self.bookmarks = 0
        self.new_page = False  # the next paragraph starts a page (the back page)
        self.after_table = False  # the next paragraph is the first after a table

    def paragraph(self, style: str | None = None) -> Any:
        paragraph = self.document.add_paragraph(style=style)
        if self.new_page:
            paragraph.paragraph_format.page_break_before = True
            self.new_page = False
        if self.after_table and not (style or "").startswith(("Heading", "Title")):
            # The space below a table is the next paragraph's own, never an empty
            # paragraph (a screen reader announces one as "blank"); a heading has its own.
            paragraph.paragraph_format.space_before = word_layout.AFTER_TABLE
        self.after_table = False
        return paragraph

    def heading(self, block: Heading) -> None:
        level = block.level - 1
        if level == 1:  # a Section starts a page: the one before ends on its last page
            word_layout.section_ends_together(self.document)
        paragraph = self.paragraph("Title" if level == 0 else f"Heading {level}")
        paragraph.add_run(block.text)
        if block.anchor:
            self.bookmarks += 1
            word_layout.bookmark(paragraph, block.anchor, self.bookmarks)

    def text(self, block: Text) -> None:
        style = {"item": "List Bullet", "caption": "Caption"}.get(block.kind)
        paragraph = self.paragraph(style)
        if block.lead:
            paragraph.add_run(f"{block.lead} ").bold = True
        _runs(paragraph, block.text, self.anchors, self.glossary)
        if block.kind in ("judgement", "term"):
            for run in paragraph.runs:
                run.bold = True
        if block.lead or block.kind == "term" or block.text.rstrip().endswith(":"):
            # A concern, a recommendation or a theme heads what follows it, as a glossary
            # term heads its definition and "... was carried out by:" its table: never
            # the last lines of a page.
            word_layout.keep_with_next(paragraph)
        if block.number:
            section = block.number.split(".")[0]
            if section not in self.lists:
                self.lists[section] = word_layout.numbering(self.document, section)
            word_layout.number(paragraph, self.lists[section])
            self.bookmarks += 1  # what a reference to it links to
            word_layout.bookmark(paragraph, f"p{block.number}", self.bookmarks)

    def table(
        self,
        header: list[str],
        rows: list[list[str]],
        alternative: tuple[str, str],
        *,
        widths: Sequence[float] = (),
        together: bool = True,
    ) -> Any:
        """A table with its header row (repeated on each page), rows that never split
        and, with ``together``, on one page; ``alternative`` is its title and description."""
        from docx.shared import Cm

        if self.after_table:  # two tables with nothing between would be one in Word
            self.paragraph()
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = self.document.styles["Table Grid"]
        for cell, value in zip(table.rows[0].cells, header, strict=True):
            cell.text = value
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
        word_layout.header_row(table)
        word_layout.rows_unbroken(table, together=together)
        word_layout.table_text(table, *alternative)
        if widths:  # the grid (LibreOffice reads it) and each cell (Word reads them)
            table.autofit = False
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Cm(width)
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = Cm(width)
        self.after_table = True
        return table

    def outcomes(self, block: OutcomesTable) -> None:
        if block.caption:
            self.paragraph("Caption").add_run(block.caption)
        rows = [[test, *judged] for test, judged in block.rows]
        description = "The judgement of each healthy prison test at each inspection."
        # The tests' names on one line each ("Rehabilitation and release planning" wrapped
        # in a third of the page while the years' columns stood half empty).
        years = [(TEXT_CM - TESTS_CM) / len(block.years)] * len(block.years)
        self.table(
            ["Healthy prison test", *block.years],
            rows,
            (block.caption or "Healthy prison outcomes", description),
            widths=(TESTS_CM, *years) if block.years else (),
        )

    def judgements(self, block: JudgementsTable) -> None:
        rows = [[text, judgement] for text, judgement in block.rows]
        what = f"each {block.item.lower()} followed up at this visit and the judgement made"
        table = self.table(
            [block.item, "Judgement"],
            rows,
            (block.caption, f"{what[0].upper()}{what[1:]}."),
            widths=(11.0, 5.0),
            together=False,  # a page or two: its header row repeats on each
        )
        for row in table.rows[1:]:
            for run in row.cells[1].paragraphs[0].runs:
                run.bold = True

    def chart(self, block: Chart) -> None:
        from docx.shared import Cm

        self.paragraph("Caption").add_run(block.title)  # the style keeps it with the pie
        if block.note:
            note = self.paragraph()
            note.add_run(chart_note(block, "pie chart"))
            word_layout.keep_with_next(note)
        picture = charts.png(block)
        width, _ = charts.size_cm(picture)  # its own size: the type in it is the text's
        shape = self.paragraph().add_run().add_picture(io.BytesIO(picture), width=Cm(width))
        word_layout.picture_text(shape, block.title, charts.description(block))

    def photograph(self, block: Photograph) -> None:
        from docx.image.image import Image
        from docx.shared import Cm

        try:  # python-docx reads the picture's header itself, and raises what it meets
            image = Image.from_blob(block.content)
            tall = image.px_height / image.px_width
        except Exception:
            self.text(unshown(block.file_name, block.caption, "Word cannot read it"))
            return
        paragraph = self.paragraph()
        width = PICTURE_CM if tall <= 1 else PICTURE_CM / tall
        shape = paragraph.add_run().add_picture(io.BytesIO(block.content), width=Cm(width))
        alternative = block.caption or f"Photograph attached to the report ({block.file_name})"
        word_layout.picture_text(shape, "Photograph", alternative)  # a tagged PDF says both
        if block.caption:
            word_layout.keep_with_next(paragraph)
            self.paragraph().add_run(block.caption).italic = True

    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Text):
            self.text(block)
        elif isinstance(block, Chart):
            self.chart(block)
        elif isinstance(block, Team):
            self.table(
                ["Name", "Role"],
                [[name, role] for name, role in block.members],
                ("Inspection team", "Each member of the team, with their role."),
            )
        elif isinstance(block, OutcomesTable):
            self.outcomes(block)
        elif isinstance(block, JudgementsTable):
            self.judgements(block)
        elif isinstance(block, Photograph):
            self.photograph(block)
        elif isinstance(block, PageBreak):
            word_layout.section_ends_together(self.document)
            self.new_page = True


def write(report: Report, out: Path | BinaryIO, *, written: dt.datetime | None = None) -> None:
    import docx

    report = writable(report)  # XML holds no U+FFFF: one in a file of 0.3.0 is not the end
    document = docx.Document(io.BytesIO(word_layout.template()))
    word_layout.properties(
        document,
        report.title,
        report.author,
        written or dt.datetime.now(dt.UTC).replace(microsecond=0),
    )
    _cover(document, report)
    entries = [(heading.text, heading.anchor) for heading in report.contents()]
    if entries:
        word_layout.contents(document, entries)  # a page of its own: the style says so
    writer = _Writer(document, report)
    for block in report.blocks:
        writer.block(block)
    document.save(str(out) if isinstance(out, Path) else out)
