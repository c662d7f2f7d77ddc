"""Options and helpers shared by the commands."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from irp_field.domain.errors import IrpError
from irp_field.domain.names import shown, unwritable

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem
    from rich.console import Console
    from rich.text import Text as RichText

    from irp_field.api.visits import Visit

F = TypeVar("F", bound=Callable[..., Any])


class OutPath(click.Path):
    """``--out``: a path, and whether it was typed as a folder. pathlib drops a last
    separator ("usb/" is ``Path("usb")``), so an export of one file to ``--out usb/``
    was written as a file called ``usb``: the typed form is kept in the context's meta
    for :func:`one_file` to refuse."""

    def __init__(self) -> None:
        super().__init__(path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value)
        if ctx is not None and param is not None and param.name:
            ends = tuple(sep for sep in (os.sep, os.altsep) if sep)
            folder = text.endswith(ends) and text.rstrip("".join(ends)) != ""
            ctx.meta.setdefault(_FOLDER_TYPED, {})[param.name] = folder
        return super().convert(value, param, ctx)


_FOLDER_TYPED = "irp_field.folder_typed"


def _as_folder(param: str) -> bool:
    """Was the command's ``param`` typed as a folder (:class:`OutPath`)?"""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(_FOLDER_TYPED, {}).get(param))


def one_file(out: Path | None, what: str, named: Callable[[], str], param: str = "out") -> None:
    """``--out`` must name one file (``what``: "the xlsx export"): typed as a folder
    ("usb/", :class:`OutPath`), it is refused, naming a file in it (``named()``) to give."""
    if out is not None and _as_folder(param):
        from irp_field.domain.errors import NotWrittenError

        raise NotWrittenError(
            f"{out}{os.sep}",
            f"names a folder; {what} is one file: give its name, such as {out / named()}",
        )


def folder_typed(out: Path, param: str = "out") -> bool:
    """Was ``--out`` typed as a folder ("usb/", :class:`OutPath`)? One that is not there
    is then no file's name to give it (``attachments save``: a file, or a folder)."""
    folder = _as_folder(param)
    if folder and not out.is_dir():
        from irp_field.domain.errors import NotWrittenError

        raise NotWrittenError(f"{out}{os.sep}", "no such folder")
    return folder


