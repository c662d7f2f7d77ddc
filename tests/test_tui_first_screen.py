"""The overview paints before anything it does not show is loaded (issue 24, aim 7): the
modules in memory when its first frame is ready are held here, never a time (timing is
bench/ui_first_paint.py). Another screen's or dialog's code is imported when it is first
opened; what the overview offers back (a kept save, a note's draft) is asked before the
first frame, over it, from the drafts and the kept file alone. What the frame shows is
held here too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet
from tui_helpers import hull_app, settle

# The app on VISIT, headless (80x24), listing the modules in memory when the overview's
# first frame is handed to the terminal, and the text of that frame, then quitting.
# With "figures" after them, the frame waited for is the one that shows the figures.
FIRST_FRAME = """
import json, sys
from textual.app import App
from irp_field.tui.app import make_app

listed, visit = sys.argv[1], sys.argv[2]
display = App._display
figures = sys.argv[3:] == ["figures"]
if figures:
    from irp_field.tui.screens.dashboard import DashboardScreen

    show_overview = DashboardScreen.show_overview

    def shown(self, overview):
        show_overview(self, overview)
        self.figures_shown = True

    DashboardScreen.show_overview = shown

# The reads a screen has asked for (IrpScreen.load's groups), in order.
from irp_field.tui.base.irp_screen import IrpScreen

asked = []
load = IrpScreen.load

def asking(self, read, then, **options):
    asked.append(options["group"])
    return load(self, read, then, **options)

IrpScreen.load = asking

def first_frame(self, screen, renderable):
    display(self, screen, renderable)
    if figures and not getattr(screen, "figures_shown", False):
        return
    if renderable is not None and type(screen).__name__ == "DashboardScreen":
        if not hasattr(self, "listed"):
            self.listed = sorted(list(sys.modules))
            self.shown = [strip.text for strip in screen._compositor.render_strips()]
            self.asked = list(asked)
            self.exit()

App._display = first_frame
app = make_app(visit, user="Jade Richards")
app.run(headless=True)
with open(listed, "w", encoding="utf-8") as out:
    json.dump({"modules": app.listed, "shown": app.shown, "asked": app.asked}, out)
