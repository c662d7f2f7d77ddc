"""Every line a command prints from a visit's text is written out, never obeyed (hostile).

``check``, ``notes search``, ``purge`` and ``restore`` wrote a hand-edited file's escapes
out (``tests/test_terminal_output.py``), but the commands that list what a visit holds
printed them raw: ``findings list``, ``summary list``, ``glossary list``, ``parts list``
and ``show``, ``attachments list`` and ``evidence`` each sent ESC ]0; (which retitles the
window), ESC [2J (which clears it), a bell, a carriage return (which writes over the
line) or a direction override straight to the terminal, from a paragraph, a term, a
caption or a plan item's text. The command line now prints every line through one
function (``cli.output.echo``), and no command calls ``click.echo`` itself."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from irp_field.cli import main

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\rOVER\u202eevil\x9b"
OBEYED = ("\x1b", "\x07", "\r", "\u202e", "\x9b")
WRITTEN_OUT = "\\x1b]0;pwned\\x07"

# Every text column these commands print, edited by a hand (no rule asked).
EDITS = {
    "finding": ("text",),
    "report_paragraph": ("text",),
    "glossary_term": ("term", "definition"),
    "report_part": ("text",),
    "attachment": ("caption", "file_name"),
    "plan_item": ("text", "body"),
    "note": ("text",),
    "previous_outcome": ("judgement",),
}


@pytest.fixture
def hostile_hull(hull_path: Path) -> Path:
    with sqlite3.connect(hull_path) as db:
        for table, columns in EDITS.items():
            sets = ", ".join(f"{column} = {column} || ?" for column in columns)
            db.execute(f"UPDATE {table} SET {sets}", (HOSTILE,) * len(columns))
        db.execute(
            "INSERT INTO report_part (id, key, text, version) VALUES "
            "('p1', 'signature_name', ?, '1700000000000.000000.abc')",
            ("Charlie" + HOSTILE,),
        )
    db.close()
    return hull_path


COMMANDS = {
    "findings list": ["findings", "list"],
    "summary list": ["summary", "list"],
    "glossary list": ["glossary", "list"],
    "parts list": ["parts", "list"],
    "parts show": ["parts", "show", "{visit}", "signature_name"],
    "attachments list": ["attachments", "list"],
    "evidence": ["evidence", "{visit}", "1.34a"],
    "outcomes list": ["outcomes", "list"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_listing_writes_a_files_escapes_out(hostile_hull: Path, command: str) -> None:
    words = COMMANDS[command]
    args = [w.format(visit=hostile_hull) for w in words] if "{visit}" in words else [
        *words, str(hostile_hull)
    ]  # fmt: skip
    result = CliRunner().invoke(main, args, terminal_width=250, env={"COLUMNS": "250"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert WRITTEN_OUT in result.output, result.output[:2000]  # the text is still shown
    assert not [c for c in OBEYED if c in result.output], repr(result.output[:2000])


def test_no_command_prints_a_line_but_through_echo() -> None:
    """One way out for a line (``cli.output.echo``): a command printing with
    ``click.echo`` itself would print a file's escapes raw again."""
    cli = Path(__file__).resolve().parent.parent / "irp_field" / "cli"
    found = [
        f"{path.name}:{number}"
        for path in sorted(cli.glob("*.py"))
        if path.name != "output.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bclick\.(echo|secho)\(|(?<![.\w])print\(", line)
    ]
    assert found == []
