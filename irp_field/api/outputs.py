"""What the report screen writes into one folder: the report in each format and the
exports, each through the function its command calls, named after the visit file, where
``core.destinations``' rule lets it go (a file there is replaced only when asked; an
SQLite file or a folder only when it is the export's own, known by what it holds)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from irp_field.api.exports import export_bundle
from irp_field.core.destinations import OwnOutput, may_replace, reason, refusal
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError, NotWrittenError

REPORTS = {"markdown": ".md", "html": ".html", "docx": ".docx"}
EXPORTS = {
    "sqlite": ".sqlite",
    "csv": "-csv",
    "json": ".json",
    "xlsx": ".xlsx",
    "bundle": "-bundle",
}


@dataclass(frozen=True)
class Written:
    what: str  # "report markdown", "export csv"
    path: Path
    error: str = ""  # why it was not written


def out_path(visit_path: Path, folder: Path, what: str, redact: bool) -> Path:
    kind, fmt = what.split()
    if kind == "report":
        return folder / f"{visit_path.stem}-report{REPORTS[fmt]}"
    return folder / f"{visit_path.stem}{'-redacted' if redact else ''}{EXPORTS[fmt]}"


def _own(what: str) -> OwnOutput | None:
    """What an export's own earlier output holds, as its writer declares it."""
    kind, fmt = what.split()
    if kind != "export" or fmt == "bundle":
        return None
    from irp_field.interchange.export_database import own_output

    return own_output(fmt)


def _written_beside(out: Path, what: str) -> list[Path]:
    """``out`` and the files written beside it (the SQLite export's Datasette metadata)."""
    if what != "export sqlite":
        return [out]
    from irp_field.interchange.export_writers import metadata_path

    return [out, metadata_path(out)]


def replaceable(visit_path: Path, folder: Path, wanted: list[str], redact: bool) -> list[Path]:
    """The outputs already in ``folder`` that may be replaced if the person says so (the
    screen asks first, naming each); a visit there is refused without a question."""
    found = []
    for what in wanted:
        is_folder = what in ("export csv", "export bundle")
        for out in _written_beside(out_path(visit_path, folder, what, redact), what):
            if may_replace(out, reading=[visit_path], folder=is_folder, own=_own(what)):
                found.append(out)
    return found


def may_be_replaced(out: Path, visit_path: Path) -> bool:
    """``out`` is there, and only the person's yes stands between it and being replaced
    (a hand-back onto last night's file on the stick): the screen asks."""
    return may_replace(out, reading=[visit_path])


def never_written(visit_path: Path, folder: Path, wanted: list[str], redact: bool) -> list[str]:
    """The outputs ``core.destinations``' rule refuses even when the person would say
    replace (a visit or any SQLite file there, the data folder's ``visits/``): each by
    name and why, said before any question is asked."""
    found = []
    for what in wanted:
        is_folder = what in ("export csv", "export bundle")
        for out in _written_beside(out_path(visit_path, folder, what, redact), what):
            why = refusal(
                out, overwrite=True, reading=[visit_path], folder=is_folder, own=_own(what)
            )
            if why is not None:
                found.append(f"{out.name}: {why}")
    return found


def write_one(
    visit_path: Path, folder: Path, what: str, redact: bool, overwrite: bool = False
) -> Written:
    """One output through the function its command calls; any failure, of any kind, is
    its ``error`` (one line), never an exception: the screen stays up."""
    out = out_path(visit_path, folder, what, redact)
    kind, fmt = what.split()
    try:
        if not folder.is_dir():
            raise IrpError(f"{folder}: no such folder")
        if kind == "report":
            from irp_field.report.build import write_report

            with VisitFile.open(visit_path, readonly=True) as opened:
                write_report(opened, fmt, out, overwrite=overwrite)
        elif fmt == "bundle":
            export_bundle(visit_path, out, redact=redact, overwrite=overwrite)
        else:
            from irp_field.interchange.export import export_visits

            export_visits([visit_path], fmt, out, redact=redact, overwrite=overwrite)
    except NotWrittenError as error:
        return Written(what, out, error.why)
    except Exception as error:  # a bug in a writer's library must not end the UI
        return Written(what, out, reason(error))
    return Written(what, out)


def write_all(
    visit_path: Path,
    folder: Path,
    wanted: list[str],
    redact: bool,
    on_done: Callable[[Written], None] | None = None,
    overwrite: bool = False,
) -> list[Written]:
    written = []
    for what in wanted:
        result = write_one(visit_path, folder, what, redact, overwrite)
        written.append(result)
        if on_done is not None:
            on_done(result)
    return written


def default_folder(visit_path: Path) -> Path:
    """The folder F12 offers: beside the visit, never the data folder's ``visits/``."""
    from irp_field import paths

    return paths.output_folder(visit_path)
