"""Regenerate the guide's SVG screenshots: python docs/screenshots.py

Each screen is driven as in the guide, on a fresh copy of the Hull sample with a fixed
clock, so that the pictures change only when the screens do.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from irp_field import samples
from irp_field.store.bundle import build_from_bundle
from irp_field.tui.app import make_app

HERE = Path(__file__).resolve().parent / "screenshots"
NOW = dt.datetime(2022, 3, 16, 14, 0)

Steps = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def who_am_i(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def dashboard(pilot: Pilot[None]) -> None:
    await pilot.press("escape")
    await settle(pilot)


async def roll_check(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "f3")
    await settle(pilot)
    await pilot.press(*"79", "enter", *"30", "enter", *"12", "enter", *"12", "enter", *"23")


async def notes(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "f4")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    await pilot.press(*"Wing cleaner: showers on landing 2 broken for a week")


async def shoot(name: str, steps: Steps, folder: Path) -> None:
    visit = build_from_bundle(
        samples.sample_bundle(), folder / f"{name}.db", user="Sara Pennington"
    )
    app = make_app(visit, now=lambda: NOW, draft_pause=60, draft_every=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await steps(pilot)
        await settle(pilot)
        app.save_screenshot(f"{name}.svg", path=str(HERE))
    print(f"wrote {HERE / name}.svg")


async def main() -> None:
    HERE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, steps in (
            ("who-am-i", who_am_i),
            ("dashboard", dashboard),
            ("roll-check", roll_check),
            ("notes", notes),
        ):
            await shoot(name, steps, Path(folder))


if __name__ == "__main__":
    asyncio.run(main())
