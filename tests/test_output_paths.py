"""Where an output may go, and what a failed write leaves (``core/destinations.py``).

A slip of tab completion (``report hull.db --format markdown --out hull.db``) replaced
an 840 KB visit with a 52 KB report, exit 0, no backup. Every command that writes a file
now refuses an existing one unless ``--overwrite`` is given, and never, even then, writes
over an SQLite file, a visit's log, the visit being read or anything in the data
folder's ``visits`` and ``backups``; any failure of a writer is one line, "Not written:
PATH: why", exit 1, no traceback, and the destination as it was.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from irp_field.cli import main
from irp_field.core import destinations, staging
from irp_field.domain.errors import NotWrittenError


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(result: Result, out: Path, why: str) -> None:
    """Refused in one line naming ``out``, exit 1, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"Not written: {out}: {why}" in lines[0]
    assert "Traceback" not in result.output


def no_partials(folder: Path) -> None:
    assert sorted(p.name for p in folder.glob(".*partial*")) == []


# -- the slip, and what is never written over ----------------------------------------


@pytest.mark.parametrize("overwrite", [[], ["--overwrite"]], ids=["plain", "overwrite"])
@pytest.mark.parametrize("report_format", ["markdown", "html", "docx"])
def test_a_report_naming_the_visit_it_reads_leaves_the_visit_byte_identical(
    hull_path: Path, report_format: str, overwrite: list[str]
) -> None:
    """The slip itself: it used to write the report over the visit and exit 0."""
    before = digest(hull_path)
    result = run("report", hull_path, "--format", report_format, "--out", hull_path, *overwrite)
    refused(result, hull_path, "is the visit being read")
    assert digest(hull_path) == before
    no_partials(hull_path.parent)


def test_the_visit_by_another_name_or_a_hard_link_is_still_the_visit(
    hull_path: Path, tmp_path: Path
) -> None:
    before = digest(hull_path)
    other_spelling = tmp_path / "sub" / ".." / "hull.db"
    (tmp_path / "sub").mkdir()
    result = run("report", hull_path, "--format", "md", "--out", other_spelling, "--overwrite")
    refused(result, other_spelling, "is the visit being read")
    linked = tmp_path / "hull-report.md"
    os.link(hull_path, linked)
    result = run("report", hull_path, "--format", "md", "--out", linked, "--overwrite")
    refused(result, linked, "is the visit being read")
    assert digest(hull_path) == before


def test_the_visits_write_ahead_log_is_never_written(hull_path: Path, tmp_path: Path) -> None:
    """hull.db-wal holds commits not yet in hull.db: a report over it loses them."""
    log = tmp_path / "hull.db-wal"
    result = run("report", hull_path, "--format", "md", "--out", log, "--overwrite")
    refused(result, log, "is the visit being read")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    beside = tmp_path / "other.db-journal"
    result = run("report", hull_path, "--format", "md", "--out", beside, "--overwrite")
    refused(result, beside, "belongs to the SQLite database other.db")
    assert not beside.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["report", "{visit}", "--format", "markdown"],
        ["report", "{visit}", "--format", "docx"],
        ["export", "{visit}", "--format", "json"],
        ["export", "{visit}", "--format", "xlsx"],
        ["export", "{visit}", "--format", "sqlite"],
    ],
    ids=lambda c: f"{c[0]}-{c[3]}",
)
def test_an_sqlite_file_that_is_not_a_visit_is_never_written_over(
    hull_path: Path, tmp_path: Path, command: list[str]
) -> None:
    """An analyst's own database is refused by its first bytes, whatever its name,
    --overwrite or not (an earlier export, known by its tables, is replaced with
    --overwrite: tests/test_replacing_exports.py)."""
    theirs = tmp_path / "analysis.txt"
    with sqlite3.connect(theirs) as conn:
        conn.execute("CREATE TABLE mine (x)")
        conn.execute("INSERT INTO mine VALUES (42)")
    conn.close()
    before = digest(theirs)
    args = [a.replace("{visit}", str(hull_path)) for a in command]
    result = run(*args, "--out", theirs, "--overwrite")
    refused(result, theirs, "is an SQLite database")
    assert digest(theirs) == before
    no_partials(tmp_path)


@pytest.mark.parametrize("kept", ["visits", "backups"])
def test_nothing_is_written_into_the_data_folders_visits_or_backups(
    hull_path: Path, irp_home: Path, tmp_path: Path, kept: str
) -> None:
    folder = irp_home / kept
    folder.mkdir()
    notes = folder / "notes.md"
    notes.write_text("an inspector's own file", encoding="utf-8")
    for out, overwrite in ((folder / "hull-report.md", []), (notes, ["--overwrite"])):
        result = run("report", hull_path, "--format", "md", "--out", out, *overwrite)
        refused(result, out, f"is in the data folder's {kept} folder")
    result = run("export", hull_path, "--format", "csv", "--out", folder / "hull-csv")
    refused(result, folder / "hull-csv", f"is in the data folder's {kept} folder")
    assert sorted(p.name for p in folder.iterdir()) == ["notes.md"]
    assert notes.read_text(encoding="utf-8") == "an inspector's own file"


