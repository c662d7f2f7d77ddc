"""Rounds are records, and a location counts once per round: through the API, the import,
the merge, check and the figures; the migration of files from before (issue 13)."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from pathlib import Path

import pytest
from merge_helpers import cp

from irp_field import api, figures
from irp_field.api import evidence, roll_checks
from irp_field.api import rounds as rounds_api
from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import InputError
from irp_field.domain.rounds import default_moment, hour_round_name, new_name, suggest_name
from irp_field.domain.verdicts import RecordRefused
from irp_field.domain.visit import VisitDates
from irp_field.evidence import audit
from irp_field.replication.merge import merge_visits

HEADER = "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,elsewhere,round,inspector,note\n"
COUNTS = api.RollCounts(100, 40, 20, 10, 25, 5)


def _checks(visit: VisitFile, where: str = "") -> int:
    return int(visit.one(f"SELECT COUNT(*) FROM roll_check WHERE deleted = 0 {where}")[0])  # type: ignore[index]


# -- the domain ---------------------------------------------------------------------


def test_names_suggested_from_the_time() -> None:
    assert suggest_name("2022-03-15T09:40", {}) == "Tue AM"
    assert suggest_name("2022-03-15T14:10", {}) == "Tue PM"
    assert suggest_name("2022-03-15T19:00", {}) == "Tue eve"
    assert suggest_name("2022-03-15T14:10", {"tue pm": "2022-03-15"}) == "Tue PM"
    assert suggest_name("2022-03-22T14:10", {"tue pm": "2022-03-15"}) == "Tue 22 Mar PM"
    assert hour_round_name("2022-03-14T10:37") == "Mon 14 Mar 10:00"
    assert new_name("2022-03-15T14:10", {}) == "Tue PM"
    # A second round of one half-day is the first's numbered sibling, never a name that
    # reads as another day's ("Tue 15 Mar PM" beside "Tue PM", both on the 15th).
    taken = {"tue pm": "2022-03-15"}
    assert new_name("2022-03-15T14:10", taken) == "Tue PM 2"
    assert new_name("2022-03-15T16:40", {**taken, "tue pm 2": "2022-03-15"}) == "Tue PM 3"
    # The date only when a round of that name is on another day (a visit over two weeks).
    taken = {"tue pm": "2022-03-08"}
    assert new_name("2022-03-15T14:10", taken) == "Tue 15 Mar PM"
    taken = {"tue pm": "2022-03-08", "tue 15 mar pm": "2022-03-15"}
    assert new_name("2022-03-15T14:10", taken) == "Tue 15 Mar PM 2"


def test_a_new_record_is_dated_now_inside_the_visit_or_on_its_last_day() -> None:
    import datetime as dt

    visit = VisitDates("2022-03-14", "2022-03-16")
    assert default_moment(dt.datetime(2022, 3, 15, 10, 5, 31), visit) == "2022-03-15T10:05"
    assert default_moment(dt.datetime(2024, 1, 1, 9, 30), visit) == "2022-03-16T09:30"
    assert default_moment(dt.datetime(2024, 1, 1, 9, 30), VisitDates("", "")) == "2024-01-01T09:30"


# -- the API --------------------------------------------------------------------------


def test_a_location_counted_again_in_a_round_is_refused_or_replaced(hull: VisitFile) -> None:
    before = figures.compute(hull)["roll.checks"].value
    with pytest.raises(RecordRefused, match="A wing is already counted in round Mon AM"):
        evidence.record_roll_check(
            hull, location_id="A wing", counts=COUNTS, taken_at="2022-03-14T10:30",
            round_label="mon am",
        )  # fmt: skip
    assert figures.compute(hull)["roll.checks"].value == before
    check = evidence.record_roll_check(
        hull, location_id="A wing", counts=COUNTS, taken_at="2022-03-14T10:30",
        round_label="Mon AM", replace=True,
    )  # fmt: skip
    assert figures.compute(hull)["roll.checks"].value == before
    stored = roll_checks.get_check(hull, check)
    assert stored is not None and stored.counts == COUNTS and stored.taken_at == "2022-03-14T10:30"


def test_a_check_without_a_round_goes_into_the_round_of_its_hour(empty_visit: VisitFile) -> None:
    api.add_location(empty_visit, "A wing")
    evidence.record_roll_check(
        empty_visit, location_id="A wing", counts=COUNTS, taken_at="2022-03-14T10:37"
    )
    listed = evidence.rounds(empty_visit)
    assert [(r.name, r.on_date, r.at_time, r.counted) for r in listed] == [
        ("Mon 14 Mar 10:00", "2022-03-14", "10:37", 1)
    ]


def test_editing_a_check_and_renaming_its_round(hull: VisitFile) -> None:
    mon_am = rounds_api.find_round(hull, "Mon AM")
    assert mon_am is not None and mon_am.counted == 11
    a_wing = roll_checks.find_location(hull, "A wing")
    check = roll_checks.check_id(hull, mon_am.id, a_wing.id)
    assert evidence.edit_roll_check(hull, check, counts=COUNTS, taken_at="2022-03-14T10:02")
    evidence.edit_round(
        hull, mon_am.id, name="Monday morning", on_date="2022-03-14", at_time="10:00"
    )
    renamed = rounds_api.round_by_id(hull, mon_am.id)
    assert renamed is not None and renamed.name == "Monday morning" and renamed.counted == 11
    assert rounds_api.find_round(hull, "Mon AM") is None
    with pytest.raises(RecordRefused, match="already has a round named 'Tue AM'"):
        evidence.edit_round(hull, mon_am.id, name="tue am", on_date="2022-03-14", at_time="10:00")
    # A new round of the old name is another round, with ids of its own.
    again = evidence.start_round(hull, "Mon AM", "2022-03-14", "11:00")
    assert again.id != mon_am.id and again.counted == 0


def test_a_cited_round_stays_cited_when_renamed(hull: VisitFile) -> None:
    from irp_field.findings import paragraphs

    cited = paragraphs.check_citations(hull, ["round:mon am"])
    mon_am = rounds_api.find_round(hull, "Mon AM")
    assert mon_am is not None and cited == [f"round:{mon_am.id}"]
    evidence.edit_round(hull, mon_am.id, name="Mon 10am", on_date="2022-03-14", at_time="10:00")
    found = paragraphs.cited_evidence(hull, cited)
    assert found[cited[0]].summary.startswith("Mon 10am: 11 checks")


# -- the import -----------------------------------------------------------------------


def test_an_import_names_both_lines_of_a_location_counted_twice(
    hull_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "twice.csv"
    path.write_text(
        HEADER
        + "2022-03-16T18:00,A wing,100,40,20,10,25,5,Wed eve,,\n"
        + "2022-03-16T18:05,B wing,100,40,20,10,25,5,Wed eve,,\n"
        + "2022-03-16T18:40,a wing,100,41,20,10,24,5,wed eve,,\n"
    )
    with VisitFile.open(hull_path) as visit:
        with pytest.raises(InputError) as refused:
            evidence.import_csv(visit, "roll-checks", path)
        assert "line 4, column round: a wing is already counted in round Wed eve (line 2)" in str(
            refused.value
        ) or "line 4, column round: A wing is already counted in round Wed eve (line 2)" in str(
            refused.value
        )
        assert rounds_api.find_round(visit, "Wed eve") is None  # nothing written
        result = evidence.import_csv(visit, "roll-checks", path, replace=True)
        assert result.rows == 3
        wed_eve = rounds_api.find_round(visit, "Wed eve")
        assert wed_eve is not None and wed_eve.counted == 2
        a_wing = [c for c in roll_checks.round_checks(visit, wed_eve.id) if c.location == "A wing"]
        assert [c.counts.locked_up for c in a_wing] == [41]  # the later line


def test_an_import_refuses_a_location_already_counted_in_the_visit(
    hull_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "again.csv"
    path.write_text(HEADER + "2022-03-14T10:40,B wing,100,40,20,10,25,5,Mon AM,,\n")
    with VisitFile.open(hull_path) as visit:
        with pytest.raises(
            InputError,
            match="B wing is already counted in round Mon AM \\(at 10:06, already in the visit\\)",
        ):
            evidence.import_csv(visit, "roll-checks", path)
        assert evidence.import_csv(visit, "roll-checks", path, replace=True).rows == 1
        assert _checks(visit) == 66


def test_the_command_line_import_replace(hull_path: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from irp_field.cli import main

    path = tmp_path / "again.csv"
    path.write_text(HEADER + "2022-03-14T10:40,B wing,100,40,20,10,25,5,Mon AM,,\n")
    refused = CliRunner().invoke(main, ["import", str(hull_path), "roll-checks", str(path)])
    assert refused.exit_code == 1 and "already counted in round Mon AM" in refused.output
    done = CliRunner().invoke(
        main, ["import", str(hull_path), "roll-checks", str(path), "--replace"]
    )
    assert done.exit_code == 0, done.output
    shown = CliRunner().invoke(main, ["figures", str(hull_path), "--json"])
    assert json.loads(shown.output)["roll.checks"]["value"] == 66


# -- the merge ------------------------------------------------------------------------


def test_two_laptops_counting_one_location_in_one_round_make_one_record(
    hull_path: Path, tmp_path: Path
) -> None:
    jade = cp(hull_path, tmp_path / "jade.db")
    paul = cp(hull_path, tmp_path / "paul.db")
    for path, who, locked in ((jade, "Jade Richards", 40), (paul, "Paul Jones", 45)):
        with VisitFile.open(path, user=who) as visit:
            evidence.record_roll_check(
                visit, location_id="B wing", counts=api.RollCounts(100, locked, 20, 10, 65 - locked, 5),
                taken_at="2022-03-16T18:00", round_label="Wed eve",
            )  # fmt: skip
    report = merge_visits(jade, [paul])
    assert report.conflicts == 1
    with VisitFile.open(jade, readonly=True) as visit:
        wed_eve = rounds_api.find_round(visit, "Wed eve")
        assert wed_eve is not None and wed_eve.counted == 1
        assert figures.compute(visit)["roll.checks"].value == 67  # 66 + one, not two
        conflict = visit.one("SELECT table_name FROM conflict WHERE deleted = 0")
        assert conflict is not None and conflict[0] == "roll_check"


def test_check_finds_a_location_counted_twice_by_a_hand(hull_path: Path) -> None:
    conn = sqlite3.connect(hull_path)
    with conn:
        conn.execute(
            "INSERT INTO roll_check (id, taken_at, location_id, roll, locked_up, "
            "unlocked_on_wing, round_id) SELECT ?, taken_at, location_id, roll, roll, 0, "
            "round_id FROM roll_check WHERE deleted = 0 LIMIT 1",
            (str(uuid.uuid4()),),
        )
    conn.close()
    with VisitFile.open(hull_path, readonly=True) as visit:
        found = [f for f in audit.everything(visit) if f.verdict.field == "round"]
    assert (
        len(found) == 1
        and "is already counted in round" in found[0].verdict.message
        and "(2 checks)" in found[0].verdict.message
    )


# -- the migration of a file from before schema 5 -----------------------------------


def _schema_3(path: Path) -> sqlite3.Connection:
    """Take a new file back to the roll checks of schema 3: a round was a label."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE roll_check")
    conn.execute("DROP TABLE roll_round")
    conn.execute(
        f"CREATE TABLE roll_check ({schema.BOOKKEEPING},{schema.ROLL_CHECK_BEFORE_5}) WITHOUT ROWID"
    )
    # the table as schema 3 had it: the migrations that made or changed it since run again
    again = ["m005_rounds", *(n for n, (t, _) in schema.ADDED_COLUMNS.items() if t == "roll_check")]
    conn.executemany("DELETE FROM _sqlite_migrations WHERE name = ?", [(n,) for n in again])
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    return conn


