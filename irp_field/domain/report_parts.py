"""The parts of a report beyond the findings, and the rules they obey.

A report has, besides Section 3's findings: the Chief Inspector's summary (Section 1:
numbered paragraphs that may quote figures, the signature, Figure 1 of the previous
inspections' healthy prison outcomes), notable positive practice (Section 2), the
"about this review" text and each body's judgement definitions (Appendix I), the
glossary (Appendix II) and the back page. Each is data of the visit. Every path that
takes one (the API and the command line, the screens, a bundle, the merge, ``check``)
applies these rules (REFUSE each):

- a part is one of :data:`PARTS`; a one-line part (the signature) holds one line of at
  most 200 characters, a text part at most 100,000 characters; either may be empty;
- a summary paragraph is in a known section and has some text;
- a glossary term is a name, with a definition; each other form that counts as a use
  of it (``matches``) is a name too;
- a previous outcome names a year, one of the four healthy prison tests and one of the
  four judgements.

Standing texts are written in a small block syntax: paragraphs separated by blank
lines (a single line break is kept as one, as in an address), and lines starting
``- `` as list items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from irp_field.domain import vocabulary
from irp_field.domain.names import name_verdicts, text_verdicts
from irp_field.domain.plan import HMIP_SCALE, OFSTED_SCALE
from irp_field.domain.verdicts import Verdict

# key -> what it is, for a person choosing one. One-line parts are listed in ONE_LINE.
PARTS: dict[str, str] = {
    "signature_name": "Section 1: who signs the summary",
    "signature_title": "Section 1: their title, under the name",
    "signature_date": "Section 1: the month under the signature",
    "outcomes_after": "Section 1: the summary paragraph Figure 1 follows (such as 1.2)",
    "practice_definition": "Section 2: what notable positive practice is (the first "
    "paragraph under its heading)",
    "practice_none": "Section 2: printed when the visit found no notable positive practice",
    "about": "Appendix I: about the inspectorate and independent reviews of progress",
    "methodology": "Appendix I: how a review is carried out (under 'IRP methodology')",
    "hmip_judgements": "Appendix I: the sentence before HMI Prisons' judgements",
    "ofsted_judgements": "Appendix I: the sentence before Ofsted's judgements",
    "ofsted_approach": "Appendix I: after Ofsted's judgements",
    "glossary_intro": "Appendix II: the glossary's opening paragraph",
    "back_page": "the back page: copyright, licence, where to write",
}
for _scale in (HMIP_SCALE, OFSTED_SCALE):
    for _level in _scale.levels:
        PARTS[f"definition.{_scale.key}.{_level.key}"] = (
            f"Appendix I: what '{_level.label}' means ({_scale.body})"
        )
ONE_LINE = ("signature_name", "signature_title", "signature_date", "outcomes_after")

# Sections of the report that hold written paragraphs besides the findings.
SUMMARY = "summary"  # Section 1, numbered 1.1, 1.2, ...
PRACTICE = "practice"  # Section 2, notable positive practice, numbered after 2.2 (and 2.3)
PARAGRAPH_SECTIONS = (SUMMARY, PRACTICE)


def part_key(text: str) -> str:
    """A part's key from how a person typed it: "back page" and "Back-Page" are back_page."""
    return re.sub(r"[\s-]+", "_", text.strip().casefold())


def part_verdicts(key: str, text: str) -> list[Verdict]:
    if key not in PARTS:
        return [Verdict("part", f"unknown part {key!r}; the parts are: {', '.join(PARTS)}")]
    if key in ONE_LINE:
        found = name_verdicts(text, "text", f"the {key.replace('_', ' ')}", required=False)
        if key == "outcomes_after" and text.strip() and not re.fullmatch(r"1\.\d+", text.strip()):
            found.append(Verdict("text", "outcomes_after is a summary paragraph such as 1.2"))
        return found
    return text_verdicts(text, "text", f"the {key.replace('_', ' ')}", required=False)


def paragraph_verdicts(section: str, text: str) -> list[Verdict]:
    found = []
    if section not in PARAGRAPH_SECTIONS:
        found.append(
            Verdict(
                "section",
                f"unknown section {section!r}; choose one of: {', '.join(PARAGRAPH_SECTIONS)}",
            )
        )
    return found + text_verdicts(text, "text", "a paragraph")


