"""The kept roll tallies (each round's and location's sums of its live checks): exact
after every write, import, merge, undo and purge; the figures read them and no check;
``check`` names a round or location whose kept sums drifted; an older file gets them."""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from merge_helpers import cp
from property_helpers import examples

from irp_field import figures
from irp_field.api import purges
from irp_field.api.check import check_visit
from irp_field.api.imports import import_csv
from irp_field.api.roll_checks import (
    RollCounts,
    delete_roll_check,
    edit_roll_check,
    record_roll_check,
    restore_roll_check,
)
from irp_field.api.setup import add_location
from irp_field.core import roll_tallies as kept_tallies
from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain import rounds as round_rules
from irp_field.domain.roll_checks import COUNT_FIELDS
from irp_field.evidence import history, roll_tallies
from irp_field.evidence import roll_checks as roll_check_reads
from irp_field.evidence import rounds as rounds_reads
from irp_field.replication.merge import merge_visits

WINGS = ("A wing", "B wing", "C wing")
ROUNDS = (
    ("Mon AM", "2022-03-14T09:00"),
    ("Mon PM", "2022-03-14T15:00"),
    ("Tue AM", "2022-03-15T09:30"),
)
HEADER = f"taken_at,location,{','.join(COUNT_FIELDS)},round"


def _visit(path: Path, wings: tuple[str, ...] = WINGS) -> Path:
    with VisitFile.create(
        path, establishment="HMP Test", start_date="2022-03-14", end_date="2022-03-16", user="Lead"
    ) as visit:
        for wing in wings:
            add_location(visit, wing, capacity=200)
    return path


def _counts(roll: int, locked: int) -> RollCounts:
    """The roll, ``locked`` of it locked up, the rest off the wing (the other counts 0)."""
    locked = min(locked, roll)
    return RollCounts(roll, locked, roll - locked, *(0,) * (len(COUNT_FIELDS) - 3))


def kept_rows(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {table}"))
        for table in kept_tallies.TABLES
    }


def summed_rows(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: sorted(tuple(r) for r in conn.execute(kept_tallies.summed_sql(table)))
        for table in kept_tallies.TABLES
    }


