"""The attachments dialog (``f``) takes pictures through the same rules: one that is no
picture is refused in its one line, and a camera's picture is stored clean, the dialog
saying what was removed."""

from __future__ import annotations

from pathlib import Path

from picture_helpers import camera_jpeg, secrets_in, zero_width_png
from textual.widgets import DataTable, Input, Static
from tui_helpers import hull_app, paste, settle

from irp_field.core.visit_file import VisitFile
from irp_field.tui.dialogs.attachments import AttachmentsScreen


async def test_the_dialog_refuses_no_picture_and_stores_a_camera_picture_clean(
    hull_path: Path, tmp_path: Path
) -> None:
    zero, camera = tmp_path / "zero.png", tmp_path / "yard.jpg"
    zero.write_bytes(zero_width_png())
    camera.write_bytes(camera_jpeg())
    app = hull_app(hull_path, user="Sara Pennington")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        app.screen.query_one("#paragraphs", DataTable).focus()
        await pilot.press("down", "f")  # 3.2
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AttachmentsScreen)
        await paste(pilot, str(zero))
        await pilot.press("enter", "enter")
        await pilot.pause()
        reason = str(dialog.query_one("#reason", Static).render())
        assert reason == "zero.png has no pixels (0 x 10); not a photograph"
        dialog.query_one("#path", Input).value = str(camera)
        dialog.query_one("#path", Input).focus()
        await pilot.press("enter", *"Exercise yard", "enter")
        await pilot.pause()
        reason = str(dialog.query_one("#reason", Static).render())
        assert reason.startswith("yard.jpg: removed EXIF (a GPS position")
        await pilot.press("escape")
    with VisitFile.open(hull_path, readonly=True) as visit:
        row = visit.one(
            "SELECT f.content FROM attachment a JOIN attachment_file f ON f.id = a.file_sha256 "
            "WHERE a.caption = 'Exercise yard' AND a.deleted = 0"
        )
        assert row is not None and secrets_in(row[0]) == []
        assert visit.one("SELECT COUNT(*) FROM attachment WHERE file_name = 'zero.png'")[0] == 0  # type: ignore[index]


async def test_a_refused_file_is_said_beside_its_path_before_a_caption_is_asked(
    hull_path: Path, tmp_path: Path
) -> None:
    """Enter in the path: a file the rules refuse is said at once and the path keeps the
    focus (it used to move on to the caption, and the refusal came after it was typed)."""
    zero = tmp_path / "zero.png"
    zero.write_bytes(zero_width_png())
    app = hull_app(hull_path, user="Sara Pennington")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        app.screen.query_one("#paragraphs", DataTable).focus()
        await pilot.press("down", "f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AttachmentsScreen)
        await paste(pilot, str(zero))
        await pilot.press("enter")
        await pilot.pause()
        reason = str(dialog.query_one("#reason", Static).render())
        assert reason == "zero.png has no pixels (0 x 10); not a photograph"
        assert app.focused is dialog.query_one("#path", Input)
        await pilot.press("ctrl+u")
        await paste(pilot, str(tmp_path / "gone.jpg"))
        await pilot.press("enter")
        await pilot.pause()
        assert "gone.jpg" in str(dialog.query_one("#reason", Static).render())
        assert app.focused is dialog.query_one("#path", Input)
