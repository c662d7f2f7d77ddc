"""F3's list of rounds (a new inspector's walk): its blank "none yet" entry could be
chosen, the open list drew over the form's labels ("Off-wing Tue AM · 03-15 10:00"), and
at 120 columns the round's box still cut its time."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Label, Select
from textual.widgets._select import SelectCurrent, SelectOverlay
from tui_helpers import choose_round, hold_still, hull_app, settle

from irp_field.api import rounds as rounds_api
from irp_field.core.visit_file import VisitFile
from irp_field.tui.screens.roll_check import RollCheckScreen


async def _roll_check(pilot: Pilot[None]) -> RollCheckScreen:
    await settle(pilot)
    await pilot.press("f3")
    await hold_still(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RollCheckScreen)
    return screen


async def _open_the_list(pilot: Pilot[None], screen: RollCheckScreen) -> SelectOverlay:
    screen.set_focus(screen.query_one("#round", Select))
    await pilot.press("space")
    await hold_still(pilot)
    overlay = screen.query_one("#round", Select).query_one(SelectOverlay)
    assert overlay.display and overlay.has_focus
    return overlay


async def test_every_choice_of_the_round_list_is_a_round(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_check(pilot)
        assert screen.state is not None
        overlay = await _open_the_list(pilot, screen)
        listed = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
        assert listed == [label for label, _ in screen.state.options()]
        await pilot.press("home", "enter")  # the first choice: the first round
        await hold_still(pilot)
        chosen = screen.query_one("#round", Select).value
        assert chosen == screen.state.rounds[0].id and screen.state.chosen == chosen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_open_list_covers_no_label(hull_path: Path, size: tuple[int, int]) -> None:
    """The list sits over the counts' fields: every label of the form stays in view,
    and When and the location, on the line below the round, too."""
    app = hull_app(hull_path)
    async with app.run_test(size=size) as pilot:
        screen = await _roll_check(pilot)
        overlay = await _open_the_list(pilot, screen)
        covered = overlay.region
        assert screen.state is not None and covered.height >= len(screen.state.options())
        labels = [*screen.query(".field-label").results(Label), *screen.query(".pick > Label")]
        assert len(labels) >= 10
        for label in labels:
            assert not covered.overlaps(label.region), (str(label.render()), label.region)
        for field in ("#taken_at", "#location"):
            assert not covered.overlaps(screen.query_one(field).region), field


async def test_the_round_s_label_is_whole_at_120_and_cut_with_an_ellipsis_at_80(
    hull_path: Path,
) -> None:
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        rounds_api.start_round(visit, "Wed 16 Mar evening recount", "2022-03-16", "19:30")
        rounds_api.start_round(
            visit, "Wednesday the sixteenth of March, the evening recount", "2022-03-16", "20:30"
        )
    labels = {
        "Wed 16 Mar evening recount": "Wed 16 Mar evening recount · 03-16 19:30",
        "Wednesday the sixteenth of March, the evening recount": (
            "Wednesday the sixteenth of March, the evening recount · 03-16 20:30"
        ),
    }
    for size in ((120, 40), (80, 24)):
        app = hull_app(hull_path)
        async with app.run_test(size=size) as pilot:
            screen = await _roll_check(pilot)
            for name, label in labels.items():
                await choose_round(pilot, name)
                await hold_still(pilot)
                shown = screen.query_one("#round", Select).query_one(SelectCurrent)
                text = shown.query_one("#label").render_line(0).text.rstrip()
                progress = screen.query_one("#progress", Label)
                # the progress beside it keeps its words whatever the round's name
                assert progress.content_region.width >= len(str(progress.render()))
                if size[0] == 120 or len(label) <= 40:
                    assert text == label, (size, text)
                else:
                    assert text.endswith("…") and label.startswith(text[:-1]), (size, text)
