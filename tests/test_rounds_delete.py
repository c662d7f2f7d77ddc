"""Deleting a round started by mistake (an empty round left behind by ctrl+n on F3):
the command, the API, a name used again, undo, check and a merge with another laptop's
check in the deleted round."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from merge_helpers import content, cp

from irp_field import api, figures
from irp_field.api import evidence, roll_checks
from irp_field.api import rounds as rounds_api
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence import audit
from irp_field.replication.merge import merge_visits

COUNTS = api.RollCounts(100, 40, 20, 10, 25, 5)


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _start_wed_x(path: Path) -> str:
    """The round F3's ctrl+n writes at once, before any check is saved in it."""
    with VisitFile.open(path, user="Jade Richards") as visit:
        return evidence.start_round(visit, "Wed X", "2022-03-16", "18:00").id


def _round_row(path: Path, round_id: str) -> tuple[str, int]:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.one("SELECT name, deleted FROM roll_round WHERE id = ?", (round_id,))
    assert row is not None
    return str(row[0]), int(row[1])


# -- the command ----------------------------------------------------------------------


def test_rounds_delete_deletes_an_empty_round(hull_path: Path) -> None:
    round_id = _start_wed_x(hull_path)
    listed = _run("rounds", "list", str(hull_path))
    assert "Wed X" in listed.output and "0 of 11" in listed.output
    deleted = _run("rounds", "delete", str(hull_path), "wed x")
    assert deleted.exit_code == 0, deleted.output
    assert deleted.output == "Round Wed X (2022-03-16 18:00) deleted.\n"
    assert _round_row(hull_path, round_id) == ("Wed X", 1)  # a tombstone, not gone
    listed = _run("rounds", "list", str(hull_path))
    assert "Wed X" not in listed.output and "Mon AM" in listed.output
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert rounds_api.find_round(visit, "Wed X") is None
        assert round_id not in {r.id for r in evidence.rounds(visit)}
        logged = visit.one(
            "SELECT changed_by FROM change_log WHERE row_id = ? AND action = 'update'",
            (round_id,),
        )
        assert logged is not None


def test_rounds_delete_by_id(hull_path: Path) -> None:
    round_id = _start_wed_x(hull_path)
    deleted = _run("rounds", "delete", str(hull_path), round_id)
    assert deleted.exit_code == 0, deleted.output
    assert _round_row(hull_path, round_id) == ("Wed X", 1)


def test_rounds_delete_refuses_a_round_with_checks(hull_path: Path) -> None:
    before = content(hull_path)
    refused = _run("rounds", "delete", str(hull_path), "Mon AM")
    assert refused.exit_code == 1
    assert refused.output.count("\n") == 1 and "Traceback" not in refused.output
    assert "round Mon AM has 11 check(s)" in refused.output
    assert content(hull_path) == before  # nothing written


def test_rounds_delete_refuses_an_unknown_round(hull_path: Path) -> None:
    before = content(hull_path)
    refused = _run("rounds", "delete", str(hull_path), "Fri eve")
    assert refused.exit_code == 1 and refused.output.count("\n") == 1
    assert "no round named 'Fri eve'" in refused.output
    assert content(hull_path) == before  # nothing written
    round_id = _start_wed_x(hull_path)
    assert _run("rounds", "delete", str(hull_path), "Wed X").exit_code == 0
    again = _run("rounds", "delete", str(hull_path), round_id)  # deleted already
    assert again.exit_code == 1 and "no round named" in again.output


def test_a_round_whose_checks_were_deleted_can_be_deleted(hull: VisitFile) -> None:
    check = evidence.record_roll_check(
        hull, location_id="A wing", counts=COUNTS, taken_at="2022-03-16T18:00",
        round_label="Wed X",
    )  # fmt: skip
    wed_x = rounds_api.find_round(hull, "Wed X")
    assert wed_x is not None
    with pytest.raises(IrpError, match="round Wed X has 1 check"):
        evidence.delete_round(hull, wed_x.id)
    roll_checks.delete_roll_check(hull, check)
    evidence.delete_round(hull, wed_x.id)
    assert rounds_api.find_round(hull, "Wed X") is None


# -- the name used again, undo --------------------------------------------------------


def test_a_deleted_round_s_name_can_be_used_again(hull: VisitFile) -> None:
    first = evidence.start_round(hull, "Wed X", "2022-03-16", "18:00")
    evidence.delete_round(hull, first.id)
    again = evidence.start_round(hull, "wed x", "2022-03-16", "19:30")
    assert (again.name, again.at_time, again.counted) == ("wed x", "19:30", 0)
    assert [r.name for r in evidence.rounds(hull)].count("wed x") == 1
    # A check's round label finds (or starts) it the same way.
    evidence.delete_round(hull, again.id)
    evidence.record_roll_check(
        hull, location_id="A wing", counts=COUNTS, taken_at="2022-03-16T18:05",
        round_label="Wed X",
    )  # fmt: skip
    found = rounds_api.find_round(hull, "Wed X")
    assert found is not None and found.counted == 1
    assert not [f for f in audit.everything(hull) if f.kind in ("round", "roll check")]


def test_a_renamed_then_deleted_round_s_names_can_be_used_again(hull: VisitFile) -> None:
    first = evidence.start_round(hull, "Wed X", "2022-03-16", "18:00")
    evidence.edit_round(hull, first.id, name="Wed Y", on_date="2022-03-16", at_time="18:00")
    evidence.delete_round(hull, first.id)
    for name in ("Wed X", "Wed Y"):
        started = evidence.start_round(hull, name, "2022-03-16", "18:00")
        assert started.name == name and started.counted == 0
    names = [r.name for r in evidence.rounds(hull)]
    assert names.count("Wed X") == names.count("Wed Y") == 1