@pytest.mark.parametrize("own", ["keys/identity.txt", "installation-id", "sound-files.json",
                                 "who-am-i.json", "report-defaults.toml", "tmp/stray.json",
                                 "unsaved/x.kept"])  # fmt: skip
def test_nothing_is_written_over_the_data_folders_own_files(
    hull_path: Path, irp_home: Path, own: str
) -> None:
    """``--out DATA/keys/identity.txt --overwrite`` replaced the team leader's secret key
    (every hand-back sealed for it could no longer be opened), and an export into tmp/
    was later swept away as a stray: the data folder's own files are refused, even with
    --overwrite, and stay as they were."""
    out = irp_home / own
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("the data folder's own", encoding="utf-8")
    for command in (
        ("export", hull_path, "--format", "json", "--out", out, "--overwrite"),
        ("report", hull_path, "--format", "md", "--out", out, "--overwrite"),
    ):
        refused(run(*command), out, "is in the data folder's")
        if own == "sound-files.json":  # irp-field's own record of the visit, rewritten
            out.write_text("the data folder's own", encoding="utf-8")  # by the opening
    assert out.read_text(encoding="utf-8") == "the data folder's own"
    beside = out.with_name("beside.md")
    if beside.parent != irp_home:  # a new file in one of its folders: refused too
        refused(run("report", hull_path, "--format", "md", "--out", beside), beside, "is in")
        assert not beside.exists()


def test_outputs_beside_the_data_folders_own_files_are_written(
    hull_path: Path, irp_home: Path
) -> None:
    """The rule names the data folder's own entries, not the folder: its outputs/ (where
    F12 offers to write when the data folder is moved) and a new file at its top are
    outputs like any other."""
    for out in (irp_home / "outputs" / "hull.md", irp_home / "hull-report.md"):
        out.parent.mkdir(parents=True, exist_ok=True)
        result = run("report", hull_path, "--format", "md", "--out", out)
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8").startswith("#")


@pytest.mark.skipif(os.name == "nt", reason="a symbolic link needs a privilege on Windows")
@pytest.mark.parametrize("kept", ["visits", "backups"])
def test_a_link_into_visits_or_backups_is_followed_and_refused(
    hull_path: Path, irp_home: Path, tmp_path: Path, kept: str
) -> None:
    folder = irp_home / kept
    folder.mkdir()
    (tmp_path / "shortcut").symlink_to(folder)
    through = tmp_path / "shortcut" / "r.md"
    refused(
        run("report", hull_path, "--format", "md", "--out", through),
        through,
        f"is in the data folder's {kept}",
    )
    assert list(folder.iterdir()) == []


def test_a_visit_named_by_its_bare_name_in_the_data_folder_is_refused(
    hull_path: Path, irp_home: Path
) -> None:
    """``irp-field report hull --out ...`` reads the visit from the data folder: the report
    cannot go there, under any name."""
    (irp_home / "visits").mkdir()
    kept = irp_home / "visits" / "hull.db"
    kept.write_bytes(hull_path.read_bytes())
    before = digest(kept)
    result = run("report", "hull", "--format", "md", "--out", kept, "--overwrite")
    refused(result, kept, "is the visit being read")
    assert digest(kept) == before


# -- an existing output: refused, or replaced whole with --overwrite -----------------


