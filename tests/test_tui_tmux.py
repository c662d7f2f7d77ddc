"""The real installed app in a real terminal (tmux): open the demo, record a roll check, quit."""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path

from tmux_helpers import IRP_FIELD, TMUX, gone, needs_tmux, wait_for
from tmux_helpers import tmux as _tmux

from irp_field.core.visit_file import VisitFile
from irp_field.interchange import samples

pytestmark = needs_tmux


def test_an_inspector_records_a_roll_check_in_the_demo(irp_home: Path) -> None:
    session = f"irp-{uuid.uuid4().hex[:8]}"
    command = f"env IRP_FIELD_HOME={irp_home} IRP_FIELD_USER='Tmux Inspector' {IRP_FIELD} demo"
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    try:
        wait_for(session, "Who are you?")
        # the first member of the team; a key sent before the list has the focus is
        # lost, as a person would see, so press again until the choice is confirmed
        for _ in range(10):
            _tmux("send-keys", "-t", session, "Enter")
            if gone(session, "Who are you?", 2.0):
                break
        wait_for(session, "Locked up")
        _tmux("send-keys", "-t", session, "F3")
        wait_for(session, "Type the roll for")
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
        wait_for(session, "Total 100 of roll 100")
        _tmux("send-keys", "-t", session, "C-s")
        # The demo visit was in March 2022: a check stamped today is outside it, and the
        # screen asks before saving it with that date.
        wait_for(session, "anyway?")
        _tmux("send-keys", "-t", session, "y")
        wait_for(session, "Saved")
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
