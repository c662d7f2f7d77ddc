"""Helpers shared by the TUI tests (not fixtures: conftest.py belongs to the foundation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, TextArea
from textual.worker import WorkerCancelled

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


async def paste(pilot: Pilot[None], text: str) -> None:
    """``text`` pasted into the focused field, as a terminal delivers a paste: one event.
    A path typed key by key cost Pilot two idle waits a character (about a tenth of a
    second), most of a UI test's time; the keystroke tests are where typing is tested."""
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


async def settle(pilot: Pilot[None]) -> None:
    """Let thread workers finish and their messages land. A read cancelled by a newer
    read of its group (an exclusive worker: the screen asked again) is finished too: its
    work was handed on. Waiting for all at once raised WorkerCancelled for it, which a
    loaded machine, where the first read was still running when the second was asked
    for, turned into a failed test (F7's reads after a sync)."""
    await pilot.pause()
    for worker in list(pilot.app.workers):
        with suppress(WorkerCancelled):
            await worker.wait()
    await pilot.pause()


async def hold_still(pilot: Pilot[None]) -> None:
    """Workers done, messages handled, and scrolling finished: a table scrolls its
    cursor into view with an animation and sizes its columns when idle, which a loaded
    machine may not have done when the picture is taken (columns cut to their headings'
    width were caught so)."""
    for _ in range(3):  # a table sizes its columns when idle, after the rows land
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.05)
    # Then until the screen holds still with every table sized: two pictures a tenth of
    # a second apart the same, each taken with no table waiting to size its columns (the
    # tables of the screens under a dialog too: they show through it). A loaded machine
    # caught F7's plan items mid-layout, and the overview's columns at their headings'
    # width when a bound of two seconds for the sizing ran out. The bound here (about
    # thirty seconds) only keeps a broken screen from hanging the run.
    previous = None
    for _ in range(300):
        if _file_changed(pilot):
            previous = None
            await settle(pilot)
            continue
        tables = [t for screen in pilot.app.screen_stack for t in screen.query(DataTable)]
        if any(_sizing(table) for table in tables):
            previous = None
            await pilot.pause(0.05)
            continue
        shot = pilot.app.export_screenshot()
        if shot == previous:
            break
        previous = shot
        await pilot.pause(0.1)


def _file_changed(pilot: Pilot[None]) -> bool:
    """Did a commit from another connection (a worker's own) land that the screens do not
    show yet? The app looks every half second and then reloads every screen, refilling
    its tables: a loaded machine caught F8's table refilled, its columns at their
    headings' width, between two still pictures and the snapshot. Looked at here at once
    (the app's own look), so no reload is pending when the picture is taken."""
    app = pilot.app
    look = getattr(app, "_watch_file", None)
    if look is None:
        return False
    before = getattr(app, "_data_version", None)
    look()
    return getattr(app, "_data_version", None) != before


def _sizing(table: DataTable[Any]) -> bool:
    """Has the table rows or cells whose columns it has not sized yet (it does so when
    its queue is empty: Textual's DataTable._on_idle)? Or a column narrower than a cell
    it shows? Waited for here, never forced, so a table that never sizes still fails its
    picture. (Lines drawn before the sizing and kept after it were the app's bug, F8's
    judgements caught cut at their headings' width: see irp_field/tui/widgets/table.py.)"""
    if table._require_update_dimensions or table._updated_cells:
        return True
    # A fitting table (``Table(fit=True)``) narrows its widest column on purpose: sized
    # once the width it measured before fitting holds the widest cell.
    natural = getattr(table, "_natural", {}) if getattr(table, "fit", False) else {}
    for key, column in table.columns.items():
        if not column.auto_width:
            continue
        widest = max((_cell_width(cells.get(key)) for cells in table._data.values()), default=0)
        if max(column.content_width, natural.get(key, 0)) < widest:
            return True
    return False


def _cell_width(cell: object) -> int:
    """A cell's width as the table measures it: its widest line."""
    from rich.text import Text

    text = cell if isinstance(cell, Text) else Text(str(cell if cell is not None else ""))
    return max((line.cell_len for line in text.split()), default=0)


