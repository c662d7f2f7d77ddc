"""A visit file of an older schema, read by this version without being migrated in place
(a reading command opens it read-only): the tables later versions made read as empty,
every reading command gives what it gives on the file migrated, and the file is left
byte for byte as it was.

The older files are made as those versions made them (schema 7: no rounds or days
linked to plan items; schema 6: no table of purges;
schema 5: the visit names no public keys to seal a hand-back for; schema 4: a roll check's round is its name, there
is no table of rounds; schema 3: neither the report's parts nor attachments), from the Hull sample, so that what each command prints can be held to what
it prints on the sample itself. Each command's exit code is the one it must give: a
command that fails on an older file fails this test (it used to accept 1 from any of
them, and passed while every read-only command said "no such column")."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from merge_helpers import cp, file_hash

from irp_field.cli import main
from irp_field.core import schema
from irp_field.core import schema_history as history

# The last schema whose migrations were each written out by hand; every later one adds
# columns (``schema.adding_columns``: a roll category, ``domain.roll_categories``).
HAND_WRITTEN = 9


def _take_back_to_9(path: Path) -> None:
    """The visit as it was before any column a later migration added."""
    later = [step.__name__ for step in schema.MIGRATIONS[HAND_WRITTEN:]]
    assert set(later) <= set(schema.ADDED_COLUMNS), "take a new kind of migration back here"
    conn = sqlite3.connect(path, isolation_level=None)
    for name in reversed(later):
        table, columns = schema.ADDED_COLUMNS[name]
        for column in columns:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", (name,))
    conn.execute(f"UPDATE meta SET value = '{HAND_WRITTEN}' WHERE key = 'schema_version'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _take_back_to_8(path: Path) -> None:
    """The visit as it was before schema 9: no kept roll-check tallies."""
    _take_back_to_9(path)
    conn = sqlite3.connect(path, isolation_level=None)
    for name in ("new", "changed", "removed"):
        conn.execute(f"DROP TRIGGER roll_check_tallies_{name}")
    for table in schema.ROLL_TALLIES:
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_roll_tallies'")
    conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _take_back_to_7(path: Path) -> None:
    """The visit as it was before schema 8: no rounds or days linked to plan items."""
    _take_back_to_8(path)
    conn = sqlite3.connect(path, isolation_level=None)
    for table in schema.SCHEMA_8_TABLES:
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_evidence_links'")
    conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _take_back_to_6(path: Path) -> None:
    """The visit as it was before schema 7: no table of purges."""
    _take_back_to_7(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE purge")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_purges'")
    conn.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _take_back_to_5(path: Path) -> None:
    """The visit as it was before schema 6: no column of public keys."""
    _take_back_to_6(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ALTER TABLE visit DROP COLUMN recipients")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_recipients'")
    conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _take_back_to_4(path: Path) -> None:
    """Rounds as they were before schema 5: a name on each check, no table of rounds."""
    _take_back_to_5(path)
    conn = sqlite3.connect(path, isolation_level=None)
    before = ", ".join(
        (*schema.merged_columns("roll_check")[:6], *history.columns(schema.ROLL_CHECK_BEFORE_5))
    )
    conn.execute("BEGIN")
    conn.execute("ALTER TABLE roll_check RENAME TO roll_check_5")
    conn.execute(f"CREATE TABLE roll_check ({schema.BOOKKEEPING},{schema.ROLL_CHECK_BEFORE_5})")
    taken = ", ".join(
        "(SELECT name FROM roll_round o WHERE o.id = c.round_id)" if c == "round" else f"c.{c}"
        for c in before.split(", ")
    )
    conn.execute(f"INSERT INTO roll_check ({before}) SELECT {taken} FROM roll_check_5 c")
    conn.execute("DROP TABLE roll_check_5")
    conn.execute("DROP TABLE roll_round")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_rounds'")
    conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _take_back_to_3(path: Path) -> None:
    _take_back_to_4(path)
    conn = sqlite3.connect(path, isolation_level=None)
    for table in schema.SCHEMA_4_TABLES:
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_report_parts_and_attachments'")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


@pytest.fixture(params=range(3, schema.SCHEMA_VERSION))
def older_file(request: pytest.FixtureRequest, hull_path: Path) -> tuple[Path, int]:
    version = int(request.param)
    takes = {
        3: _take_back_to_3, 4: _take_back_to_4, 5: _take_back_to_5, 6: _take_back_to_6,
        7: _take_back_to_7, 8: _take_back_to_8, 9: _take_back_to_9,
    }  # fmt: skip
    takes[version](hull_path)
    return hull_path, version


def _run(args: list[str], visit: Path, out: Path) -> Result:
    named = [str(visit) if a == "V" else str(out) if a == "OUT" else a for a in args]
    return CliRunner(env={"COLUMNS": "200"}).invoke(main, named)


ESCROW = "age1qnt80vvacpcgj4ln2ded60s6mj5uaj2dq2w5pdkwux4s467j3fasnvdmyj"  # an office's key

# Each reading command, the exit code it gives on the sample (sync --check: 1, the
# sample was never synced), and a piece of what it prints there.
COMMANDS = {
    "report": (["report", "V", "--format", "md", "--out", "OUT"], 0),
    "findings list": (["findings", "list", "V"], 0),
    "figures": (["figures", "V", "--json"], 0),
    "check": (["check", "V"], 0),
    "sync --check": (["sync", "V", "--check"], 1),
    "evidence": (["evidence", "V", "1.33"], 0),
    "export": (["export", "V", "--format", "json", "--out", "OUT"], 0),
    "recipients list": (["recipients", "list", "V"], 0),
    "handback": (["handback", "V", "--out", "OUT", "--to", ESCROW], 0),
    "bundle": (["export", "V", "--format", "bundle", "--out", "OUT"], 0),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_reading_commands_work_on_an_older_file_and_leave_it_as_it_was(
    older_file: tuple[Path, int], hull_template: Path, tmp_path: Path, command: str
) -> None:
    path, version = older_file
    args, code = COMMANDS[command]
    before = file_hash(path)
    result = _run(args, path, tmp_path / "out")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and "no such" not in result.output, result.output
    assert result.exit_code == code, result.output
    assert file_hash(path) == before
    # What it read is what the sample holds (the same figures, the same paragraphs).
    sample = cp(hull_template, tmp_path / "sample.db")
    expected = _run(args, sample, tmp_path / "expected")
    assert expected.exit_code == code, expected.output
    if command == "figures":  # every figure as on the sample (roll checks and all)
        older, now = json.loads(result.output), json.loads(expected.output)
        assert {k: v["value"] for k, v in older.items()} == {k: v["value"] for k, v in now.items()}
        assert older["roll.rounds"]["value"] == 6 and older["roll.checks"]["value"] == 66
    elif command in ("findings list", "evidence"):
        assert result.output == expected.output
    elif command == "sync --check":  # schema 3 had no summary paragraphs (1.1, 1.2...)
        lines = result.output.splitlines()
        assert lines[-1] == "57 paragraph(s) out of date; run irp-field sync." or version > 3
        assert lines and set(lines[:-1]) <= set(expected.output.splitlines())
        assert version == 3 or lines == expected.output.splitlines()
    elif command == "report":
        written = (tmp_path / "out").read_text(encoding="utf-8")
        assert "In our roll checks, 40% of the population were locked up" in written
        if version >= 4:  # the report's parts were the file's own
            assert written == (tmp_path / "expected").read_text(encoding="utf-8")
    elif command == "check":
        assert f"schema version: {version}" in result.output and "no warnings" in result.output
    elif command == "recipients list" and version < 6:  # none before schema 6 names a key
        assert (
            result.output
            == expected.output
            == "No one: add the team leader's key with `irp-field recipients add VISIT KEY`.\n"
        )
    elif command == "handback":  # the file sealed as it is, older schema and all
        assert (tmp_path / "out").read_bytes().startswith(b"age-encryption.org/v1\n")
    elif command == "bundle":  # the same bundle as the sample's, but for its schema-3 parts
        toml = (tmp_path / "out" / "visit.toml").read_text(encoding="utf-8")
        assert toml == (tmp_path / "expected" / "visit.toml").read_text(encoding="utf-8")
        assert "recipients" not in toml
        # before schema 8 nothing was linked: the links' file holds its header alone
        links = (tmp_path / "out" / "links.csv").read_text(encoding="utf-8")
        assert links == "plan_ref,round,date,subject\n" or version >= 8
    elif command == "export":
        exported = json.loads((tmp_path / "out").read_text(encoding="utf-8"))
        assert len(exported["tables"]["roll_check"]) == 66
        links = exported["tables"]["round_link"], exported["tables"]["toc_day_link"]
        assert links == ([], []) or version >= 8  # none before schema 8
