"""Options and helpers shared by the commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

    from irp_field.core.visit_file import VisitFile

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


def visit_path(name: str) -> Path:
    from irp_field import paths

    return paths.resolve_visit(name)


def open_visit(
    name: str, *, user: str | None = None, readonly: bool = False, check_pages: bool = True
) -> VisitFile:
    from irp_field.core.visit_file import VisitFile

    return VisitFile.open(visit_path(name), user=user, readonly=readonly, check_pages=check_pages)


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False)
