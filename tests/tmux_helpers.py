"""Driving the real installed app in tmux, as a person at a terminal would."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
IRP_FIELD = Path(sys.executable).with_name("irp-field")

needs_tmux = [
    pytest.mark.slow,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(not IRP_FIELD.exists(), reason="the console script is not installed"),
]


def tmux(*args: str) -> str:
    assert TMUX is not None
    return subprocess.run([TMUX, *args], check=True, capture_output=True, text=True).stdout


def wait_for(session: str, text: str, timeout: float = 30.0) -> str:
    """The screen, once ``text`` is on it."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def gone(session: str, text: str, timeout: float) -> bool:
    """Whether ``text`` left the screen within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text not in tmux("capture-pane", "-p", "-t", session):
            return True
        time.sleep(0.1)
    return False


def kill_session(session: str) -> None:
    assert TMUX is not None
    subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True)
