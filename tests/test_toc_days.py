"""The kept subject-day totals of time out of cell never disagree with the periods.

Whoever writes the periods (this app in its transactions, another program through
SQLite, a merge, a redacted export), the figures equal a count of minutes done by hand,
and once this app next writes, the kept totals equal a fresh total of the periods.
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_helpers import examples

from irp_field import figures
from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.evidence import toc_days
from irp_field.interchange.redacted_copy import redacted_copy
from irp_field.replication.merge import merge_visits

GROUP_OF = {"U01": "Unemployed", "U02": "Unemployed", "W01": "Full-time work"}
DAYS = ("2026-01-12", "2026-01-13")


def _new_visit(folder: Path, name: str = "v.db") -> VisitFile:
    return VisitFile.create(
        folder / name,
        establishment="HMP Test",
        start_date="2026-01-12",
        end_date="2026-01-14",
        user="tester",
    )


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _period(subject: str, day: str, start: int, length: int, activity: str) -> dict[str, Any]:
    return {
        "subject": subject,
        "on_date": day,
        "subject_group": GROUP_OF[subject],
        "start_time": _clock(start),
        "end_time": _clock(min(start + length, 24 * 60 - 1)),
        "activity": activity,
    }


def _expected(periods: list[dict[str, Any]]) -> dict[str, float]:
    """The figures by counting minutes one by one."""
    unlocked: dict[tuple[str, str], set[int]] = defaultdict(set)
    outside: dict[tuple[str, str], set[int]] = defaultdict(set)
    for p in periods:
        if p["deleted"]:
            continue
        start = int(p["start_time"][:2]) * 60 + int(p["start_time"][3:])
        end = int(p["end_time"][:2]) * 60 + int(p["end_time"][3:])
        minutes = set(range(start, end))
        unlocked[(p["subject"], p["on_date"])] |= minutes
        if p["activity"] == "open_air":
            outside[(p["subject"], p["on_date"])] |= minutes
    days = list(unlocked)
    found: dict[str, float] = {"toc.subject_days": len(days)}
    if days:
        found["toc.hours_per_day"] = sum(len(unlocked[d]) for d in days) / 60 / len(days)
        found["toc.open_air_minutes_per_day"] = sum(len(outside[d]) for d in days) / len(days)
        found["toc.pct_days_under_2_hours"] = sum(1 for d in days if len(unlocked[d]) < 120) / len(
            days
        )
    for group in set(GROUP_OF.values()):
        mine = [d for d in days if GROUP_OF[d[0]] == group]
        if mine:
            key = f"toc.by_group.{group.lower().replace(' ', '_').replace('-', '_')}"
            found[f"{key}.subject_days"] = len(mine)
            found[f"{key}.hours_per_day"] = sum(len(unlocked[d]) for d in mine) / 60 / len(mine)
            found[f"{key}.open_air_minutes_per_day"] = sum(len(outside[d]) for d in mine) / len(
                mine
            )
    return found


def _assert_figures(visit: VisitFile, periods: list[dict[str, Any]]) -> None:
    computed = {f.key: f.value for f in figures.toc_figures(visit)}
    expected = _expected(periods)
    assert {k for k in computed if k.startswith("toc.by_group.")} == {
        k for k in expected if k.startswith("toc.by_group.")
    }
    for key, value in expected.items():
        assert computed[key] == pytest.approx(value), key


def _kept(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return sorted(tuple(r) for r in conn.execute("SELECT * FROM toc_day"))


def _fresh(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return sorted(tuple(r) for r in conn.execute(toc_days.live_days_sql(toc_days.ALL_PERIODS)))


def _assert_settled(visit: VisitFile) -> None:
    assert visit.one("SELECT COUNT(*) FROM toc_day_stale")[0] == 0  # type: ignore[index]
    assert _kept(visit.conn) == _fresh(visit.conn)


slot = st.tuples(
    st.sampled_from(sorted(GROUP_OF)),
    st.sampled_from(DAYS),
    st.integers(0, 23 * 60 - 1),
    st.integers(1, 300),
    st.sampled_from(["open_air", "domestic", "work"]),
)
step = st.one_of(
    st.tuples(st.just("add"), slot, st.booleans()),
    st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 23 * 60 - 1), st.booleans()),
    st.tuples(st.just("redate"), st.integers(0, 30), st.sampled_from(DAYS), st.booleans()),
    st.tuples(st.just("resubject"), st.integers(0, 30), st.sampled_from(sorted(GROUP_OF))),
    st.tuples(st.just("tombstone"), st.integers(0, 30), st.booleans()),
    st.tuples(st.just("erase"), st.integers(0, 30)),
    st.tuples(
        st.just("commit"),
    ),
)


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=30))
def test_figures_and_kept_totals_follow_every_kind_of_write(steps: list[tuple[Any, ...]]) -> None:
    """Writes by this app (`True`: in its transactions) and by another program (`False`:
    plain SQL that never settles) in any order: a reader's figures always equal counting
    by hand, and the app's next transaction leaves the kept totals equal to the periods."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        visit = _new_visit(folder)
        other = sqlite3.connect(visit.path, isolation_level=None)
        other.row_factory = sqlite3.Row
        try:
            for action, *args in steps:
                _apply(visit, other, action, args)
            periods = [dict(r) for r in other.execute("SELECT * FROM toc_period")]
            with VisitFile.open(visit.path, readonly=True) as reader:
                _assert_figures(reader, periods)
            with visit.transaction():
                pass  # any write of this app settles the marked days
            _assert_settled(visit)
            _assert_figures(visit, periods)
        finally:
            other.close()
            visit.close()