def test_a_file_with_a_hidden_round_and_a_location_counted_twice_migrates(tmp_path: Path) -> None:
    with VisitFile.create(
        tmp_path / "old.db", establishment="HMP Old", start_date="2022-03-14", end_date="2022-03-16"
    ) as visit:
        a_wing = api.add_location(visit, "A wing")
        b_wing = api.add_location(visit, "B wing")
        visit_id = visit.visit_id
    conn = _schema_3(tmp_path / "old.db")
    rows = [  # id, taken_at, location, locked up, round, version
        ("01", "2022-03-14T10:00", a_wing, 10, "Mon AM", "1647252000000.000001.aa"),
        ("02", "2022-03-14T10:05", b_wing, 20, "Mon AM", "1647252000000.000002.aa"),
        ("03", "2022-03-14T10:20", a_wing, 30, "Mon AM", "1647252000000.000003.aa"),  # again
        ("04", "2022-03-15T14:10", a_wing, 40, "", "1647252000000.000004.aa"),  # hidden
        ("05", "2022-03-15T14:20", b_wing, 50, "", "1647252000000.000005.aa"),  # hidden
    ]
    for check_id, taken_at, place, locked, label, version in rows:
        conn.execute(
            "INSERT INTO roll_check (id, created_by, version, taken_at, location_id, roll, "
            "locked_up, unlocked_on_wing, round) VALUES (?, 'Jade', ?, ?, ?, 100, ?, ?, ?)",
            (check_id, version, taken_at, place, locked, 100 - locked, label),
        )
        conn.execute(
            "INSERT INTO change_log (id, table_name, row_id, action, version, changed_by) "
            "VALUES (?, 'roll_check', ?, 'insert', ?, 'Jade')",
            (f"log-{check_id}", check_id, version),
        )
    conn.execute(
        "INSERT INTO finding (id, plan_item_id, text, evidence) VALUES ('f1', '', 'x', ?)",
        (json.dumps(["04", "round:Mon AM"]),),
    )
    conn.close()
    with VisitFile.open(tmp_path / "old.db") as visit:
        assert visit.schema_version == schema.SCHEMA_VERSION
        listed = [(r.name, r.on_date, r.at_time, r.counted) for r in evidence.rounds(visit)]
        assert listed == [
            ("Mon AM", "2022-03-14", "10:00", 2),
            ("Tue 15 Mar 14:00", "2022-03-15", "14:00", 2),  # the hidden round, shown
        ]
        mon_am = rounds_api.find_round(visit, "Mon AM")
        assert mon_am is not None
        kept = {c.location: c.counts.locked_up for c in roll_checks.round_checks(visit, mon_am.id)}
        assert kept == {"A wing": 30, "B wing": 20}  # the later check of A wing counts
        assert figures.compute(visit)["roll.checks"].value == 4
        assert figures.compute(visit)["roll.rounds"].value == 2
        # The first check of A wing is kept, deleted, and its history says why.
        set_aside = visit.one("SELECT deleted FROM roll_check WHERE id = '01'")
        assert set_aside is not None and set_aside[0] == 1
        said = visit.one(
            "SELECT changed_by FROM change_log WHERE row_id = '01' AND action = 'update'"
        )
        assert said is not None and said[0] == "irp-field (schema 5)"
        # Every live check is keyed by its round and location; history and citations follow.
        hidden_a = roll_checks.check_id(
            visit, rounds_api.find_round(visit, "Tue 15 Mar 14:00").id, a_wing
        )  # type: ignore[union-attr]
        assert visit.one("SELECT row_id FROM change_log WHERE id = 'log-04'")[0] == hidden_a  # type: ignore[index]
        cited = json.loads(visit.one("SELECT evidence FROM finding WHERE id = 'f1'")[0])  # type: ignore[index]
        assert cited == [hidden_a, "round:Mon AM"]
        assert not [f for f in audit.everything(visit) if f.kind in ("round", "roll check")]
        # The hidden round can be renamed like any other.
        tue = rounds_api.find_round(visit, "Tue 15 Mar 14:00")
        assert tue is not None
        evidence.edit_round(visit, tue.id, name="Tue PM", on_date="2022-03-15", at_time="14:00")
        assert [r.name for r in evidence.rounds(visit)] == ["Mon AM", "Tue PM"]
    assert visit_id


