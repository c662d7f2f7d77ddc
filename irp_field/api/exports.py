"""Exports for analysts (sqlite, csv, json, xlsx) and bundles (plain-text folders)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from irp_field.core.destinations import writing
from irp_field.core.visit_file import VisitFile
from irp_field.interchange.export import export_visits as export_visits

FORMATS = ("sqlite", "csv", "json", "xlsx", "bundle")


def export_bundle(
    visit_path: Path,
    out: Path,
    *,
    redact: bool = False,
    keep_attachments: bool = False,
    keep_staff_names: bool = False,
    overwrite: bool = False,
) -> Path:
    """``irp-field export --format bundle``: the visit (redacted, if asked) as a folder;
    a redacted bundle leaves the attachments out unless ``keep_attachments``. Where it
    may go is :func:`core.destinations.writing`'s rule (a folder: never one that holds
    anything, ``overwrite`` or not)."""
    from irp_field.interchange.bundle import write_bundle
    from irp_field.interchange.redaction import redacted_copy

    VisitFile.open(visit_path, readonly=True).close()  # refuse a bad file by its own name
    with (
        writing(out, overwrite=overwrite, reading=[visit_path], folder=True),
        tempfile.TemporaryDirectory(prefix="irp-export-") as scratch,
    ):
        source = (
            redacted_copy(
                visit_path,
                Path(scratch),
                keep_attachments=keep_attachments,
                keep_staff_names=keep_staff_names,
            )
            if redact
            else visit_path
        )
        with VisitFile.open(source, readonly=True) as opened:
            write_bundle(opened, out)
    return out


def seal_bundle(folder: Path) -> int:
    """``irp-field bundle seal``: write a bundle's manifest from its files as they are now
    (after editing it by hand); gives how many files it lists."""
    from irp_field.interchange.bundle import seal_bundle as seal

    return seal(folder)


def export(
    visits: list[Path],
    export_format: str,
    out: Path,
    *,
    redact: bool = False,
    keep_attachments: bool = False,
    keep_staff_names: bool = False,
    raw: bool = False,
    overwrite: bool = False,
) -> Path:
    """Export one visit (or, in sqlite, several combined) in ``export_format``. A redacted
    export follows every column's policy (``interchange.redaction``), leaves attachments
    out unless ``keep_attachments`` and pseudonymises staff unless ``keep_staff_names``;
    ``raw`` writes CSV cells as they are (no ``'`` before a would-be formula);
    ``overwrite`` replaces an existing file (never a visit: ``core.destinations``)."""
    from irp_field.domain.errors import IrpError

    if export_format not in FORMATS:
        raise IrpError(
            f"unknown export format {export_format!r}; choose one of: {', '.join(FORMATS)}"
        )
    if export_format == "bundle":
        if len(visits) != 1:
            raise IrpError("a bundle holds one visit")
        return export_bundle(
            visits[0],
            out,
            redact=redact,
            keep_attachments=keep_attachments,
            keep_staff_names=keep_staff_names,
            overwrite=overwrite,
        )
    export_visits(
        visits,
        export_format,
        out,
        redact=redact,
        keep_attachments=keep_attachments,
        keep_staff_names=keep_staff_names,
        raw=raw,
        overwrite=overwrite,
    )
    return out
