"""Other laptops' files are untrusted: a source that is not what irp-field writes is
refused in one line naming it, before anything is read from it or written (no
snapshot either), and a merge can be stopped."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import cp, edit_by_hand, file_hash

from irp_field.cli import main
from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.replication import guard
from irp_field.replication.merge import merge_visits
from irp_field.replication.merge_rows import content_hash


@pytest.fixture
def pair(hull_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    return cp(hull_path, tmp_path / "master.db"), cp(hull_path, tmp_path / "laptop.db")


HOSTILE = {
    "a recursive view for a table": (
        [
            "ALTER TABLE note_link RENAME TO old_link",
            "CREATE VIEW note_link AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 "
            "FROM r) SELECT 'x' AS id, '' AS created_by, '' AS created_at, '' AS version, "
            "'' AS base_version, 0 AS deleted, '' AS note_id, '' AS plan_item_id FROM r",
        ],
        "note_link is a view, not a table",
    ),
    # check read the notes through the rules before it looked at the tables' shape: on a
    # file whose notes were a recursive view it ran forever (the merge refused it).
    "a recursive view for the notes": (
        [
            "ALTER TABLE note RENAME TO old_note",
            "CREATE VIEW note AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 "
            "FROM r) SELECT 'x' || n AS id, '' AS created_by, '' AS created_at, '' AS version, "
            "'' AS base_version, 0 AS deleted, 'staff' AS source, '' AS taken_at, "
            "'' AS author, '' AS text, '' AS tags, '' AS import_id FROM r",
        ],
        "note is a view, not a table",
    ),
    "a column of another type": (
        [
            "ALTER TABLE data_return RENAME TO old_data",
            "CREATE TABLE data_return AS SELECT * FROM old_data",
        ],
        "data_return has other columns",
    ),
    "a stamp far past the clock's end": (
        ["UPDATE note SET version = '9999999999999.999990.abc' WHERE rowid = 1"],
        "is not a stamp",
    ),
    "a stamp that sorts after everything": (
        ["UPDATE judgement SET version = '~~~' WHERE rowid = 1"],
        "'~~~' is not a stamp",
    ),
    "a forged conflict record": (
        [
            "INSERT INTO conflict (id, version, table_name, row_id, other_version, other_row) "
            "VALUES ('c1', '1700000000000.000000.abc', 'note', 'x', "
            "'1700000000000.000000.abc', 'not json')"
        ],
        "conflict row c1 is not a well-formed conflict record",
    ),
    # Found by tests/test_untrusted_properties.py: same columns, same declared types, but
    # no primary key: two rows of one id reached the target's insert (an IntegrityError
    # traceback, after the snapshot had been taken and the oldest backup rotated out).
    "a table rebuilt without its constraints": (
        [
            "ALTER TABLE note RENAME TO old_note",
            "CREATE TABLE note (id TEXT, created_by TEXT, created_at TEXT, version TEXT, "
            "base_version TEXT, deleted INTEGER, source TEXT, taken_at TEXT, author TEXT, "
            "text TEXT, tags TEXT, import_id TEXT)",
            "INSERT INTO note SELECT * FROM old_note",
            "DROP TABLE old_note",
            *[
                "INSERT INTO note SELECT 'twin', created_by, created_at, version, base_version, "
                "deleted, source, taken_at, author, text, tags, import_id FROM note LIMIT 1"
            ]
            * 2,
        ],
        "note lacks this irp-field's constraints (NOT NULL, the primary key)",
    ),
    # Found by tests/test_untrusted_properties.py: a location marked deleted = 2 was
    # merged (gone from every list, its roll checks then refused by check).
    "a tombstone neither 0 nor 1": (
        ["UPDATE location SET deleted = 2 WHERE rowid = 1"],
        "deleted is 2, neither 0 nor 1",
    ),
    # Found by the property test: a conflict record keeping an empty version was merged,
    # and keeping it (`conflicts --resolve ID --keep other`) was a KeyError traceback.
    "a conflict record that keeps no whole version": (
        [
            "INSERT INTO conflict (id, version, table_name, row_id, other_version, other_row) "
            "SELECT 'c2', version, 'note', id, version, '{}' FROM note LIMIT 1"
        ],
        "conflict row c2 is not a well-formed conflict record",
    ),
}


@pytest.mark.parametrize("attack", list(HOSTILE))
def test_a_hostile_source_is_refused_in_one_line_and_nothing_changes(
    pair: tuple[Path, Path], irp_home: Path, attack: str
) -> None:
    master, laptop = pair
    statements, words = HOSTILE[attack]
    edit_by_hand(laptop, *statements)
    before = file_hash(master)
    result = CliRunner().invoke(main, ["merge", str(master), str(laptop)])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "laptop.db" in lines[0] and words in lines[0], lines
    assert file_hash(master) == before
    assert not list((irp_home / "backups").glob("*.db"))  # no snapshot of a refused merge


def test_a_trigger_in_an_older_source_never_runs(pair: tuple[Path, Path]) -> None:
    master, laptop = pair
    edit_by_hand(
        laptop,
        "DROP TABLE note_draft",
        "DROP TABLE finding_sync",
        "DELETE FROM _sqlite_migrations WHERE name = 'm002_sync_and_drafts'",
        "UPDATE meta SET value = '1' WHERE key = 'schema_version'",
        # fires on the INSERT our migration of its copy would make into... anything it can
        "CREATE TRIGGER planted AFTER INSERT ON meta BEGIN INSERT INTO note (id, text, version) "
        "VALUES ('planted', 'written by a trigger', '1700000000000.000000.abc'); END",
        "CREATE TRIGGER planted2 AFTER UPDATE ON meta BEGIN INSERT INTO note (id, text, version) "
        "VALUES ('planted2', 'written by a trigger', '1700000000000.000000.abc'); END",
    )
    merge_visits(master, [laptop])
    with VisitFile.open(master, readonly=True) as visit:
        assert visit.one("SELECT 1 FROM note WHERE text = 'written by a trigger'") is None


def test_a_schema_version_that_is_no_number_is_refused_in_one_line(
    pair: tuple[Path, Path],
) -> None:
    master, laptop = pair
    edit_by_hand(laptop, "UPDATE meta SET value = 'abc' WHERE key = 'schema_version'")
    for args in (["merge", str(master), str(laptop)], ["figures", str(laptop)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1
        assert "schema version 'abc' is no number" in result.output
        assert "Traceback" not in result.output


def test_a_forged_conflict_row_in_the_file_itself_lists_without_a_traceback(
    hull_path: Path,
) -> None:
    edit_by_hand(
        hull_path,
        "INSERT INTO conflict (id, version, table_name, row_id, other_version, other_row) "
        "SELECT 'c1', version, 'note', id, version, 'not json' FROM note LIMIT 1",
    )
    result = CliRunner().invoke(main, ["conflicts", str(hull_path)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


def test_a_merge_stops_past_its_time_bound_and_rolls_back(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    conn.execute("CREATE TABLE t (x)")
    with pytest.raises(IrpError, match="ran past its bound"), guard.stoppable(conn, 0.05):
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES (1)")
        conn.execute(ENDLESS).fetchone()
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to itself")
@pytest.mark.parametrize("before", ["Python's own", "ignored"])
def test_ctrl_c_stops_a_merge_that_sqlite_is_running(tmp_path: Path, before: str) -> None:
    """Whatever SIGINT did before the merge (Python's handler in a terminal; ignored under
    ``nohup``, ``&`` or a CI runner), Ctrl-C stops the merge and the handler is put back."""
    handler = signal.default_int_handler if before == "Python's own" else signal.SIG_IGN
    inherited = signal.signal(signal.SIGINT, handler)
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(guard.Stopped), guard.stoppable(conn, 60):
            conn.execute(ENDLESS).fetchone()
        assert signal.getsignal(signal.SIGINT) is handler
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, inherited)
        conn.close()


@pytest.mark.parametrize("attack", list(HOSTILE))
def test_check_reports_what_a_merge_would_refuse(hull_path: Path, attack: str) -> None:
    statements, words = HOSTILE[attack]
    edit_by_hand(hull_path, *statements)
    result = CliRunner().invoke(main, ["check", str(hull_path)])
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())  # the table wraps long lines
    assert words.split(" is ")[0] in said and "a merge would refuse it" in said
    assert "Traceback" not in result.output


IMPOSSIBLE = {
    "a roll of 'lots'": "UPDATE roll_check SET roll = 'lots', version = '{v}' WHERE id IN "
    "(SELECT id FROM roll_check LIMIT 1)",
    "900000 locked up of a roll of 10": "UPDATE roll_check SET roll = 10, locked_up = 900000, "
    "version = '{v}' WHERE id IN (SELECT id FROM roll_check LIMIT 1)",
    "a taken_at that is no date": "UPDATE note SET taken_at = 'not a date', version = '{v}' "
    "WHERE rowid = 1",
    "a BLOB for a note's text": "UPDATE note SET text = x'00ff00ff', version = '{v}' "
    "WHERE rowid = 1",
    "a name that is not UTF-8": "UPDATE team_member SET name = CAST(x'4a6fe9' AS TEXT), "
    "version = '{v}' WHERE rowid = 1",
    # No rule reads who made a row: the cap on every text does.
    "a 'made by' of 400,001 characters": "UPDATE data_return SET created_by = "
    "printf('%.*c', 400001, 'x'), version = '{v}' WHERE rowid = 1",
    "a note of a million characters": "UPDATE note SET text = printf('%.*c', 1000000, 'x'), "
    "version = '{v}' WHERE rowid = 1",
    # Found by tests/test_untrusted_properties.py: merged without a word, each of them,
    # and check then said "ok" (an unknown level also broke the bundle export).
    "visit dates that are no dates": "UPDATE visit SET start_date = 'not a date', version = '{v}'",
    "a judgement of an unknown level": "UPDATE judgement SET level = 'splendid', "
    "version = '{v}' WHERE rowid = 1",
    "a roll check at 25:00": "UPDATE roll_check SET taken_at = '2022-03-15T25:00', "
    "version = '{v}' WHERE id IN (SELECT id FROM roll_check LIMIT 1)",
    "a sample criterion without a name": "UPDATE sample_criterion SET name = '', "
    "version = '{v}' WHERE rowid = 1",
    "a paragraph past the limit": "UPDATE finding SET text = printf('%.*c', 200000, 'x'), "
    "version = '{v}' WHERE rowid = 1",
    "a paragraph outside the bounded language": "UPDATE finding SET "
    "text = '{{% for x in y %}}{{{{ x }}}}{{% endfor %}}', version = '{v}' WHERE rowid = 1",
}


@pytest.mark.parametrize("attack", list(IMPOSSIBLE))
def test_impossible_values_are_refused_and_every_command_still_works(
    pair: tuple[Path, Path], irp_home: Path, tmp_path: Path, attack: str
) -> None:
    master, laptop = pair
    edit_by_hand(laptop, IMPOSSIBLE[attack].format(v="1800000000000.000000.hostile"))
    before = file_hash(master)
    result = CliRunner().invoke(main, ["merge", str(master), str(laptop), "--accept-clock-skew"])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "laptop.db" in lines[0] and "nothing was merged" in lines[0]
    assert file_hash(master) == before
    for args in (["figures", str(master)], ["check", str(master)],
                 ["export", str(master), "--format", "json", "--out", str(tmp_path / "x.json")]):  # fmt: skip
        assert CliRunner().invoke(main, args).exit_code == 0


def test_rows_the_target_already_holds_are_not_judged_again(pair: tuple[Path, Path]) -> None:
    """A file written under older rules (a roll check with people unaccounted for and no
    note) merges on: only what the merge brings in is judged."""
    master, laptop = pair
    old_rule = (
        "UPDATE roll_check SET locked_up = locked_up - 5 WHERE id IN "
        "(SELECT id FROM roll_check WHERE note = '' LIMIT 1)"
    )
    edit_by_hand(master, old_rule)
    edit_by_hand(laptop, old_rule)  # the same row at the same version on both
    with VisitFile.open(laptop) as visit, visit.transaction():
        visit.insert("note", {"text": "a new note", "taken_at": "2022-03-15T10:00"})
    report = merge_visits(master, [laptop])
    assert report.counts["note"].new == 1


@pytest.mark.parametrize("attack", list(IMPOSSIBLE))
def test_check_reports_the_impossible_values_a_merge_refuses(hull_path: Path, attack: str) -> None:
    edit_by_hand(hull_path, IMPOSSIBLE[attack].format(v="1800000000000.000000.hostile"))
    result = CliRunner().invoke(main, ["check", str(hull_path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    # a problem listed, or (text that is no UTF-8 cannot even be read) said in one line
    assert "problem" in result.output or "UTF-8" in result.output, result.output


OLDER_SCHEMA_3 = [  # a file of irp-field 0.2.0's schema 3, before the report's parts
    *(f"DROP TABLE {table}" for table in schema.SCHEMA_4_TABLES),
    "DELETE FROM _sqlite_migrations WHERE name = 'm004_report_parts_and_attachments'",
    "UPDATE meta SET value = '3' WHERE key = 'schema_version'",
]
ENDLESS_VISIT = (
    "CREATE VIEW visit AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
    "SELECT 'x' || n AS id, '' AS created_by, '' AS created_at, '' AS version, "
    "'' AS base_version, 0 AS deleted, '' AS establishment, '' AS visit_type, "
    "'' AS start_date, '' AS end_date, '' AS previous_inspection FROM r"
)


OLDER_VIEWS = {
    # It ran forever: the visit's details were read before the source's tables were
    # looked at (the time bound covers the merge's transaction, not that).
    "a recursive view for the visit": ["ALTER TABLE visit RENAME TO old_visit", ENDLESS_VISIT],
    # Found by tests/test_untrusted_properties.py: the view went with the copy's code, the
    # copy's migration failed, and the refusal named the temporary copy, not the file.
    "a view for the periods": [
        "ALTER TABLE toc_period RENAME TO old_toc_period",
        "CREATE VIEW toc_period AS SELECT * FROM old_toc_period",
    ],
}


@pytest.mark.parametrize("attack", list(OLDER_VIEWS))
def test_an_older_source_with_a_view_for_a_table_is_refused_before_it_is_read(
    pair: tuple[Path, Path], irp_home: Path, attack: str
) -> None:
    master, laptop = pair
    edit_by_hand(laptop, *OLDER_SCHEMA_3, *OLDER_VIEWS[attack])
    before = file_hash(master)
    said: list[str] = []

    def merge() -> None:
        try:
            merge_visits(master, [laptop])
        except IrpError as error:
            said.append(str(error))

    worker = threading.Thread(target=merge, daemon=True)  # a hang fails, never blocks
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), f"{attack}: the merge ran on"
    assert said and "laptop.db" in said[0] and "is a view, not a table" in said[0], said
    assert file_hash(master) == before
    assert not list((irp_home / "backups").glob("*.db"))


IMPOSSIBLE_COUNTS = {"roll": 10, "locked_up": 900000}


def test_a_row_at_the_same_version_with_other_values_is_judged(pair: tuple[Path, Path]) -> None:
    """Found by tests/test_untrusted_properties.py: a row the target held at the same
    version was taken as the target's own and not judged, yet the merge's tie-break (the
    higher content hash) could take its other values: 900000 locked up of a roll of 10
    was merged beside an ordinary edit."""
    master, laptop = pair
    conn = sqlite3.connect(master)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM roll_check WHERE deleted = 0")]
    conn.close()
    row = next(r for r in rows if content_hash(r | IMPOSSIBLE_COUNTS) > content_hash(r))
    edit_by_hand(
        laptop,
        f"UPDATE roll_check SET roll = 10, locked_up = 900000 WHERE id = '{row['id']}'",
        "UPDATE note SET text = 'An ordinary edit.', version = '1790000000000.000000.abc' "
        "WHERE rowid = 1",
    )
    with pytest.raises(IrpError, match="more than the roll of 10"):
        merge_visits(master, [laptop])


def _forge_conflict(path: Path, other_row: str) -> str:
    """A conflict record about the first note, keeping ``other_row`` (SQL) as its other
    version; returns the record's id."""
    edit_by_hand(
        path,
        "INSERT INTO conflict (id, version, table_name, row_id, kept_version, other_version, "
        f"other_row) SELECT 'forged', '1790000000000.000000.abc', 'note', id, version, "
        f"'1790000000000.000000.abc', {other_row} FROM note WHERE rowid = 1",
    )
    return "forged"


