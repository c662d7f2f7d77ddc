"""Crash safety: writers and merges killed with SIGKILL at random (seeded) moments.

A writer records evidence one committed write at a time and prints each id after the
commit; after every kill the file passes ``integrity_check`` and holds every printed
row. A merge of several files killed at any moment leaves the target as before or
fully merged. The kill schedule is seeded, so a failure can be replayed.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from forking import ForkServer
from hardening_helpers import check_after_kill, committed, start_writer
from merge_helpers import content, cp, integrity

from irp_field.core.visit_file import VisitFile
from irp_field.replication.merge import merge_visits

# a period the rules take (a merge judges every row it brings in)
PERIOD = {"on_date": "2022-03-15", "start_time": "10:00", "end_time": "11:00", "activity": "gym"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX"),
]

SEED = 20261127
ROUNDS = 10
KILLS_PER_ROUND = 5


def test_killed_writers_lose_no_committed_write(
    hull_path: Path, tmp_path: Path, fork_server: ForkServer
) -> None:
    """10 files x 5 writers, each killed at a random moment: 50 kills; every writer
    continues on the file its killed predecessor left, so recovery is tested too."""
    rng = random.Random(SEED)
    kills = 0
    for round_number in range(ROUNDS):
        path = cp(hull_path, tmp_path / f"round{round_number}.db")
        added: dict[str, set[str]] = {"note": set(), "toc_period": set()}
        deleted: set[str] = set()
        for kill in range(KILLS_PER_ROUND):
            process = start_writer(fork_server, path, 0, f"r{round_number}k{kill}")
            first = ""
            if kill == KILLS_PER_ROUND - 1:
                # A round's last writer is killed only once it has committed a write, so
                # that every file holds writes to lose (on a loaded machine, five kills
                # within 0.25 s of opening once left a round with none, and the test
                # proved nothing of it); the others die at any moment, opening included.
                assert process.stdout is not None
                first = process.stdout.readline()
            time.sleep(rng.uniform(0.0, 0.25))
            process.send_signal(signal.SIGKILL)
            out, err = process.communicate()
            out = first + out
            assert process.returncode == -signal.SIGKILL, err
            kills += 1
            new_added, new_deleted = committed(out)
            for table, ids in new_added.items():
                added[table] |= ids
            deleted |= new_deleted
            check_after_kill(path, added, deleted)
        assert sum(map(len, added.values())) > 0  # the writers did write
    assert kills >= 50


MERGE_SCRIPT = (
    "import sys; from pathlib import Path; from irp_field.replication.merge import merge_visits; "
    "print('start', flush=True); "
    "merge_visits(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])"
)
MERGE_KILLS = 50


def test_killed_merge_of_several_files_is_all_or_nothing(
    hull_path: Path, tmp_path: Path, irp_home: Path, fork_server: ForkServer
) -> None:
    """Four laptops (new notes, periods, edits and deletes) merged into the master, killed
    50 times at seeded moments spread over the merge (snapshot, rows, integrity check,
    commit): the target is as before or fully merged every time, and a rerun completes it.
    test_merge_kill.py covers two large sources; this covers more files and more moments."""
    sources = []
    for n in range(4):
        source = cp(hull_path, tmp_path / f"laptop{n}.db")
        with VisitFile.open(source, user=f"inspector {n}") as visit:
            with visit.transaction():
                visit.insert_many(
                    "note",
                    (
                        {"taken_at": "2022-03-15T10:00", "text": f"note {i} from {n}", "tags": "t"}
                        for i in range(600)
                    ),
                )
                visit.insert_many(
                    "toc_period",
                    ({"subject": f"S{i}", "subject_group": "g", **PERIOD} for i in range(600)),
                )
            first_note = visit.query("SELECT id FROM note WHERE deleted = 0 LIMIT 3")
            with visit.transaction():
                visit.update("note", first_note[0]["id"], {"text": f"edited on laptop {n}"})
                visit.delete("note", first_note[1]["id"])
        sources.append(source)
    reference = cp(hull_path, tmp_path / "reference.db")
    started = time.monotonic()
    merge_visits(reference, sources)
    duration = time.monotonic() - started
    merged = content(reference)
    original = content(hull_path)
    assert merged != original
    env = {**os.environ, "IRP_FIELD_HOME": str(irp_home)}
    rng = random.Random(SEED + 1)
    outcomes: dict[str, int] = {"as before": 0, "merged": 0}
    for attempt in range(MERGE_KILLS):
        target = cp(hull_path, tmp_path / "target.db")
        process = fork_server.start(
            ["-c", str(target), *map(str, sources)], code=MERGE_SCRIPT, env=env
        )
        assert process.stdout.readline() == "start\n", process.communicate()
        time.sleep(rng.uniform(0.0, duration * 2 + 0.1))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        assert integrity(target) == "ok", attempt
        now = content(target)
        assert now in (original, merged), attempt
        outcomes["merged" if now == merged else "as before"] += 1
        if attempt % 10 == 0:  # a killed merge can simply be run again
            merge_visits(target, sources)
            assert content(target) == merged
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
    assert sum(outcomes.values()) == MERGE_KILLS
    print(f"merge kills: {outcomes}, merge takes {duration:.2f}s")
