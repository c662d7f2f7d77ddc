"""The report parts screen (F11) and the attachments dialog, driven by keys with Pilot,
asserting on the visit file: what is saved, what is refused, and that a file is opened
with the viewer only through the guarded function (never started in a test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static, TextArea
from tui_helpers import hull_app, paste, settle

from irp_field.api import attachments
from irp_field.core.visit_file import VisitFile
from irp_field.interchange import samples
from irp_field.tui.dialogs.attachments import AttachmentsScreen
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.screens.report_parts import ReportPartsScreen
from irp_field.tui.widgets.path_field import complete_path

PHOTO = samples.sample_bundle() / "attachments" / "segregation-unit-exercise-bicycles.png"


async def _open(pilot: Any) -> ReportPartsScreen:
    await settle(pilot)
    await pilot.press("f11")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportPartsScreen)
    return screen


async def _go_to(pilot: Any, screen: ReportPartsScreen, row_key: str) -> None:
    table = screen.query_one("#parts", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(row_key))
    await pilot.pause()


def _one(path: Path, sql: str, *params: object) -> Any:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.one(sql, params)
        return None if row is None else row[0]


async def test_every_part_is_listed_and_a_summary_paragraph_is_edited(hull_path: Path) -> None:
    app = hull_app(hull_path, user="Sara Pennington")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        table = screen.query_one("#parts", DataTable)
        labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert labels[1:10] == [f"*1.{n}" for n in range(1, 10)]  # *: never synced
        assert "signature_name" in labels and "back_page" in labels
        assert labels.count("Glossary") == 7 and labels.count("Figure 1, 2021") == 4
        await pilot.press("down", "down", "enter")  # 1.2
        editor = screen.query_one("#editor", TextArea)
        assert editor.text.startswith("At our previous inspections of {{ visit.establishment }}")
        await pilot.press(*" Locked up: {{ roll.pct_locked_up }}.")
        assert "Locked up: 40%." in str(screen.query_one("#preview", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    text = _one(hull_path, "SELECT text FROM report_paragraph WHERE text LIKE 'At our previous%'")
    assert text.endswith("outcomes for prisoners. Locked up: {{ roll.pct_locked_up }}.")


async def test_a_summary_paragraph_saved_here_is_in_step_with_its_figures(
    hull_path: Path,
) -> None:
    """Walking it: saving a summary paragraph on F11 marked it out of date at once (F7
    syncs a paragraph it saves), so sync --check failed and F12 asked about it."""
    from irp_field.findings.sync import load

    app = hull_app(hull_path, user="Sara Pennington")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("down", "down", "enter")  # 1.2
        await pilot.press(*" Locked up: {{ roll.pct_locked_up }}.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = screen.query_one("#parts", DataTable)
        labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert " 1.2" in labels and "*1.2" not in labels  # * marks one out of date
    with VisitFile.open(hull_path, readonly=True) as visit:
        stale = [p.paragraph.number for p in load(visit).stale]
    assert "1.2" not in stale


async def test_a_long_summary_paragraph_s_preview_is_read_to_its_end_at_80x24(
    hull_path: Path,
) -> None:
    """The preview kept to four lines and cut the rest: a long summary paragraph's end
    could not be seen at 80x24. It scrolls, as F7's does."""
    from irp_field.tui.widgets.shown_whole import ShownWhole

    app = hull_app(hull_path, user="Sara Pennington")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("down", "enter")  # 1.1, a long paragraph
        await pilot.press(*" The end is Zanzibar.")
        await settle(pilot)
        whole = screen.query_one("#whole", ShownWhole)
        assert whole.max_scroll_y > 0  # longer than the four lines shown
        await pilot.press("tab")  # from the editor to the preview
        assert whole.has_focus
        await pilot.press("end")
        assert whole.scroll_y == whole.max_scroll_y
        assert "Zanzibar" in app.export_screenshot()


