"""What a line of report text holds besides words: links to web pages (``<https://...>``),
words in italics (``*handbook*``), cross-references to paragraphs ("see paragraphs 3.7
and 3.14") and to the glossary ("(see Glossary)"). The HTML and Word writers turn them
into links and italics; the Markdown writer writes the italics and the web addresses as
Markdown and everything else as plain text (``markdown.plain``)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    text: str
    italic: bool = False
    href: str = ""  # a web address, or "#p3.7" / "#appendix-ii" inside the report


_NUMBER = r"\d+\.\d+"
_PATTERN = re.compile(
    r"<(?P<url>https?://[^\s<>]+)>"
    r"|(?<![\w*])\*(?P<italic>[^\s*](?:[^*\n]*[^\s*])?)\*(?![\w*])"
    rf"|(?P<refs>\bparagraphs?\s+{_NUMBER}(?:(?:,\s*|\s+and\s+|\s+to\s+|\s*[-–]\s*){_NUMBER})*)"
    r"|(?<=see )(?P<glossary>Glossary)\b"
)


def _references(text: str, anchors: set[str] | frozenset[str]) -> list[Span]:
    """ "paragraphs 3.7 and 3.14": each number that names a paragraph of the report linked."""
    out: list[Span] = []
    at = 0
    for found in re.finditer(_NUMBER, text):
        if found.group() not in anchors:
            continue
        out.append(Span(text[at : found.start()]))
        out.append(Span(found.group(), href=f"#p{found.group()}"))
        at = found.end()
    out.append(Span(text[at:]))
    return out


def spans(
    text: str, anchors: set[str] | frozenset[str] = frozenset(), glossary: bool = False
) -> list[Span]:
    """The text in spans; ``anchors``: the paragraph numbers the report has; ``glossary``:
    whether the report has a glossary to point "(see Glossary)" at."""
    out: list[Span] = []
    at = 0
    for found in _PATTERN.finditer(text):
        if found.group("glossary") and not glossary:
            continue
        out.append(Span(text[at : found.start()]))
        at = found.end()
        if found.group("url"):
            out.append(Span(found.group("url"), href=found.group("url")))
        elif found.group("italic"):
            out.append(Span(found.group("italic"), italic=True))
        elif found.group("refs"):
            out += _references(found.group("refs"), anchors)
        else:
            out.append(Span(found.group("glossary"), href="#appendix-ii"))
    out.append(Span(text[at:]))
    return [span for span in out if span.text]


def plain(text: str) -> str:
    """The text as it reads: links by their address, italics without their stars."""
    return "".join(span.text for span in spans(text))
