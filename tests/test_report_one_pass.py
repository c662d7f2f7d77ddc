"""The report in one pass: a report made with --sync computes the figures once, reads the
sync states once and the cited evidence once, and says what a fresh load would."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from irp_field import figures
from irp_field.core.visit_file import VisitFile
from irp_field.findings import paragraphs as finding_store
from irp_field.findings.sync import load, sync
from irp_field.report import content, inputs
from irp_field.report.build import make

# Each is looked up through its module (``figure_registry.compute``,
# ``finding_store.sync_states``, ``finding_store.cited_evidence``), so patching the
# module's attribute sees every call.
COUNTED: tuple[tuple[Any, str], ...] = (
    (figures, "compute"),
    (finding_store, "sync_states"),
    (finding_store, "cited_evidence"),
)


def count_reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    calls: Counter[str] = Counter()
    for module, name in COUNTED:
        real = getattr(module, name)

        def counted(*args: Any, _real: Callable[..., Any] = real, _name: str = name) -> Any:
            calls[_name] += 1
            return _real(*args)

        monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize("synced_before", [False, True], ids=["never-synced", "synced-before"])
def test_a_report_with_sync_reads_everything_once(
    hull: VisitFile, monkeypatch: pytest.MonkeyPatch, synced_before: bool
) -> None:
    if synced_before:
        assert sync(hull).written
    _, expected = make(hull, "markdown")  # uncounted: the text the counted run must give
    calls = count_reads(monkeypatch)
    _, text = make(hull, "markdown", sync_first=True)
    assert calls == {"compute": 1, "sync_states": 1, "cited_evidence": 1}
    if synced_before:
        assert text == expected
    assert "Out of date" not in text
    # The sync really wrote: a check afterwards finds nothing to do.
    monkeypatch.undo()
    assert sync(hull, check=True).stale_numbers == []
    assert not sync(hull).written


def test_the_cli_report_with_sync_reads_everything_once(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from irp_field.cli import main

    calls = count_reads(monkeypatch)
    result = CliRunner().invoke(main, ["report", str(hull_path), "--format", "md", "--sync"])
    assert result.exit_code == 0, result.output
    assert calls == {"compute": 1, "sync_states": 1, "cited_evidence": 1}
    assert "## Section 2 Key findings" in result.output
    assert "Out of date" not in result.output


def test_a_report_made_after_a_sync_is_the_report_a_fresh_load_makes(
    hull: VisitFile,
) -> None:
    _, synced_text = make(hull, "markdown", sync_first=True)
    _, again = make(hull, "markdown")
    assert synced_text == again
    assert content.build(inputs.load(hull, load(hull))).stale == []


def test_cited_evidence_read_together_is_what_each_paragraph_reads_alone(
    hull: VisitFile,
) -> None:
    findings = finding_store.all_findings(hull)
    rounds = [  # cited by name (as typed) and by id (as stored since issue 13)
        finding_store.ROUND_PREFIX + row[0]
        for row in hull.query("SELECT name, id FROM roll_round WHERE deleted = 0 ORDER BY name")
    ] + [finding_store.ROUND_PREFIX + row[0] for row in hull.query("SELECT id FROM roll_round")]
    rows = [
        item.id
        for item in finding_store.citable_evidence(hull)
        if not item.id.startswith(finding_store.ROUND_PREFIX)
    ]
    rows += [row["id"] for row in hull.query("SELECT id FROM note WHERE deleted = 0 LIMIT 3")]
    others = [*rows, *rounds, "round:no such round", "nope", ""]
    asked = [i for f in findings for i in f.evidence] + others
    alone: dict[str, finding_store.EvidenceItem] = {}
    for f in findings:
        alone.update(finding_store.cited_evidence(hull, f.evidence))
    for cited in others:
        alone.update(finding_store.cited_evidence(hull, [cited]))
    statements: list[str] = []
    hull.conn.set_trace_callback(statements.append)
    try:
        together = finding_store.cited_evidence(hull, asked)
    finally:
        hull.conn.set_trace_callback(None)
    assert together == alone
    assert len(together) == len(set(rows)) + len(rounds) and len(rows) > 3 and len(rounds) >= 2
    # One query per evidence table and one for all the rounds, whatever the number of ids.
    assert len(statements) == len(finding_store._CITABLE) + 1
    # Rounds come after the rows, in the order asked for.
    assert [i for i in together if i.startswith(finding_store.ROUND_PREFIX)] == rounds
