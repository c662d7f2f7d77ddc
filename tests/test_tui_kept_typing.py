"""Typed text is never lost while another program holds the visit file's write lock.

Each test builds the lock itself (a second sqlite3 connection's ``BEGIN EXCLUSIVE``, as a
merge in another window or a script holds it), types, and releases it later; what it
asserts is what the visit file and the kept file (``hull.db.unsaved.json``) hold. Waits
are bounded polls of the files' state, never of the clock.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kept_helpers import (
    drafts_with,
    kept_entries,
    kept_file,
    lock,
    one,
    private,
    release,
    showing,
    until,
)
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea
from tui_helpers import EVENING, hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.tui.screens.note_editor import NoteEditorScreen
from irp_field.tui.screens.sampling import SamplingScreen

TEXT = "Seen on B wing while the master merged: two cells without call bells."


async def type_a_note(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("f4")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NoteEditorScreen)


# -- the note editor -------------------------------------------------------------------


async def test_a_note_typed_under_the_lock_is_kept_in_a_private_file_until_it_is_saved(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path, draft_pause=0.05, draft_every=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_a_note(pilot)
        other = lock(hull_path)
        try:
            app.screen.query_one(TextArea).insert(TEXT)
            # a crash now would lose nothing: the text is in a file of the owner's only
            await until(pilot, lambda: TEXT in str(kept_entries(hull_path)), "kept in a file")
            assert private(kept_file(hull_path))
            assert "not saved yet" in app.sub_title
        finally:
            release(other)
        await until(pilot, lambda: drafts_with(hull_path, TEXT) == 1, "the draft arrives")
        await until(pilot, lambda: not kept_file(hull_path).exists(), "the kept file goes")
        assert "not saved yet" not in app.sub_title


async def test_escape_under_the_lock_asks_and_waiting_keeps_the_note_until_it_is_saved(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path, draft_pause=0.05, draft_every=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_a_note(pilot)
        other = lock(hull_path)
        try:
            app.screen.query_one(TextArea).insert(TEXT)
            await until(pilot, lambda: bool(kept_entries(hull_path)), "kept in a file")
            await pilot.press("escape")
            await settle(pilot)
            assert showing(app, "UnsavedScreen")  # it asks; it used to close
            await pilot.press("w")
            await settle(pilot)
            assert isinstance(app.screen, NoteEditorScreen)  # still typing
            assert app.screen.query_one(TextArea).text == TEXT
        finally:
            release(other)
        await until(pilot, lambda: drafts_with(hull_path, TEXT) == 1, "the draft arrives")
        await pilot.press("escape")  # the file is free: back to the notes at once
        await settle(pilot)
        assert not showing(app, "NoteEditorScreen") and not showing(app, "UnsavedScreen")
    assert not kept_file(hull_path).exists()


async def test_a_note_saved_with_ctrl_s_under_the_lock_is_saved_as_a_note_once_free(
    hull_path: Path,
) -> None:
    """ctrl+s while the file is held: the note itself waits (not only its draft), is
    kept in the file meanwhile, and is saved by itself once the lock goes; the editor
    then closes as after any save (walked: the draft arrived, the note never did)."""
    notes = "SELECT COUNT(*) FROM note WHERE deleted = 0 AND text = ?"
    app = hull_app(hull_path, draft_pause=0.05, draft_every=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_a_note(pilot)
        app.screen.query_one(TextArea).insert(TEXT)
        await settle(pilot)
        other = lock(hull_path)
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, NoteEditorScreen)  # still open, still typed
            await until(
                pilot,
                lambda: any(e["kind"] == "note" for e in kept_entries(hull_path)),
                "the note is kept in a file",
            )
            assert one(hull_path, notes, (TEXT,)) == 0
        finally:
            release(other)
        await until(pilot, lambda: one(hull_path, notes, (TEXT,)) == 1, "the note arrives")
        await until(pilot, lambda: not showing(app, "NoteEditorScreen"), "the editor closes")
    assert one(hull_path, notes, (TEXT,)) == 1  # once
    assert drafts_with(hull_path, TEXT) == 0  # its draft went with it
    assert not kept_file(hull_path).exists()


async def test_keep_as_a_file_on_escape_then_opening_again_offers_the_note_back(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path, draft_pause=0.05, draft_every=0.1)
    other = lock(hull_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await type_a_note(pilot)
            app.screen.query_one(TextArea).insert(TEXT)
            await until(pilot, lambda: bool(kept_entries(hull_path)), "kept in a file")
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("k")
            await settle(pilot)
            assert not showing(app, "NoteEditorScreen") and not showing(
                app, "UnsavedScreen"
            )  # closed
        # the app ends with the lock still held: the text is in the file, and only there
        assert private(kept_file(hull_path))
        [entry] = kept_entries(hull_path)
        assert entry["kind"] == "note_draft" and entry["args"]["text"] == TEXT  # type: ignore[index]
    finally:
        release(other)
    assert drafts_with(hull_path, TEXT) == 0

    again = hull_app(hull_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(again, "KeptScreen"), "the offer")
        await pilot.press("enter")  # put it back where it came from: the note's draft
        await until(pilot, lambda: isinstance(again.screen, NoteEditorScreen), "the editor")
        assert again.screen.query_one(TextArea).text == TEXT
        assert drafts_with(hull_path, TEXT) == 1
        assert not kept_file(hull_path).exists()


async def test_ctrl_q_under_the_lock_asks_and_discard_drops_the_text_only_when_asked(
    hull_path: Path,
) -> None:
    app = hull_app(hull_path, draft_pause=0.05, draft_every=0.1)
    other = lock(hull_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await type_a_note(pilot)
            app.screen.query_one(TextArea).insert(TEXT)
            await until(pilot, lambda: bool(kept_entries(hull_path)), "kept in a file")
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert app.is_running and showing(app, "UnsavedScreen")  # it asks
            await pilot.press("escape")  # Escape is "wait": nothing goes
            await settle(pilot)
            assert app.is_running and isinstance(app.screen, NoteEditorScreen)
            assert TEXT in str(kept_entries(hull_path))
            await pilot.press("ctrl+q")
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
        assert not app.is_running
    finally:
        release(other)
    assert not kept_file(hull_path).exists()
    assert drafts_with(hull_path, TEXT) == 0

    # Without a lock, ctrl+q asks nothing and the draft is kept, as it always was.
    app = hull_app(hull_path, draft_pause=60, draft_every=60)  # no timer saves it first
    async with app.run_test(size=(80, 24)) as pilot:
        await type_a_note(pilot)
        app.screen.query_one(TextArea).insert(TEXT)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert not app.is_running
    assert drafts_with(hull_path, TEXT) == 1
    assert not kept_file(hull_path).exists()


# -- the forms -------------------------------------------------------------------------


async def type_a_roll_check(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    for value in ("100", "40", "20", "10", "25"):
        await pilot.press(*value, "enter")
    await pilot.press("5")


def checks(path: Path) -> int:
    return int(one(path, "SELECT COUNT(*) FROM roll_check WHERE deleted = 0"))  # type: ignore[arg-type]


async def test_a_roll_check_saved_under_the_lock_arrives_by_itself_once_the_lock_goes(
    hull_path: Path,
) -> None:
    before = checks(hull_path)
    app = hull_app(hull_path, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_a_roll_check(pilot)
        other = lock(hull_path)
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen.query_one("#roll", Input).value == "100"  # still on screen
            [entry] = kept_entries(hull_path)
            assert entry["kind"] == "roll_check"
            assert entry["args"]["counts"]["roll"] == 100  # type: ignore[index]
            assert private(kept_file(hull_path))
        finally:
            release(other)
        await until(pilot, lambda: checks(hull_path) == before + 1, "the check arrives")
        await until(pilot, lambda: app.screen.query_one("#roll", Input).value == "", "moves on")
    assert checks(hull_path) == before + 1
    assert not kept_file(hull_path).exists()


async def test_ctrl_q_keep_as_a_file_then_the_offer_saves_the_check_or_makes_it_a_note(
    hull_path: Path,
) -> None:
    before = checks(hull_path)
    app = hull_app(hull_path, now=EVENING)
    other = lock(hull_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await type_a_roll_check(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert showing(app, "UnsavedScreen")
            await pilot.press("k")
            await settle(pilot)
        assert not app.is_running
    finally:
        release(other)
    assert checks(hull_path) == before
    assert private(kept_file(hull_path))
    assert len(kept_entries(hull_path)) == 1
    backup = kept_file(hull_path).read_bytes()

    again = hull_app(hull_path, now=EVENING)
    async with again.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(again, "KeptScreen"), "the offer")
        await pilot.press("escape")  # later: nothing is lost by saying no
        await settle(pilot)
    assert kept_file(hull_path).read_bytes() == backup

    again = hull_app(hull_path, now=EVENING)
    async with again.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(again, "KeptScreen"), "the offer")
        await pilot.press("enter")  # put it back: the same save, through the same rules
        await settle(pilot)
    assert checks(hull_path) == before + 1
    assert not kept_file(hull_path).exists()

    kept_file(hull_path).write_bytes(backup)  # once more, and this time: a note
    kept_file(hull_path).chmod(0o600)
    again = hull_app(hull_path, now=EVENING)
    async with again.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: showing(again, "KeptScreen"), "the offer")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(again.screen, NoteEditorScreen), "the editor")
        written = again.screen.query_one(TextArea).text
    assert "Roll: 100" in written and "Locked up: 40" in written
    assert int(one(hull_path, "SELECT COUNT(*) FROM note_draft WHERE text LIKE '%Roll: 100%'")) == 1  # type: ignore[arg-type]
    assert not kept_file(hull_path).exists()


@pytest.mark.parametrize("key", ["y", "c"])
async def test_a_sample_answer_or_comment_under_the_lock_arrives_once_the_lock_goes(
    hull_path: Path, key: str
) -> None:
    comment = "Body-worn camera footage not retained."
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SamplingScreen) and screen.grid is not None
        grid = screen.grid
        table = screen.query_one("#grid", DataTable)
        table.focus()
        table.move_cursor(row=0, column=2, animate=False)
        await pilot.pause()
        record, criterion = grid.records[0], grid.criteria[0]
        old = grid.cells[(record, criterion.id)]
        answer = "no" if old.answer == "yes" else "yes"
        wanted = (old.answer, comment) if key == "c" else (answer, old.comment)

        def stored() -> tuple[str, str]:
            with VisitFile.open(hull_path, readonly=True) as visit:
                row = visit.one(
                    "SELECT answer, comment FROM sample_answer WHERE frame_id = ? AND "
                    "record = ? AND criterion_id = ? AND deleted = 0",
                    (grid.frame.id, record, criterion.id),
                )
            assert row is not None
            return (row["answer"], row["comment"])

        other = lock(hull_path)
        try:
            await pilot.press("n" if answer == "no" else "y") if key == "y" else None
            if key == "c":
                await pilot.press("c")
                await settle(pilot)
                field = app.screen.query_one("#comment", Input)
                field.value = comment
                await pilot.press("enter")
            await settle(pilot)
            [entry] = kept_entries(hull_path)
            assert entry["kind"] == "sample_answer"
            assert stored() != wanted
        finally:
            release(other)
        await until(pilot, lambda: stored() == wanted, "the answer arrives")
    assert not kept_file(hull_path).exists()
