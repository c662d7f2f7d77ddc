"""`irp-field report` on the Hull sample, in each format, as a team leader runs it.

The Word report draws its two pie charts (Pillow, supersampled, TrueType labels) and
starts from the house template; this times what that costs:

- the command itself, a fresh process each time (median of 7 per format, taking turns
  with `python -c "import docx"`, the start-up any Word writer pays);
- writing the report in a process that has the visit open (fastest of 5 per format), and
  drawing one chart's PNG alone.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, compile_package, irp_field_command, machine, run_measured

from irp_field.core.visit_file import VisitFile
from irp_field.interchange import samples
from irp_field.interchange.bundle import build_from_bundle
from irp_field.report import build, charts

RUNS = 7
FORMATS = ("md", "html", "docx")


def _commands(visit: Path, out: Path) -> dict[str, float]:
    commands = {
        fmt: [
            *irp_field_command(),
            "report",
            str(visit),
            "--format",
            fmt,
            "--out",
            str(out / f"hull.{fmt}"),
            "--overwrite",
        ]
        for fmt in FORMATS
    }
    commands["peer"] = [sys.executable, "-c", "import docx"]
    for command in commands.values():
        run_measured(command)  # warm the file cache
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            timings[name].append(run_measured(command).seconds)
    return {name: statistics.median(found) for name, found in timings.items()}


def main() -> dict[str, float]:
    compile_package()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        path = build_from_bundle(
            samples.sample_bundle(), folder / "hull.db", user="Sara Pennington"
        )
        with VisitFile.open(path, user="Sara Pennington") as visit:
            build.make(visit, "md", sync_first=True)
        with VisitFile.open(path, readonly=True) as visit:
            inside = {fmt: best_of(5, lambda fmt=fmt: build.make(visit, fmt)) for fmt in FORMATS}
            report, _ = build.make(visit, "md")
        chart = next(b for b in report.blocks if isinstance(b, charts.Chart))
        start = time.perf_counter()
        charts.png(chart)
        one_chart = time.perf_counter() - start
        command = _commands(path, folder)
    print(
        f"irp-field report on the Hull sample, a fresh process, median of {RUNS}: "
        + ", ".join(f"{fmt} {command[fmt]:.3f} s" for fmt in FORMATS)
        + f"; python -c 'import docx' {command['peer']:.3f} s"
    )
    print(
        "writing it with the visit open (fastest of 5): "
        + ", ".join(f"{fmt} {inside[fmt]:.3f} s" for fmt in FORMATS)
        + f"; one chart's PNG {one_chart:.3f} s"
    )
    print(f"machine: {machine()}")
    return {"ours": command["docx"], "inside": inside["docx"], "chart": one_chart}


if __name__ == "__main__":
    main()