@dataclass(frozen=True)
class TermEntry:
    term: str
    definition: str
    matches: tuple[str, ...]  # other forms that count as a use of the term


def term_verdicts(term: str, definition: str, matches: str = "") -> tuple[TermEntry, list[Verdict]]:
    found = name_verdicts(term, "term", "the term")
    found += text_verdicts(definition, "definition", "the definition")
    forms = tuple(form.strip() for form in matches.split(";") if form.strip())
    for form in forms:
        found += name_verdicts(form, "matches", "a form of the term")
    return TermEntry(term.strip(), definition.strip(), forms), found


@dataclass(frozen=True)
class OutcomeEntry:
    year: str
    test: str
    judgement: str


_YEAR = re.compile(r"19[89]\d|20\d\d", re.ASCII)  # a year Figure 1 shows


def outcome_verdicts(
    year: str, test: str, judgement: str, visit_start: str = "", *, stored: bool = False
) -> tuple[OutcomeEntry, list[Verdict]]:
    """REFUSE a year that is no year, or one after the visit began (``visit_start``,
    YYYY-MM-DD, when known): Figure 1 shows the inspections before this one (a 2023
    outcome in a 2022 visit printed "outcomes in 2018, 2021 and 2023" with empty
    cells); an unknown test or judgement. ``stored``: an outcome the file holds
    (``check``, a merge), its words exactly as stored (a hand's 'reasonably good' was
    printed in Figure 1 as it was: ``vocabulary.stored``)."""
    found = []
    year = year if stored else year.strip()
    if not _YEAR.fullmatch(year):
        found.append(Verdict("year", f"{year!r} is not a year such as 2021"))
    elif visit_start[:4].isdigit() and year > visit_start[:4]:
        found.append(
            Verdict("year", f"{year} is after this visit ({visit_start[:4]}): Figure 1 shows "
                    "the inspections before it")
        )  # fmt: skip
    chosen = {}
    for field, word, choices in (
        ("test", test, vocabulary.HEALTHY_PRISON_TESTS),
        ("judgement", judgement, vocabulary.OUTCOME_LEVELS),
    ):
        try:
            parse = vocabulary.stored if stored else vocabulary.choose
            chosen[field] = parse(word, choices, field)
        except ValueError as error:
            chosen[field] = ""
            found.append(Verdict(field, str(error)))
    return OutcomeEntry(year, chosen["test"], chosen["judgement"]), found


# -- standing texts: blocks, and the glossary terms a report uses ---------------------


@dataclass(frozen=True)
class TextBlock:
    kind: str  # paragraph or item
    text: str  # a paragraph keeps its single line breaks


def text_blocks(text: str) -> list[TextBlock]:
    """Paragraphs (blank-line separated; single line breaks kept) and ``- `` list items."""
    blocks: list[TextBlock] = []
    for chunk in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip()):
        lines: list[str] = []
        for line in (line.strip() for line in chunk.splitlines()):
            if line.startswith("- "):
                if lines:
                    blocks.append(TextBlock("paragraph", "\n".join(lines)))
                    lines = []
                blocks.append(TextBlock("item", line[2:].strip()))
            elif line:
                lines.append(line)
        if lines:
            blocks.append(TextBlock("paragraph", "\n".join(lines)))
    return blocks


def term_forms(term: str, matches: tuple[str, ...] = ()) -> list[str]:
    """What counts as a use of a term: the term, its words before a bracketed
    abbreviation, the abbreviation ("Challenge, support and intervention plan (CSIP)"
    gives all three), and its other forms."""
    forms = [term]
    bracketed = re.fullmatch(r"(.*?)\s*\(([^()]+)\)\s*", term)
    if bracketed:
        forms += [bracketed.group(1), bracketed.group(2)]
    return [form for form in dict.fromkeys([*forms, *matches]) if form.strip()]


def uses_term(text: str, term: str, matches: tuple[str, ...] = ()) -> bool:
    """Does ``text`` use the term: any of its forms at the start of a word, in any case
    ("Leader" is used by "Leadership" and "leaders")."""
    return any(
        re.search(rf"(?<!\w){re.escape(form)}", text, flags=re.IGNORECASE)
        for form in term_forms(term, matches)
    )
