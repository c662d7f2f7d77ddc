"""How each visit's tables are copied into the analyst database (issue 24, aim 1): one
``INSERT ... SELECT`` per table, sorted by the statement itself, so that the redacting
and typing expressions read the visit's columns where they lie (a sorted subquery of
its own copied every value into them twice: 0.1 s of the roll checks' 0.45 s at
100,000), and the rows still in the table's order."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.interchange import export_database, export_tables
from irp_field.interchange.export import export_visits
from irp_field.interchange.export_derived import TABLES, TOC_DAY
from irp_field.interchange.export_tables import AnalystTable

SORTED = [t for t in TABLES if " ORDER BY " in t.select and t is not TOC_DAY]


@contextmanager
def _attached(hull_path: Path) -> Iterator[VisitFile]:
    """The Hull sample's reading connection with an analyst database attached, as an
    export holds it while it copies (its hashes made as ``HASHES_KEPT`` is then)."""
    with (
        export_database.building() as db,
        VisitFile.open(hull_path, readonly=True) as visit,
        export_database.attached(db, visit.conn),
    ):
        export_database.watch_texts(visit.conn, hull_path)
        export_database.register(visit.conn, "k" * 64)
        yield visit


@pytest.fixture
def attached_visit(hull_path: Path) -> Iterator[VisitFile]:
    with _attached(hull_path) as visit:
        yield visit


def _subqueries_run_apart(visit: VisitFile, table: AnalystTable, *, redact: bool) -> int:
    """The co-routines of ``table``'s copy (``EXPLAIN``): the INSERT's own is one; a
    subquery SQLite keeps whole (not read into the query over it) is one more."""
    statement = export_database.filling(table, table.select, redact=redact, keep_staff_names=False)
    steps = visit.conn.execute(f"EXPLAIN {statement}", (visit.visit_id,)).fetchall()
    return sum(1 for step in steps if step[1] == "InitCoroutine")


@pytest.mark.parametrize("redact", [False, True])
@pytest.mark.parametrize("table", SORTED, ids=[t.name for t in SORTED])
def test_each_copy_sorts_its_rows_in_the_statement_itself(
    attached_visit: VisitFile, table: AnalystTable, redact: bool
) -> None:
    """Every table with an order is copied by one query (the INSERT's co-routine alone):
    the ORDER BY inside the subquery made SQLite run it apart (two or three co-routines:
    three for the roll checks) and copy each value into the expressions over it."""
    assert _subqueries_run_apart(attached_visit, table, redact=redact) == 1


def test_sort_keys_come_apart_from_their_select() -> None:
    """The keys are the top level's: a subquery's FROM, commas and quotes stay whole, a
    direction stays with its key, and a select without an order is left as it is."""
    select = (
        "SELECT ?, a.id, (SELECT MIN(x) FROM b WHERE b.a = a.id), 'ORDER BY, FROM' "
        "FROM a LEFT JOIN c ON c.id = a.c WHERE a.deleted = 0 "
        "ORDER BY a.section DESC, (SELECT MIN(y) FROM b WHERE b.a = a.id), a.id"
    )
    unsorted, keys = export_tables.sorted_apart(select)
    assert keys == [
        ("a.section", " DESC"), ("(SELECT MIN(y) FROM b WHERE b.a = a.id)", ""), ("a.id", "")
    ]  # fmt: skip
    assert unsorted == (
        "SELECT ?, a.id, (SELECT MIN(x) FROM b WHERE b.a = a.id), 'ORDER BY, FROM', "
        "a.section, (SELECT MIN(y) FROM b WHERE b.a = a.id), a.id "
        "FROM a LEFT JOIN c ON c.id = a.c WHERE a.deleted = 0"
    )
    plain = "SELECT id, name FROM visit WHERE id = ?"
    assert export_tables.sorted_apart(plain) == (plain, [])


@pytest.mark.parametrize("redact", [False, True])
def test_rows_stored_out_of_order_are_exported_in_the_table_s_order(
    hull_path: Path, tmp_path: Path, redact: bool
) -> None:
    """Checks whose ids (the order the visit keeps them in) run against their times, and
    paragraphs of the summary after those of practice, come out in time order and
    summary first (``section DESC``), as the tables' selects order them."""
    conn = sqlite3.connect(hull_path)
    with conn:
        # every check's id reversed against its time: the visit's own order runs backwards
        conn.execute(
            "UPDATE roll_check SET taken_at = (SELECT printf('2022-03-15T%02d:%02d', "
            "(n / 60) % 24, n % 60) FROM (SELECT COUNT(*) AS n FROM roll_check c "
            "WHERE c.id > roll_check.id))"
        )
        # a paragraph of practice the visit keeps before the summary's
        conn.execute(
            "INSERT INTO report_paragraph (rowid, id, section, position, text) "
            "VALUES (-1, '00000000-practice', 'practice', 1, 'Notable positive practice.')"
        )
    conn.close()
    out = tmp_path / "o.sqlite"
    export_visits([hull_path], "sqlite", out, redact=redact, organisation_key="ab" * 32)
    exported = sqlite3.connect(out)
    times = [r[0] for r in exported.execute("SELECT taken_at FROM roll_check ORDER BY rowid")]
    sections = [
        r[0] for r in exported.execute("SELECT section FROM report_paragraph ORDER BY rowid")
    ]
    exported.close()
    assert len(times) > 50 and times == sorted(times)
    assert sections == sorted(sections, reverse=True) and len(set(sections)) == 2


def test_a_row_s_own_id_is_hashed_without_crowding_out_the_references(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The keyed hashes are remembered (a location's or a round's id recurs check after
    check), but a row's own id is met once: remembered too, 100,000 of them pushed the
    rounds' out of the cache, and 31,000 of the rounds' were made again (0.1 s of a
    redacted export at 100,000). Each reference is hashed once, each row's own id once."""
    from irp_field.interchange import redaction

    made: list[str] = []
    real = redaction.hashed_id

    def counted(key: str, value: str) -> str:
        made.append(value)
        return real(key, value)

    monkeypatch.setattr(redaction, "hashed_id", counted)
    monkeypatch.setattr(export_database, "HASHES_KEPT", 32)
    table = export_database.BY_NAME["roll_check"]
    statement = export_database.filling(table, table.select, redact=True, keep_staff_names=False)
    with _attached(hull_path) as visit:
        visit.conn.execute(statement, (visit.visit_id,))
        checks, locations, rounds = visit.conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT location_id), COUNT(DISTINCT round_id) "
            "FROM roll_check WHERE deleted = 0"
        ).fetchone()
    assert checks > 32 and locations + rounds < 32
    assert len(made) == len(set(made)) == checks + locations + rounds + 1  # and the visit's


