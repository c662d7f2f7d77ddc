"""The report as its readers meet it: no blank paragraphs for a screen reader to announce,
no section's last paragraph alone on a page, no lone line at a page's top or foot, and no
pie of nothing before the first judgement, in every format."""

from __future__ import annotations

import base64
import io
from html.parser import HTMLParser
from typing import Any

import pytest

from irp_field import api
from irp_field.core.visit_file import VisitFile
from irp_field.report.build import make

NOT_YET = (
    "No recommendations judged yet: the chart of progress against them appears here once "
    "the first recommendation is judged."
)


def _docx(visit: VisitFile) -> Any:
    import docx

    _, data = make(visit, "docx", sync_first=True)
    assert isinstance(data, bytes)
    return docx.Document(io.BytesIO(data))


@pytest.fixture
def hull_document(hull: VisitFile) -> Any:
    return _docx(hull)


def _body(document: Any) -> list[Any]:
    from docx.oxml.ns import qn

    return [e for e in document.element.body if e.tag in (qn("w:p"), qn("w:tbl"))]


def _blank(paragraph: Any) -> bool:
    """Nothing a reader sees or hears: no text, no picture, no field, no page break."""
    from docx.oxml.ns import qn

    return not (
        "".join(t.text or "" for t in paragraph.iter(qn("w:t"))).strip()
        or paragraph.xpath(".//w:drawing")
        or paragraph.xpath(".//w:fldChar")
        or paragraph.xpath(".//w:br[@w:type='page']")
    )


def test_no_blank_paragraph_after_a_table_the_space_is_the_next_paragraphs(
    hull_document: Any,
) -> None:
    """Word had an empty paragraph after each of the four tables (a screen reader says
    "blank"); the space is now the following paragraph's own space before it."""
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from docx.text.paragraph import Paragraph

    body = _body(hull_document)
    assert [e for e in body if e.tag == qn("w:p") and _blank(e)] == []
    tables = [n for n, e in enumerate(body) if e.tag == qn("w:tbl")]
    assert len(tables) == 4
    for n in tables[:-1] if tables[-1] == len(body) - 1 else tables:
        after = Paragraph(body[n + 1], hull_document.part)
        assert after.text.strip()
        if after.style.name.startswith("Heading"):
            continue  # a heading's own space above it
        assert after.paragraph_format.space_before is not None
        assert after.paragraph_format.space_before >= Pt(12), after.text


def test_widow_and_orphan_control_is_the_documents_default(hull_document: Any) -> None:
    from docx.oxml.ns import qn

    defaults = hull_document.styles.element.find(qn("w:docDefaults"))
    control = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:widowControl')}")
    assert control is not None and control.get(qn("w:val")) in (None, "1", "true", "on")


