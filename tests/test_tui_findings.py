"""The findings screen: figure completion, the preview, sync marks and linking, by keys."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static, TextArea
from tui_helpers import hull_app, settle

from irp_field.findings.sync import load, sync
from irp_field.store import findings as finding_store
from irp_field.store.visit_file import VisitFile
from irp_field.tui.screens.findings import FindingsScreen
from irp_field.tui.widgets.figure_completion import FigureCompletion


async def _open(pilot) -> FindingsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FindingsScreen)
    return screen


async def test_the_figure_completion_inserts_a_reference_that_renders(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert "1.33 Concern:" in str(screen.query_one("#item", Static).render())
        await pilot.press("ctrl+n", *"Locked up: {{ roll.pct_lo")
        completion = screen.query_one(FigureCompletion)
        assert completion.shown and completion.chosen_key() == "roll.pct_locked_up"
        assert "roll.pct_locked_up = 40%" in str(completion.get_option_at_index(0).prompt)
        await pilot.press("tab")
        editor = screen.query_one("#editor", TextArea)
        assert editor.text == "Locked up: {{ roll.pct_locked_up }}"
        assert not completion.shown
        assert "Preview: Locked up: 40%" in str(screen.query_one("#preview", Static).render())
        await pilot.press(*" and {{ rol.x }}")
        assert "Will not render" in str(screen.query_one("#preview", Static).render())
        await pilot.press("ctrl+s")  # refused: nothing written
        await settle(pilot)
        for _ in " and {{ rol.x }}":
            await pilot.press("backspace")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with VisitFile.open(hull_path, readonly=True) as visit:
        state = load(visit)
        added = [p for p in state.paragraphs if p.paragraph.unit == "1.33"][-1]
        assert added.paragraph.finding is not None
        assert added.paragraph.finding.text == "Locked up: {{ roll.pct_locked_up }}"
        assert added.text == "Locked up: 40%"
        assert not any("rol.x" in f.text for f in finding_store.all_findings(visit))


async def test_stale_paragraphs_are_marked_and_synced_and_a_note_is_linked(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("ctrl+g")  # sync all
        await settle(pilot)
        with VisitFile.open(hull_path, readonly=True) as visit:
            assert sync(visit, check=True).stale_numbers == []
        # A roll check changes (as a merge would bring): the paragraphs quoting it go stale.
        visit = app.visit
        check = visit.query("SELECT id, locked_up FROM roll_check WHERE deleted = 0 LIMIT 1")[0]
        with visit.transaction():
            visit.update("roll_check", check["id"], {"locked_up": check["locked_up"] + 40})
        await pilot.press("f8", "f7")
        await settle(pilot)
        assert screen.view is not None
        stale = screen.view.state.stale
        target = next(p for p in stale if "roll.pct_locked_up" in p.state.figures)
        units = screen.query_one("#units", DataTable)
        units.focus()
        for _ in range(units.get_row_index(target.paragraph.unit) - units.cursor_row):
            await pilot.press("down")
        paragraphs = screen.query_one("#paragraphs", DataTable)
        paragraphs.focus()
        assert target.paragraph.finding is not None
        for _ in range(paragraphs.get_row_index(target.paragraph.finding.id)):
            await pilot.press("down")
        changes = str(screen.query_one("#changes", Static).render())
        assert f"{target.paragraph.number} out of date: roll.pct_locked_up 40% -> " in changes
        await pilot.press("ctrl+t")  # sync this paragraph only
        await settle(pilot)
        with VisitFile.open(hull_path, readonly=True) as reader:
            still = sync(reader, check=True).stale_numbers
        assert target.paragraph.number not in still
        assert len(still) == len(stale) - 1
        # Link the first note of the item's evidence to the chosen paragraph: one key.
        evidence = screen.query_one("#evidence", DataTable)
        evidence.focus()
        note_id = evidence.coordinate_to_cell_key(evidence.cursor_coordinate)[0].value
        await pilot.press("l")
        await settle(pilot)
    with VisitFile.open(hull_path, readonly=True) as reader:
        cited = {f.id: f.evidence for f in finding_store.all_findings(reader)}
    assert cited[target.paragraph.finding.id] == (note_id,)
