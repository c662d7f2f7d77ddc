"""The real app killed with SIGKILL while a note is being typed: the draft survives."""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

import pytest
from tmux_helpers import IRP_FIELD, kill_session, needs_tmux, start, wait_for
from tmux_helpers import tmux as _tmux

from irp_field.core.visit_file import VisitFile

pytestmark = [
    *needs_tmux,
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX"),
]


def _drafts(path: Path) -> list[str]:
    with VisitFile.open(path, readonly=True) as visit:
        return [row["text"] for row in visit.query("SELECT text FROM note_draft")]


def _start(session: str, hull_path: Path, irp_home: Path) -> None:
    command = f"env IRP_FIELD_HOME={irp_home} {IRP_FIELD} open {hull_path} --by 'Jade Richards'"
    start(session, command, (100, 30))


def test_a_note_being_typed_survives_sigkill(hull_path: Path, irp_home: Path) -> None:
    session = f"irp-kill-{uuid.uuid4().hex[:8]}"
    _start(session, hull_path, irp_home)
    try:
        wait_for(session, "Locked up")
        _tmux("send-keys", "-t", session, "F4")
        wait_for(session, "New note")
        _tmux("send-keys", "-t", session, "C-n")
        wait_for(session, "Plan items")
        _tmux("send-keys", "-t", session, "-l", "Officer said the gym list is never read out")
        deadline = time.monotonic() + 15  # the draft is saved after a pause in typing
        while time.monotonic() < deadline and not _drafts(hull_path):
            time.sleep(0.2)
        pid = int(_tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        os.kill(pid, signal.SIGKILL)  # a flat battery: no clean-up of any kind
    finally:
        kill_session(session)
    assert _drafts(hull_path) == ["Officer said the gym list is never read out"]
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert visit.one("PRAGMA integrity_check")[0] == "ok"  # type: ignore[index]

    again = f"irp-kill-{uuid.uuid4().hex[:8]}"
    _start(again, hull_path, irp_home)
    try:
        screen = wait_for(again, "unsaved note")
        assert "Officer said the gym list" in screen
    finally:
        kill_session(again)
