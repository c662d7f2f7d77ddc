"""A value too long for any sound row is refused as SQLite reads it, never made a Python
string (hostile F10: a 900 MB note cost 2.67 GB before the merge refused it).

The limit is SQLite's own (SQLITE_LIMIT_LENGTH on the row checks' connection), so it
costs the sound rows nothing; here it is made small so that a test's file can pass it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from merge_helpers import cp, edit_by_hand

from irp_field.domain.errors import IrpError
from irp_field.replication import row_checks
from irp_field.replication.merge import merge_visits

LIMIT = 1024 * 1024  # bytes: the row checks' limit, made small for the test


@pytest.fixture
def longest_handed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The longest value the row checks handed to Python, as they run."""
    longest = [0]
    judge = row_checks._sound_row

    def watched(*args: Any, **kwargs: Any) -> Callable[..., int]:
        sound = judge(*args, **kwargs)

        def counting(*values: Any) -> int:
            longest[0] = max([longest[0], *(len(v) for v in values if isinstance(v, str))])
            return sound(*values)

        return counting

    monkeypatch.setattr(row_checks, "_sound_row", watched)
    monkeypatch.setattr(row_checks, "VALUE_BYTES", LIMIT, raising=False)
    return longest


def _laptop_with_a_note_of(hull_path: Path, tmp_path: Path, length: int) -> tuple[Path, Path]:
    """A master and a laptop's copy whose one roll check's note a hand made ``length``
    characters long."""
    master = cp(hull_path, tmp_path / "master.db")
    laptop = cp(hull_path, tmp_path / "laptop.db")
    edit_by_hand(
        laptop,
        f"UPDATE roll_check SET note = printf('%.{length}c', 'x'), "
        "version = '1790000000000.000000.abc' WHERE id IN (SELECT id FROM roll_check LIMIT 1)",
    )
    return master, laptop


def test_a_text_past_the_limit_is_refused_without_reaching_python(
    hull_path: Path, tmp_path: Path, longest_handed: list[int]
) -> None:
    master, laptop = _laptop_with_a_note_of(hull_path, tmp_path, LIMIT + 10)
    with pytest.raises(IrpError) as refused:
        merge_visits(master, [laptop])
    said = str(refused.value)
    assert "laptop.db" in said and "roll_check row " in said, said
    assert "note is over 400,000 characters" in said, said
    assert 0 < longest_handed[0] <= LIMIT  # the other rows were judged; that one never


def test_a_text_under_the_cap_is_still_judged_in_python(
    hull_path: Path, tmp_path: Path, longest_handed: list[int]
) -> None:
    """The limit is above every sound value: a long note under the cap merges."""
    master, laptop = _laptop_with_a_note_of(hull_path, tmp_path, 90000)
    merge_visits(master, [laptop])
    assert longest_handed[0] == 90000


def test_the_limit_is_above_every_sound_value() -> None:
    """A text at the cap (four bytes a character at most) and an attachment at its
    largest are read whole; only what no sound row holds meets the limit."""
    from irp_field.core import connection
    from irp_field.domain.attachments import MAX_BYTES

    assert row_checks.VALUE_BYTES > 4 * row_checks.TEXT_CAP
    assert row_checks.VALUE_BYTES > MAX_BYTES
    assert connection.VALUE_BYTES == row_checks.VALUE_BYTES == 2 * MAX_BYTES
