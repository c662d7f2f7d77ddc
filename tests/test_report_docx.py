"""The Word report in the house layout: A4, British English, page numbers, a cover and a
contents field Word fills in on opening, real table header rows, labelled charts, the
photograph with its caption, and the document's own properties."""

from __future__ import annotations

import datetime as dt
import io
import struct
from typing import Any

import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.report.build import make


@pytest.fixture
def document(hull: VisitFile) -> Any:
    import docx

    _, data = make(hull, "docx", sync_first=True)
    assert isinstance(data, bytes)
    return docx.Document(io.BytesIO(data))


def _instructions(element: Any) -> list[str]:
    from docx.oxml.ns import qn

    return [node.text.strip() for node in element.iter(qn("w:instrText")) if node.text]


def test_a4_pages_with_page_numbers_in_the_footer(document: Any) -> None:
    from docx.shared import Mm

    for section in document.sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.5)
        assert abs(section.page_height - Mm(297)) < Mm(0.5)
        footer = section.footer.paragraphs[0]
        assert "PAGE" in _instructions(footer._p)


def test_british_english_everywhere(document: Any) -> None:
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    languages = [lang.get(qn("w:val")) for lang in defaults.iter(qn("w:lang"))]
    assert languages == ["en-GB"]
    assert "en-US" not in document.styles.element.xml
    assert document.core_properties.language == "en-GB"


def test_a_cover_then_a_contents_field_word_updates_on_opening(document: Any) -> None:
    from docx.oxml.ns import qn

    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == [
        "Report on an independent review of progress at",
        "HMP Hull",
        "by HM Chief Inspector of Prisons",
        "14–16 March 2022",
    ]
    contents = next(i for i, p in enumerate(document.paragraphs) if p.text == "Contents")
    assert document.paragraphs[contents].style.name == "TOC Heading"
    field = _instructions(document.paragraphs[contents + 1]._p)
    assert field == ["PAGEREF _Toc_section_1 \\h"]  # its page number, which Word updates
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Section 1 Chief Inspector's summary",
        "Section 2 Key findings",
        "Section 3 Progress against the key concerns and recommendations and Ofsted themes",
        "Section 4 Summary of judgements",
        "Appendix I About this report",
        "Appendix II Glossary of terms",
    ]


def test_tables_have_real_header_rows(document: Any) -> None:
    from docx.oxml.ns import qn

    # Figure 1, Section 4's two tables (HMI Prisons recommendations, Ofsted themes), the team
    assert len(document.tables) == 4
    outcomes, recommendations, themes, team = document.tables
    for table, header in (
        (outcomes, ["Healthy prison test", "2018", "2021"]),
        (recommendations, ["Recommendation", "Judgement"]),
        (themes, ["Theme", "Judgement"]),
        (team, ["Name", "Role"]),
    ):
        first = table.rows[0]
        assert [c.text for c in first.cells] == header
        assert first._tr.trPr is not None and first._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(r.bold for c in first.cells for p in c.paragraphs for r in p.runs)
        # Only the first row is the header row; no row splits across a page.
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:])
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    assert [c.text for c in outcomes.rows[1].cells] == [
        "Safety",
        "Reasonably good",
        "Not sufficiently good",
    ]


def _png_size(blob: bytes) -> tuple[int, int]:
    assert blob.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", blob[16:24])


def test_charts_carry_their_labels_and_the_photograph_its_caption(document: Any) -> None:
    pictures = [
        document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
        for shape in document.inline_shapes
    ]
    assert len(pictures) == 3
    chart, _, photograph = (p.blob for p in pictures)
    width, height = _png_size(chart)
    assert width > 2 * height  # the pie and, beside it, the legend of labels and counts
    texts = [p.text for p in document.paragraphs]
    note = texts.index(
        "This pie chart excludes any recommendations that were followed up as part of a theme "
        "within Ofsted's concurrent prison monitoring visit."
    )
    assert (
        texts[note - 1]
        == "Figure 2: Progress on HMI Prisons recommendations from 2021 inspection (n=9)"
    )
    assert _png_size(photograph) == (480, 300)
    caption = texts.index("Segregation unit exercise bicycles")
    assert document.paragraphs[caption].runs[0].italic
    assert texts[caption - 2] == (
        "We considered that the prison had made good progress against these recommendations."
    )


