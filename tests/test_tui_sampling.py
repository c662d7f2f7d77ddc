"""The sampling screen: answers typed with y, n and a land in the file, one write each."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from tui_helpers import hull_app, settle

from irp_field import figures
from irp_field.core.visit_file import VisitFile
from irp_field.domain.sampling import population_records
from irp_field.evidence.sampling import draw_sample
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.dialogs.sample_dialogs import CommentScreen, DrawSampleScreen
from irp_field.tui.screens.sampling import SamplingScreen


def _answers(path: Path) -> list[dict[str, object]]:
    with VisitFile.open(path, readonly=True) as visit:
        rows = visit.query(
            "SELECT a.record, c.name AS criterion, a.answer, a.comment, a.created_by, "
            "f.name AS frame, a.version FROM sample_answer a "
            "JOIN sample_criterion c ON c.id = a.criterion_id "
            "JOIN sample_frame f ON f.id = a.frame_id WHERE a.deleted = 0"
        )
        return [dict(row) for row in rows]


async def _open_sampling(pilot: Pilot[None]) -> SamplingScreen:
    await settle(pilot)
    await pilot.press("f5")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SamplingScreen)
    screen.query_one("#grid", DataTable).focus()
    await pilot.pause()
    return screen


def _results(screen: SamplingScreen) -> str:
    return str(screen.query_one("#results", Static).render())


async def test_an_answer_typed_is_in_the_file_with_its_author(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_sampling(pilot)
        grid = screen.grid
        assert grid is not None and grid.frame.name == "Use of force records"
        table = screen.query_one("#grid", DataTable)
        table.move_cursor(row=0, column=2, animate=False)
        await pilot.pause()
        record, criterion = grid.records[0], grid.criteria[0]
        old = grid.cells[(record, criterion.id)].answer
        key = "n" if old == "yes" else "y"
        shown_before = _results(screen)
        await pilot.press(key)
        # every cell of the Hull sample is answered, so the cursor moves to the next one
        assert table.cursor_coordinate == (0, 3)
        assert _results(screen) != shown_before  # the percentage changed as it was typed
        criteria_before = len(grid.criteria)
    new = {"n": "no", "y": "yes"}[key]
    with VisitFile.open(hull_path, readonly=True) as visit:
        row = visit.one(
            "SELECT a.id, a.answer, a.record, c.name FROM sample_answer a "
            "JOIN sample_criterion c ON c.id = a.criterion_id WHERE a.frame_id = ? "
            "AND a.record = ? AND c.id = ?",
            (grid.frame.id, record, criterion.id),
        )
        assert row is not None and row["answer"] == new and row["name"] == criterion.name
        change = visit.one(
            "SELECT changed_by, old, new FROM change_log WHERE row_id = ? "
            "ORDER BY version DESC LIMIT 1",
            (row["id"],),
        )
        assert change is not None and change["changed_by"] == "Jade Richards"
        assert f'"answer": "{old}"' in change["old"] and f'"answer": "{new}"' in change["new"]
        # the answer went to the criterion that was there, not to a new one of the same name
        count = visit.one(
            "SELECT COUNT(*) FROM sample_criterion WHERE frame_id = ?", (grid.frame.id,)
        )
        assert count is not None and count[0] == criteria_before


async def test_the_percentage_and_interval_follow_the_answers(empty_visit: VisitFile) -> None:
    path = empty_visit.path
    empty_visit.close()
    app = hull_app(path, ask_who=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_sampling(pilot)
        assert "No samples yet" in str(screen.query_one("#frame-info", Static).render())
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, DrawSampleScreen)
        # the frame, no plan item (Enter), the population and the sample's size
        await pilot.press(*"ACCT documents", "enter", "enter", *"50", "enter", *"4", "enter")
        seed = app.screen.query_one("#seed", Input)
        seed.value = ""
        await pilot.press(*"1234", "enter", *"Reviewed on time; Care map", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SamplingScreen)
        info = str(screen.query_one("#frame-info", Static).render())
        screen.query_one("#grid", DataTable).focus()
        await pilot.pause()
        await pilot.press("y", "n")  # record 1: yes, no
        assert "1 Reviewed on time: 100% yes (1 of 1), 95% CI 21% to 100%" in _results(screen)
        await pilot.press("n", "a")  # record 2: no, n/a
        results = _results(screen)
        assert "1 Reviewed on time: 50% yes (1 of 2), 95% CI 9% to 91%" in results
        assert "2 Care map: 0% yes (0 of 1, 1 n/a)" in results
    with VisitFile.open(path, readonly=True) as visit:
        frame = visit.one("SELECT * FROM sample_frame WHERE name = 'ACCT documents'")
        assert frame is not None
        assert frame["seed"] == "1234"
        assert len(frame["list_sha256"]) == 64
        assert frame["list_sha256"] in info  # the seed and hash are shown after drawing
        assert "seed 1234" in info
        assert frame["population"] == 50
        records = visit.query(
            "SELECT record FROM sample_record WHERE frame_id = ? ORDER BY position", (frame["id"],)
        )
        assert len(records) == 4
        answers = visit.query(
            "SELECT a.answer, a.created_by, r.position FROM sample_answer a "
            "JOIN sample_record r ON r.frame_id = a.frame_id AND r.record = a.record "
            "WHERE a.frame_id = ? ORDER BY a.version",
            (frame["id"],),
        )
        assert [a["answer"] for a in answers] == ["yes", "no", "no", "na"]
        assert [a["position"] for a in answers] == [0, 0, 1, 1]
        assert {a["created_by"] for a in answers} == {"Jade Richards"}


async def test_a_refused_draw_says_why_beside_the_field(empty_visit: VisitFile) -> None:
    path = empty_visit.path
    empty_visit.close()
    app = hull_app(path, ask_who=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_sampling(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Case files", "enter", "enter", *"10", "enter", *"11", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DrawSampleScreen)
        reason = str(app.screen.query_one("#reason-size").render())
        assert "between 1 and the population of 10" in reason
        await pilot.press("escape")
    with VisitFile.open(path, readonly=True) as visit:
        assert visit.one("SELECT COUNT(*) FROM sample_frame")[0] == 0  # type: ignore[index]


async def test_a_comment_on_a_cell_is_kept_with_its_answer(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_sampling(pilot)
        table = screen.query_one("#grid", DataTable)
        table.move_cursor(row=0, column=2, animate=False)
        await pilot.pause()
        await pilot.press("y")
        table.move_cursor(row=0, column=2, animate=False)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CommentScreen)
        await pilot.press(*"no debrief", "enter")
        await pilot.pause()
        assert "no debrief" in str(screen.query_one("#cell", Static).render())
        assert str(table.get_cell_at(table.cursor_coordinate)) == "y*"
    answers = [a for a in _answers(hull_path) if a["comment"] == "no debrief"]
    assert len(answers) == 1 and answers[0]["answer"] == "yes"


def _draw(path: Path) -> None:
    with VisitFile.open(path) as visit:
        draw_sample(
            visit,
            "Case files",
            size=3,
            seed=5,
            records=population_records(20),
            population_given=True,
            criteria=["Complete", "On time"],
        )


async def test_a_comment_on_an_empty_cell_is_kept_and_counts_nowhere(
    empty_visit: VisitFile,
) -> None:
    path = empty_visit.path
    empty_visit.close()
    _draw(path)
    app = hull_app(path, ask_who=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_sampling(pilot)
        table = screen.query_one("#grid", DataTable)
        assert table.cursor_coordinate == (0, 2)  # the first empty cell
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CommentScreen)
        await pilot.press(*"file missing", "enter")
        await pilot.pause()
        assert str(table.get_cell_at(table.cursor_coordinate)) == "·*"
        assert 'not answered "file missing"' in str(screen.query_one("#cell", Static).render())
        assert "1 Complete: no applicable answers yet (0 of 3 answered)" in _results(screen)
        [row] = _answers(path)
        assert (row["answer"], row["comment"]) == ("", "file missing")
        with VisitFile.open(path, readonly=True) as visit:
            computed = figures.compute(visit)
        assert computed["sample.case_files.complete.yes"].value == 0
        assert computed["sample.case_files.complete.no"].value == 0
        assert computed["sample.case_files.complete.na"].value == 0
        assert computed["sample.case_files.complete.applicable"].value == 0
        # answering it later keeps the comment, and the cursor moves on
        await pilot.press("n")
        assert table.cursor_coordinate == (0, 3)
        assert "1 Complete: 0% yes (0 of 1)" in _results(screen)
    [row] = _answers(path)
    assert (row["answer"], row["comment"], row["criterion"]) == ("no", "file missing", "Complete")


async def test_clearing_an_answer_tombstones_it_and_ctrl_z_brings_it_back(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_sampling(pilot)
        grid = screen.grid
        assert grid is not None
        table = screen.query_one("#grid", DataTable)
        table.move_cursor(row=0, column=2, animate=False)
        await pilot.pause()
        record, criterion = grid.records[0], grid.criteria[0]
        old = grid.cells[(record, criterion.id)]
        before = _results(screen)
        await pilot.press("x")
        assert str(table.get_cell_at(table.cursor_coordinate)) == "·"
        assert _results(screen) != before  # the percentage followed
        assert table.cursor_coordinate == (0, 2)  # stays on the cleared cell
        with VisitFile.open(hull_path, readonly=True) as visit:
            row = visit.one(
                "SELECT deleted FROM sample_answer WHERE frame_id = ? AND record = ? "
                "AND criterion_id = ?",
                (grid.frame.id, record, criterion.id),
            )
            assert row is not None and row["deleted"] == 1  # a tombstone, not gone
        table.move_cursor(row=1, column=3, animate=False)
        await pilot.press("ctrl+z")
        assert _results(screen) == before
        assert table.cursor_coordinate == (0, 2)  # back on the cell restored
    with VisitFile.open(hull_path, readonly=True) as visit:
        row = visit.one(
            "SELECT answer, comment, deleted FROM sample_answer WHERE frame_id = ? "
            "AND record = ? AND criterion_id = ?",
            (grid.frame.id, record, criterion.id),
        )
        assert row is not None
        assert (row["answer"], row["comment"], row["deleted"]) == (old.answer, old.comment, 0)


async def test_deleting_a_sample_asks_first_and_ctrl_z_brings_it_back(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_sampling(pilot)
        assert screen.grid is not None
        frame = screen.grid.frame
        with VisitFile.open(hull_path, readonly=True) as visit:
            assert any(k.startswith("sample.use_of_force") for k in figures.compute(visit))
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # kept
        await settle(pilot)
        assert _frame_deleted(hull_path, frame.id) == 0
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert screen.grid is None or screen.grid.frame.id != frame.id
        assert _frame_deleted(hull_path, frame.id) == 1
        with VisitFile.open(hull_path, readonly=True) as visit:
            assert not any(k.startswith("sample.use_of_force") for k in figures.compute(visit))
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert screen.grid is not None and screen.grid.frame.id == frame.id
    assert _frame_deleted(hull_path, frame.id) == 0


def _frame_deleted(path: Path, frame_id: str) -> int:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.one("SELECT deleted FROM sample_frame WHERE id = ?", (frame_id,))
        assert row is not None
        return int(row["deleted"])


async def test_a_draw_takes_a_plan_ref_and_starts_from_earlier_criteria(hull_path: Path) -> None:
    """The new sample is evidence for 1.33 (it counts on the overview), and its criteria
    start as the last sample's; up and down offer the others'."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_sampling(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, DrawSampleScreen)
        criteria = app.screen.query_one("#criteria", Input)
        last = criteria.value
        assert last  # the criteria of the last sample drawn
        await pilot.press(*"Use of force 2", "enter", *"1.3", "enter")  # 1.33 suggested
        await pilot.press(*"40", "enter", *"5", "enter", "enter")
        assert app.screen.focused is criteria
        await pilot.press("down")
        assert criteria.value != last
        await pilot.press("up", "enter")
        await settle(pilot)
    with VisitFile.open(hull_path, readonly=True) as visit:
        frame = visit.one(
            "SELECT p.ref FROM sample_frame f JOIN plan_item p ON p.id = f.plan_item_id "
            "WHERE f.name = 'Use of force 2'"
        )
        assert frame is not None and frame["ref"] == "1.33"
        names = [r[0] for r in visit.query(
            "SELECT c.name FROM sample_criterion c JOIN sample_frame f ON f.id = c.frame_id "
            "WHERE f.name = 'Use of force 2' ORDER BY c.position"
        )]  # fmt: skip
        assert "; ".join(names) == last


async def test_the_grid_says_its_records_are_in_the_order_drawn(hull_path: Path) -> None:
    """The sheet's "record 1" was the grid's third row: the grid did not say its rows are
    in the order drawn. A Drawn column numbers them, and the line above says so; the
    criteria's headings are not cut while there is room (they were at 11 characters)."""
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_sampling(pilot)
        grid = screen.grid
        assert grid is not None
        table = screen.query_one("#grid", DataTable)
        headings = [str(column.label) for column in table.columns.values()]
        assert headings[:2] == ["Drawn", "Record"]
        assert headings[2:] == [f"{n} {c.name}" for n, c in enumerate(grid.criteria, 1)]
        rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
        assert [row[0] for row in rows] == [str(n) for n in range(1, len(grid.records) + 1)]
        assert [row[1] for row in rows] == grid.records
        assert "in the order drawn" in str(screen.query_one("#frame-info", Static).render())
