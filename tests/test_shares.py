"""A share has one definition (issue 25 §2): ``domain.shares``."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from irp_field.domain.shares import share, share_sql, whole, whole_sql


def test_a_share_is_computed_in_the_domain_alone() -> None:
    """The share locked up was computed in five places (the figures, the export's
    tables, a round's row, the roll-check form). Every share is now ``share`` (or its SQL
    form, ``share_sql``): no other module divides by a roll, or in SQL by a NULLIF."""
    package = Path(__file__).resolve().parents[1] / "irp_field"
    divided = re.compile(r"locked_up\s*/|/\s*\(?\s*counts\.roll|/\s*NULLIF\(|_share\(")
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "shares.py"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if divided.search(line)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("part", "whole"), [(40, 100), (0, 7), (None, 5), (3, 0), (3, None), (1, 3), (2, 3)]
)
def test_the_sql_form_is_the_share_rounded_for_the_analysts(
    part: int | None, whole: int | None
) -> None:
    """The analysts' tables and the figures say the same share (to four places), and
    nothing over nothing counted is no share in both."""
    said = sqlite3.connect(":memory:").execute(
        f"SELECT {share_sql('COALESCE(?, 0)', '?')}", (part, whole)
    )
    [(in_sql,)] = said.fetchall()
    in_python = share(part, whole)
    assert (in_sql is None) == (in_python is None)
    if in_python is not None:
        assert in_sql == round(in_python, 4)


def test_the_sql_form_of_a_whole_round_asks_what_the_figures_ask() -> None:
    """``locked_up_by_round.whole`` (SQL) and the figures' whole rounds (Python) are
    one rule: every location of the visit counted, and a visit with none has none."""
    conn = sqlite3.connect(":memory:")
    for counted in range(5):
        for locations in range(4):
            said = conn.execute(f"SELECT {whole_sql(str(counted), str(locations))}")
            [(in_sql,)] = said.fetchall()
            assert in_sql == int(whole(counted, locations)), (counted, locations)