NOTE_AS_JSON = (
    "json_object('id', id, 'created_by', created_by, 'created_at', created_at, 'version', "
    "'1790000000000.000000.abc', 'base_version', base_version, 'deleted', deleted, 'source', "
    "{source}, 'taken_at', taken_at, 'author', author, 'text', text, 'tags', tags, "
    "'import_id', import_id)"
)


FORGED = {
    # Found by tests/test_untrusted_properties.py: keeping it wrote a note of an unknown
    # source into the visit, past every rule (check then failed).
    "a version the rules refuse": (NOTE_AS_JSON.format(source="'gossip'"), "unknown source"),
    # ...and keeping this one was a KeyError traceback.
    "no whole version": ("'{}'", "does not hold a whole version"),
}


@pytest.mark.parametrize("attack", list(FORGED))
def test_a_forged_conflict_record_in_the_file_cannot_be_kept(hull_path: Path, attack: str) -> None:
    other_row, words = FORGED[attack]
    conflict = _forge_conflict(hull_path, other_row)
    with VisitFile.open(hull_path, readonly=True) as visit:
        before = [dict(r) for r in visit.query("SELECT * FROM note ORDER BY id")]
    result = CliRunner().invoke(
        main, ["conflicts", str(hull_path), "--resolve", conflict, "--keep", "other"]
    )
    assert result.exit_code == 1, result.output
    assert words in result.output and len(result.output.strip().splitlines()) == 1
    assert not isinstance(result.exception, KeyError)
    with VisitFile.open(hull_path, readonly=True) as visit:  # rolled back: as it was
        assert [dict(r) for r in visit.query("SELECT * FROM note ORDER BY id")] == before
        assert visit.one("SELECT resolved FROM conflict WHERE id = 'forged'")["resolved"] == 0


