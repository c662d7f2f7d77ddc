"""The overview paints before anything it does not show is loaded (issue 24, aim 7): the
modules in memory when its first frame is ready are held here, never a time (timing is
bench/ui_first_paint.py). Another screen's or dialog's code is imported when it is first
opened; what the overview offers back (a kept save, a note's draft) is read after."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# The app on VISIT, headless, listing the modules in memory when the overview's first
# frame is handed to the terminal, then quitting.
FIRST_FRAME = """
import json, sys
from textual.app import App
from irp_field.tui.app import make_app

listed, visit = sys.argv[1], sys.argv[2]
display = App._display

def first_frame(self, screen, renderable):
    display(self, screen, renderable)
    if renderable is not None and type(screen).__name__ == "DashboardScreen":
        if not hasattr(self, "listed"):
            self.listed = sorted(list(sys.modules))
            self.exit()

App._display = first_frame
app = make_app(visit, user="Jade Richards")
app.run(headless=True)
with open(listed, "w", encoding="utf-8") as out:
    json.dump(app.listed, out)
"""

SCREENS = ("irp_field.tui.screens.", "irp_field.tui.dialogs.")
# The base of every screen on a visit asks its questions with this dialog.
OF_EVERY_SCREEN = ("confirm",)
# What the overview never needs to paint: the saves (findings, the report, photographs,
# sealing), every kind of evidence's module, the documents.
NEVER = (
    "irp_field.api.evidence",
    "irp_field.api.typed_writes",
    "irp_field.api.findings",
    "irp_field.api.check",
    "irp_field.report",
    "irp_field.interchange.handout",
    "PIL",
    "pyrage",
    "jinja2",
    "docx",
)


def test_the_overview_paints_with_its_own_code_alone(hull_path: Path, tmp_path: Path) -> None:
    listed = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(listed), str(hull_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    modules = json.loads(listed.read_text(encoding="utf-8"))
    assert "irp_field.tui.screens.dashboard" in modules  # it did paint the overview
    screens = {m.rsplit(".", 1)[1] for m in modules if m.startswith(SCREENS)}
    assert screens == {"dashboard", *OF_EVERY_SCREEN}
    assert [m for m in modules if any(m == n or m.startswith(f"{n}.") for n in NEVER)] == []
