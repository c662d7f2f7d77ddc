"""The SQLite export's keys (issue 24, aim 1): its tables are filled without their keys'
indexes (an index on a random id, filled in the rows' order of time, was written all
over), each key indexed once from the keys sorted, then declared the table's primary key,
so that the file is what an analyst had: a ``PRIMARY KEY`` SQLite enforces."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from merge_helpers import a_record_copied_across

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
    note = a_record_copied_across(
        hull_path, other, "note", "taken_at, text VALUES '2022-03-15T10:00', 'x'"
    )
    out = tmp_path / "both.sqlite"
    # named by its table and key, where it quoted SQLite ("UNIQUE constraint failed")
    with pytest.raises(
        IrpError, match=rf"two of the visits given hold the same note record \({note}\)"
    ):
        export_visits([hull_path, other], "sqlite", out)
    assert not out.exists() and not metadata_path(out).exists()


def _no_schema_writes(action: int, table: object, *_: object) -> int:
    return (
        sqlite3.SQLITE_DENY
        if table == "sqlite_master" and action == sqlite3.SQLITE_UPDATE
        else (sqlite3.SQLITE_OK)
    )


def test_a_schema_that_may_not_be_written_is_found_so(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "scratch.db")
    assert export_database.schema_writable(conn)
    conn.set_authorizer(_no_schema_writes)
    assert not export_database.schema_writable(conn)
    conn.close()


def test_where_the_schema_may_not_be_written_the_keys_are_made_with_the_tables(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A defensive SQLite: the tables are made keyed and filled so, and the file is the
    same as where the keys are declared after."""
    export_visits([hull_path], "sqlite", tmp_path / "after.sqlite")
    monkeypatch.setattr(export_database, "schema_writable", lambda conn: False)
    export_visits([hull_path], "sqlite", tmp_path / "with.sqlite")
    after, made_with = (sqlite3.connect(tmp_path / n) for n in ("after.sqlite", "with.sqlite"))
    for conn in (after, made_with):
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    assert after.execute(schema).fetchall() == made_with.execute(schema).fetchall()
    for (name,) in after.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        rows = f'SELECT * FROM "{name}"'
        assert after.execute(rows).fetchall() == made_with.execute(rows).fetchall(), name
    after.close()
    made_with.close()
