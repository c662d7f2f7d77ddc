"""The analyst exports are made by SQLite (issue 24): each visit's tables are copied and
redacted by generated ``INSERT ... SELECT`` statements into a private scratch database,
and the formats are streamed from it. What that must keep: no row of evidence passes
through Python one by one, nothing loads sqlite-utils (and with it pandas: 50 MB of an
export's peak), and a redacted export's scratch database, like its output, never holds
the names and working text it leaves out."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from irp_field.interchange import export_writers, redaction, samples
from irp_field.interchange.export import export_visits


def _left_out() -> list[str]:
    """What a redacted export of the Hull sample must not hold: the team's names, every
    note's text and every subject followed out of cell."""
    folder = samples.sample_bundle()
    found: list[str] = []
    for name, column in (("team.csv", "name"), ("notes.csv", "text"),
                         ("time-out-of-cell.csv", "subject")):  # fmt: skip
        with (folder / name).open(encoding="utf-8") as handle:
            found += [row[column] for row in csv.DictReader(handle)]
    return sorted({text for text in found if len(text) > 6})


def test_no_row_of_evidence_passes_through_python_one_by_one(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the rows Python computes (the figures, the findings' numbers and rendered
    text) are redacted row by row; every table of evidence is redacted in SQL."""
    through: dict[str, int] = {}
    real = redaction.redacting

    def counted(table: str, columns: list[str], rows: Iterable[Any], *args: Any) -> Iterator[Any]:
        for row in real(table, columns, rows, *args):
            through[table] = through.get(table, 0) + 1
            yield row

    monkeypatch.setattr(redaction, "redacting", counted)
    export_visits([hull_path], "sqlite", tmp_path / "r.sqlite", redact=True)
    assert set(through) == {"figure", "finding"}
    exported = sqlite3.connect(tmp_path / "r.sqlite")
    checks = exported.execute("SELECT COUNT(*) FROM roll_check").fetchone()[0]
    periods = exported.execute("SELECT COUNT(*) FROM toc_period").fetchone()[0]
    exported.close()
    assert checks > 50 and periods > 50  # and yet they were exported


@pytest.mark.parametrize("export_format", ["sqlite", "csv", "json"])
def test_an_export_never_loads_sqlite_utils_or_pandas(
    hull_path: Path, tmp_path: Path, export_format: str
) -> None:
    """sqlite-utils loads pandas where it is installed: 50 MB of the export's peak and a
    second of its start, for a schema it can be told in a few lines of SQL."""
    out = tmp_path / f"out-{export_format}"
    program = (
        "import sys\n"
        "from pathlib import Path\n"
        "from irp_field.interchange.export import export_visits\n"
        f"export_visits([Path(sys.argv[1])], {export_format!r}, Path(sys.argv[2]), redact=True)\n"
        "print(sorted(m for m in ('sqlite_utils', 'pandas') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, str(hull_path), str(out)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "[]\n", "")
    assert out.exists()


def test_a_redacted_export_holds_what_it_leaves_out_nowhere_not_even_in_its_scratch(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are redacted in the SELECT that copies them: the scratch database the
    formats are written from never holds a name or a note's text, so neither do its
    freed pages, nor the SQLite export made from it (VACUUM INTO: no freed pages)."""
    left_out = _left_out()
    assert len(left_out) > 50
    scratch: list[bytes] = []
    real = export_writers.write

    def looked_at(export_format: str, conn: sqlite3.Connection, out: Path, **kw: Any) -> None:
        [where] = [r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"]
        scratch.append(Path(where).read_bytes())
        real(export_format, conn, out, **kw)

    monkeypatch.setattr(export_writers, "write", looked_at)
    out = tmp_path / "r.sqlite"
    export_visits([hull_path], "sqlite", out, redact=True)
    export_visits([hull_path], "sqlite", tmp_path / "plain.sqlite")
    redacted_scratch, plain_scratch = scratch
    for data in (redacted_scratch, out.read_bytes()):
        assert [text for text in left_out if text.encode() in data] == []
    # the search finds them where they are: the export not redacted
    plain = (tmp_path / "plain.sqlite").read_bytes()
    assert all(text.encode() in plain and text.encode() in plain_scratch for text in left_out)
