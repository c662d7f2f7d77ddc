"""A file's name is what a file from elsewhere says; what irp-field writes is named for
the type its bytes are (hostile, 0.13.0).

A PDF's first line is ``%PDF-``; a batch file's interpreter skips a line it cannot run
and runs the next. So a PDF named ``minutes.bat`` holding ``calc.exe`` on its second
line was attached (with a warning that it was a PDF), merged and bundled under that
name, and ``o`` in the attachments list copied it for the system's viewer as
``minutes.bat``: Windows's viewer for a .bat is cmd.exe, which ran it. Saved into a
folder (``attachments save --out ~/``), one named ``.bash_login`` was written into the
home folder as a login script. Every file irp-field writes itself under a stored name
(saved into a folder, the viewer's copy, a bundle's ``attachments/``) is now named by
``domain.attachments.written_name``: a plain name in one folder, ending in its kind's
extension (``minutes.bat.pdf``, ``bash_login.pdf``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable
from tui_helpers import hull_app, settle

from irp_field.cli import main
from irp_field.core.visit_file import VisitFile

POLYGLOT = b"%PDF-1.4\r\n@echo off & calc.exe & exit\r\n%%EOF\r\n"
SHA = "0123456789abcdef" * 4


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], terminal_width=200)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def attach(visit: Path, folder: Path, name: str, paragraph: str = "3.2") -> None:
    path = folder / "offered" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(POLYGLOT)
    code, output = run("attach", visit, path, "--paragraph", paragraph)
    assert code == 0, output


@pytest.mark.parametrize(
    ("stored", "kind", "written"),
    [
        ("minutes.bat", "pdf", "minutes.bat.pdf"),
        (".bash_login", "pdf", "bash_login.pdf"),
        ("Yard 1 (east).jpeg", "jpeg", "Yard 1 (east).jpeg"),
        ("minutes.PDF", "pdf", "minutes.PDF"),
        ("x.jpg", "png", "x.jpg.png"),
        ("..", "png", f"{SHA[:12]}.png"),
        ("", "png", f"{SHA[:12]}.png"),
        ("a/../../b.png", "png", "b.png"),
        ("..\\..\\c.png", "png", "c.png"),
        ("x.png:stream", "png", "x.png_stream.png"),
        ("CON", "pdf", "_CON.pdf"),
        ("com1.notes.pdf", "pdf", "_com1.notes.pdf"),
        ("a\u202egpj.exe", "jpeg", "a_gpj.exe.jpg"),
        ("Élodie's yard.png", "png", "Élodie_s yard.png"),
    ],
)
def test_the_name_a_stored_file_is_written_under(stored: str, kind: str, written: str) -> None:
    from irp_field.domain.attachments import written_name

    assert written_name(stored, kind, SHA) == written


def test_saving_into_a_folder_names_the_file_for_its_type(hull_path: Path, tmp_path: Path) -> None:
    attach(hull_path, tmp_path, "minutes.bat")
    attach(hull_path, tmp_path, ".bash_login", "3.3")
    home = tmp_path / "home"
    home.mkdir()
    with VisitFile.open(hull_path, readonly=True) as visit:
        ids = {
            str(row[1]): str(row[0])
            for row in visit.query("SELECT id, file_name FROM attachment WHERE deleted = 0")
        }
    for stored in ("minutes.bat", ".bash_login"):
        code, output = run("attachments", "save", hull_path, ids[stored][:8], "--out", f"{home}/")
        assert code == 0, output
    assert sorted(p.name for p in home.iterdir()) == ["bash_login.pdf", "minutes.bat.pdf"]
    assert (home / "minutes.bat.pdf").read_bytes() == POLYGLOT


def test_a_bundle_names_its_attachments_for_their_type_and_builds_again(
    hull_path: Path, tmp_path: Path
) -> None:
    attach(hull_path, tmp_path, "minutes.bat")
    bundle = tmp_path / "bundle"
    code, output = run("export", hull_path, "--format", "bundle", "--out", bundle)
    assert code == 0, output
    names = sorted(p.name for p in (bundle / "attachments").iterdir())
    assert "minutes.bat.pdf" in names and "minutes.bat" not in names, names
    code, output = run("new", tmp_path / "again.db", "--from", bundle)
    assert code == 0, output
    with VisitFile.open(tmp_path / "again.db", readonly=True) as visit:
        found = visit.one(
            "SELECT f.content FROM attachment a JOIN attachment_file f ON f.id = a.file_sha256 "
            "WHERE a.file_name = 'minutes.bat.pdf' AND a.deleted = 0"
        )
        assert found is not None and bytes(found[0]) == POLYGLOT


async def test_the_viewers_copy_is_named_for_its_type(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from irp_field.api import attachments

    attach(hull_path, tmp_path, "minutes.bat")
    opened: list[Path] = []
    monkeypatch.setattr(attachments, "open_in_viewer", opened.append)
    app = hull_app(hull_path, user="Sara Pennington")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        app.screen.query_one("#paragraphs", DataTable).focus()
        await pilot.press("down", "f")  # 3.2
        await settle(pilot)
        files = app.screen.query_one("#files", DataTable)
        files.focus()
        await pilot.press("o")
        await pilot.pause()
        assert [p.name for p in opened] == ["minutes.bat.pdf"]
        assert opened[0].read_bytes() == POLYGLOT
        await pilot.press("escape")
