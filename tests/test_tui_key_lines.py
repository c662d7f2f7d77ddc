"""The key line offers the keys that act where the cursor is, most used first, within 80
columns (a new inspector's walk: F3's round table showed no Enter, Delete or h; F3 said
"ctrl+t adds them" with no ^t on its line; F7 at 80x24 had no e or c; F10 offered k, o
and c with no conflict to settle)."""

from __future__ import annotations

from pathlib import Path

import pytest
from merge_helpers import cp
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea
from tui_helpers import FIXED_NOW, choose_round, hold_still, hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.replication.merge import merge_visits
from irp_field.tui.app import make_app
from irp_field.tui.dialogs.help import binding_rows
from irp_field.tui.screens.conflicts import ConflictsScreen
from irp_field.tui.screens.findings import FindingsScreen
from irp_field.tui.screens.roll_check import RollCheckScreen
from irp_field.tui.widgets.key_line import KeyLine


def _line(pilot: Pilot[None]) -> str:
    line = str(pilot.app.screen.query_one(KeyLine).render()).rstrip()
    assert len(line) <= pilot.app.size.width and line.endswith("f1  Help"), line
    return line


async def _open(pilot: Pilot[None], key: str) -> None:
    await settle(pilot)
    await pilot.press(key)
    await hold_still(pilot)


async def test_f3_s_round_table_offers_enter_delete_and_h_first(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f3")
        screen = app.screen
        assert isinstance(screen, RollCheckScreen)
        await choose_round(pilot, "Wed PM")
        in_the_form = _line(pilot)
        assert in_the_form.startswith(" ^s  Save, next  ^n  New round")
        assert "Edit check" not in in_the_form and "Delete" not in in_the_form
        table = screen.query_one("#round-table", DataTable)
        screen.set_focus(table)
        await hold_still(pilot)
        line = _line(pilot)
        assert line.startswith(" ⏎  Edit check  del  Delete  h  History  ^z  Undo"), line
        table.move_cursor(row=2)
        await pilot.press("enter")  # the key the line offers: C wing's check to edit
        await hold_still(pilot)
        assert screen.editing is not None and screen.editing.location == "C wing"
        assert screen.focused is screen.query_one("#roll", Input)
        assert not _line(pilot).startswith(" ⏎")  # back in the form: its own keys
        listed = binding_rows(screen)  # F1 lists every key of the screen, the table's too
        for key, what in (("⏎", "Edit check"), ("del", "Delete"), ("h", "History")):
            assert ("Roll check", key, what) in listed, (key, listed)


async def test_f3_without_locations_offers_ctrl_t_first(tmp_path: Path) -> None:
    """The live line says "ctrl+t adds them": the key line says ^t too, first."""
    VisitFile.create(
        tmp_path / "new.db", establishment="HMP New", start_date="2022-03-14",
        end_date="2022-03-16",
    ).close()  # fmt: skip
    app = make_app(tmp_path / "new.db", user="Jade Richards", now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f3")
        assert "ctrl+t adds them" in str(app.screen.query_one("#live").render())
        assert _line(pilot).startswith(" ^t  Add locations (set-up)")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_f7_offers_e_and_c_at_80x24(hull_path: Path, size: tuple[int, int]) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=size) as pilot:
        await _open(pilot, "f7")
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        screen.set_focus(screen.query_one("#paragraphs", DataTable))
        await hold_still(pilot)
        line = _line(pilot)
        assert " c  Cite evidence " in line
        assert (" e  Evidence " in line) == (size[0] < screen.NARROW)  # e: narrow only
        assert "Save paragraph" not in line  # nothing to save: no paragraph being edited
        await pilot.press("enter")  # the paragraph in the editor
        await hold_still(pilot)
        assert screen.focused is screen.query_one("#editor", TextArea)
        line = _line(pilot)
        assert line.startswith(" ^s  Save paragraph")
        assert "Cite" not in line  # a letter typed in the editor is the paragraph's


async def test_f10_offers_k_o_and_c_only_with_a_conflict(hull_path: Path, tmp_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f10")
        assert isinstance(app.screen, ConflictsScreen)
        line = _line(pilot)
        for offered in ("Keep kept-now", "Keep other", "Combine", "Save combined"):
            assert offered not in line, line
        assert not app.screen.query_one("#hint").display  # "k keeps ..." with nothing to keep
        await pilot.press("k", "o", "c")  # nothing to act on: nothing happens
        await hold_still(pilot)
        assert isinstance(app.screen, ConflictsScreen)
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    with VisitFile.open(jade, readonly=True) as visit:
        note = str(visit.query("SELECT id FROM note ORDER BY id LIMIT 1")[0]["id"])
    for path, who in ((jade, "Jade Richards"), (paul, "Paul Rowlands")):
        with VisitFile.open(path, user=who) as visit, visit.transaction():
            visit.update("note", note, {"text": f"{who} wrote this"})
    merge_visits(jade, [paul])
    app = hull_app(jade)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f10")
        assert _line(pilot).startswith(" k  Keep kept-now  o  Keep other  c  Combine")
        assert "Save combined" not in _line(pilot)
        await pilot.press("c")
        await hold_still(pilot)
        line = _line(pilot)
        assert "^s  Save combined" in line and "Keep" not in line
