"""The house layout of the Word report, as python-docx and WordprocessingML calls: A4 pages,
British English, Arial, page numbers in the footer, a contents field that Word fills in
when the document is opened, Word-numbered paragraphs, table header rows and the
document's properties (not python-docx's template's "python-docx", 2013)."""

from __future__ import annotations

import datetime as dt
from typing import Any

LANGUAGE = "en-GB"
FONT = "Arial"


def element(tag: str, attributes: str = "", inner: str = "") -> Any:
    """A WordprocessingML element, such as element("w:tblHeader")."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    return parse_xml(f"<{tag} {nsdecls('w')} {attributes}>{inner}</{tag}>")


def set_up_pages(document: Any) -> None:
    """A4 portrait with 2.5 cm margins, on every section."""
    from docx.shared import Cm, Mm

    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.5))


def set_language_and_font(document: Any) -> None:
    """British English and Arial as the defaults every style inherits."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = element("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = element("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = element("w:rPr")
        run_defaults.append(properties)
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    properties.append(
        element("w:lang", f'w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"')
    )
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Caption", "TOC Heading"):
        document.styles[name].font.name = FONT


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A field (PAGE, TOC ...) as Word writes one: begin, instruction, separate, result, end."""
    run = paragraph.add_run()
    run._r.append(element("w:fldChar", 'w:fldCharType="begin" w:dirty="true"'))
    run = paragraph.add_run()
    run._r.append(element("w:instrText", 'xml:space="preserve"', f" {instruction} "))
    run = paragraph.add_run()
    run._r.append(element("w:fldChar", 'w:fldCharType="separate"'))
    paragraph.add_run(shown)
    run = paragraph.add_run()
    run._r.append(element("w:fldChar", 'w:fldCharType="end"'))


def page_numbers(document: Any) -> None:
    """ "Page N" centred in every page's footer, N a PAGE field."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for section in document.sections:
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Page ")
        _field(footer, "PAGE", "1")


def contents(document: Any) -> None:
    """The contents: a TOC field of the sections and appendices (Heading 1), which Word
    brings up to date when the document opens (``w:updateFields`` in its settings)."""
    document.add_paragraph("Contents", style="TOC Heading")
    _field(
        document.add_paragraph(),
        'TOC \\o "1-1" \\h \\z \\u',
        "The contents are filled in when Word opens the report (or press F9 here).",
    )
    settings = document.settings.element
    from docx.oxml.ns import qn

    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    settings.append(element("w:updateFields", 'w:val="true"'))


def header_row(table: Any) -> None:
    """The first row repeats at the top of each page and is read as the header: bold."""
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(element("w:tblHeader"))
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def properties(document: Any, title: str, author: str, written: dt.datetime) -> None:
    """Title, the team leader as author, the time it was written, British English."""
    core = document.core_properties
    core.title = title
    core.author = author
    core.last_modified_by = author
    core.created = core.modified = written
    core.language = LANGUAGE
    core.subject = "Independent review of progress"
    core.comments = ""
    core.keywords = "IRP; independent review of progress"
    core.revision = 1


def numbering(document: Any, section: str) -> str:
    """A single-level list numbered "<section>.1", "<section>.2", ...; returns its numId.

    The inspectorate edits and publishes in Word, so paragraph numbers are Word list
    numbering, not typed text: inserting a paragraph in Word renumbers the rest.
    """
    from docx.oxml.ns import qn

    numbers = document.part.numbering_part.element
    used = [int(e.get(qn("w:abstractNumId"))) for e in numbers.findall(qn("w:abstractNum"))]
    used += [int(e.get(qn("w:numId"))) for e in numbers.findall(qn("w:num"))]
    new_id = str(max(used, default=0) + 1)
    abstract = element(
        "w:abstractNum",
        f'w:abstractNumId="{new_id}"',
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{section}.%1"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="720" w:hanging="720"/></w:pPr></w:lvl>',
    )
    first_num = numbers.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # the schema puts every abstractNum before the nums
    else:
        numbers.append(abstract)
    numbers.append(element("w:num", f'w:numId="{new_id}"', f'<w:abstractNumId w:val="{new_id}"/>'))
    return new_id


def number(paragraph: Any, num_id: str) -> None:
    paragraph._p.get_or_add_pPr().append(
        element("w:numPr", "", f'<w:ilvl w:val="0"/><w:numId w:val="{num_id}"/>')
    )