def _apply(visit: VisitFile, other: sqlite3.Connection, action: str, args: list[Any]) -> None:
    ids = [r[0] for r in other.execute("SELECT id FROM toc_period ORDER BY id")]
    if action == "commit":
        with visit.transaction():
            pass
        _assert_settled(visit)
        return
    if action == "add":
        (subject, day, start, length, activity), by_app = args
        values = _period(subject, day, start, length, activity)
        if by_app:
            with visit.transaction():
                visit.insert("toc_period", values)
        else:
            other.execute(
                "INSERT INTO toc_period (id, subject, on_date, subject_group, start_time, "
                "end_time, activity) VALUES (:id, :subject, :on_date, :subject_group, "
                ":start_time, :end_time, :activity)",
                {**values, "id": f"raw-{uuid.uuid4().hex}"},
            )
        return
    if not ids:
        return
    row_id = ids[args[0] % len(ids)]
    changes: dict[str, Any]
    if action == "move":
        changes = {"start_time": _clock(args[1]), "end_time": _clock(min(args[1] + 45, 1439))}
    elif action == "redate":
        changes = {"on_date": args[1]}
    elif action == "resubject":
        changes = {"subject": args[1], "subject_group": GROUP_OF[args[1]]}
    elif action == "tombstone":
        changes = {"deleted": 1}
    else:  # erase: not something this app does, but another program may
        other.execute("DELETE FROM toc_period WHERE id = ?", (row_id,))
        return
    if args[-1] is True and action != "resubject":
        with visit.transaction():
            visit.update("toc_period", row_id, changes)
    else:
        sets = ", ".join(f"{c} = :{c}" for c in changes)
        other.execute(f"UPDATE toc_period SET {sets} WHERE id = :id", {**changes, "id": row_id})


def test_a_statement_with_its_own_conflict_policy_still_marks_days(tmp_path: Path) -> None:
    """INSERT OR ABORT would turn a trigger's INSERT OR IGNORE into an error: the
    triggers use an upsert, which no outer policy overrides."""
    with _new_visit(tmp_path) as visit:
        conn = sqlite3.connect(visit.path, isolation_level=None)
        for n, policy in enumerate(["OR ABORT", "OR FAIL", "OR ROLLBACK", "OR REPLACE", ""]):
            conn.execute(
                f"INSERT {policy} INTO toc_period (id, subject, on_date, subject_group, "
                "start_time, end_time, activity) VALUES (?, 'U01', '2026-01-12', "
                "'Unemployed', ?, ?, 'work')",
                (f"p{n}", f"0{n}:00", f"0{n}:30"),
            )
        conn.close()
        assert visit.one("SELECT COUNT(*) FROM toc_day_stale")[0] == 1  # type: ignore[index]
        with visit.transaction():
            pass
        assert _kept(visit.conn) == [("U01", "2026-01-12", "Unemployed", 150, 0)]


def test_a_file_from_before_the_kept_totals_is_read_and_then_upgraded(tmp_path: Path) -> None:
    with _new_visit(tmp_path) as visit, visit.transaction():
        visit.insert("toc_period", _period("U01", DAYS[0], 9 * 60, 90, "open_air"))
        visit.insert("toc_period", _period("U01", DAYS[0], 10 * 60, 60, "work"))
        visit.insert("toc_period", _period("W01", DAYS[1], 8 * 60, 600, "work"))
    # Take the file back to schema 2, as the previous release wrote it.
    conn = sqlite3.connect(tmp_path / "v.db", isolation_level=None)
    for trigger in ("new", "changed", "removed"):
        conn.execute(f"DROP TRIGGER toc_period_marks_{trigger}")
    conn.execute("DROP TABLE toc_day")
    conn.execute("DROP TABLE toc_day_stale")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_subject_day_totals'")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.row_factory = sqlite3.Row
    periods = [dict(r) for r in conn.execute("SELECT * FROM toc_period")]
    conn.close()
    with VisitFile.open(tmp_path / "v.db", readonly=True) as reader:
        assert reader.schema_version == 2
        _assert_figures(reader, periods)  # from the periods alone: no table to read
    with VisitFile.open(tmp_path / "v.db") as visit:
        assert visit.schema_version == schema.SCHEMA_VERSION  # upgraded to the current schema
        assert _kept(visit.conn) == [
            ("U01", DAYS[0], "Unemployed", 120, 90),
            ("W01", DAYS[1], "Full-time work", 600, 0),
        ]
        _assert_settled(visit)
        _assert_figures(visit, periods)


