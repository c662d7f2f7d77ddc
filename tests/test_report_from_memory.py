"""A report made from an input built in memory: ``content.build`` and the three writers
need no visit file, and only ``report.inputs`` (with ``report.build``) reads one."""

from __future__ import annotations

import ast
import io
import sqlite3
from pathlib import Path

import pytest
from docx import Document

import irp_field.report
from irp_field.domain.plan import HMIP_SCALE, Judgement, PlanItem
from irp_field.findings import outline
from irp_field.findings.paragraphs import Finding, SyncState
from irp_field.findings.sync import FindingsState, RenderedParagraph
from irp_field.report import content, html, markdown, word
from irp_field.report.front import Parts
from irp_field.report.inputs import ReportInput

ITEM = PlanItem(
    id="p1",
    ref="1.33",
    kind="recommendation",
    body="HMIP",
    area="Purposeful activity",
    concern="Prisoners spent too long locked in their cells.",
    text="Prisoners should have at least ten hours out of cell every day",
    group="",
    position=1,
)
PARAGRAPH = "Staff told us that 37% of prisoners were locked up during the working day."


def _in_memory() -> ReportInput:
    finding = Finding("f1", ITEM.id, 1.0, PARAGRAPH, (), "v1", "Sara Pennington")
    judged = {"1.33": Judgement("1.33", HMIP_SCALE.key, "reasonable", "", "Sara Pennington", "v")}
    sections = outline.build([ITEM], [finding], judged)
    written = outline.paragraphs(sections)[0]
    synced = SyncState("f1", "v1", PARAGRAPH, {}, "2022-03-16T18:00")
    return ReportInput(
        establishment="HMP Testbridge",
        start_date="2022-03-14",
        end_date="2022-03-16",
        previous_inspection="2021-06-01",
        findings=FindingsState(
            sections, [RenderedParagraph(written, PARAGRAPH, synced, synced)], {}
        ),
        parts=Parts({"about": "An IRP follows up an inspection.", "back_page": "Crown copyright"}),
        team=(("Sara Pennington", "Team leader"), ("Jade Richards", "Inspector")),
    )


def test_a_report_is_made_from_an_input_built_in_memory_with_no_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_database(*args: object, **kwargs: object) -> None:
        raise AssertionError("the report reached for a database")

    monkeypatch.setattr(sqlite3, "connect", no_database)
    report = content.build(_in_memory())
    text = markdown.write(report)
    assert report.title == "Report on an independent review of progress at HMP Testbridge"
    assert report.dates == "14–16 March 2022" and report.author == "Sara Pennington"
    assert f"3.1 {PARAGRAPH}" in text.replace("**", "").replace("\\.", ".")
    assert "We considered that the prison had made reasonable progress against this " in text
    assert "Prisoners spent too long locked in their cells." in text
    assert "(1.33)" in text and "Jade Richards" in text and "Crown copyright" in text
    assert "from the full inspection in 2021" in text
    page = html.write(report)
    assert PARAGRAPH in page and "HMP Testbridge" in page
    out = io.BytesIO()
    word.write(report, out)
    document = Document(io.BytesIO(out.getvalue()))
    assert any(PARAGRAPH in p.text for p in document.paragraphs)


def test_only_the_input_reader_opens_a_visit() -> None:
    """``report.inputs`` reads the visit once; every other module of the report works from
    what it read (``build`` passes the visit to it)."""
    folder = Path(irp_field.report.__file__).parent
    reaching = []
    for module in sorted(folder.glob("*.py")):
        if module.name in ("inputs.py", "build.py"):
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in (
                "irp_field.core.visit_file",
                "irp_field.evidence.reads",
            ):
                reaching.append(f"{module.name}: {node.module}")
            if isinstance(node, ast.ImportFrom) and node.module == "irp_field.evidence":
                names = {alias.name for alias in node.names}
                if names & {"reads", "attachments"} and module.name != "photographs.py":
                    reaching.append(f"{module.name}: {sorted(names)}")
    assert reaching == []
