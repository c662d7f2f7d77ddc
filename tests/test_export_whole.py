"""An export is whole at its destination or not there at all (issue 20).

A disk filling up or ``kill -9`` part-way through ``export --format bundle`` left the
bundle at its final name with 12 of its 17 files. Every file and folder an export
writes is now written beside its destination under a temporary name and renamed into
place once complete and flushed (``core.staging``); a failed export removes its
temporary names, and the next export into the folder removes a killed one's.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from irp_field.cli import main
from irp_field.core import staging
from irp_field.interchange import bundle, bundle_parts, export_writers

kills = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is POSIX")

# The child exports the bundle and kills itself, -9, half-way through writing notes.csv
# (after the set-up files, before the samples' and the attachments): a kill at a known
# point, not after a guessed delay.
KILLED_EXPORT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from irp_field.api.exports import export
    from irp_field.interchange import bundle

    real = bundle.write_csv

    def dying(path, header, rows):
        if path.name == "notes.csv":
            path.write_text("source,taken_at,author,text")  # half a file, never finished
            os.kill(os.getpid(), signal.SIGKILL)
        real(path, header, rows)

    bundle.write_csv = dying
    export([Path(sys.argv[1])], "bundle", Path(sys.argv[2]))
    """
)


def export(visit: Path, export_format: str, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["export", str(visit), "--format", export_format, "--out", str(out)]
    )
    return result.exit_code, result.output


@kills
def test_a_bundle_export_killed_part_way_leaves_no_bundle(hull_path: Path, tmp_path: Path) -> None:
    outs = tmp_path / "outs"
    outs.mkdir()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_EXPORT, str(hull_path), str(outs / "hull-bundle")],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,  # a hang guard, not a bound
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not (outs / "hull-bundle").exists()  # nothing that looks like a bundle
    left = list(outs.iterdir())
    assert len(left) == 1 and left[0].name.startswith(".hull-bundle.irp-"), left
    assert (left[0] / "notes.csv").read_text() == "source,taken_at,author,text"
    # the next export into the folder removes what the killed one left, and is whole
    code, output = export(hull_path, "bundle", outs / "hull-bundle")
    assert code == 0, output
    assert sorted(p.name for p in outs.iterdir()) == ["hull-bundle"]
    by = ["--by", "Jade Richards"]  # on Hull's team: a stranger is warned of (test_recorders)
    built = CliRunner().invoke(main, ["new", "again", "--from", str(outs / "hull-bundle"), *by])
    assert built.exit_code == 0 and "Warning" not in built.output, built.output


@kills
def test_a_killed_export_s_leftovers_go_with_an_export_of_another_name(
    hull_path: Path, tmp_path: Path
) -> None:
    outs = tmp_path / "outs"
    outs.mkdir()
    subprocess.run(
        [sys.executable, "-c", KILLED_EXPORT, str(hull_path), str(outs / "first")],
        check=False,
        timeout=600,  # a hang guard, not a bound
    )
    assert [p.name[:11] for p in outs.iterdir()] == [".first.irp-"]
    code, output = export(hull_path, "json", outs / "hull.json")
    assert code == 0, output
    assert sorted(p.name for p in outs.iterdir()) == ["hull.json"]


def _full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _after(calls: int, real: object) -> object:
    """``real``, until its ``calls``-th call: then the disk is full."""
    count = [0]

    def writer(*args: object, **kwargs: object) -> object:
        count[0] += 1
        if count[0] >= calls:
            _full_disk()
        return real(*args, **kwargs)  # type: ignore[operator]

    return writer


@pytest.mark.parametrize("export_format", ["bundle", "csv", "json", "xlsx", "sqlite"])
def test_an_export_that_fails_part_way_leaves_nothing(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, export_format: str
) -> None:
    """The disk fills part-way: an error in one line, nothing at the destination, no
    temporary file or folder left beside it."""
    if export_format == "bundle":  # the set-up, evidence and findings written; then full
        monkeypatch.setattr(bundle_parts, "write_attachments", _full_disk)
    elif export_format == "csv":  # some tables written; then full
        monkeypatch.setattr(export_writers, "csv_table", _after(5, export_writers.csv_table))
    elif export_format == "json":
        monkeypatch.setattr(export_writers, "json_parts", _full_disk)
    elif export_format == "xlsx":  # the sheets written, half the workbook; then full
        from xlsxwriter import Workbook

        def half_closed(book: Any) -> None:
            Path(book.filename).write_bytes(b"PK\x03\x04 half a workbook")
            _full_disk()

        monkeypatch.setattr(Workbook, "close", half_closed)
    else:  # the database written, its metadata not
        monkeypatch.setattr(export_writers, "metadata", _full_disk)
    outs = tmp_path / "outs"
    outs.mkdir()
    out = outs / f"hull.{export_format}"
    code, output = export(hull_path, export_format, out)
    assert (code, output) == (1, f"Error: Not written: {out}: No space left on device\n")
    assert list(outs.iterdir()) == []


