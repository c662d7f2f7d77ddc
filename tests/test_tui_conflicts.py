"""The conflicts screen: both versions side by side; keeping one or combining settles it."""

from __future__ import annotations

from pathlib import Path

import pytest
from merge_helpers import cp
from textual.widgets import DataTable, Static
from tui_helpers import hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.replication.conflicts import open_conflicts
from irp_field.replication.merge import merge_visits
from irp_field.tui.screens.conflicts import ConflictsScreen

JADE = "Jade: staff said the regime was curtailed"
PAUL = "Paul: staff said the regime ran as planned"


@pytest.fixture
def conflicted(hull_path: Path, tmp_path: Path) -> tuple[Path, str]:
    """Jade's file after merging Paul's, both having edited the same note."""
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    with VisitFile.open(jade, readonly=True) as visit:
        note = str(visit.query("SELECT id FROM note ORDER BY id LIMIT 1")[0]["id"])
    for path, text, who in ((jade, JADE, "Jade Richards"), (paul, PAUL, "Paul Rowlands")):
        with VisitFile.open(path, user=who) as visit, visit.transaction():
            visit.update("note", note, {"text": text})
    assert merge_visits(jade, [paul]).counts["note"].conflicts == 1
    return jade, note


def _note(path: Path, note: str) -> tuple[str, int]:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.row("note", note)
        assert row is not None
        return str(row["text"]), len(open_conflicts(visit))


async def _open(pilot) -> ConflictsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f10")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConflictsScreen)
    return screen


async def test_keeping_the_other_version_settles_the_conflict(
    conflicted: tuple[Path, str],
) -> None:
    path, note = conflicted
    app = hull_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _open(pilot)
        [conflict] = screen.conflicts
        sides = {
            str(screen.query_one("#current", Static).render()),
            str(screen.query_one("#other", Static).render()),
        }
        joined = "\n".join(sides)
        assert JADE in joined and PAUL in joined
        assert "Jade Richards" in joined and "Paul Rowlands" in joined
        # The record in the team's words, not a table name and an id.
        listed = str(screen.query_one("#conflict-list", DataTable).get_row_at(0)[0])
        assert listed.startswith("note by ") and conflict.row_id[:8] not in listed
        assert "version 1" not in joined  # no raw stamps on screen
        keep_other = conflict.other["text"]
        await pilot.press("o")
        await settle(pilot)
        assert screen.conflicts == []
        assert "No open conflicts" in str(screen.query_one("#current", Static).render())
    assert _note(path, note) == (keep_other, 0)


async def test_a_combined_version_is_written_and_settles_it(conflicted: tuple[Path, str]) -> None:
    path, note = conflicted
    app = hull_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await _open(pilot)
        await pilot.press("c")
        await pilot.press("ctrl+a", "ctrl+k", "ctrl+k", "ctrl+k")  # clear the two lines
        await pilot.press(*"Staff disagreed about the regime")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _note(path, note) == ("Staff disagreed about the regime", 0)
