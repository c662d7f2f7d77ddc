"""Snapshots of the dashboard and the roll-check screen on the Hull sample, fixed clock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from tui_helpers import hull_app, settle


async def _dashboard(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def _roll_check(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press(*"126", "enter", *"130")  # a refused count, its reason beside it


def test_dashboard_80x24(hull_path: Path, snap_compare: Any) -> None:
    """The Hull overview at 80x24: "Locked up 40% (35% to 45% across 6 rounds); 48% last
    time", the plan table from Leadership with 1.33 Reasonable and its evidence by kind,
    and the footer with F1 Help, F2 Overview, F3 Roll check."""
    assert snap_compare(hull_app(hull_path), terminal_size=(80, 24), run_before=_dashboard)


def test_dashboard_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The Hull overview at 120x40: every area and plan item down to the Ofsted themes,
    single-source items flagged "one kind only", and the checks/notes/sampled line."""
    assert snap_compare(hull_app(hull_path), terminal_size=(120, 40), run_before=_dashboard)


def test_roll_check_80x24(hull_path: Path, snap_compare: Any) -> None:
    """The roll-check screen at 80x24 on round "Wed PM": roll 126 typed, locked up 130
    refused with "takes the total to 130, above the roll of 126" beside it, and the
    round's table with a bar of the share locked up per location."""
    assert snap_compare(hull_app(hull_path), terminal_size=(80, 24), run_before=_roll_check)


def test_roll_check_120x40(hull_path: Path, snap_compare: Any) -> None:
    """The same at 120x40: all eleven locations of the round visible in the table."""
    assert snap_compare(hull_app(hull_path), terminal_size=(120, 40), run_before=_roll_check)
