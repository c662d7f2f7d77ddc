"""Ticks are text on every screen: ``[x]`` ticked, ``[ ]`` not, read without colour.

Textual's boxes draw a block with an X whose colour alone says ticked or not: F12's
"Redact the exports" looked the same either way and an unredacted export was written
when a redacted one was meant. And a list filled after it was drawn (a note's plan items)
had no cursor until the first Down, which put it on the first item while the inspector
thought it had moved past it: the wrong plan item was ticked."""

from __future__ import annotations

import ast
from pathlib import Path

from merge_helpers import cp
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, RadioSet, SelectionList, Switch
from textual.widgets._toggle_button import ToggleButton  # Checkbox's and RadioButton's base
from tui_helpers import choose_round, hull_app, new_note, paste, settle

import irp_field.tui
from irp_field.core.visit_file import VisitFile
from irp_field.tui.dialogs.evidence_picker import EvidencePickerScreen
from irp_field.tui.screens.note_editor import NoteEditorScreen
from irp_field.tui.widgets.ticks import TickBox, TickList

TICK_WIDGETS = (ToggleButton, SelectionList, RadioSet, Switch)


def _seen(app: App[None], widget: Widget) -> list[str]:
    """The widget's lines inside its border as the terminal shows them: characters only,
    no colour."""
    region = widget.content_region
    strips = app.screen._compositor.render_strips()  # the screen as drawn
    return [strip.crop(region.x, region.right).text for strip in strips[region.y : region.bottom]]


async def _flipped_reads_otherwise(pilot: Pilot[None], widget: Widget) -> tuple[str, str]:
    """The first line of a box or the first item of a list, before and after its tick is
    flipped (then flipped back)."""

    def flip() -> None:
        if isinstance(widget, ToggleButton):
            widget.toggle()
        else:
            assert isinstance(widget, SelectionList)
            widget.toggle(widget.get_option_at_index(0))

    app = pilot.app
    before = _seen(app, widget)[0]
    flip()
    await pilot.pause()
    after = _seen(app, widget)[0]
    flip()
    await pilot.pause()
    return before, after


async def _ticks_of_the_screen(pilot: Pilot[None], found: set[str]) -> None:
    screen = pilot.app.screen
    for widget in screen.query("*"):
        if not isinstance(widget, TICK_WIDGETS) or not widget.region:
            continue
        where = f"{type(screen).__name__} #{widget.id}"
        assert isinstance(widget, TickBox | TickList), f"{where}: a tick drawn by colour"
        before, after = await _flipped_reads_otherwise(pilot, widget)
        assert before != after, f"{where}: ticked and not look the same: {before!r}"
        assert {before[:3], after[:3]} == {"[x]", "[ ]"}, (where, before, after)
        found.add(where)


async def test_no_tick_on_any_screen_is_drawn_by_colour_alone(hull_path: Path) -> None:
    """Every screen and the dialogs with boxes, walked: each box or list of boxes is one
    of ours, and ticking it changes the characters shown, "[ ]" to "[x]"."""
    stick = hull_path.parent / "stick"
    stick.mkdir()
    cp(hull_path, stick / "jade.db")
    found: set[str] = set()
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("f1", "escape", *(f"f{n}" for n in range(2, 13)), "ctrl+o"):
            await pilot.press(key)
            await settle(pilot)
            await _ticks_of_the_screen(pilot, found)
        dialogs = {
            "setup": ("f2", "s"),
            "a new note": ("f4", "ctrl+n"),
            "a new round": ("f3", "ctrl+n"),
            "a round's plan items": ("ctrl+k",),  # on a round with checks, chosen below
            "a new sample": ("f5", "ctrl+n"),
            "who am I": ("ctrl+u",),
        }
        for name, keys in dialogs.items():
            if name == "a round's plan items":  # F3 opens a new round: choose one to link
                await pilot.press("f3")
                await settle(pilot)
                await choose_round(pilot, "Wed PM")
            await pilot.press(*keys)
            await settle(pilot)
            await _ticks_of_the_screen(pilot, found)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("f9", "ctrl+l", "ctrl+a", "ctrl+k")
        await paste(pilot, str(stick))
        await pilot.press("enter")
        await settle(pilot)
        files = app.screen.query_one("#files", DataTable)
        assert str(files.get_cell_at((0, 0))) == "[x]"  # picked as it is listed
        await pilot.press("space")
        assert str(files.get_cell_at((0, 0))) == "[ ]"
    assert found >= {
        "ReportScreen #outputs",
        "ReportScreen #redact",
        "NoteEditorScreen #plan-links",
        "PlanLinksScreen #plan-links",
    }


def test_no_screen_draws_a_tick_of_its_own() -> None:
    """The walk above sees the screens it opens; this reads every module of the UI: only
    ``widgets/ticks.py`` may import Textual's boxes (a dialog the walk never opens
    cannot bring one back)."""
    home = Path(irp_field.tui.__file__).parent
    boxes = {"Checkbox", "RadioButton", "RadioSet", "SelectionList", "Switch", "ToggleButton"}
    found = []
    for module in sorted(home.rglob("*.py")):
        if module == home / "widgets" / "ticks.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
                found += [f"{module.name}: {a.name}" for a in node.names if a.name in boxes]
    assert found == []


async def test_down_then_space_ticks_the_plan_item_the_cursor_shows(hull_path: Path) -> None:
    """Into the plan items (shift+tab from the text): the cursor is on the first item at
    once; Down moves it to the second, space ticks that one, and it reads [x]."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await new_note(pilot)
        links = editor.query_one("#plan-links", SelectionList)
        assert links.highlighted == 0  # shown before the list is even reached
        refs = [links.get_option_at_index(i).value for i in range(3)]
        await pilot.press(*"Showers broken on B wing", "shift+tab")
        await settle(pilot)
        assert app.focused is links and links.highlighted == 0
        await pilot.press("down", "space")
        await settle(pilot)
        shown = _seen(app, links)
        assert shown[0].startswith(f"[ ] {refs[0]} ")
        assert shown[1].startswith(f"[x] {refs[1]} ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditorScreen)
    with VisitFile.open(hull_path, readonly=True) as visit:
        note = visit.query("SELECT id FROM note WHERE text = 'Showers broken on B wing'")
        linked = visit.query(
            "SELECT p.ref FROM note_link l JOIN plan_item p ON p.id = l.plan_item_id "
            "WHERE l.note_id = ? AND l.deleted = 0",
            (note[0]["id"],),
        )
    assert [row["ref"] for row in linked] == [refs[1]]


async def test_the_evidence_picker_ticks_what_is_cited_already(hull_path: Path) -> None:
    """F7's c: each item reads [x] when the paragraph cites it already, [ ] when not
    (it was a '*', and nothing on the others), and the cursor starts on the first."""
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        app.screen.query_one("#paragraphs", DataTable).focus()
        await pilot.press("c", "down", "enter")  # cites the second item
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, EvidencePickerScreen)
        choices = picker.query_one(OptionList)
        assert choices.highlighted == 0
        prompts = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        cited = [item.id in picker.cited for item in picker.items]
    assert cited[:3] == [False, True, False]
    assert [p[:4] for p in prompts] == ["[x] " if c else "[ ] " for c in cited]
