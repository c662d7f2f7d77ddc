"""Exports for analysts (sqlite, csv, json, xlsx) and bundles (plain-text folders)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from irp_field import paths
from irp_field.core.destinations import writing
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
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
    organisation_key: str | None = None,
    fresh_key: bool = False,
) -> Path:
    """``irp-field export --format bundle``: the visit (redacted, if asked) as a folder;
    a redacted bundle leaves the attachments out unless ``keep_attachments``. A redacted
    bundle is written from a copy redacted as it is made, in the data folder's ``tmp/``
    (removed on every way out, and at the next start after a kill). Where it may go is
    :func:`core.destinations.writing`'s rule (a folder: never one that holds anything,
    ``overwrite`` or not)."""
    from irp_field.interchange import redaction
    from irp_field.interchange.bundle import write_bundle
    from irp_field.interchange.redacted_copy import redacted_copy

    VisitFile.open(visit_path, readonly=True).close()  # refuse a bad file by its own name
    with writing(out, overwrite=overwrite, reading=[visit_path], folder=True):
        if not redact:
            with VisitFile.open(visit_path, readonly=True) as opened:
                write_bundle(opened, out)
            return out
        key = redaction.export_key(visit_path, organisation_key=organisation_key, fresh=fresh_key)
        with paths.Scratch("export") as scratch:
            copy = redacted_copy(
                visit_path,
                scratch.path,
                key=key,
                keep_attachments=keep_attachments,
                keep_staff_names=keep_staff_names,
            )
            with VisitFile.open(copy, readonly=True) as opened:
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
    key_file: Path | None = None,
    fresh_key: bool = False,
    on_visit_read: Callable[[Path], None] | None = None,
    excel: bool = False,
) -> Path:
    """Export one visit (or several combined, in any format but a bundle) in
    ``export_format``; ``excel`` begins each CSV file with a byte-order mark. A redacted
    export follows every column's policy (``interchange.redaction``), leaves attachments
    out unless ``keep_attachments`` and pseudonymises staff unless ``keep_staff_names``;
    its pseudonyms are made with the organisation's key in ``key_file`` (the same in
    every visit), a key for this export alone (``fresh_key``) or each visit's own.
    ``raw`` writes CSV cells as they are (no ``'`` before a would-be formula);
    ``overwrite`` replaces an existing file (never a visit: ``core.destinations``);
    ``on_visit_read`` hears of each visit read (the analyst formats; then the writing)."""
    from irp_field.interchange.redaction import read_key_file

    if export_format not in FORMATS:
        raise IrpError(
            f"unknown export format {export_format!r}; choose one of: {', '.join(FORMATS)}"
        )
    if (key_file is not None or fresh_key) and not redact:
        raise IrpError("--key-file and --fresh-key go with --redact (they make its pseudonyms)")
    if key_file is not None and fresh_key:
        raise IrpError("choose --key-file or --fresh-key, not both")
    organisation_key = read_key_file(key_file) if key_file is not None else None
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
            organisation_key=organisation_key,
            fresh_key=fresh_key,
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
        organisation_key=organisation_key,
        fresh_key=fresh_key,
        on_visit_read=on_visit_read,
        excel=excel,
    )
    return out
