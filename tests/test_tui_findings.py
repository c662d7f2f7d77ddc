"""The findings screen: figure completion, the preview, sync marks and linking, by keys."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, OptionList, Static, TextArea
from tui_helpers import hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.findings import paragraphs as finding_store
from irp_field.findings.sync import load, sync
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.dialogs.evidence_picker import EvidencePickerScreen
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


def _unit_findings(path: Path, unit: str) -> list[tuple[str, str]]:
    """(number, finding id) of the unit's written paragraphs, as the report numbers them."""
    with VisitFile.open(path, readonly=True) as visit:
        return [
            (p.paragraph.number, p.paragraph.finding.id)
            for p in load(visit).paragraphs
            if p.paragraph.unit == unit and p.paragraph.finding is not None
        ]


def _deleted(path: Path, finding_id: str) -> int:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.row("finding", finding_id)
    assert row is not None  # a tombstone, never a hard delete
    return int(row["deleted"])


async def test_a_paragraph_is_deleted_after_asking_and_ctrl_z_brings_it_back(
    hull_path: Path,
) -> None:
    before = _unit_findings(hull_path, "1.33")
    assert before
    first = before[0][1]
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        screen.query_one("#paragraphs", DataTable).focus()
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # kept
        await settle(pilot)
        assert _deleted(hull_path, first) == 0
        await pilot.press("delete", "y")
        await settle(pilot)
        assert _deleted(hull_path, first) == 1
        assert [f for _, f in _unit_findings(hull_path, "1.33")] == [f for _, f in before[1:]]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert _deleted(hull_path, first) == 0
        paragraphs = screen.query_one("#paragraphs", DataTable)
        assert paragraphs.coordinate_to_cell_key(paragraphs.cursor_coordinate)[0].value == first
    assert _unit_findings(hull_path, "1.33") == before
    with VisitFile.open(hull_path, readonly=True) as visit:
        actions = [
            r["action"]
            for r in visit.query(
                "SELECT action FROM change_log WHERE row_id = ? ORDER BY rowid", (first,)
            )
        ]
    assert actions[-2:] == ["update", "update"]  # the delete and the undo both merge


async def test_a_paragraph_moves_down_and_up_and_the_numbers_follow(hull_path: Path) -> None:
    before = _unit_findings(hull_path, "1.33")
    assert len(before) >= 2
    (first_number, first), (second_number, second) = before[0], before[1]
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        screen.query_one("#paragraphs", DataTable).focus()
        await pilot.press("shift+down")
        await settle(pilot)
        moved = _unit_findings(hull_path, "1.33")
        assert moved[:2] == [(first_number, second), (second_number, first)]
        assert moved[2:] == before[2:]
        paragraphs = screen.query_one("#paragraphs", DataTable)
        assert paragraphs.cursor_row == 1  # the cursor follows the paragraph
        await pilot.press("shift+up", "shift+up")  # back, then already first: nothing written
        await settle(pilot)
    assert _unit_findings(hull_path, "1.33") == before


async def test_any_round_frame_or_data_return_of_the_visit_can_be_cited(hull_path: Path) -> None:
    first = _unit_findings(hull_path, "1.33")[0][1]
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert screen.view is not None
        shown = {e.id for e in screen.view.evidence["1.33"]}
        screen.query_one("#paragraphs", DataTable).focus()
        await pilot.press("c")
        picker = app.screen
        assert isinstance(picker, EvidencePickerScreen)
        choices = picker.query_one(OptionList)
        kinds = {item.kind for item in picker.items}
        assert {"roll-check round", "sample frame", "data return"} <= kinds
        wanted = next(i for i in picker.items if i.kind == "data return" and i.id not in shown)
        index = choices.get_option_index(wanted.id)
        for _ in range(index - (choices.highlighted or 0)):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert wanted.id in {e.id for e in screen.view.evidence["1.33"]}
        await pilot.press("c")  # a round this time, by its name
        picker = app.screen
        assert isinstance(picker, EvidencePickerScreen)
        round_id = next(i.id for i in picker.items if i.kind == "roll-check round")
        choices = picker.query_one(OptionList)
        for _ in range(choices.get_option_index(round_id) - (choices.highlighted or 0)):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
    with VisitFile.open(hull_path, readonly=True) as visit:
        cited = {f.id: f.evidence for f in finding_store.all_findings(visit)}[first]
        assert cited[-2:] == (wanted.id, round_id)
        assert round_id.startswith(finding_store.ROUND_PREFIX)
        assert set(finding_store.cited_evidence(visit, cited)) == set(cited)


DEEP = "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}"


async def test_a_deep_paragraph_typed_is_refused_by_the_preview_and_never_saved(
    hull_path: Path,
) -> None:
    """Issue 20: 3,000 nested parentheses were a RecursionError ("cannot render"); now the
    bound they pass, in one line."""
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("ctrl+n")
        screen.query_one("#editor", TextArea).text = DEEP  # pasted
        await settle(pilot)
        preview = str(screen.query_one("#preview", Static).render())
        assert preview.startswith("Will not render: this paragraph: refused: brackets are nested")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert not [f for f in finding_store.all_findings(visit) if f.text == DEEP]


async def test_a_deep_paragraph_merged_in_is_named_on_f7_and_the_screen_stays(
    hull_path: Path,
) -> None:
    with VisitFile.open(hull_path) as visit, visit.transaction():
        item = visit.one("SELECT id FROM plan_item WHERE ref = '1.38'")
        assert item is not None
        visit.insert(
            "finding", {"plan_item_id": item["id"], "position": 99, "text": DEEP, "evidence": "[]"}
        )
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        said = [n.message for n in app._notifications]
        assert any(
            m.startswith("paragraph 3.") and "(1.38): refused: brackets are nested more" in m
            for m in said
        ), said
        assert app.screen is screen and app.is_running