def test_a_forged_conflict_record_that_the_rules_take_is_kept(hull_path: Path) -> None:
    conflict = _forge_conflict(hull_path, NOTE_AS_JSON.format(source="'staff'"))
    result = CliRunner().invoke(
        main, ["conflicts", str(hull_path), "--resolve", conflict, "--keep", "other"]
    )
    assert result.exit_code == 0, result.output
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert visit.one("SELECT source FROM note WHERE rowid = 1")["source"] == "staff"


TWIN_TERM = (
    "INSERT INTO glossary_term SELECT 'twin', created_by, created_at, "
    "'1790000000000.000000.abc', base_version, deleted, term, definition, matches "
    "FROM glossary_term WHERE rowid = 1"
)


async def test_a_second_glossary_term_of_one_name_merges_and_the_screen_shows_both(
    pair: tuple[Path, Path],
) -> None:
    """Found by tests/test_untrusted_properties.py: two records of one term (or of one
    previous outcome), which no rule refuses, merged; the report parts screen (F11) then
    exited on a duplicate row key."""
    from textual.widgets import DataTable
    from tui_helpers import hull_app, settle

    master, laptop = pair
    edit_by_hand(laptop, TWIN_TERM)
    merge_visits(master, [laptop])
    app = hull_app(master)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)
        table = app.screen.query_one("#parts", DataTable)
        labels = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
    with VisitFile.open(master, readonly=True) as visit:
        term = visit.one("SELECT term FROM glossary_term WHERE id = 'twin'")["term"]
    assert sum(label.startswith(term) for label in labels) == 2


NAMED = {
    # attack: (statement, the words the refusal names the row's column and fault with)
    "a roll of 'lots'": ("roll_check", "roll holds a value of the wrong type for its column"),
    "a BLOB for a note's text": ("note", "text holds a value of the wrong type for its column"),
    "a name that is not UTF-8": ("team_member", "a text in it is not UTF-8"),
    "a 'made by' of 400,001 characters": ("data_return", "created_by is over 400,000 characters"),
}


@pytest.mark.parametrize("attack", list(NAMED))
def test_a_value_a_merge_refuses_is_named_by_its_column_and_fault(
    pair: tuple[Path, Path], attack: str
) -> None:
    """The refusal said "holds a value of the wrong type, a text not UTF-8 or one over
    400,000 characters", naming neither the column nor which (hostile F12): the team
    leader could not tell the inspector what to mend."""
    master, laptop = pair
    edit_by_hand(laptop, IMPOSSIBLE[attack].format(v="1790000000000.000000.abc"))
    table, words = NAMED[attack]
    with pytest.raises(IrpError) as refused:
        merge_visits(master, [laptop])
    said = str(refused.value)
    assert "laptop.db" in said and f"{table} row " in said and words in said, said
