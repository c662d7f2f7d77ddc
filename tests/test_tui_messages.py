"""Messages never hide what the inspector is reading (issue 22: three stacked pop-ups
covered half of F8, and one covered the set-up form's reasons and its status line)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from textual.widgets._toast import Toast
from tui_helpers import hull_app, settle

from irp_field.tui.dialogs.help import HelpScreen
from irp_field.tui.screens.judgements import JudgementsScreen


def _shown_toasts(screen: object) -> list[Toast]:
    return [
        toast
        for toast in screen.query(Toast)  # type: ignore[attr-defined]
        if toast.display and toast.parent is not None and toast.parent.display
    ]


async def test_three_judgements_leave_one_line_of_message_on_the_header(hull_path: Path) -> None:
    app = hull_app(hull_path, user="Sara Pennington")
    # the pop-ups are drawn, as for a person (run_test leaves them out unless asked)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JudgementsScreen)
        for key in ("3", "down", "2", "down", "4"):
            await pilot.press(key)
        await settle(pilot)
        await pilot.pause(0.1)
        [toast] = _shown_toasts(screen)  # one at a time: never a stack
        region = toast.region
        assert (region.y, region.height, region.width) == (0, 1, 80)  # the header's line
        assert "Judged" in str(toast.render())
        # the table's first row, the reason and the key line are all in view, uncovered
        for widget in screen.query("#units, #why, KeyLine"):
            assert not region.overlaps(widget.region), widget
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        said = str(app.screen.query_one("#messages", Static).render())
        assert said.startswith("Last messages, newest first:")
        assert said.count("Judged") == 3  # whole, even when the header's line cut one
