"""What a merge says: a line per file and one for the whole (its dry run too), new
conflicts counted as `conflicts` then lists them, and one round started on two laptops
under two spellings kept as the target had it, with a warning (issue 22's traps)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from merge_helpers import content, cp

from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.evidence import rounds
from irp_field.replication.conflicts import open_conflicts, resolve
from irp_field.replication.merge import merge_visits


def _laptops(hull_path: Path, tmp_path: Path, *names: str) -> list[Path]:
    return [cp(hull_path, tmp_path / f"{name}.db") for name in names]


def _first_note(path: Path) -> str:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.one("SELECT id FROM note ORDER BY id LIMIT 1")
        assert row is not None
        return str(row["id"])


def _edit_note(path: Path, note_id: str, text: str, user: str) -> None:
    with VisitFile.open(path, user=user) as visit, visit.transaction():
        visit.update("note", note_id, {"text": text})


def _add_note(path: Path, text: str, user: str) -> None:
    with VisitFile.open(path, user=user) as visit, visit.transaction():
        visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": text})


def test_a_dry_run_has_a_line_per_file_and_one_for_them_all(
    hull_path: Path, tmp_path: Path
) -> None:
    """The dry run showed one block for all the files: the guide says per file."""
    master, jade, paul, priya = _laptops(hull_path, tmp_path, "master", "jade", "paul", "priya")
    _add_note(jade, "Jade: association cancelled on C wing", "Jade Richards")
    _add_note(jade, "Jade: no showers on C wing", "Jade Richards")
    _add_note(paul, "Paul: the gym was shut", "Paul Rowlands")
    dry = merge_visits(master, [jade, paul, priya], dry_run=True)
    assert dry.by_file[jade]["note"].new == 2
    assert dry.by_file[paul]["note"].new == 1
    assert not any(c.total for c in dry.by_file[priya].values())
    assert dry.counts["note"].new == 3
    result = CliRunner().invoke(
        main, ["merge", str(master), str(jade), str(paul), str(priya), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    rows = [line.strip("│ ").split("│") for line in result.output.splitlines() if "│" in line]
    cells = {row[0].strip(): [cell.strip() for cell in row[1:]] for row in rows if row[0].strip()}
    assert cells["jade.db"][:5] == ["2", "0", "0", "0", "notes 2"]
    assert cells["paul.db"][:5] == ["1", "0", "0", "0", "notes 1"]
    assert cells["priya.db"][:5] == ["0", "0", "0", "0", "nothing new"]
    assert cells["all 3 files"][:5] == ["3", "0", "0", "0", "notes 3"]
    real = merge_visits(master, [jade, paul, priya])
    assert real.by_file == dry.by_file and real.counts == dry.counts


def test_merging_the_settled_master_back_says_no_new_conflict(
    hull_path: Path, tmp_path: Path
) -> None:
    """Merging the master back onto a laptop printed "1 new conflict(s)" for the conflict
    the team leader had settled on the master, and `conflicts` then said "No open
    conflicts": a merge's new conflicts are those open after it that were not before."""
    master, jade, paul = _laptops(hull_path, tmp_path, "master", "jade", "paul")
    note = _first_note(jade)
    _edit_note(jade, note, "Jade: staff said the regime was curtailed", "Jade Richards")
    _edit_note(paul, note, "Paul: staff said the regime ran as planned", "Paul Rowlands")
    assert merge_visits(master, [jade, paul]).conflicts == 1
    with VisitFile.open(master, user="Sara Pennington") as visit:
        [conflict] = open_conflicts(visit)
        resolve(visit, conflict.id, "kept")
    runner = CliRunner()
    merged = runner.invoke(main, ["merge", str(jade), str(master)])
    assert merged.exit_code == 0, merged.output
    listed = runner.invoke(main, ["conflicts", str(jade)])
    assert "No open conflicts." in listed.output
    assert "new conflict" not in merged.output
    with VisitFile.open(jade, readonly=True) as visit:
        assert open_conflicts(visit) == []


