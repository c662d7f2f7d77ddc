"""``--out usb/`` for an output of one file: pathlib drops the last "/", and the xlsx
export was written as a file called ``usb`` (no folder, no extension), where the person
had named a folder. Refused in one line naming a file to give; nothing is written. An
output that is a folder (csv, a bundle) still takes the "/"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from irp_field.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), terminal_width=200)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("command", "what", "named"),
    [
        (["export", "--format", "sqlite"], "the sqlite export", "hull.sqlite"),
        (["export", "--format", "xlsx"], "the xlsx export", "hull.xlsx"),
        (["export", "--format", "json"], "the json export", "hull.json"),
        (["export", "--format", "csv", "--sealed"], "the sealed export", "hull.age"),
        (["report", "--format", "docx"], "the report", "hull.docx"),
        (["report", "--format", "html"], "the report", "hull.html"),
        (["handback"], "the hand-back", "hull.age"),
    ],
)
def test_one_file_to_a_path_typed_as_a_folder_is_refused_and_nothing_written(
    hull_path: Path, tmp_path: Path, command: list[str], what: str, named: str
) -> None:
    usb = tmp_path / "usb"
    code, said = run(*command[:1], str(hull_path), *command[1:], "--out", f"{usb}{os.sep}")
    assert code == 1
    assert said.strip() == (
        f"Error: Not written: {usb}{os.sep}: names a folder; {what} is one file: give its name, "
        f"such as {usb / named}"
    )
    assert not usb.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hull.db"]


def test_a_folder_output_still_takes_a_path_typed_as_a_folder(
    hull_path: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    code, said = run("export", str(hull_path), "--format", "csv", "--out", f"{usb}{os.sep}")
    assert code == 0, said
    assert usb.is_dir() and (usb / "roll_check.csv").is_file()


def test_a_file_name_is_taken_as_before(hull_path: Path, tmp_path: Path) -> None:
    code, said = run(
        "export", str(hull_path), "--format", "xlsx", "--out", str(tmp_path / "h.xlsx")
    )
    assert code == 0, said
    assert (tmp_path / "h.xlsx").is_file()


def test_an_attachment_saved_to_a_folder_that_is_not_there_is_refused(
    hull_path: Path, tmp_path: Path
) -> None:
    """``attachments save --out photos/`` (a file, or a folder to save it in): the
    photograph was saved as a file called ``photos``."""
    from PIL import Image

    picture = tmp_path / "board.png"
    Image.new("RGB", (8, 8), "white").save(picture)
    code, said = run("attach", str(hull_path), str(picture), "--paragraph", "3.1")
    assert code == 0, said
    code, listed = run("attachments", "list", str(hull_path))
    first = listed.split()[0]
    photos = tmp_path / "photos"

    code, said = run("attachments", "save", str(hull_path), first, "--out", f"{photos}{os.sep}")
    assert (code, said.strip()) == (1, f"Error: Not written: {photos}{os.sep}: no such folder")
    assert not photos.exists()

    photos.mkdir()
    code, said = run("attachments", "save", str(hull_path), first, "--out", f"{photos}{os.sep}")
    assert code == 0, said
    (saved,) = photos.iterdir()  # under its own name
    assert saved.stat().st_size > 0
