"""The overview's first frame waits for nothing it does not show (issue 24, aim 7): the
app, started in a fresh interpreter on a visit, lists the modules it had imported when
the overview's first frame was drawn. Its read model (the figures, each item's evidence,
the links) is imported by the read, in its worker, after that frame; so are the purges,
a note's rules, the confirm dialog, the undo stack and rich's table of emoji names. The
time it takes is bench/ui_first_paint.py's; here, only what was imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# The app on a visit, headless; at the overview's first frame it writes sys.modules out
# and exits (the bench's way of catching the frame: Textual's App._display).
FIRST_FRAME = """
import json, os, sys
from pathlib import Path
from textual.app import App

listed, visit = sys.argv[1], sys.argv[2]
_display = App._display

def display(self, screen, renderable):
    _display(self, screen, renderable)
    drawn = renderable is not None and type(screen).__name__ == "DashboardScreen"
    if drawn and not os.path.exists(listed):
        with open(listed, "w", encoding="utf-8") as out:
            json.dump(sorted(sys.modules), out)
        self.exit()

App._display = display
from irp_field.tui.app import make_app

make_app(Path(visit), user="Jade Richards").run(headless=True)
"""

NOT_BEFORE_THE_FIRST_FRAME = (
    "irp_field.api.views.overview",  # the read model: in the worker, after the frame
    "irp_field.figures",
    "irp_field.evidence.tallies",
    "irp_field.evidence.links",
    "irp_field.evidence.purges",  # restoring a note, purging: never at the start
    "irp_field.core.purging",
    "irp_field.domain.notes",  # a draft's rules: when one is checked
    "irp_field.tui.dialogs.confirm",  # a question: when there is one to ask
    "irp_field.tui.undo",  # the undo stack's entries: at the first write
    "rich._emoji_codes",  # rich markup's emoji names: no heading is markup
)


def _at_the_first_frame(tmp_path: Path, visit: Path) -> list[str]:
    listed = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(listed), str(visit)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    modules: list[str] = json.loads(listed.read_text(encoding="utf-8"))
    return modules


def test_the_overview_paints_before_its_read_model_is_imported(
    hull_path: Path, tmp_path: Path
) -> None:
    modules = _at_the_first_frame(tmp_path, hull_path)
    assert "irp_field.tui.screens.dashboard" in modules  # it was the overview's frame
    early = [m for m in NOT_BEFORE_THE_FIRST_FRAME if m in modules]
    assert early == []
    screens = [m for m in modules if m.startswith("irp_field.tui.screens.")]
    assert screens == ["irp_field.tui.screens.dashboard"]  # no other screen's code
