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
from irp_field.findings.templates import FindingError, Renderer, outside_the_language

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


BY_A_MEMBER = ["--by", "Sara Pennington"]  # Hull's team leader


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
    for args, where in (
        (["findings", "list", str(hull_path)], "paragraph 3."),
        (["sync", str(hull_path)], "paragraph 3."),
        (["report", str(hull_path), "--format", "md"], "paragraph 3."),
        # an add renders only what it adds (issue 24): a hostile new text is refused as itself
        # (by a team member: who records a paragraph is held to the team since 0.14.0)
        (
            ["findings", "add", str(hull_path), "1.38", BOMBS[2], *BY_A_MEMBER],
            "new paragraph for 1.38",
        ),
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {where}"), (args, lines)
        assert "is not allowed in findings templates" in lines[0]
    # and the merged paragraph blocks no other work: a sound paragraph is added beside it,
    # while every command that renders them all still names it
    added = runner.invoke(
        main, ["findings", "add", str(hull_path), "1.38", "Staff were kind.", *BY_A_MEMBER]
    )
    assert added.exit_code == 0, added.output
    still = runner.invoke(main, ["sync", str(hull_path)])
    assert still.exit_code == 1 and still.output.startswith("Error: paragraph 3."), still.output


# -- issue 20: depth and literals, bounded before the parser recurses -------------------

DEEP = {  # a paragraph a hand (or a merge) could store -> what it is refused for
    "3,000 nested parentheses": ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "nested more"),
    "a 5,000-digit number": ("{{ " + "9" * 5000 + " }}", "a number of 5,000 characters"),
    "a 5,000-digit decimal": ("{{ 0." + "9" * 5000 + " }}", "a number of 5,002 characters"),
    "5,000 additions": ("{{ " + "+".join(["1"] * 5000) + " }}", "more than 100 words"),
    "3,000 minus signs": ("{{ " + "-" * 3000 + "1 }}", "more than 100 words"),
    "3,000 nested lists": ("{{ " + "[" * 3000 + "]" * 3000 + " }}", "nested more"),
    "500 nested ifs": ("{% if 1 %}" * 500 + "x" + "{% endif %}" * 500, "more than 20 deep"),
    "5,000 elifs": ("{% if 0 %}a" + "{% elif 0 %}b" * 5000 + "{% endif %}", "more than 20 deep"),
    "3,000 nested withs": ("{% with %}" * 3000 + "{% endwith %}" * 3000, "is not allowed"),
    "a quoted text of 2,000": ('{{ "' + "x" * 2000 + '" }}', "a quoted text of 2,000"),
}


@pytest.mark.parametrize("name", DEEP)
def test_a_deep_or_long_template_is_refused_in_one_line_before_it_is_parsed(
    hull: VisitFile, name: str
) -> None:
    """3,000 parentheses gave check and the merge a RecursionError, 5,000 digits a
    ValueError (Python's limit on turning digits into a number)."""
    text, why = DEEP[name]
    refused = outside_the_language(f"Text {text}")
    assert refused is not None and why in refused, refused
    with pytest.raises(FindingError, match=r"^paragraph 3\.9 \(1\.38\): refused: ") as error:
        Renderer(figures.compute(hull)).render(f"Text {text}", "paragraph 3.9 (1.38)")
    assert why in str(error.value) and "\n" not in str(error.value)


def _deepest_within_the_bounds() -> dict[str, str]:
    """Templates as deep as the bounds allow, each way a template can be deep."""
    b, t, n = bounds.BRACKET_LIMIT, bounds.TAG_LIMIT, bounds.NESTING_LIMIT

    def tag(size: int) -> str:  # ``size`` tokens: brackets as deep as allowed, then minuses
        return "(" * b + "-" * (size - 2 * b - 1) + "1" + ")" * b

    return {
        "minus signs in brackets": "{{ " + tag(t) + " }}",
        "conditions": "{{ " + " if 1 else ".join(["1"] * (t // 4)) + " }}",
        "conditions in brackets": "{{ " + "(1 if 1 else " * b + "1" + ")" * b + " }}",
        "additions": "{{ " + "+".join(["1"] * (t // 2)) + " }}",
        "filters": "{{ 1" + "|number" * ((t - 1) // 2) + " }}",
        "nested ifs": ("{% if " + tag(t - 1) + " %}") * n + "x" + "{% endif %}" * n,
        "elifs": "{% if 0 %}a" + ("{% elif " + tag(t - 1) + " %}b") * (n - 1) + "{% endif %}",
        "numbers": "{{ "
        + "9" * bounds.NUMBER_LIMIT
        + " * 0."
        + "9" * (bounds.NUMBER_LIMIT - 2)
        + " }}",
        "a quoted text": '{{ "' + "x" * bounds.STRING_LIMIT + '" }}',
    }


def test_the_deepest_template_the_bounds_allow_renders_with_600_frames_to_spare(
    hull: VisitFile,
) -> None:
    """The bounds keep parsing, compiling and rendering far from Python's recursion limit
    (1,000): each template as deep as they allow renders with only 400 frames more than
    this test already uses, so it reads the same in a screen's worker thread."""
    import sys

    renderer = Renderer(figures.compute(hull))
    depth = len(__import__("inspect").stack(0))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 400)
    try:
        for name, text in _deepest_within_the_bounds().items():
            assert outside_the_language(text) is None, name
            try:
                renderer.render(text, name)  # a RecursionError would be "cannot render"
            except FindingError as error:  # a filter given the text another filter made
                assert name == "filters" and "needs a figure or a number" in str(error)
    finally:
        sys.setrecursionlimit(limit)


@pytest.mark.parametrize("name", ["3,000 nested parentheses", "a 5,000-digit number"])
def test_a_deep_paragraph_merged_or_hand_edited_is_refused_in_one_line_everywhere(
    hull_path: Path, tmp_path: Path, name: str
) -> None:
    """check and merge stopped with a traceback; the command line and a bundle refused."""
    from merge_helpers import cp, file_hash

    from irp_field.domain.errors import IrpError
    from irp_field.replication.merge import merge_visits

    text, why = DEEP[name]
    laptop = cp(hull_path, tmp_path / "laptop.db")
    with VisitFile.open(laptop) as visit, visit.transaction():
        item = visit.one("SELECT id FROM plan_item WHERE ref = '1.38'")
        assert item is not None
        visit.insert(  # as a hand or a merge writes it: no check on the way in
            "finding", {"plan_item_id": item["id"], "position": 99, "text": text, "evidence": "[]"}
        )
    runner = CliRunner()
    check = runner.invoke(main, ["check", str(laptop)])
    assert check.exit_code == 1 and "Traceback" not in check.output, check.output
    said = " ".join(check.output.split())
    assert f"findings paragraph under 1.38 ('{text[:12]}" in said and why in said, check.output
    before = file_hash(hull_path)
    with pytest.raises(IrpError) as refused:
        merge_visits(hull_path, [laptop])
    assert "laptop.db" in str(refused.value) and "under 1.38" in str(refused.value)
    assert why in str(refused.value) and "\n" not in str(refused.value)
    assert file_hash(hull_path) == before
    merged = runner.invoke(main, ["merge", str(hull_path), str(laptop)])
    assert merged.exit_code == 1 and len(merged.output.strip().splitlines()) == 1, merged.output
    for args in (["findings", "list", str(laptop)], ["sync", str(laptop)],
                 ["report", str(laptop), "--format", "md"]):  # fmt: skip
        result = runner.invoke(main, args)
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: paragraph 3."), (args, lines)
        assert why in lines[0], lines
