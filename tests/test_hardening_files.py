"""Damaged and foreign files: every command that takes a visit refuses them in one line.

For each kind of bad file and each command: a non-zero exit, one line ``Error: ...``,
no traceback, and no file changed (every file in the work folder and the data folder
is hashed before and after). ``open`` runs in a subprocess: it must refuse before the
terminal UI starts.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hardening_helpers import folder_hashes
from merge_helpers import cp

from irp_field import paths
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.interchange import samples

SEED = 20261127


def _empty(good: Path, bad: Path) -> None:
    bad.write_bytes(b"")


def _truncated(good: Path, bad: Path) -> None:
    data = cp(good, bad).read_bytes()
    bad.write_bytes(data[: len(data) // 2])


def _scribbled(good: Path, bad: Path) -> None:
    """Random bytes over whole pages in the middle (seeded): structure, not only text."""
    data = bytearray(cp(good, bad).read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    pages = len(data) // page
    rng = random.Random(SEED)
    for number in sorted(rng.sample(range(pages // 4, 3 * pages // 4), 3)):
        data[number * page : (number + 1) * page] = rng.randbytes(page)
    bad.write_bytes(bytes(data))


def _zip(good: Path, bad: Path) -> None:
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("visit.toml", "[visit]\nestablishment = 'HMP Hull'\n")


def _foreign_sqlite(good: Path, bad: Path) -> None:
    conn = sqlite3.connect(bad)
    with conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.close()


def _newer_schema(good: Path, bad: Path) -> None:
    cp(good, bad)
    conn = sqlite3.connect(bad)
    with conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _folder(good: Path, bad: Path) -> None:
    bad.mkdir()


def _missing(good: Path, bad: Path) -> None:
    pass


BAD_FILES: dict[str, Callable[[Path, Path], None]] = {
    "empty": _empty,
    "truncated": _truncated,
    "scribbled": _scribbled,
    "zip": _zip,
    "foreign-sqlite": _foreign_sqlite,
    "newer-schema": _newer_schema,
    "folder": _folder,
    "missing": _missing,
}

# Every command that takes a visit; V is the visit under test, G a good visit, C a CSV.
WRITING = {
    "import": ["import", "V", "team", "C"],
    "sync": ["sync", "V"],
    "merge-target": ["merge", "V", "G"],
    "judge": ["judge", "V", "1.33", "good"],
    "findings-add": ["findings", "add", "V", "1.33", "A new paragraph."],
    "sample-draw": [
        "sample",
        "draw",
        "V",
        "--frame",
        "F",
        "--size",
        "2",
        "--seed",
        "1",
        "--population",
        "9",
    ],
    "conflicts-resolve": ["conflicts", "V", "--resolve", "abc", "--keep", "x"],
    "summary-add": ["summary", "add", "V", "A summary paragraph."],
    "parts-set": ["parts", "set", "V", "back_page", "Copyright 2022."],
    "glossary-set": ["glossary", "set", "V", "Leader", "Anyone who leads."],
    "outcomes-set": ["outcomes", "set", "V", "2021", "Safety", "Good"],
    "attach": ["attach", "V", "P", "--paragraph", "3.1"],
}
READING = {
    "figures": ["figures", "V", "--json"],
    "sync-check": ["sync", "V", "--check"],
    "report": ["report", "V", "--format", "md"],
    "merge-source": ["merge", "G", "V"],
    "export-sqlite": ["export", "V", "--format", "sqlite", "--out", "OUT"],
    "export-redacted": ["export", "V", "--format", "json", "--out", "OUT", "--redact"],
    "export-bundle": ["export", "V", "--format", "bundle", "--out", "OUT"],
    "export-combined": ["export", "O", "V", "--combine", "--format", "sqlite", "--out", "OUT"],
    "check": ["check", "V"],
    "findings-list": ["findings", "list", "V"],
    "evidence": ["evidence", "V", "1.33"],
    "conflicts": ["conflicts", "V"],
    "notes-search": ["notes", "search", "V", "strategy"],
    "summary-list": ["summary", "list", "V"],
    "parts-list": ["parts", "list", "V"],
    "glossary-list": ["glossary", "list", "V"],
    "outcomes-list": ["outcomes", "list", "V"],
    "attachments-list": ["attachments", "list", "V"],
}
COMMANDS = {**WRITING, **READING}


@pytest.fixture
def work(hull_path: Path, tmp_path: Path) -> Path:
    """A folder with a good visit G and a team CSV C; the bad file goes beside them."""
    folder = tmp_path / "work"
    folder.mkdir()
    cp(hull_path, folder / "good.db")
    VisitFile.create(
        folder / "other.db",
        establishment="HMP Other",
        start_date="2026-11-23",
        end_date="2026-11-25",
    ).close()
    (folder / "team.csv").write_text("name,role,body\nNew Inspector,Inspector,HMIP\n")
    return folder


def _args(command: list[str], work: Path, visit: Path) -> list[str]:
    names = {
        "V": str(visit),
        "G": str(work / "good.db"),
        "O": str(work / "other.db"),
        "C": str(work / "team.csv"),
        "P": str(
            samples.sample_bundle() / "attachments" / "segregation-unit-exercise-bicycles.png"
        ),
        "OUT": str(work / "out"),
    }
    return [names.get(arg, arg) for arg in command]


def _assert_one_line_refusal(exit_code: int, output: str, what: str) -> None:
    assert exit_code != 0, what
    lines = output.strip().splitlines()
    assert "Traceback" not in output, (what, output)
    assert len(lines) == 1 and lines[0].startswith("Error: "), (what, output)


@pytest.mark.parametrize("kind", list(BAD_FILES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_bad_files_are_refused_in_one_line_and_nothing_changes(
    work: Path, irp_home: Path, kind: str, command: str
) -> None:
    bad = work / "visit.db"
    BAD_FILES[kind](work / "good.db", bad)
    paths.installation_id()  # made on first use anyway; not a change the command made
    before = folder_hashes(work, irp_home)
    result = CliRunner().invoke(main, _args(COMMANDS[command], work, bad))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if (command, kind) == ("merge-target", "missing"):
        # A merge into a target that does not exist makes it from the source's visit
        # (the team leader's first merge of the day); nothing else changes.
        assert result.exit_code == 0, result.output
        assert "Created" in result.output and bad.exists()
        bad.unlink()
        assert folder_hashes(work, irp_home) == before
        return
    _assert_one_line_refusal(result.exit_code, result.output, f"{command} on {kind}")
    assert folder_hashes(work, irp_home) == before


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Mode 0400; as root (where modes do not stop writes), the immutable flag as well,
    which stops root too. Skips when neither can make the file read-only."""
    path.chmod(0o400)
    immutable = False
    try:
        if os.name == "posix" and os.geteuid() == 0:
            chattr = shutil.which("chattr")
            done = chattr and subprocess.run([chattr, "+i", str(path)], capture_output=True)
            if not done or done.returncode != 0:
                pytest.skip("running as root without chattr: cannot make a file read-only")
            immutable = True
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o600)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_read_only_visit_is_refused_for_writing_and_read_for_reading(
    work: Path, irp_home: Path, command: str
) -> None:
    visit = work / "visit.db"
    cp(work / "good.db", visit)
    paths.installation_id()
    with _read_only(visit):
        before = folder_hashes(work, irp_home)
        result = CliRunner().invoke(main, _args(COMMANDS[command], work, visit))
        assert result.exception is None or isinstance(result.exception, SystemExit)
        if command in WRITING:
            _assert_one_line_refusal(result.exit_code, result.output, command)
            assert "read-only" in result.output
            assert folder_hashes(work, irp_home) == before
        else:
            stale = command == "sync-check" and "out of date" in result.output
            assert result.exit_code == (1 if stale else 0), result.output
            assert "Traceback" not in result.output
            after = folder_hashes(work, irp_home)
            assert after[str(visit)] == before[str(visit)]


