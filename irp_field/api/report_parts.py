"""The report's parts besides the findings: the summary's and notable positive practice's
paragraphs, the standing texts (the signature, Appendix I, the back page ...), the
glossary, Figure 1's previous outcomes, and the defaults every new visit starts with.

Paragraphs are named by number ("1.3", "2.4") or id; parts by key (``irp-field parts
list``). Everything written goes through the domain's rules (``domain.report_parts``);
texts are rendered before they are stored, as findings are.
"""

from __future__ import annotations

from pathlib import Path

from irp_field.core.visit_file import VisitFile
from irp_field.domain.report_parts import ONE_LINE as ONE_LINE
from irp_field.domain.report_parts import PARTS as PARTS
from irp_field.domain.report_parts import uses_term as uses_term
from irp_field.domain.vocabulary import HEALTHY_PRISON_TESTS as HEALTHY_PRISON_TESTS
from irp_field.domain.vocabulary import OUTCOME_LEVELS as OUTCOME_LEVELS
from irp_field.findings import part_defaults
from irp_field.findings.report_editing import PartShown as PartShown
from irp_field.findings.report_editing import add_paragraph as add_paragraph
from irp_field.findings.report_editing import check_renders as check_renders
from irp_field.findings.report_editing import delete_paragraph as delete_paragraph
from irp_field.findings.report_editing import edit_paragraph as edit_paragraph
from irp_field.findings.report_editing import move_paragraph as move_paragraph
from irp_field.findings.report_editing import numbered as numbered
from irp_field.findings.report_editing import parts as parts
from irp_field.findings.report_editing import restore_paragraph as restore_paragraph
from irp_field.findings.report_editing import set_part as set_part
from irp_field.findings.report_editing import template_figures as template_figures
from irp_field.findings.report_parts import GlossaryTerm as GlossaryTerm
from irp_field.findings.report_parts import Outcome as Outcome
from irp_field.findings.report_parts import delete_outcome as delete_outcome
from irp_field.findings.report_parts import delete_term as delete_term
from irp_field.findings.report_parts import outcomes as outcomes
from irp_field.findings.report_parts import reset_part as reset_part
from irp_field.findings.report_parts import set_outcome as set_outcome
from irp_field.findings.report_parts import set_term as set_term


def glossary(visit: VisitFile) -> list[GlossaryTerm]:
    """The visit's glossary (the shipped one for a visit that never had any)."""
    return part_defaults.effective_glossary(visit)


def save_defaults(visit: VisitFile) -> Path:
    """This visit's standing texts and glossary become every new visit's; returns the file."""
    return part_defaults.save_as_defaults(visit)


class Said(str):
    """What to say of a part written, and the key of the record it wrote (a new
    paragraph's id: what the editor edits from then on)."""

    key: str

    def __new__(cls, said: str, key: str) -> Said:
        made = super().__new__(cls, said)
        made.key = key
        return made


def write_typed(visit: VisitFile, kind: str, key: str, text: str) -> Said:
    """Store what F11's editor holds for one part (``kind`` summary, practice, part,
    term or outcome; ``key`` the record it edits, '' for a new one); returns what to
    say, and the record's key. A paragraph is synced at once: it was written against
    the figures as they are."""
    from irp_field.api.findings import sync_paragraph
    from irp_field.domain.errors import IrpError

    if kind in ("summary", "practice"):
        if key:
            found = edit_paragraph(visit, key, text)
            if found.finding is not None:
                sync_paragraph(visit, found.finding.id)
            return Said(f"Saved paragraph {found.number}.", key)
        new_id, number = add_paragraph(visit, text, practice=kind == "practice")
        sync_paragraph(visit, new_id)
        return Said(f"Added paragraph {number}.", new_id)
    if kind == "part":
        set_part(visit, key, text)
        return Said(f"Saved {key}.", key)
    if kind == "term":
        lines = text.strip().splitlines()
        matches = lines.pop()[8:] if len(lines) > 2 and lines[-1].startswith("matches:") else ""
        if len(lines) < 2:
            raise IrpError("the term on the first line, its definition below it")
        set_term(visit, lines[0], "\n".join(lines[1:]), matches)
        if key and key.casefold() != lines[0].strip().casefold():
            delete_term(visit, key)  # renamed
        return Said(f"Saved {lines[0].strip()}.", lines[0].strip())
    if kind != "outcome":
        raise IrpError(f"no part of the report of the kind {kind!r}")
    given = [part.strip() for part in text.split(",")]
    if len(given) != 3:
        raise IrpError("write YEAR, TEST, JUDGEMENT, such as: 2021, Safety, Good")
    outcome = set_outcome(visit, *given)
    return Said(
        f"Saved {outcome.year} {outcome.test}: {outcome.judgement}.",
        f"{outcome.year}|{outcome.test}",
    )