def test_a_merge_leaves_the_target_totals_settled(tmp_path: Path) -> None:
    with _new_visit(tmp_path, "master.db") as master:
        visit_id = master.visit_id
    laptops = []
    for n, (subject, start) in enumerate([("U01", 9 * 60), ("U01", 9 * 60 + 30), ("W01", 480)]):
        path = tmp_path / f"laptop{n}.db"
        with (
            VisitFile.create(
                path,
                establishment="HMP Test",
                start_date="2026-01-12",
                end_date="2026-01-14",
                user=f"inspector {n}",
                visit_id=visit_id,
            ) as laptop,
            laptop.transaction(),
        ):
            laptop.insert("toc_period", _period(subject, DAYS[0], start, 60, "open_air"))
        laptops.append(path)
    merge_visits(tmp_path / "master.db", laptops)
    with VisitFile.open(tmp_path / "master.db") as master:
        _assert_settled(master)
        assert ("U01", DAYS[0], "Unemployed", 90, 90) in _kept(master.conn)
        shown = {f.key: f.value for f in figures.toc_figures(master)}
        assert shown["toc.subject_days"] == 2
        assert shown["toc.by_group.unemployed.hours_per_day"] == pytest.approx(1.5)


def test_a_redacted_copy_keeps_no_subject_in_its_totals(hull_path: Path, tmp_path: Path) -> None:
    with VisitFile.open(hull_path, readonly=True) as hull:
        subjects = {r[0] for r in hull.query("SELECT DISTINCT subject FROM toc_period")}
        before = {f.key: f.value for f in figures.toc_figures(hull)}
    assert subjects
    copy = redacted_copy(hull_path, tmp_path)
    conn = sqlite3.connect(copy)
    try:
        kept = {r[0] for r in conn.execute("SELECT subject FROM toc_day")}
        assert kept and not kept & subjects
        assert conn.execute("SELECT COUNT(*) FROM toc_day_stale").fetchone()[0] == 0
        assert _kept(conn) == _fresh(conn)
    finally:
        conn.close()
    # The groups are categories, kept in the clear (issue 21): the figures are the same,
    # key for key, group for group.
    with VisitFile.open(copy, readonly=True) as redacted:
        after = {f.key: f.value for f in figures.toc_figures(redacted)}
    assert any(".by_group." in k for k in after)
    assert after == before


def test_a_table_rebuilt_without_its_triggers_is_read_from_its_periods_then_repaired(
    tmp_path: Path,
) -> None:
    """Another tool that rebuilds toc_period (sqlite-utils' transform does) drops the
    triggers, and its writes mark nothing: readers then total every day from the
    periods, `check` says so, and the next opening for writing puts the triggers back
    and totals everything again."""
    from irp_field.api.check import check_visit

    with _new_visit(tmp_path) as visit, visit.transaction():
        visit.insert("toc_period", _period("U01", DAYS[0], 9 * 60, 60, "work"))
    conn = sqlite3.connect(tmp_path / "v.db", isolation_level=None)
    conn.execute("DROP TRIGGER toc_period_marks_new")
    conn.execute(
        "INSERT INTO toc_period (id, subject, on_date, subject_group, start_time, end_time, "
        "activity) VALUES ('late', 'W01', ?, 'Full-time work', '08:00', '18:00', 'work')",
        (DAYS[0],),
    )
    assert conn.execute("SELECT COUNT(*) FROM toc_day_stale").fetchone()[0] == 0  # unmarked
    conn.close()
    with VisitFile.open(tmp_path / "v.db", readonly=True) as reader:
        shown = {f.key: f.value for f in figures.toc_figures(reader)}
        assert shown["toc.subject_days"] == 2  # not the one day the kept totals know
        warnings = check_visit(reader).warnings
        assert any("toc_period_marks_new" in w and "missing" in w for w in warnings)
    with VisitFile.open(tmp_path / "v.db") as visit:
        assert toc_days.missing_triggers(visit.conn) == []
        _assert_settled(visit)
        assert ("W01", DAYS[0], "Full-time work", 600, 0) in _kept(visit.conn)
        assert not any("missing" in w for w in check_visit(visit).warnings)