def test_a_merge_refuses_a_check_not_keyed_by_its_round_and_location(
    hull_path: Path, tmp_path: Path
) -> None:
    from merge_helpers import file_hash

    from irp_field.domain.errors import IrpError

    laptop = cp(hull_path, tmp_path / "laptop.db")
    conn = sqlite3.connect(laptop)
    with conn:
        conn.execute(
            "INSERT INTO roll_check (id, version, taken_at, location_id, roll, locked_up, "
            "round_id) SELECT ?, version, taken_at, location_id, roll, roll, round_id "
            "FROM roll_check WHERE deleted = 0 LIMIT 1",
            (str(uuid.uuid4()),),
        )
    conn.close()
    before = file_hash(hull_path)
    with pytest.raises(IrpError, match=r"laptop.db: roll check .* is not keyed by its round"):
        merge_visits(hull_path, [laptop])
    assert file_hash(hull_path) == before


def _check_with_id(path: Path, new_id: str, *, deleted: int = 0) -> str:
    """``path``'s first live roll check given ``new_id`` (tombstoned when ``deleted``), as a
    SQLite browser's hand would: the check's id, as it was."""
    conn = sqlite3.connect(path)
    with conn:
        (old_id,) = conn.execute(
            "SELECT id FROM roll_check WHERE deleted = 0 ORDER BY id LIMIT 1"
        ).fetchone()
        conn.execute(
            "UPDATE roll_check SET id = ?, deleted = ? WHERE id = ?", (new_id, deleted, old_id)
        )
    conn.close()
    return str(old_id)


