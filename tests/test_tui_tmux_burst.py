"""A whole roll-check sheet sent to the real installed app with one ``tmux send-keys``
(issue 22): every key reaches the terminal before the app has handled any, and the
three checks are saved exactly as the sheet has them."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

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

SHEET = [
    *"90", "Enter", *"80", "Enter", *"10", "C-s",
    *"85", "Enter", *"85", "C-s",
    *"77", "Enter", *"70", "Enter", *"7", "C-s",
]  # fmt: skip
COUNTS = [(90, 80, 10), (85, 85, 0), (77, 70, 7)]


def _newest_round(demo: Path) -> list[tuple[str, int, int, int]]:
    """(location, roll, locked up, off-wing) of the newest round's checks, as typed."""
    with VisitFile.open(demo, readonly=True) as visit:
        rows = visit.query(
            "SELECT l.name, r.roll, r.locked_up, r.off_wing_activity FROM roll_check r "
            "JOIN location l ON l.id = r.location_id WHERE r.deleted = 0 AND r.round_id = "
            "(SELECT id FROM roll_round WHERE deleted = 0 ORDER BY created_at DESC LIMIT 1) "
            "ORDER BY r.created_at, r.version"
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def _saved(demo: Path, count: int, timeout: float = 60.0) -> list[tuple[str, int, int, int]]:
    """The newest round's checks once ``count`` are in the file (the file is what is
    waited on, never a pause: a loaded machine takes longer, never differently)."""
    deadline = time.monotonic() + timeout
    found = _newest_round(demo)
    while len(found) < count and time.monotonic() < deadline:
        time.sleep(0.2)
        found = _newest_round(demo)
    return found


def test_a_roll_check_sheet_sent_in_one_send_keys_is_saved_exactly(irp_home: Path) -> None:
    session = f"irp-{uuid.uuid4().hex[:8]}"
    command = f"env IRP_FIELD_HOME={irp_home} IRP_FIELD_USER='Tmux Inspector' {IRP_FIELD} demo"
    start(session, command, (80, 24))
    demo = irp_home / "visits" / f"{samples.HULL}.db"
    try:
        wait_for(session, "Who are you?")
        press_until_gone(session, "Enter", "Who are you?")
        wait_for(session, "Locked up")
        _tmux("send-keys", "-t", session, "F3")
        wait_for(session, "Round ")
        _tmux("send-keys", "-t", session, "C-n")
        wait_for(session, "Start a round")
        press_until_gone(session, "Enter", "Start a round")
        wait_for(session, "Type the roll for")
        _tmux("send-keys", "-t", session, *SHEET)  # the whole sheet, in one call
        saved = _saved(demo, len(COUNTS))
        wait_for(session, "Saved")
        _tmux("send-keys", "-t", session, "C-q")
        assert quits(session), "the app did not quit"
    finally:
        kill_session(session)
    assert [row[1:] for row in saved] == COUNTS
    assert len({row[0] for row in saved}) == len(COUNTS)  # three locations, each once
