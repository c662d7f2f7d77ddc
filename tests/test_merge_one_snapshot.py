"""A source is checked and merged as one state of the file (issue 24's merge, the gap
found beside it): its checks used to run on its own read-only connection and the merge
then read it again, attached to the merge's connection in another read transaction, so
a file written by another program between the two was merged unchecked. Here another
program writes a row every rule refuses into the source at each step between the checks
and the merge's reading; the merge refuses the file or merges what it checked, never
the row."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from merge_helpers import cp

from irp_field.domain.errors import IrpError
from irp_field.replication import guard, purge_merge, source_checks, sources
from irp_field.replication.merge import merge_visits

# A version no clock of this laptop has issued (taken with --accept-clock-skew), on a
# count no rule lets in.
HOSTILE = (
    "UPDATE roll_check SET roll = 10, locked_up = 900000, "
    "version = '1800000000000.000000.hostile' WHERE id IN (SELECT id FROM roll_check LIMIT 1)"
)


def _write_hostile_row(path: Path) -> None:
    """Another program (a SQLite browser, a sync tool) writing the file meanwhile."""
    conn = sqlite3.connect(path, timeout=0.5)
    try:
        conn.execute(HOSTILE)
        conn.commit()
    finally:
        conn.close()


def _hostile_rows(path: Path) -> int:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return int(
            conn.execute("SELECT count(*) FROM roll_check WHERE locked_up = 900000").fetchone()[0]
        )
    finally:
        conn.close()


def _after(original: Callable[..., Any], laptop: Path) -> Callable[..., Any]:
    def step(*args: Any, **kwargs: Any) -> Any:
        done = original(*args, **kwargs)
        if _hostile_rows(laptop) == 0:  # once
            _write_hostile_row(laptop)
        return done

    return step


# The steps after which the source was written, and what the merge then does: after its
# last check, inside the read transaction its checks and its copy share, the copy is of
# the state checked and the file, changed while it was read, is refused; after every
# source's checks, just before the merge opens the target to write it, the merge reads
# the copy of the state checked: merged, without the row.
STEPS = {
    "after its last check": (purge_merge, "check_opened", "refused"),
    "after every check, before the merge reads it": (
        source_checks.OpenedSources,
        "close_target",
        "merged as checked",
    ),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_source_written_between_its_checks_and_the_merge_never_brings_in_what_was_written(
    hull_path: Path, tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    master = cp(hull_path, tmp_path / "master.db")
    laptop = cp(hull_path, tmp_path / "laptop.db")
    with sqlite3.connect(laptop) as conn:  # a laptop's file, written as the app writes it
        conn.execute("PRAGMA journal_mode = WAL")
    owner, name, outcome = STEPS[step]
    monkeypatch.setattr(owner, name, _after(getattr(owner, name), laptop))
    if outcome == "refused":
        with pytest.raises(IrpError, match=r"laptop\.db: changed while it was read.*nothing"):
            merge_visits(master, [laptop], accept_clock_skew=True)
    else:
        report = merge_visits(master, [laptop], accept_clock_skew=True)
        assert report.sources == [laptop] and not report.unchanged
    assert _hostile_rows(laptop) == 1  # it was written, at that step
    assert _hostile_rows(master) == 0  # and never merged unchecked
    # The file as it now stands is checked in full by the next merge, and refused.
    with pytest.raises(IrpError, match=r"laptop\.db.*nothing was merged"):
        merge_visits(master, [laptop], accept_clock_skew=True)
    assert _hostile_rows(master) == 0


def _pragmas_asked(path: Path, *statements: str) -> int:
    """``guard.check_shape`` of ``path`` (after ``statements``): how many times it asked a
    table's columns of SQLite."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    asked: list[str] = []
    conn.set_trace_callback(asked.append)
    try:
        guard.check_shape(conn, path)
    finally:
        conn.close()
    return sum("pragma_table_info" in statement for statement in asked)


def test_a_file_made_by_this_version_has_its_shape_read_from_its_statements(
    hull_path: Path,
) -> None:
    """Every table's ``CREATE TABLE`` as this version's migrations leave it: its columns
    are this version's, not asked again table by table (28 queries a source); a table
    whose statement differs in any way has its columns compared, and passes when they
    are this version's."""
    assert _pragmas_asked(hull_path) == 0
    ours = guard.our_statements()["note"]
    other_hand = ours.replace("(", "( ", 1)  # the same columns, another text
    assert other_hand != ours
    rebuilt = [
        "PRAGMA foreign_keys = OFF",
        "BEGIN",
        "ALTER TABLE note RENAME TO note_old",
        other_hand,
        "INSERT INTO note SELECT * FROM note_old",
        "DROP TABLE note_old",
        "COMMIT",
    ]
    assert _pragmas_asked(hull_path, *rebuilt) >= 1


def test_a_statement_that_differs_in_a_constraint_is_still_refused(hull_path: Path) -> None:
    loosened = guard.our_statements()["note"].replace("NOT NULL", "", 1)
    assert loosened != guard.our_statements()["note"]
    conn = sqlite3.connect(hull_path, isolation_level=None)
    conn.executescript(
        "PRAGMA foreign_keys = OFF; BEGIN; ALTER TABLE note RENAME TO note_old; "
        f"{loosened}; INSERT INTO note SELECT * FROM note_old; DROP TABLE note_old; COMMIT;"
    )
    try:
        with pytest.raises(IrpError, match="lacks this irp-field's constraints"):
            guard.check_shape(conn, hull_path)
    finally:
        conn.close()


def test_a_source_left_unchecked_is_never_read_when_the_target_changed_meanwhile(
    hull_path: Path, tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source the target had merged as it is is not checked (nor read); if the target's
    record of it changed before the merge writes (another merge into it meanwhile), the
    file would be read unchecked: the merge is refused instead. (Simulated: the checks
    are told the target has merged the file, the writer's record says it has not.)"""
    master = cp(hull_path, tmp_path / "master.db")
    laptop = cp(hull_path, tmp_path / "laptop.db")
    _write_hostile_row(laptop)
    monkeypatch.setattr(sources.Source, "has_merged", lambda self, other: True)
    with pytest.raises(IrpError, match=r"master\.db changed while it was merged into"):
        merge_visits(master, [laptop], accept_clock_skew=True)
    assert _hostile_rows(master) == 0