def from_the_checks(visit: VisitFile, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Every figure, with the tallies summed from the checks instead of read."""
    with monkeypatch.context() as patched:
        patched.setattr(roll_tallies, "kept", lambda visit: False)
        patched.setattr(kept_tallies, "kept", lambda conn: False)
        return figures.compute(visit)


def assert_exact(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with VisitFile.open(path, readonly=True) as visit:
        assert kept_tallies.kept(visit.conn)
        assert kept_rows(visit.conn) == summed_rows(visit.conn)
        assert roll_tallies.drift(visit) == []
        assert figures.compute(visit) == from_the_checks(visit, monkeypatch)


# -- any sequence of writes on three laptops ------------------------------------------

operation = st.one_of(
    st.tuples(st.just("save"), st.integers(0, 2), st.integers(0, 8), st.integers(1, 60)),
    st.tuples(st.just("edit"), st.integers(0, 2), st.integers(0, 99), st.integers(1, 60)),
    st.tuples(st.just("delete"), st.integers(0, 2), st.integers(0, 99), st.just(0)),
    st.tuples(st.just("restore"), st.integers(0, 2), st.integers(0, 99), st.just(0)),
    st.tuples(st.just("undo"), st.integers(0, 2), st.integers(0, 8), st.integers(1, 60)),
    st.tuples(st.just("import"), st.integers(0, 2), st.integers(0, 8), st.integers(1, 60)),
    st.tuples(st.just("merge"), st.integers(0, 2), st.integers(0, 2), st.just(0)),
    st.tuples(st.just("purge"), st.integers(0, 2), st.integers(0, 99), st.just(0)),
)


def _checks(visit: VisitFile, *, deleted: int) -> list[str]:
    """The live or deleted checks (a purged one is not brought back: it is no check)."""
    return [
        r["id"]
        for r in visit.query(
            "SELECT id FROM roll_check WHERE deleted = ? AND id NOT IN "
            "(SELECT row_id FROM purge WHERE deleted = 0) ORDER BY id",
            (deleted,),
        )
    ]


def _save(visit: VisitFile, which: int, roll: int) -> None:
    name, taken_at = ROUNDS[which % len(ROUNDS)]
    record_roll_check(
        visit,
        location_id=WINGS[which // len(ROUNDS)],
        counts=_counts(roll, which),
        taken_at=taken_at,
        round_label=name,
        replace=True,
    )


def _import(visit: VisitFile, folder: Path, which: int, roll: int) -> None:
    """Three lines, one of them a location already counted (replaced: --replace)."""
    lines = [HEADER]
    for n in range(3):
        name, taken_at = ROUNDS[(which + n) % len(ROUNDS)]
        counts = _counts(roll + n, which)
        lines.append(
            f"{taken_at},{WINGS[(which + n) % 3]},{','.join(str(getattr(counts, c)) for c in COUNT_FIELDS)},{name}"
        )
    sheet = folder / f"sheet{which}-{roll}.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_csv(visit, "roll-checks", sheet, again=True, replace=True)


def _apply(laptops: list[Path], folder: Path, op: tuple[str, int, int, int]) -> None:
    kind, who, arg, value = op
    if kind == "merge":
        if who != arg:
            merge_visits(laptops[who], [laptops[arg]])
        return
    with VisitFile.open(laptops[who], user=f"inspector {who}") as visit:
        live, gone = _checks(visit, deleted=0), _checks(visit, deleted=1)
        if kind == "save":
            _save(visit, arg, value)
        elif kind == "import":
            _import(visit, folder, arg, value)
        elif kind == "undo":
            with visit.recording() as writes:
                _save(visit, arg, value)
            history.undo(visit, writes)
        elif kind == "edit" and live:
            edit_roll_check(
                visit,
                live[arg % len(live)],
                counts=_counts(value, arg),
                taken_at="2022-03-14T09:05",
            )
        elif kind == "delete" and live:
            delete_roll_check(visit, live[arg % len(live)])
        elif kind == "restore" and gone:
            restore_roll_check(visit, gone[arg % len(gone)])
        elif kind == "purge" and (live or gone):
            both = live + gone
            purges.purge(visit, "roll-check", both[arg % len(both)], "counted at the wrong wing")


@settings(max_examples=examples(25))
@given(st.lists(operation, min_size=1, max_size=10))
def test_any_writes_imports_merges_undos_and_purges_leave_the_tallies_exact(
    monkeypatch: pytest.MonkeyPatch, ops: list[tuple[str, int, int, int]]
) -> None:
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as temp:
        folder = Path(temp)
        base = _visit(folder / "base.db")
        laptops = [cp(base, folder / f"laptop{n}.db") for n in range(3)]
        for op in ops:
            _apply(laptops, folder, op)
            assert_exact(laptops[op[1]], monkeypatch)
        merge_visits(laptops[0], laptops[1:])
        assert_exact(laptops[0], monkeypatch)


# -- a three-laptop merge ---------------------------------------------------------------


def test_a_merge_of_three_laptops_leaves_the_tallies_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = _visit(tmp_path / "base.db")
    laptops = [cp(base, tmp_path / f"laptop{n}.db") for n in range(3)]
    for n, laptop in enumerate(laptops):
        with VisitFile.open(laptop, user=f"inspector {n}") as visit:
            for which in range(9):  # every laptop counts every wing in every round
                _save(visit, which, 40 + 10 * n + which)
            checks = _checks(visit, deleted=0)
            if n == 1:
                delete_roll_check(visit, checks[0])
            if n == 2:  # the same check as laptop 1 deleted, edited: a conflict
                edit_roll_check(
                    visit, checks[0], counts=_counts(99, 50), taken_at="2022-03-14T09:10"
                )
    merge_visits(laptops[0], laptops[1:])
    assert_exact(laptops[0], monkeypatch)
    with VisitFile.open(laptops[0], readonly=True) as visit:
        assert sum(t.checks for t in roll_tallies.tallies(visit, roll_tallies.BY_ROUND)) in (8, 9)


# -- the figures read the tallies, never a check -----------------------------------------


def _tables_read(visit: VisitFile, read: Any) -> set[str]:
    found: set[str] = set()

    def note(action: int, table: str | None, *_: object) -> int:
        if action == sqlite3.SQLITE_READ and table:
            found.add(table)
        return sqlite3.SQLITE_OK

    visit.conn.set_authorizer(note)  # every statement prepared again, each table it reads
    try:
        read(visit)
    finally:
        visit.conn.set_authorizer(None)
    return found


def test_the_roll_figures_read_the_tallies_and_no_roll_check(tmp_path: Path) -> None:
    path = _visit(tmp_path / "visit.db")
    with VisitFile.open(path) as visit:
        for which in range(9):
            _save(visit, which, 50 + which)
    with VisitFile.open(path, readonly=True) as visit:
        read = _tables_read(visit, lambda v: list(figures.roll_figures(v)))
        assert "roll_tally_round" in read and "roll_tally_location" in read
        assert "roll_check" not in read
        assert "roll_check" not in _tables_read(visit, figures.compute)


def test_a_check_of_a_deleted_location_still_counts_as_it_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A round with a check of a location the visit no longer has is not whole for it."""
    path = _visit(tmp_path / "visit.db")
    with VisitFile.open(path) as visit:
        for which in range(9):
            _save(visit, which, 50 + which)
        with visit.transaction():
            place = visit.one("SELECT id FROM location WHERE name = 'C wing'")
            assert place is not None
            visit.delete("location", place["id"])
    assert_exact(path, monkeypatch)
    with VisitFile.open(path, readonly=True) as visit:
        found = figures.compute(visit)
        assert found["roll.rounds"].value == 3 and found["roll.rounds_partial"].value == 0


# -- check: drift named; tallies another tool broke ---------------------------------------


def test_check_names_a_round_and_a_location_whose_kept_sums_drifted(tmp_path: Path) -> None:
    path = _visit(tmp_path / "visit.db")
    with VisitFile.open(path) as visit:
        for which in range(9):
            _save(visit, which, 50 + which)
        assert check_visit(visit).problems == []
        monday = visit.one("SELECT id FROM roll_round WHERE name = 'Mon PM'")
        wing = visit.one("SELECT id FROM location WHERE name = 'B wing'")
        assert monday is not None and wing is not None
    conn = sqlite3.connect(path, isolation_level=None)  # a hand, or a bug, changing them
    conn.execute(
        "UPDATE roll_tally_round SET locked_up = locked_up + 3 WHERE round_id = ?", (monday[0],)
    )
    conn.execute("DELETE FROM roll_tally_location WHERE location_id = ?", (wing[0],))
    conn.close()
    with VisitFile.open(path, readonly=True) as visit:
        problems = check_visit(visit).problems
    assert any("round Mon PM" in p and "locked_up" in p for p in problems), problems
    assert any("location B wing" in p and "none kept" in p for p in problems), problems


def test_tallies_another_tool_broke_are_summed_from_the_checks_and_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _visit(tmp_path / "visit.db")
    with VisitFile.open(path) as visit:
        for which in range(9):
            _save(visit, which, 50 + which)
        before = figures.compute(visit)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER roll_check_tallies_changed")
    conn.execute("UPDATE roll_check SET roll = roll + 1, locked_up = locked_up + 1")
    conn.close()
    with VisitFile.open(path, readonly=True) as visit:
        assert not kept_tallies.kept(visit.conn)
        read = figures.compute(visit)  # never stale: summed from the checks
        assert read["roll.counted"].value == before["roll.counted"].value + 9
        report = check_visit(visit)
        assert any("not this version's" in w for w in report.warnings)
    with VisitFile.open(path):  # a writer builds them again
        pass
    assert_exact(path, monkeypatch)


# -- an older file: migration 9 sums the checks it holds ----------------------------------


def test_a_file_of_schema_8_gets_its_tallies_summed_from_its_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _visit(tmp_path / "visit.db")
    with VisitFile.open(path) as visit:
        for which in range(9):
            _save(visit, which, 50 + which)
        delete_roll_check(visit, _checks(visit, deleted=0)[0])
        expected = figures.compute(visit)
    conn = sqlite3.connect(path, isolation_level=None)
    for name in kept_tallies.trigger_sql():
        conn.execute(f"DROP TRIGGER {name}")
    for table in kept_tallies.TABLES:
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_roll_tallies'")
    conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    conn.close()
    with VisitFile.open(path, readonly=True) as visit:  # read as it is: summed, not read
        assert visit.schema_version == 8
        assert figures.compute(visit) == expected
    with VisitFile.open(path) as visit:
        assert visit.schema_version == schema.SCHEMA_VERSION
    assert_exact(path, monkeypatch)
    with VisitFile.open(path, readonly=True) as visit:
        assert figures.compute(visit) == expected


@pytest.mark.parametrize("version", [3, 4, 8])
def test_the_hull_sample_of_an_older_schema_opened_to_write_gets_exact_tallies(
    hull_path: Path, hull_template: Path, version: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Schemas 3 and 4 go through the rounds' migration (checks re-keyed, second checks
    of a location in a round kept deleted) before migration 9 sums what is left."""
    from test_older_files import _take_back_to_3, _take_back_to_4, _take_back_to_8

    {3: _take_back_to_3, 4: _take_back_to_4, 8: _take_back_to_8}[version](hull_path)
    with VisitFile.open(hull_path, readonly=True) as older:
        assert older.schema_version == version
    with VisitFile.open(hull_path) as visit:
        assert visit.schema_version == schema.SCHEMA_VERSION
        migrated = figures.compute(visit)
    assert_exact(hull_path, monkeypatch)
    with VisitFile.open(hull_template, readonly=True) as sample:
        assert migrated == figures.compute(sample)
        assert migrated["roll.checks"].value == 66


# -- F3's route: read a round at a time, as it was learned from every check ---------------


def _route_from_every_check(
    visit: VisitFile, inspector: str, live: list[str], but: str
) -> list[str]:
    """The route as read before: every check of the inspector, in rounds' order."""
    walks: dict[str, list[str]] = {}
    for row in visit.query(
        "SELECT r.round_id, r.location_id FROM roll_check r JOIN roll_round o ON "
        "o.id = r.round_id WHERE r.deleted = 0 AND r.inspector = ? AND r.round_id != ? "
        "ORDER BY o.on_date, o.at_time, o.name COLLATE NOCASE, o.id, r.created_at, r.taken_at, "
        "r.version",
        (inspector, but),
    ):
        walks.setdefault(row["round_id"], []).append(row["location_id"])
    return round_rules.route(walks.values(), live)


@settings(max_examples=examples(20))
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 4), st.sampled_from(("Ann", "Bo", ""))),
        max_size=25,
    ),
    st.integers(0, 5),
    st.integers(0, 3),
)
def test_the_route_read_a_round_at_a_time_is_the_route_learned_from_every_check(
    checks: list[tuple[int, int, str]], but: int, asking: int
) -> None:
    """Whenever the walk asks which locations were ever counted (after ``asking``
    rounds; 20 in use), the route is the one every check teaches."""
    wings = tuple(f"{w} wing" for w in "ABCDE")
    with (
        tempfile.TemporaryDirectory(dir=Path.cwd()) as temp,
        _walks_before_asking(asking),
    ):
        path = _visit(Path(temp) / "visit.db", wings)
        with VisitFile.open(path, user="Ann") as visit:
            for which, wing, inspector in checks:
                record_roll_check(
                    visit,
                    location_id=wings[wing],
                    counts=_counts(50, 10),
                    taken_at=f"2022-03-{14 + which % 3}T{9 + which:02d}:00",
                    round_label=f"Round {5 - which}",  # names out of the rounds' order
                    inspector=inspector,
                    replace=True,
                )
            with visit.transaction():
                place = visit.one("SELECT id FROM location WHERE name = 'E wing'")
                assert place is not None
                visit.delete("location", place["id"])
            places = roll_check_reads.locations(visit)
            live = [place.id for place in places]
            listed = [r.id for r in rounds_reads.rounds(visit)]
            skipped = listed[but % len(listed)] if listed else ""
            for inspector in ("Ann", "Bo", "Cy"):
                assert roll_check_reads.route(
                    visit, inspector, places, skipped
                ) == _route_from_every_check(visit, inspector, live, skipped)


