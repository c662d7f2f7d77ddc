"""Temporary copies of visit data (issue 21, 4): in the data folder's tmp/ (0700, files
0600), never the system's temporary folder; removed on every way out; what a killed
process left is removed at the next start, and never the work of a running one.
(The kill -9 itself: test_temporary_copies_kill.py.)"""

from __future__ import annotations

import ast
import contextlib
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import cp

import irp_field
from irp_field import paths
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.interchange import bundle
from irp_field.replication import sources

NOTE = "Officer Grimshaw-Ellery restrained the man in cell 12 by his neck"
MEMBER = "Ottoline Bracegirdle-Nwosu"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, for this test alone: whatever lands in it is ours."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def secret_visit(hull_path: Path) -> Path:
    with VisitFile.open(hull_path, user="Jade Richards") as visit, visit.transaction():
        visit.insert("note", {"text": NOTE, "tags": "restraint", "taken_at": "2022-03-15T10:00"})
        visit.insert("team_member", {"name": MEMBER, "role": "Inspector", "body": "HMIP"})
    return hull_path


def test_no_module_makes_its_temporary_files_in_the_system_folder() -> None:
    """Found by grep: an export's, a merge's and the viewer's copies went to /tmp."""
    package = Path(irp_field.__file__).parent
    found = []
    for module in sorted(package.rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = ["/tmp"] if node.value.startswith(("/tmp", "/var/tmp")) else []
            found += [
                f"{module.relative_to(package)}: {n}" for n in names if n in ("tempfile", "/tmp")
            ]
    assert found == []


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("way_out", ["success", "refusal", "exception", "ctrl-c"])
def test_a_redacted_bundle_is_made_from_a_private_copy_gone_on_every_way_out(
    secret_visit: Path,
    tmp_path: Path,
    irp_home: Path,
    system_temp: Path,
    monkeypatch: pytest.MonkeyPatch,
    way_out: str,
) -> None:
    seen: dict[str, object] = {}
    real = bundle.write_bundle

    def spy(visit: VisitFile, folder: Path) -> Path:
        copy = Path(visit.path)
        seen.update(
            copy=copy,
            modes=(_mode(copy), _mode(copy.parent), _mode(copy.parent.parent)),
            text=b"".join(p.read_bytes() for p in copy.parent.iterdir() if p.is_file()),
        )
        if way_out == "refusal":  # (a destination that holds files is refused before)
            raise IrpError("refused: a row the rules refuse, met while writing")
        if way_out == "exception":
            raise RuntimeError("a bug in the bundle writer")
        if way_out == "ctrl-c":
            raise KeyboardInterrupt
        return real(visit, folder)

    monkeypatch.setattr(bundle, "write_bundle", spy)
    out = tmp_path / "shared"
    result = CliRunner().invoke(
        main, ["export", str(secret_visit), "--format", "bundle", "--out", str(out), "--redact"]
    )
    expected = {"success": 0, "refusal": 1, "exception": 1, "ctrl-c": 130}[way_out]
    assert result.exit_code == expected, result.output
    copy = seen["copy"]
    assert isinstance(copy, Path)
    assert copy.parent.parent == irp_home / "tmp"
    assert seen["modes"] == (0o600, 0o700, 0o700)
    assert isinstance(seen["text"], bytes)
    assert NOTE.encode() not in seen["text"] and MEMBER.encode() not in seen["text"]
    assert list((irp_home / "tmp").iterdir()) == []  # gone, with its lock
    assert list(system_temp.iterdir()) == []


def test_a_merge_copies_in_the_data_folder_and_removes_its_copies(
    hull_path: Path,
    tmp_path: Path,
    irp_home: Path,
    system_temp: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laptop = cp(hull_path, tmp_path / "laptop.db")
    made: list[Path] = []
    real = sources.copy_database

    def spy(source: Path, copy: Path) -> None:
        made.append(copy)
        real(source, copy)

    monkeypatch.setattr(sources, "copy_database", spy)
    result = CliRunner().invoke(main, ["merge", str(hull_path), str(laptop), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert made and all(irp_home / "tmp" in copy.parents for copy in made)
    assert list((irp_home / "tmp").iterdir()) == []
    assert list(system_temp.iterdir()) == []


HOLDER = textwrap.dedent(
    """
    import sys
    from irp_field import paths

    with paths.Scratch("export") as scratch:
        scratch.file("redacted-hull.db").write_bytes(b"work in progress")
        print(scratch.path, flush=True)
        sys.stdin.read()  # until the test is done with it
    """
)


def _holder(irp_home: Path) -> tuple[subprocess.Popen[str], Path]:
    env = {**os.environ, "IRP_FIELD_HOME": str(irp_home)}
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, env=env,
    )  # fmt: skip
    assert child.stdout is not None
    return child, Path(child.stdout.readline().strip())


def test_a_start_removes_a_dead_process_s_copies_and_never_a_running_one_s(
    irp_home: Path,
) -> None:
    running, its_folder = _holder(irp_home)
    dead, dead_folder = _holder(irp_home)
    try:
        dead.kill()  # SIGKILL on POSIX: no way out ran
        dead.wait()
        mine = paths.Scratch("viewer")  # this process's own, still in use
        stray_folder = irp_home / "tmp" / "merge-1-abc"  # its lock went: being closed
        stray_folder.mkdir()
        (stray_folder / "spill.db").write_bytes(b"x")
        young, old = irp_home / "tmp" / "young", irp_home / "tmp" / "old"
        young.write_bytes(b"y")
        old.write_bytes(b"o")
        os.utime(old, (time.time() - 7200, time.time() - 7200))
        assert dead_folder.exists() and its_folder.exists()
        removed = paths.remove_leftovers()
        assert sorted(removed) == sorted([dead_folder, stray_folder])
        assert not dead_folder.exists() and not Path(f"{dead_folder}.lock").exists()
        assert (its_folder / "redacted-hull.db").read_bytes() == b"work in progress"
        assert mine.path.exists() and young.exists() and not old.exists()
        mine.close()
        assert not mine.path.exists() and not mine.lock_file.exists()
    finally:
        running.communicate("")  # ends it: its own way out removes its folder
    assert not its_folder.exists()
    assert sorted(p.name for p in (irp_home / "tmp").iterdir()) == ["young"]


def test_every_command_start_removes_the_leftovers(irp_home: Path) -> None:
    child, folder = _holder(irp_home)
    child.kill()
    child.wait()
    assert folder.exists()
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0, result.output
    assert not folder.exists() and list((irp_home / "tmp").iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_temporary_folder_and_copies_are_owner_only_whatever_the_umask(
    irp_home: Path,
) -> None:
    old = os.umask(0)
    try:
        with paths.Scratch("export") as scratch:
            copy = scratch.file("x.db")
            modes = (_mode(irp_home / "tmp"), _mode(scratch.path), _mode(copy))
            lock = _mode(scratch.lock_file)
    finally:
        os.umask(old)
    assert modes == (0o700, 0o700, 0o600) and lock == 0o600


def test_sqlites_own_temporary_files_go_into_the_data_folder(irp_home: Path) -> None:
    """A sort too big for SQLite's cache (an export of a million checks) spills to a file:
    from the command line it is made in the data folder's private tmp/, never in the
    system's temporary folder (SQLite removes it at once; its bytes were on that disk)."""
    import sqlite3

    try:
        assert CliRunner().invoke(main, ["list"]).exit_code == 0
        probe = sqlite3.connect(":memory:")
        [(where,)] = probe.execute("PRAGMA temp_store_directory").fetchall()
        probe.close()
        assert Path(where) == paths.temporary_folder()
        if not Path("/proc/self/fd").is_dir():
            return  # where the spill lands is read from /proc (Linux)
        spilling = sqlite3.connect(irp_home / "sorting.db")
        spilling.execute("PRAGMA cache_size = -64")  # 64 KiB: the sort spills
        spilling.execute("PRAGMA temp_store = FILE")
        spilling.execute("CREATE TABLE t (x TEXT)")
        spilling.executemany(
            "INSERT INTO t VALUES (?)", ((f"{i * 7919 % 100003:06d}" * 8,) for i in range(60000))
        )
        cursor = spilling.execute("SELECT x FROM t ORDER BY x")
        cursor.fetchone()
        held = []
        for entry in Path("/proc/self/fd").iterdir():
            with contextlib.suppress(OSError):
                held.append(os.readlink(entry))
        spilled = [h for h in held if "etilqs" in h]
        cursor.close()
        spilling.close()
        assert spilled and all(h.startswith(str(paths.temporary_folder())) for h in spilled)
    finally:  # the process's own choice again, for the tests after this one
        reset = sqlite3.connect(":memory:")
        reset.execute("PRAGMA temp_store_directory = ''")
        reset.close()
