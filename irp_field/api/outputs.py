"""What the report screen writes into one folder: the report in each format and the
exports, each through the function its command calls, named after the visit file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from irp_field.api.exports import export_bundle
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError

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


def write_one(visit_path: Path, folder: Path, what: str, redact: bool) -> Written:
    out = out_path(visit_path, folder, what, redact)
    kind, fmt = what.split()
    try:
        if not folder.is_dir():
            raise IrpError(f"{folder}: no such folder")
        if kind == "report":
            from irp_field.report.build import make, write_file

            if out.exists():
                raise IrpError(f"{out}: already exists; choose another folder")
            with VisitFile.open(visit_path, readonly=True) as opened:
                _, data = make(opened, fmt)
            write_file(out, data)
        elif fmt == "bundle":
            export_bundle(visit_path, out, redact=redact)
        else:
            from irp_field.interchange.export import export_visits

            export_visits([visit_path], fmt, out, redact=redact)
    except IrpError as error:
        return Written(what, out, str(error))
    return Written(what, out)


def write_all(
    visit_path: Path,
    folder: Path,
    wanted: list[str],
    redact: bool,
    on_done: Callable[[Written], None] | None = None,
) -> list[Written]:
    written = []
    for what in wanted:
        result = write_one(visit_path, folder, what, redact)
        written.append(result)
        if on_done is not None:
            on_done(result)
    return written
