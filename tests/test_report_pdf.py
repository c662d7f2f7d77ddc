"""The Word report laid out by the real thing: LibreOffice converts the Hull sample's DOCX
to PDF and poppler's tools read the pages back.

Skipped where LibreOffice or poppler-utils is not installed (CONTRIBUTING.md: ``apt-get
install -y libreoffice-writer-nogui poppler-utils``). The conversion takes a few seconds,
once for the module.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from report_pdf import TOOLS, fonts, page_sizes, page_texts, pages_with_pictures

from irp_field.core.visit_file import VisitFile
from irp_field.report.build import make

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        OFFICE is None or any(shutil.which(tool) is None for tool in TOOLS),
        reason="LibreOffice and poppler-utils are not installed (CONTRIBUTING.md)",
    ),
]

SECTIONS = [
    "Section 1 Chief Inspector's summary",
    "Section 2 Key findings",
    "Section 3 Progress against the key concerns and recommendations and Ofsted themes",
    "Section 4 Summary of judgements",
    "Appendix I About this report",
    "Appendix II Glossary of terms",
]


@pytest.fixture(scope="module")
def hull_pdf(hull_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    shutil.copy(hull_template, folder / "hull.db")
    with VisitFile.open(folder / "hull.db", user="Sara Pennington") as visit:
        _, data = make(visit, "docx", sync_first=True)
    assert isinstance(data, bytes)
    (folder / "hull.docx").write_bytes(data)
    assert OFFICE is not None
    subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",  # its own, not the user's
            "--headless",
            "--convert-to",  # a tagged PDF (LibreOffice 7.4's filter options in JSON)
            'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}',
            "--outdir",
            str(folder),
            str(folder / "hull.docx"),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return folder / "hull.pdf"


def test_a4_pages_as_many_as_the_published_report_has(hull_pdf: Path) -> None:
    sizes = page_sizes(hull_pdf)
    assert all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in sizes)  # A4, in points
    assert 20 <= len(sizes) <= 28  # the published report: 26; python-docx's default: 21
    pages = page_texts(hull_pdf)
    assert "Page" not in pages[0]  # the cover
    assert all(page.rstrip().endswith(f"Page {n}") for n, page in enumerate(pages[1:], start=2))


def test_the_contents_lists_the_sections_with_their_pages(hull_pdf: Path) -> None:
    """Each section with the page it starts on, worked out by LibreOffice itself (the
    contents had no page numbers in LibreOffice's PDF: only Word updated them)."""
    pages = page_texts(hull_pdf)
    lines = [line.strip() for line in pages[1].splitlines() if line.strip()]
    assert lines[0] == "Contents"
    for line, heading in zip(lines[1:7], SECTIONS, strict=True):
        found = re.fullmatch(r"(.+?)\.{3,}\s*(\d+)", line)
        assert found is not None, line
        assert found.group(1).rstrip(". ") == heading
        first = heading.split(" Progress")[0]  # Section 3's heading wraps
        assert pages[int(found.group(2)) - 1].lstrip().startswith(first), line
    assert "filled in when Word opens" not in pages[1]


def test_each_section_starts_a_page(hull_pdf: Path) -> None:
    pages = page_texts(hull_pdf)
    for heading in SECTIONS:
        first = heading.split(" Progress")[0]  # Section 3's heading wraps
        starting = [n for n, page in enumerate(pages) if page.lstrip().startswith(first)]
        assert len(starting) == 1, heading


def test_every_word_is_arial(hull_pdf: Path) -> None:
    """Arial, or LibreOffice's metric twin of it where Arial is not installed: the title
    and headings too (python-docx's template gave them DejaVu Sans here, Calibri in Word),
    and the bullets (its Symbol bullets came out in OpenSymbol)."""
    used = fonts(hull_pdf)
    assert used
    assert all(
        re.fullmatch(r"(Arial|LiberationSans)(-Bold|-Italic|-BoldItalic|MT)?", f) for f in used
    ), used


def test_captions_stand_with_their_pictures(hull_pdf: Path) -> None:
    """Figures 2 and 3 on the page of their pies, the photograph's caption on the page of
    the photograph (python-docx's default put Figure 2 on page 4 and its pie on page 5)."""
    pages = page_texts(hull_pdf)
    pictures = pages_with_pictures(hull_pdf)
    assert len(pictures) == 3

    def page_of(text: str) -> int:
        found = [n + 1 for n, page in enumerate(pages) if text in page]
        assert len(found) == 1, text
        return found[0]

    assert pictures == [
        page_of("Figure 2: Progress on HMI Prisons"),
        page_of("Figure 3: Progress on Ofsted themes"),
        page_of("Segregation unit exercise bicycles"),
    ]
    figure_1 = pages[page_of("Figure 1: HMP Hull healthy prison outcomes") - 1]
    assert "Rehabilitation and release" in figure_1.split("Figure 1:")[1]  # the table's last row
    assert re.search(
        r"^\s*Rehabilitation and release planning\s{2,}Reasonably good", figure_1, re.M
    )


def test_no_recommendation_stands_at_the_foot_of_a_page(hull_pdf: Path) -> None:
    """After the last concern, recommendation or theme on a page comes, on the same page,
    the first of the numbered paragraphs it heads."""
    heads = re.compile(r"^(Concern|Recommendation|Theme \d+):")
    numbered = re.compile(r"^\d\.\d+\s")
    seen = 0
    for page in page_texts(hull_pdf):
        lines = [line.strip() for line in page.splitlines()]
        last = max((n for n, line in enumerate(lines) if heads.match(line)), default=None)
        if last is None:
            continue
        seen += 1
        assert any(numbered.match(line) for line in lines[last + 1 :]), lines[last]
    assert seen >= 8


def test_section_4_is_a_table_beside_its_judgements(hull_pdf: Path) -> None:
    pages = page_texts(hull_pdf)
    start = next(n for n, page in enumerate(pages) if page.lstrip().startswith("Section 4"))
    text = pages[start]
    assert re.search(r"Recommendation\s{2,}Judgement", text)
    assert re.search(
        r"The number of times force is used should be reduced\. When\s{2,}Good progress", text
    )


def test_the_tagged_pdf_names_its_language_title_headings_tables_and_pictures(
    hull_pdf: Path,
) -> None:
    """What a screen reader reads of LibreOffice's tagged PDF: the document's title and
    language, Section headings as headings, table header cells, each picture's
    alternative text (the DOCX's title and description, joined by LibreOffice)."""
    info = subprocess.run(["pdfinfo", str(hull_pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M)
    assert re.search(
        r"^Title:\s+Report on an independent review of progress at HMP Hull$", info.stdout, re.M
    )
    raw = hull_pdf.read_bytes()
    assert b"/Lang(en-GB)" in raw
    assert raw.count(b"/S/H1") >= len(SECTIONS)
    assert raw.count(b"/S/TH") >= 4 * 2  # the header row of each of the four tables
    alternatives = [
        bytes.fromhex(found.decode("ascii")).decode("utf-16")
        for found in re.findall(rb"/Alt<([0-9A-Fa-f]+)>", raw)
    ]
    assert alternatives == [
        "Figure 2: Progress on HMI Prisons recommendations from 2021 inspection (n=9) - Pie "
        "chart of 9 judgements. Good progress: 2; Reasonable progress: 3; Insufficient "
        "progress: 4; No meaningful progress: 0.",
        "Figure 3: Progress on Ofsted themes from 2021 inspection (n=3). - Pie chart of 3 "
        "judgements. Significant progress: 0; Reasonable progress: 3; Insufficient progress: 0.",
        "Photograph - Segregation unit exercise bicycles",
    ]


def test_no_page_holds_a_sections_last_paragraph_alone(hull_pdf: Path) -> None:
    """The paragraph before a section's last keeps with it (``section_ends_together``):
    Hull's 2.4, two lines after a page of charts, was page 6's only text."""
    pages = page_texts(hull_pdf)
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        if lines and re.fullmatch(r"\s*Page \d+\s*", lines[-1]):
            lines.pop()  # the footer
        assert len(lines) >= 3, (number, lines)
    alone = [n for n, page in enumerate(pages) if "2.4 " in page and "Inspectors found no" in page]
    assert len(alone) == 1 and "2.3 " in pages[alone[0]]
