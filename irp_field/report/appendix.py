"""Appendix I (about this report: the review, its method, each body's judgements, the
team), Appendix II (the glossary: only the terms the report's text uses) and the back
page, from the visit's standing texts."""

from __future__ import annotations

from irp_field.domain import report_parts as rules
from irp_field.domain.plan import HMIP_SCALE, OFSTED_SCALE, Scale
from irp_field.report.blocks import (
    Block,
    Heading,
    JudgementsTable,
    OutcomesTable,
    PageBreak,
    Team,
    Text,
)
from irp_field.report.front import Parts


def text_blocks(text: str) -> list[Block]:
    """A standing text's paragraphs and list lines as report blocks."""
    return [
        Text(block.text, kind="item" if block.kind == "item" else "plain")
        for block in rules.text_blocks(text)
    ]


def _definitions(scale: Scale, parts: Parts, opening: str) -> list[Block]:
    blocks = text_blocks(parts.text(opening))
    for level in scale.levels:  # worst first, as the reports list them
        definition = parts.text(f"definition.{scale.key}.{level.key}")
        if definition:
            blocks += [Text(level.label, kind="term"), *text_blocks(definition)]
    return blocks


def appendix_1(parts: Parts, team: tuple[tuple[str, str], ...], has_ofsted: bool) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Appendix I About this report", "appendix-i")]
    blocks += text_blocks(parts.text("about"))
    if parts.text("methodology"):
        blocks += [Heading(3, "IRP methodology"), *text_blocks(parts.text("methodology"))]
    blocks += _definitions(HMIP_SCALE, parts, "hmip_judgements")
    if has_ofsted:
        blocks += _definitions(OFSTED_SCALE, parts, "ofsted_judgements")
        blocks += text_blocks(parts.text("ofsted_approach"))
    if team:  # none recorded yet: no heading over an empty table
        blocks += [
            Heading(3, "Inspection team"),
            Text("This independent review of progress was carried out by:"),
            Team(team),
        ]
    return blocks


def _words(blocks: list[Block]) -> str:
    """All the report's words so far, to find the glossary terms it uses."""
    words: list[str] = []
    for block in blocks:
        if isinstance(block, Text):
            words += [block.lead, block.text]
        elif isinstance(block, Heading):
            words.append(block.text)
        elif isinstance(block, Team):
            words += [role for _, role in block.members]
        elif isinstance(block, OutcomesTable):
            words += [block.caption, *(test for test, _ in block.rows)]
        elif isinstance(block, JudgementsTable):
            words += [text for row in block.rows for text in row]
    return "\n".join(words)


def glossary(blocks: list[Block], parts: Parts) -> list[Block]:
    """Appendix II: the terms the report uses, alphabetically; none used, no appendix."""
    text = _words(blocks)
    used = sorted(
        (t for t in parts.glossary if rules.uses_term(text, t.term, t.matches)),
        key=lambda t: t.term.casefold(),
    )
    if not used:
        return []
    out: list[Block] = [Heading(2, "Appendix II Glossary of terms", "appendix-ii")]
    out += text_blocks(parts.text("glossary_intro"))
    for term in used:
        out += [Text(term.term, kind="term"), *text_blocks(term.definition)]
    return out


def back_page(parts: Parts) -> list[Block]:
    text = parts.text("back_page")
    return [PageBreak(), *text_blocks(text)] if text else []
