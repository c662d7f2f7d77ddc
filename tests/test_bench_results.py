"""bench/RESULTS.md ends with what bounds each target still missed, written by
``python bench/run.py`` from its ``MISSES``: the section has one home, and an edit made to
the results file alone (two branches did so, 2026-12-08) is lost at the next full run."""

from __future__ import annotations

import ast
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
HEADING = "## Targets near the line, and what bounds them"


def _misses() -> str:
    """``MISSES`` as bench/run.py holds it, read without running the script."""
    tree = ast.parse((BENCH / "run.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["MISSES"]:  # type: ignore[attr-defined]
            assert isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            return node.value.value
    raise AssertionError("bench/run.py has no MISSES")


def test_the_targets_near_the_line_are_run_py_s() -> None:
    results = (BENCH / "RESULTS.md").read_text(encoding="utf-8")
    assert results.count(HEADING) == 1
    section = results[results.index(HEADING) :]
    assert _misses().strip() == section.strip()
