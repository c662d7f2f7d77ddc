"""Opening reads every page only when the file changed by another hand (issue 24, aim 3).

A visit found sound, or left so by this installation's own writing, opens with its
shape and version checked; any other change on disk (a byte, a copy over it, another
program's write) makes the next opening read every page again. ``check`` always does.
"""

from __future__ import annotations

import os
import random
import sqlite3
import stat
from pathlib import Path

import pytest

from irp_field.core import pages, sound_files
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import NotAVisitError


@pytest.fixture
def page_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every whole-file check an opening makes, by file."""
    made: list[Path] = []
    real = pages.refuse_damage

    def counted(path: Path, quick_check: str) -> None:
        made.append(path)
        real(path, quick_check)

    monkeypatch.setattr(pages, "refuse_damage", counted)
    return made


def _opened(path: Path, *, readonly: bool = True) -> None:
    with VisitFile.open(path, readonly=readonly) as visit:
        assert visit.one("SELECT COUNT(*) FROM roll_check")[0] > 0  # type: ignore[index]


def test_a_file_found_sound_is_not_read_whole_again(
    hull_path: Path, page_checks: list[Path]
) -> None:
    _opened(hull_path)
    _opened(hull_path)
    _opened(hull_path)
    assert page_checks == [hull_path]


def test_a_file_this_installation_wrote_is_known_sound_on_closing(
    hull_path: Path, page_checks: list[Path]
) -> None:
    with VisitFile.open(hull_path, user="Sara Pennington") as visit:
        visit.upsert("note", {"id": "n-sound", "text": "Written here", "source": "observation"})
    assert page_checks == [hull_path]
    _opened(hull_path)
    assert page_checks == [hull_path]


def test_a_write_by_another_program_makes_the_next_opening_read_every_page(
    hull_path: Path, page_checks: list[Path]
) -> None:
    _opened(hull_path)
    other = sqlite3.connect(hull_path)
    other.execute("UPDATE note SET text = text || '.' WHERE rowid = 1")
    other.commit()
    other.close()
    _opened(hull_path)
    assert page_checks == [hull_path, hull_path]


def test_another_programs_write_while_a_writer_is_open_is_not_taken_as_its_own(
    hull_path: Path, page_checks: list[Path]
) -> None:
    with VisitFile.open(hull_path, user="Sara Pennington") as visit:
        other = sqlite3.connect(hull_path)
        other.execute("UPDATE note SET text = text || '.' WHERE rowid = 1")
        other.commit()
        other.close()
        visit.upsert("note", {"id": "n-mine", "text": "Mine", "source": "observation"})
    _opened(hull_path)
    assert page_checks == [hull_path, hull_path]


def test_a_page_damaged_by_another_hand_is_refused_at_the_next_opening(
    hull_path: Path,
) -> None:
    _opened(hull_path)
    data = bytearray(hull_path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    middle = len(data) // page // 2
    data[middle * page : (middle + 1) * page] = random.Random(7).randbytes(page)
    hull_path.write_bytes(bytes(data))  # same size, same file: only the time says
    with pytest.raises(NotAVisitError, match="is damaged"):
        VisitFile.open(hull_path, readonly=True)


def test_a_copy_over_the_file_is_read_whole_even_with_its_time_kept(
    hull_path: Path, tmp_path: Path, page_checks: list[Path]
) -> None:
    _opened(hull_path)
    held = hull_path.stat()
    copy = tmp_path / "copy.db"
    copy.write_bytes(hull_path.read_bytes())
    os.replace(copy, hull_path)  # another file now, of the same size
    os.utime(hull_path, ns=(held.st_atime_ns, held.st_mtime_ns))
    _opened(hull_path)
    assert page_checks == [hull_path, hull_path]


def test_the_record_is_private_and_a_broken_one_only_costs_a_check(
    hull_path: Path, irp_home: Path, page_checks: list[Path]
) -> None:
    _opened(hull_path)
    record = irp_home / sound_files.RECORD_NAME
    if os.name == "posix":
        assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert str(hull_path.resolve()) in record.read_text(encoding="utf-8")
    record.write_text('{"' + str(hull_path.resolve()) + '": "not a look"}', encoding="utf-8")
    _opened(hull_path)
    record.write_text("[[[", encoding="utf-8")
    _opened(hull_path)
    assert page_checks == [hull_path] * 3


def test_an_unwritable_data_folder_only_costs_a_check_each_time(
    hull_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch, page_checks: list[Path]
) -> None:
    blocked = irp_home / "blocked"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("IRP_FIELD_HOME", str(blocked))
    _opened(hull_path)
    _opened(hull_path)
    assert page_checks == [hull_path, hull_path]


def test_check_reads_every_page_of_a_file_known_sound(hull_path: Path) -> None:
    from click.testing import CliRunner

    from irp_field.cli import main

    _opened(hull_path)
    data = bytearray(hull_path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    middle = len(data) // page // 2
    data[middle * page : (middle + 1) * page] = random.Random(8).randbytes(page)
    held = hull_path.stat()
    with hull_path.open("r+b") as handle:  # in place, and the time put back: a careful hand
        handle.write(bytes(data))
    os.utime(hull_path, ns=(held.st_atime_ns, held.st_mtime_ns))
    result = CliRunner().invoke(main, ["check", str(hull_path)])
    assert result.exit_code != 0
    assert "damaged" in result.output
    assert "Traceback" not in result.output