def test_the_document_properties_are_the_reports(document: Any) -> None:
    properties = document.core_properties
    assert properties.title == "Report on an independent review of progress at HMP Hull"
    assert properties.author == "Sara Pennington"  # the team leader
    assert properties.last_modified_by == "Sara Pennington"
    assert "python-docx" not in (
        properties.author,
        properties.comments,
        properties.last_modified_by,
    )
    now = dt.datetime.now(dt.UTC)
    for moment in (properties.created, properties.modified):
        assert moment is not None and abs(now - moment.replace(tzinfo=dt.UTC)) < dt.timedelta(
            minutes=5
        )


def test_numbered_paragraphs_lists_and_the_back_page(document: Any) -> None:
    from docx.oxml.ns import qn

    levels = document.part.numbering_part.element.findall(qn("w:abstractNum"))
    texts = {lvl.find(qn("w:lvl")).find(qn("w:lvlText")).get(qn("w:val")) for lvl in levels}
    assert {"1.%1", "2.%1", "3.%1"} <= texts
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets[0] == "assess progress against selected key recommendations"
    address = next(p for p in document.paragraphs if p.text.startswith("Printed and published by:"))
    assert address.text.splitlines()[-1] == "England"  # its lines kept, as line breaks
    handbook = next(p for p in document.paragraphs if "inspection handbook" in p.text)
    assert [r.text for r in handbook.runs if r.italic] == [
        "Further education and skills inspection handbook"
    ]
    assert "<https://" not in handbook.text