def test_the_sqlite_export_is_built_where_it_goes_holding_nothing_it_leaves_out(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SQLite export is built in its own temporary file beside its destination and
    renamed into place, not built in the data folder's tmp/ and copied out whole after
    (``VACUUM INTO``: every page written twice). What the build frees or rewrites is
    zeroed there (``secure_delete``): a name a hand typed into a year, settled to NULL,
    the round sums' scratch table dropped, the schema's text rewritten for its keys,
    none of them left in the file's free space. (A name in a live check's count is
    refused by every export now: tests/test_export_pinned.py.)"""
    conn = sqlite3.connect(hull_path)
    with conn:
        conn.execute(
            "UPDATE previous_outcome SET year = 'Mr Zebedee Quartermain' "
            "WHERE id = (SELECT MIN(id) FROM previous_outcome WHERE deleted = 0)"
        )
    conn.close()
    statements: list[str] = []
    real_connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        made = real_connect(*args, **kwargs)
        made.set_trace_callback(statements.append)
        return made

    monkeypatch.setattr(sqlite3, "connect", traced)
    out = tmp_path / "o.sqlite"
    export_visits([hull_path], "sqlite", out)
    monkeypatch.undo()
    assert [s for s in statements if "VACUUM" in s.upper()] == []
    data = out.read_bytes()
    for left_out in (b"Zebedee", b"irp_round_sums", b"irp_key_"):
        assert left_out not in data
    exported = sqlite3.connect(out)
    said = [exported.execute(f"PRAGMA {p}").fetchone()[0] for p in ("integrity_check",
            "freelist_count")]  # fmt: skip
    nulls = exported.execute("SELECT COUNT(*) FROM previous_outcome WHERE year IS NULL").fetchone()[
        0
    ]
    exported.close()
    assert said == ["ok", 0] and nulls == 1
    beside = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("hull.db"))
    assert beside == ["o.metadata.json", "o.sqlite"]  # its temporary names gone
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