def test_check_names_a_check_not_keyed_by_its_round_and_location_as_a_merge_refuses_it(
    hull_path: Path, tmp_path: Path
) -> None:
    """One rule for both: a check whose id is not made from its round and location is
    named by ``check`` (it said "no warnings" where the merge refused the file)."""
    from irp_field.api.check import check_visit
    from irp_field.domain.errors import IrpError

    laptop = cp(hull_path, tmp_path / "laptop.db")
    hand_made = str(uuid.uuid4())
    _check_with_id(laptop, hand_made)
    with VisitFile.open(laptop, readonly=True) as visit:
        report = check_visit(visit)
    named = [line for line in report.problems if hand_made in line]
    assert named == [
        f"roll check {hand_made!r} is not keyed by its round and location (a hand or another "
        "program wrote it; it could count a location twice in a round) (a merge would "
        "refuse it)"
    ]
    assert not report.ok
    with pytest.raises(IrpError, match=rf"laptop.db: roll check '{hand_made}' is not keyed"):
        merge_visits(hull_path, [laptop])


def test_a_tombstone_keeps_the_id_it_had_for_check_and_merge(
    hull_path: Path, tmp_path: Path
) -> None:
    """Only a live check must be keyed so (a migration kept all but the latest of several
    live checks of one location in a round as deleted records, under their own ids)."""
    from irp_field.api.check import check_visit

    laptop = cp(hull_path, tmp_path / "laptop.db")
    _check_with_id(laptop, str(uuid.uuid4()), deleted=1)
    with VisitFile.open(laptop, readonly=True) as visit:
        report = check_visit(visit)
    assert not [line for line in report.problems if "not keyed" in line]
    merge_visits(hull_path, [laptop])  # taken: no refusal


