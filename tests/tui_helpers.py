"""Helpers shared by the TUI tests (not fixtures: conftest.py belongs to the foundation)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot

from irp_field.tui.app import IrpApp, make_app

FIXED_NOW = dt.datetime(2022, 3, 16, 14, 0)
# Wednesday evening: Hull's rounds are all complete and "Wed eve" is not one of them, so
# the roll-check screen offers a new round, where a typed check is a new record. (At
# FIXED_NOW it opens the complete "Wed PM" round, where a location opens its check to edit.)
EVENING = dt.datetime(2022, 3, 16, 18, 30)


def hull_app(
    path: Path, user: str = "Jade Richards", now: dt.datetime = FIXED_NOW, **options: object
) -> IrpApp:
    return make_app(path, user=user, now=lambda: now, **options)  # type: ignore[arg-type]


async def settle(pilot: Pilot[None]) -> None:
    """Let thread workers finish and their messages land."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
