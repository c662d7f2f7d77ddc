"""`check` hands each roll check to its two Python judges in one pass (issue 24, aim 5):
the merge's row checks (types, texts, tombstones, stamps) and the rules' fast path
ride on one statement, so each check is fetched and made Python's values once. What the
two said apart they say together: the same findings, the same refusals, also when the
doubted checks are too many to keep (the rules then read them again themselves) and
when another table holds a row a merge refuses."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from read_spy import check_traced
from test_check import INSIDE, _hand_edit, _insert_rolls, _place

from irp_field.api.check import check_visit
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence import audit
from irp_field.replication import guard, row_checks

# A statement that reads the roll checks with one of our Python functions in it (every
# function irp-field registers on a connection is named irp_...).
_JUDGED = re.compile(r"FROM (main\.)?roll_check\b.*\birp_\w+\(", re.DOTALL)


def _judging_statements(visit: VisitFile) -> list[str]:
    report, said = check_traced(visit)
    assert report.integrity == "ok"
    return [statement for statement in said if _JUDGED.search(statement)]


def test_each_roll_check_is_judged_in_one_statement(hull_path: Path) -> None:
    """The rules' fast path and the merge's row checks were two passes over the checks,
    each calling into Python for every row (0.16 s and 0.27 s at 100,000 checks)."""
    with VisitFile.open(hull_path, readonly=True) as visit:
        judged = _judging_statements(visit)
    assert len(judged) == 1, judged


def test_the_one_pass_finds_what_the_two_found(hull_path: Path) -> None:
    """Hand-made checks the rules refuse, question or warn of, and one a merge refuses
    ('ten' for a count): every finding as the rules' own reading gives it, each row the
    merge refuses named as before."""
    _hand_edit(hull_path)
    with VisitFile.open(hull_path, readonly=True) as visit:
        alone = [found.verdict.message for found in audit.roll_check_findings(visit)]
        report = check_visit(visit)
    said = report.problems + report.warnings
    assert len(alone) > 40
    assert len([line for line in said if "a merge would refuse it" in line]) == 1  # "ten"
    shown = [line for line in said if line.startswith("roll check ") and " in round " not in line]
    assert len(shown) >= 9 and {line.split(": ", 1)[1] for line in shown} <= set(alone)


@pytest.mark.parametrize("kept", [0, 3, 10_000])
def test_doubted_checks_past_the_bound_are_read_again_by_the_rules(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch, kept: int
) -> None:
    """A pass keeps at most ``KEPT_DOUBTED`` doubted rows (memory stays bounded when a
    change of the visit's dates puts a million checks in doubt); past it the rules read
    the checks themselves, and say the same."""
    _hand_edit(hull_path)
    with VisitFile.open(hull_path, readonly=True) as visit:
        before = check_visit(visit)
    monkeypatch.setattr(row_checks, "KEPT_DOUBTED", kept)
    with VisitFile.open(hull_path, readonly=True) as visit:
        riding = audit.RollChecksRiding(visit)
        with pytest.raises(IrpError, match="wrong type"):  # 'ten' for a count
            guard.check_rows(
                visit.conn, visit.path, accept_skew=True, riding={"roll_check": riding}
            )
        assert (riding.doubted is None) == (kept < 50)
        after = check_visit(visit)
        ridden = [repr(found) for found in audit.roll_check_findings(visit, riding)]
        alone = [repr(found) for found in audit.roll_check_findings(visit)]
    assert (after.problems, after.warnings) == (before.problems, before.warnings)
    assert ridden == alone


def test_a_refused_row_in_another_table_leaves_the_checks_judged(hull_path: Path) -> None:
    """A location (read before the checks) whose stamp a merge refuses: the pass still
    reads every check for the rules, in the same one statement."""
    conn = sqlite3.connect(hull_path)
    with conn:
        a_wing = _place(conn, "A wing")
        _insert_rolls(conn, [(INSIDE, a_wing, 10, 20, 0, 0, 0, 0, "")] * 8)  # above the roll
        conn.execute("UPDATE location SET version = 'not a stamp' WHERE id = ?", (a_wing,))
    conn.close()
    with VisitFile.open(hull_path, readonly=True) as visit:
        riding = audit.RollChecksRiding(visit)
        with pytest.raises(IrpError, match="is not a stamp"):
            guard.check_rows(
                visit.conn, visit.path, accept_skew=True, riding={"roll_check": riding}
            )
        assert riding.doubted is not None and len(riding.doubted) == 8
        report = check_visit(visit)
    assert any("is not a stamp (a merge would refuse it)" in line for line in report.problems)
    assert len([line for line in report.problems if "more than the roll of 10" in line]) == 5
