"""The report as Markdown: readable as plain text, with a contents list, the charts as
text bars (captioned as bar charts), Figure 1 as a table and photographs inline."""

from __future__ import annotations

import base64
import re

from irp_field.domain.attachments import mime_type
from irp_field.findings import tally
from irp_field.report.blocks import (
    Chart,
    Heading,
    OutcomesTable,
    PageBreak,
    Photograph,
    Report,
    Team,
    Text,
    chart_note,
)
from irp_field.report.content import stale_warning


def slug(heading: str) -> str:
    """The anchor Markdown renderers (GitHub's among them) give a heading."""
    kept = re.sub(r"[^\w\- ]", "", heading.lower())
    return kept.replace(" ", "-")


def _text(block: Text) -> str:
    body = "\\\n".join(block.text.splitlines())  # a line break kept (an address)
    if block.lead:
        body = f"**{block.lead}** {body}"
    if block.kind == "term":
        body = f"**{body}**"
    if block.kind == "caption":
        body = f"**{body}**"
    if block.kind == "item":
        body = f"- {body}"
    if block.number:
        body = f"{block.number} {body}"
    return body


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    def cells(values: list[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

    return [cells(header), "|" + "---|" * len(header), *(cells(row) for row in rows), ""]


def _contents(report: Report) -> list[str]:
    entries = report.contents()
    if not entries:
        return []
    lines = ["## Contents", ""]
    lines += [f"- [{h.text}](#{slug(h.text)})" for h in entries]
    return [*lines, ""]


def write(report: Report) -> str:
    lines = [f"# {report.title}", "", "by HM Chief Inspector of Prisons", "", report.dates, ""]
    if report.stale:
        lines += [f"> **{stale_warning(report.stale)}**", ""]
    lines += _contents(report)
    previous = None
    for block in report.blocks:
        is_item = isinstance(block, Text) and block.kind == "item"
        if previous == "item" and not is_item:
            lines.append("")  # the end of a list
        if isinstance(block, Heading):
            lines += [f"{'#' * block.level} {block.text}", ""]
        elif isinstance(block, Text):
            lines += [_text(block)] if is_item else [_text(block), ""]
        elif isinstance(block, Chart):
            lines += [f"**{block.title}**", ""]
            if block.note:
                lines += [f"*{chart_note(block, 'bar chart')}*", ""]
            lines += ["```text", tally.bars(block), "```", ""]
        elif isinstance(block, Team):
            lines += _table(["Name", "Role"], [[name, role] for name, role in block.members])
        elif isinstance(block, OutcomesTable):
            lines += _table(
                ["Healthy prison test", *block.years],
                [[test, *judged] for test, judged in block.rows],
            )
        elif isinstance(block, Photograph):
            data = base64.b64encode(block.content).decode("ascii")
            lines += [f"![{block.caption}](data:{mime_type(block.kind)};base64,{data})", ""]
            if block.caption:
                lines += [f"*{block.caption}*", ""]
        elif isinstance(block, PageBreak):
            lines += ["---", ""]
        previous = block.kind if isinstance(block, Text) else None
    return "\n".join(lines).rstrip("\n") + "\n"
