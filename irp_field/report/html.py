"""The report as one self-contained HTML file: inline CSS, SVG charts and photographs,
a contents list linked to the sections, paragraph cross-references as links; clean in
print."""

from __future__ import annotations

import base64
from html import escape

from irp_field.domain.attachments import mime_type
from irp_field.report import charts, inline
from irp_field.report.blocks import (
    Block,
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

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #111; overflow-wrap: break-word; }
a { overflow-wrap: anywhere; } /* a web address breaks rather than widen a phone's page */
h1 { font-size: 1.8em; } h2 { font-size: 1.4em; margin-top: 2em; } h3 { font-size: 1.15em; }
.cover { margin-bottom: 3em; } .cover .establishment { display: block; font-size: 1.5em; }
nav.contents ol { list-style: none; padding-left: 0; }
p.numbered { display: grid; grid-template-columns: 3.2em 1fr; }
p.numbered .number { font-weight: bold; }
p.judgement, p.term { font-weight: bold; margin-top: -0.4em; }
p.term { margin-top: 1em; margin-bottom: 0.2em; }
.warning { border: 2px solid #c62828; padding: 0.6em 1em; background: #fdecea; }
figure { margin: 1em 0; break-inside: avoid; }
figcaption, p.caption { font-weight: bold; margin-bottom: 0.4em; }
div.chart { display: flex; flex-wrap: wrap; align-items: center; column-gap: 1.5em; }
div.chart svg { max-width: 100%; height: auto; }
ul.legend { list-style: none; padding: 0; margin: 0; }
ul.legend li { margin: 0.35em 0; }
ul.legend .swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.5em;
                    vertical-align: -0.05em; print-color-adjust: exact; }
figure.photograph img { max-width: 100%; height: auto; }
figure.photograph figcaption { font-weight: normal; font-style: italic; margin-top: 0.3em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { text-align: left; vertical-align: top; }
table.team th, table.team td { padding: 0.15em 1.2em 0.15em 0; }
table.outcomes th, table.outcomes td, table.judgements th, table.judgements td {
  border: 1px solid #767676; padding: 0.3em 0.8em; }
table.judgements tbody th { font-weight: normal; }
table.judgements td { font-weight: bold; }
@media (min-width: 22em) { /* "Reasonable progress" whole, where the page has room */
  table.judgements td { white-space: nowrap; } }
table.judgements p { margin: 0; }
@media (max-width: 30em) { /* a phone: the tables' columns take less room to their sides */
  body { padding: 0 0.75em; }
  table.outcomes th, table.outcomes td, table.judgements th, table.judgements td {
    padding: 0.3em 0.4em; } }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
                   overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
hr.page-break { border: none; margin: 3em 0; }
@page { size: A4; margin: 2.5cm 2.5cm 2cm;
  @bottom-center { content: "Page " counter(page); font: 9pt Arial, Helvetica, sans-serif; } }
@page :first { @bottom-center { content: none; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  header.cover { break-after: page; }
  h2 { break-before: page; } h2, h3, figcaption, p.caption { break-after: avoid; }
  nav.contents h2 { break-before: auto; }
  p { orphans: 3; widows: 3; }
  tr { break-inside: avoid; }
  .warning { background: none; }
  hr.page-break { break-after: page; }
}
"""


class _Writer:
    def __init__(self, report: Report) -> None:
        self.anchors = {
            block.number for block in report.blocks if isinstance(block, Text) and block.number
        }
        self.glossary = any(
            isinstance(b, Heading) and b.anchor == "appendix-ii" for b in report.blocks
        )

    def inline(self, text: str) -> str:
        out = []
        for span in inline.spans(text, self.anchors, self.glossary):
            body = "<br>".join(escape(line) for line in span.text.split("\n"))
            if span.italic:
                body = f"<em>{body}</em>"
            if span.href:
                body = f'<a href="{escape(span.href)}">{body}</a>'
            out.append(body)
        return "".join(out)

    def text(self, block: Text) -> str:
        body = self.inline(block.text)
        if block.lead:
            body = f"<strong>{escape(block.lead)}</strong> {body}"
        if block.kind == "item":
            return f"<li>{body}</li>"
        if block.kind == "term":
            body = f"<strong>{body}</strong>"
        if block.number:
            return (
                f'<p class="numbered" id="p{escape(block.number)}"><span class="number">'
                f"{escape(block.number)}</span><span>{body}</span></p>"
            )
        css = f' class="{block.kind}"' if block.kind != "plain" else ""
        return f"<p{css}>{body}</p>"

    def judgements(self, table: JudgementsTable) -> str:
        """Section 4's two columns; each cell a paragraph, as each is in the published
        report, and each recommendation the header of its row (read with its judgement)."""
        rows = "".join(
            f'<tr><th scope="row"><p>{self.inline(text)}</p></th>'
            f"<td><p>{escape(judgement)}</p></td></tr>"
            for text, judgement in table.rows
        )
        return (
            f'<table class="judgements"><caption class="visually-hidden">{escape(table.caption)}'
            f'</caption><thead><tr><th scope="col">{escape(table.item)}</th>'
            f'<th scope="col">Judgement</th></tr></thead><tbody>{rows}</tbody></table>'
        )

    def block(self, block: Block) -> str:
        if isinstance(block, Heading):
            anchor = f' id="{escape(block.anchor)}"' if block.anchor else ""
            return f"<h{block.level}{anchor}>{escape(block.text)}</h{block.level}>"
        if isinstance(block, Text):
            return self.text(block)
        if isinstance(block, Chart):
            note = f"<p>{escape(chart_note(block, 'pie chart'))}</p>" if block.note else ""
            return (
                f"<figure><figcaption>{escape(block.title)}</figcaption>{note}"
                f'<div class="chart">{charts.svg(block)}{charts.legend(block)}</div></figure>'
            )
        if isinstance(block, Team):
            rows = "".join(
                f"<tr><td>{escape(name)}</td><td>{escape(role)}</td></tr>"
                for name, role in block.members
            )
            return (
                '<table class="team"><caption class="visually-hidden">Inspection team</caption>'
                '<thead><tr><th scope="col">Name</th><th scope="col">Role</th></tr></thead>'
                f"<tbody>{rows}</tbody></table>"
            )
        if isinstance(block, OutcomesTable):
            return _outcomes(block)
        if isinstance(block, JudgementsTable):
            return self.judgements(block)
        if isinstance(block, Photograph):
            data = base64.b64encode(block.content).decode("ascii")
            caption = f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
            alternative = block.caption or f"Photograph attached to the report ({block.file_name})"
            return (
                f'<figure class="photograph"><img src="data:{mime_type(block.kind)};base64,'
                f'{data}" alt="{escape(alternative)}">{caption}</figure>'
            )
        assert isinstance(block, PageBreak)
        return '<hr class="page-break">'


def _outcomes(table: OutcomesTable) -> str:
    """Figure 1: a figure whose caption names the table (the HTML standard's way for a
    table that is a figure), as Figures 2 and 3 are figures."""
    head = "".join(f'<th scope="col">{escape(year)}</th>' for year in table.years)
    rows = "".join(
        f'<tr><th scope="row">{escape(test)}</th>'
        + "".join(f"<td>{escape(judged)}</td>" for judged in judgements)
        + "</tr>"
        for test, judgements in table.rows
    )
    caption = f'<figcaption id="outcomes-caption">{escape(table.caption)}</figcaption>'
    named = ' aria-labelledby="outcomes-caption"'
    if not table.caption:
        caption, named = "", ""
    return (
        f'<figure class="table">{caption}<table class="outcomes"{named}><thead><tr>'
        f'<th scope="col">Healthy prison test</th>{head}</tr></thead><tbody>{rows}</tbody>'
        "</table></figure>"
    )


def _title(report: Report) -> str:
    """The cover's heading: "Report on an independent review of progress at", then the
    establishment on a line of its own, as the published cover (and the Word one) sets it."""
    lead = report.title.removesuffix(report.establishment).strip()
    if not report.establishment or lead == report.title:
        return f"<h1>{escape(report.title)}</h1>"
    return (
        f'<h1>{escape(lead)} <span class="establishment">{escape(report.establishment)}</span></h1>'
    )


def _contents(report: Report) -> list[str]:
    entries = report.contents()
    if not entries:
        return []
    items = "".join(f'<li><a href="#{escape(h.anchor)}">{escape(h.text)}</a></li>' for h in entries)
    return [f'<nav class="contents"><h2>Contents</h2><ol>{items}</ol></nav>']


def write(report: Report) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(report.title)}</title>",
        f'<meta name="author" content="{escape(report.author)}">' if report.author else "",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
    ]
    out.append('<header class="cover">')
    if report.stale:
        advice = stale_advice(lambda command: f"<code>{escape(command)}</code>")
        warning = f"{escape(stale_summary(report.stale))} {advice}"
        out.append(f'<p class="warning"><strong>{warning}</strong></p>')
    out += [
        _title(report),
        "<p>by HM Chief Inspector of Prisons</p>",
        f"<p>{escape(report.dates)}</p>",
        "</header>",
        *_contents(report),
        "<main>",
    ]
    writer = _Writer(report)
    in_list = False
    for block in report.blocks:
        is_item = isinstance(block, Text) and block.kind == "item"
        if is_item and not in_list:
            out.append("<ul>")
        elif in_list and not is_item:
            out.append("</ul>")
        in_list = is_item
        out.append(writer.block(block))
    if in_list:
        out.append("</ul>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(line for line in out if line) + "\n"
