"""Two windows on one visit, and the app without colour."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static
from tui_helpers import choose_round, hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.evidence import sampling
from irp_field.tui.screens.sampling import SamplingScreen

# Another process on the same file (another terminal, or a script importing evidence):
# it rewrites the last record's answers over and over while the app types its own.
OTHER_WINDOW = textwrap.dedent(
    """
    import sys
    from irp_field.evidence import sampling
    from irp_field.core.visit_file import VisitFile

    with VisitFile.open(sys.argv[1], user="Paul Rowlands") as visit:
        frame = sampling.frames(visit)[0]
        record = visit.query(
            "SELECT record FROM sample_record WHERE frame_id = ? ORDER BY position DESC",
            (frame.id,),
        )[0]["record"]
        for turn in range(60):
            with visit.transaction():
                sampling.record_answer(
                    visit, frame.id, record, "Complete", "no", f"turn {turn}"
                )
    print(record)
    """
)


async def test_two_windows_see_each_others_writes_and_never_lock(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SamplingScreen)
        other = subprocess.Popen(
            [sys.executable, "-c", OTHER_WINDOW, str(hull_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        table = screen.query_one("#grid", DataTable)
        for row in range(6):  # the app writes while the other process does
            table.move_cursor(row=row, column=3, animate=False)
            await pilot.press("a")
        out, err = other.communicate(timeout=60)
        assert other.returncode == 0, err
        assert "locked" not in err
        record = out.strip()
        await pilot.press("ctrl+r")  # refresh: the other window's answers appear
        await settle(pilot)
        assert screen.grid is not None
        complete = screen.grid.criteria[0].id
        for _ in range(50):  # a loaded machine may hand the refreshed grid over a moment later
            if screen.grid.cells[(record, complete)].comment == "turn 59":
                break
            await pilot.pause(0.1)
            await settle(pilot)
        assert screen.grid.cells[(record, complete)].comment == "turn 59"
    with VisitFile.open(hull_path, readonly=True) as visit:
        frame = sampling.frames(visit)[0]
        rows = visit.query(
            "SELECT a.answer, r.position FROM sample_answer a JOIN sample_record r "
            "ON r.frame_id = a.frame_id AND r.record = a.record JOIN sample_criterion c "
            "ON c.id = a.criterion_id WHERE a.frame_id = ? AND c.position = 1 "
            "AND r.position < 6",
            (frame.id,),
        )
        assert [row["answer"] for row in rows] == ["na"] * 6  # every answer the app typed


async def test_the_app_is_usable_without_colour(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color  # Textual read NO_COLOR: the "nocolor" pseudo class is set
        await pilot.press("f3")
        await settle(pilot)
        await choose_round(pilot, "Wed PM")  # F3 offers a new round: every one is complete
        bars = [
            str(row[-1])
            for row in map(app.screen.query_one("#round-table", DataTable).get_row_at, range(2))
        ]
        assert all("█" in bar or "░" in bar for bar in bars)  # the share is drawn in text
        await pilot.press(*"126", "enter", *"130")
        assert "above the roll" in str(app.screen.query_one("#reason-locked_up").render())
        await pilot.press("f5")
        await settle(pilot)
        table = app.screen.query_one("#grid", DataTable)
        marks = {str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)[2:]}
        assert marks <= {"y", "n", "n/a", "y*", "n*", "n/a*", "·"}  # answers are letters
        results = str(app.screen.query_one("#results", Static).render())
        assert "95% CI" in results
