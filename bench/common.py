"""Shared helpers for the benchmarks: timing, machine facts, and synthetic visits."""

from __future__ import annotations

import csv
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
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


def write_roll_csv(path: Path, rows: int, seed: int = 1, first: int = 0) -> None:
    """``rows`` checks, a round for every ten; ``first``: the index the rows start at (the
    checks of rounds a file starting at 0 and holding ``first`` rows does not have)."""
    generator = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ROLL_HEADER)
        for index in range(first, first + rows):
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


# -- fresh processes: their time and their peak memory ----------------------------------


def irp_field_command() -> list[str]:
    """How to run the installed ``irp-field`` (its script beside this Python, or -m)."""
    script = Path(sys.executable).with_name("irp-field")
    if script.exists():
        return [str(script)]
    found = shutil.which("irp-field")
    return [found] if found else [sys.executable, "-m", "irp_field"]


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_bytes: int | None  # the process's maximum resident set size; None where unknown

    @property
    def peak_mb(self) -> str:
        return f"{self.peak_bytes / 2**20:.0f} MB" if self.peak_bytes is not None else "n/a"


def run_measured(command: list[str], *, cwd: Path | None = None) -> Measured:
    """Run ``command`` as a fresh process; its wall time, and (POSIX) the peak resident
    memory of that one process, read from ``wait4`` when it exits (not the cumulative
    ``RUSAGE_CHILDREN``, which would mix in every earlier child). A non-zero exit raises."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, cwd=cwd)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            # ru_maxrss is in KiB on Linux and the BSDs, in bytes on macOS.
            scale = 1 if sys.platform == "darwin" else 1024
            peak: int | None = usage.ru_maxrss * scale
        else:  # no wait4 (Windows): the time alone
            process.wait()
            seconds = time.perf_counter() - start
            peak = None
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(
                f"{' '.join(command)} exited {process.returncode}: "
                f"{errors.read()[-2000:].decode(errors='replace')}"
            )
    return Measured(seconds, peak)


# -- the 2,000,000-row visit shared by the import-memory and check-speed benchmarks ----

BIG_ROWS = 2_000_000
BIG_FOLDER = Path(tempfile.gettempdir()) / f"irp-field-bench-{BIG_ROWS}"


def big_csv() -> Path:
    """The 2,000,000 roll checks as CSV (written once; rows that pass every rule)."""
    path = BIG_FOLDER / "roll.csv"
    done = BIG_FOLDER / "roll.csv.done"
    if not done.exists():
        BIG_FOLDER.mkdir(parents=True, exist_ok=True)
        write_roll_csv(path, BIG_ROWS)
        done.write_text(str(BIG_ROWS), encoding="utf-8")
    return path


BIG_VISIT = BIG_FOLDER / "big.db"
_BIG_DONE = BIG_FOLDER / "big.db.done"


def empty_big_visit() -> Path:
    """A new visit (locations and team, no roll checks yet) where the big one is kept."""
    _BIG_DONE.unlink(missing_ok=True)
    for leftover in (BIG_VISIT, Path(f"{BIG_VISIT}-wal"), Path(f"{BIG_VISIT}-shm")):
        leftover.unlink(missing_ok=True)
    BIG_FOLDER.mkdir(parents=True, exist_ok=True)
    setup_visit(BIG_FOLDER, BIG_VISIT.name).close()
    return BIG_VISIT


def import_command(visit: Path, csv_path: Path) -> list[str]:
    return [*irp_field_command(), "import", str(visit), "roll-checks", str(csv_path),
            "--by", "Jade Richards"]  # fmt: skip


def big_visit_imported() -> None:
    """Mark the big visit as whole: the 2,000,000 rows are in."""
    _BIG_DONE.write_text(str(BIG_ROWS), encoding="utf-8")


def big_visit() -> Path:
    """The visit holding the 2,000,000 roll checks, imported by ``irp-field import``: the
    import-memory benchmark leaves it behind, and the check benchmark builds it when it
    runs alone (``python bench/run.py`` removes the folder when it has run them)."""
    if not _BIG_DONE.exists():
        csv_path = big_csv()
        run_measured(import_command(empty_big_visit(), csv_path))
        big_visit_imported()
    return BIG_VISIT


def installed_as() -> str:
    """How irp_field is installed in this Python: editable (PEP 610's direct_url.json
    says so) or not."""
    try:
        said = metadata.distribution("irp-field").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return "not installed (run from its source folder)"
    editable = bool(json.loads(said or "{}").get("dir_info", {}).get("editable"))
    return (
        "an editable install (its finder and pathlib load at every start here, the "
        "peer's too: pip install . reads higher)"
        if editable
        else "installed (pip install .)"
    )
