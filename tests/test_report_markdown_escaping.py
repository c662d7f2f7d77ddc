"""The Markdown report shows typed and merged text as written (issue 20): ``<script>``,
``<img onerror>`` and ``javascript:`` links passed through raw from paragraphs, the
summary, the glossary and captions, and a Markdown viewer ran them; the HTML report
escaped them. Rendered by a CommonMark renderer (raw HTML on, as viewers have it), the
Markdown report holds no tag, attribute or link target that the text put there, reads as
the HTML report reads, and keeps what the report itself makes: italics, web addresses,
the contents' links, the photographs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from irp_field.api import attachments, findings, report_parts
from irp_field.core.visit_file import VisitFile
from irp_field.interchange import samples
from irp_field.report.blocks import Photograph
from irp_field.report.build import make

HOSTILE = (
    "<script>alert(1)</script> and <img src=x onerror=alert(1)> and "
    "[x](javascript:alert(1)) and <javascript:alert(2)> and ![i](javascript:alert(3)) and "
    "&lt;b&gt; and `<b>` and \\<b> and <!-- hidden -->"
)
LEGIT = "see the *Handbook* at <https://example.org/handbook>"
PARAGRAPH = f"Staff said {HOSTILE}; {LEGIT}."
PNG = (
    samples.sample_bundle() / "attachments" / "segregation-unit-exercise-bicycles.png"
).read_bytes()


class _Tags(HTMLParser):
    """Every tag and attribute of a page, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", {}))


def _parsed(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def _text_of(html: str, start: str) -> str:
    """The text of the page from ``start`` to the end of that paragraph's line."""
    text = "".join(_parsed(html).text)
    at = text.index(start)
    return text[at : text.index("\n", at) if "\n" in text[at:] else None]


@pytest.fixture
def hostile_visit(hull_path: Path, tmp_path: Path) -> Path:
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        findings.add_paragraph(visit, "1.38", PARAGRAPH)
        report_parts.add_paragraph(visit, f"Summary: {HOSTILE}.")
        report_parts.set_term(visit, "Handbook", f"A book. {HOSTILE}")
        attachments.attach(
            visit, photo, paragraph="3.1", caption="x](javascript:alert(5)) <img src=y onerror=z>"
        )
    return hull_path


def test_the_markdown_report_holds_no_tag_attribute_or_link_the_text_put_there(
    hostile_visit: Path,
) -> None:
    with VisitFile.open(hostile_visit, user="Jade Richards") as visit:
        report, markdown = make(visit, "markdown", sync_first=True)
    assert isinstance(markdown, str)
    rendered = MarkdownIt("commonmark").render(markdown)  # raw HTML passes, as in viewers
    tags = _parsed(rendered).tags
    allowed = {"h1", "h2", "h3", "h4", "p", "em", "strong", "a", "ul", "li", "img", "table",
               "thead", "tbody", "tr", "th", "td", "pre", "code", "hr", "br", "blockquote"}  # fmt: skip
    assert {tag for tag, _ in tags} <= allowed, {tag for tag, _ in tags} - allowed
    for tag, attributes in tags:
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        href = attributes.get("href")
        assert href is None or re.match(r"#|https?://", href), (tag, attributes)
        src = attributes.get("src")
        assert src is None or src.startswith("data:image/png;base64,"), (tag, attributes)
    photographs = [b for b in report.blocks if isinstance(b, Photograph)]
    assert len(photographs) == 2  # the sample's, and the one whose caption is hostile
    assert len([t for t, _ in tags if t == "img"]) == 2  # a caption is never a picture
    # What the report makes is still Markdown.
    assert ("a", {"href": "https://example.org/handbook"}) in tags
    assert ("em", {}) in tags
    assert [a for t, a in tags if t == "a" and str(a.get("href", "")).startswith("#")]  # contents
    for shown in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                  "[x](javascript:alert(1))", "<javascript:alert(2)>"):  # fmt: skip
        assert shown in "".join(_parsed(rendered).text)


def test_the_markdown_report_reads_as_the_html_report_reads(hostile_visit: Path) -> None:
    with VisitFile.open(hostile_visit, user="Jade Richards") as visit:
        _, markdown = make(visit, "markdown", sync_first=True)
        _, html = make(visit, "html", sync_first=True)
    assert isinstance(markdown, str) and isinstance(html, str)
    rendered = MarkdownIt("commonmark").render(markdown)
    for start in ("Staff said", "Summary: <script>", "A book. <script>"):
        assert _text_of(rendered, start) == _text_of(html, start), start
    assert _text_of(rendered, "Staff said").endswith(
        "see the Handbook at https://example.org/handbook."
    )


def test_the_out_of_date_line_names_its_command_as_code(hull_path: Path) -> None:
    """The line at the top of a report whose paragraphs are out of date read
    "Run \\`irp-field sync\\`": the app's own backquotes escaped as if an inspector had
    typed them. The command is code; the line reads as the HTML report's."""
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        report, markdown = make(visit, "markdown")
        _, html = make(visit, "html")
    assert isinstance(markdown, str) and isinstance(html, str) and report.stale
    assert "\\`" not in markdown
    rendered = MarkdownIt("commonmark").render(markdown)
    assert "<code>irp-field sync</code>" in rendered and "<code>irp-field sync</code>" in html
    assert _text_of(rendered, "Out of date:") == _text_of(html, "Out of date:")
    assert _text_of(rendered, "Out of date:").endswith(
        "Run irp-field sync, review them, and make the report again (or use --sync)."
    )


def test_an_inspector_s_stars_and_underscores_stay_as_typed(hull_path: Path) -> None:
    """Text an inspector typed is shown as written: "a*b*c" or "_x_" made italics."""
    typed = "Counted 2*3*4 cells on a*b*c landing, _x_ and __y__ staff, snake_case_name"
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        findings.add_paragraph(visit, "1.38", f"Staff said {typed}.")
        _, markdown = make(visit, "markdown", sync_first=True)
    assert isinstance(markdown, str)
    rendered = MarkdownIt("commonmark").render(markdown)
    assert _text_of(rendered, "Staff said") == f"Staff said {typed}."
    line = next(part for part in rendered.split("\n") if "Staff said" in part)
    assert "<em>" not in line and "<strong>" not in line, line