class Text(click.ParamType[str]):
    """Text typed on the command line: refused in one line when it is not UTF-8.

    On POSIX, Python decodes the command line's bytes with ``surrogateescape``: a byte
    that is not UTF-8 (a Latin-1 ``é`` typed in a terminal set to another encoding, a
    script passing raw bytes) arrives as a lone surrogate (0xFF as U+DCFF), which no
    visit file, screen or document can hold; storing one stopped ``findings add`` with
    a UnicodeEncodeError traceback. Any other character no document can hold
    (``domain.names.unwritable``) is refused here too, naming the option: ``--by``'s name
    goes into every record's ``created_by``, which no rule reads. Every text option and
    argument of every command has this type (:func:`text_everywhere`); a visit's path
    does not (:data:`VISIT`): a file name may be any bytes the system allows."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and _SURROGATE.search(value):
            raise IrpError(f"{_named(param)} is not UTF-8 text ({_what_bytes(value)}); "
                           "type it again, or set the terminal to UTF-8")  # fmt: skip
        character = unwritable(value) if isinstance(value, str) else None
        if character is not None:  # --by too, which no other rule reads (created_by)
            raise IrpError(f"{_named(param)} holds {character}, a character no document can hold")
        return value


class VisitName(click.ParamType[str]):
    """A visit: a path or a name in the data folder, any bytes the system allows."""

    name = "visit"

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        """Tab completes the names of the visits in the data folder, and files."""
        from click.shell_completion import CompletionItem

        from irp_field import paths

        folder = paths.visits_folder(create=False)
        names = sorted(path.stem for path in folder.glob("*.db")) if folder.is_dir() else []
        found = [CompletionItem(name) for name in names if name.startswith(incomplete)]
        return [*found, CompletionItem(incomplete, type="file")]


TEXT = Text()
VISIT = VisitName()
STANDARD_INPUT = Path("-")  # a file argument of "-": standard input (import, sample draw)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _named(param: click.Parameter | None) -> str:
    if param is None:
        return "a value"
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.human_readable_name


def _what_bytes(value: str) -> str:
    """The bytes the terminal gave (U+DC80-U+DCFF stand for 0x80-0xFF), or the character."""
    found = [ord(c) for c in _SURROGATE.findall(value)]
    if all(0xDC80 <= code <= 0xDCFF for code in found):
        shown = " ".join(f"0x{code - 0xDC00:02X}" for code in found[:4])
        return f"byte{'s' if len(found) > 1 else ''} {shown}{' ...' if len(found) > 4 else ''}"
    return f"U+{found[0]:04X}, half of a character"


def text_everywhere(command: click.Command) -> None:
    """Every plain text parameter of ``command`` and its subcommands made :data:`TEXT`: one
    home, so a text option added tomorrow is checked too (``test_cli_text.py`` walks them
    all with a byte that is not UTF-8)."""
    for param in command.params:
        if type(param.type) is click.types.StringParamType:
            param.type = TEXT
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            text_everywhere(sub)


def visit_argument(function: F) -> F:
    return click.argument("visit", metavar="VISIT", type=VISIT)(function)


def by_option(function: F) -> F:
    return click.option(
        "--by",
        "user",
        metavar="NAME",
        envvar="IRP_FIELD_USER",
        help="Who is recording (a team member's name); defaults to IRP_FIELD_USER or your login.",
    )(function)


def overwrite_option(function: F) -> F:
    return click.option(
        "--overwrite",
        is_flag=True,
        help="Replace --out if it is a file already there, or an earlier export of the same "
        "kind (an SQLite export, a CSV folder: known by what they hold); never a visit file "
        "or any other SQLite database, nothing in the data folder's visits and backups "
        "folders, never a folder that holds anything else.",
    )(function)


def visit_path(name: str) -> Path:
    from irp_field.api.opening import visit_path as resolve

    return resolve(name)


def open_visit(
    name: str, *, user: str | None = None, readonly: bool = False, check_pages: bool = True
) -> Visit:
    from irp_field.api.opening import open_visit as open_file

    return open_file(name, user=user, readonly=readonly, check_pages=check_pages)


def shown_text(value: object, style: str = "") -> RichText:
    """A table's cell or a line from a file's text: rich's ``Text`` (never read as
    markup) of the text as ``domain.names.shown`` gives it, measured as it is printed."""
    from rich.text import Text

    return Text(shown(str(value)), style=style)


# The exit of a command whose reader stopped reading (``irp-field figures hull --json |
# head``): as a program ended by SIGPIPE, 128 + 13, with nothing said (it was no error of
# the person's, and the pipe's reader took what it wanted).
PIPE_CLOSED = 141


def reader_gone() -> None:
    """Standard output's reader closed the pipe: what is left unprinted goes nowhere, so
    that Python's last flush at exit does not fail again with a second message."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test's runner): nothing to flush
        pass


def console() -> Console:
    """Rich's console for a command's tables and lines, printing a file's texts as
    ``domain.names.shown`` gives them: an escape or a carriage return held in a record
    (a hand-edited file's location, a note) is written out, never obeyed by the
    terminal. Rich's own styles and cursor moves are not in the texts it yields."""
    from rich.console import Console
    from rich.segment import Segment

    class ShownConsole(Console):
        def render(self, renderable: Any, options: Any = None) -> Iterator[Segment]:
            for segment in super().render(renderable, options):
                text = segment.text
                if segment.control or text.isprintable():
                    yield segment
                else:
                    yield Segment(shown(text), segment.style, segment.control)

        def on_broken_pipe(self) -> None:  # as every command's closed pipe ends
            self.quiet = True
            reader_gone()
            raise SystemExit(PIPE_CLOSED)

    return ShownConsole(highlight=False)
