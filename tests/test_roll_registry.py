"""Issue 25 §0: a roll category is one line of its registry (``domain.roll_categories``)
and the migration adding its column; every old migration is frozen.

- An old migration makes what it made when it was written, whatever today's tables say:
  its tables' text is its own (``core.schema_history``), never ``core.tables``.
- A category added to the registry reaches every piece derived from it (the record
  type, the fast path, the table, the import's columns, the export, the bundle,
  redaction, ``check``'s SQLite function, the form), and a file made before it reads it
  as 0. Shown in a fresh interpreter whose registry has one more line, as a newcomer's
  would.
"""

from __future__ import annotations

import ast
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from irp_field.core import schema, schema_history, tables
from irp_field.domain import roll_checks
from irp_field.interchange import redaction

PACKAGE = Path(schema.__file__).parent.parent


def _shapes() -> dict[int, list[tuple[str, str, str]]]:
    """Everything in a new file's schema after each migration in turn: version -> the
    sorted (type, name, SQL) of its ``sqlite_master`` (or the error a migration met)."""
    found = {}
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for version, step in enumerate(schema.MIGRATIONS, start=1):
            try:
                step(conn)
            except sqlite3.Error as error:
                found[version] = [("error", step.__name__, str(error))]
                break
            found[version] = sorted(conn.execute("SELECT type, name, sql FROM sqlite_master"))
    finally:
        conn.close()
    return found


@pytest.fixture
def today_s_tables_changed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Today's definitions as a later version may make them: a column more in every
    merged table and in the bookkeeping, no table stored in id order."""
    for table, columns in tables.MERGED_TABLES.items():
        monkeypatch.setitem(
            tables.MERGED_TABLES, table, columns + ",\n        added_today TEXT NOT NULL"
        )
    bookkeeping = tables.BOOKKEEPING + ",\n    added_today_too TEXT NOT NULL DEFAULT ''"
    for module in (tables, schema):
        monkeypatch.setattr(module, "BOOKKEEPING", bookkeeping)
        monkeypatch.setattr(module, "CLUSTERED_TABLES", ())
    schema.merged_columns.cache_clear()
    schema.declared_columns.cache_clear()
    yield
    schema.merged_columns.cache_clear()
    schema.declared_columns.cache_clear()


def test_every_old_migration_makes_what_it_made_whatever_today_s_tables_say(
    request: pytest.FixtureRequest,
) -> None:
    """A migration that read today's tables (as m001, m004 and m005 did) would make an
    old file's tables as they are today: the roll check m005 rebuilt would gain a
    column the migration after it adds again, and a file migrated from schema 1 would
    differ from a file made new."""
    before = _shapes()
    request.getfixturevalue("today_s_tables_changed")
    assert "added_today" in schema.merged_columns("roll_check")  # the change took
    after = _shapes()
    for version in before:
        assert after.get(version) == before[version], f"schema {version}"


def test_the_frozen_tables_import_nothing() -> None:
    """``schema_history`` is text alone: nothing of today (the registry, the tables) can
    reach an old migration through it."""
    tree = ast.parse(Path(schema_history.__file__).read_text(encoding="utf-8"))
    imported = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    assert [getattr(node, "module", None) for node in imported] == ["__future__"]


def test_a_new_file_and_a_file_migrated_from_schema_1_end_as_today_s_tables() -> None:
    """The frozen migrations, run in turn, make exactly the tables ``core.tables``
    declares today (columns, order, types, NOT NULL, defaults): the merge's shape check
    (``replication.guard.our_shape``) compares files with what they make."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in schema.MIGRATIONS:
            step(conn)
        for table in tables.MERGED_TABLES:
            made = [
                (str(row[1]), str(row[2]), str(row[4]) if row[4] is not None else "NULL")
                for row in conn.execute(f"PRAGMA table_info({table})")
            ]
            defaults = {"id": "NULL", **tables.own_default_sql(table)}
            declared = [
                (name, kind, defaults.get(name, made_default))
                for (name, kind), (_, _, made_default) in zip(
                    schema.declared_columns(table), made, strict=True
                )
            ]
            assert made == declared, table
    finally:
        conn.close()


