"""The HTML report as published: accessible (WCAG 2.2 AA) and printed on A4 with page numbers.

The structure is read here with the standard library; axe-core in headless Chromium checks
the rest where they are installed (CONTRIBUTING.md says how): ``tests/accessibility/``
holds the runner and its package.json. Chromium also prints the report to PDF, which
poppler's tools read back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.report.build import make

RUNNER = Path(__file__).resolve().parent / "accessibility"


def _chromium() -> str | None:
    names = ("chromium", "chromium-browser", "chromium-headless-shell")  # Debian's package
    found = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, names)), None)
    return found if found and Path(found).exists() else None


@pytest.fixture(scope="module")
def hull_html(hull_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    shutil.copy(hull_template, folder / "hull.db")
    with VisitFile.open(folder / "hull.db", user="Sara Pennington") as visit:
        _, text = make(visit, "html", sync_first=True)
    assert isinstance(text, str)
    out = folder / "hull.html"
    out.write_text(text, encoding="utf-8")
    return out


class _Structure(HTMLParser):
    """What an assistive technology reads: the headings' levels, each table's caption and
    header cells, each picture's name, the landmarks around the content."""

    LANDMARKS = ("header", "nav", "main")

    def __init__(self) -> None:
        super().__init__()
        self.language = ""
        self.headings: list[int] = []
        self.tables: list[dict[str, object]] = []
        self.pictures: list[tuple[str, str]] = []  # (tag, its name)
        self.ids: set[str] = set()
        self.outside: list[str] = []  # text blocks outside every landmark
        self._landmarks = 0
        self._caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "html":
            self.language = attributes.get("lang", "")
        elif tag in self.LANDMARKS:
            self._landmarks += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables.append(
                {"caption": "", "named_by": attributes.get("aria-labelledby", ""), "headers": 0}
            )
        elif tag == "caption":
            self._caption = True
        elif tag == "th" and self.tables:
            self.tables[-1]["headers"] = int(str(self.tables[-1]["headers"])) + 1
        elif tag == "img":
            self.pictures.append(("img", attributes.get("alt", "")))
        elif tag == "svg":
            self.pictures.append(
                ("svg", attributes.get("aria-label", "") if attributes.get("role") == "img" else "")
            )
        if tag in ("p", "h1", "h2", "h3", "table", "figure", "ul") and not self._landmarks:
            self.outside.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.LANDMARKS:
            self._landmarks -= 1
        elif tag == "caption":
            self._caption = False

    def handle_data(self, data: str) -> None:
        if self._caption and self.tables:
            self.tables[-1]["caption"] = str(self.tables[-1]["caption"]) + data


def test_the_html_report_reads_in_order_and_names_what_it_shows(hull_html: Path) -> None:
    text = hull_html.read_text(encoding="utf-8")
    read = _Structure()
    read.feed(text)
    assert read.language == "en-GB"
    assert read.headings[0] == 1 and read.headings.count(1) == 1
    steps = list(zip(read.headings, read.headings[1:], strict=False))
    assert all(after <= before + 1 for before, after in steps)  # no level skipped
    assert len(read.tables) == 4  # Figure 1, Section 4's two, the team
    for table in read.tables:
        named = str(table["caption"]).strip() or (
            table["named_by"] and table["named_by"] in read.ids
        )
        assert named and int(str(table["headers"])) >= 2, table
    assert [tag for tag, _ in read.pictures] == ["svg", "svg", "img"]
    assert all(name.strip() for _, name in read.pictures)
    assert read.outside == []  # every block inside the cover, the contents or the main text
    legends = re.findall(r'<ul class="legend">(.*?)</ul>', text)
    assert len(legends) == 2 and "Insufficient progress: 4" in legends[0]  # the counts, in words


def test_the_html_report_prints_on_a4_with_page_numbers(hull_html: Path) -> None:
    text = hull_html.read_text(encoding="utf-8")
    page = re.search(r"@page \{(.*?)\n", text)
    assert page and "size: A4" in page.group(1)
    assert re.search(r'@bottom-center \{ content: "Page " counter\(page\)', text)
    assert "@page :first { @bottom-center { content: none; } }" in text  # not on the cover


# -- in the browser, where it is installed --------------------------------------------------


def _axe(report: Path, profile: Path) -> dict[str, object]:
    chromium = _chromium()
    if shutil.which("node") is None or chromium is None:
        pytest.skip("node and Chromium are not installed (CONTRIBUTING.md)")
    if not (RUNNER / "node_modules" / "axe-core").is_dir():
        pytest.skip("axe-core is not installed: npm install --prefix tests/accessibility")
    done = subprocess.run(
        ["node", str(RUNNER / "axe_check.js"), str(report), str(profile), chromium],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.slow
def test_axe_finds_nothing_to_fix_in_the_html_report(hull_html: Path, tmp_path: Path) -> None:
    """WCAG 2.0-2.2 A and AA and axe's best practices: no violation of any impact. What axe
    cannot judge itself is only the contrast of the pies' one-digit counts (too short for
    it to call text), which ``charts.count_colour`` chooses at 4.5:1 or more
    (tests/test_report_charts.py proves it for every colour)."""
    result = _axe(hull_html, tmp_path / "profile")
    assert result["violations"] == [], json.dumps(result["violations"], indent=1)
    incomplete = result["incomplete"]
    assert isinstance(incomplete, list)
    assert {entry["id"] for entry in incomplete} <= {"color-contrast"}
    for entry in incomplete:
        assert all(target.startswith("text[") for target in entry["targets"]), entry
        assert entry["nodes"] == 4  # 2, 3 and 4 on Figure 2's slices, 3 on Figure 3's
    assert isinstance(result["passes"], int) and result["passes"] >= 30


@pytest.mark.slow
def test_chromium_prints_the_html_report_on_a4_with_page_numbers(
    hull_html: Path, tmp_path: Path
) -> None:
    chromium = _chromium()
    if chromium is None or shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.skip("Chromium and poppler-utils are not installed (CONTRIBUTING.md)")
    pdf = tmp_path / "hull.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",  # what the page numbers say is the report's own
            f"--print-to-pdf={pdf}",
            hull_html.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    from report_pdf import page_sizes, page_texts

    sizes = page_sizes(pdf)
    assert len(sizes) > 15
    assert all(abs(w - 595) < 2 and abs(h - 842) < 2 for w, h in sizes)  # A4, in points
    pages = page_texts(pdf)
    assert "Page" not in pages[0]  # the cover
    for number, page in enumerate(pages[1:], start=2):
        assert page.rstrip().endswith(f"Page {number}"), number
    assert any(  # the charts print with their legends
        "Good progress: 2" in page for page in pages
    )