def test_an_existing_report_is_kept_unless_overwrite_and_then_replaced_whole(
    hull_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.md"
    out.write_text("yesterday's report", encoding="utf-8")
    result = run("report", hull_path, "--format", "md", "--out", out)
    refused(result, out, "already exists; choose another name, or replace it with --overwrite")
    assert out.read_text(encoding="utf-8") == "yesterday's report"
    result = run("report", hull_path, "--format", "md", "--out", out, "--overwrite")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# Report on an independent review")
    assert out.stat().st_mode & 0o777 == 0o600
    no_partials(tmp_path)


@pytest.mark.parametrize("export_format", ["json", "xlsx", "sqlite"])
def test_an_existing_export_is_kept_unless_overwrite(
    hull_path: Path, tmp_path: Path, export_format: str
) -> None:
    out = tmp_path / f"hull.{export_format}"
    out.write_text("last week's export", encoding="utf-8")
    result = run("export", hull_path, "--format", export_format, "--out", out)
    refused(result, out, "already exists")
    assert out.read_text(encoding="utf-8") == "last week's export"
    result = run("export", hull_path, "--format", export_format, "--out", out, "--overwrite")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() != b"last week's export" and out.stat().st_size > 1000
    no_partials(tmp_path)


def test_the_datasette_metadata_is_replaced_only_with_overwrite(
    hull_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hull.sqlite"
    described = tmp_path / "hull.metadata.json"
    described.write_text("{}", encoding="utf-8")
    result = run("export", hull_path, "--format", "sqlite", "--out", out)
    refused(result, described, "already exists")
    assert not out.exists()
    result = run("export", hull_path, "--format", "sqlite", "--out", out, "--overwrite")
    assert result.exit_code == 0, result.output
    assert '"databases"' in described.read_text(encoding="utf-8")
    # the export just written is the export's own (by the tables it holds): replaced
    # with --overwrite, as the evening's re-run needs (it was refused as any database)
    result = run("export", hull_path, "--format", "sqlite", "--out", out, "--overwrite")
    assert result.exit_code == 0, result.output
    # a visit at that name is an SQLite database irp-field did not export: never
    shutil.copyfile(hull_path, out)
    before = digest(out)
    result = run("export", hull_path, "--format", "sqlite", "--out", out, "--overwrite")
    refused(result, out, "is an SQLite database irp-field did not export")
    assert digest(out) == before


def test_overwrite_never_empties_a_folder(hull_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "hull-csv"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    for export_format in ("csv", "bundle"):
        result = run("export", hull_path, "--format", export_format, "--out", out, "--overwrite")
        refused(result, out, "already exists and is not an empty folder")
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_a_saved_attachment_is_kept_unless_overwrite_and_never_over_the_visit(
    hull_path: Path, tmp_path: Path
) -> None:
    listed = run("attachments", "list", hull_path)
    attachment = listed.output.split()[0]
    out = tmp_path / "photo.png"
    out.write_bytes(b"an inspector's own picture")
    refused(run("attachments", "save", hull_path, attachment, "--out", out), out, "already")
    assert out.read_bytes() == b"an inspector's own picture"
    result = run("attachments", "save", hull_path, attachment, "--out", out, "--overwrite")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    before = digest(hull_path)
    result = run("attachments", "save", hull_path, attachment, "--out", hull_path, "--overwrite")
    refused(result, hull_path, "is the visit being read")
    assert digest(hull_path) == before
    no_partials(tmp_path)


# -- a writer that fails: one line, exit 1, the destination as it was ----------------


def _full_disk_after_half(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills halfway through writing any partial file: half of it is there (a
    file written whole, or one written a part at a time through ``Path.open``)."""
    real_text, real_bytes = Path.write_text, Path.write_bytes

    def text(self: Path, data: str, *args: object, **kwargs: object) -> int:
        if ".partial" not in self.name:
            return real_text(self, data, *args, **kwargs)  # type: ignore[arg-type]
        real_text(self, data[: len(data) // 2], *args, **kwargs)  # type: ignore[arg-type]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def binary(self: Path, data: bytes) -> int:
        if ".partial" not in self.name:
            return real_bytes(self, data)
        real_bytes(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real_open = Path.open

    def opened(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        handle = real_open(self, mode, *args, **kwargs)  # type: ignore[call-overload]
        if ".partial" not in self.name or not any(m in mode for m in "wax"):
            return handle
        written = [0]
        real_write = handle.write

        def write(data: object) -> int:  # a writer that streams: the first part lands
            if written[0]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written[0] += 1
            return int(real_write(data))

        handle.write = write
        return handle

    monkeypatch.setattr(Path, "write_text", text)
    monkeypatch.setattr(Path, "write_bytes", binary)
    monkeypatch.setattr(Path, "open", opened)


def _raises(error: Exception) -> Callable[..., None]:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise error

    return fail


@pytest.mark.parametrize("existed", [False, True], ids=["new", "over-an-old-one"])
@pytest.mark.parametrize(
    ("report_format", "target", "error", "why"),
    [
        ("docx", "irp_field.report.word.write", KeyError("rId7"), "unexpected KeyError: 'rId7'"),
        (
            "docx",
            "irp_field.report.word.write",
            ValueError("All strings must be XML compatible"),
            "unexpected ValueError: All strings must be XML compatible",
        ),
        ("md", "full disk", None, "No space left on device"),
        ("html", "full disk", None, "No space left on device"),
    ],
    ids=["docx-KeyError", "docx-ValueError", "md-full-disk", "html-full-disk"],
)
def test_a_report_writer_that_fails_is_one_line_and_leaves_the_destination(
    hull_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    report_format: str,
    target: str,
    error: Exception | None,
    why: str,
    existed: bool,
) -> None:
    out = tmp_path / f"r.{report_format}"
    if existed:
        out.write_bytes(b"the report as it was")
    if error is None:
        _full_disk_after_half(monkeypatch)
    else:
        monkeypatch.setattr(target, _raises(error))
    overwrite = ["--overwrite"] if existed else []
    result = run("report", hull_path, "--format", report_format, "--out", out, *overwrite)
    refused(result, out, why)
    if existed:
        assert out.read_bytes() == b"the report as it was"
    else:
        assert not out.exists()
    no_partials(tmp_path)


@pytest.mark.parametrize(
    ("export_format", "target", "error", "why"),
    [
        (
            "xlsx",
            "xlsxwriter.workbook.Workbook.close",
            ValueError("All strings must be XML compatible"),
            "unexpected ValueError: All strings must be XML compatible",
        ),
        ("json", "full disk", None, "No space left on device"),
        (
            "sqlite",
            "irp_field.interchange.export_writers.metadata",
            KeyError("title"),
            "unexpected KeyError: 'title'",
        ),
        (
            "csv",
            "irp_field.interchange.export_writers.csv_table",
            PermissionError(errno.EACCES, os.strerror(errno.EACCES)),
            "Permission denied",
        ),
        (
            "bundle",
            "irp_field.interchange.bundle_parts.write_attachments",
            OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
            "No space left on device",
        ),
    ],
    ids=["xlsx", "json", "sqlite", "csv", "bundle"],
)
def test_an_export_writer_that_fails_is_one_line_and_leaves_nothing(
    hull_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    export_format: str,
    target: str,
    error: Exception | None,
    why: str,
) -> None:
    out = tmp_path / f"hull-{export_format}"
    if error is None:
        _full_disk_after_half(monkeypatch)
    else:
        monkeypatch.setattr(target, _raises(error))
    result = run("export", hull_path, "--format", export_format, "--out", out)
    refused(result, out, why)
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("hull.db"))
    assert left == []  # neither the export, whole or half, nor its partial files


def test_an_export_that_fails_over_an_old_one_keeps_the_old_one(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "hull.json"
    out.write_text('{"yesterday": true}', encoding="utf-8")
    _full_disk_after_half(monkeypatch)
    result = run("export", hull_path, "--format", "json", "--out", out, "--overwrite")
    refused(result, out, "No space left on device")
    assert out.read_text(encoding="utf-8") == '{"yesterday": true}'
    no_partials(tmp_path)


@pytest.mark.parametrize("existed", [False, True], ids=["new", "over-an-old-one"])
def test_an_attachment_that_cannot_be_saved_leaves_no_empty_file(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existed: bool
) -> None:
    """It used to create the file first, then fill it: a failure left it empty."""
    attachment = run("attachments", "list", hull_path).output.split()[0]
    out = tmp_path / "photo.png"
    if existed:
        out.write_bytes(b"the photograph as it was")
    monkeypatch.setattr(
        "irp_field.evidence.attachments.content",
        _raises(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))),
    )
    overwrite = ["--overwrite"] if existed else []
    result = run("attachments", "save", hull_path, attachment, "--out", out, *overwrite)
    refused(result, out, "No space left on device")
    if existed:
        assert out.read_bytes() == b"the photograph as it was"
    else:
        assert not out.exists()
    no_partials(tmp_path)


# -- the rule itself ------------------------------------------------------------------


def test_the_rule_reads_the_first_bytes_not_the_name(tmp_path: Path) -> None:
    log = tmp_path / "notes.txt"
    log.write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 28)  # a write-ahead log, renamed
    assert destinations.refusal(log, overwrite=True) == (
        "is an SQLite database's log; irp-field never writes over one"
    )
    text = tmp_path / "hull.db"
    text.write_text("not a database, whatever its name says", encoding="utf-8")
    assert destinations.refusal(text, overwrite=True) is None
    assert destinations.refusal(text) == destinations.EXISTS
    assert destinations.may_replace(text)
    assert not destinations.may_replace(log)
    assert not destinations.may_replace(tmp_path / "new.md")  # nothing to ask about


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_a_pipe_is_refused_without_being_opened(tmp_path: Path) -> None:
    """Reading a FIFO's first bytes would wait for a writer for ever."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    assert destinations.refusal(pipe, overwrite=True) == (
        "is not a plain file (a device, a pipe or a socket)"
    )


def test_a_crash_inside_a_write_becomes_one_line_and_ctrl_c_stays_ctrl_c(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    with (
        pytest.raises(NotWrittenError, match=r"r\.md: unexpected ZeroDivisionError"),
        destinations.writing(out),
        staging.staged() as staged,
    ):
        staged.file(out).write_text("half", encoding="utf-8")
        _ = 1 / 0
    with (
        pytest.raises(KeyboardInterrupt),
        destinations.writing(out),
        staging.staged() as staged,
    ):
        staged.file(out).write_text("half", encoding="utf-8")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
