"""A report held against the published one unit by unit: paragraphs, list lines, table
rows and headings, each normalised the same way on both sides.

How a text becomes units:

- Every non-blank line is a unit. A line that a page break cut off from a numbered
  paragraph or a recommendation is joined back to it: a line starting in lower case
  ("hours a day, which ..."), or a paragraph reference alone on its line ("(3.17)").
  So is the line after one ending in "at": the cover sets the title "Report on an
  independent review of progress at / HMP Hull" on two lines.
- Layout is dropped: list bullets ("- "), Markdown heading marks, bold and italic
  stars, a hard line break's backslash, a blockquote's "> ", the brackets of a web
  address ("<https://...>"), the target of a link ("[text](#anchor)" is "text").
- A table row is its cells joined by one space, whether the cells are separated by
  tabs (the published text) or bars (Markdown); a Markdown table's rule row is no unit.
- A contents line loses its page number and dot leaders ("Appendix II Glossary of
  terms..... 25" is "Appendix II Glossary of terms").
- Curly quotes become straight ones, and runs of white space one space.
- Generated text inside code blocks (the charts' text bars) and images (photographs
  inline) are no units: the published report's charts and photographs are pictures.

A published unit is reproduced when the generated report has a unit equal to it.
"""

from __future__ import annotations

import re
from pathlib import Path

PUBLISHED = Path(__file__).resolve().parent / "data" / "hmp-hull-irp-2022.txt"

_JOINING_WORDS = ("at",)


def _continues(line: str, previous: str) -> bool:
    if previous.rsplit(" ", 1)[-1] in _JOINING_WORDS:
        return True
    cut = re.match(r"(?:- )?\d+\.\d+ |Recommendation: ", previous)
    return bool(cut) and (line[0].islower() or bool(re.fullmatch(r"\(\d+\.\d+[a-z]?\)", line)))


def normalise(line: str) -> str:
    text = line.strip()
    if "\t" in text:
        cells = [cell.strip() for cell in text.split("\t") if cell.strip()]
        if len(cells) > 1 and cells[-1].isdigit():
            cells = cells[:-1]  # a contents line's page number
        text = " ".join(cells)
    if text.startswith("|") and text.endswith("|"):
        text = " ".join(cell.strip() for cell in text.strip("|").split(" | "))
    text = re.sub(r"^(?:#+|[-*>])\s+", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link: its text
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)
    text = text.replace("**", "")
    text = re.sub(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", r"\1", text)
    text = re.sub(r"\.{3,}$", "", text).rstrip("\\").strip()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def published_units(text: str) -> list[str]:
    units: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        bare = re.sub(r"^-\s+", "", line)
        if units and _continues(bare, units[-1]):
            units[-1] = f"{units[-1]} {bare}"
        else:
            units.append(line)
    return [unit for unit in (normalise(u) for u in units) if unit]


def markdown_units(text: str) -> list[str]:
    units: list[str] = []
    in_code = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not line or line.startswith("!["):
            continue
        if re.fullmatch(r"\|(?:-+\|)+", line) or line == "---":
            continue
        units.append(normalise(line))
    return [unit for unit in units if unit]


def reproduced(published: list[str], generated: list[str]) -> tuple[float, list[str]]:
    """The share of the published units the generated text has, and those it lacks."""
    have = set(generated)
    missing = [unit for unit in published if unit not in have]
    return 1 - len(missing) / len(published), missing
