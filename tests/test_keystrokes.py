"""Keys per record typed from paper (issue 22): the targets hold, so they cannot slip.

``bench/keystrokes.py`` types paper sheets through the real screens (a round of 11
locations in the inspector's route order at the round's time, a round walked out of
order and at other times, two new rounds, time out of cell for three subjects over two
days, a sample's answers) and counts every key. Key counts do not depend on the machine,
so the targets are asserted here; the bench prints them beside the digits the paper
holds. What was typed must also be in the file, as the sheet has it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "keystrokes.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("keystrokes", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["keystrokes"] = module  # its dataclasses look themselves up by module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # about 800 keys, each waited for as a person would: a minute on a busy worker
async def test_a_sheet_typed_from_paper_costs_its_digits_and_a_handful_of_keys(
    hull_path: Path,
) -> None:
    keys = _bench()
    keys.draw(hull_path)
    records = await keys.type_sheets(hull_path, (80, 24))
    assert keys.landed(hull_path) == []  # every check, period and answer as on the sheet
    lines = {line.kind: line for line in keys.lines(records)}
    assert set(lines) == set(keys.TARGETS)  # every kind of record was typed
    over = {
        kind: (line.other, line.target)
        for kind, line in lines.items()
        if line.target is not None and line.other > line.target
    }
    assert over == {}, keys.table(list(lines.values()))
    # the model: one key a cell
    assert lines[keys.ANSWER].keys == 1
    # a check in route order at the round's time: its digits, five Enters and ctrl+s
    assert lines[keys.ROUTE].other == 6