@contextlib.contextmanager
def _walks_before_asking(rounds: int) -> Iterator[None]:
    kept = roll_check_reads._WALKS_BEFORE_ASKING
    roll_check_reads._WALKS_BEFORE_ASKING = rounds
    try:
        yield
    finally:
        roll_check_reads._WALKS_BEFORE_ASKING = kept


def test_a_route_met_in_the_first_round_reads_no_other_round_nor_every_check(
    tmp_path: Path,
) -> None:
    """F3's route on a visit of a million checks: when the earliest rounds met every
    live location, nothing later can move the route, so neither the later rounds nor
    every check of the inspector is read (a pass over every check took 0.4 s)."""
    wings = ("A wing", "B wing", "C wing")
    with VisitFile.open(_visit(tmp_path / "visit.db", wings), user="Ann") as visit:
        for day in range(3):
            for hour in range(10):
                for wing in (wings[1], wings[0], wings[2]):
                    record_roll_check(
                        visit,
                        location_id=wing,
                        counts=_counts(50, 10),
                        taken_at=f"2022-03-{14 + day}T{9 + hour:02d}:00",
                        round_label=f"Round {day}-{hour}",
                        inspector="Ann",
                    )
        places = roll_check_reads.locations(visit)
        statements: list[str] = []
        visit.conn.set_trace_callback(statements.append)
        try:
            route = roll_check_reads.route(visit, "Ann", places)
        finally:
            visit.conn.set_trace_callback(None)
        names = {place.id: place.name for place in places}
        assert [names[i] for i in route] == ["B wing", "A wing", "C wing"]
        assert not [s for s in statements if "DISTINCT" in s]
        assert len([s for s in statements if "FROM roll_check" in s]) == 1


