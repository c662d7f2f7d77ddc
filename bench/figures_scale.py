"""Figures, the report and the screens' reads at 10,000 and 1,000,000 roll checks, each
beside the one-pass floor measured in the same run (issue 24, aim 2: kept up to date, not
recomputed).

A visit of N roll checks (10 locations, so N/10 rounds) and N/10 time-out-of-cell
periods, imported by the import (its time printed: aim 4 must not get worse by what the
tallies add). Then, in a process that has the file open (fastest of a few):

- the one-pass floor: COUNT and SUM of every count over every roll check, which any
  figure recomputed from the checks must at least read;
- every figure (``figures.compute``), what `figures`, the report and F7 ask;
- the overview's read model (F2), F3's (the rounds, the chosen round, the route) and
  F7's (the paragraphs rendered with every figure);

and as an inspector runs them, a fresh process each (median of 3): `irp-field figures
--json` and `irp-field report --format md`. ``--sizes 10000,100000`` for a quicker run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    best_of,
    compile_package,
    irp_field_command,
    machine,
    run_measured,
    setup_visit,
    write_roll_csv,
    write_toc_csv,
)

from irp_field import figures
from irp_field.api.views import findings, overview, roll_check
from irp_field.core.visit_file import VisitFile
from irp_field.domain.roll_checks import COUNT_FIELDS
from irp_field.interchange.imports import import_csv

SIZES = (10_000, 1_000_000)
FIGURES_WITHIN = 2.0  # figures within 2x of the one-pass floor (aim 2)
SCREEN_SECONDS = 1.0  # screens show their data within 1 s at 1M (aim 2)


def _build(folder: Path, rows: int) -> tuple[Path, float]:
    write_roll_csv(folder / "roll.csv", rows)
    write_toc_csv(folder / "toc.csv", rows // 10)
    with setup_visit(folder) as visit:
        start = time.perf_counter()
        import_csv(visit, "roll-checks", folder / "roll.csv")
        imported = time.perf_counter() - start
        import_csv(visit, "time-out-of-cell", folder / "toc.csv")
        return visit.path, imported


def _floor(visit: VisitFile) -> None:
    visit.query(f"SELECT COUNT(*), {', '.join(f'SUM({c})' for c in COUNT_FIELDS)} FROM roll_check")


def _in_process(path: Path, runs: int) -> dict[str, float]:
    now = dt.datetime(2022, 3, 5, 10, 0)
    with VisitFile.open(path, readonly=True) as visit:
        return {
            "floor": best_of(runs, lambda: _floor(visit)),
            "figures": best_of(runs, lambda: figures.compute(visit)),
            "overview (F2)": best_of(runs, lambda: overview.overview(visit)),
            "roll check (F3)": best_of(
                runs, lambda: roll_check.read_round(visit, None, now, "Jade Richards")
            ),
            "findings (F7)": best_of(runs, lambda: findings.read_view(visit)),
        }


def _commands(path: Path, out: Path) -> dict[str, float]:
    commands = {
        "figures --json": [*irp_field_command(), "figures", str(path), "--json"],
        "report md": [
            *irp_field_command(),
            "report",
            str(path),
            "--format",
            "md",
            "--out",
            str(out / "report.md"),
            "--overwrite",
        ],
    }
    for command in commands.values():
        run_measured(command)  # warm the file cache
    return {
        name: statistics.median(run_measured(command).seconds for _ in range(3))
        for name, command in commands.items()
    }


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    sizes = [int(size) for size in parser.parse_args(argv).sizes.split(",")]
    compile_package()
    found: dict[str, float] = {}
    for rows in sizes:
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp)
            path, imported = _build(folder, rows)
            timed = _in_process(path, 3 if rows <= 100_000 else 2)
            fresh = _commands(path, folder)
        floor = timed["floor"]
        print(f"{rows:,} roll checks ({rows // 10:,} rounds, {rows // 10:,} periods):")
        print(f"  import of the roll checks {imported:.2f} s")
        print(f"  one-pass floor (COUNT and SUM of every count) {floor:.3f} s")
        ratio = timed["figures"] / floor
        verdict = "OK" if ratio <= FIGURES_WITHIN else "MISSED"
        print(
            f"  every figure {timed['figures']:.3f} s: {ratio:.2f}x the floor "
            f"(target {FIGURES_WITHIN}x) {verdict}"
        )
        for name in ("overview (F2)", "roll check (F3)", "findings (F7)"):
            slow = timed[name] > SCREEN_SECONDS
            print(
                f"  {name} read model {timed[name]:.3f} s ({timed[name] / floor:.1f}x the floor)"
                f" (target {SCREEN_SECONDS:.0f} s) {'MISSED' if slow else 'OK'}"
            )
        for name, seconds in fresh.items():
            print(f"  irp-field {name}, a fresh process: {seconds:.3f} s")
        found.update({f"{name} {rows}": seconds for name, seconds in {**timed, **fresh}.items()})
        found[f"import {rows}"] = imported
    print(f"machine: {machine()}")
    return found


if __name__ == "__main__":
    main()