# -- history and undo -----------------------------------------------------------------


def test_a_record_s_history_and_undoing_an_edit(hull: VisitFile) -> None:
    from irp_field.api import history

    mon_am = rounds_api.find_round(hull, "Mon AM")
    check = roll_checks.check_id(hull, mon_am.id, roll_checks.find_location(hull, "A wing").id)  # type: ignore[union-attr]
    with history.recording(hull) as changes:
        evidence.edit_roll_check(hull, check, counts=COUNTS, taken_at="2022-03-14T10:02")
    entries = history.record_history(hull, "roll_check", check)
    assert [e.what for e in entries] == ["imported", "changed"]
    assert entries[0].changes == (("from", "", "roll-checks.csv"),)
    assert ("locked up", "54", "40") in entries[1].changes and entries[
        1
    ].changed_by == "Jade Richards"
    assert history.undo(hull, changes) == 1
    restored = roll_checks.get_check(hull, check)
    assert restored is not None and restored.counts.locked_up == 54
    assert [e.what for e in history.record_history(hull, "roll_check", check)] == [
        "imported",
        "changed",
        "changed",
    ]
    # An undo of a change that someone changed since is refused, and says who.
    with history.recording(hull) as changes:
        evidence.edit_roll_check(hull, check, counts=COUNTS, taken_at="2022-03-14T10:02")
    hull.user = "Paul Jones"
    evidence.edit_roll_check(hull, check, counts=COUNTS, taken_at="2022-03-14T10:03")
    with pytest.raises(api.IrpError, match="changed since by Paul Jones"):
        history.undo(hull, changes)


