"""Shared helpers for the benchmarks: timing, machine facts, and synthetic visits."""

from __future__ import annotations

import csv
import os
import platform
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from irp_field.core.visit_file import VisitFile
from irp_field.interchange.imports import KINDS, import_csv

ROLL_KIND = KINDS["roll-checks"]
ROLL_HEADER = [*ROLL_KIND.required, *ROLL_KIND.optional]  # the import's columns
LOCATIONS = [f"{letter} wing" for letter in "ABCDEFGHIJ"]


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings: the least disturbed by a noisy shared machine."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def median_of(runs: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def machine() -> str:
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    return (
        f"{os.cpu_count()} cores{memory}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.machine()}"
    )


def write_roll_csv(path: Path, rows: int, seed: int = 1) -> None:
    generator = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ROLL_HEADER)
        for index in range(rows):
            roll = generator.randint(40, 160)
            locked = generator.randint(0, roll)
            off = generator.randint(0, roll - locked)
            work = generator.randint(0, roll - locked - off)
            on_wing = roll - locked - off - work
            day = 1 + (index // 2000) % 28
            writer.writerow(
                [
                    f"2022-03-{day:02d}T{8 + index % 10:02d}:{index % 60:02d}",
                    LOCATIONS[index % len(LOCATIONS)],
                    roll,
                    locked,
                    off,
                    work,
                    on_wing,
                    0,
                    f"R{index // len(LOCATIONS)}",
                    "Jade Richards",
                    "",
                ]
            )


def write_toc_csv(path: Path, rows: int, seed: int = 2) -> None:
    generator = random.Random(seed)
    activities = ["open_air", "association", "domestic", "work", "education", "gym"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "subject", "group", "start", "end", "activity"])
        for index in range(rows):
            subject = index // 5
            start = generator.randint(8 * 60, 18 * 60)
            end = start + generator.randint(10, 120)
            writer.writerow(
                [
                    f"2022-03-{1 + subject % 28:02d}",
                    f"S{subject:06d}",
                    ["Unemployed", "Full-time work", "Part-time education"][subject % 3],
                    f"{start // 60:02d}:{start % 60:02d}",
                    f"{end // 60:02d}:{end % 60:02d}",
                    generator.choice(activities),
                ]
            )


def setup_visit(folder: Path, name: str = "bench.db") -> VisitFile:
    visit = VisitFile.create(
        folder / name,
        establishment="HMP Bench",
        start_date="2022-03-01",
        end_date="2022-03-28",
        user="Jade Richards",
    )
    team = folder / f"{name}-team.csv"
    team.write_text("name,role,body\nJade Richards,Inspector,HMIP\n", encoding="utf-8")
    places = folder / f"{name}-locations.csv"
    places.write_text(
        "name,kind,capacity\n" + "".join(f"{p},wing,200\n" for p in LOCATIONS), encoding="utf-8"
    )
    import_csv(visit, "team", team)
    import_csv(visit, "locations", places)
    return visit


def compile_package() -> None:
    """Byte-compile irp_field as `pip install .` does, so that start-up timings compare
    installed code with installed code (an editable install, or PYTHONDONTWRITEBYTECODE,
    would otherwise make every run compile the package from source)."""
    import compileall

    import irp_field

    compileall.compile_dir(os.path.dirname(irp_field.__file__), quiet=1)
