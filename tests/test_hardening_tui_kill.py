"""The real app killed with SIGKILL while a note is being typed: the draft survives."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from irp_field.store.visit_file import VisitFile

TMUX = shutil.which("tmux")
IRP_FIELD = Path(sys.executable).with_name("irp-field")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX"),
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(not IRP_FIELD.exists(), reason="the console script is not installed"),
]


def _tmux(*args: str) -> str:
    assert TMUX is not None
    return subprocess.run([TMUX, *args], check=True, capture_output=True, text=True).stdout


def _wait_for(session: str, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def _drafts(path: Path) -> list[str]:
    with VisitFile.open(path, readonly=True) as visit:
        return [row["text"] for row in visit.query("SELECT text FROM note_draft")]


def _start(session: str, hull_path: Path, irp_home: Path) -> None:
    command = f"env IRP_FIELD_HOME={irp_home} {IRP_FIELD} open {hull_path} --by 'Jade Richards'"
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)


def test_a_note_being_typed_survives_sigkill(hull_path: Path, irp_home: Path) -> None:
    session = f"irp-kill-{uuid.uuid4().hex[:8]}"
    _start(session, hull_path, irp_home)
    try:
        _wait_for(session, "Locked up")
        _tmux("send-keys", "-t", session, "F4")
        _wait_for(session, "New note")
        _tmux("send-keys", "-t", session, "C-n")
        _wait_for(session, "Plan items")
        _tmux("send-keys", "-t", session, "-l", "Officer said the gym list is never read out")
        deadline = time.monotonic() + 15  # the draft is saved after a pause in typing
        while time.monotonic() < deadline and not _drafts(hull_path):
            time.sleep(0.2)
        pid = int(_tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        os.kill(pid, signal.SIGKILL)  # a flat battery: no clean-up of any kind
    finally:
        subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True)
    assert _drafts(hull_path) == ["Officer said the gym list is never read out"]
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert visit.one("PRAGMA integrity_check")[0] == "ok"  # type: ignore[index]

    again = f"irp-kill-{uuid.uuid4().hex[:8]}"
    _start(again, hull_path, irp_home)
    try:
        screen = _wait_for(again, "unsaved note")
        assert "Officer said the gym list" in screen
    finally:
        subprocess.run([TMUX, "kill-session", "-t", again], capture_output=True)
