"""Findings templates are a bounded language: figures, filters, ``~``, arithmetic and
``{% if %}``; no loops or calls; a paragraph and what it renders are capped. A hostile
paragraph (typed, or arriving by merge) is refused in one line naming it, everywhere."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from irp_field import figures
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.findings import bounds
from irp_field.findings.templates import FindingError, Renderer

BOMBS = [
    '{{ "x".ljust(200*1000*1000) }}',
    '{{ "x".ljust(200000000) }}',
    "{% for a in 'abcdefghij' %}{% for b in 'abcdefghij' %}{% for c in 'abcdefghij' %}"
    "{% for d in 'abcdefghij' %}{% for e in 'abcdefghij' %}{% for f in 'abcdefghij' %}"
    "{% for g in 'abcdefghij' %}{% for h in 'abcdefghij' %}{% for i in 'abcdefghij' %}"
    "{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
    "{% endfor %}{% endfor %}",
    '{{ "abcdefghij".replace("a", "aaaaaaaaaa").replace("a", "aaaaaaaaaa") }}',
    '{% set x = "a" %}{{ x }}',
    "{% macro m() %}x{% endmacro %}{{ m() }}",
    '{{ "%0999999999d" % 1 }}',
    '{{ "{:>999999999}".format(1) }}',
]


@pytest.mark.parametrize("template", BOMBS)
def test_a_bomb_is_refused_at_once_without_costing_anything(hull: VisitFile, template: str) -> None:
    renderer = Renderer(figures.compute(hull))
    tracemalloc.start()
    with pytest.raises(FindingError, match=r"^paragraph 3\.9 \(1\.38\): ") as refused:
        renderer.render(f"Text {template}", "paragraph 3.9 (1.38)")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "\n" not in str(refused.value)
    assert peak < 20_000_000, peak  # the time each takes: bench/refusals.py


def test_what_paragraphs_need_still_renders(hull: VisitFile) -> None:
    renderer = Renderer(figures.compute(hull))
    text = (
        "{{ roll.pct_locked_up }} were locked up ({{ data.prev_pct_locked_up | words }} "
        "before); {% if 3 > 2 %}too many{% else %}fewer{% endif %}. "
        "{{ 'A' ~ 'B' }} {{ 2 * 3 }}"
    )
    rendered = renderer.render(text, "paragraph 3.9 (1.38)").text
    assert rendered.startswith("40% were locked up (almost half before); ")
    assert rendered.endswith("AB 6")


def test_a_paragraph_over_the_limit_is_refused_and_so_is_its_output(
    hull: VisitFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    renderer = Renderer(figures.compute(hull))
    with pytest.raises(FindingError, match="at most 100,000"):
        renderer.render("x" * (bounds.SOURCE_LIMIT + 1), "paragraph 3.9 (1.38)")
    monkeypatch.setattr(bounds, "OUTPUT_LIMIT", 10)
    with pytest.raises(FindingError, match="renders to 12 characters; at most 10"):
        renderer.render("{{ 'abcdef' ~ 'ghijkl' }}", "paragraph 3.9 (1.38)")


def test_a_hostile_paragraph_that_arrived_by_merge_is_refused_in_one_line_everywhere(
    hull_path: Path, tmp_path: Path
) -> None:
    with VisitFile.open(hull_path) as visit, visit.transaction():
        item = visit.one("SELECT id FROM plan_item WHERE ref = '1.38'")
        assert item is not None
        visit.insert(  # as a merge writes it: no check on the way in
            "finding",
            {"plan_item_id": item["id"], "position": 99, "text": BOMBS[0], "evidence": "[]"},
        )
    runner = CliRunner()
    for args in (
        ["findings", "list", str(hull_path)],
        ["sync", str(hull_path)],
        ["report", str(hull_path), "--format", "md"],
        ["findings", "add", str(hull_path), "1.38", BOMBS[2]],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: paragraph 3."), (args, lines)
        assert "is not allowed in findings templates" in lines[0]
