"""Opening a visit file by path or name: what nearly every command does first, kept
light (the file's module and the data folder's, nothing else), so that a quick command
on any visit costs its own work. :mod:`irp_field.api.visits` holds the rest."""

from __future__ import annotations

from pathlib import Path

from irp_field import paths
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError, NotAVisitError


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
    """Open a visit file by path or name, refusing anything that is not a whole one, and
    a writer's ``user`` given as a slip of a team member's name ("Jade Richard"): every
    record it wrote would carry a stranger's name (a phantom inspector in the figures by
    inspector, in each record's history and in the hand-back)."""
    found = visit_path(path)
    if not found.exists() and paths.is_bare_name(path):
        raise NotAVisitError(_no_such_visit(found))
    visit = VisitFile.open(found, user=user, readonly=readonly, check_pages=check_pages)
    try:
        if user and not readonly:
            _refuse_a_slip(visit, user)
        elif not readonly:  # nobody said who records: whom this laptop knows, as the app
            from irp_field.api.identity import known_here

            visit.user = known_here(visit) or visit.user
    except BaseException:
        visit.close()
        raise
    return visit


def _no_such_visit(path: Path) -> str:
    """A visit named that the visits folder lacks, with the names near it ("hul" or
    "Hull" for hull): a name typed by hand is often a letter or a capital out."""
    said = f"{path}: no such file"
    folder = path.parent
    names = sorted(p.stem for p in folder.glob("*.db")) if folder.is_dir() else []
    if not names:
        return said
    from difflib import get_close_matches

    by_case = {name.casefold(): name for name in names}
    near = get_close_matches(path.stem.casefold(), list(by_case), n=3, cutoff=0.6)
    if not near:
        return f"{said} (irp-field list names the visits there)"
    return f"{said}; did you mean {' or '.join(repr(by_case[n]) for n in near)}?"


def _refuse_a_slip(visit: VisitFile, user: str) -> None:
    from irp_field.api.identity import member_meant

    meant = member_meant(visit, user)
    if meant is not None:
        raise IrpError(
            f"{user.strip()!r} is not on the team of {visit.path.name}; did you mean "
            f"{meant!r}? Nothing was recorded"
        )


def open_reader(path: Path, *, user: str | None = None, verify: bool = True) -> VisitFile:
    """A read-only connection to a file this process may also be writing (the UI's workers)."""
    return VisitFile.open_reader(path, user=user, verify=verify)
