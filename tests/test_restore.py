"""Restore: a record deleted by mistake brought back after the session that deleted it.

ctrl+z lifts a tombstone only in the session that set it; after a restart the record
was visible only in ``irp-field purge``'s list, with no way back but a hand's edit of
the file. ``irp-field restore`` lists a kind's deleted records and lifts one's
tombstone through the same step as ctrl+z: it counts again, its history says so, the
restore merges, and a purged record stays gone."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import cp

from irp_field import api
from irp_field.api import purges
from irp_field.api.roll_checks import delete_roll_check
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.evidence.history import record_history


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), terminal_width=200)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def checks_counted(path: Path) -> int:
    code, out = run("figures", str(path), "--json")
    assert code == 0, out
    return int(json.loads(out)["roll.checks"]["value"])


def rows(path: Path) -> list[tuple[object, ...]]:
    """The roll checks and the change log: what a restore would write."""
    with VisitFile.open(path, readonly=True) as visit:
        return [
            tuple(row)
            for table in ("roll_check", "change_log")
            for row in visit.query(f"SELECT * FROM {table} ORDER BY 1")
        ]


def delete_a_check(path: Path) -> str:
    """Delete the first roll check the list shows, in a session that then ends."""
    with VisitFile.open(path, user="Jade Richards") as visit:
        chosen = purges.purgeable(visit, "roll-check")[0]
        delete_roll_check(visit, chosen.id)
    return chosen.id


def test_a_check_deleted_in_an_earlier_session_is_listed_restored_and_counted(
    hull_path: Path,
) -> None:
    counted = checks_counted(hull_path)
    check_id = delete_a_check(hull_path)
    assert checks_counted(hull_path) == counted - 1

    code, listed = run("restore", str(hull_path), "roll-check")
    assert code == 0, listed
    (line,) = listed.splitlines()  # only the deleted one
    assert "(deleted)" in line
    short = line.split()[0]
    assert check_id.startswith(short)

    code, said = run("restore", str(hull_path), "roll-check", short, "--by", "Sam Leader")
    assert code == 0, said
    assert said.startswith("Restored roll check of ")
    assert checks_counted(hull_path) == counted
    with VisitFile.open(hull_path, readonly=True) as visit:
        steps = [entry.what for entry in record_history(visit, "roll_check", check_id)]
        assert steps[-2:] == ["deleted", "restored"]
        assert purges.deleted(visit, "roll-check") == []
    code, listed = run("restore", str(hull_path), "roll-check")
    assert (code, listed.strip()) == (0, "No deleted roll-check records to restore.")


def test_a_record_not_deleted_or_not_there_is_refused_in_one_line(hull_path: Path) -> None:
    with VisitFile.open(hull_path, readonly=True) as visit:
        live = purges.purgeable(visit, "roll-check")[0]
    before = rows(hull_path)

    code, said = run("restore", str(hull_path), "roll-check", live.id, "--by", "Sam Leader")
    assert code == 1
    assert said.strip() == f"Error: {live.what} is not deleted: nothing to restore"

    code, said = run("restore", str(hull_path), "roll-check", "zzzzzzzz", "--by", "Sam Leader")
    assert code == 1
    assert said.strip() == (
        "Error: no roll check 'zzzzzzzz' to restore in this visit (irp-field restore VISIT "
        "roll-check lists them)"
    )
    assert "Traceback" not in said
    assert rows(hull_path) == before


def test_a_purged_record_is_not_offered_and_cannot_be_restored(hull_path: Path) -> None:
    check_id = delete_a_check(hull_path)
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        purges.purge(visit, "roll-check", check_id, "counted on the wrong wing")

    code, listed = run("restore", str(hull_path), "roll-check")
    assert (code, listed.strip()) == (0, "No deleted roll-check records to restore.")
    code, said = run("restore", str(hull_path), "roll-check", check_id, "--by", "Sam Leader")
    assert code == 1
    assert "was purged for good: nothing of it is left to restore" in said
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert tuple(visit.one("SELECT deleted FROM roll_check WHERE id = ?", (check_id,))) == (1,)


def test_a_restore_travels_by_merge_to_a_copy_that_holds_the_delete(
    hull_path: Path, tmp_path: Path
) -> None:
    jade, master = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "master.db")
    check_id = delete_a_check(jade)
    code, out = run("merge", str(master), str(jade), "--by", "Sam Leader")
    assert code == 0, out
    counted = checks_counted(master)  # the delete merged
    code, out = run("restore", str(jade), "roll-check", check_id, "--by", "Jade Richards")
    assert code == 0, out

    code, out = run("merge", str(master), str(jade), "--by", "Sam Leader")
    assert code == 0, out
    assert "conflict" not in out
    assert checks_counted(master) == counted + 1


def test_the_json_lists_and_names_what_was_restored(hull_path: Path) -> None:
    note_id = None
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        note_id = api.record_note(
            visit, text="Spoke to the wing's officer", taken_at="2022-03-14T11:00"
        )
        visit.delete("note", note_id)

    code, out = run("restore", str(hull_path), "note", "--json")
    assert code == 0, out
    listed = json.loads(out)
    assert listed["kind"] == "note" and listed["restored"] == []
    (record,) = listed["records"]
    assert (record["id"], record["deleted"]) == (note_id, True)
    assert record["holds"] == "'Spoke to the wing's officer'"

    code, out = run(
        "restore", str(hull_path), "note", record["short"], "--json", "--by", "Jade Richards"
    )
    assert code == 0, out
    assert json.loads(out) == {"kind": "note", "records": [], "restored": [record["what"]]}


def test_a_deleted_records_text_from_elsewhere_is_listed_never_obeyed(hull_path: Path) -> None:
    """A note a hand wrote into a file (merged from another laptop) holding a terminal's
    escapes: ``restore`` and ``purge`` printed them raw to the terminal listing it (a
    window title set, a line that looked like the app's own)."""
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        note_id = api.record_note(visit, text="quiet wing", taken_at="2022-03-14T11:00")
        visit.delete("note", note_id)
    conn = sqlite3.connect(hull_path)
    with conn:
        conn.execute(
            "UPDATE note SET text = ? WHERE id = ?", ("evil \x1b]0;pwned\x07 end", note_id)
        )
    conn.close()
    for command in ("restore", "purge"):
        code, listed = run(command, str(hull_path), "note")
        assert code == 0, listed
        (line,) = [one for one in listed.splitlines() if "evil" in one]
        assert "\x1b" not in line and "\x07" not in line
        assert "\\x1b]0;pwned\\x07" in line  # written out, as check and search write it


def test_the_deleted_are_read_alone_not_every_record_of_the_kind(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+z with nothing to undo on F3 of a visit of a million checks named every
    check in Python to offer the few deleted: only the deleted are read and named now,
    their ids' starts still told apart from every other check's."""
    check_id = delete_a_check(hull_path)
    named: list[str] = []
    real = purges._Names.purgeable

    def counted(
        self: purges._Names, kind: purges.PurgeKind, row: dict[str, object]
    ) -> purges.Purgeable:
        named.append(str(row["id"]))
        return real(self, kind, row)

    monkeypatch.setattr(purges._Names, "purgeable", counted)
    with VisitFile.open(hull_path, readonly=True) as visit:
        (found,) = purges.deleted(visit, "roll-check")
        everything = purges.purgeable(visit, "roll-check")
    assert named[:1] == [check_id] and len(named) == 1 + len(everything) > 2
    assert found.short == next(p.short for p in everything if p.id == check_id)