def test_a_column_added_later_reaches_the_other_version_of_an_open_conflict() -> None:
    """Keeping the other version of a conflict writes every column, and refuses a
    conflict that does not hold them all: a conflict stored before a column was added
    (a roll check counted on two laptops, not yet settled) takes the column's DEFAULT, as
    the record itself did, and can still be settled either way."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in schema.MIGRATIONS:
            step(conn)
        other = {"id": "c1", "roll": 10, "locked_up": 10}
        conn.executemany(
            "INSERT INTO conflict (id, table_name, row_id, other_row) VALUES (?, ?, 'c1', ?)",
            [
                ("k1", "roll_check", json.dumps(other)),
                ("k2", "note", json.dumps({"id": "n1"})),
                ("k3", "roll_check", "not json"),  # a hand's, said by check: left alone
            ],
        )
        schema.adding_columns(
            "m099_added",
            "roll_check",
            "at_court INTEGER NOT NULL DEFAULT 0",
            "said_by TEXT NOT NULL DEFAULT ''",
        )(conn)
        held = dict(conn.execute("SELECT id, other_row FROM conflict").fetchall())
    finally:
        conn.close()
    assert json.loads(held["k1"]) == {**other, "at_court": 0, "said_by": ""}
    assert json.loads(held["k2"]) == {"id": "n1"} and held["k3"] == "not json"


@pytest.mark.parametrize(
    "counts",
    [(5, 2.5, 2.5, 0, 0, 0), (5.5, 5.5, 0, 0, 0, 0), (5, "5", 0, 0, 0, 0), (5, None, 5, 0, 0, 0)],
)
def test_the_fast_path_is_fine_with_whole_numbers_alone(counts: tuple[object, ...]) -> None:
    """``check`` hands the fast path what the file holds: a count that is no whole
    number (which adds up all the same) goes the slow way, where it is refused."""
    assert roll_checks.fine(counts, None) is False  # type: ignore[arg-type]
    assert roll_checks.fine((5, 5, 0, 0, 0, 0), None) is True


# Run in a fresh interpreter: the registry gets one line more before anything derived
# from it is imported, and the migration adding its column, as a newcomer writes them.
NEW_CATEGORY = r"""
import json, sqlite3, sys
from pathlib import Path

from irp_field.domain import roll_categories as registry

since, folder = int(sys.argv[1]), Path(sys.argv[2])
registry.CATEGORIES = (
    *registry.CATEGORIES,
    registry.Count("at_court", "At court", "Crt", "prisoners at court", since=since),
)
from irp_field.core import schema

schema.MIGRATIONS = (
    *schema.MIGRATIONS,
    schema.adding_columns(
        f"m{since:03d}_at_court", "roll_check", "at_court INTEGER NOT NULL DEFAULT 0"
    ),
)
schema.SCHEMA_VERSION = len(schema.MIGRATIONS)

from irp_field.api import evidence, typed_writes
from irp_field.core.visit_file import VisitFile
from irp_field.domain import roll_checks, vocabulary
from irp_field.evidence import roll_check_audit, roll_tallies
from irp_field.interchange import bundle, export_tables, kinds, redaction
from irp_field.replication import guard
from irp_field.tui.screens import roll_check_form

export = next(t for t in export_tables.RECORD_TABLES if t.name == "roll_check")
# by name: the registry may hold categories after the first five (a contributor's)
first = {"roll": 10, "locked_up": 2, "off_wing_activity": 2, "wing_work": 2, "unlocked_on_wing": 2}


def counted(**more):
    return roll_checks.RollCounts(**first, **more)


def fine(**more):
    given = {**first, **more}
    return roll_checks.fine(tuple(given.get(n, 0) for n in roll_checks.COUNT_FIELDS), None)


