"""Driving the real installed app in tmux, as a person at a terminal would."""

from __future__ import annotations

import os
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


# A tmux server of this test process's own, without anyone's ~/.tmux.conf: a person's
# tmux (or another pytest worker's) never lends the app its environment or settings. The
# server ends with its last session.
SOCKET = f"irp-tests-{os.getpid()}"


def tmux(*args: str) -> str:
    assert TMUX is not None
    command = [TMUX, "-L", SOCKET, "-f", os.devnull, *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


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


def press_until_gone(session: str, key: str, text: str, tries: int = 10) -> None:
    """``key`` pressed until ``text`` (a dialog's) leaves the screen, pressed again only
    when the last press changed nothing on the screen (a key sent before the dialog had
    the focus is lost). Pressing again after a fixed wait, as the tests did, sent one
    Enter too many when a loaded machine closed the dialog late: it landed in the form
    beneath and moved its cursor a field down, and the counts typed next went there."""
    for _ in range(tries):
        before = tmux("capture-pane", "-p", "-e", "-t", session)
        if text not in before:
            return
        tmux("send-keys", "-t", session, key)
        deadline = time.monotonic() + 15.0
        while time.monotonic() < deadline:
            now = tmux("capture-pane", "-p", "-e", "-t", session)
            if text not in now:
                return
            if now != before:  # the press landed (a field further on): once the screen
                time.sleep(0.5)  # has settled, the next press is due
                break
            time.sleep(0.1)
    raise AssertionError(f"{text!r} is still on the screen after {tries} presses of {key}")


def kill_session(session: str) -> None:
    assert TMUX is not None
    subprocess.run([TMUX, "-L", SOCKET, "kill-session", "-t", session], capture_output=True)


# What the app's process is given, whatever the tmux server inherited: the size comes
# from the terminal (COLUMNS and LINES would override it), times are read in UTC.
APP_ENV = "env -u COLUMNS -u LINES TZ=UTC LANG=C.UTF-8 TEXTUAL_ANIMATIONS=none"


def start(session: str, command: str, size: tuple[int, int]) -> None:
    """The app's ``command`` in a new detached session of ``size`` columns and rows."""
    columns, rows = size
    tmux("new-session", "-d", "-s", session, "-x", str(columns), "-y", str(rows),
         f"{APP_ENV} {command}")  # fmt: skip


def running(session: str) -> bool:
    assert TMUX is not None
    found = subprocess.run([TMUX, "-L", SOCKET, "has-session", "-t", session], capture_output=True)
    return found.returncode == 0


def quits(session: str, timeout: float = 10.0) -> bool:
    """Whether the app in ``session`` ended within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not running(session):
            return True
        time.sleep(0.2)
    return False
