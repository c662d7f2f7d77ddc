"""Every analyst format gives what irp-field 0.4.0 gave (issue 24): the exports moved into
SQLite (the visit read and redacted in SQL, the formats streamed from a SELECT), and
nothing an analyst reads may change. The oracle is the way it was done before
(``tests/export_before.py``: row by row in Python, through ``redaction.redacting`` and
sqlite-utils): CSV and JSON byte for byte, SQLite value for value and type for type with
the same schema, for the Hull sample with values a hand or an older version left in it,
alone and combined with a second visit, plain and redacted."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import export_before
import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.interchange.export import export_visits
from irp_field.interchange.export_writers import metadata_path

KEY = "3f9a0c27d1b84e6e95c2a7f04b13d8e6a1c9f2b7e4d05a83c6b1f9e2d7a40c58"
ASKED = {  # what the export is asked for -> the oracle's arguments
    "plain": ({}, {}),
    "redacted": (
        {"redact": True, "organisation_key": KEY},
        {"key": KEY},
    ),
    "redacted, staff and attachments kept": (
        {"redact": True, "organisation_key": KEY, "keep_staff_names": True,
         "keep_attachments": True},
        {"key": KEY, "keep_staff_names": True, "keep_attachments": True},
    ),
}  # fmt: skip


def _odd_values(path: Path) -> None:
    """Values the rules would refuse today but a file of an older version, or a hand with
    a SQLite browser, left: each settled or escaped by the export as before."""
    conn = sqlite3.connect(path)
    with conn:
        note = conn.execute("SELECT id FROM note WHERE deleted = 0 ORDER BY id").fetchall()
        conn.execute("UPDATE note SET text = '=HYPERLINK(\"x\")', tags = '' WHERE id = ?", note[0])
        conn.execute("UPDATE note SET text = 'one\rtwo, \"three\"\nfour' WHERE id = ?", note[1])
        conn.execute("UPDATE note SET text = '' WHERE id = ?", note[2])
        conn.execute("UPDATE sample_frame SET seed = 'lots' WHERE rowid = 1")
        conn.execute("UPDATE location SET capacity = '2018' WHERE rowid = 1")
        conn.execute("UPDATE location SET capacity = 'many' WHERE rowid = 2")
        conn.execute("UPDATE data_return SET value = 0.1 + 0.2 WHERE rowid = 1")
        conn.execute(
            "UPDATE roll_check SET note = '-1 short', inspector = '' WHERE id = (SELECT MIN(id) FROM roll_check)"
        )
    conn.close()


@pytest.fixture
def visits(hull_path: Path, empty_visit: VisitFile) -> list[Path]:
    _odd_values(hull_path)
    other = empty_visit.path
    empty_visit.close()
    return [hull_path, other]


def _rows(conn: sqlite3.Connection) -> dict[str, Any]:
    """Every table's schema and rows, with each value's type."""
    found: dict[str, Any] = {}
    for kind, name, sql in conn.execute(
        "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall():
        found[f"{kind} {name}"] = sql
        if kind == "table":
            rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
            found[f"rows {name}"] = [[(v, type(v).__name__) for v in row] for row in rows]
    return found


@pytest.mark.parametrize("asked", list(ASKED))
@pytest.mark.parametrize("combined", [False, True], ids=["alone", "combined"])
def test_every_format_is_what_it_was_before(
    visits: list[Path], tmp_path: Path, asked: str, combined: bool
) -> None:
    paths = visits if combined else visits[:1]
    ours, theirs = ASKED[asked]
    oracle = export_before.analyst_database(paths, tmp_path / "before.db", **theirs)
    files = export_before.analyst_database(
        paths, tmp_path / "before-files.db", sqlite=True, **theirs
    )
    export_visits(paths, "sqlite", tmp_path / "out.sqlite", **ours)
    exported = sqlite3.connect(tmp_path / "out.sqlite")
    assert _rows(exported) == _rows(files)
    assert exported.execute("SELECT COUNT(*) FROM note_fts WHERE note_fts MATCH 'two'").fetchone()
    exported.close()
    said = json.loads(metadata_path(tmp_path / "out.sqlite").read_text(encoding="utf-8"))
    assert said["title"] == export_before.title(oracle)

    export_visits(paths, "json", tmp_path / "out.json", **ours)
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == export_before.json_text(oracle)

    for raw, excel in ((False, False), (True, False), (False, True)):
        out = tmp_path / f"csv-{raw}-{excel}"
        export_visits(paths, "csv", out, raw=raw, excel=excel, **ours)
        before = tmp_path / f"before-csv-{raw}-{excel}"
        export_before.assert_csv_as_before(oracle, out, before, raw=raw, excel=excel)
    oracle.close()
    files.close()


def test_the_odd_values_are_there_to_be_settled(visits: list[Path], tmp_path: Path) -> None:
    """The fixture's odd values reach the export, so the comparison above covers them."""
    oracle = export_before.analyst_database(visits[:1], tmp_path / "before.db")
    assert oracle.execute("SELECT COUNT(*) FROM location WHERE capacity = 2018").fetchone()[0] == 1
    assert oracle.execute("SELECT COUNT(*) FROM location WHERE capacity IS NULL").fetchone()[0]
    assert oracle.execute("SELECT COUNT(*) FROM note WHERE text LIKE '%' || char(13) || '%'")
    assert oracle.execute("SELECT COUNT(*) FROM data_return WHERE value = 0.1 + 0.2").fetchone()[0]
    assert oracle.execute("SELECT COUNT(*) FROM attachment").fetchone()[0] > 0
    oracle.close()
