"""What commands print for scripts and show to people: ``--json`` (one option, one
printer, one documented shape per command in :mod:`irp_field.cli.json_shapes`) and
progress bars that only a person at a terminal sees."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from irp_field.domain.names import shown

F = TypeVar("F", bound=Callable[..., Any])


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """A line for a person, what a terminal would act on in it written out
    (``domain.names.shown``): every line a command prints is made from a visit's text
    or a path, and a file from elsewhere (or a hand with a SQLite browser) may hold
    ESC ]0; (which retitles the window), ESC [2J or a direction override. The one way
    the command line prints a line; ``print_json`` and :func:`echo_document` are the
    others."""
    click.echo(shown(text), err=err, nl=nl)


def echo_document(document: str | bytes) -> None:
    """A document written to standard output (the report without ``--out``): to a
    terminal as :func:`echo` shows it, to a pipe or a file byte for byte."""
    if isinstance(document, str) and sys.stdout.isatty():
        echo(document, nl=False)
    else:
        click.echo(document, nl=False)


def json_option(function: F) -> F:
    """``--json`` (the ``as_json`` parameter): the command prints one JSON document on
    standard output instead of its table or lines, with the same exit code; errors and
    warnings stay on standard error. Its shape is ``json_shapes.SHAPES[command]``."""
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print JSON for scripts instead (its shape: docs/cli.md, 'JSON output').",
    )(function)


def print_json(document: Any) -> None:
    """One JSON document on standard output. ASCII only (``\\u2013`` for an en dash): it
    reaches a script unchanged through any console's encoding (a Windows console's
    cp1252 cannot print every character a note may hold)."""
    import json  # here, not at the top: a command printing no JSON starts without it

    click.echo(json.dumps(document, indent=2, ensure_ascii=True, default=_plain))


def _plain(value: Any) -> Any:
    """What json cannot write by itself: paths as text, bytes as base64, tuples as lists."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        import base64

        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)


class Progress:
    """A progress bar's handle: advance it, or say how far; does nothing when hidden."""

    def __init__(self, bar: Any = None, task: Any = None) -> None:
        self._bar, self._task = bar, task

    def advance(self, steps: float = 1) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, steps)

    def update(
        self, completed: float, total: float | None = None, description: str | None = None
    ) -> None:
        if self._bar is not None:
            extra: dict[str, Any] = {"completed": completed}
            if total is not None:
                extra["total"] = total
            if description is not None:
                extra["description"] = description
            self._bar.update(self._task, **extra)


@contextmanager
def progress(description: str, total: float | None, *, hidden: bool = False) -> Iterator[Progress]:
    """A rich progress bar on standard error while the block runs, cleared at its end;
    only when standard error is a terminal (never piped, redirected or in a CI log) and
    not ``hidden`` (``--json``: a script reads the output). Standard output is left alone,
    so a command's own output piped elsewhere is never mixed with the bar."""
    if hidden:  # rich is not loaded for a bar nobody sees
        yield Progress()
        return
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield Progress()
        return
    from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
    )
    with Bar(*columns, console=console, transient=True) as bar:
        yield Progress(bar, bar.add_task(description, total=total))
