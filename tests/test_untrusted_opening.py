"""Every command that opens a visit file refuses, in one line and at once, a file that is
no visit file as irp-field writes one, before anything is read through it: a view where a
table belongs (its query could run for ever), a virtual table of another kind, a pipe or a
device given as the file. Each ran for ever (hostile F2, F9): ``figures``, ``export``,
``report`` and ``list`` on a view; every command, older schemas included, on an older
file whose roll checks were an endless view (read as the current schema before any check
of its shape); every command on a pipe; the merge on /dev/zero (its bytes hashed first).

Each command runs as a process with a time bound, so a hang fails the test, never blocks
the suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from merge_helpers import edit_by_hand

ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)"
BOUND = 60  # seconds: each refusal takes a fraction of one


def run(home: Path, *args: object) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ, "IRP_FIELD_HOME": str(home), "PYTHONIOENCODING": "utf-8", "COLUMNS": "250"
    }  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "irp_field", *(str(a) for a in args)],
        capture_output=True,
        text=True,
        timeout=BOUND,
        env=environment,
        check=False,
    )


def refused_in_one_line(result: subprocess.CompletedProcess[str], name: str, why: str) -> None:
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and why in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def an_endless_view_of(path: Path, table: str, columns: str, older: bool) -> None:
    statements = [
        f"ALTER TABLE {table} RENAME TO old_{table}",
        f"CREATE VIEW {table} AS {ENDLESS} SELECT {columns} FROM old_{table}, r",
    ]
    if older:  # a file claiming an older schema is read as the current one first
        statements.append("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    edit_by_hand(path, *statements)


@pytest.mark.parametrize("older", [False, True], ids=["this schema", "an older schema"])
@pytest.mark.parametrize(
    "command",
    [
        ("check",),
        ("figures",),
        ("export", "--format", "json", "--out", "OUT"),
        ("report", "--format", "md", "--out", "OUT"),
    ],
    ids=["check", "figures", "export", "report"],
)
def test_a_view_where_a_table_belongs_is_refused_at_once(
    hull_path: Path, irp_home: Path, tmp_path: Path, older: bool, command: tuple[str, ...]
) -> None:
    visit = shutil.copy(hull_path, tmp_path / "viewed.db")
    an_endless_view_of(Path(visit), "roll_check", "old_roll_check.*", older)
    out = tmp_path / "out"
    args = [str(out) if part == "OUT" else part for part in command]
    result = run(irp_home, args[0], visit, *args[1:])
    refused_in_one_line(result, "viewed.db", "roll_check is a view, not a table")
    assert not out.exists()


def test_a_visit_with_a_view_in_the_data_folder_is_refused_by_list(
    hull_path: Path, irp_home: Path
) -> None:
    visits = irp_home / "visits"
    visits.mkdir(parents=True, exist_ok=True)
    visit = Path(shutil.copy(hull_path, visits / "viewed.db"))
    an_endless_view_of(visit, "location", "old_location.*", older=True)
    result = run(irp_home, "list")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    listed = next(line for line in result.stdout.splitlines() if "viewed.db" in line)
    assert "cannot open" in listed and "location is a view, not a table" in listed


def test_a_virtual_table_of_another_kind_is_refused(
    hull_path: Path, irp_home: Path, tmp_path: Path
) -> None:
    visit = Path(shutil.copy(hull_path, tmp_path / "virtual.db"))
    edit_by_hand(visit, "CREATE VIRTUAL TABLE extra USING fts4(text)")
    refused_in_one_line(run(irp_home, "figures", visit), "virtual.db", "extra is a virtual table")


@pytest.mark.skipif(os.name == "nt", reason="a named pipe is a POSIX file")
def test_a_pipe_given_as_a_visit_is_refused_by_every_command(
    irp_home: Path, tmp_path: Path, hull_path: Path
) -> None:
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    for args in (("check", pipe), ("figures", pipe), ("merge", hull_path, pipe)):
        refused_in_one_line(run(irp_home, *args), "pipe.db", "is not a file (a pipe")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_given_to_a_merge_is_refused_before_its_bytes_are_hashed(
    irp_home: Path, hull_path: Path
) -> None:
    refused_in_one_line(
        run(irp_home, "merge", hull_path, "/dev/zero"), "/dev/zero", "is not a file (a pipe"
    )