def test_check_sums_the_checks_once_per_tally_in_the_table_s_order(hull: VisitFile) -> None:
    """At 2,000,000 checks the drift check took 22 s of `check`'s 35: each tally's sums
    were made twice (two EXCEPTs), through the round's index, a look-up per check. Now
    each is summed once, reading the checks in the table's order."""
    for table in (roll_tallies.BY_ROUND, roll_tallies.BY_LOCATION):
        plan = " ".join(
            str(row[3])
            for row in hull.query(f"EXPLAIN QUERY PLAN {kept_tallies.summed_sql(table)}")
        )
        assert "SCAN roll_check" in plan and "INDEX" not in plan, plan
    statements: list[str] = []
    hull.conn.set_trace_callback(statements.append)
    try:
        assert roll_tallies.drift(hull) == []
    finally:
        hull.conn.set_trace_callback(None)
    summed = [s for s in statements if "FROM roll_check" in s and "GROUP BY" in s]
    assert len(summed) == 2, summed


def test_a_kept_tally_that_is_no_count_is_refused_naming_the_file(
    hull_path: Path, irp_home: Path
) -> None:
    """A hand wrote a word into a kept tally: ``figures`` stopped with a ValueError
    traceback, and the export and the report with "unexpected ValueError" (hostile F8).
    Refused in one line naming the file; ``check`` names the tally. (A file changed by
    another hand has its tallies summed again from its checks, tests/test_tallies_trust.py;
    this is the guard behind that, for a hand that left the file looking as this
    installation last found it.)"""
    from click.testing import CliRunner

    from irp_field.cli import main
    from irp_field.core import sound_files

    conn = sqlite3.connect(hull_path)
    for table in (roll_tallies.BY_ROUND, roll_tallies.BY_LOCATION):
        key = kept_tallies.TABLES[table]
        conn.execute(
            f"UPDATE {table} SET locked_up = 'lots' WHERE {key} = (SELECT min({key}) FROM {table})"
        )
    conn.commit()
    conn.close()
    sound_files.found_sound(hull_path, sound_files.look(hull_path))
    result = CliRunner().invoke(main, ["figures", str(hull_path)])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(
        result.exception, SystemExit
    )
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(hull_path) in lines[0], result.stderr
    assert "kept roll tallies hold a value that is no count" in lines[0]
    checked = CliRunner().invoke(main, ["check", str(hull_path)])
    assert checked.exit_code == 1 and "roll tallies: round" in checked.output
