"""The visit file: creation, refusals, commits, tombstones, history and site ids."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError, NotAVisitError


@pytest.mark.crash  # proves the durable setting, so the suite's faster one is not applied
def test_a_new_visit_is_private_durable_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "visits" / "hull.db"
    with VisitFile.create(
        path,
        establishment="HMP Hull",
        start_date="2022-03-14",
        end_date="2022-03-16",
        user="Sara Pennington",
    ) as visit:
        assert visit.one("PRAGMA journal_mode")[0] == "wal"  # type: ignore[index]
        assert visit.one("PRAGMA synchronous")[0] == 2  # type: ignore[index]  # FULL
        assert int(visit.one("PRAGMA busy_timeout")[0]) >= 5000  # type: ignore[index]
        meta = visit.meta()
        assert meta["app"] == "irp-field"
        assert meta["schema_version"] == str(schema.SCHEMA_VERSION)
        assert meta["app_version"]
        assert len(meta["site_id"]) == 16
        row = visit.row("visit", visit.visit_id)
        assert row is not None and row["establishment"] == "HMP Hull"
        assert row["created_by"] == "Sara Pennington"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_creating_over_an_existing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_text("keep me")
    with pytest.raises(IrpError, match="already exists"):
        VisitFile.create(path, establishment="E", start_date="2022-01-01", end_date="2022-01-02")
    assert path.read_text() == "keep me"


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b""), "is empty"),
        (lambda p: p.write_text("name,role\nA,B\n"), "not an SQLite database"),
        (lambda p: p.write_bytes(b"PK\x03\x04" + bytes(200)), "not an SQLite database"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(20)), "truncated"),
        (_other_sqlite, "not an irp-field visit file"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: None, "no such file"),
    ],
)
def test_what_is_not_a_visit_is_refused_clearly(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "thing.db"
    make(path)
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(NotAVisitError, match=message):
        VisitFile.open(path)
    if before is not None:
        assert path.read_bytes() == before


def test_a_newer_schema_is_refused(empty_visit: VisitFile) -> None:
    empty_visit.conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    path = empty_visit.path
    empty_visit.close()
    with pytest.raises(NotAVisitError, match="newer irp-field"):
        VisitFile.open(path)


def test_damaged_pages_are_refused_in_one_line(hull_path: Path) -> None:
    data = bytearray(hull_path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = bytes(range(256)) * 16
    hull_path.write_bytes(bytes(data))
    with pytest.raises(NotAVisitError, match="is damaged") as refused:
        VisitFile.open(hull_path)
    assert "\n" not in str(refused.value)


def test_every_write_is_committed_at_once(empty_visit: VisitFile) -> None:
    with empty_visit.transaction():
        row_id = empty_visit.insert("location", {"name": "A wing", "kind": "wing"})
    other = sqlite3.connect(empty_visit.path)
    assert other.execute("SELECT name FROM location WHERE id = ?", (row_id,)).fetchone() == (
        "A wing",
    )
    other.close()


def test_a_copy_of_the_file_alone_made_while_it_is_open_holds_every_write(
    empty_visit: VisitFile, tmp_path: Path
) -> None:
    """Walking it: an inspector copied the .db to a USB stick with the app open, and the
    copy lacked the session's work (it was in the -wal file until the app closed)."""
    reader = VisitFile.open(empty_visit.path, readonly=True)  # a screen's reader, open
    try:
        with empty_visit.transaction():
            empty_visit.insert("location", {"name": "A wing", "kind": "wing"})
        copy = tmp_path / "usb" / "copy.db"
        copy.parent.mkdir()
        shutil.copyfile(empty_visit.path, copy)  # the .db alone, no -wal beside it
    finally:
        reader.close()
    with VisitFile.open(copy, readonly=True) as copied:
        assert [r["name"] for r in copied.query("SELECT name FROM location")] == ["A wing"]


def test_a_failed_transaction_writes_nothing(empty_visit: VisitFile) -> None:
    with pytest.raises(RuntimeError), empty_visit.transaction():
        empty_visit.insert("location", {"name": "A wing", "kind": "wing"})
        raise RuntimeError("power cut")
    assert empty_visit.query("SELECT * FROM location") == []


def test_updates_keep_the_base_version_and_the_history(empty_visit: VisitFile) -> None:
    with empty_visit.transaction():
        row_id = empty_visit.insert("location", {"name": "A wing", "kind": "wing", "capacity": 100})
    first = empty_visit.row("location", row_id)
    with empty_visit.transaction():
        assert empty_visit.update("location", row_id, {"capacity": 120})
        assert not empty_visit.update("location", row_id, {"capacity": 120})
    second = empty_visit.row("location", row_id)
    assert first is not None and second is not None
    assert second["version"] > first["version"]
    assert second["base_version"] == first["version"]
    history = empty_visit.query(
        "SELECT action, old, new FROM change_log WHERE row_id = ? ORDER BY version", (row_id,)
    )
    assert [h["action"] for h in history] == ["insert", "update"]
    assert json.loads(history[1]["old"])["capacity"] == 100
    assert json.loads(history[1]["new"])["capacity"] == 120


