"""Issue 22 §3: a round of roll checks (F3) and a subject's day of time out of cell (F6)
are linked to plan items with the picker a note uses (ctrl+k, said in the key line), and
the overview's evidence column and F7's evidence list then count and list them. With 17
periods recorded for the time-out-of-cell recommendation the overview said "no
evidence" for it, and F7 listed only a prisoner's note."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable
from tui_helpers import choose_round, day_on_f6, hull_app, settle

from irp_field.api import evidence as store
from irp_field.api import rounds
from irp_field.core.visit_file import VisitFile
from irp_field.tui.screens.dashboard import DashboardScreen
from irp_field.tui.screens.findings import FindingsScreen
from irp_field.tui.screens.roll_check import RollCheckScreen
from irp_field.tui.widgets.key_line import KeyLine

PERIODS = (  # 17 periods over four days of three subjects, as typed in the walk
    ("U01", "2022-03-14", ("08:50-09:20", "09:20-10:00", "11:45-11:55", "16:20-16:35")),
    ("U01", "2022-03-15", ("08:45-09:15", "11:40-11:50", "14:00-15:00", "16:10-16:30")),
    ("U02", "2022-03-14", ("08:50-09:20", "11:45-12:00", "16:20-16:40", "17:00-17:10")),
    ("W01", "2022-03-15", ("08:00-12:00", "13:30-16:30", "17:00-17:30", "17:30-17:45", "18:00-18:15")),
)  # fmt: skip


def _walked_visit(folder: Path) -> Path:
    """The walk's third laptop: the plan, 17 periods, one prisoner's note on the
    recommendation and nothing else."""
    path = folder / "walk.db"
    with VisitFile.create(
        path, establishment="HMP Test", start_date="2022-03-14", end_date="2022-03-16",
        user="Amy Gill",
    ) as visit:  # fmt: skip
        store.add_plan_item(visit, "1.38", area="Purposeful activity", text="Time out of cell.")
        store.add_plan_item(visit, "1.39", area="Purposeful activity", text="Work places.")
        for subject, day, spans in PERIODS:
            for span in spans:
                start, end = span.split("-")
                store.record_period(
                    visit, on_date=day, subject=subject, group="Unemployed", start=start,
                    end=end, activity="association",
                )  # fmt: skip
        store.record_note(
            visit, text="Locked up all morning.", source="prisoner",
            taken_at="2022-03-14T12:00", plan_refs=["1.38"], author="Amy Gill",
        )  # fmt: skip
    return path


def _evidence_of(app_screen: DashboardScreen, ref: str) -> tuple[str, str]:
    table = app_screen.query_one("#plan", DataTable)
    for row in range(table.row_count):
        cells = [str(cell) for cell in table.get_row_at(row)]
        if cells[0] == ref:
            return cells[2], cells[3]
    raise AssertionError(f"no row for {ref}")


async def _pick(pilot: Pilot[None], refs: list[str]) -> None:
    """In the picker: tick exactly ``refs`` (space on each, moving down), then ctrl+s."""
    from irp_field.tui.dialogs.plan_links import PlanLinksScreen  # new with the links
    from irp_field.tui.widgets.plan_ticks import PlanTicks

    picker = pilot.app.screen
    assert isinstance(picker, PlanLinksScreen)
    ticks = picker.query_one(PlanTicks)
    assert pilot.app.focused is ticks and ticks.highlighted == 0
    listed = [ticks.get_option_at_index(i).value for i in range(ticks.option_count)]
    for at, ref in enumerate(listed):
        if (ref in refs) != (ref in ticks.selected):
            await pilot.press("space")
        if at < len(listed) - 1:
            await pilot.press("down")
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_seventeen_periods_linked_on_f6_are_evidence_on_the_overview_and_f7(
    tmp_path: Path,
) -> None:
    path = _walked_visit(tmp_path)
    app = hull_app(path, user="Amy Gill")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert _evidence_of(app.screen, "1.38") == ("pris 1", "one kind only")
        assert _evidence_of(app.screen, "1.39") == ("-", "no evidence")
        for subject, day, _ in PERIODS:
            screen = await day_on_f6(pilot, subject, day)
            assert "^k  Link day" in str(screen.query_one(KeyLine).render())
            await pilot.press("ctrl+k")
            await settle(pilot)
            await _pick(pilot, ["1.38"])
            assert app.screen is screen
        await pilot.press("f2")
        await settle(pilot)
        assert _evidence_of(app.screen, "1.38") == ("pris 1 toc 17", "")
        await pilot.press("f7")
        await settle(pilot)
        findings = app.screen
        assert isinstance(findings, FindingsScreen)
        listed = findings.query_one("#evidence", DataTable)
        kinds = [str(listed.get_row_at(i)[0]) for i in range(listed.row_count)]
        assert kinds == ["note", *["time out of cell"] * 4]
        summary = " ".join(str(listed.get_row_at(1)[1]).split())
        assert summary.startswith("U01, 2022-03-14 (Unemployed): 4 periods")
    with VisitFile.open(path, readonly=True) as visit:
        assert store.day_plan_refs(visit, "W01", "2022-03-15") == ["1.38"]


async def test_a_round_is_linked_on_f3_unlinked_and_the_unlink_undone(hull_path: Path) -> None:
    """At 14:00 on Wednesday, the complete Wed PM round chosen on F3 (which the sample
    links to 1.38): ctrl+k shows it ticked [x], 1.33 is ticked too, then 1.38 unticked; the
    overview counts its 11 checks for 1.33; ctrl+z takes the change back."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RollCheckScreen)
        await choose_round(pilot, "Wed PM")  # F3 opens a new round: every round is complete
        assert "^k  Link round" in str(screen.query_one(KeyLine).render())
        await pilot.press("ctrl+k")
        await settle(pilot)
        from irp_field.tui.widgets.plan_ticks import PlanTicks

        ticks = app.screen.query_one(PlanTicks)
        assert ticks.selected == ["1.38"]
        shown = ticks.render_line(7).text  # 1.38, the 8th item
        assert shown.startswith("[x] 1.38 ")
        await _pick(pilot, ["1.33"])
        with VisitFile.open(hull_path, readonly=True) as visit:
            wed_pm = rounds.find_round(visit, "Wed PM")
            assert wed_pm is not None
            assert store.round_plan_refs(visit, wed_pm.id) == ["1.33"]
        await pilot.press("f2")
        await settle(pilot)
        assert _evidence_of(app.screen, "1.33") == ("docs 2 staff 2 roll 11", "")
        assert _evidence_of(app.screen, "1.38")[0] == "obs 3 staff 1 roll 55 toc 74"
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert store.round_plan_refs(visit, wed_pm.id) == ["1.38"]


async def test_a_round_or_day_with_nothing_in_it_is_not_linked(hull_path: Path) -> None:
    """A new round before its first check, a day before its first period: said, and no
    picker (there is nothing yet for the link to count)."""
    from tui_helpers import EVENING

    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, RollCheckScreen)
        # Each message read as it is said: a loaded machine let the first one time out
        # before the second was said (one failed run in two beside two CPU burners).
        said = [n.message for n in app._notifications]
        assert "A round is linked to plan items once it has a check: save one first." in said
        screen = await day_on_f6(pilot, "Z99", "2022-03-16")
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert app.screen is screen
        said = [n.message for n in app._notifications]
        assert "A day is linked to plan items once it has a period: save one first." in said
