"""The real installed app in a real terminal (tmux): open the demo, record a roll check, quit."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from irp_field import samples
from irp_field.store.visit_file import VisitFile

TMUX = shutil.which("tmux")
IRP_FIELD = Path(sys.executable).with_name("irp-field")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(
        not IRP_FIELD.exists(), reason="the irp-field console script is not installed"
    ),
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


def _gone(session: str, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text not in _tmux("capture-pane", "-p", "-t", session):
            return True
        time.sleep(0.1)
    return False


def test_an_inspector_records_a_roll_check_in_the_demo(irp_home: Path) -> None:
    session = f"irp-{uuid.uuid4().hex[:8]}"
    command = f"env IRP_FIELD_HOME={irp_home} IRP_FIELD_USER='Tmux Inspector' {IRP_FIELD} demo"
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    try:
        _wait_for(session, "Who are you?")
        # the first member of the team; a key sent before the list has the focus is
        # lost, as a person would see, so press again until the choice is confirmed
        for _ in range(10):
            _tmux("send-keys", "-t", session, "Enter")
            if _gone(session, "Who are you?", 2.0):
                break
        _wait_for(session, "Locked up")
        _tmux("send-keys", "-t", session, "F3")
        _wait_for(session, "Type the roll for")
        # In one burst, as a quick typist's keys arrive.
        _tmux(
            "send-keys",
            "-t",
            session,
            "100",
            "Enter",
            "40",
            "Tab",
            "20",
            "Enter",
            "10",
            "Enter",
            "25",
            "Enter",
            "5",
        )
        _wait_for(session, "Total 100 of roll 100")
        _tmux("send-keys", "-t", session, "C-s")
        _wait_for(session, "Saved")
        _tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if subprocess.run([TMUX, "has-session", "-t", session], capture_output=True).returncode:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the app did not quit")
    finally:
        subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True)
    demo = irp_home / "visits" / f"{samples.HULL}.db"
    with VisitFile.open(demo, readonly=True) as visit:
        row = visit.one(
            "SELECT * FROM roll_check WHERE deleted = 0 ORDER BY created_at DESC, id DESC LIMIT 1"
        )
        me = visit.meta().get("me")
    assert row is not None
    assert (
        row["roll"],
        row["locked_up"],
        row["off_wing_activity"],
        row["wing_work"],
        row["unlocked_on_wing"],
        row["elsewhere"],
    ) == (100, 40, 20, 10, 25, 5)
    assert me and row["created_by"] == me == row["inspector"]
