"""Every form that holds typed values keeps them while another program holds the visit
file: saved under the lock, a record waits (on screen, and in the kept file) and
arrives by itself once the lock goes. Time out of cell, set-up, F7's paragraph editor,
F11's report parts, F8's reasons, a new round's dialog and a sample's draw here; the note editor, the roll check and sampling in
``test_tui_kept_typing.py``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from kept_helpers import kept_entries, kept_file, lock, one, private, release, until
from textual.pilot import Pilot
from textual.widgets import DataTable, Select
from tui_helpers import PARAGRAPH, hull_app, settle, type_a_paragraph, type_a_summary_paragraph

from irp_field.core.visit_file import VisitFile
from irp_field.evidence import reads


async def type_a_period(pilot: Pilot[None]) -> None:
    await pilot.press("f6")
    await settle(pilot)
    await pilot.press(*"C99", "enter")
    await pilot.press("enter")  # the day: the visit's, filled in
    await pilot.press(*"Unemployed", "enter", *"09:00", "enter", *"10:30", "enter", *"gym")


async def type_a_location(pilot: Pilot[None]) -> None:
    await pilot.app.run_action("switch_mode('setup')")
    await settle(pilot)
    pilot.app.screen.show_kind("locations")  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press(*"Z wing", "enter", "enter", *"40")


FORMS: dict[str, tuple[Callable[[Pilot[None]], Awaitable[None]], str, tuple[str, ...], str]] = {
    # form: (type it, the count of what it saves, its parameters, the kept entry's kind)
    "time out of cell": (
        type_a_period,
        "SELECT COUNT(*) FROM toc_period WHERE deleted = 0 AND subject = ?",
        ("C99",),
        "period",
    ),
    "set-up": (
        type_a_location,
        "SELECT COUNT(*) FROM location WHERE deleted = 0 AND name = ?",
        ("Z wing",),
        "setup",
    ),
    "findings paragraph": (
        type_a_paragraph,
        "SELECT COUNT(*) FROM finding WHERE deleted = 0 AND text = ?",
        (PARAGRAPH,),
        "paragraph",
    ),
    "report part": (
        type_a_summary_paragraph,
        "SELECT COUNT(*) FROM report_paragraph WHERE deleted = 0 AND text = ?",
        (PARAGRAPH,),
        "report_part",
    ),
}


@pytest.mark.parametrize("form", FORMS)
async def test_a_form_saved_under_the_lock_is_kept_and_arrives_once_the_lock_goes(
    hull_path: Path, form: str
) -> None:
    type_it, count, params, kind = FORMS[form]
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_it(pilot)
        await settle(pilot)
        other = lock(hull_path)
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.is_running
            [entry] = kept_entries(hull_path)
            assert entry["kind"] == kind
            assert private(kept_file(hull_path))
            assert one(hull_path, count, params) == 0
        finally:
            release(other)
        await until(pilot, lambda: one(hull_path, count, params) == 1, f"the {form} arrives")
    assert one(hull_path, count, params) == 1  # once
    assert not kept_file(hull_path).exists()


async def test_a_judgements_reason_typed_under_the_lock_is_kept_and_arrives(
    hull_path: Path,
) -> None:
    """F8's reason is typed text too: Enter under the lock keeps it, and it arrives."""
    app = hull_app(hull_path)
    reason = "Work on the regime had not started by the time of our visit."
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        app.screen.query_one("#units", DataTable).focus()
        await pilot.press("4")  # 1.33 judged Good, while the file is free
        await settle(pilot)
        assert judged(hull_path, "1.33") == ("good", "")
        await pilot.press("ctrl+w", "ctrl+a", "ctrl+k", *reason)
        other = lock(hull_path)
        try:
            await pilot.press("enter")
            await settle(pilot)
            assert app.is_running
            [entry] = kept_entries(hull_path)
            assert entry["kind"] == "judgement"
            assert private(kept_file(hull_path))
            assert judged(hull_path, "1.33") == ("good", "")
        finally:
            release(other)
        await until(pilot, lambda: judged(hull_path, "1.33")[1] == reason, "the reason arrives")
    assert judged(hull_path, "1.33") == ("good", reason)
    assert not kept_file(hull_path).exists()


def judged(path: Path, unit: str) -> tuple[str, str]:
    with VisitFile.open(path, readonly=True) as visit:
        found = reads.judgements(visit)[unit]
        return found.level, found.why