def test_an_export_into_an_empty_folder_it_was_given_replaces_it_whole(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty folder named as the destination is allowed; a failure keeps it empty."""
    outs = tmp_path / "outs"
    out = outs / "given"
    out.mkdir(parents=True)
    monkeypatch.setattr(bundle_parts, "write_attachments", _full_disk)
    assert export(hull_path, "bundle", out)[0] == 1
    assert list(out.iterdir()) == [] and list(outs.iterdir()) == [out]
    monkeypatch.undo()
    assert export(hull_path, "csv", out)[0] == 0
    assert (out / "note.csv").is_file() and list(outs.iterdir()) == [out]


def test_a_destination_taken_while_the_export_ran_is_not_written_over(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outs = tmp_path / "outs"
    outs.mkdir()
    out = outs / "hull.json"
    real = export_writers.json_parts

    def someone_else_writes_there(conn: object) -> Iterator[str]:
        out.write_text("another program's file\n")
        yield from real(conn)  # type: ignore[arg-type]

    monkeypatch.setattr(export_writers, "json_parts", someone_else_writes_there)
    code, output = export(hull_path, "json", out)
    assert (code, output) == (1, f"Error: {out}: already exists; choose another name\n")
    assert out.read_text() == "another program's file\n"
    assert list(outs.iterdir()) == [out]


def test_leftovers_of_0_3_0_writers_go_with_the_next_export_of_their_name(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0.3.0 wrote ``.NAME.partial`` (``.ex.sqlite.partial``) and left it when it failed;
    the next export to NAME removes it, even one that fails in turn. A file of that
    shape for another name may be someone else's: it stays."""
    outs = tmp_path / "outs"
    outs.mkdir()
    (outs / ".ex.sqlite.partial").write_bytes(b"SQLite format 3\x00 half")
    (outs / ".ex.metadata.json.partial").write_text("{")
    (outs / ".ex-csv.partial").mkdir()
    (outs / ".ex-csv.partial" / "note.csv").write_text("id,text\n")
    (outs / ".notes.txt.partial").write_text("someone's own file: another name")
    monkeypatch.setattr(export_writers, "metadata", _full_disk)
    monkeypatch.setattr(export_writers, "csv_table", _after(5, export_writers.csv_table))
    assert export(hull_path, "sqlite", outs / "ex.sqlite")[0] == 1
    assert export(hull_path, "csv", outs / "ex-csv")[0] == 1
    assert sorted(p.name for p in outs.iterdir()) == [".notes.txt.partial"]
    monkeypatch.undo()
    assert export(hull_path, "sqlite", outs / "ex.sqlite")[0] == 0
    assert sorted(p.name for p in outs.iterdir()) == [
        ".notes.txt.partial",
        "ex.metadata.json",
        "ex.sqlite",
    ]


def test_a_temporary_name_in_use_is_never_swept(hull_path: Path, tmp_path: Path) -> None:
    """Another export still running (its process alive), another laptop's in a shared
    folder, and this process's own export in progress are left alone; a dead process's
    is removed."""
    outs = tmp_path / "outs"
    outs.mkdir()
    tag = staging.temporary_name(outs / "x").name.split(".irp-")[1][:8]
    other_tag = "0" * 8 if tag != "0" * 8 else "1" * 8
    running = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                               stdin=subprocess.PIPE)  # fmt: skip
    try:
        alive = outs / f".a.irp-{tag}-{running.pid}-00000000.partial"
        elsewhere = outs / f".b.irp-{other_tag}-1-00000000.partial"
        mine = outs / f".c.irp-{tag}-{os.getpid()}-00000000.partial"  # not registered: old
        for path in (alive, elsewhere, mine):
            path.mkdir()
        with staging.staged() as staged:
            in_progress = staged.file(outs / "d.json")
            staging.sweep(outs)
            assert in_progress.exists()
            in_progress.write_text("{}\n")
        assert sorted(p.name for p in outs.iterdir()) == sorted(
            [alive.name, elsewhere.name, "d.json"]
        )
    finally:
        running.communicate(b"")
    assert running.returncode == 0
    assert export(hull_path, "json", outs / "e.json")[0] == 0
    assert sorted(p.name for p in outs.iterdir()) == sorted([elsewhere.name, "d.json", "e.json"])


def test_every_format_publishes_only_whole_outputs(hull_path: Path, tmp_path: Path) -> None:
    """Nothing but the outputs themselves is left in the folder."""
    outs = tmp_path / "outs"
    outs.mkdir()
    for export_format in ("bundle", "csv", "json", "xlsx", "sqlite"):
        assert export(hull_path, export_format, outs / f"out-{export_format}")[0] == 0
    assert sorted(p.name for p in outs.iterdir()) == [
        "out-bundle",
        "out-csv",
        "out-json",
        "out-sqlite",
        "out-sqlite.metadata.json",
        "out-xlsx",
    ]
    assert bundle.DECLARATION in (outs / "out-bundle" / "visit.toml").read_text()


def test_the_analyst_database_is_built_in_a_private_scratch_file_with_a_bounded_cache(
    irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export's memory does not grow with the visit (issue 24): the database every
    format is written from lives in the data folder's tmp/, owner-only, with SQLite's
    page cache bounded, and is gone when the export ends, whatever way it ends."""
    from irp_field import paths
    from irp_field.interchange import export_database

    seen: dict[str, object] = {}
    with pytest.raises(RuntimeError, match="stopped"), export_database.building() as db:
        [(_, _, where)] = [r for r in db.conn.execute("PRAGMA database_list") if r[1] == "main"]
        seen["where"] = Path(where)
        seen["cache"] = db.conn.execute("PRAGMA cache_size").fetchone()[0]
        seen["temp_store"] = db.conn.execute("PRAGMA temp_store").fetchone()[0]
        assert Path(where).exists()
        if os.name == "posix":
            assert stat.S_IMODE(Path(where).stat().st_mode) == 0o600
        raise RuntimeError("stopped")
    where = seen["where"]
    assert isinstance(where, Path)
    assert where.resolve().is_relative_to(paths.temporary_folder().resolve())
    assert seen["cache"] == -export_database.CACHE_KIB
    assert seen["temp_store"] == 1  # FILE: a sort bigger than the cache spills, not grows
    assert not where.exists()
