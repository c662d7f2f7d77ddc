"""Which plan item a paragraph is under, on the command line: a paragraph moved to
another item (an edit that keeps its history, merges, renumbers and passes check), the
numbers an add renumbers said, and the out-of-date mark of ``findings list`` explained."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from merge_helpers import cp

from irp_field.api.check import check_visit
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.findings.sync import load, sync
from irp_field.replication.merge import merge_visits

BY = ("--by", "Sara Pennington")  # Hull's team leader: who records is held to the team


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _under(path: Path) -> dict[str, tuple[str, str]]:
    """finding id -> (its unit, its number), as the report numbers them."""
    with VisitFile.open(path, readonly=True) as visit:
        return {
            p.paragraph.finding.id: (p.paragraph.unit, p.paragraph.number)
            for p in load(visit).paragraphs
            if p.paragraph.finding is not None and p.paragraph.number.startswith("3.")
        }


def test_a_paragraph_moves_to_another_plan_item_by_edit_plan_ref(hull_path: Path) -> None:
    with VisitFile.open(hull_path) as visit:
        sync(visit)  # in step with the evidence before the move
    before = _under(hull_path)
    moved = next(i for i, (unit, number) in before.items() if number == "3.1")
    code, out, err = run("findings", "edit", str(hull_path), "3.1", "--plan-ref", "1.38")
    assert code == 0, err
    # 1.38's written paragraphs were 3.37 to 3.40: the moved one follows them, and
    # those between it and them move up one.
    assert out == ("Moved paragraph 3.1 to 1.38: it is now 3.40; 3.2-3.40 are now 3.1-3.39.\n")
    after = _under(hull_path)
    assert after[moved] == ("1.38", "3.40")
    assert [i for i in after if i != moved] == [i for i in before if i != moved]
    code, out, _ = run("findings", "list", str(hull_path), "1.38")
    assert "  3.40  The senior team had made considerable effort" in out
    assert "  3.41  We considered that the prison had made insufficient progress" in out
    with VisitFile.open(hull_path, readonly=True) as visit:
        # an edit with its history, not a new paragraph; the words unchanged stay in step
        assert visit.one("SELECT COUNT(*) AS n FROM finding WHERE id = ?", (moved,))["n"] == 1
        logged = visit.query(
            "SELECT action, new FROM change_log WHERE row_id = ? ORDER BY rowid", (moved,)
        )
        assert logged[-1]["action"] == "update" and "plan_item_id" in logged[-1]["new"]
        assert moved not in {
            p.paragraph.finding.id for p in load(visit).stale if p.paragraph.finding
        }
        assert check_visit(visit).ok


def test_a_move_merges_as_an_edit(hull_path: Path, tmp_path: Path) -> None:
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    moved = next(i for i, (_, number) in _under(paul).items() if number == "3.1")
    code, _, err = run("findings", "edit", str(paul), moved, "--plan-ref", "1.38")
    assert code == 0, err
    report = merge_visits(jade, [paul])
    assert report.counts["finding"].new == 0  # the same row, edited
    assert _under(jade) == _under(paul)
    assert _under(jade)[moved] == ("1.38", "3.40")


def test_a_move_with_new_words_and_refusals(hull_path: Path) -> None:
    code, out, _ = run(
        "findings", "edit", str(hull_path), "3.2", "Strategies tailored.", "--plan-ref", "1.34b"
    )
    assert code == 0
    # a group's paragraphs are filed under its first item and follow its own
    assert out == (
        "Edited and moved paragraph 3.2 to 1.34b: it is now 3.12; 3.3-3.12 are now 3.2-3.11.\n"
    )
    code, out, _ = run("findings", "list", str(hull_path), "1.34a")
    assert "3.12  Strategies tailored." in out and "3.13  We considered" in out
    code, _, err = run("findings", "edit", str(hull_path), "3.12", "--plan-ref", "1.34a")
    assert code == 1 and "paragraph 3.12 is already under 1.34" in err
    code, _, err = run("findings", "edit", str(hull_path), "3.12", "--plan-ref", "9.99")
    assert code == 1 and "no plan item '9.99'" in err
    code, _, err = run("findings", "edit", str(hull_path), "3.12")
    assert code == 2 and "give the new TEXT, --cite or --plan-ref REF" in err


def test_an_add_says_the_paragraphs_it_renumbered(hull_path: Path) -> None:
    code, out, _ = run("findings", "add", str(hull_path), "1.33", "A sixth paragraph.", *BY)
    assert code == 0
    first, second = out.splitlines()
    assert first.startswith("Added paragraph 3.6 to 1.33 (id ")
    # the conclusion was 3.6; the last of the report (6.19's conclusion) was 3.69
    assert second == "Renumbered after it: 3.6-3.69 are now 3.7-3.70."
    code, out, _ = run("findings", "add", str(hull_path), "6.19", "At the very end.", *BY)
    assert code == 0 and out.splitlines()[1] == "Renumbered after it: 3.70 is now 3.71."


def test_findings_list_explains_its_star(hull_path: Path) -> None:
    code, out, _ = run("findings", "list", str(hull_path), "1.33")
    assert code == 0 and " *3.1  " in out
    assert out.rstrip().splitlines()[-1] == (
        "* out of date: not synced since the paragraph or the evidence it quotes changed; "
        "irp-field sync brings it up to date"
    )
    run("sync", str(hull_path))
    code, out, _ = run("findings", "list", str(hull_path), "1.33")
    assert "*" not in out  # nothing marked: nothing to explain
