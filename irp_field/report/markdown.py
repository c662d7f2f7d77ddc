"""The report as Markdown: readable as plain text, with the charts as text bars."""

from __future__ import annotations

from irp_field.findings import tally
from irp_field.report.content import Chart, Heading, Report, Team, Text, stale_warning


def _text(block: Text) -> str:
    body = f"**{block.lead}** {block.text}" if block.lead else block.text
    if block.number:
        body = f"{block.number} {body}"
    return body


def write(report: Report) -> str:
    lines = [f"# {report.title}", "", "by HM Chief Inspector of Prisons", "", report.dates, ""]
    if report.stale:
        lines += [f"> **{stale_warning(report.stale)}**", ""]
    for block in report.blocks:
        if isinstance(block, Heading):
            lines += [f"{'#' * block.level} {block.text}", ""]
        elif isinstance(block, Text):
            lines += [_text(block), ""]
        elif isinstance(block, Chart):
            lines += [f"**{block.title}**", "", "```text", tally.bars(block), "```", ""]
            if block.note:
                lines += [f"*{block.note}*", ""]
        elif isinstance(block, Team):
            lines += ["| Name | Role |", "|---|---|"]
            lines += [f"| {name} | {role} |" for name, role in block.members]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
