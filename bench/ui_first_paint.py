"""From launching the app on the demo visit to the dashboard painted with its figures,
against a minimal Textual app's first paint, measured in the same run.

Target (issue 5): within 1.5x of the minimal app. Each run is a fresh Python process
(interpreter start and imports included, as an inspector launching `irp-field demo`
would see), headless, and exits as soon as the screen is painted. Prints the best of
five of each. Run: python bench/ui_first_paint.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import compile_package

RUNS = 5

MINIMAL = """
from textual.app import App
from textual.widgets import Static

class Minimal(App[None]):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.exit)

Minimal().run(headless=True)
"""

# Build the demo visit as `irp-field demo` does, then exit once the overview is painted.
DASHBOARD = """
from irp_field.api.visits import demo_visit
from irp_field.tui.app import make_app
from irp_field.tui.screens.dashboard import DashboardScreen

shown = DashboardScreen.show_overview

def painted(self, message):
    shown(self, message)
    self.app.call_after_refresh(self.app.exit)

DashboardScreen.show_overview = painted
make_app(demo_visit(), user="Bench Inspector").run(headless=True)
"""


def once(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)
    return time.perf_counter() - start


def best_of_both(env: dict[str, str]) -> tuple[float, float]:
    """Best of RUNS each, the two launches taking turns, so that a busy spell on this
    shared machine weighs on both sides alike rather than on whichever ran second."""
    minimal, dashboard = [], []
    for _ in range(RUNS):
        minimal.append(once(MINIMAL, env))
        dashboard.append(once(DASHBOARD, env))
    return min(minimal), min(dashboard)


def main() -> None:
    compile_package()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "IRP_FIELD_HOME": home}
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
        minimal, dashboard = best_of_both(env)
    print(f"minimal Textual app, first paint    {minimal * 1000:7.0f} ms (best of {RUNS})")
    print(f"irp-field demo, dashboard painted   {dashboard * 1000:7.0f} ms (best of {RUNS})")
    ratio = dashboard / minimal
    print(f"ratio {ratio:.2f}x (target: within 1.5x) {'ok' if ratio <= 1.5 else 'OVER'}")
    print(f"(files: {Path(__file__).name}, python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