OPEN_CASES = [*BAD_FILES, "read-only"]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_open_refuses_every_bad_file_before_the_ui_starts(work: Path, irp_home: Path) -> None:
    """In a real process with a timeout: a UI that started would never exit by itself."""
    for kind in OPEN_CASES:
        bad = work / f"{kind}.db"
        if kind == "read-only":
            cp(work / "good.db", bad)
            context: contextlib.AbstractContextManager[None] = _read_only(bad)
        else:
            BAD_FILES[kind](work / "good.db", bad)
            context = contextlib.nullcontext()
        with context:
            before = folder_hashes(work, irp_home)
            done = subprocess.run(
                [sys.executable, "-m", "irp_field", "open", str(bad)],
                capture_output=True,
                text=True,
                timeout=60,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "IRP_FIELD_HOME": str(irp_home)},
            )
            _assert_one_line_refusal(done.returncode, done.stdout + done.stderr, kind)
            assert folder_hashes(work, irp_home) == before, kind


def test_combining_two_copies_of_one_visit_is_refused_in_one_line(work: Path) -> None:
    copy = cp(work / "good.db", work / "copy.db")
    args = ["export", str(work / "good.db"), str(copy), "--combine", "--format", "sqlite"]
    result = CliRunner().invoke(main, [*args, "--out", str(work / "all.sqlite")])
    _assert_one_line_refusal(result.exit_code, result.output, "combine copies")
    assert "copies of the same visit" in result.output
    assert not (work / "all.sqlite").exists()