def then_still(
    steps: Callable[[Pilot[None]], Awaitable[None]],
) -> Callable[[Pilot[None]], Awaitable[None]]:
    """A snapshot's steps, then the screen held still (see :func:`hold_still`) with every
    cursor steady: one blinks every half second, so the picture shows it on where a field
    has the focus."""

    async def run(pilot: Pilot[None]) -> None:
        await steps(pilot)
        await hold_still(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget._pause_blink(visible=widget.has_focus)  # type: ignore[attr-defined]
        await pilot.pause()

    return run


async def day_on_f6(pilot: Pilot[None], subject: str, on_date: str) -> Any:
    """F6 with ``subject``'s day ``on_date`` typed in (the date field emptied first): the
    time-out-of-cell screen."""
    from textual.widgets import Input

    from irp_field.tui.screens.time_out_of_cell import TimeOutOfCellScreen

    await pilot.press("f6")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TimeOutOfCellScreen)
    screen.query_one("#on_date", Input).value = ""
    screen.set_focus(screen.query_one("#subject", Input))
    await pilot.press(*subject, "enter", *on_date, "enter")
    await settle(pilot)
    return screen


async def choose_round(pilot: Pilot[None], name: str) -> None:
    """On F3, the round ``name`` chosen from the list of rounds by typing its name (as a
    team leader picks a round to correct a check in: F3 opens a new round when every
    round is complete), then F3 to put the cursor back in the roll."""
    screen = pilot.app.screen
    screen.set_focus(screen.query_one("#round"))
    await pilot.press("space", *name, "enter")
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    found = screen.state.round()  # type: ignore[attr-defined]
    assert found is not None and found.name == name, found


KEYS_WAIT = 30.0  # seconds: the most a burst's keys are waited for, in a test


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """Keys as a fast typist (or a paste) sends them: all at once, none waiting for the
    one before it to land (``pilot.press`` waits after each key, which hid Enter being
    read while the name before it was still on its way to its field)."""
    from irp_field.tui import keys_in_order

    app = pilot.app
    driver = app._driver
    assert driver is not None
    # The keys wait for each screen as long as this run waits for them: the app lets a
    # key go on after LONGEST_HOLD seconds (a person's keyboard never freezes), and on a
    # loaded machine (two suites on two cores) a screen's mount took longer, so the
    # first note of a burst went to the list under it (a wall clock in a test).
    patience = keys_in_order.LONGEST_HOLD
    keys_in_order.LONGEST_HOLD = KEYS_WAIT
    try:
        for key in keys:
            name = {" ": "space", "-": "minus", "(": "left_parenthesis", ")": "right_parenthesis"}
            char = "\r" if key == "enter" else key if len(key) == 1 else None
            event = events.Key(name.get(key, key), char)
            event.set_sender(app)
            driver.send_message(event)
        await settle(pilot)
        await keys_taken(pilot)
    finally:
        keys_in_order.LONGEST_HOLD = patience


async def keys_taken(pilot: Pilot[None]) -> None:
    """Until the app has handed out every key it holds (``tui.keys_in_order``: each
    waits for the screen to take the one before it), and the screen has settled. The
    bound (about thirty seconds) only keeps a broken app from hanging the run."""
    for _ in range(int(KEYS_WAIT / 0.05)):
        if not getattr(pilot.app, "keys_held", 0):
            break
        await pilot.pause(0.05)
    await settle(pilot)


# -- typing into the paragraph editors (F7, F11) ------------------------------------------

PARAGRAPH = "Staff told us the regime had been curtailed on most days of the week."


async def type_a_paragraph(pilot: Pilot[None]) -> None:
    """F7, a new paragraph of the first item, typed and not saved."""
    await pilot.press("f7")
    await settle(pilot)
    pilot.app.screen.query_one("#paragraphs", DataTable).focus()
    await pilot.press("ctrl+n")
    await settle(pilot)
    pilot.app.screen.query_one("#editor", TextArea).insert(PARAGRAPH)


async def type_a_summary_paragraph(pilot: Pilot[None]) -> None:
    """F11, a new paragraph of the summary, typed and not saved."""
    await pilot.press("f11")
    await settle(pilot)
    parts = pilot.app.screen.query_one("#parts", DataTable)
    parts.focus()
    parts.move_cursor(row=0)  # the summary's heading: ctrl+n adds one to it
    await pilot.press("ctrl+n")
    await settle(pilot)
    pilot.app.screen.query_one("#editor", TextArea).insert(PARAGRAPH)


async def new_note(pilot: Pilot[None]) -> Any:
    """From the overview, once settled: F4, then ctrl+n; the note editor, settled."""
    from irp_field.tui.screens.note_editor import NoteEditorScreen

    await settle(pilot)
    await pilot.press("f4", "ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NoteEditorScreen)
    return pilot.app.screen
