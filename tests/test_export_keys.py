"""The SQLite export's keys (issue 24, aim 1): its tables are filled without their keys'
indexes (an index on a random id, filled in the rows' order of time, was written all
over), each key indexed once from the keys sorted, then declared the table's primary key,
so that the file is what an analyst had: a ``PRIMARY KEY`` SQLite enforces."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.interchange import export_database
from irp_field.interchange.export import export_visits
from irp_field.interchange.export_writers import metadata_path


def test_the_tables_are_filled_without_their_keys_index(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexed: dict[str, list[str]] = {}
    real = export_database.finish

    def looked_at(db: export_database.AnalystDatabase, *args: object, **kw: object) -> None:
        for name in ("roll_check", "toc_period", "note", "figure"):
            indexed[name] = [row[1] for row in db.conn.execute(f"PRAGMA index_list({name})")]
        real(db, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(export_database, "finish", looked_at)
    export_visits([hull_path], "sqlite", tmp_path / "out.sqlite")
    assert indexed == {"roll_check": [], "toc_period": [], "note": [], "figure": []}


def test_each_key_is_the_tables_primary_key_in_the_file(hull_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    export_visits([hull_path], "sqlite", out)
    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    for table, key in (("roll_check", ["id"]), ("figure", ["visit_id", "key"]),
                       ("toc_day", ["visit_id", "on_date", "subject"])):  # fmt: skip
        [(name, origin)] = [(r[1], r[3]) for r in conn.execute(f"PRAGMA index_list({table})")]
        assert (name, origin) == (f"sqlite_autoindex_{table}_1", "pk")
        assert [r[2] for r in conn.execute(f"PRAGMA index_info({name})")] == key
        declared = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[5]]
        assert declared == key
    [(check,)] = conn.execute("SELECT id FROM roll_check LIMIT 1")
    with pytest.raises(sqlite3.IntegrityError, match=r"UNIQUE constraint failed: roll_check\.id"):
        conn.execute("INSERT INTO roll_check (id) VALUES (?)", (check,))
    assert not [r for r in conn.execute("PRAGMA index_list(roll_check)") if "irp_key" in r[1]]
    conn.close()


def test_a_key_two_visits_hold_is_refused_and_nothing_left(
    hull_path: Path, empty_visit: VisitFile, tmp_path: Path
) -> None:
    other = empty_visit.path
    empty_visit.close()
    hull = sqlite3.connect(hull_path)
    [(note,)] = hull.execute("SELECT id FROM note ORDER BY id LIMIT 1")
    hull.close()
    conn = sqlite3.connect(other)
    with conn:
        conn.execute("INSERT INTO note (id, taken_at, text) VALUES (?, '2022-03-15T10:00', 'x')",
                     (note,))  # fmt: skip
    conn.close()
    out = tmp_path / "both.sqlite"
    with pytest.raises(IrpError, match=r"UNIQUE constraint failed: note\.id"):
        export_visits([hull_path, other], "sqlite", out)
    assert not out.exists() and not metadata_path(out).exists()