def test_the_command_line_round_name_used_again(hull_path: Path) -> None:
    _start_wed_x(hull_path)
    assert _run("rounds", "delete", str(hull_path), "Wed X").exit_code == 0
    _start_wed_x(hull_path)
    listed = _run("rounds", "list", str(hull_path))
    assert listed.output.count("Wed X") == 1


def test_undoing_a_round_delete(hull: VisitFile) -> None:
    from irp_field.api import history

    wed_x = evidence.start_round(hull, "Wed X", "2022-03-16", "18:00")
    with history.recording(hull) as changes:
        evidence.delete_round(hull, wed_x.id)
    assert rounds_api.find_round(hull, "Wed X") is None
    assert history.undo(hull, changes) == 1
    back = rounds_api.find_round(hull, "Wed X")
    assert back is not None and back.id == wed_x.id
    assert [e.what for e in history.record_history(hull, "roll_round", wed_x.id)] == [
        "added",
        "deleted",
        "restored",
    ]


# -- check and the merge --------------------------------------------------------------


def test_check_says_nothing_of_a_deleted_empty_round(hull_path: Path) -> None:
    before = _run("check", str(hull_path))
    _start_wed_x(hull_path)
    assert _run("rounds", "delete", str(hull_path), "Wed X").exit_code == 0
    after = _run("check", str(hull_path))
    assert after.exit_code == before.exit_code == 0
    assert after.output == before.output and "Wed X" not in after.output


def test_a_check_in_a_round_deleted_on_another_laptop_is_kept(
    hull_path: Path, tmp_path: Path
) -> None:
    with VisitFile.open(hull_path, readonly=True) as visit:
        rounds_before = figures.compute(visit)["roll.rounds"].value
    round_id = _start_wed_x(hull_path)
    jade = cp(hull_path, tmp_path / "jade.db")
    paul = cp(hull_path, tmp_path / "paul.db")
    assert _run("rounds", "delete", str(jade), "Wed X", "--by", "Jade Richards").exit_code == 0
    with VisitFile.open(paul, user="Paul Jones") as visit:
        evidence.record_roll_check(
            visit, location_id="B wing", counts=COUNTS, taken_at="2022-03-16T18:05",
            round_label="Wed X",
        )  # fmt: skip
    both_ways = (
        (cp(jade, tmp_path / "jade_paul.db"), paul),
        (cp(paul, tmp_path / "paul_jade.db"), jade),
    )
    for target, source in both_ways:
        merge_visits(target, [source])
        assert _round_row(target, round_id) == ("Wed X", 1)  # the delete merged
        shown = _run("figures", str(target), "--json")
        assert json.loads(shown.output)["roll.checks"]["value"] == 67  # 66 + Paul's
        listed = _run("rounds", "list", str(target))
        assert "Wed X" in listed.output and "1 of 11" in listed.output
        with VisitFile.open(target, readonly=True) as visit:
            assert figures.compute(visit)["roll.rounds"].value == rounds_before + 1
            [held] = roll_checks.round_checks(visit, round_id)
            assert held.location == "B wing"
        checked = _run("check", str(target))
        assert checked.exit_code == 0, checked.output  # a warning, not a problem
        assert "round Wed X was deleted but holds 1 check(s)" in checked.output
        # The round cannot be deleted while it holds Paul's check; editing it keeps it.
        refused = _run("rounds", "delete", str(target), "Wed X")
        assert refused.exit_code == 1 and "has 1 check(s)" in refused.output
        kept = _run("rounds", "edit", str(target), "wed x")
        assert kept.exit_code == 0, kept.output
        assert _round_row(target, round_id) == ("Wed X", 0)
        assert "Wed X" not in _run("check", str(target)).output


def test_a_round_deleted_but_counted_in_is_found_and_its_name_taken(
    hull_path: Path, tmp_path: Path
) -> None:
    round_id = _start_wed_x(hull_path)
    paul = cp(hull_path, tmp_path / "paul.db")
    assert _run("rounds", "delete", str(hull_path), "Wed X").exit_code == 0
    with VisitFile.open(paul, user="Paul Jones") as visit:
        evidence.record_roll_check(
            visit, location_id="B wing", counts=COUNTS, taken_at="2022-03-16T18:05",
            round_label="Wed X",
        )  # fmt: skip
    merge_visits(hull_path, [paul])
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        found = rounds_api.find_round(visit, "wed x")
        assert found is not None and found.id == round_id and found.counted == 1
        # Another round of its name is refused, as for any listed round ...
        with pytest.raises(IrpError, match="already has a round named 'Wed X'"):
            evidence.start_round(visit, "Wed X", "2022-03-16", "20:00")
        # ... and a check of another location saved in it goes into it, its time kept.
        evidence.record_roll_check(
            visit, location_id="A wing", counts=COUNTS, taken_at="2022-03-16T19:00",
            round_label="Wed X",
        )  # fmt: skip
        again = rounds_api.round_by_id(visit, round_id)
        assert again is not None and (again.at_time, again.counted) == ("18:00", 2)
    # An analyst's export holds the round its checks are in.
    from irp_field.interchange.export import export_visits

    out = tmp_path / "hull.sqlite"
    export_visits([hull_path], "sqlite", out)
    conn = sqlite3.connect(out)
    joined = "FROM roll_check r JOIN roll_round o ON o.id = r.round_id WHERE o.name = 'Wed X'"
    assert conn.execute(f"SELECT COUNT(*) {joined}").fetchone()[0] == 2
    conn.close()