async def test_new_terms_and_outcomes_and_a_refusal(hull_path: Path) -> None:
    app = hull_app(hull_path, user="Sara Pennington")
    shown: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        screen.notify = lambda message, **_: shown.append(str(message))  # type: ignore[method-assign]
        await _go_to(pilot, screen, "group:term")
        await pilot.press("ctrl+n", *"Mandatory drug testing (MDT)", "enter", *"Random tests.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _go_to(pilot, screen, "group:outcome")
        await pilot.press("ctrl+n", *"2016, Safety, Excellent", "ctrl+s")
        await settle(pilot)
        assert any("unknown judgement 'Excellent'" in m for m in shown), shown
        editor = screen.query_one("#editor", TextArea)
        editor.load_text("2016, Safety, Good")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _one(hull_path, "SELECT definition FROM glossary_term WHERE term LIKE 'Mandatory%'") == (
        "Random tests."
    )
    assert _one(hull_path, "SELECT judgement FROM previous_outcome WHERE year = '2016'") == "Good"


async def test_a_standing_text_goes_back_to_its_default_after_asking(hull_path: Path) -> None:
    app = hull_app(hull_path, user="Sara Pennington")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await _go_to(pilot, screen, "part:back_page")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "back_page back to the text irp-field ships" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        row = screen.query_one("#parts", DataTable).get_row("part:back_page")
        assert str(row[1]).startswith("(default) Copyright 2022 This report")  # as printed
    assert _one(hull_path, "SELECT deleted FROM report_part WHERE key = 'back_page'") == 1


async def test_a_photograph_is_attached_to_a_finding_and_opened_with_the_viewer(
    hull_path: Path, tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(attachments, "open_in_viewer", opened.append)
    fake = tmp_path / "fake.jpg"
    fake.write_text("not a photograph")
    app = hull_app(hull_path, user="Sara Pennington")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        paragraphs = app.screen.query_one("#paragraphs", DataTable)
        paragraphs.focus()
        await pilot.press("down", "f")  # 3.2
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AttachmentsScreen)
        assert "paragraph 3.2" in dialog.target.label
        await paste(pilot, str(fake))
        await pilot.press("enter", "enter")
        await pilot.pause()
        reason = str(dialog.query_one("#reason", Static).render())
        assert "fake.jpg is not a JPEG or PNG photograph" in reason
        dialog.query_one("#path", Input).value = ""
        dialog.query_one("#path", Input).focus()
        await pilot.press(*f"{PHOTO.parent}/segregation-unit-exer")
        await pilot.pause(0.2)
        await pilot.press("right")  # takes the rest of the name offered
        assert dialog.query_one("#path", Input).value == str(PHOTO)
        await pilot.press("enter", *"The workshops", "enter")
        await pilot.pause()
        files = dialog.query_one("#files", DataTable)
        assert [str(c) for c in files.get_row_at(0)] == [
            "photograph (PNG)",
            "3 KB",
            "The workshops",
            "segregation-unit-exercise-bicycles.png",
        ]
        await pilot.press("o")
        assert opened and opened[0].read_bytes() == PHOTO.read_bytes()
        # in the data folder's tmp/, never the system's shared temporary folder
        assert irp_home / "tmp" in opened[0].parents
        await pilot.press("escape")
    assert _one(hull_path, "SELECT caption FROM attachment WHERE caption = 'The workshops'")
    # the copy made for the viewer is not left behind (found walking: /tmp kept them)
    assert not opened[0].exists() and not opened[0].parent.exists()


async def test_notes_and_sampled_records_take_attachments_too(hull_path: Path) -> None:
    app = hull_app(hull_path, user="Sara Pennington")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        app.screen.query_one("#notes", DataTable).focus()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, AttachmentsScreen)
        assert app.screen.target.label.startswith("the note by ")
        await pilot.press("escape", "f5")
        await settle(pilot)
        app.screen.query_one("#grid", DataTable).focus()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, AttachmentsScreen)
        assert app.screen.target.frame and app.screen.target.label.startswith("record ")


def test_the_path_field_completes_names_from_the_folder(tmp_path: Path) -> None:
    (tmp_path / "bikes.png").write_bytes(b"")
    (tmp_path / "bike-shed").mkdir()
    (tmp_path / ".hidden.png").write_bytes(b"")
    assert complete_path(f"{tmp_path}/bik") == f"{tmp_path}/bike-shed/"
    assert complete_path(f"{tmp_path}/bikes") == f"{tmp_path}/bikes.png"
    assert complete_path(f"{tmp_path}/bikes.png") is None  # nothing left to add
    assert complete_path(f"{tmp_path}/h") is None  # hidden files only when asked for
    assert complete_path(f"{tmp_path}/.h") == f"{tmp_path}/.hidden.png"
    assert complete_path(f"{tmp_path}/nowhere/x") is None
    assert complete_path("") is None
