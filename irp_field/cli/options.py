"""Options and helpers shared by the commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

    from irp_field.api.visits import Visit

F = TypeVar("F", bound=Callable[..., Any])


def visit_argument(function: F) -> F:
    return click.argument("visit", metavar="VISIT")(function)


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
        help="Replace --out if it is a file already there (never a visit file or any other "
        "SQLite database, nothing in the data folder's visits and backups folders, never a "
        "folder that holds anything).",
    )(function)


def visit_path(name: str) -> Path:
    from irp_field.api.visits import visit_path as resolve

    return resolve(name)


def open_visit(
    name: str, *, user: str | None = None, readonly: bool = False, check_pages: bool = True
) -> Visit:
    from irp_field.api.visits import open_visit as open_file

    return open_file(name, user=user, readonly=readonly, check_pages=check_pages)


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False)
