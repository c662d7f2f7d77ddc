"""The blocks a report is made of, which the Markdown, HTML and DOCX writers lay out."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from irp_field.domain import names

# Figures 2 and 3 are blocks of the report too; their data is the tally's (one place for the
# report and the judgement board), and the writers take every block type from here.
from irp_field.findings.judgement_tally import Chart as Chart


@dataclass(frozen=True)
class Heading:
    level: int  # 1 title, 2 section, 3 area or sub-heading
    text: str
    # A section's link target ("section-1"): such a heading is listed in the contents.
    # Not compared: a heading is the same heading whether the contents lists it or not.
    anchor: str = field(default="", compare=False)


@dataclass(frozen=True)
class Text:
    text: str  # a single line break in it is kept (an address)
    number: str = ""  # "3.39" for a numbered paragraph
    lead: str = ""  # a bold lead-in such as "Concern:"
    # plain, warning, caption, judgement, conclusion, item (a list line), term (a bold
    # label: a glossary term, a judgement defined), signature
    kind: str = "plain"


@dataclass(frozen=True)
class Team:
    members: tuple[tuple[str, str], ...]  # (name, role)


@dataclass(frozen=True)
class OutcomesTable:
    """Figure 1: the healthy prison tests down the side, one column per inspection year."""

    years: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (test, judgement per year; '' if none)
    caption: str = ""  # "Figure 1: HMP Hull healthy prison outcomes in 2018 and 2021"


@dataclass(frozen=True)
class JudgementsTable:
    """Section 4, as the published report sets it: each recommendation (or theme) followed
    up beside its judgement, in two columns."""

    caption: str  # "HMI Prisons recommendations": the heading above it says so too
    item: str  # the first column's header: "Recommendation" or "Theme"
    rows: tuple[tuple[str, str], ...]  # (the recommendation's text, its judgement)


@dataclass(frozen=True)
class Photograph:
    caption: str
    kind: str  # jpeg or png
    content: bytes
    file_name: str


@dataclass(frozen=True)
class PageBreak:
    """Before the back page."""


Block = Heading | Text | Chart | Team | OutcomesTable | JudgementsTable | Photograph | PageBreak

# The note under Figure 2 says what the chart is: each writer names its own drawing
# ("pie chart" in HTML and Word, "bar chart" in Markdown's text bars).
CHART_NOTE = (
    "This {drawing} excludes any recommendations that were followed up as part of a theme "
    "within Ofsted's concurrent prison monitoring visit."
)


def chart_note(chart: Chart, drawing: str) -> str:
    return chart.note.replace("{drawing}", drawing)


class FigureNumbers:
    """Figures are numbered in the order the report shows them (Figure 1 is the summary's
    table of outcomes when there is one)."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


@dataclass
class Report:
    title: str
    establishment: str
    dates: str
    stale: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    author: str = ""  # the team leader: the document's author
    written_on: dt.date = field(default_factory=dt.date.today)

    def contents(self) -> list[Heading]:
        """The sections and appendices, as the contents list shows them."""
        return [b for b in self.blocks if isinstance(b, Heading) and b.anchor]


def writable(report: Report) -> Report:
    """The report with U+FFFD in place of every character no document can hold (the Word
    writer's, as XML holds none): the rules refuse them on every way in and ``check``
    names any a file holds, so this meets one only in a file written before the rule,
    whose report is written all the same rather than stopped."""
    kept = _writable(report)
    assert isinstance(kept, Report)
    return kept


def _writable(value: Any) -> Any:
    if isinstance(value, str):
        return names.writable(value)
    if isinstance(value, list | tuple):
        return type(value)(_writable(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{f.name: _writable(getattr(value, f.name)) for f in dataclasses.fields(value)},
        )
    return value
