"""Making the report file: sync first if asked, build the content, write it whole or not at all.

One pass: with --sync the content is built from the state the sync loaded and wrote
(figures computed once, sync states and cited evidence read once), never loaded again.
"""

from __future__ import annotations

import os
from pathlib import Path

from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.findings.sync import load, synced
from irp_field.report import content

FORMATS = ("markdown", "md", "html", "docx")


def make(
    visit: VisitFile, report_format: str, *, sync_first: bool = False
) -> tuple[content.Report, str | bytes]:
    """The report's content and its text (Markdown, HTML) or bytes (DOCX)."""
    state = synced(visit)[1] if sync_first else load(visit)
    report = content.build(visit, state)
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


def write_file(out: Path, data: str | bytes) -> None:
    """Write beside the target and rename over it, so a failure never leaves half a report."""
    if out.is_dir():
        raise IrpError(f"{out}: is a folder; give a file name")
    if not out.parent.exists():
        raise IrpError(f"{out.parent}: no such folder")
    from irp_field.paths import create_private_file

    partial = out.with_name(f".{out.name}.partial")
    try:
        create_private_file(partial)  # a draft report quotes unpublished evidence: owner only
        if isinstance(data, bytes):
            partial.write_bytes(data)
        else:
            partial.write_text(data, encoding="utf-8")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
