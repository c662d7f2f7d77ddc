"""Opening a visit file by path or name: what nearly every command does first, kept
light (the file's module and the data folder's, nothing else), so that a quick command
on any visit costs its own work. :mod:`irp_field.api.visits` holds the rest."""

from __future__ import annotations

from pathlib import Path

from irp_field import paths
from irp_field.core.visit_file import VisitFile


def visit_path(name: str | Path) -> Path:
    """A VISIT argument: a path, or the name of a visit in the data folder (.db optional)."""
    return paths.resolve_visit(name)


def open_visit(
    path: str | Path,
    *,
    user: str | None = None,
    readonly: bool = False,
    check_pages: bool = True,
) -> VisitFile:
    """Open a visit file by path or name, refusing anything that is not a whole one."""
    return VisitFile.open(visit_path(path), user=user, readonly=readonly, check_pages=check_pages)


def open_reader(path: Path, *, user: str | None = None, verify: bool = True) -> VisitFile:
    """A read-only connection to a file this process may also be writing (the UI's workers)."""
    return VisitFile.open_reader(path, user=user, verify=verify)
