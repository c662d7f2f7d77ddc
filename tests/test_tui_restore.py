"""ctrl+z with nothing left to undo offers what was deleted before this session.

An inspector who deleted a note or a roll check yesterday by mistake presses ctrl+z
today: the session's undo no longer reaches it, and the app said only "Nothing to
undo." Now it lists that screen's kind of record deleted before; Enter brings one back
(as ``irp-field restore`` does), and ctrl+z takes the restore back."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList
from textual.widgets._toast import Toast
from tui_helpers import hull_app, settle

from irp_field.api import notes as notes_api
from irp_field.api import purges
from irp_field.api.roll_checks import delete_roll_check
from irp_field.core.visit_file import VisitFile
from irp_field.tui.dialogs.deleted import DeletedScreen
from irp_field.tui.screens.notes import NotesScreen
from irp_field.tui.screens.roll_check import RollCheckScreen


def deleted_ids(path: Path, table: str) -> list[str]:
    with VisitFile.open(path, readonly=True) as visit:
        return [str(r[0]) for r in visit.query(f"SELECT id FROM {table} WHERE deleted = 1")]


def a_note_deleted_yesterday(path: Path) -> str:
    with VisitFile.open(path, user="Jade Richards") as visit:
        note_id = notes_api.record_note(
            visit, text="Officer said the servery runs late", taken_at="2022-03-14T11:00"
        )
        notes_api.delete_note(visit, note_id)
    return note_id


async def test_a_note_deleted_in_an_earlier_session_is_offered_and_brought_back(
    hull_path: Path,
) -> None:
    note_id = a_note_deleted_yesterday(hull_path)
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, DeletedScreen)
        (offered,) = app.screen.deleted
        assert offered.id == note_id and offered.removed
        assert "'Officer said the servery runs late'" in offered.shown()
        line = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert line == f"{offered.what}: 'Officer said the servery runs late'"
        assert app.screen.query_one(OptionList).option_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        assert deleted_ids(hull_path, "note") == []
        await pilot.press("ctrl+z")  # the restore is the session's own: undone
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        assert deleted_ids(hull_path, "note") == [note_id]


async def test_escape_brings_nothing_back_and_nothing_deleted_says_so(hull_path: Path) -> None:
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        check = purges.purgeable(visit, "roll-check")[0]
        delete_roll_check(visit, check.id)
    app = hull_app(hull_path)
    app.NOTIFICATION_TIMEOUT = 3600  # type: ignore[misc]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, RollCheckScreen)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, DeletedScreen)
        assert [item.id for item in app.screen.deleted] == [check.id]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RollCheckScreen)
        assert deleted_ids(hull_path, "roll_check") == [check.id]

        await pilot.press("f4")  # no note was deleted: nothing to offer
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        shown = [str(toast.render()).strip() for toast in app.screen.query(Toast)]
        assert shown[-1:] == ["Nothing to undo."]