def _published_section_4() -> dict[str, list[tuple[str, str]]]:
    """The published Section 4 (the repository's copy): each heading's (text, judgement)."""
    from report_units import PUBLISHED

    lines = [line.strip() for line in PUBLISHED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    start = lines.index("HMI Prisons recommendations")
    end = lines.index("Appendix I About this report")
    middle = lines.index("Ofsted themes", start)
    pairs = lambda cells: list(zip(cells[::2], cells[1::2], strict=True))  # noqa: E731
    return {
        "HMI Prisons recommendations": pairs(lines[start + 1 : middle]),
        "Ofsted themes": pairs(lines[middle + 1 : end]),
    }


def test_section_4_is_the_published_two_column_table(document: Any) -> None:
    from docx.oxml.ns import qn

    published = _published_section_4()
    _, recommendations, themes, _ = document.tables
    for table, heading, item in (
        (recommendations, "HMI Prisons recommendations", "Recommendation"),
        (themes, "Ofsted themes", "Theme"),
    ):
        rows = [tuple(cell.text for cell in row.cells) for row in table.rows]
        assert rows[0] == (item, "Judgement")
        assert rows[1:] == published[heading]
        assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == heading
        judged = [run.bold for row in table.rows[1:] for run in row.cells[1].paragraphs[0].runs]
        assert judged and all(judged)  # the judgement in bold, as the published report has it
    texts = [p.text for p in document.paragraphs]
    assert "Reasonable progress" not in texts[texts.index("Section 4 Summary of judgements") :][:3]


def test_the_contents_reads_right_before_word_updates_it(document: Any) -> None:
    """The contents lists the sections, each a link to a bookmark on its heading, with
    its page number a PAGEREF field to that bookmark: LibreOffice works the number out
    as it lays the pages out, Word when it updates the fields on opening. (It was a TOC
    field, whose stored result LibreOffice shows as it is: no page numbers.)"""
    from docx.oxml.ns import qn

    paragraphs = document.paragraphs
    contents = next(i for i, p in enumerate(paragraphs) if p.text == "Contents")
    entries = []
    for paragraph in paragraphs[contents + 1 :]:
        if paragraph.style.name != "toc 1":
            break
        entries.append(paragraph)
    headings = [p for p in paragraphs if p.style.name == "Heading 1"]
    # each entry's text: the heading's, and the tab to its page number
    assert [p.text for p in entries] == [f"{p.text}\t" for p in headings]
    assert len(entries) == 6
    assert "filled in when Word opens" not in document.element.xml
    assert not any(i.startswith("TOC") for i in _instructions(document.element))
    for entry, heading in zip(entries, headings, strict=True):
        link = entry._p.find(qn("w:hyperlink"))
        marks = heading._p.findall(qn("w:bookmarkStart"))
        assert len(marks) == 1
        name = marks[0].get(qn("w:name"))
        assert link.get(qn("w:anchor")) == name and name.startswith("_Toc")
        # the title, a tab to the dot leader, then the page number's field: all the link
        fields = [c.get(qn("w:fldCharType")) for c in link.iter(qn("w:fldChar"))]
        assert fields == ["begin", "separate", "end"]
        assert _instructions(link) == [f"PAGEREF {name} \\h"]
        assert link.find(f"{qn('w:r')}/{qn('w:tab')}") is not None
        assert entry._p.findall(qn("w:r")) == []  # nothing of the line outside the link


def _keeps_with_next(paragraph: Any) -> bool:
    """The paragraph's own setting, or its style's (or the style it is based on)."""
    if paragraph.paragraph_format.keep_with_next is not None:
        return bool(paragraph.paragraph_format.keep_with_next)
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.keep_with_next is not None:
            return bool(style.paragraph_format.keep_with_next)
        style = style.base_style
    return False


def test_captions_and_the_heads_of_recommendations_keep_with_next(document: Any) -> None:
    """A caption never stands at the foot of a page with its chart on the next, nor a
    concern, a recommendation or a theme with its findings on the next."""
    import re

    paragraphs = document.paragraphs
    heads = [
        p
        for p in paragraphs
        if re.match(r"(Concern|Recommendation|Theme \d+):", p.text)
        or p.text.startswith("This pie chart excludes")
        or p.text == "This independent review of progress was carried out by:"
    ]
    assert len(heads) == 24  # 9 concerns, 10 recommendations, 3 themes, the note, the team's
    assert all(_keeps_with_next(p) for p in heads)
    captions = [p for p in paragraphs if p.text.startswith("Figure ")]
    assert [p.text.split(":")[0] for p in captions] == ["Figure 1", "Figure 2", "Figure 3"]
    assert all(p.style.name == "Caption" and _keeps_with_next(p) for p in captions)
    picture = next(p for p in paragraphs if p._p.xpath(".//pic:pic") and "3.13" not in p.text
                   and paragraphs[paragraphs.index(p) + 1].text == "Segregation unit exercise bicycles")  # fmt: skip
    assert _keeps_with_next(picture)  # the photograph keeps its caption below it
    assert not _keeps_with_next(paragraphs[paragraphs.index(picture) - 1])  # 3.13 flows


def test_every_picture_and_table_has_its_alternative_text(document: Any) -> None:
    from docx.oxml.ns import qn

    described = [
        (shape._inline.docPr.get("title"), shape._inline.docPr.get("descr"))
        for shape in document.inline_shapes
    ]
    assert described == [
        (
            "Figure 2: Progress on HMI Prisons recommendations from 2021 inspection (n=9)",
            "Pie chart of 9 judgements. Good progress: 2; Reasonable progress: 3; "
            "Insufficient progress: 4; No meaningful progress: 0.",
        ),
        (
            "Figure 3: Progress on Ofsted themes from 2021 inspection (n=3).",
            "Pie chart of 3 judgements. Significant progress: 0; Reasonable progress: 3; "
            "Insufficient progress: 0.",
        ),
        ("Photograph", "Segregation unit exercise bicycles"),
    ]
    captions = [t._tbl.tblPr.find(qn("w:tblCaption")) for t in document.tables]
    assert [c.get(qn("w:val")) for c in captions] == [
        "Figure 1: HMP Hull healthy prison outcomes in 2018 and 2021",
        "HMI Prisons recommendations",
        "Ofsted themes",
        "Inspection team",
    ]
    assert all(t._tbl.tblPr.find(qn("w:tblDescription")).get(qn("w:val")) for t in document.tables)


def test_charts_are_placed_at_their_printed_size(document: Any) -> None:
    """300 dots per inch: the chart's type prints at the size of the text around it."""
    from docx.shared import Cm

    from irp_field.report import charts

    for shape in list(document.inline_shapes)[:2]:
        blob = document.part.related_parts[
            shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        ].blob
        width_cm, height_cm = charts.size_cm(blob)
        assert 10 < width_cm < 16  # inside the text's 16 cm
        assert abs(shape.width - Cm(width_cm)) < Cm(0.05)
        assert abs(shape.height - Cm(height_cm)) < Cm(0.05)


def test_alternative_texts_hold_any_name_as_typed() -> None:
    """An establishment's name goes into a table's alternative text (an XML attribute):
    quotes, ampersands and angle brackets come back as typed."""
    import docx
    from docx.oxml.ns import qn

    from irp_field.report import word
    from irp_field.report.blocks import Heading, OutcomesTable, Report

    name = "HMP \"Hull\" & <Humber> 'North'"
    caption = f"Figure 1: {name} healthy prison outcomes in 2021"
    report = Report(
        title=f"Report on an independent review of progress at {name}",
        establishment=name,
        dates="14–16 March 2022",
        blocks=[
            Heading(2, "Section 1 Chief Inspector's summary", "section-1"),
            OutcomesTable(("2021",), (("Safety", ("Good",)),), caption),
        ],
    )
    out = io.BytesIO()
    word.write(report, out)
    document = docx.Document(io.BytesIO(out.getvalue()))
    table = document.tables[0]
    assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == caption
    assert document.core_properties.title == report.title
    assert [p.text for p in document.paragraphs][:2] == [
        "Report on an independent review of progress at",
        name,
    ]


def test_web_addresses_glossary_and_paragraph_references_are_links(document: Any) -> None:
    """As in the HTML and the published PDF: a web address opens its page, "(see
    Glossary)" goes to Appendix II and "see paragraphs 3.7 and 3.14" to those paragraphs
    (Word's own hidden bookmarks, which follow a paragraph that editing renumbers). The
    Word report printed them all as plain text."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    paragraphs = document.paragraphs
    handbook = next(p for p in paragraphs if "inspection handbook" in p.text)
    (web,) = handbook._p.findall(qn("w:hyperlink"))
    relationship = document.part.rels[web.get(qn("r:id"))]
    address = "https://www.gov.uk/government/publications/education-inspection-framework"
    assert relationship.reltype == RT.HYPERLINK and relationship.is_external
    assert relationship.target_ref == address
    assert "".join(t.text for t in web.iter(qn("w:t"))) == address
    assert address in handbook.text  # read as before, now a link

    def bookmarks(paragraph: Any) -> list[str]:
        return [mark.get(qn("w:name")) for mark in paragraph._p.iter(qn("w:bookmarkStart"))]

    appendix_ii = next(
        p
        for p in paragraphs
        if p.text == "Appendix II Glossary of terms" and p.style.name == "Heading 1"
    )
    concern = next(p for p in paragraphs if p.text.startswith("Concern: Leadership (see Glossary)"))
    (glossary,) = concern._p.findall(qn("w:hyperlink"))
    assert "".join(t.text for t in glossary.iter(qn("w:t"))) == "Glossary"
    assert glossary.get(qn("w:anchor")) in bookmarks(appendix_ii)

    strategy = next(p for p in paragraphs if p.text.startswith("The safety strategy used good"))
    links = strategy._p.findall(qn("w:hyperlink"))
    assert ["".join(t.text for t in link.iter(qn("w:t"))) for link in links] == ["3.7", "3.14"]
    for link, opening in zip(
        links,
        ("Use of unplanned force had reduced", "Incidents of violence against staff"),
        strict=True,
    ):
        target = next(p for p in paragraphs if p.text.startswith(opening))
        assert link.get(qn("w:anchor")) in bookmarks(target)
        assert link.get(qn("w:anchor")).startswith("_")  # hidden from Word's bookmark list
    styled = [r for link in (web, glossary, *links) for r in link.iter(qn("w:rStyle"))]
    assert len(styled) == 4 and {r.get(qn("w:val")) for r in styled} == {"Hyperlink"}


def test_the_out_of_date_line_names_the_command_without_markdowns_backquotes(
    hull: VisitFile,
) -> None:
    """A report of paragraphs not synced says so on its cover: in Word the command was
    written with Markdown's backquotes ("Run `irp-field sync`, ...")."""
    import docx

    _, data = make(hull, "docx", sync_first=False)
    assert isinstance(data, bytes)
    first = docx.Document(io.BytesIO(data)).paragraphs[0].text
    assert "Run irp-field sync, review them, and make the report again" in first
    assert "`" not in first