def test_a_delete_is_a_tombstone(empty_visit: VisitFile) -> None:
    with empty_visit.transaction():
        row_id = empty_visit.insert("location", {"name": "A wing", "kind": "wing"})
        empty_visit.delete("location", row_id)
    row = empty_visit.row("location", row_id)
    assert row is not None and row["deleted"] == 1
    actions = [
        r["action"]
        for r in empty_visit.query(
            "SELECT action FROM change_log WHERE row_id = ? ORDER BY version", (row_id,)
        )
    ]
    assert actions == ["insert", "update"]


def test_table_and_column_names_come_from_the_schema_only(empty_visit: VisitFile) -> None:
    with pytest.raises(ValueError), empty_visit.transaction():
        empty_visit.insert("location; DROP TABLE note", {"name": "x"})
    with pytest.raises(ValueError), empty_visit.transaction():
        empty_visit.insert("location", {"name = 'x'; --": "x"})
    assert empty_visit.query("SELECT name FROM sqlite_master WHERE name = 'note'")


def test_a_copied_file_gets_its_own_site_id(empty_visit: VisitFile, tmp_path: Path) -> None:
    original_site = empty_visit.site_id
    path = empty_visit.path
    empty_visit.close()
    copy = tmp_path / "copy.db"
    shutil.copyfile(path, copy)
    with VisitFile.open(path) as again, VisitFile.open(copy) as copied:
        assert again.site_id == original_site
        assert copied.site_id != original_site
        assert copied.visit_id == again.visit_id
        with again.transaction():
            first = again.stamp()
        with copied.transaction():
            second = copied.stamp()
        assert first.split(".")[2] != second.split(".")[2]


def test_stamps_keep_rising_across_openings(empty_visit: VisitFile) -> None:
    with empty_visit.transaction():
        empty_visit.insert("location", {"name": "A wing", "kind": "wing"})
    last = empty_visit.one("SELECT MAX(version) FROM location")[0]  # type: ignore[index]
    path = empty_visit.path
    empty_visit.close()
    with VisitFile.open(path) as again, again.transaction():
        assert again.stamp() > last


def test_read_only_open_never_writes(hull_path: Path) -> None:
    before = hull_path.read_bytes()
    with (
        VisitFile.open(hull_path, readonly=True) as visit,
        pytest.raises(IrpError, match="read-only"),
        visit.transaction(),
    ):
        pass
    assert hull_path.read_bytes() == before


def test_insert_many_with_one_column(empty_visit: VisitFile) -> None:
    with empty_visit.transaction():
        assert empty_visit.insert_many("note", [{"text": "abc"}, {"text": "de"}]) == 2
    assert sorted(r["text"] for r in empty_visit.query("SELECT text FROM note")) == ["abc", "de"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX drops a process's locks on any close")
@pytest.mark.parametrize("second", ["read-only", "read-write", "reader"])
def test_a_second_opening_keeps_the_first_connections_locks(
    empty_visit: VisitFile, second: str
) -> None:
    """Another process must never take itself for the last user while we hold the file."""
    import subprocess
    import sys

    path = empty_visit.path
    with empty_visit.transaction():
        empty_visit.insert("location", {"name": "A wing", "kind": "wing"})
    if second == "reader":
        VisitFile.open_reader(path).close()
    else:
        VisitFile.open(path, readonly=second == "read-only").close()
    writer = (
        "import sys\nfrom irp_field.core.visit_file import VisitFile\n"
        "with VisitFile.open(sys.argv[1], user='other') as v, v.transaction():\n"
        "    v.insert('location', {'name': 'B wing', 'kind': 'wing'})\n"
    )
    subprocess.run([sys.executable, "-c", writer, str(path)], check=True)
    # the other process closed; our connection is still open, so the WAL files must stay
    assert Path(f"{path}-shm").exists() and Path(f"{path}-wal").exists()
    with empty_visit.transaction():
        empty_visit.insert("location", {"name": "C wing", "kind": "wing"})
    with VisitFile.open_reader(path) as reader:
        names = sorted(r["name"] for r in reader.query("SELECT name FROM location"))
        assert names == ["A wing", "B wing", "C wing"]
        assert reader.one("PRAGMA integrity_check")[0] == "ok"  # type: ignore[index]
