"""Making the report file: sync first if asked, build the content, write it whole or not at all.

One pass: with --sync the content is built from the state the sync loaded and wrote
(figures computed once, sync states and cited evidence read once), never loaded again.
``inputs.load`` reads everything else the report prints, once; ``content.build`` and the
writers work from that alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from irp_field.core import staging
from irp_field.core.destinations import writing
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.findings.sync import load, synced
from irp_field.report import content, inputs

FORMATS = ("markdown", "md", "html", "docx")


def make(
    visit: VisitFile, report_format: str, *, sync_first: bool = False
) -> tuple[content.Report, str | bytes]:
    """The report's content and its text (Markdown, HTML) or bytes (DOCX)."""
    state = synced(visit)[1] if sync_first else load(visit)
    report = content.build(inputs.load(visit, state))
    if report_format in ("markdown", "md"):
        from irp_field.report import markdown

        return report, markdown.write(report)
    if report_format == "html":
        from irp_field.report import html

        return report, html.write(report)
    if report_format == "docx":
        import io

        from irp_field.report import word

        buffer = io.BytesIO()
        word.write(report, buffer)
        return report, buffer.getvalue()
    raise IrpError(f"unknown report format {report_format!r}; choose one of: markdown, html, docx")


def write_file(
    out: Path, data: str | bytes, *, overwrite: bool = False, reading: Sequence[Path] = ()
) -> None:
    """Write beside the target and rename over it, so a failure never leaves half a report;
    where it may go is :mod:`core.destinations`' rule (``reading``: the visit it is of)."""
    with writing(out, overwrite=overwrite, reading=reading), staging.staged() as staged:
        draft = staged.file(out)  # private: a draft report quotes unpublished evidence
        draft.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def write_report(
    visit: VisitFile,
    report_format: str,
    out: Path,
    *,
    sync_first: bool = False,
    overwrite: bool = False,
) -> content.Report:
    """Make the report and write it to ``out``: the destination checked before any work,
    and any failure while making or writing it (a picture python-docx cannot read, a
    full disk) one line naming ``out``, with nothing left there."""
    with writing(out, overwrite=overwrite, reading=[visit.path]):
        report, data = make(visit, report_format, sync_first=sync_first)
        write_file(out, data, overwrite=overwrite, reading=[visit.path])
    return report
