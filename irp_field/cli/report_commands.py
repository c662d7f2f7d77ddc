"""Commands for the report's parts besides the findings: the summary (and notable positive
practice), the standing texts, the glossary and Figure 1's previous outcomes.

Each opens the visit, calls one function of ``irp_field.api.report_parts`` and prints
the result; jinja2 loads only when a command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from irp_field.cli.options import by_option, open_visit, visit_argument
from irp_field.cli.output import echo, json_option, print_json


@click.group("summary")
def summary_group() -> None:
    """The Chief Inspector's summary (Section 1: 1.1, 1.2, ...) and notable positive
    practice (Section 2, after its definition): paragraphs that may quote figures, like
    findings. PARAGRAPH is a number such as 1.3 or 2.4, or its id."""


@summary_group.command("list")
@visit_argument
@json_option
def summary_list(visit: str, as_json: bool) -> None:
    """Print the summary's and notable positive practice's paragraphs as they render now.

    A '*' marks a paragraph out of date (not synced since it or its figures changed).
    """
    from irp_field.api import findings

    with open_visit(visit, readonly=True) as opened:
        state = findings.load_findings(opened)
    shown = [p for p in state.paragraphs if p.paragraph.unit in ("summary", "practice")]
    if as_json:
        listed = [
            {
                "number": p.paragraph.number,
                "id": p.paragraph.finding.id if p.paragraph.finding else "",
                "section": p.paragraph.unit,
                "stale": p.stale,
                "text": p.text,
            }
            for p in shown
        ]
        print_json({"paragraphs": listed})
        return
    if not shown:
        echo("No summary paragraphs yet: irp-field summary add VISIT TEXT")
    for paragraph in shown:
        mark = "*" if paragraph.stale else " "
        echo(f"{mark}{paragraph.paragraph.number}  {paragraph.text}")


@summary_group.command("add")
@visit_argument
@click.argument("text")
@click.option("--practice", is_flag=True, help="Add it to notable positive practice instead.")
@click.option("--after", metavar="N", help="Insert after paragraph N (such as 1.2; 0 for first).")
@by_option
def summary_add(visit: str, text: str, practice: bool, after: str | None, user: str | None) -> None:
    """Add a paragraph; TEXT may quote figures, e.g. {{ judgements.hmip.total | number }}."""
    from irp_field.api import report_parts

    with open_visit(visit, user=user) as opened:
        new_id, number = report_parts.add_paragraph(opened, text, practice=practice, after=after)
    echo(f"Added paragraph {number} (id {new_id}).")


@summary_group.command("edit")
@visit_argument
@click.argument("paragraph")
@click.argument("text")
@by_option
def summary_edit(visit: str, paragraph: str, text: str, user: str | None) -> None:
    """Replace the text of PARAGRAPH (such as 1.3)."""
    from irp_field.api import report_parts

    with open_visit(visit, user=user) as opened:
        found = report_parts.edit_paragraph(opened, paragraph, text)
    echo(f"Edited paragraph {found.number}.")


@summary_group.command("delete")
@visit_argument
@click.argument("paragraph")
@by_option
def summary_delete(visit: str, paragraph: str, user: str | None) -> None:
    """Delete PARAGRAPH (a tombstone, so the delete reaches the other laptops)."""
    from irp_field.api import report_parts

    with open_visit(visit, user=user) as opened:
        found = report_parts.delete_paragraph(opened, paragraph)
    echo(f"Deleted paragraph {found.number}; later paragraphs are renumbered.")


@click.group("parts")
def parts_group() -> None:
    """The report's standing texts: the signature, notable positive practice's definition,
    Appendix I (about the review, its method, each body's judgements), the glossary's
    opening and the back page. A new visit starts with the team leader's defaults
    (save-defaults), else those irp-field ships; each visit can change its own."""


@parts_group.command("list")
@visit_argument
@json_option
def parts_list(visit: str, as_json: bool) -> None:
    """Every part: its name, whether the visit has its own text or the default, and its start."""
    from irp_field.api import report_parts

    with open_visit(visit, readonly=True) as opened:
        shown = report_parts.parts(opened)
    if as_json:
        listed = [
            {
                "key": part.key,
                "about": part.about,
                "own": part.own,
                "one_line": part.one_line,
                "text": part.text,
            }
            for part in shown
        ]
        print_json({"parts": listed})
        return
    width = max(len(part.key) for part in shown)
    for part in shown:
        start = " ".join(part.text.split())
        start = start if len(start) <= 50 else f"{start[:49]}…"
        echo(f"{part.key:<{width}}  {'visit  ' if part.own else 'default'}  {start}")
        echo(f"{'':<{width}}           {part.about}")


@parts_group.command("show")
@visit_argument
@click.argument("part")
def parts_show(visit: str, part: str) -> None:
    """Print PART's text as stored, with its figure references."""
    from irp_field.api import report_parts
    from irp_field.domain.errors import IrpError

    with open_visit(visit, readonly=True) as opened:
        shown = {p.key: p for p in report_parts.parts(opened)}
        key = part.strip().casefold().replace(" ", "_").replace("-", "_")
        if key not in shown:
            raise IrpError(f"unknown part {part!r}; see irp-field parts list")
    echo(shown[key].text)


@parts_group.command("set")
@visit_argument
@click.argument("part")
@click.argument("text", required=False)
@click.option(
    "--file",
    "from_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read the text from this UTF-8 file ('-' for the standard input).",
)
@by_option
def parts_set(
    visit: str, part: str, text: str | None, from_file: Path | None, user: str | None
) -> None:
    """Set PART's text for this visit: TEXT, or --file. Paragraphs are separated by a
    blank line; a line starting '- ' is a list item; figures as in findings."""
    from irp_field.api import report_parts
    from irp_field.domain.errors import IrpError

    if (text is None) == (from_file is None):
        raise IrpError("give the text, or --file FILE (not both)")
    if from_file is not None:
        text = sys.stdin.read() if str(from_file) == "-" else _read_text(from_file)
    assert text is not None
    with open_visit(visit, user=user) as opened:
        changed = report_parts.set_part(opened, part, text)
    echo(f"Set {part}." if changed else f"{part} was already so.")


def _read_text(path: Path) -> str:
    from irp_field.domain.errors import IrpError

    try:
        if path.stat().st_size > 2 * 1024 * 1024:
            raise IrpError(f"{path}: is larger than 2 MB")
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise IrpError(f"{path}: is not UTF-8 text") from None


@parts_group.command("reset")
@visit_argument
@click.argument("part")
@by_option
def parts_reset(visit: str, part: str, user: str | None) -> None:
    """Put PART back to the text irp-field ships."""
    from irp_field.api import report_parts

    with open_visit(visit, user=user) as opened:
        changed = report_parts.reset_part(opened, part)
    echo(f"{part}: back to the default text." if changed else f"{part} had no own text.")


@parts_group.command("save-defaults")
@visit_argument
def parts_save_defaults(visit: str) -> None:
    """Make this visit's standing texts and glossary the defaults of every new visit."""
    from irp_field.api import report_parts

    with open_visit(visit, readonly=True) as opened:
        path = report_parts.save_defaults(opened)
    echo(f"Wrote {path}; every new visit starts with these texts.")


@click.group("glossary")
def glossary_group() -> None:
    """Appendix II: terms and their definitions. The report prints only the terms its
    text uses (the term, its bracketed abbreviation, or any form given with --matches)."""


@glossary_group.command("list")
@visit_argument
@json_option
def glossary_list(visit: str, as_json: bool) -> None:
    """Every term of the visit's glossary with its definition."""
    from irp_field.api import report_parts

    with open_visit(visit, readonly=True) as opened:
        terms = report_parts.glossary(opened)
    if as_json:
        listed = [
            {"term": t.term, "definition": t.definition, "matches": list(t.matches)} for t in terms
        ]
        print_json({"terms": listed})
        return
    for term in terms:
        also = f"  (also: {'; '.join(term.matches)})" if term.matches else ""
        echo(f"{term.term}{also}\n    {term.definition}")


@glossary_group.command("set")
@visit_argument
@click.argument("term")
@click.argument("definition")
@click.option("--matches", default="", help="Other words that count as a use, ';'-separated.")
@by_option
def glossary_set(visit: str, term: str, definition: str, matches: str, user: str | None) -> None:
    """Add TERM to the glossary, or change its DEFINITION."""
    from irp_field.api import report_parts

    with open_visit(visit, user=user) as opened:
        report_parts.set_term(opened, term, definition, matches)
    echo(f"Set {term.strip()}.")


@glossary_group.command("delete")
@visit_argument
@click.argument("term")
@by_option
def glossary_delete(visit: str, term: str, user: str | None) -> None:
    """Take TERM out of the glossary."""
    from irp_field.api import report_parts

    with open_visit(visit, user=user) as opened:
        report_parts.delete_term(opened, term)
    echo(f"Deleted {term.strip()}.")


@click.group("outcomes")
def outcomes_group() -> None:
    """Figure 1 of the summary: the healthy prison outcomes of the previous inspections
    (Safety, Respect, Purposeful activity, Rehabilitation and release planning; judged
    Good, Reasonably good, Not sufficiently good or Poor), per year."""


@outcomes_group.command("list")
@visit_argument
@json_option
def outcomes_list(visit: str, as_json: bool) -> None:
    """The outcomes as Figure 1 shows them."""
    from irp_field.api import report_parts

    with open_visit(visit, readonly=True) as opened:
        found = report_parts.outcomes(opened)
    if as_json:
        listed = [{"year": o.year, "test": o.test, "judgement": o.judgement} for o in found]
        print_json({"outcomes": listed})
        return
    if not found:
        echo("No previous outcomes yet: irp-field outcomes set VISIT YEAR TEST JUDGEMENT")
    for outcome in found:
        echo(f"{outcome.year}  {outcome.test}: {outcome.judgement}")


@outcomes_group.command("set")
@visit_argument
@click.argument("year")
@click.argument("test")
@click.argument("judgement")
@by_option
def outcomes_set(visit: str, year: str, test: str, judgement: str, user: str | None) -> None:
    """Set the JUDGEMENT of healthy prison TEST at the inspection of YEAR."""
    from irp_field.api import report_parts

    with open_visit(visit, user=user) as opened:
        outcome = report_parts.set_outcome(opened, year, test, judgement)
    echo(f"{outcome.year}  {outcome.test}: {outcome.judgement}")


@outcomes_group.command("delete")
@visit_argument
@click.argument("year")
@click.argument("test")
@by_option
def outcomes_delete(visit: str, year: str, test: str, user: str | None) -> None:
    """Take the outcome of TEST in YEAR out of Figure 1."""
    from irp_field.api import report_parts

    with open_visit(visit, user=user) as opened:
        report_parts.delete_outcome(opened, year, test)
    echo(f"Deleted {year} {test}.")


COMMANDS: tuple[click.Command, ...] = (summary_group, parts_group, glossary_group, outcomes_group)