async def test_a_round_named_under_the_lock_is_kept_and_arrives_once_the_lock_goes(
    hull_path: Path,
) -> None:
    """A new round's name, day and time (ctrl+n on F3) are typed values too: Enter under
    the lock closes the dialog with the round waiting (kept, and F3 on it by its name),
    and the round starts once the lock goes; it used to be lost with the dialog."""
    from irp_field.tui.dialogs.round_dialog import RoundDialog

    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, RoundDialog)
        other = lock(hull_path)
        try:
            await pilot.press(*"Tue eve", "enter", *"2022-03-15", "enter", *"19:00", "enter")
            await settle(pilot)
            assert app.is_running and not isinstance(app.screen, RoundDialog)
            [entry] = kept_entries(hull_path)
            assert entry["kind"] == "roll_round"
            assert private(kept_file(hull_path))
            assert one(hull_path, ROUNDS, ("Tue eve",)) == 0
            assert app.screen.query_one("#round", Select).value == "new:Tue eve"
        finally:
            release(other)
        await until(pilot, lambda: one(hull_path, ROUNDS, ("Tue eve",)) == 1, "the round starts")
        await settle(pilot)
    with VisitFile.open(hull_path, readonly=True) as visit:
        row = visit.one("SELECT on_date, at_time FROM roll_round WHERE name = 'Tue eve'")
        assert row is not None and (row["on_date"], row["at_time"]) == ("2022-03-15", "19:00")
    assert not kept_file(hull_path).exists()


ROUNDS = "SELECT COUNT(*) FROM roll_round WHERE deleted = 0 AND name = ?"


async def test_a_sample_drawn_under_the_lock_is_kept_and_drawn_once_the_lock_goes(
    hull_path: Path,
) -> None:
    """The draw dialog's values (frame, sizes, seed, criteria) under the lock: the dialog
    closes with the draw kept, and the same sample (its seed) is drawn once the file is
    free; it used to stay on a dialog that Escape or ctrl+q dropped."""
    from textual.widgets import Input

    from irp_field.tui.dialogs.sample_dialogs import DrawSampleScreen

    app = hull_app(hull_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, DrawSampleScreen)
        await pilot.press(*"ACCT documents", "enter", "enter", *"50", "enter", *"4", "enter")
        app.screen.query_one("#seed", Input).value = ""
        other = lock(hull_path)
        try:
            await pilot.press(*"1234", "enter", *"Reviewed on time; Care map", "enter")
            await settle(pilot)
            assert app.is_running and not isinstance(app.screen, DrawSampleScreen)
            [entry] = kept_entries(hull_path)
            assert entry["kind"] == "sample_drawn"
            assert private(kept_file(hull_path))
            assert one(hull_path, FRAMES, ("ACCT documents",)) == 0
        finally:
            release(other)
        await until(pilot, lambda: one(hull_path, FRAMES, ("ACCT documents",)) == 1, "the draw")
    with VisitFile.open(hull_path, readonly=True) as visit:
        frame = visit.one("SELECT id, seed FROM sample_frame WHERE name = 'ACCT documents'")
        assert frame is not None and frame["seed"] == "1234"
        drawn = visit.one("SELECT COUNT(*) FROM sample_record WHERE frame_id = ?", (frame["id"],))
        assert drawn is not None and drawn[0] == 4
    assert not kept_file(hull_path).exists()


FRAMES = "SELECT COUNT(*) FROM sample_frame WHERE deleted = 0 AND name = ?"


async def test_a_photograph_attached_under_the_lock_is_kept_and_attached_once_free(
    hull_path: Path,
) -> None:
    """The attachments dialog's path and caption under the lock: kept (with the screen
    beneath), the fields cleared with a line saying so, and the picture attached with its
    caption once the file is free; it used to stay in fields that Escape dropped."""
    from textual.widgets import Input, Static

    from irp_field.interchange import samples
    from irp_field.tui.dialogs.attachments import AttachmentsScreen

    photo = samples.sample_bundle() / "attachments" / "segregation-unit-exercise-bicycles.png"
    app = hull_app(hull_path, user="Sara Pennington")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        app.screen.query_one("#paragraphs", DataTable).focus()
        await pilot.press("down", "f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AttachmentsScreen)
        dialog.query_one("#path", Input).value = str(photo)
        dialog.query_one("#caption", Input).value = "The exercise yard's bicycles"
        other = lock(hull_path)
        try:
            dialog.action_attach()
            await settle(pilot)
            [entry] = kept_entries(hull_path)
            assert entry["kind"] == "attachment"
            assert private(kept_file(hull_path))
            assert "waits, kept" in str(dialog.query_one("#reason", Static).render())
            assert one(hull_path, CAPTIONS, ("The exercise yard's bicycles",)) == 0
            await pilot.press("escape")  # closing the dialog loses nothing now
            await settle(pilot)
        finally:
            release(other)
        await until(
            pilot, lambda: one(hull_path, CAPTIONS, ("The exercise yard's bicycles",)) == 1, "it"
        )
    assert not kept_file(hull_path).exists()


CAPTIONS = "SELECT COUNT(*) FROM attachment WHERE deleted = 0 AND caption = ?"
