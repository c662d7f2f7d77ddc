"""Regenerate the guide's SVG screenshots: python docs/screenshots.py

Each screen is driven as in the guide, on a fresh copy of the Hull sample with a fixed
clock (the app's and the one the files' stamps and history read), in a folder of a fixed
name, by a fixed team leader: the pictures change only when the screens do (two runs
write the same bytes).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace

from textual.pilot import Pilot

from irp_field.interchange import samples
from irp_field.interchange.bundle import build_from_bundle
from irp_field.tui.app import make_app

HERE = Path(__file__).resolve().parent / "screenshots"
NOW = dt.datetime(2022, 3, 16, 14, 0)
# Where the pictures' visits are made: shown on Home, Merge and Report, so its name is
# fixed (a temporary folder's random name changed every picture of them).
FOLDER = Path(tempfile.gettempdir()) / "irp-field-guide"
LEADER = "Sara Pennington"

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
    await pilot.press("escape", "f3")  # every round is complete: a new one is offered
    await settle(pilot)
    await pilot.press(*"79", "enter", *"30", "enter", *"12", "enter", *"12", "enter", *"23")


async def history(pilot: Pilot[None]) -> None:
    from textual.widgets import DataTable

    await pilot.press("down", "down", "enter")  # Jade Richards, who recounts
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    # Wed PM chosen from the list of rounds (F3 offers a new one: every round is complete)
    pilot.app.screen.set_focus(pilot.app.screen.query_one("#round"))
    await pilot.press("space", *"Wed PM", "enter")
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    # A wing recounted: its check changes (the history's times are when this runs)
    await pilot.press(*"126", "enter", *"50", "enter", *"12", "enter", *"17", "enter")
    await pilot.press(*"38", "enter", *"9", "ctrl+s")
    await settle(pilot)
    table = pilot.app.screen.query_one("#round-table", DataTable)
    table.focus()
    table.move_cursor(row=0)
    await pilot.press("h")
    await settle(pilot)


async def setup(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "s")
    await settle(pilot)
    await pilot.press("ctrl+t")
    await settle(pilot)


async def notes(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "f4")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    await pilot.press(*"Wing cleaner: showers on landing 2 broken for a week")


async def sampling(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "f5")
    await settle(pilot)
    await pilot.press("down", "down", "right")


async def time_out_of_cell(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "f6")
    await settle(pilot)
    await pilot.press(*"C01", "enter", "ctrl+u", *"2022-03-14", "enter", "enter")
    await pilot.press(*"17:00", "enter", *"17:30", "enter", *"open air")


async def home(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "ctrl+o")
    await settle(pilot)


# -- the team leader's evening ------------------------------------------------------


def _copy(source: Path, target: Path) -> Path:
    import sqlite3

    reader, writer = sqlite3.connect(source), sqlite3.connect(target)
    with writer:
        reader.backup(writer)
    reader.close()
    writer.close()
    return target


def _inspectors_copies(pilot: Pilot[None]) -> Path:
    """Two inspectors' copies of the open visit on a 'USB stick', each with a new note."""
    from irp_field.core.visit_file import VisitFile

    visit_path = Path(pilot.app.visit_path)  # type: ignore[attr-defined]
    stick = visit_path.parent / f"{visit_path.stem}-usb"
    stick.mkdir()
    for name, who in (("jade.db", "Jade Richards"), ("paul.db", "Paul Rowlands")):
        copy = _copy(visit_path, stick / name)
        with VisitFile.open(copy, user=who) as visit, visit.transaction():
            visit.insert("note", {"text": f"{who}: A wing showers fixed"})
    return stick


async def merge(pilot: Pilot[None]) -> None:
    stick = _inspectors_copies(pilot)
    await pilot.press("escape", "f9")
    await settle(pilot)
    await pilot.press("ctrl+l", "ctrl+a", "ctrl+k", *str(stick), "enter")
    await settle(pilot)
    await pilot.press("ctrl+d")
    await settle(pilot)
    await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")  # the temporary path changes every run


