"""The report as a Word document (python-docx): real headings, Word-numbered paragraphs.

The inspectorate edits and publishes in Word, so paragraph numbers are Word list
numbering ("3.%1"), not typed text: inserting a paragraph in Word renumbers the rest.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, BinaryIO

from irp_field.report import charts
from irp_field.report.content import Chart, Heading, Report, Team, Text, stale_warning


def _numbering(document: Any, section: str) -> str:
    """A single-level list numbered "<section>.1", "<section>.2", ...; returns its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = document.part.numbering_part.element
    used = [int(e.get(qn("w:abstractNumId"))) for e in numbering.findall(qn("w:abstractNum"))]
    used += [int(e.get(qn("w:numId"))) for e in numbering.findall(qn("w:num"))]
    new_id = str(max(used, default=0) + 1)
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{new_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{section}.%1"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="720" w:hanging="720"/></w:pPr></w:lvl></w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # the schema puts every abstractNum before the nums
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{new_id}"><w:abstractNumId w:val="{new_id}"/></w:num>'
        )
    )
    return new_id


def _number(paragraph: Any, num_id: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def write(report: Report, out: Path | BinaryIO) -> None:
    import docx
    from docx.shared import Inches, RGBColor

    document = docx.Document()
    document.core_properties.title = report.title
    if report.stale:
        run = document.add_paragraph().add_run(stale_warning(report.stale))
        run.bold = True
        run.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)
    document.add_heading(report.title, level=0)
    document.add_paragraph("by HM Chief Inspector of Prisons")
    document.add_paragraph(report.dates)
    lists: dict[str, str] = {}
    for block in report.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level - 1)
        elif isinstance(block, Text):
            paragraph = document.add_paragraph()
            if block.lead:
                paragraph.add_run(f"{block.lead} ").bold = True
            paragraph.add_run(block.text).bold = block.kind == "judgement" or None
            if block.number:
                section = block.number.split(".")[0]
                if section not in lists:
                    lists[section] = _numbering(document, section)
                _number(paragraph, lists[section])
        elif isinstance(block, Chart):
            document.add_paragraph().add_run(block.title).bold = True
            if block.note:
                document.add_paragraph(block.note)
            document.add_picture(io.BytesIO(charts.png(block)), width=Inches(2.2))
            legend = document.add_paragraph()
            for label, n in block.slices:
                mark = legend.add_run("■ ")
                mark.font.color.rgb = RGBColor.from_string(charts.colour(label)[1:])
                legend.add_run(f"{label}: {n}    ")
        elif isinstance(block, Team):
            table = document.add_table(rows=0, cols=2)
            for name, role in block.members:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = name, role
    document.save(str(out) if isinstance(out, Path) else out)
