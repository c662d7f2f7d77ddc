"""What a file holds reaches a person's terminal as text, never as a sequence it obeys.

A hand-edited visit file can hold an escape (ESC ``]0;`` retitles the window, ESC ``[2J``
clears the screen), a bell, a carriage return (writes over the line) or a direction
override in a location's name or a note. ``check`` names such a record, ``notes search``
shows the note, an error names what was typed: each prints it written out (``\\x1b``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from irp_field.cli import main
from irp_field.domain.names import shown

HOSTILE = "A\x1b]0;pwned\x07\x1b[2J\rOVER\u202eevil\x9b"
OBEYED = ("\x1b", "\x07", "\r", "\u202e", "\x9b")


def _obeys_nothing(output: str) -> None:
    assert not [c for c in OBEYED if c in output], repr(output)


def test_shown_writes_out_what_a_terminal_would_act_on() -> None:
    assert shown(HOSTILE) == "A\\x1b]0;pwned\\x07\\x1b[2J\\x0dOVER\\u202eevil\\x9b"
    assert shown("B wing\tline\nnext é ✓") == "B wing\tline\nnext é ✓"  # kept as they are


@pytest.fixture
def hostile_hull(hull_path: Path) -> Path:
    """The Hull sample with a location and a note edited by hand (no rule asked)."""
    with sqlite3.connect(hull_path) as db:
        db.execute(
            "UPDATE location SET name = ? WHERE rowid = (SELECT min(rowid) FROM location)",
            (HOSTILE,),
        )
        db.execute(
            "UPDATE note SET text = text || ? WHERE rowid = (SELECT min(rowid) FROM note)",
            (" " + HOSTILE,),
        )
    db.close()
    return hull_path


def test_check_names_the_record_as_text(hostile_hull: Path, irp_home: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(hostile_hull)])
    assert result.exit_code == 1, result.output
    assert "A\\x1b]0;pwned\\x07" in result.output  # the record is named, written out
    _obeys_nothing(result.output)


def test_a_table_shows_a_note_as_text(hostile_hull: Path, irp_home: Path) -> None:
    result = CliRunner().invoke(
        main, ["notes", "search", str(hostile_hull), "pwned"], env={"COLUMNS": "400"}
    )
    assert result.exit_code == 0, result.output
    assert "pwned\\x07" in result.output
    _obeys_nothing(result.output)


def test_an_error_shows_what_was_typed_as_text(tmp_path: Path, irp_home: Path) -> None:
    missing = tmp_path / f"{HOSTILE}.db"
    result = CliRunner().invoke(main, ["figures", str(missing)])
    assert result.exit_code != 0
    assert "pwned\\x07" in result.output
    _obeys_nothing(result.output)


async def test_the_terminal_ui_draws_a_hostile_name_as_text(hostile_hull: Path) -> None:
    """F3 shows the location a hand-edited file named with escapes: drawn without them
    (Textual wrote them to the terminal as they were, which retitled the window)."""
    from tui_helpers import hull_app, settle

    app = hull_app(hostile_hull)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        drawn = app.export_screenshot()
    assert "pwned" in drawn  # the name is on the screen
    _obeys_nothing(drawn)


def test_a_line_keeps_its_width_and_loses_what_a_terminal_obeys() -> None:
    from rich.segment import ControlType, Segment
    from textual.color import Color

    from irp_field.tui.shown_lines import ShownLines

    cursor = Segment("\x1b[2J", None, [(ControlType.CLEAR,)])  # the UI's own control: left as it is
    line = [Segment("Location "), Segment(HOSTILE), cursor]
    drawn = ShownLines().apply(line, Color(0, 0, 0))
    assert [each.text for each in drawn] == ["Location ", "A]0;pwned[2JOVERevil", "\x1b[2J"]
    assert Segment.get_line_length(drawn[:2]) == Segment.get_line_length(line[:2])
    plain = [Segment("B wing")]
    assert ShownLines().apply(plain, Color(0, 0, 0)) is plain
