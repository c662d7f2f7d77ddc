"""The report screen: the stale warning first, then the report and exports in a folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, ProgressBar, Static
from tui_helpers import hull_app, paste, settle

from irp_field.core.visit_file import VisitFile
from irp_field.findings.sync import load
from irp_field.tui.dialogs.stale_choice import StaleChoiceScreen
from irp_field.tui.screens.report import ReportScreen


async def _open(pilot, out: Path) -> ReportScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f12")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
    await paste(pilot, str(out))
    await pilot.press("tab")
    return screen


async def test_the_report_and_redacted_exports_are_written_after_the_warning(
    hull_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = hull_app(hull_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, out)
        await pilot.press("down", "down", "down", "down", "space", "down", "space")  # csv, json
        await pilot.press("tab", "space")  # redact
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaleChoiceScreen)  # the Hull sample was never synced
        await pilot.press("w")  # write as is
        await settle(pilot)
        assert screen.query_one("#progress", ProgressBar).percentage == 1.0
        written = str(screen.query_one("#written", Static).render())
    for name in ("hull-report.md", "hull-report.html", "hull-report.docx", "hull-redacted.json"):
        assert f"Wrote {out / name}" in written
        assert (out / name).is_file()
    assert (out / "hull-redacted-csv").is_dir()
    markdown = (out / "hull-report.md").read_text()
    assert "Out of date:" in markdown and "Report on an independent review of progress" in markdown
    from docx import Document

    assert any(
        p.style.name.startswith("Heading")
        for p in Document(str(out / "hull-report.docx")).paragraphs
    )
    exported = (out / "hull-redacted.json").read_text()
    json.loads(exported)
    with VisitFile.open(hull_path, readonly=True) as visit:
        note = str(visit.query("SELECT text FROM note WHERE deleted = 0 LIMIT 1")[0]["text"])
    assert note and note not in exported


async def test_declining_the_stale_warning_writes_nothing(hull_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = hull_app(hull_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaleChoiceScreen)
        await pilot.press("c")
        await settle(pilot)
        assert "Nothing written" in str(screen.query_one("#written", Static).render())
    assert list(out.iterdir()) == []
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert load(visit).stale  # cancelling syncs nothing either


async def test_syncing_first_then_writing_gives_a_report_without_the_warning(
    hull_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert load(visit).stale
    app = hull_app(hull_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaleChoiceScreen)
        await pilot.press("s")  # sync first, then write
        await settle(pilot)
        assert app.screen is screen
        written = str(screen.query_one("#written", Static).render())
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert load(visit).stale == []
    markdown = (out / "hull-report.md").read_text()
    assert f"Wrote {out / 'hull-report.md'}" in written
    assert "Out of date:" not in markdown
    assert "Report on an independent review of progress" in markdown


async def test_a_missing_folder_is_refused_before_anything_is_synced(
    hull_path: Path, tmp_path: Path
) -> None:
    """It used to sync every paragraph (the s of the warning), fill the progress bar and
    then say "no such folder" once per file."""
    out = tmp_path / "not made"
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # no warning to answer: nothing will be written
        written = str(screen.query_one("#written", Static).render())
        assert written == f"Nothing written: {out}: no such folder (ctrl+l changes it)."
        assert screen.query_one("#progress", ProgressBar).percentage is None
        assert not screen.busy
    assert not out.exists()
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert load(visit).stale  # nothing synced either


async def test_a_folder_corrected_after_a_refusal_clears_it(
    hull_path: Path, tmp_path: Path
) -> None:
    """Walking: a mistyped folder was refused on Enter; corrected, Enter moved on, but
    "no such folder" stayed on the screen, and a second Enter (to try again) unticked
    the Markdown report."""
    wrong, right = tmp_path / "reportz", tmp_path / "report"
    right.mkdir()
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, wrong)
        await pilot.press("shift+tab", "enter")  # Enter in the folder
        await settle(pilot)
        assert "no such folder" in str(screen.query_one("#written", Static).render())
        picked = screen.wanted()
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(right))
        await pilot.press("enter")
        await settle(pilot)
        said = str(screen.query_one("#written", Static).render())
        assert "Nothing written" not in said and said.startswith(f"Into {right}.")
        assert screen.focused is screen.query_one("#outputs")
        assert screen.wanted() == picked


async def test_a_folder_corrected_after_a_refusal_takes_the_refusal_off_the_header(
    hull_path: Path, tmp_path: Path
) -> None:
    """Walking at 80x24: ctrl+l, a mistyped folder, Enter: "no such folder" on the
    header's line; corrected, Enter: the screen said "Into ..." while the header still
    said "no such folder" until its ten seconds ran out."""
    wrong, right = tmp_path / "reportz", tmp_path / "report"
    right.mkdir()
    app = hull_app(hull_path)

    def said() -> list[str]:
        return [str(notification.message) for notification in app._notifications]

    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, wrong)
        await pilot.press("shift+tab", "enter")  # Enter in the folder
        await settle(pilot)
        assert any("no such folder" in message for message in said())
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(right))
        await pilot.press("enter")
        await settle(pilot)
        assert str(screen.query_one("#written", Static).render()).startswith(f"Into {right}.")
        assert not any("no such folder" in message for message in said())
        # refused again (by ctrl+s this time), then written: the refusal goes too
        await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
        await paste(pilot, str(wrong))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("no such folder" in message for message in said())
        await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
        await paste(pilot, str(right))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not any("no such folder" in message for message in said())


async def test_an_empty_folder_is_refused_not_taken_as_the_working_folder(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Walking in tmux: ctrl+l, the folder cleared, ctrl+s wrote the report into the
    folder the app was started from, where nobody would look for it."""
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await pilot.press("ctrl+l", "ctrl+a", "ctrl+k", "tab")
        assert screen.query_one("#folder", Input).value == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        written = str(screen.query_one("#written", Static).render())
        assert written == "Nothing written: type the folder to write into (ctrl+l)."
        assert not screen.busy
    assert sorted(tmp_path.iterdir()) == before


async def test_the_stale_warning_names_the_keys_of_the_app(hull_path: Path, tmp_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, tmp_path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaleChoiceScreen)
        assert "Out of date:" in app.screen.warning
        assert "irp-field sync" not in app.screen.warning  # a command, in the app
        assert "ctrl+g" in app.screen.warning
        await pilot.press("c")