async def conflicts(pilot: Pilot[None]) -> None:
    from irp_field.core.visit_file import VisitFile
    from irp_field.replication.merge import merge_visits

    app = pilot.app
    visit_path = Path(app.visit_path)  # type: ignore[attr-defined]
    other = _copy(visit_path, visit_path.parent / f"{visit_path.stem}-paul.db")
    # the same note every run (ids are drawn afresh at each import)
    note = app.visit.query("SELECT id FROM note ORDER BY text, created_at LIMIT 1")[0]["id"]  # type: ignore[attr-defined]
    # by the team leader, not by whoever runs this script (the app's visit is theirs)
    with VisitFile.open(visit_path, user=LEADER) as visit, visit.transaction():
        visit.update("note", note, {"text": "Staff said the regime was curtailed"})
    with VisitFile.open(other, user="Paul Rowlands") as visit, visit.transaction():
        visit.update("note", note, {"text": "Staff said the regime ran as planned"})
    merge_visits(visit_path, [other], user=LEADER)  # not whoever runs this script
    await pilot.press("escape", "f10")
    await settle(pilot)


async def findings(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "f7")
    await settle(pilot)
    await pilot.press("ctrl+n", *"In our roll checks, {{ roll.pct_lo")


async def judgements(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "f8")
    await settle(pilot)


async def report_parts(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "f11")
    await settle(pilot)
    await pilot.press("down", "down", "down", "down", "down", "enter")  # 1.5, in the editor


async def attachments(pilot: Pilot[None]) -> None:
    from textual.widgets import DataTable

    await pilot.press("escape", "f7")
    await settle(pilot)
    units = pilot.app.screen.query_one("#units", DataTable)
    units.move_cursor(row=units.get_row_index("1.34"))  # 1.34a and 1.34b, judged together
    await settle(pilot)
    paragraphs = pilot.app.screen.query_one("#paragraphs", DataTable)
    paragraphs.focus()
    paragraphs.move_cursor(row=5)  # 3.12, the exercise bikes
    await pilot.press("f")
    await settle(pilot)
    await pilot.press(*"sample_visits/hmp-hull-2022/attachments/seg")
    await pilot.pause(0.3)


async def report(pilot: Pilot[None]) -> None:
    await pilot.press("escape", "f12")
    await settle(pilot)


async def shoot(name: str, steps: Steps, folder: Path) -> None:
    # Each picture has a data folder of its own holding just the Hull visit, so that
    # Home shows what a new user would see, never this machine's own visits.
    home = folder / name
    os.environ["IRP_FIELD_HOME"] = str(home)
    visits = home / "visits"
    visits.mkdir(parents=True)
    visit = build_from_bundle(samples.sample_bundle(), visits / f"{samples.HULL}.db", user=LEADER)
    # Who am I is asked in its own picture and in the history's (Jade Richards recounts);
    # every other is the team leader's, as the guide tells it (Escape on the question left
    # the records with this machine's login, and the overview then says so).
    user = None if name in ("who-am-i", "history") else LEADER
    app = make_app(visit, user=user, now=lambda: NOW, draft_pause=60, draft_every=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await steps(pilot)
        await settle(pilot)
        app.save_screenshot(f"{name}.svg", path=str(HERE))
    print(f"wrote {HERE / name}.svg")


def fix_the_wall_clock(put: Callable[[object, str, object], None] = setattr) -> None:
    """The clock the files read (a change's time in the history, a record's stamps, a
    visit's last change on Home) stands at NOW, as the app's own does (``now=``). The
    app is unchanged: ``put`` sets each module's clock (a test's undoes it after)."""
    from irp_field.api import unsaved
    from irp_field.core import clock, rows, visit_file
    from irp_field.evidence import drafts
    from irp_field.findings import paragraphs

    stamp = NOW.replace(tzinfo=dt.UTC)  # never this machine's time zone
    text = stamp.isoformat(timespec="seconds").replace("+00:00", "Z")
    for module in (rows, visit_file, unsaved, drafts, paragraphs):
        put(module, "now_text", lambda: text)
    nanoseconds = int(stamp.timestamp()) * 1_000_000_000
    put(clock, "time", SimpleNamespace(time_ns=lambda: nanoseconds))


async def main() -> None:
    HERE.mkdir(exist_ok=True)
    fix_the_wall_clock()
    shutil.rmtree(FOLDER, ignore_errors=True)  # a run stopped part way left it
    FOLDER.mkdir()
    try:
        for name, steps in (
            ("who-am-i", who_am_i),
            ("dashboard", dashboard),
            ("roll-check", roll_check),
            ("history", history),
            ("setup", setup),
            ("notes", notes),
            ("sampling", sampling),
            ("time-out-of-cell", time_out_of_cell),
            ("home", home),
            ("merge", merge),
            ("conflicts", conflicts),
            ("findings", findings),
            ("judgements", judgements),
            ("report-parts", report_parts),
            ("attachments", attachments),
            ("report", report),
        ):
            await shoot(name, steps, FOLDER)
    finally:
        shutil.rmtree(FOLDER, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
