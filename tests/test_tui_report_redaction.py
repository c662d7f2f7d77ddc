"""F12 says in words whether the exports are REDACTED or NOT REDACTED before it writes
them, and writes them NOT REDACTED only once the person says yes: the box's tick alone
was misread, and an unredacted export was written when a redacted one was meant. Enter
in the folder moves on (it did nothing: Tab was needed)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static
from tui_helpers import hull_app, paste, settle

from irp_field.core.visit_file import VisitFile
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.screens.report import ReportScreen
from irp_field.tui.widgets.ticks import TickList

JSON_ONLY = ("space", "down", "space", "down", "space", "down", "down", "down", "space")


async def _report_screen(pilot, folder: Path) -> ReportScreen:  # type: ignore[no-untyped-def]
    """F12 with the folder typed, then only the JSON export picked."""
    await settle(pilot)
    await pilot.press("f12")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
    await paste(pilot, str(folder))
    await pilot.press("tab", *JSON_ONLY)
    assert screen.wanted() == ["export json"]
    return screen


def _said(screen: ReportScreen, name: str) -> str:
    return str(screen.query_one(f"#{name}", Static).render())


def _a_team_member(visit: Path) -> str:
    with VisitFile.open(visit, readonly=True) as opened:
        return str(opened.query("SELECT name FROM team_member WHERE deleted = 0")[0]["name"])


async def test_exports_not_redacted_are_written_only_after_yes(
    hull_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _report_screen(pilot, out)
        assert _said(screen, "redaction").startswith("Exports NOT REDACTED: they contain names")
        await pilot.press("ctrl+s")
        await settle(pilot)
        asked = app.screen
        assert isinstance(asked, ConfirmScreen)
        assert asked.question.startswith("The exports (hull.json) will be NOT REDACTED")
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and not screen.busy
        assert list(out.iterdir()) == []
        assert _said(screen, "written").startswith("Nothing written. Tick Redact the exports")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        written = _said(screen, "written")
        shown = [n.message for n in app._notifications]
    assert f"Wrote {out / 'hull.json'}, NOT REDACTED" in written
    assert "Wrote 1 of 1; the exports NOT REDACTED." in shown
    assert [p.name for p in out.iterdir()] == ["hull.json"]
    assert _a_team_member(hull_path) in (out / "hull.json").read_text(encoding="utf-8")


async def test_a_ticked_box_writes_a_redacted_export_and_says_so(
    hull_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _report_screen(pilot, out)
        await pilot.press("tab", "space")  # the Redact box
        await settle(pilot)
        assert _said(screen, "redaction").startswith("Exports REDACTED: names pseudonymised")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # nothing to ask
        written = _said(screen, "written")
        shown = [n.message for n in app._notifications]
    assert f"Wrote {out / 'hull-redacted.json'}, REDACTED" in written
    assert "Wrote 1 of 1; the exports REDACTED." in shown
    exported = (out / "hull-redacted.json").read_text(encoding="utf-8")
    assert '"team_member"' in exported and _a_team_member(hull_path) not in exported


async def test_enter_in_the_folder_moves_on_to_what_to_write(
    hull_path: Path, tmp_path: Path
) -> None:
    """Enter in the folder field goes on to the list of what to write (the next field),
    as Enter moves on in the app's forms; a folder that is not there keeps the cursor
    in the field and says so, before anything is picked or written."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        missing = tmp_path / "not made"
        await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
        await paste(pilot, str(missing))
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is screen.query_one("#folder", Input)
        said = f"Nothing written: {missing}: no such folder (ctrl+l changes it)."
        assert _said(screen, "written") == said
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(tmp_path))
        await pilot.press("enter")
        await settle(pilot)
        outputs = screen.query_one("#outputs", TickList)
        assert app.focused is outputs and outputs.highlighted == 0
    assert not missing.exists()  # a typo makes no stray folder


async def test_what_would_never_be_written_is_said_before_any_question(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    """The data folder's visits/ typed as the folder is refused at Enter, and an SQLite
    file where the SQLite export would go is refused before the replace and redaction
    questions (walked: visits/ was taken, "NOT REDACTED?" asked, then nothing written;
    the replace question named only the Word file, then the SQLite export was refused)."""
    import sqlite3

    visits = irp_home / "visits"
    visits.mkdir(exist_ok=True)
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
        await paste(pilot, str(visits))
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is screen.query_one("#folder", Input)
        assert "visits folder" in _said(screen, "written")
        old = tmp_path / f"{hull_path.stem}.sqlite"  # an old export: a SQLite file
        sqlite3.connect(old).close()
        old.write_bytes(old.read_bytes() or b"SQLite format 3\x00" + bytes(84))
        before = old.read_bytes()
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(tmp_path))
        await pilot.press("tab")
        await pilot.press("down", "down", "down", "space")  # the SQLite export too
        assert "export sqlite" in screen.wanted()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)  # no question to say yes to
        said = _said(screen, "written")
        assert said.startswith("Nothing written: ") and f"{old.name}: " in said
    assert old.read_bytes() == before
    assert not list(tmp_path.glob(f"{hull_path.stem}-report.*"))
