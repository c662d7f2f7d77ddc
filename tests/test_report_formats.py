"""The report on the Hull sample in all three formats, against the published report's words."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.findings.sync import sync
from irp_field.report.build import make

REFERENCE = Path("/work/shared/reference/hmp-hull-irp-2022.txt")
if not REFERENCE.exists():  # pragma: no cover - the reference lives beside the checkout
    REFERENCE = (
        Path(__file__).resolve().parents[2] / "shared" / "reference" / "hmp-hull-irp-2022.txt"
    )

pytestmark = pytest.mark.skipif(
    not REFERENCE.exists(), reason="the published Hull report is not here"
)


def reference_lines() -> list[str]:
    return [line.strip() for line in REFERENCE.read_text(encoding="utf-8").splitlines()]


def reference_paragraph(number: str) -> str:
    """Paragraph ``number`` of the published report, joining the lines a page break split."""
    lines = reference_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"- {number} "))
    text = lines[start].removeprefix(f"- {number} ")
    for line in lines[start + 1 :]:
        if not line:
            continue
        if line[0].islower():  # the rest of a sentence the page break cut
            text += f" {line}"
        break
    return text


def reference_section_4() -> list[str]:
    lines = reference_lines()
    start = lines.index("HMI Prisons recommendations")
    end = lines.index("Appendix I About this report")
    return [line for line in lines[start:end] if line]


def markdown_text(visit: VisitFile) -> str:
    _, text = make(visit, "markdown", sync_first=True)
    assert isinstance(text, str)
    return text


def test_markdown_reproduces_the_published_paragraphs_and_summary(hull: VisitFile) -> None:
    text = markdown_text(hull)
    lines = text.splitlines()
    for number in ("3.37", "3.39", "3.7", "3.46", "3.61"):
        assert f"{number} {reference_paragraph(number)}" in lines
    for sentence in (
        "HMI Prisons judged that there was good progress in two recommendations, reasonable progress "
        "in three recommendations and insufficient progress in four recommendations.",
        "Ofsted judged that there was reasonable progress in all three themes.",
    ):
        assert any(line.endswith(sentence) for line in reference_lines())
        assert any(line.endswith(sentence) for line in lines)
    section_4 = text.split("## Section 4 Summary of judgements")[1].split("## Appendix")[0]
    lines_4 = [line for line in section_4.splitlines()[3:] if line]
    # Each judgement in bold (told apart from the recommendation above it), words as published.
    bold = re.compile(r"\*\*(\w+( \w+)* progress)\*\*")
    judged = [line for line in lines_4 if bold.fullmatch(line)]
    assert len(judged) == 13
    ours = [bold.sub(r"\1", re.sub(r"^#+ ", "", line)) for line in lines_4]
    assert ours == reference_section_4()
    assert "(n=9)" in text and "(n=3)" in text
    assert "| Martin Lomas | Deputy Chief Inspector |" in text
    assert "Out of date" not in text


def test_a_report_without_sync_warns_at_its_top(hull: VisitFile) -> None:
    report, text = make(hull, "markdown")
    assert len(report.stale) == 66  # the 57 findings and the summary's 9 paragraphs
    assert isinstance(text, str)
    assert text.split("## Section 2")[0].count("Out of date: 66 paragraphs") == 1


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self.headings: list[str] = []
        self.svgs = 0
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "h1", "h2", "h3"):
            self._open, self._text = tag, []
        if tag == "svg":
            self.svgs += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            text = " ".join("".join(self._text).split())
            (self.paragraphs if tag == "p" else self.headings).append(text)
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


def test_html_is_one_self_contained_file(hull: VisitFile) -> None:
    _, text = make(hull, "html", sync_first=True)
    assert isinstance(text, str)
    parser = _Paragraphs()
    parser.feed(text)
    assert parser.svgs == 2
    assert "Section 4 Summary of judgements" in parser.headings
    assert f"3.39{reference_paragraph('3.39')}" in parser.paragraphs
    assert (
        "3.13We considered that the prison had made good progress against these recommendations."
        in (parser.paragraphs)
    )
    assert "@media print" in text
    assert not re.search(r"<(script|link)\b|src=\"http", text)


def _num_id(paragraph: Any) -> int:
    """The Word list a paragraph is numbered in (0 when it is not numbered)."""
    properties = paragraph._p.pPr
    if properties is None or properties.numPr is None:
        return 0
    return int(properties.numPr.numId.val)


def test_docx_has_word_headings_and_numbered_paragraphs(hull: VisitFile, tmp_path: Path) -> None:
    import io

    import docx
    from docx.oxml.ns import qn

    _, data = make(hull, "docx", sync_first=True)
    assert isinstance(data, bytes)
    document = docx.Document(io.BytesIO(data))
    styled = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    headings = [(style, text) for style, text in styled if style.startswith("Heading")]
    assert (
        "Heading 1",
        "Section 3 Progress against the key concerns and recommendations and Ofsted themes",
    ) in (headings)
    assert ("Heading 2", "Purposeful activity") in headings
    numbered = [(p.text, _num_id(p)) for p in document.paragraphs if _num_id(p)]
    ids = {num_id for _, num_id in numbered}
    assert len(ids) == 3  # one list each for Section 1 (1.1 ...), Section 2 (2.1 ...) and 3
    section_3 = [text for text, num_id in numbered if num_id == max(ids)]
    assert len(section_3) == 69
    assert section_3[36] == reference_paragraph("3.37")
    assert section_3[38] == reference_paragraph("3.39")
    levels = document.part.numbering_part.element.findall(qn("w:abstractNum"))
    texts = {lvl.find(qn("w:lvl")).find(qn("w:lvlText")).get(qn("w:val")) for lvl in levels}
    assert {"2.%1", "3.%1"} <= texts
    assert len(document.inline_shapes) == 3  # Figures 2 and 3, and the photograph in Section 3
    team = document.tables[-1]  # after Figure 1's table; its first row is the header row
    assert [c.text for c in team.rows[0].cells] == ["Name", "Role"]
    assert team.rows[1].cells[0].text == "Martin Lomas"


def test_changing_a_roll_check_changes_3_39_after_sync(hull_path: Path) -> None:
    from click.testing import CliRunner

    from irp_field.cli import main

    runner = CliRunner()
    assert runner.invoke(main, ["sync", str(hull_path)]).exit_code == 0
    assert runner.invoke(main, ["sync", str(hull_path), "--check"]).exit_code == 0
    with VisitFile.open(hull_path) as visit:
        row = visit.one(
            "SELECT r.id, r.locked_up, r.unlocked_on_wing FROM roll_check r JOIN location l "
            "ON l.id = r.location_id WHERE l.name = 'A wing' AND r.round_id = "
            "(SELECT id FROM roll_round WHERE name = 'Mon AM')"
        )
        assert row is not None
        with visit.transaction():
            visit.update(
                "roll_check",
                row["id"],
                {
                    "locked_up": row["locked_up"] + 27,
                    "unlocked_on_wing": row["unlocked_on_wing"] - 27,
                },
            )
    check = runner.invoke(main, ["sync", str(hull_path), "--check"])
    assert check.exit_code == 1
    assert "3.39  roll.pct_locked_up  40% -> 41%" in check.output
    synced = runner.invoke(main, ["sync", str(hull_path)])
    assert synced.exit_code == 0 and "3.39  roll.pct_locked_up  40% -> 41%" in synced.output
    assert runner.invoke(main, ["sync", str(hull_path), "--check"]).exit_code == 0
    with VisitFile.open(hull_path, readonly=True) as visit:
        text = markdown_text_readonly(visit)
    expected = reference_paragraph("3.39").replace("40% of the population", "41% of the population")
    assert f"3.39 {expected}" in text.splitlines()


def markdown_text_readonly(visit: VisitFile) -> str:
    _, text = make(visit, "markdown")
    assert isinstance(text, str)
    return text


def test_sync_is_needed_once_only(hull: VisitFile) -> None:
    assert sync(hull).written
    assert not sync(hull).written
