"""A reading leaves the visit's folder as it found it.

A ``mode=ro`` connection to a WAL file makes its ``-wal`` and ``-shm`` and cannot take
them away as it closes: ``irp-field figures hull.db`` left two files beside the visit,
and a merge left them beside every source on the USB sticks it read (files a copy of
the folder then carried). Where the files were there before (the app has the visit
open), or another program opens the file meanwhile, they stay.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from irp_field.cli import main
from irp_field.core.visit_file import VisitFile


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "command",
    [
        ["figures", "{file}", "--json"],
        ["check", "{file}"],
        ["notes", "search", "{file}", "wing"],
        ["report", "{file}", "--format", "md", "--out", "{out}/report.md"],
        ["export", "{file}", "--format", "csv", "--out", "{out}/csv"],
    ],
    ids=lambda command: command[0],
)
def test_a_command_that_reads_a_visit_leaves_no_file_beside_it(
    hull_path: Path, tmp_path: Path, command: list[str]
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    visit = stick / "hull.db"
    shutil.copyfile(hull_path, visit)
    out = tmp_path / "out"
    out.mkdir()
    _run(*(part.format(file=visit, out=out) for part in command))
    assert _files(stick) == ["hull.db"]
    assert visit.read_bytes() == hull_path.read_bytes()  # nothing written to it


def test_a_merge_leaves_nothing_beside_the_files_it_read(hull_path: Path, tmp_path: Path) -> None:
    sticks = [tmp_path / "stick-1", tmp_path / "stick-2"]
    for number, stick in enumerate(sticks):
        stick.mkdir()
        shutil.copyfile(hull_path, stick / f"laptop-{number}.db")
    _run(
        "merge",
        str(tmp_path / "leader.db"),
        *(str(s / f"laptop-{n}.db") for n, s in enumerate(sticks)),
    )
    for number, stick in enumerate(sticks):
        assert _files(stick) == [f"laptop-{number}.db"]
        assert (stick / f"laptop-{number}.db").read_bytes() == hull_path.read_bytes()


def test_the_files_of_a_visit_open_for_writing_stay(hull_path: Path) -> None:
    """The app has the visit open: a reading beside it (another process) takes nothing
    away, and the app goes on writing and reading."""
    with VisitFile.open(hull_path, user="Jade Richards") as app:
        before = _files(hull_path.parent)
        assert "hull.db-wal" in before and "hull.db-shm" in before
        _run("figures", str(hull_path), "--json")  # a mode=ro reading, in this process
        reading = (
            "import sys; from irp_field.core.visit_file import VisitFile; "
            "VisitFile.open(sys.argv[1], readonly=True).close()"
        )
        subprocess.run([sys.executable, "-c", reading, str(hull_path)], check=True)
        assert _files(hull_path.parent) == before
        with app.transaction():
            app.conn.execute("INSERT INTO meta (key, value) VALUES ('written', 'after')")
        assert app.meta()["written"] == "after"


def test_a_reading_met_by_another_program_leaves_its_files(hull_path: Path) -> None:
    """Another program opened the file after the reading did: the files are its too,
    and stay while it has them open; it takes them away itself as it closes."""
    reading = VisitFile.open(hull_path, readonly=True)
    other = sqlite3.connect(hull_path)
    other.execute("SELECT COUNT(*) FROM note").fetchall()
    reading.close()
    assert {"hull.db-wal", "hull.db-shm"} <= set(_files(hull_path.parent))
    assert other.execute("SELECT COUNT(*) FROM note").fetchone()[0] > 0
    other.close()
    assert _files(hull_path.parent) == ["hull.db"]


@pytest.mark.skipif(sys.platform == "win32", reason="a folder's write bit is POSIX")
def test_a_reading_on_a_locked_stick_goes_on_as_before(hull_path: Path, tmp_path: Path) -> None:
    """A file that cannot be written: the reading works and nothing is tried on it."""
    stick = tmp_path / "locked"
    stick.mkdir()
    visit = stick / "hull.db"
    shutil.copyfile(hull_path, visit)
    VisitFile.open(visit, readonly=True).close()  # made the files, took them away
    assert _files(stick) == ["hull.db"]
    visit.chmod(0o400)
    with VisitFile.open(visit, readonly=True) as read:
        assert read.one("SELECT COUNT(*) FROM roll_check")[0] > 0  # type: ignore[index]
    assert visit.read_bytes() == hull_path.read_bytes()