def test_undoing_a_new_check_deletes_it(hull: VisitFile) -> None:
    from irp_field.api import history

    with history.recording(hull) as changes:
        check = evidence.record_roll_check(
            hull, location_id="A wing", counts=COUNTS, taken_at="2022-03-16T18:00",
            round_label="Wed eve",
        )  # fmt: skip
    history.undo(hull, changes)
    assert roll_checks.get_check(hull, check) is None
    assert [e.what for e in history.record_history(hull, "roll_check", check)] == [
        "added",
        "deleted",
    ]


def test_the_rounds_commands(hull_path: Path) -> None:
    from click.testing import CliRunner

    from irp_field.cli import main

    listed = CliRunner().invoke(main, ["rounds", "list", str(hull_path)])
    assert listed.exit_code == 0 and "Mon AM" in listed.output and "11 of 11" in listed.output
    edited = CliRunner().invoke(
        main, ["rounds", "edit", str(hull_path), "mon am", "--name", "Monday 10am"]
    )
    assert edited.exit_code == 0, edited.output
    assert edited.output == "Round Mon AM is now Monday 10am.\n"
    listed = CliRunner().invoke(main, ["rounds", "list", str(hull_path)])
    assert "Monday 10am" in listed.output and "Mon AM" not in listed.output
    refused = CliRunner().invoke(
        main, ["rounds", "edit", str(hull_path), "Tue AM", "--name", "tue pm"]
    )
    assert refused.exit_code == 1 and "already has a round named 'Tue PM'" in refused.output
    # a day of the visit as F6 and the new-round dialog take it ("Mon", "15")
    moved = CliRunner().invoke(main, ["rounds", "edit", str(hull_path), "Tue PM", "--day", "Wed"])
    assert moved.exit_code == 0, moved.output
    assert moved.output == "Round Tue PM is on 2022-03-16 at 14:45.\n"  # not "is now Tue PM"
    listed = CliRunner().invoke(main, ["rounds", "list", str(hull_path)])
    assert re.search(r"│ Tue PM +│ 2022-03-16 │", listed.output), listed.output


def test_a_check_is_dated_now_only_while_its_round_is_going_on() -> None:
    from irp_field.domain.rounds import check_moment

    default = "2022-03-16T18:30"
    assert check_moment(default, default, "2022-03-16", "18:00") == default  # going on
    assert check_moment(default, default, "2022-03-16", "16:30") == default  # two hours on
    assert check_moment(default, default, "2022-03-16", "16:29") == "2022-03-16T16:29"
    assert check_moment(default, default, "2022-03-16", "19:00") == "2022-03-16T19:00"
    assert check_moment(default, default, "2022-03-15", "18:00") == "2022-03-15T18:00"
    assert check_moment(default, default, "2022-03-15", "") == "2022-03-15T18:30"
    assert check_moment(default, default, "", "") == default
    # typed up after the visit: now lies outside it, the round's day and time are taken
    assert check_moment("2026-11-29T14:53", "2022-03-16T14:53", "2022-03-16", "10:00") == (
        "2022-03-16T10:00"
    )


def test_rounds_found_together_are_those_found_one_by_one(hull: VisitFile) -> None:
    """The import looks up a batch's rounds in one read (``find_rounds``): by id or by
    name in any case as SQLite folds it (ASCII letters alone), a live round before a
    deleted one, a deleted round with no live check not at all: as ``find_round``."""
    from irp_field.evidence import rounds as round_records

    listed = round_records.rounds(hull)
    first, second = listed[0], listed[1]
    started = round_records.start_round(hull, "Ärger round", "2022-03-15", "09:00")
    empty = round_records.start_round(hull, "Empty round", "2022-03-15", "10:00")
    round_records.delete_round(hull, empty.id)  # no checks: no longer listed
    names = [
        first.id,
        first.name.upper(),
        second.name.lower(),
        second.name,
        "ärger ROUND",  # not folded by SQLite: no round
        "Ärger ROUND",
        started.id,
        "Empty round",
        empty.id,
        "no such round",
    ]
    one_by_one = {name: found for name in names if (found := round_records.find_round(hull, name))}
    assert round_records.find_rounds(hull, names) == one_by_one
    assert one_by_one[first.id] == one_by_one[first.name.upper()] == first
    assert "ärger ROUND" not in one_by_one and "Empty round" not in one_by_one