"""

SCREENS = ("irp_field.tui.screens.", "irp_field.tui.dialogs.")
# What the overview never needs to paint: the saves (findings, the report, photographs,
# sealing), every kind of evidence's module, the documents; its own read model (the
# figures, each item's evidence, the links: imported by the read, in its worker, after
# the first frame), the purges, a note's rules (a draft left is only listed), the plan's
# types and the set-up's rules, the undo stack's entries (at the first write) and rich's
# table of emoji names (no heading of the overview is markup).
NEVER = (
    "irp_field.api.views.overview",
    "irp_field.figures",
    "irp_field.evidence.tallies",
    "irp_field.evidence.links",
    "irp_field.evidence.purges",
    "irp_field.core.purging",
    "irp_field.domain.notes",
    "irp_field.domain.plan",  # the plan's types and scales: read with the overview
    "irp_field.domain.setup",  # the set-up's rules: when a member is proposed
    "irp_field.tui.undo",
    # the visit's reads (its summary, team, dates) and a new visit's rules: who you are is
    # asked of the identities file, and the team read only for a copy handed out
    "irp_field.evidence.reads",
    "irp_field.domain.visit",
    # the notes themselves: only the drafts left over are read before the first frame
    "irp_field.evidence.notes",
    # the merged tables' columns, made from every kind's registry: an opening checks a
    # file's shape, version and roll tallies without them
    "irp_field.core.tables",
    "irp_field.domain.kind_columns",
    # a digest names a kept file in the user's own folder, read only when it exists
    # (hashlib loads OpenSSL)
    "hashlib",
    "rich._emoji_codes",
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


def _at_first_frame(visit: Path, folder: Path, *, figures: bool = False) -> dict[str, list[str]]:
    """When the overview's first frame was ready (``figures``: the first frame showing
    its figures): the modules in memory, its lines, and the reads asked for by then."""
    listed = folder / "first-frame.json"
    subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(listed), str(visit)]
        + (["figures"] if figures else []),
        check=True,
        capture_output=True,
        timeout=120,
    )
    found: dict[str, list[str]] = json.loads(listed.read_text(encoding="utf-8"))
    return found


def _first_frame(
    visit: Path, folder: Path, *, figures: bool = False
) -> tuple[list[str], list[str]]:
    """The modules in memory when the overview's first frame was ready (``figures``: the
    first frame showing its figures), and its lines."""
    found = _at_first_frame(visit, folder, figures=figures)
    return found["modules"], found["shown"]


def test_the_overview_paints_with_its_own_code_alone(hull_path: Path, tmp_path: Path) -> None:
    modules, _shown = _first_frame(hull_path, tmp_path)
    assert "irp_field.tui.screens.dashboard" in modules  # it did paint the overview
    screens = {m.rsplit(".", 1)[1] for m in modules if m.startswith(SCREENS)}
    assert screens == {"dashboard"}  # no dialog either: the confirm dialog when it asks
    assert [m for m in modules if any(m == n or m.startswith(f"{n}.") for n in NEVER)] == []


def test_the_overview_asks_for_its_read_before_its_first_frame(
    hull_path: Path, tmp_path: Path
) -> None:
    """The read is asked for as the screen resumes, and its thread starts once the
    first frame is out: by that frame it was asked for, and none of the read model's
    modules is loaded yet (the frame did not wait for them). Asked for after the
    screen's next refresh, as before, it waited for Textual's next update of the screen
    (up to a sixtieth of a second, idle) before it began."""
    found = _at_first_frame(hull_path, tmp_path)
    assert found["asked"] == ["overview"]
    read = ("irp_field.api.views.overview", "irp_field.figures", "irp_field.evidence.tallies")
    assert [m for m in found["modules"] if m in read] == []


# What the overview's read and its rows do not need either, up to the frame that shows
# them: the links' rules and writes (only their counts are read), the time-out-of-cell
# rules (the figures read the kept day totals), the rules of typing a round, a day or
# a visit's dates (a whole round is the shares' rule), OpenSSL (a sample's draw and its
# list's digest, never a figure) and rich's table of emoji names (no cell of the plan
# is markup). (The rule of a decimal number, ``domain.fields``, is read: the Hull
# sample's data returns are held to their rule where the figures read them, hostile F12;
# a visit without data returns does not load it.)
NEVER_WITH_FIGURES = (
    "irp_field.evidence.links",
    "irp_field.domain.links",
    "irp_field.domain.time_out_of_cell",
    "irp_field.domain.rounds",
    "hashlib",
    "rich._emoji_codes",
    *(n for n in NEVER if n not in {"irp_field.api.views.overview", "irp_field.figures"}),
)
READ_WITH_FIGURES = (
    "irp_field.api.views.overview",
    "irp_field.figures",
    "irp_field.evidence.tallies",
    "irp_field.evidence.reads",
    "irp_field.domain.plan",
)


def test_the_overview_shows_its_figures_with_what_it_reads_alone(
    hull_path: Path, tmp_path: Path
) -> None:
    modules, shown = _first_frame(hull_path, tmp_path, figures=True)
    assert set(READ_WITH_FIGURES) <= set(modules)  # the read was made, and shown
    assert any(line.lstrip().startswith("Locked up") for line in shown)
    screens = {m.rsplit(".", 1)[1] for m in modules if m.startswith(SCREENS)}
    assert screens == {"dashboard"}
    read = [n for n in NEVER_WITH_FIGURES if n not in READ_WITH_FIGURES]
    assert [m for m in modules if any(m == n or m.startswith(f"{n}.") for n in read)] == []


# What the inspector sees first, at 80x24 (trailing spaces left out): the header with
# the screen and the file, the visit being loaded, the figures' rule and the plan's
# headings; the overview's rows, figures and tallies come with the read, after it, and
# the key line with the next frame.
FIRST_FRAME_SHOWN = [
    " \N{HEAVY CIRCLE}" + " " * 28 + "Overview \N{EM DASH} hull.db",
    " Loading the visit...",
    "",
    "\N{BOX DRAWINGS LIGHT HORIZONTAL}" * 80,
    " Ref  Judgement  Evidence by kind of source  Check",
    *[""] * 19,
]


def test_the_overview_first_frame_shows_the_visit_loading(hull_path: Path, tmp_path: Path) -> None:
    """Start-up work moved out of the way of the first frame must not change what it
    shows, nor add a dialog over it (a draft or a kept save offered: a test of its own)."""
    _modules, shown = _first_frame(hull_path, tmp_path)
    assert [line.rstrip() for line in shown] == FIRST_FRAME_SHOWN


async def test_screens_keep_the_parsed_stylesheet_until_the_theme_changes(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual parsed every stylesheet afresh for each screen first shown, twice for a
    function key's; the same rules come of the same CSS and theme, so only a new theme
    parses them all again, and its colours are the ones shown."""
    reparsed: list[int] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparsed.append(len(self.source))
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("f3", "f4", "f1"):  # two function keys' screens, and a dialog
            await pilot.press(key)
            await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        assert reparsed == []
        dark = app.screen.styles.background
        app.theme = "textual-light"
        await settle(pilot)
        assert reparsed != []
        assert app.screen.styles.background != dark
