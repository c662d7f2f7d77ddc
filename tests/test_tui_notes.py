"""Notes: a note being typed survives the app being torn down, and comes back at the next start."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from textual.widgets import DataTable, TextArea
from tui_helpers import hull_app, new_note, settle

from irp_field.core.visit_file import VisitFile
from irp_field.tui.screens.note_editor import NoteEditorScreen
from irp_field.tui.screens.notes import NotesScreen


def _draft_texts(path: Path) -> list[str]:
    with VisitFile.open(path, readonly=True) as visit:
        return [row["text"] for row in visit.query("SELECT text FROM note_draft")]


async def test_a_draft_survives_a_kill_mid_typing_and_is_offered_back(hull_path: Path) -> None:
    app = hull_app(hull_path, draft_pause=0.1, draft_every=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_note(pilot)
        await pilot.press(*"Cleaner said showers broken")
        await pilot.pause(0.4)
        # Read by another connection while the app still runs: what a kill would leave.
        assert _draft_texts(hull_path) == ["Cleaner said showers broken"]
        await pilot.press(*" for weeks")
        await pilot.pause(0.4)
        assert _draft_texts(hull_path) == ["Cleaner said showers broken for weeks"]

    again = hull_app(hull_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")  # yes, open the unsaved note
        await settle(pilot)
        assert isinstance(again.screen, NoteEditorScreen)
        assert again.screen.query_one(TextArea).text == "Cleaner said showers broken for weeks"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(again.screen, NotesScreen)
    assert _draft_texts(hull_path) == []
    with VisitFile.open(hull_path, readonly=True) as visit:
        row = visit.one("SELECT * FROM note WHERE text LIKE 'Cleaner said%'")
    assert row is not None and row["author"] == row["created_by"] == "Jade Richards"
    assert row["taken_at"] == "2022-03-16T14:00"


async def test_search_as_you_type_and_a_deleted_note_can_be_undone(hull_path: Path) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        everything = table.row_count
        await pilot.press(*"segreg")
        await settle(pilot)
        assert 0 < table.row_count < everything
        await pilot.press("enter")  # to the list
        await pilot.press("delete", "y")
        await settle(pilot)
        assert table.row_count < everything
        with VisitFile.open(hull_path, readonly=True) as visit:
            deleted = visit.one("SELECT COUNT(*) FROM note WHERE deleted = 1")
            assert deleted is not None and deleted[0] == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
    with VisitFile.open(hull_path, readonly=True) as visit:
        deleted = visit.one("SELECT COUNT(*) FROM note WHERE deleted = 1")
        assert deleted is not None and deleted[0] == 0


async def test_square_brackets_in_a_note_show_as_typed(hull_path: Path) -> None:
    """Typed text is never read as markup: "[x]" and "[b]" stay on screen."""
    with VisitFile.open(hull_path, user="Jade Richards") as visit, visit.transaction():
        visit.insert(
            "note",
            {
                "source": "staff",
                "taken_at": "2022-03-16T17:00",
                "author": "Jade Richards",
                "text": "Zebra checklist [x] ticked, [b]bold[/b] claims",
            },
        )
    app = hull_app(hull_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press(*"Zebra")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        cells = [str(cell) for cell in table.get_row_at(0)]
        assert any("[x] ticked, [b]bold[/b]" in cell for cell in cells)


async def test_one_draft_per_note_and_none_for_a_note_left_as_it_was(hull_path: Path) -> None:
    """Opening a note and leaving it makes no draft (one used to hide a real crash draft);
    a change left unsaved is that note's one draft, opened again with the note."""
    app = hull_app(hull_path, draft_pause=0.1, draft_every=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter", "enter")  # to the list, then open the first note
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.pause(0.5)
        await pilot.press("escape")
        await settle(pilot)
        assert _draft_texts(hull_path) == []
        await pilot.press("enter")
        await settle(pilot)
        original = app.screen.query_one(TextArea).text
        await pilot.press("end", *" (seen again)")
        typed = app.screen.query_one(TextArea).text
        assert typed != original
        await pilot.press("escape")
        await settle(pilot)
        assert _draft_texts(hull_path) == [typed]
        await pilot.press("enter")  # the same note: its draft, not the note
        await settle(pilot)
        assert app.screen.query_one(TextArea).text == typed
        await pilot.press("escape")
        await settle(pilot)
        assert len(_draft_texts(hull_path)) == 1
        await pilot.press("ctrl+g")  # the list of drafts
        await settle(pilot)
        from irp_field.tui.dialogs.drafts import DraftsScreen

        assert isinstance(app.screen, DraftsScreen) and len(app.screen.drafts) == 1
        await pilot.press("delete")
        await settle(pilot)
        assert _draft_texts(hull_path) == []


async def test_an_edited_note_is_undone_with_ctrl_z_and_has_a_history(hull_path: Path) -> None:
    from irp_field.tui.dialogs.history import HistoryScreen

    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter", "down", "down")
        table = app.screen.query_one(DataTable)
        await pilot.press("enter")
        await settle(pilot)
        original = app.screen.query_one(TextArea).text
        await pilot.press("end", *" Checked.", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert [e.what for e in app.screen.entries][-1] == "changed"
        await pilot.press("escape", "ctrl+z")
        await settle(pilot)
        assert table.cursor_row == 2  # still on the note it acted on
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert visit.one("SELECT 1 FROM note WHERE text = ?", (original,)) is not None


async def test_a_new_note_after_the_visit_is_dated_on_its_last_day(hull_path: Path) -> None:
    import datetime as dt

    from textual.widgets import Input

    app = hull_app(hull_path, now=dt.datetime(2022, 3, 21, 9, 30))
    async with app.run_test(size=(80, 24)) as pilot:
        await new_note(pilot)
        when = app.screen.query_one("#taken_at", Input)
        assert when.value == "2022-03-16T09:30" and when.size.width >= 16  # shown whole


async def test_a_saved_note_leaves_no_draft_behind(hull_path: Path) -> None:
    """Walking in tmux: a note typed and saved at once (ctrl+s straight after the last
    key) was offered back as an unsaved draft at the next start: the changes its last keys
    made reached the editor after the save. A saved note writes no draft afterwards."""
    app = hull_app(hull_path, draft_pause=0.05, draft_every=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_note(pilot)
        await pilot.press(*"Saved at once", "ctrl+s")
        await pilot.pause(0.3)
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
    assert _draft_texts(hull_path) == []


async def test_a_reopened_draft_or_note_is_typed_on_at_its_end(hull_path: Path) -> None:
    """The cursor used to start at the top of a reopened draft or note: new words went
    in front of the old text."""
    app = hull_app(hull_path, draft_pause=0.1, draft_every=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4", "ctrl+n", *"Showers broken", "enter", *"on B wing")
        await pilot.pause(0.4)
        await pilot.press("escape")  # kept as a draft
        await settle(pilot)
        await pilot.press("ctrl+g", "enter")  # the list of drafts; open it again
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press(*" for weeks")
        assert app.screen.query_one(TextArea).text == "Showers broken\non B wing for weeks"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        app.screen.query_one("#notes", DataTable).focus()
        await pilot.press("enter")  # a note of the list, opened to edit
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        original = app.screen.query_one(TextArea).text
        await pilot.press(*" (seen again)")
        assert app.screen.query_one(TextArea).text == original + " (seen again)"


async def test_a_letter_on_the_closed_source_chooses_it_and_the_text_says_which(
    hull_path: Path,
) -> None:
    """A staff interview: Tab from the text to Source, `s`, back to the text and type.
    The note is saved as staff's. On the code before, `s` on the closed list did nothing
    and the note was saved as an observation (the default) with nothing to say so; the
    text had no label. Now the label above the text names the source as it changes, `d`
    twice goes on from documentation to data, and the save says which."""
    from textual.widgets import Label

    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await new_note(pilot)
        label = editor.query_one("#text-label", Label)
        assert "observation note" in str(label.render())
        await pilot.press("tab")  # from the text, round to Source
        assert app.focused is not None and app.focused.id == "source"
        await pilot.press("d", "d")
        await settle(pilot)
        assert "data note" in str(label.render())
        await pilot.press("s")
        await settle(pilot)
        assert "staff note" in str(label.render())
        app.screen.set_focus(app.screen.query_one("#note-text", TextArea))
        await pilot.press(*"Officer said the regime was curtailed")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
    with VisitFile.open(hull_path, readonly=True) as visit:
        row = visit.one("SELECT source FROM note WHERE text LIKE 'Officer said%'")
    assert row is not None and row["source"] == "staff"


def test_a_letter_goes_round_the_options_that_begin_with_it() -> None:
    from irp_field.domain.vocabulary import NOTE_SOURCES
    from irp_field.tui.widgets.letter_select import next_starting_with

    assert next_starting_with(NOTE_SOURCES, "S", "observation") == "staff"
    assert next_starting_with(NOTE_SOURCES, "d", "staff") == "documentation"
    assert next_starting_with(NOTE_SOURCES, "d", "documentation") == "data"
    assert next_starting_with(NOTE_SOURCES, "d", "data") == "documentation"
    assert next_starting_with(NOTE_SOURCES, "x", "staff") is None


async def test_a_draft_offered_back_is_quoted_with_an_ellipsis_where_it_is_cut(
    hull_path: Path,
) -> None:
    """Walking: the offer of an unsaved note quoted its first eight words cut bare, as if
    the note ended there; the list of drafts (ctrl+g on Notes) the same. A draft short
    enough to quote whole has no "…"."""
    from irp_field.evidence.drafts import new_draft, save_draft
    from irp_field.tui.dialogs.confirm import ConfirmScreen
    from irp_field.tui.dialogs.drafts import DraftsScreen

    long = "Cleaner said the showers on B wing were broken for three weeks"
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        save_draft(visit, replace(new_draft("Jade Richards", "2022-03-16T09:00"), text=long))
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        offer = app.screen
        assert isinstance(offer, ConfirmScreen)
        assert '"Cleaner said the showers on B wing were…". Open it?' in offer.question
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        listed = app.screen
        assert isinstance(listed, DraftsScreen)
        table = listed.query_one(DataTable)
        cells = [str(cell) for cell in table.get_row_at(0)]
        assert "Cleaner said the showers on B wing were…" in cells
        # at 80 columns the quote is cut again, with "…", not bare at the box's edge
        assert table.virtual_size.width <= table.size.width
        assert re.search(r"Cleaner said the[^<]*…", _drawn(app))


def _drawn(app: object) -> str:
    from textual.app import App

    assert isinstance(app, App)
    return app.export_screenshot().replace("&#160;", " ").replace("&quot;", '"')


async def test_kept_typing_offered_back_is_cut_with_an_ellipsis_at_80_columns(
    hull_path: Path,
) -> None:
    """What a busy file left kept is offered back in a table that was wider than its box
    at 80 columns when the typing was another's ("a new note (by Sara Pennington)"): the
    typed words were cut bare at the box's edge."""
    from irp_field.api import unsaved
    from irp_field.tui.dialogs.kept import KeptScreen

    words = "Seen on B wing while the master merged: two cells without call bells at all"
    typed = unsaved.Typed(
        key="note-1",
        kind="note_draft",
        what="a new note",
        args={"text": words},
        shown=(("Text", words),),
        by="Sara Pennington",  # typed by another on this laptop: "(by Sara Pennington)"
    )
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        unsaved.keep(visit, [typed])
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        offer = app.screen
        assert isinstance(offer, KeptScreen)
        table = offer.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width
        assert re.search(r'"Seen on B wing[^<]*…', _drawn(app))


def test_first_words_ends_in_an_ellipsis_only_where_it_cuts() -> None:
    from irp_field.domain.wording import first_words

    assert first_words("one two  three\nfour", 3) == "one two three…"
    assert first_words("one two three", 3) == "one two three"
    assert first_words("", 3) == ""
