"""The roll-check screen: counts typed with the keys end up in the file, or nothing does."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, Select
from tui_helpers import hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.tui.screens.roll_check import RollCheckScreen


def _checks(path: Path) -> list[dict[str, object]]:
    with VisitFile.open(path, readonly=True) as visit:
        rows = visit.query(
            "SELECT r.*, l.name AS location FROM roll_check r JOIN location l ON l.id = r.location_id "
            "WHERE r.deleted = 0 ORDER BY r.created_at, r.id"
        )
        return [dict(row) for row in rows]


async def _open_roll_check(pilot) -> RollCheckScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RollCheckScreen)
    return screen


async def test_a_typed_roll_check_is_in_the_file_with_its_counts_and_author(
    hull_path: Path,
) -> None:
    before = _checks(hull_path)
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        round_label = screen.query_one("#round").value  # type: ignore[attr-defined]
        assert round_label == before[-1]["round"]  # the last round is preselected
        location = screen.query_one("#location", Select).value
        assert isinstance(location, str)
        for keys in (
            "1",
            "0",
            "0",
            "enter",
            "4",
            "0",
            "enter",
            "2",
            "0",
            "enter",
            "1",
            "0",
            "enter",
            "2",
            "5",
            "enter",
            "5",
        ):
            await pilot.press(keys)
        assert "Total 100 of roll 100" in str(screen.query_one("#live").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The next location is chosen and the fields are empty for it.
        assert screen.query_one("#location", Select).value != location
        assert screen.query_one("#roll").value == ""  # type: ignore[attr-defined]
    after = _checks(hull_path)
    assert len(after) == len(before) + 1
    new = after[-1]
    assert (
        new["roll"],
        new["locked_up"],
        new["off_wing_activity"],
        new["wing_work"],
        new["unlocked_on_wing"],
        new["elsewhere"],
    ) == (100, 40, 20, 10, 25, 5)
    assert new["inspector"] == new["created_by"] == "Jade Richards"
    assert new["taken_at"] == "2022-03-16T14:00"
    assert new["round"] == round_label
    assert new["location_id"] == location


async def test_a_count_above_the_roll_is_refused_and_the_file_is_unchanged(hull_path: Path) -> None:
    before = _checks(hull_path)
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await pilot.press("5", "0", "enter", "6", "0")
        reason = str(screen.query_one("#reason-locked_up", Label).render())
        assert "above the roll of 50" in reason
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter", "x")  # a letter in a count is refused too
        assert "whole number" in str(screen.query_one("#reason-off_wing_activity", Label).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _checks(hull_path) == before


async def test_a_shortfall_needs_a_note_before_it_is_saved(hull_path: Path) -> None:
    before = _checks(hull_path)
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        await pilot.press("9", "0", "enter", "3", "0", "ctrl+s")
        await settle(pilot)
        assert "60 unaccounted" in str(screen.query_one("#reason-note", Label).render())
        assert _checks(hull_path) == before
        assert screen.focused is not None and screen.focused.id == "note"
        for key in "Landing 3 not seen":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        await settle(pilot)
    after = _checks(hull_path)
    assert len(after) == len(before) + 1
    assert after[-1]["note"] == "Landing 3 not seen" and after[-1]["locked_up"] == 30


async def test_a_deleted_check_is_confirmed_and_can_be_undone(hull_path: Path) -> None:
    before = _checks(hull_path)
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_roll_check(pilot)
        screen.query_one("#round-table").focus()
        await pilot.press("delete")
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert len(_checks(hull_path)) == len(before)
        await pilot.press("delete", "y")
        await settle(pilot)
        assert len(_checks(hull_path)) == len(before) - 1
        await pilot.press("ctrl+z")
        await settle(pilot)
    assert _checks(hull_path) == [
        {**row, "version": row["version"]} for row in _checks(hull_path)
    ] and len(_checks(hull_path)) == len(before)