def test_new_conflicts_are_those_conflicts_then_lists(hull_path: Path, tmp_path: Path) -> None:
    """Unsettled, the master's conflict reaches a laptop that edited nothing: one new
    conflict said, one listed; and each file's line carries the conflicts it opened."""
    master, jade, paul, priya = _laptops(hull_path, tmp_path, "master", "jade", "paul", "priya")
    note = _first_note(jade)
    _edit_note(jade, note, "Jade's words", "Jade Richards")
    _edit_note(paul, note, "Paul's words", "Paul Rowlands")
    report = merge_visits(master, [jade, paul])
    assert report.conflicts == 1
    assert report.by_file[paul]["note"].conflicts == 1
    assert report.by_file[jade].get("note") is None or report.by_file[jade]["note"].conflicts == 0
    back = merge_visits(priya, [master])
    with VisitFile.open(priya, readonly=True) as visit:
        assert back.conflicts == len(open_conflicts(visit)) == 1


def _start(path: Path, name: str, at: str, user: str) -> None:
    with VisitFile.open(path, user=user) as visit:
        rounds.start_round(visit, name, "2022-03-15", at)


def _round_names(path: Path) -> list[tuple[str, str]]:
    with VisitFile.open(path, readonly=True) as visit:
        return [(r.name, r.at_time) for r in rounds.rounds(visit) if r.on_date == "2022-03-15"]


def test_one_round_started_on_two_laptops_keeps_the_targets_name_and_says_so(
    hull_path: Path, tmp_path: Path
) -> None:
    """Two laptops' rounds "Tue AM" at 10:00 and "Tue am" at 10:04 were one round (the
    name, case aside, is its key), quietly renamed to the second. The master keeps its
    own name and time and the merge says so; merged back, every laptop agrees, with no
    conflict and no second warning."""
    master, paul = _laptops(hull_path, tmp_path, "master", "paul")
    before = _round_names(master)
    _start(master, "Tue AM extra", "10:00", "Sara Pennington")
    _start(paul, "Tue am extra", "10:04", "Paul Rowlands")  # stamped later: it used to win
    dry = merge_visits(master, [paul], dry_run=True)
    runner = CliRunner()
    merged = runner.invoke(main, ["merge", str(master), str(paul)])
    assert merged.exit_code == 0, merged.output
    assert _round_names(master) == sorted([*before, ("Tue AM extra", "10:00")])
    said = " ".join(merged.output.split())
    assert (
        "Warning: paul.db: round 'Tue am extra' (2022-03-15 10:04) is this visit's 'Tue AM "
        "extra' (2022-03-15 10:00), started on two laptops: kept 'Tue AM extra'" in said
    )
    assert len(dry.rounds_met) == 1 and "kept 'Tue AM extra'" in dry.rounds_met[0]
    with VisitFile.open(master, readonly=True) as visit:
        assert open_conflicts(visit) == []
    back = merge_visits(paul, [master])
    assert back.rounds_met == [] and back.conflicts == 0
    assert _round_names(paul) == _round_names(master)
    assert content(paul)["roll_round"] == content(master)["roll_round"]


def test_the_round_kept_is_the_targets_whichever_stamp_is_later(
    hull_path: Path, tmp_path: Path
) -> None:
    master, paul = _laptops(hull_path, tmp_path, "master", "paul")
    _start(paul, "Tue am extra", "10:04", "Paul Rowlands")
    _start(master, "Tue AM extra", "10:00", "Sara Pennington")  # the later stamp, kept
    report = merge_visits(master, [paul])
    assert ("Tue AM extra", "10:00") in _round_names(master)
    assert len(report.rounds_met) == 1
    merge_visits(paul, [master])
    assert content(paul)["roll_round"] == content(master)["roll_round"]
    with VisitFile.open(paul, readonly=True) as visit:
        assert open_conflicts(visit) == []
