"""The report as one self-contained HTML file: inline CSS and SVG charts, clean in print."""

from __future__ import annotations

from html import escape

from irp_field.report import charts
from irp_field.report.content import Chart, Heading, Report, Team, Text, stale_warning

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #111; }
h1 { font-size: 1.8em; } h2 { font-size: 1.4em; margin-top: 2em; } h3 { font-size: 1.15em; }
p.numbered { display: grid; grid-template-columns: 3.2em 1fr; }
p.numbered .number { font-weight: bold; }
p.judgement { font-weight: bold; margin-top: -0.4em; }
.warning { border: 2px solid #c62828; padding: 0.6em 1em; background: #fdecea; }
figure { margin: 1em 0; break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 0.4em; }
table.team td { padding: 0.15em 1.2em 0.15em 0; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  h2 { break-before: page; } h2, h3 { break-after: avoid; }
  p { orphans: 3; widows: 3; }
  .warning { background: none; }
}
"""


def _text(block: Text) -> str:
    body = escape(block.text)
    if block.lead:
        body = f"<strong>{escape(block.lead)}</strong> {body}"
    if block.number:
        return (
            f'<p class="numbered" id="p{escape(block.number)}"><span class="number">'
            f"{escape(block.number)}</span><span>{body}</span></p>"
        )
    css = f' class="{block.kind}"' if block.kind != "plain" else ""
    return f"<p{css}>{body}</p>"


def write(report: Report) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(report.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
    ]
    if report.stale:
        out.append(f'<p class="warning"><strong>{escape(stale_warning(report.stale))}</strong></p>')
    out += [
        f"<h1>{escape(report.title)}</h1>",
        "<p>by HM Chief Inspector of Prisons</p>",
        f"<p>{escape(report.dates)}</p>",
    ]
    for block in report.blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{escape(block.text)}</h{block.level}>")
        elif isinstance(block, Text):
            out.append(_text(block))
        elif isinstance(block, Chart):
            note = f"<p>{escape(block.note)}</p>" if block.note else ""
            out.append(
                f"<figure><figcaption>{escape(block.title)}</figcaption>{note}"
                f"{charts.svg(block)}</figure>"
            )
        elif isinstance(block, Team):
            rows = "".join(
                f"<tr><td>{escape(name)}</td><td>{escape(role)}</td></tr>"
                for name, role in block.members
            )
            out.append(f'<table class="team"><tbody>{rows}</tbody></table>')
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
