"""What the screens' snapshot tests share: keys pressed with the screen settled between
them, and a picture taken once the screen holds still."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import hold_still as settle
from tui_helpers import hull_app, then_still

Steps = Callable[[Pilot[None]], Awaitable[None]]


SMALL, LARGE = (80, 24), (120, 40)


def keys(*keys: str, blank: str = "") -> Steps:
    """Press ``keys`` (settling after each function key); then empty the input ``blank``
    (a folder that changes from run to run)."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            if key.startswith(("f", "ctrl+")) or key in ("s", "enter"):
                await settle(pilot)
        if blank:
            field = pilot.app.screen.query_one(blank, Input)
            field.value = ""
        await settle(pilot)

    return run


def snap(snap_compare: Any, path: Path, size: tuple[int, int], steps: Steps, **app: Any) -> bool:
    return bool(
        snap_compare(hull_app(path, **app), terminal_size=size, run_before=then_still(steps))
    )
