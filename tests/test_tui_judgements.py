"""The judgements screen: a level chosen with a key lands in the file, the tally follows."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static
from tui_helpers import hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.evidence import reads
from irp_field.tui.screens.judgements import JudgementsScreen


def _judgement(path: Path, unit: str) -> tuple[str, str]:
    with VisitFile.open(path, readonly=True) as visit:
        found = reads.judgements(visit)[unit]
        return found.level, found.why


async def test_a_judgement_chosen_lands_in_the_file_and_the_tally_updates(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JudgementsScreen)
        tallies = str(screen.query_one("#tallies", Static).render())
        assert "good progress in two recommendations" in tallies
        assert "Ofsted judged that there was reasonable progress in all three themes." in tallies
        screen.query_one("#units", DataTable).focus()
        # 1.33 (Reasonable) becomes Good: the fourth level of the HMIP scale.
        await pilot.press("4")
        await settle(pilot)
        assert _judgement(hull_path, "1.33")[0] == "good"
        tallies = str(screen.query_one("#tallies", Static).render())
        assert "good progress in three recommendations" in tallies
        assert "Good progress" in str(screen.query_one("#chart", Static).render())
        assert "made good progress against this recommendation" in str(
            screen.query_one("#conclusion", Static).render()
        )
        # The group 1.34a + 1.34b is one row, judged once, with a reason typed.
        await pilot.press("down")
        await pilot.press("2")
        await settle(pilot)
        assert _judgement(hull_path, "1.34")[0] == "insufficient"
        await pilot.press("ctrl+w")
        await pilot.press("ctrl+a", "ctrl+k", *"Work not started", "enter")
        await settle(pilot)
        assert _judgement(hull_path, "1.34") == ("insufficient", "Work not started")
        assert "against these recommendations" in str(
            screen.query_one("#conclusion", Static).render()
        )
        # An Ofsted theme has three levels: a fourth is refused, nothing written.
        table = screen.query_one("#units", DataTable)
        table.focus()
        theme = next(n for n, u in enumerate(screen.board.units) if u.scale.key == "ofsted")  # type: ignore[union-attr]
        table.move_cursor(row=theme)
        await pilot.press("4")
        await settle(pilot)
        assert _judgement(hull_path, "Theme 1")[0] == "reasonable"
        await pilot.press("3")
        await settle(pilot)
        assert _judgement(hull_path, "Theme 1")[0] == "significant"
        assert "significant progress in one theme" in str(
            screen.query_one("#tallies", Static).render()
        )


async def test_a_cleared_judgement_is_not_judged_and_the_tally_counts_it_no_longer(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JudgementsScreen)
        assert "reasonable progress in three recommendations" in str(
            screen.query_one("#tallies", Static).render()
        )
        assert "HMI Prisons (n=9)" in str(screen.query_one("#chart", Static).render())
        table = screen.query_one("#units", DataTable)
        table.focus()
        assert table.cursor_row == 0  # 1.33, judged Reasonable
        await pilot.press("delete")
        await settle(pilot)
        tallies = str(screen.query_one("#tallies", Static).render())
        assert "reasonable progress in two recommendations" in tallies
        assert "HMI Prisons (n=8)" in str(screen.query_one("#chart", Static).render())
        assert "Not judged yet" in str(screen.query_one("#conclusion", Static).render())
        assert table.get_row_at(0)[1] == "not judged"  # the judgement's column comes second
        await pilot.press("delete")  # already not judged: nothing more is written
        await settle(pilot)
    with VisitFile.open(hull_path, readonly=True) as visit:
        row = visit.one("SELECT level, deleted FROM judgement WHERE unit = '1.33'")
        assert row is not None and (row["level"], row["deleted"]) == ("", 0)  # edited, not deleted
        assert "1.33" not in reads.judgements(visit)  # what the report reads
        # 1.33's own row, in the order written (by version stamp: the change log's ids and
        # its index on the row's random id give no order, and another unit's row whose
        # text holds "1.33" came last now and then)
        changes = visit.query(
            "SELECT action FROM change_log WHERE table_name = 'judgement' AND row_id = "
            "(SELECT id FROM judgement WHERE unit = '1.33') ORDER BY version"
        )
        assert [c["action"] for c in changes][-1] == "update"
