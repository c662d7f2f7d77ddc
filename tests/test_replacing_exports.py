"""An export's own earlier output is replaced when asked (``--overwrite``, F12's y), known
by what it holds (``core.destinations.OwnOutput``); anything else at its place stays
refused: a visit, another program's database, a folder holding a file of the analyst's.

Walked: the team leader's second F12 of the evening was refused whole ("hull.sqlite: is
an SQLite database... hull-csv: already exists and is not an empty folder"), and the
command line's ``export --overwrite`` the same, with no way but deleting files by hand."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from irp_field.api.outputs import never_written, replaceable
from irp_field.cli import main


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def digest(folder_or_file: Path) -> str:
    files = sorted(folder_or_file.rglob("*")) if folder_or_file.is_dir() else [folder_or_file]
    return hashlib.sha256(b"".join(f.name.encode() + f.read_bytes() for f in files)).hexdigest()


def test_an_earlier_sqlite_or_csv_export_is_replaced_with_overwrite(
    hull_path: Path, tmp_path: Path
) -> None:
    for export_format, name in (("sqlite", "hull.sqlite"), ("csv", "hull-csv")):
        out = tmp_path / name
        first = run("export", hull_path, "--format", export_format, "--out", out)
        assert first.exit_code == 0, first.output
        again = run("export", hull_path, "--format", export_format, "--out", out)
        assert again.exit_code == 1 and "already exists" in again.stderr  # asked, not assumed
        replaced = run("export", hull_path, "--format", export_format, "--out", out, "--overwrite")
        assert replaced.exit_code == 0, replaced.output
    with sqlite3.connect(tmp_path / "hull.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM figure").fetchone()[0] > 0
    assert (tmp_path / "hull-csv" / "datapackage.json").is_file()
    # nothing left beside them: the earlier folder set aside is gone
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_what_the_export_did_not_write_is_never_replaced(hull_path: Path, tmp_path: Path) -> None:
    """A visit (its tables), another program's database, and an export's folder holding a
    file of the analyst's own are each refused even with --overwrite, and kept as they
    were."""
    visit = tmp_path / "visit.sqlite"
    shutil.copyfile(hull_path, visit)
    theirs = tmp_path / "theirs.sqlite"
    with sqlite3.connect(theirs) as conn:
        conn.execute("CREATE TABLE visit (x)")
        conn.execute("CREATE TABLE figure (x)")
        conn.execute("CREATE TABLE my_workings (x)")  # not a table the export writes
    conn.close()
    folder = tmp_path / "hull-csv"
    assert run("export", hull_path, "--format", "csv", "--out", folder).exit_code == 0
    (folder / "my-chart.xlsx").write_bytes(b"the analyst's own")
    before = {path: digest(path) for path in (visit, theirs, folder)}
    for out, export_format, why in (
        (visit, "sqlite", "is an SQLite database irp-field did not export"),
        (theirs, "sqlite", "is an SQLite database irp-field did not export"),
        (folder, "csv", "already exists and is not an empty folder of this export's files"),
    ):
        result = run("export", hull_path, "--format", export_format, "--out", out, "--overwrite")
        assert result.exit_code == 1, result.output
        assert f"Not written: {out}: {why}" in result.stderr
    assert {path: digest(path) for path in before} == before


def test_f12s_api_names_the_earlier_exports_it_may_replace(hull_path: Path, tmp_path: Path) -> None:
    """The report screen's questions come from these: what is there and replaceable
    (named in the one question, the Datasette metadata too), and what never is."""
    wanted = ["export sqlite", "export csv", "export json"]
    for fmt, name in (("sqlite", "hull.sqlite"), ("csv", "hull-csv"), ("json", "hull.json")):
        assert run("export", hull_path, "--format", fmt, "--out", tmp_path / name).exit_code == 0
    assert never_written(hull_path, tmp_path, wanted, redact=False) == []
    assert [p.name for p in replaceable(hull_path, tmp_path, wanted, redact=False)] == [
        "hull.sqlite",
        "hull.metadata.json",
        "hull-csv",
        "hull.json",
    ]
    (tmp_path / "hull.sqlite").unlink()
    shutil.copyfile(hull_path, tmp_path / "hull.sqlite")  # a visit where the export goes
    refused = never_written(hull_path, tmp_path, wanted, redact=False)
    assert refused == [
        "hull.sqlite: is an SQLite database irp-field did not export (a visit file, or "
        "another program's); irp-field never writes over one, not even with --overwrite"
    ]


def test_an_earlier_folder_is_put_back_when_its_replacement_fails(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The earlier CSV folder is set aside, not removed, until the new one is in place: a
    rename that fails then (a full disk, a stick pulled) leaves the earlier one as it was
    and nothing else beside it."""
    from irp_field.core import staging

    out = tmp_path / "hull-csv"
    assert run("export", hull_path, "--format", "csv", "--out", out).exit_code == 0
    before = digest(out)
    renamed = staging.os.replace
    into_place: list[object] = []

    def fails_into_place(source: object, target: object) -> None:
        if Path(str(target)) == out and not into_place:  # the new folder, the earlier aside
            into_place.append(source)
            raise OSError(28, "No space left on device")
        renamed(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(staging.os, "replace", fails_into_place)
    result = run("export", hull_path, "--format", "csv", "--out", out, "--overwrite")
    monkeypatch.undo()
    assert result.exit_code == 1
    assert f"Not written: {out}: No space left on device" in result.stderr
    assert into_place and digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["hull-csv", hull_path.name])
