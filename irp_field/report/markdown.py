"""The report as Markdown: readable as plain text, with a contents list, the charts as
text bars (captioned as bar charts), Figure 1 as a table and photographs in place (their
data defined at the end, so that the text reads without it).

Every text in it was typed by someone, or merged from another laptop: it is shown as
written, never read as HTML or as a link, as the HTML writer escapes it. A Markdown
viewer renders raw HTML (``<script>``, ``<img onerror=...>``) and follows any link
(``[x](javascript:...)``, ``<javascript:...>``); so ``<`` is written ``&lt;``, an ``&``
that would start an entity ``&amp;``, and ``[``, ``]``, a backquote, a backslash, ``*`` and
``_`` behind a backslash (an inspector's ``a*b*c`` is never italics). What the report
itself makes stays Markdown (``inline``): italics (``*handbook*``), web addresses
(``<https://...>``, only http and https), the contents' links to its own headings, and
the command the out-of-date line names (code).
"""

from __future__ import annotations

import base64
import re

from irp_field.domain.attachments import mime_type
from irp_field.findings import judgement_tally
from irp_field.report import inline
from irp_field.report.blocks import (
    Chart,
    Heading,
    JudgementsTable,
    OutcomesTable,
    PageBreak,
    Photograph,
    Report,
    Team,
    Text,
    chart_note,
)
from irp_field.report.content import stale_advice, stale_summary

_ENTITY = re.compile(r"&(?=#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_MARKED = re.compile(r"[\\`\[\]*_]")


def plain(text: str) -> str:
    """Text shown as written: nothing in it read as HTML, an entity, a link or code."""
    text = _MARKED.sub(lambda found: "\\" + found.group(), text)
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;")


def _inline(text: str) -> str:
    """The text's italics and web addresses as Markdown (``inline``), the rest plain."""
    out = []
    for span in inline.spans(text):
        if span.href.startswith(("https://", "http://")):
            out.append(f"<{span.href}>")
        elif span.italic:
            out.append(f"*{plain(span.text)}*")
        else:
            out.append(plain(span.text))
    return "".join(out)


def slug(heading: str) -> str:
    """The anchor Markdown renderers (GitHub's among them) give a heading."""
    kept = re.sub(r"[^\w\- ]", "", heading.lower())
    return kept.replace(" ", "-")


def _text(block: Text) -> str:
    body = "\\\n".join(_inline(block.text).splitlines())  # a line break kept (an address)
    if block.lead:
        body = f"**{plain(block.lead)}** {body}"
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
        return "| " + " | ".join(plain(v).replace("|", "\\|") for v in values) + " |"

    return [cells(header), "|" + "---|" * len(header), *(cells(row) for row in rows), ""]


def _contents(report: Report) -> list[str]:
    entries = report.contents()
    if not entries:
        return []
    lines = ["## Contents", ""]
    lines += [f"- [{plain(h.text)}](#{slug(h.text)})" for h in entries]
    return [*lines, ""]


def write(report: Report) -> str:
    lines = [f"# {plain(report.title)}", "", "by HM Chief Inspector of Prisons", ""]
    lines += [plain(report.dates), ""]
    if report.stale:
        # the paragraphs' numbers as written; the command the app names is code
        lines += [f"> **{plain(stale_summary(report.stale))} {stale_advice()}**", ""]
    lines += _contents(report)
    pictures: list[str] = []  # the photographs' data, defined at the end (``_photograph``)
    previous = None
    for block in report.blocks:
        is_item = isinstance(block, Text) and block.kind == "item"
        if previous == "item" and not is_item:
            lines.append("")  # the end of a list
        if isinstance(block, Heading):
            lines += [f"{'#' * block.level} {plain(block.text)}", ""]
        elif isinstance(block, Text):
            lines += [_text(block)] if is_item else [_text(block), ""]
        elif isinstance(block, Chart):
            lines += [f"**{plain(block.title)}**", ""]
            if block.note:
                lines += [f"*{plain(chart_note(block, 'bar chart'))}*", ""]
            lines += ["```text", judgement_tally.bars(block), "```", ""]
        elif isinstance(block, Team):
            lines += _table(["Name", "Role"], [[name, role] for name, role in block.members])
        elif isinstance(block, OutcomesTable):
            lines += [f"**{plain(block.caption)}**", ""] if block.caption else []
            lines += _table(
                ["Healthy prison test", *block.years],
                [[test, *judged] for test, judged in block.rows],
            )
        elif isinstance(block, JudgementsTable):
            # Plain text reads best as each recommendation with its judgement below it,
            # in bold as the HTML and Word tables set it: told apart from the next one.
            for text, judgement in block.rows:
                lines += [_inline(text), "", f"**{plain(judgement)}**", ""]
        elif isinstance(block, Photograph):
            lines += _photograph(block, pictures)
        elif isinstance(block, PageBreak):
            lines += ["---", ""]
        previous = block.kind if isinstance(block, Text) else None
    lines = [*lines, *pictures] if not pictures else [*lines, "", *pictures]
    return "\n".join(lines).rstrip("\n") + "\n"


def _photograph(block: Photograph, pictures: list[str]) -> list[str]:
    """The photograph where it stands, as a reference (``![caption][photograph-1]``), and
    its data as the reference's definition at the report's end: one file still, shown in
    place by a Markdown viewer, while Section 3 read as plain text holds a line, not
    several kilobytes of base64."""
    label = f"photograph-{len(pictures) + 1}"
    data = base64.b64encode(block.content).decode("ascii")
    pictures.append(f"[{label}]: data:{mime_type(block.kind)};base64,{data}")
    caption = plain(block.caption)
    shown = [f"![{caption}][{label}]", ""]
    return [*shown, f"*{caption}*", ""] if block.caption else shown
