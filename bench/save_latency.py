"""Saving one roll check, or one sample answer, on a visit of 100,000 rows: under 20 ms.

What the roll-check and sampling screens do on the event loop when a key saves: one
committed transaction (WAL, synchronous=FULL, so it includes the fsync). Prints the
median and the 95th percentile of 50 saves each. Run: python bench/save_latency.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.domain.roll_checks import RollCounts
from irp_field.evidence import sampling
from irp_field.evidence.roll_checks import check_id, record_roll_check

ROWS = 100_000
SAVES = 50


def build(path: Path) -> tuple[VisitFile, list[str], str]:
    visit = VisitFile.create(
        path,
        establishment="HMP Bench",
        start_date="2026-11-23",
        end_date="2026-11-25",
        user="Bench Inspector",
    )
    with visit.transaction():
        places = [visit.insert("location", {"name": f"{chr(65 + i)} wing"}) for i in range(10)]
        # a round for every ten checks, each location counted once in it (a check is
        # keyed by its round and location, as every path of irp-field writes it)
        rounds = [keyed_id(visit.visit_id, "roll_round", f"r{j}") for j in range(ROWS // 10)]
        visit.insert_many(
            "roll_round",
            ({"id": r, "name": f"R{j}", "on_date": f"2026-11-{23 + j % 3}",
              "at_time": f"{8 + j % 10:02d}:{j % 60:02d}"} for j, r in enumerate(rounds)),
        )  # fmt: skip
        visit.insert_many(
            "roll_check",
            (
                {
                    "id": check_id(visit, rounds[i // 10], places[i % 10]),
                    "round_id": rounds[i // 10],
                    "taken_at": f"2026-11-{23 + i // 10 % 3}T{8 + i // 10 % 10:02d}:"
                    f"{i // 10 % 60:02d}",
                    "location_id": places[i % 10],
                    "roll": 100,
                    "locked_up": 40,
                    "off_wing_activity": 20,
                    "wing_work": 10,
                    "unlocked_on_wing": 25,
                    "elsewhere": 5,
                }
                for i in range(ROWS)
            ),
        )
        frame = sampling.ensure_frame(visit, "Use of force records", population=ROWS)
    return visit, places, frame


def timed(action: object) -> list[float]:
    timings = []
    for index in range(SAVES):
        start = time.perf_counter()
        action(index)  # type: ignore[operator]
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def report(what: str, timings: list[float]) -> None:
    p95 = statistics.quantiles(timings, n=20)[-1]
    verdict = "ok" if p95 < 20 else "OVER 20 ms"
    print(f"{what:<32} median {statistics.median(timings):6.2f} ms   p95 {p95:6.2f} ms   {verdict}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        visit, places, frame = build(Path(folder) / "bench.db")
        print(f"visit of {ROWS:,} roll checks; {SAVES} saves each")
        counts = RollCounts(100, 40, 20, 10, 25, 5)
        report(
            "save a roll check",
            timed(
                lambda i: record_roll_check(
                    visit,
                    location_id=places[i % 10],
                    counts=counts,
                    taken_at="2026-11-25T14:00",
                    round_label=f"Bench round {i // 10}",  # each save a new check
                    inspector="Bench Inspector",
                )
            ),
        )

        def answer(i: int) -> None:
            with visit.transaction():
                sampling.record_answer(visit, frame, f"UOF-{i:04d}", "Complete", "yes")

        report("save a sample answer", timed(answer))
        visit.close()


if __name__ == "__main__":
    main()
