"""The house layout of the Word report, as python-docx and WordprocessingML calls.

The report starts from the house template (``house.docx``, package data, written by
``docs/house_template.py``): its styles (Arial, with no theme font to override it),
British English, A4, "Page N" in the footer, Section headings that start a page,
captions and headings kept with what follows. What is the report's own is here: the
contents (each section linked to its heading, with its page number as a field that
LibreOffice works out as it lays out the pages and Word updates on opening), bookmarks
for it to link to, Word-numbered paragraphs, table header rows and their alternative text,
pictures' alternative text, and the document's properties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from importlib import resources
from typing import Any

LANGUAGE = "en-GB"
TEMPLATE = "house.docx"
AFTER_TABLE = 12 * 12700  # EMU: 12 pt of space above the first paragraph after a table


def template() -> bytes:
    """The house template's bytes (from the installed package, zipped or not)."""
    return resources.files("irp_field.report").joinpath(TEMPLATE).read_bytes()


def element(tag: str, attributes: str = "", inner: str = "") -> Any:
    """A WordprocessingML element, such as element("w:tblHeader")."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    return parse_xml(f"<{tag} {nsdecls('w')} {attributes}>{inner}</{tag}>")


def _field_start(paragraph: Any, instruction: str, *, dirty: bool = False) -> None:
    """A field's beginning and instruction, and the separator before its current result."""
    flag = ' w:dirty="true"' if dirty else ""
    paragraph.add_run()._r.append(element("w:fldChar", f'w:fldCharType="begin"{flag}'))
    paragraph.add_run()._r.append(
        element("w:instrText", 'xml:space="preserve"', f" {instruction} ")
    )
    paragraph.add_run()._r.append(element("w:fldChar", 'w:fldCharType="separate"'))


def _field_end(paragraph: Any) -> None:
    paragraph.add_run()._r.append(element("w:fldChar", 'w:fldCharType="end"'))


def bookmark_name(anchor: str) -> str:
    """A heading's bookmark ("section-1" is "_Toc_section_1"), or a numbered paragraph's
    ("p3.7" is "_Ref_p3_7"): Word's hidden kinds, those its own contents and cross-
    references link to; letters, digits and underscores only."""
    paragraph = anchor[:1] == "p" and anchor[1:2].isdigit()
    return ("_Ref_" if paragraph else "_Toc_") + "".join(c if c.isalnum() else "_" for c in anchor)


def hyperlink(paragraph: Any, href: str) -> Any:
    """A link at the paragraph's end for the runs that follow to move into: to a web
    page (an external relationship), or to ``#anchor``'s bookmark in the report."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    if href.startswith("#"):
        target = f'w:anchor="{bookmark_name(href[1:])}"'
    else:
        from xml.sax.saxutils import quoteattr

        r_id = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        target = f"r:id={quoteattr(r_id)}"
    link = parse_xml(f'<w:hyperlink {nsdecls("w", "r")} {target} w:history="1"/>')
    paragraph._p.append(link)
    return link


def bookmark(paragraph: Any, anchor: str, number: int) -> None:
    """Mark the paragraph's text as the place the contents entry ``anchor`` links to."""
    name = bookmark_name(anchor)
    start = element("w:bookmarkStart", f'w:id="{number}" w:name="{name}"')
    properties = paragraph._p.pPr
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(element("w:bookmarkEnd", f'w:id="{number}"'))


def contents(document: Any, entries: Sequence[tuple[str, str]]) -> None:
    """The contents: a line per section and appendix (Heading 1), each a link to its
    heading's bookmark, a dot leader, and its page number as a PAGEREF field to that
    bookmark. LibreOffice works such a field out as it lays the pages out (so its PDF
    has the numbers); Word brings every field up to date when it opens the document
    (``w:updateFields``, which makes it ask first). A TOC field around them would be
    Word's own contents, but LibreOffice shows a TOC field's stored result as it is,
    without page numbers (they are not known before the pages are laid out), and keeps
    it so until someone updates the index by hand."""
    from docx.oxml.ns import qn

    document.add_paragraph("Contents", style="TOC Heading")
    for text, anchor in entries:
        paragraph = document.add_paragraph(style="toc 1")
        name = bookmark_name(anchor)
        link = element("w:hyperlink", f'w:anchor="{name}" w:history="1"')
        paragraph._p.append(link)
        link.append(paragraph.add_run(text)._r)  # the run moves into the link
        paragraph.add_run().add_tab()  # to the page number, over the style's dot leader
        _field_start(paragraph, f"PAGEREF {name} \\h", dirty=True)
        _field_end(paragraph)
        for run in paragraph._p.findall(qn("w:r")):  # the number is the link's too
            link.append(run)
    settings = document.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    settings.append(element("w:updateFields", 'w:val="true"'))


def keep_with_next(paragraph: Any) -> None:
    """The paragraph stays on the page of the one after it (a caption and its chart, a
    recommendation and the first lines of its findings)."""
    paragraph.paragraph_format.keep_with_next = True


def section_ends_together(document: Any) -> None:
    """The last paragraph before a new page (a Section's, an appendix's) never stands on
    a page of its own: the paragraph before it keeps with it (Hull's 2.4, two lines after
    a page of charts, was page 6's only text). A table or a picture ends a section as it
    is kept (a picture's caption keeps with it)."""
    from docx.oxml.ns import qn

    blocks = [e for e in document.element.body if e.tag in (qn("w:p"), qn("w:tbl"))]
    if len(blocks) >= 2 and all(e.tag == qn("w:p") for e in blocks[-2:]):
        blocks[-2].get_or_add_pPr().keepNext_val = True


def header_row(table: Any) -> None:
    """The first row repeats at the top of each page and is read as the header: bold."""
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(element("w:tblHeader"))
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def rows_unbroken(table: Any, *, together: bool = False) -> None:
    """No row splits across a page (a recommendation is read beside its judgement); with
    ``together``, the table stays on one page (each row kept with the next)."""
    for index, row in enumerate(table.rows):
        row._tr.get_or_add_trPr().insert(0, element("w:cantSplit"))  # before any tblHeader
        if together and index < len(table.rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    keep_with_next(paragraph)


def table_text(table: Any, title: str, description: str) -> None:
    """The table's alternative text (Word's Table Properties, Alt Text): what a screen
    reader announces before reading it."""
    from xml.sax.saxutils import quoteattr

    properties = table._tbl.tblPr
    properties.append(element("w:tblCaption", f"w:val={quoteattr(title)}"))
    properties.append(element("w:tblDescription", f"w:val={quoteattr(description)}"))


def picture_text(shape: Any, title: str, description: str) -> None:
    """A picture's alternative text (``wp:docPr``'s title and description)."""
    properties = shape._inline.docPr
    properties.set("title", title)
    properties.set("descr", description)


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
    numbered = paragraph._p.get_or_add_pPr().get_or_add_numPr()  # in the schema's order
    numbered.get_or_add_ilvl().val = 0
    numbered.get_or_add_numId().val = int(num_id)
