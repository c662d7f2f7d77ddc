"""F7's sync (ctrl+g) on a visit of 300,000 roll checks and 100,000 time-out-of-cell
periods: what the event loop waited before the sync ran in a worker, and what it waits now.

Measured in one process, as the app holds the file:

- the sync on the app's own connection (what ctrl+g froze the screen for, before);
- the sync on the worker's connection beside it (``core/beside.writer_beside``), with
  its stop look (a progress handler every 10,000 of SQLite's steps): what the look costs;
- while the worker syncs, the longest gap between two turns of a loop on the main thread
  that asks for a turn every millisecond (the event loop's stand-in: SQLite lets go of
  Python's lock while it steps, so the loop keeps its turns);
- from the stop being set, mid-sync, to the worker's thread ending, rolled back (what
  quitting the app mid-sync waits for).
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, machine, setup_visit, write_roll_csv, write_toc_csv

from irp_field.api import visits
from irp_field.core.visit_file import VisitFile
from irp_field.findings.sync import sync
from irp_field.interchange.imports import import_csv

ROLLS = 300_000
PERIODS = 100_000


def _beside(visit: VisitFile, stop: threading.Event) -> float:
    start = time.perf_counter()
    with visits.open_writer(visit, stop=stop.is_set) as writer:
        sync(writer)
    return time.perf_counter() - start


def _longest_gap(visit: VisitFile) -> tuple[float, float]:
    """The worker syncs; the main thread takes a turn every millisecond meanwhile."""
    done = threading.Event()
    took: list[float] = []

    def work() -> None:
        took.append(_beside(visit, threading.Event()))
        done.set()

    thread = threading.Thread(target=work)
    thread.start()
    gap, last = 0.0, time.perf_counter()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        gap, last = max(gap, now - last), now
    thread.join()
    return gap, took[0]


def _stopped(visit: VisitFile, after: float) -> float:
    """The stop set ``after`` seconds into a sync; seconds from then to the thread's end."""
    stop = threading.Event()
    ended: list[float] = []

    def work() -> None:
        with contextlib.suppress(Exception):  # "interrupted": what the worker meets
            _beside(visit, stop)
        ended.append(time.perf_counter())

    thread = threading.Thread(target=work)
    thread.start()
    time.sleep(after)
    told = time.perf_counter()
    stop.set()
    thread.join()
    return ended[0] - told


def main() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        write_roll_csv(folder / "roll.csv", ROLLS)
        write_toc_csv(folder / "toc.csv", PERIODS)
        with setup_visit(folder) as made:
            import_csv(made, "roll-checks", folder / "roll.csv")
            import_csv(made, "time-out-of-cell", folder / "toc.csv")
            path = made.path
        with VisitFile.open(path, user="Jade Richards") as visit:
            sync(visit)  # the file's pages in the cache for both
            loop_times, beside_times = [], []
            for _ in range(5):  # taking turns: the machine's noise falls on both alike
                loop_times.append(best_of(1, lambda: sync(visit)))
                beside_times.append(_beside(visit, threading.Event()))
            on_the_loop, beside = min(loop_times), min(beside_times)
            gaps = [_longest_gap(visit) for _ in range(3)]
            stopped = max(_stopped(visit, beside / 2) for _ in range(3))
            synced = visit.one("SELECT COUNT(*) FROM finding_sync")
    gap = max(g for g, _ in gaps)
    print(
        f"sync of every paragraph on {ROLLS:,} roll checks + {PERIODS:,} periods, best of 5 "
        "taking turns: "
        f"on the app's connection (the loop waited all of it) {on_the_loop:.3f} s; on the "
        f"worker's, with its stop look, {beside:.3f} s ({beside / on_the_loop - 1:+.1%})"
    )
    print(
        f"while the worker synced, the main thread's longest wait for its 1 ms turn "
        f"(worst of 3): {gap * 1000:.1f} ms; stopped halfway, the worker ended "
        f"{stopped * 1000:.1f} ms after the stop (worst of 3); sync states kept "
        f"{synced[0] if synced else 0}"
    )
    print(f"machine: {machine()}")
    return {"loop": on_the_loop, "beside": beside, "gap": gap, "stopped": stopped}


if __name__ == "__main__":
    main()
