"""Text on the command line that is not UTF-8 (issue 20): refused in one line naming the
option or argument, never a UnicodeEncodeError traceback.

On POSIX, Python decodes the command line's bytes with ``surrogateescape``: the byte 0xFF
arrives as U+DCFF, which nothing can store or print. ``CliRunner`` passes such strings
as they arrive; a real process is given the bytes themselves (``os.fsencode``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from irp_field.cli import main
from irp_field.cli.options import TEXT, VISIT

NOT_UTF8 = "T\udcff\udcfe"  # the bytes 0xFF 0xFE, as Python hands them over


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(command, click.Group):
        return [p for name, sub in command.commands.items() for p in _commands(sub, (*path, name))]
    return [path]


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


TEXT_PARAMS = [
    (path, param.name)
    for path in _commands(main)
    for param in _command(path).params
    if param.type is TEXT
]


def test_every_text_parameter_of_every_command_is_checked() -> None:
    """No parameter is left plain text: one a command adds tomorrow is checked too."""
    plain = [
        (path, param.name)
        for path in _commands(main)
        for param in _command(path).params
        if type(param.type) is click.types.StringParamType
    ]
    assert plain == []
    assert len(TEXT_PARAMS) > 60  # findings add's TEXT, glossary set's TERM, --caption...
    assert {"text", "term", "definition", "caption", "query", "why", "user"} <= {
        name for _, name in TEXT_PARAMS
    }
    with_a_visit = {
        path for path in _commands(main) if any(p.type is VISIT for p in _command(path).params)
    }
    reads_no_visit = {("demo",), ("list",), ("keys", "new"), ("keys", "show"), ("bundle", "seal")}
    assert with_a_visit == set(_commands(main)) - reads_no_visit  # a path: any bytes


def _value(param: click.Parameter, tmp_path: Path) -> str:
    """A value the parameter takes (a file that exists, a choice it offers)."""
    if isinstance(param.type, click.Choice):
        return str(param.type.choices[0])
    if isinstance(param.type, click.types.IntParamType | click.types.FloatParamType):
        return "1"
    if isinstance(param.type, click.Path):
        existing = tmp_path / "existing.png"
        existing.write_bytes(b"x")
        return str(existing)
    return "x"


def _arguments(path: tuple[str, ...], bad: str, tmp_path: Path) -> list[str]:
    """The command's arguments with NOT_UTF8 as ``bad`` and a fine value for the rest."""
    args = list(path)
    options: list[str] = []
    for param in _command(path).params:
        value = NOT_UTF8 if param.name == bad else _value(param, tmp_path)
        if isinstance(param, click.Argument):
            args.append(value)
        elif param.name == bad:
            assert isinstance(param, click.Option)
            options += [param.opts[0], value]
    return args + options


@pytest.mark.parametrize(
    ("path", "name"), TEXT_PARAMS, ids=[f"{' '.join(p)} {n}" for p, n in TEXT_PARAMS]
)
def test_text_that_is_not_utf8_is_refused_in_one_line_naming_it(
    tmp_path: Path, path: tuple[str, ...], name: str
) -> None:
    result = CliRunner().invoke(main, _arguments(path, name, tmp_path))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # no traceback
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    param = next(p for p in _command(path).params if p.name == name)
    shown = (
        max(param.opts, key=len) if isinstance(param, click.Option) else param.human_readable_name
    )
    assert lines[0] == (
        f"Error: {shown} is not UTF-8 text (bytes 0xFF 0xFE); type it again, or set the "
        "terminal to UTF-8"
    )


def test_who_is_recording_from_the_environment_is_refused_too(hull_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["sync", str(hull_path)], env={"IRP_FIELD_USER": "Jade \udce9"}
    )
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: --by is not UTF-8 text (byte 0xE9); type it again, or set the terminal to UTF-8"
    )


def test_who_is_recording_holding_what_no_document_can_hold_is_refused(hull_path: Path) -> None:
    """``--by`` goes into every record's created_by, which no rule reads: the merge of this
    laptop's file would have been refused for it."""
    result = CliRunner().invoke(main, ["sync", str(hull_path), "--by", "Jade\uffff"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: --by holds U+FFFF, a character no document can hold"


@pytest.mark.skipif(os.name != "posix", reason="the command line's bytes are POSIX's")
@pytest.mark.parametrize(
    ("args", "named"),
    [
        ([b"findings", b"add", b"VISIT", b"1.38", b"Locked up \xff."], b"TEXT"),
        ([b"glossary", b"set", b"VISIT", b"Seg\xe9", b"Segregation unit."], b"TERM"),
        ([b"attach", b"VISIT", b"PHOTO", b"--paragraph", b"3.1", b"--caption", b"B wing \xff"],
         b"--caption"),
        ([b"notes", b"search", b"VISIT", b"\xff"], b"QUERY"),
    ],
)  # fmt: skip
def test_a_real_process_given_bytes_that_are_not_utf8_refuses_them_in_one_line(
    hull_path: Path, tmp_path: Path, args: list[bytes], named: bytes
) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n")
    given = [
        os.fsencode(hull_path) if a == b"VISIT" else os.fsencode(photo) if a == b"PHOTO" else a
        for a in args
    ]
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONUTF8": "1"}
    done = subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"irp_field", *given],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(b"Error: " + named + b" is not UTF-8 text")
