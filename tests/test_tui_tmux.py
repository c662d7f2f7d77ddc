"""The real installed app in a real terminal (tmux): open the demo, record a roll check, quit."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path
from typing import Any

from tmux_helpers import (
    IRP_FIELD,
    kill_session,
    needs_tmux,
    press_until_gone,
    quits,
    start,
    wait_for,
)
from tmux_helpers import tmux as _tmux

from irp_field.core.visit_file import VisitFile
from irp_field.interchange import samples

pytestmark = needs_tmux


def test_an_inspector_records_a_roll_check_in_the_demo(irp_home: Path) -> None:
    session = f"irp-{uuid.uuid4().hex[:8]}"
    command = f"env IRP_FIELD_HOME={irp_home} IRP_FIELD_USER='Tmux Inspector' {IRP_FIELD} demo"
    start(session, command, (100, 30))
    try:
        wait_for(session, "Who are you?")
        # the first member of the team; a key sent before the list has the focus is
        # lost, as a person would see, so press again until the choice is confirmed
        press_until_gone(session, "Enter", "Who are you?")
        wait_for(session, "Locked up")
        _tmux("send-keys", "-t", session, "F3")
        wait_for(session, "Round ")
        # Every round of the demo is complete: start another (its name, day and time are
        # suggested; the demo was in March 2022, so the day is the visit's last).
        _tmux("send-keys", "-t", session, "C-n")
        wait_for(session, "Start a round")
        # Enter through name, day and time; the dialog closes on the last. "Type the roll
        # for" shows behind the dialog too, so the dialog's going is what is waited for (a
        # loaded machine lost an Enter sent before the dialog had the focus, and the counts
        # were typed into its Time field)
        press_until_gone(session, "Enter", "Start a round")
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
        # The demo visit was in March 2022: the check is dated on its last day unless
        # another day is typed (it used to be stamped today, and asked about).
        wait_for(session, "Saved")
        _tmux("send-keys", "-t", session, "C-q")
        assert quits(session), "the app did not quit"
    finally:
        kill_session(session)
    demo = irp_home / "visits" / f"{samples.HULL}.db"
    with VisitFile.open(demo, readonly=True) as visit:
        row = visit.one(
            "SELECT * FROM roll_check WHERE deleted = 0 ORDER BY created_at DESC, id DESC LIMIT 1"
        )
        # who you are belongs to this installation, not to the file
        me = json.loads((irp_home / "who-am-i.json").read_text())[visit.visit_id]
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
    assert row["taken_at"].startswith("2022-03-16T")


def _figures(irp_home: Path, path: Path) -> dict[str, Any]:
    env = {**os.environ, "IRP_FIELD_HOME": str(irp_home)}
    shown = subprocess.run(
        [str(IRP_FIELD), "figures", str(path), "--json"], capture_output=True, text=True, env=env
    )
    assert shown.returncode == 0, shown.stderr
    found: dict[str, Any] = json.loads(shown.stdout)
    return found


def _keys(session: str, *keys: str) -> None:
    _tmux("send-keys", "-t", session, *keys)


def test_a_round_of_four_counted_and_one_recounted_counts_each_once(
    irp_home: Path, tmp_path: Path
) -> None:
    """A new visit set up with four locations: a round counted at 80x24 (its last save
    moves on to the next round), the round chosen back and a location counted again (it
    opens its check to edit), and `irp-field figures` counts four checks in one round,
    the recount's numbers in the share locked up."""
    from irp_field import api

    path = tmp_path / "four.db"
    with api.create_visit(
        path, establishment="HMP Four", start="2022-03-14", end="2022-03-16"
    ) as visit:
        api.add_team_member(visit, "Jade Richards", role="Inspector")
        for wing in ("A wing", "B wing", "C wing", "D wing"):
            api.add_location(visit, wing, capacity=100)
    session = f"irp-{uuid.uuid4().hex[:8]}"
    login = "env -u IRP_FIELD_USER LOGNAME=jrichards USER=jrichards USERNAME=jrichards"
    command = f"{login} IRP_FIELD_HOME={irp_home} {IRP_FIELD} open {path}"
    start(session, command, (80, 24))
    try:
        wait_for(session, "Are you Jade Richards?")  # the member matching the login
        press_until_gone(session, "Enter", "Who are you?")
        _keys(session, "F3")
        wait_for(session, "Type the roll for A wing")
        for wing in ("A", "B", "C", "D"):
            _keys(session, "80", "Enter", "40", "Enter", "10", "Enter", "10", "Enter")
            _keys(session, "20", "Enter", "0", "Enter", "Enter")  # Enter on the note saves
            wait_for(session, f"Saved {wing} wing")
        # The round's last save moves on to the next round (the sheet's next line never
        # goes over D wing's check); the round is chosen back from the list of rounds.
        wait_for(session, "0 of 4 counted (a new round)")
        _keys(session, "BTab", "BTab", "BTab", "Space")  # from the roll to the round's list
        _keys(session, "Up", "Enter")
        wait_for(session, "all 4 counted: complete")
        _keys(session, "F3")  # the cursor back in the roll
        wait_for(session, "Editing A wing's check")
        # D wing again: its check opens to edit; a recount replaces what was typed.
        _keys(session, "d", "Enter")  # a letter in the empty roll: the location
        wait_for(session, "Editing D wing's check")
        _keys(session, "80", "Enter", "60", "Enter", "0", "Enter", "0", "Enter")
        _keys(session, "20", "Enter", "0", "C-s")
        # D wing's saved check was reached by its letter, not chosen from the round's
        # table: replacing it is asked first (a typist from paper may not have meant it)
        wait_for(session, "Replace your check of D wing")
        _keys(session, "y")
        wait_for(session, "Replaced your check of D wing")
        _keys(session, "C-q")
        assert quits(session), "the app did not quit"
    finally:
        kill_session(session)
    figures = _figures(irp_home, path)
    assert figures["roll.checks"]["value"] == 4
    assert figures["roll.rounds"]["value"] == 1
    assert figures["roll.counted"]["value"] == 320
    assert figures["roll.pct_locked_up"]["value"] == (40 * 3 + 60) / 320
