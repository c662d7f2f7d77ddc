"""The HTML report as a reader's browser lays it out: headless Chromium measures the Hull
sample's boxes (a script added to a copy of the report writes what it found into the
page, which ``--dump-dom`` prints). Nothing here looks at pixels.

Skipped where Chromium is not installed (CONTRIBUTING.md); ``CHROMIUM`` names one
elsewhere. The cover's structure needs no browser.
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

# What the page holds once laid out: the page's width and the widest thing in it, each
# Section 4 judgement's lines, and what reaches past the page's right edge.
PROBE = """<script>
(function () {
  var page = document.documentElement.clientWidth;
  var lines = function (node) {  // the distinct tops of its text's boxes
    var tops = {}, walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT), text;
    while ((text = walker.nextNode())) {
      var range = document.createRange(); range.selectNodeContents(text);
      Array.prototype.forEach.call(range.getClientRects(), function (r) {
        tops[Math.round(r.top)] = true; });
    }
    return Object.keys(tops).length;
  };
  var found = {
    page: page,
    scroll: document.documentElement.scrollWidth,
    judgements: Array.prototype.map.call(
      document.querySelectorAll("table.judgements td"),
      function (cell) { return [cell.textContent, lines(cell)]; }),
    past_the_edge: Array.prototype.filter.call(document.querySelectorAll("main *, header *"),
      function (e) { return e.getBoundingClientRect().right > page + 1; }
    ).map(function (e) { return e.tagName + ": " + e.textContent.slice(0, 60); })
  };
  var out = document.createElement("pre"); out.id = "probe";
  out.textContent = JSON.stringify(found); document.body.appendChild(out);
})();
</script>"""


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "chromium-headless-shell"):
        found = os.environ.get("CHROMIUM") or shutil.which(name)
        if found and Path(found).exists():
            return found
    return None


@pytest.fixture(scope="module")
def hull_html(hull_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("html-layout")
    shutil.copy(hull_template, folder / "hull.db")
    with VisitFile.open(folder / "hull.db", user="Sara Pennington") as visit:
        _, text = make(visit, "html", sync_first=True)
    assert isinstance(text, str)
    return text


def _laid_out(html: str, width: int, folder: Path) -> dict[str, object]:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed (CONTRIBUTING.md)")
    page = folder / "probe.html"
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",  # a phone's scroll bar takes no width: the page is all of it
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={folder / 'profile'}",
            f"--window-size={width},2000",
            "--virtual-time-budget=5000",  # the script has run before the page is printed
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    from html import unescape

    measured = json.loads(unescape(found.group(1)))
    assert isinstance(measured, dict)
    return measured


@pytest.mark.slow
@pytest.mark.parametrize("width", [320, 360, 400])
def test_a_phone_reads_the_report_without_scrolling_sideways(
    hull_html: str, tmp_path: Path, width: int
) -> None:
    """At 400 pixels the appendices' long web addresses (the Ofsted handbook's, the
    longer glossary's) ran past the right edge, and the whole page scrolled sideways; at
    360, Figure 1's table did too."""
    measured = _laid_out(hull_html, width, tmp_path)
    assert measured["past_the_edge"] == []
    assert measured["scroll"] == measured["page"]


@pytest.mark.slow
@pytest.mark.parametrize("width", [1200, 400])
def test_each_judgement_in_section_4_reads_on_one_line(
    hull_html: str, tmp_path: Path, width: int
) -> None:
    """ "Reasonable progress" broke after its first word in the judgement column, at a
    desktop's width and on paper, while the recommendations had room to spare."""
    measured = _laid_out(hull_html, width, tmp_path)
    judgements = measured["judgements"]
    assert isinstance(judgements, list) and len(judgements) == 13  # 10 recommendations, 3 themes
    assert [text for text, lines in judgements if lines != 1] == []


class _Cover(HTMLParser):
    """The title's text, and the establishment's name set apart in it."""

    def __init__(self) -> None:
        super().__init__()
        self.title: list[str] = []
        self.establishment: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1" or self._in:
            classes = (dict(attrs).get("class") or "").split()
            self._in.append("establishment" if "establishment" in classes else tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in:
            self.title.append(data)
        if "establishment" in self._in:
            self.establishment.append(data)


def test_the_cover_sets_the_establishment_apart_as_the_published_report_does(
    hull_html: str,
) -> None:
    """The published cover (and the Word report's) reads "Report on an independent review
    of progress at", then the establishment large on a line of its own; the HTML set it
    all as one heading, and its stylesheet's rule for the establishment styled nothing."""
    cover = _Cover()
    cover.feed(hull_html.split("</header>")[0])
    assert " ".join("".join(cover.title).split()) == (
        "Report on an independent review of progress at HMP Hull"
    )
    assert "".join(cover.establishment) == "HMP Hull"
    assert re.search(r"\.cover \.establishment \{[^}]*display: block", hull_html)