said = {
    "categories": vocabulary.ROLL_CATEGORIES,
    "count_fields": roll_checks.COUNT_FIELDS,
    "old_caller": roll_checks.RollCounts(10, 2, 2, 2, 2, 2).at_court,
    "accounted": counted(elsewhere=1, at_court=1).accounted,
    "fine": fine(elsewhere=1, at_court=1),
    "not_fine": fine(elsewhere=1, at_court=2),
    "over": roll_checks.over_the_roll(counted(elsewhere=1, at_court=2)),
    "table": schema.merged_columns("roll_check"),
    "migrated": [c[0] for c in guard.our_shape()["roll_check"]],
    "import_optional": kinds.KINDS["roll-checks"].optional,
    "export_columns": [c.name for c in export.columns],
    "export_about": [c.description for c in export.columns if c.name == "at_court"],
    "export_select": export.select,
    "redaction": redaction.POLICY["roll_check"].get("at_court"),
    "bundle": bundle.ROLL_CHECK_READS,
    "audit": roll_check_audit.ROLL_CHECK_COUNTS,
    "label": roll_check_form.LABELS.get("at_court"),
    "head": roll_check_form.HEADS[-1],
}
path = folder / "visit.db"
with VisitFile.create(
    path, establishment="HMP Test", start_date="2022-03-14", end_date="2022-03-16"
) as visit:
    evidence.add_location(visit, "A wing")
    for name, header, line in (
        ("new.csv", ",at_court", "2022-03-14T10:00,A wing,10,2,2,2,2,1,1"),
        ("old.csv", "", "2022-03-15T10:00,A wing,10,2,2,2,2,2"),
    ):
        sheet = folder / name
        sheet.write_text(
            "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,"
            f"elsewhere{header}\n{line}\n",
            encoding="utf-8",
        )
        evidence.import_csv(visit, "roll-checks", sheet)
    # typed values kept (saved while the file was locked) by the version before, put back
    kept = {"counts": {**first, "elsewhere": 2}, "location_id": "A wing", "round_label": "Wed"}
    typed_writes.roll_check(visit, {**kept, "taken_at": "2022-03-16T10:00"})
    said["imported"] = sorted(
        tuple(row) for row in visit.conn.execute("SELECT taken_at, at_court FROM roll_check")
    )
    said["check"] = [f.verdict.message for f in roll_check_audit.roll_check_findings(visit)]
    # the kept tallies sum it too (their columns and triggers follow the registry)
    said["tallied"] = [tuple(row) for row in visit.conn.execute(
        "SELECT checks, elsewhere, at_court FROM roll_tally_location"
    )]
    said["tally_drift"] = roll_tallies.drift(visit)
# the file as the version before made it (its tallies' triggers knew no at_court): read as
# it is, the category reads 0
conn = sqlite3.connect(path, isolation_level=None)
for trigger in ("new", "changed", "removed"):
    conn.execute(f"DROP TRIGGER roll_check_tallies_{trigger}")
conn.execute("ALTER TABLE roll_check DROP COLUMN at_court")
conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", (schema.MIGRATIONS[-1].__name__,))
conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(since - 1),))
conn.close()
with VisitFile.open(path, readonly=True) as older:
    said["older"] = [tuple(row) for row in older.conn.execute(
        "SELECT taken_at, at_court FROM roll_check ORDER BY taken_at"
    )]
print(json.dumps(said))
"""


def test_a_category_added_to_the_registry_reaches_every_piece_derived_from_it(
    tmp_path: Path,
) -> None:
    since = schema.SCHEMA_VERSION + 1
    done = subprocess.run(
        [sys.executable, "-c", NEW_CATEGORY, str(since), str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said["categories"][-1] == said["count_fields"][-1] == "at_court"
    assert said["old_caller"] == 0  # a caller written before it counts nobody there
    assert said["accounted"] == 10 and said["fine"] and not said["not_fine"]
    assert said["over"][0] == "at_court"
    # where ALTER TABLE puts it, in the table declared and in the table migrated alike
    assert said["table"][-1] == "at_court" and said["migrated"] == said["table"]
    assert "at_court" in said["import_optional"]
    before = said["count_fields"][-2]  # the last category before it
    at = said["export_columns"].index(before) + 1
    assert said["export_columns"][at] == "at_court"
    assert said["export_about"] == ["Of the roll: prisoners at court."]
    assert f"r.{before}, r.at_court" in said["export_select"]
    assert said["redaction"] == redaction.KEEP
    assert f"r.{before}, r.at_court, COALESCE(o.name" in said["bundle"]
    assert said["audit"].endswith(f"{before}, at_court")
    assert (said["label"], said["head"]) == ("At court", "Crt")
    assert said["imported"] == [
        ["2022-03-14T10:00", 1],
        ["2022-03-15T10:00", 0],
        ["2022-03-16T10:00", 0],
    ]
    assert said["check"] == []
    assert said["tallied"] == [[3, 5, 1]] and said["tally_drift"] == []
    assert said["older"] == [
        ["2022-03-14T10:00", 0],
        ["2022-03-15T10:00", 0],
        ["2022-03-16T10:00", 0],
    ]