def test_a_sections_last_paragraph_keeps_with_the_one_before(hull_document: Any) -> None:
    """Before every page a Section, an appendix or the back page starts, the paragraph
    before the last keeps with it: the last never stands alone on a page (Hull's 2.4 was
    page 6's only text in LibreOffice's PDF)."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = [
        Paragraph(e, hull_document.part) if e.tag == qn("w:p") else e for e in _body(hull_document)
    ]
    starts = [
        n
        for n, e in enumerate(body)
        if isinstance(e, Paragraph)
        and (e.style.name == "Heading 1" or e.paragraph_format.page_break_before)
    ]
    ends = [n for n in starts if n >= 2 and all(isinstance(e, Paragraph) for e in body[n - 2 : n])]
    assert len(ends) >= 5  # Sections 1 and 2, Section 4's end is a table, the appendices
    texts = {body[n - 1].text[:40] for n in ends}
    assert any(text.startswith("Inspectors found no examples") for text in texts)  # 2.4
    for n in ends:
        assert body[n - 2].paragraph_format.keep_with_next, body[n - 2].text[:60]


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.figures = 0  # <figure> elements
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.figures += tag == "figure"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_before_any_judgement_a_sentence_stands_for_the_pie_in_every_format(
    empty_visit: VisitFile,
) -> None:
    """A report before any judgement drew Figure 1 as a grey "n=0" pie; now a sentence
    stands in its place, and no figure number is taken, skipped or named."""
    api.add_plan_item(empty_visit, "1.1", area="Safety", text="Be safer.")
    _, markdown = make(empty_visit, "markdown")
    _, html = make(empty_visit, "html")
    assert isinstance(markdown, str) and isinstance(html, str)
    assert NOT_YET in markdown and "n=0" not in markdown and "Figure" not in markdown
    words = _Words()
    words.feed(html)
    said = " ".join("".join(words.text).split())
    assert NOT_YET in said and "n=0" not in said and "Figure" not in said
    assert words.figures == 0 and "<svg" not in html
    document = _docx(empty_visit)
    texts = [p.text for p in document.paragraphs]
    assert NOT_YET in texts
    assert not any("Figure" in t or "n=0" in t for t in texts)
    assert document.inline_shapes == [] or len(document.inline_shapes) == 0


def test_sections_3_and_4_of_an_empty_plan_say_so(empty_visit: VisitFile) -> None:
    """Their introductions promise a list ("The following provides ...", "A list of
    ..."): before the plan holds anything, a line says it is empty, rather than a
    Section that stops after its introduction."""
    _, markdown = make(empty_visit, "markdown")
    assert isinstance(markdown, str)
    empty = "No recommendation or theme is in the visit's plan yet."
    section_3 = markdown.split("## Section 3")[1].split("## Section 4")[0]
    section_4 = markdown.split("## Section 4")[1].split("## Appendix I")[0]
    assert empty in section_3 and empty in section_4
    api.add_plan_item(empty_visit, "1.1", area="Safety", text="Be safer.")
    _, markdown = make(empty_visit, "markdown")
    assert isinstance(markdown, str) and empty not in markdown


def test_the_markdown_photograph_stands_in_place_and_its_data_at_the_end(hull: VisitFile) -> None:
    """Section 3 read as plain text held the photograph's base64 (about 10 KB) inline;
    now it holds a reference, defined on the report's last line: one file still, and a
    Markdown viewer shows the picture where it stood."""
    from markdown_it import MarkdownIt

    from irp_field.report.blocks import Photograph

    report, markdown = make(hull, "markdown", sync_first=True)
    assert isinstance(markdown, str)
    (photograph,) = [b for b in report.blocks if isinstance(b, Photograph)]
    section_3 = markdown.split("## Section 3")[1].split("## Section 4")[0]
    assert "base64" not in section_3 and max(len(line) for line in section_3.splitlines()) < 800
    assert "![Segregation unit exercise bicycles][photograph-1]" in section_3
    last = markdown.rstrip("\n").splitlines()[-1]
    data = base64.b64encode(photograph.content).decode("ascii")
    assert last == f"[photograph-1]: data:image/png;base64,{data}"
    rendered = MarkdownIt("commonmark").render(markdown)
    before, after = rendered.split("<img ", 1)
    assert before.rstrip().endswith("3.13 We considered that the prison had made good progress "
                                     "against these recommendations.</p>\n<p>")  # fmt: skip
    assert after.startswith(f'src="data:image/png;base64,{data}" '
                            'alt="Segregation unit exercise bicycles"')  # fmt: skip


def test_figure_1s_tests_stand_on_one_line_each(hull_document: Any) -> None:
    """Figure 1's columns had no widths: LibreOffice gave each a third of the page, and
    "Rehabilitation and release planning" wrapped beside half-empty years' columns."""
    from docx.shared import Cm

    outcomes = hull_document.tables[0]
    assert outcomes.rows[0].cells[0].text == "Healthy prison test"
    widths = [column.width for column in outcomes.columns]
    assert abs(widths[0] - Cm(7.0)) < Cm(0.05)  # in twentieths of a point, as stored
    assert abs(sum(widths) - Cm(16.0)) < Cm(0.05)  # the text's width, the years sharing it
    for row in outcomes.rows:
        assert [cell.width for cell in row.cells] == widths  # Word reads the cells'
