"""F12 applies the command line's rule for where an output may go (``core.destinations``):
a file already in the folder is replaced only after a question, a visit never; a writer
that fails is a line on the screen, never the end of the app; and a crash of the app
never exits 0."""

from __future__ import annotations

import shutil
from functools import partialmethod
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static
from tui_helpers import hold_still, hull_app, paste, settle

from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.tui.app import IrpApp
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.dialogs.stale_choice import StaleChoiceScreen
from irp_field.tui.screens.report import ReportScreen


async def _open(pilot, folder: Path) -> ReportScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f12")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
    await paste(pilot, str(folder))
    await pilot.press("tab")
    return screen


def _notes(visit: Path) -> list[str]:
    with VisitFile.open(visit, readonly=True) as opened:
        return [str(r["text"]) for r in opened.query("SELECT text FROM note ORDER BY id")]


def _written(screen: ReportScreen) -> str:
    return str(screen.query_one("#written", Static).render())


async def test_a_report_already_in_the_folder_is_replaced_only_after_y(
    hull_path: Path, tmp_path: Path
) -> None:
    """It used to say "already exists; choose another folder" every evening; now the
    question comes first: n writes nothing, y replaces it (with the other reports). The
    out-of-date question comes before it (it changes what is written; it came last)."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "hull-report.md").write_text("yesterday's report", encoding="utf-8")
    app = hull_app(hull_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, folder)  # the three reports are picked
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaleChoiceScreen)  # the question that matters, first
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == f"hull-report.md is already in {folder}. Replace it?"
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and not screen.busy
        assert _written(screen) == (
            f"Nothing written: hull-report.md already in {folder}; choose another folder."
        )
        assert [p.name for p in folder.iterdir()] == ["hull-report.md"]
        assert (folder / "hull-report.md").read_text() == "yesterday's report"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        written = _written(screen)
    for name in ("hull-report.md", "hull-report.html", "hull-report.docx"):
        assert f"Wrote {folder / name}" in written
    assert (folder / "hull-report.md").read_text().startswith("# Report on an independent")
    assert sorted(p.name for p in folder.iterdir()) == [
        "hull-report.docx",
        "hull-report.html",
        "hull-report.md",
    ]


# Markdown, HTML and Word are picked at the start; then SQLite, CSV, JSON and Excel.
EVERY_EXPORT_BUT_THE_BUNDLE = ("down", "down", "down", "space", *("down", "space") * 3)
EVENING = [
    "hull-report.md",
    "hull-report.html",
    "hull-report.docx",
    "hull.sqlite",
    "hull.metadata.json",
    "hull-csv",
    "hull.json",
    "hull.xlsx",
]


async def _questions_then_written(pilot: Pilot[None], screen: ReportScreen) -> list[str]:
    """ctrl+s, every question answered as a team leader answers it (write as is, not
    redacted, replace); the questions' kinds in the order asked."""
    asked = []
    await pilot.press("ctrl+s")
    await settle(pilot)
    while pilot.app.screen is not screen:
        question = pilot.app.screen
        if isinstance(question, StaleChoiceScreen):
            asked.append("out of date")
            await pilot.press("w")
        else:
            assert isinstance(question, ConfirmScreen)
            asked.append("replace" if "Replace" in question.question else "not redacted")
            if "Replace" in question.question:
                named = question.question.split(" are already in ")[0]
                assert named == ", ".join(EVENING)  # each by name, the metadata too
            await pilot.press("y")
        await settle(pilot)
    return asked


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_evening_rerun_replaces_what_f12_wrote_after_one_question(
    hull_path: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    """Walked: F12's second run into the same folder was refused whole ("hull.sqlite: is
    an SQLite database... hull-csv: already exists and is not an empty folder"); with
    those unticked, it asked not redacted? replace? then out of date?, the one that
    matters last. Now the questions come out of date first, and the one replace question
    names every output F12 wrote there, the SQLite export and the CSV folder too."""
    folder = tmp_path / "out"
    folder.mkdir()
    app = hull_app(hull_path)
    async with app.run_test(size=size) as pilot:
        screen = await _open(pilot, folder)
        await pilot.press(*EVERY_EXPORT_BUT_THE_BUNDLE)
        assert len(screen.wanted()) == 7
        assert await _questions_then_written(pilot, screen) == ["out of date", "not redacted"]
        assert sorted(p.name for p in folder.iterdir()) == sorted(EVENING)
        (folder / "hull-report.md").write_text("the morning's report", encoding="utf-8")
        asked = await _questions_then_written(pilot, screen)
        written = _written(screen)
        shown = [n.message for n in app._notifications]
    assert asked == ["out of date", "not redacted", "replace"]
    assert "Wrote 7 of 7; the exports NOT REDACTED." in shown
    assert "Not written" not in written
    assert sorted(p.name for p in folder.iterdir()) == sorted(EVENING)
    assert (folder / "hull-report.md").read_text().startswith("# Report on an independent")
    assert (folder / "hull-csv" / "datapackage.json").is_file()


async def test_an_export_that_would_be_the_open_visit_is_refused_without_a_question(
    hull_path: Path, tmp_path: Path
) -> None:
    """A visit named hull.sqlite: F12's SQLite export of it is hull.sqlite beside it."""
    visit = tmp_path / "hull.sqlite"
    shutil.move(hull_path, visit)
    before = _notes(visit)
    app = hull_app(visit)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, tmp_path)
        # the reports off, the SQLite export on
        await pilot.press("space", "down", "space", "down", "space", "down", "space")
        assert screen.wanted() == ["export sqlite"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        # No question at all: a visit is never replaced, so nothing is asked (not even
        # the export's redaction) before saying so.
        assert app.screen is screen and not isinstance(app.screen, ConfirmScreen)
        written = _written(screen)
    assert written.startswith(f"Nothing written: {visit.name}: is the visit being read")
    assert _notes(visit) == before  # still the visit (the app itself writes to it: not equal bytes)
    assert not (tmp_path / "hull.metadata.json").exists()


async def test_a_writer_that_fails_is_said_on_the_screen_and_the_app_stays_up(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picture python-docx could not read ended the whole UI with a traceback (and exit
    code 0); now the other outputs are written and the failure is one line."""

    def fails(*_args: object, **_kwargs: object) -> None:
        raise ValueError("All strings must be XML compatible")

    monkeypatch.setattr("irp_field.report.word.write", fails)
    folder = tmp_path / "out"
    folder.mkdir()
    app = hull_app(hull_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, folder)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("w")  # write as is
        await settle(pilot)
        assert app.is_running and app.screen is screen and not screen.busy
        written = _written(screen)
        shown = [(n.message, n.severity) for n in app._notifications]
    docx = folder / "hull-report.docx"
    assert f"Not written: {docx}: unexpected ValueError: All strings must be XML compatible" in (
        written
    )
    assert f"Wrote {folder / 'hull-report.md'}" in written
    assert (
        "Wrote 2 of 3. Not written: hull-report.docx: unexpected ValueError: All strings must "
        "be XML compatible",
        "error",
    ) in shown
    assert sorted(p.name for p in folder.iterdir()) == ["hull-report.html", "hull-report.md"]


# A crash inside on_mount leaves Textual's Header with a coroutine it never awaited.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
@pytest.mark.parametrize(("greeting", "code"), [("crash", 1), ("quit", 0)], ids=["crash", "quit"])
def test_a_crash_of_the_app_never_exits_0(
    hull_path: Path, monkeypatch: pytest.MonkeyPatch, greeting: str, code: int
) -> None:
    """``irp-field open`` ran the app and exited 0 whatever became of it: a traceback on
    the screen and a success to the shell (and to a script that runs it)."""

    def greet(self: IrpApp) -> None:
        raise RuntimeError("a bug in a screen")

    async def then_quit(pilot: Pilot[None]) -> None:
        await hold_still(pilot)  # the overview painted, its workers done
        await pilot.press("ctrl+q")

    monkeypatch.setattr(IrpApp, "run", partialmethod(App.run, headless=True, auto_pilot=then_quit))
    if greeting == "crash":
        monkeypatch.setattr(IrpApp, "_greet", greet)
    result = CliRunner().invoke(main, ["open", str(hull_path), "--by", "Jade Richards"])
    assert result.exit_code == code, result.output
    said = "Error: the terminal UI stopped on an unexpected error (above)."
    assert (said in result.stderr) == (greeting == "crash")


async def test_a_visit_in_the_data_folder_is_offered_a_folder_it_may_write_to(
    hull_path: Path, irp_home: Path
) -> None:
    """F12 used to offer the visit's own folder: for a visit kept in the data folder that
    is ``visits/``, where nothing but visits may be written, so ctrl+s refused every
    report. It offers the data folder's ``outputs/`` (the documents folder on a laptop)."""
    kept = irp_home / "visits" / "hull.db"
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(hull_path, kept)
    app = hull_app(kept)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        from textual.widgets import Input

        offered = Path(screen.query_one("#folder", Input).value)
        assert offered == irp_home / "outputs" and offered.is_dir()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaleChoiceScreen)
        await pilot.press("w")
        await settle(pilot)
        assert f"Wrote {offered / 'hull-report.md'}" in _written(screen)
    assert sorted(p.name for p in (irp_home / "visits").iterdir()) == ["hull.db"]
