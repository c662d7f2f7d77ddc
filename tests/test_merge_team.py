"""A team leader's merge: twelve laptops in one go, into a master that does not exist
yet; a dry run that says exactly what the merge does; and a re-merge that skips what it
has seen without ever skipping something new."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from merge_helpers import content, cp, file_hash
from property_helpers import examples
from test_merge_properties import _apply, _make_laptops, operation

from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.replication.merge import merge_visits

TEAM = 12


def _laptops(hull_path: Path, folder: Path, count: int) -> list[Path]:
    laptops = []
    for n in range(count):
        path = cp(hull_path, folder / f"inspector{n}.db")
        with VisitFile.open(path, user=f"Inspector {n}") as visit, visit.transaction():
            visit.insert(
                "note",
                {
                    "taken_at": "2022-03-15T10:00",
                    "text": f"what inspector {n} saw",
                    "author": f"Inspector {n}",
                },
            )
        laptops.append(path)
    return laptops


def test_twelve_laptops_merge_in_one_go_into_a_new_master(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    laptops = _laptops(hull_path, tmp_path, TEAM)
    master = tmp_path / "master.db"
    # wide enough that the path (a long one under pytest-xdist) is printed on one line
    result = CliRunner(env={"COLUMNS": "250"}).invoke(
        main, ["merge", str(master), *map(str, laptops)]
    )
    assert result.exit_code == 0, result.output
    assert f"Created {master}" in result.output
    with VisitFile.open(master, readonly=True) as visit:
        texts = {r[0] for r in visit.query("SELECT text FROM note WHERE deleted = 0")}
        merges = visit.query("SELECT new FROM change_log WHERE action = 'merge'")
    assert {f"what inspector {n} saw" for n in range(TEAM)} <= texts
    assert len(merges) == 1  # one transaction for all twelve
    assert not list((irp_home / "backups").glob("master-*.db"))  # nothing to snapshot: new
    with sqlite3.connect(hull_path) as conn:
        hull_notes = conn.execute("SELECT count(*) FROM note").fetchone()[0]
    assert len(texts) == hull_notes + TEAM


def test_twelve_into_an_existing_master_is_one_transaction_and_one_snapshot(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    laptops = _laptops(hull_path, tmp_path, TEAM)
    master = cp(hull_path, tmp_path / "master.db")
    report = merge_visits(master, laptops)
    assert report.counts["note"].new == TEAM and not report.created
    assert len(list((irp_home / "backups").glob("master-*.db"))) == 1
    # A bad file among twelve refuses the lot: the master is untouched.
    (tmp_path / "bad.db").write_bytes(b"not a visit")
    before = file_hash(master)
    with pytest.raises(IrpError, match=r"bad\.db"):
        merge_visits(master, [*laptops, tmp_path / "bad.db"])
    assert file_hash(master) == before


def test_a_re_merge_skips_unchanged_files_and_never_a_changed_one(
    hull_path: Path, tmp_path: Path
) -> None:
    laptops = _laptops(hull_path, tmp_path, 3)
    master = tmp_path / "master.db"
    merge_visits(master, laptops)
    again = merge_visits(master, laptops)
    assert again.unchanged == laptops and not again.changed
    # Laptop 2 writes a note; laptop 1 then writes too (its clock is now past that
    # note) and is merged; then laptop 1 merges laptop 2's older note. Its state is not
    # the one the master merged, though no stamp of its own was needed: not skipped.
    with VisitFile.open(laptops[2], user="Inspector 2") as visit, visit.transaction():
        visit.insert(
            "note", {"taken_at": "2022-03-15T10:00", "text": "a late note from inspector 2"}
        )
    with VisitFile.open(laptops[1], user="Inspector 1") as visit, visit.transaction():
        visit.insert(
            "note", {"taken_at": "2022-03-15T10:00", "text": "a later note from inspector 1"}
        )
    merge_visits(master, [laptops[1]])
    merge_visits(laptops[1], [laptops[2]])
    third = merge_visits(master, [laptops[1]])
    assert third.unchanged == [] and third.counts["note"].new == 1
    with VisitFile.open(master, readonly=True) as visit:
        found = visit.one("SELECT 1 FROM note WHERE text = 'a late note from inspector 2'")
    assert found is not None


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=10), st.booleans())
def test_the_dry_run_reports_exactly_what_the_merge_does(
    ops: list[tuple[str, int, int]], new_master: bool
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        laptops = _make_laptops(folder)
        counter = [0]
        for op in ops:
            _apply(laptops, op, counter)
        master = folder / "master.db"
        if not new_master:
            cp(laptops[0], master)
        before = file_hash(master) if master.exists() else ""
        dry = merge_visits(master, laptops[1:] if not new_master else laptops, dry_run=True)
        assert (file_hash(master) if master.exists() else "") == before  # nothing written
        real = merge_visits(master, laptops[1:] if not new_master else laptops)
        assert dry.counts == real.counts
        assert dry.conflicts == real.conflicts and dry.created == real.created
        assert content(master)["fts_in_step"]
