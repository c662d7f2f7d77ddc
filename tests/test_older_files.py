"""A visit file of an older schema, read by this version without being migrated in place
(a reading command opens it read-only): the tables later versions made read as empty,
every reading command works, and the file is left byte for byte as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import file_hash

from irp_field.cli import main
from irp_field.core import schema


@pytest.fixture
def schema_3_file(hull_path: Path) -> Path:
    conn = sqlite3.connect(hull_path)
    for table in schema.SCHEMA_4_TABLES:
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_report_parts_and_attachments'")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return hull_path


@pytest.mark.parametrize(
    "args",
    [
        ["report", "V", "--format", "md"],
        ["findings", "list", "V"],
        ["figures", "V", "--json"],
        ["check", "V"],
        ["sync", "V", "--check"],
        ["evidence", "V", "1.33"],
        ["export", "V", "--format", "json", "--out", "OUT"],
    ],
)
def test_reading_commands_work_on_an_older_file_and_leave_it_as_it_was(
    schema_3_file: Path, tmp_path: Path, args: list[str]
) -> None:
    before = file_hash(schema_3_file)
    named = [str(schema_3_file) if a == "V" else str(tmp_path / "out.json") if a == "OUT" else a
             for a in args]  # fmt: skip
    result = CliRunner().invoke(main, named)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "no such table" not in result.output
    assert result.exit_code in (0, 1), result.output  # sync --check: 1 when out of date
    assert file_hash(schema_3_file) == before
