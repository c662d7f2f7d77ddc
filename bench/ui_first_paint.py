"""From launching the app on the demo visit to the overview's first paint, and to the
overview painted with its figures, against a minimal Textual app's first paint,
measured in the same run.

Targets: the first paint within 1.3x of the minimal app (issue 24, aim 7); the figures
shown within 1.5x (issue 5). Each run is a fresh Python process (interpreter start and
imports included, as an inspector launching `irp-field demo` would see), headless; the
time is taken to the moment the frame is ready, and the process then exits. Prints the
best wall time of five of each and the median processor time (steadier when the machine
is busy), the three launches taking turns. Run: python bench/ui_first_paint.py

Until issue 24 the time was taken to the process's end, which added the app's and the
interpreter's ending after the frame (about 50 ms for the minimal app here, 100 ms for
ours, which closes its visit) to the two sides of the ratio.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import compile_package

RUNS = 5

# Every launch notes the moment its screen's first frame is ready (Textual hands the
# frame to its driver, App._display) in the file PAINTED names, and exits: the time from
# the launch to that moment is what is compared, the process's own ending left out.
STAMP = """
import os, time
from textual.app import App

_display = App._display

def display(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and ready(screen) and not os.path.exists(os.environ["PAINTED"]):
        with open(os.environ["PAINTED"], "w") as stamp:
            stamp.write(f"{time.time()!r} {time.process_time()!r}")
        self.exit()

App._display = display
"""

MINIMAL = (
    STAMP
    + """
from textual.widgets import Static

def ready(screen):
    return True

class Minimal(App[None]):
    def compose(self):
        yield Static("hello")

Minimal().run(headless=True)
"""
)

# The demo visit opened as `irp-field demo` opens it: the overview's first frame (its
# figures are read in a worker, after it), and its first frame with the figures.
FIRST_PAINT = (
    STAMP
    + """
from irp_field.api.visits import demo_visit
from irp_field.tui.app import make_app

def ready(screen):
    return type(screen).__name__ == "DashboardScreen"

make_app(demo_visit(), user="Bench Inspector").run(headless=True)
"""
)

WITH_FIGURES = (
    STAMP
    + """
from irp_field.api.visits import demo_visit
from irp_field.tui.app import make_app
from irp_field.tui.screens.dashboard import DashboardScreen

show_overview = DashboardScreen.show_overview

def shown(self, overview):
    show_overview(self, overview)
    self.figures_shown = True

def ready(screen):
    return getattr(screen, "figures_shown", False)

DashboardScreen.show_overview = shown
make_app(demo_visit(), user="Bench Inspector").run(headless=True)
"""
)


def once(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from the launch to the first frame the code waits for, and the seconds of
    processor time the process had used by then (steadier on a busy machine)."""
    stamp = Path(env["PAINTED"])
    stamp.unlink(missing_ok=True)
    start = time.time()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)
    painted, processor = (float(n) for n in stamp.read_text(encoding="utf-8").split())
    return painted - start, processor


LAUNCHES = {
    "minimal Textual app, first paint": (MINIMAL, 0.0),
    "irp-field demo, overview's first paint": (FIRST_PAINT, 1.3),
    "irp-field demo, overview with figures": (WITH_FIGURES, 1.5),
}


def measure(env: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Each launch's best wall time and median processor time over RUNS, the launches
    taking turns, so that a busy spell on this shared machine weighs on every side alike
    rather than on whichever ran last."""
    taken: dict[str, list[tuple[float, float]]] = {name: [] for name in LAUNCHES}
    for _ in range(RUNS):
        for name, (code, _target) in LAUNCHES.items():
            taken[name].append(once(code, env))
    return {
        name: (min(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in taken.items()
    }


def main() -> None:
    compile_package()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "IRP_FIELD_HOME": home, "PAINTED": str(Path(home) / "painted")}
        # The demo visit is built on the first launch only; build it before timing.
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from irp_field.api.visits import demo_visit; demo_visit()",
            ],
            check=True,
            env=env,
        )
        found = measure(env)
    wall_floor, cpu_floor = found["minimal Textual app, first paint"]
    print(f"to the frame: wall best of {RUNS}, processor time median of {RUNS}")
    for name, (_code, target) in LAUNCHES.items():
        wall, cpu = found[name]
        line = f"{name:40} {wall * 1000:5.0f} ms wall, {cpu * 1000:5.0f} ms processor"
        if target:
            ratio, steadier = wall / wall_floor, cpu / cpu_floor
            verdict = "ok" if ratio <= target else "OVER"
            line += (
                f"; ratio {ratio:.2f}x wall, {steadier:.2f}x processor (target {target}x) {verdict}"
            )
        print(line)
    print(f"(files: {Path(__file__).name}, python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
