"""The real installed app in a real terminal (tmux) while another program holds the
visit's write lock: ctrl+q asks, "keep it in a file" quits with the note in a private
file beside the visit, and the next opening (the lock gone) puts it back."""

from __future__ import annotations

import json
import os
import stat
import uuid
from pathlib import Path

from kept_helpers import drafts_with, lock, one, release
from tmux_helpers import IRP_FIELD, gone, kill_session, needs_tmux, quits, start, wait_for
from tmux_helpers import tmux as _tmux

pytestmark = needs_tmux

TEXT = "Officer on C wing said evening association was cancelled twice this week."


def _open(session: str, home: Path, visit: Path) -> None:
    command = f"env IRP_FIELD_HOME={home} {IRP_FIELD} open {visit} --by 'Jade Richards'"
    start(session, command, (80, 24))


def test_quitting_under_a_lock_asks_keeps_the_note_in_a_file_and_the_next_opening_puts_it_back(
    irp_home: Path, hull_path: Path
) -> None:
    kept = hull_path.with_name("hull.db.unsaved.json")
    session = f"irp-{uuid.uuid4().hex[:8]}"
    _open(session, irp_home, hull_path)
    other = None
    try:
        wait_for(session, "Locked up")  # opened (a copied file's first opening writes)
        other = lock(hull_path)
        _tmux("send-keys", "-t", session, "F4")
        wait_for(session, "New note")
        _tmux("send-keys", "-t", session, "C-n")
        wait_for(session, "Save note")
        _tmux("send-keys", "-t", session, "-l", TEXT)
        wait_for(session, "Draft not saved yet")
        _tmux("send-keys", "-t", session, "C-q")
        wait_for(session, "k: keep it in a file, and quit")  # it asks; it used to quit
        _tmux("send-keys", "-t", session, "k")
        assert quits(session), "the app did not quit"
    finally:
        kill_session(session)
        if other is not None:
            release(other)
    if os.name == "posix":
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    [entry] = json.loads(kept.read_text(encoding="utf-8"))["entries"]
    assert entry["args"]["text"] == TEXT
    assert drafts_with(hull_path, TEXT) == 0

    session = f"irp-{uuid.uuid4().hex[:8]}"
    try:
        _open(session, irp_home, hull_path)
        wait_for(session, "Enter: put it back where it came from")
        _tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Save note")  # the editor, on the note as it was typed
        assert gone(session, "put it back", 5.0)
        _tmux("send-keys", "-t", session, "C-s")
        wait_for(session, "Note saved")
        _tmux("send-keys", "-t", session, "C-q")
        assert quits(session), "the app did not quit"
    finally:
        kill_session(session)
    assert not kept.exists()
    assert one(hull_path, "SELECT COUNT(*) FROM note WHERE deleted = 0 AND text = ?", (TEXT,)) == 1
