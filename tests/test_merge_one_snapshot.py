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
from irp_field.replication import purge_merge, source_checks
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
        return int(conn.execute("SELECT count(*) FROM roll_check WHERE locked_up = 900000").fetchone()[0])
    finally:
        conn.close()


def _after(original: Callable[..., Any], laptop: Path) -> Callable[..., Any]:
    def step(*args: Any, **kwargs: Any) -> Any:
        done = original(*args, **kwargs)
        if _hostile_rows(laptop) == 0:  # once
            _write_hostile_row(laptop)
        return done

    return step


# The steps after which the source was written: its last check (its purges), and the
# end of every source's checks, just before the merge opens the target to write it.
STEPS = {
    "after its last check": (purge_merge, "check_opened"),
    "after every check, before the merge reads it": (source_checks.OpenedSources, "close_target"),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_source_written_between_its_checks_and_the_merge_never_brings_in_what_was_written(
    hull_path: Path, tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    master = cp(hull_path, tmp_path / "master.db")
    laptop = cp(hull_path, tmp_path / "laptop.db")
    with sqlite3.connect(laptop) as conn:  # a laptop's file, written as the app writes it
        conn.execute("PRAGMA journal_mode = WAL")
    owner, name = STEPS[step]
    monkeypatch.setattr(owner, name, _after(getattr(owner, name), laptop))
    try:
        merge_visits(master, [laptop], accept_clock_skew=True)
    except IrpError as refused:  # refused: the file changed while it was read
        assert "laptop.db" in str(refused) and "nothing was merged" in str(refused)
    assert _hostile_rows(laptop) == 1  # it was written, at that step
    assert _hostile_rows(master) == 0  # and never merged unchecked
    # The file as it now stands is checked in full by the next merge, and refused.
    with pytest.raises(IrpError, match="laptop.db.*nothing was merged"):
        merge_visits(master, [laptop], accept_clock_skew=True)
    assert _hostile_rows(master) == 0
