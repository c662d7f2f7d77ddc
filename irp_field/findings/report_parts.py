"""The report's standing texts, its glossary and the previous inspections' outcomes, in
the visit file.

Each is a merged table with keyed ids (a part by its key, a term by its words, an
outcome by its year and test), so two laptops that set the same thing set the same
row. A part the visit has no row for prints the shipped default text
(:mod:`findings.part_defaults`); a new visit gets the team leader's defaults written
in when it is made. Every write is checked by ``domain.report_parts`` first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.domain import report_parts as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import refuse_unless_fine
from irp_field.evidence.reads import visit_dates


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    definition: str
    matches: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    year: str
    test: str
    judgement: str


# -- standing texts ------------------------------------------------------------------


def part_id(visit: VisitFile, key: str) -> str:
    return keyed_id(visit.visit_id, "report_part", key)


def stored_parts(visit: VisitFile) -> dict[str, str]:
    """The parts the visit holds (a part set empty is held, and prints nothing)."""
    rows = visit.query("SELECT key, text FROM report_part WHERE deleted = 0 ORDER BY key")
    return {row["key"]: row["text"] for row in rows if row["key"] in rules.PARTS}


def known_key(text: str) -> str:
    key = rules.part_key(text)
    if key not in rules.PARTS:
        import difflib

        close = difflib.get_close_matches(key, list(rules.PARTS), n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else "see irp-field parts list"
        raise IrpError(f"unknown part {text!r}; {hint}")
    return key


def set_part(visit: VisitFile, key: str, text: str) -> bool:
    """Set one part's text (in its own committed transaction); False when unchanged."""
    key = known_key(key)
    refuse_unless_fine(rules.part_verdicts(key, text), what=key)
    value = text.strip() if key in rules.ONE_LINE else text.strip("\n")
    row_id = part_id(visit, key)
    with visit.transaction():
        existing = visit.row("report_part", row_id)
        if existing is not None and existing["text"] == value and not existing["deleted"]:
            return False
        visit.upsert("report_part", {"id": row_id, "key": key, "text": value})
    return True


def reset_part(visit: VisitFile, key: str) -> bool:
    """Back to the shipped default text: the visit's own text becomes a tombstone."""
    key = known_key(key)
    with visit.transaction():
        row_id = part_id(visit, key)
        if visit.row("report_part", row_id) is None:
            return False
        return visit.delete("report_part", row_id)


# -- glossary ------------------------------------------------------------------------


def term_id(visit: VisitFile, term: str) -> str:
    return keyed_id(visit.visit_id, "glossary_term", term.strip().casefold())


def has_glossary(visit: VisitFile) -> bool:
    """Has the visit ever had a glossary (deleted terms count: an emptied glossary stays
    empty rather than falling back to the shipped one)?"""
    return visit.one("SELECT 1 FROM glossary_term LIMIT 1") is not None


def glossary(visit: VisitFile) -> list[GlossaryTerm]:
    rows = visit.query(
        "SELECT term, definition, matches FROM glossary_term WHERE deleted = 0 "
        "ORDER BY term COLLATE NOCASE, id"
    )
    return [
        GlossaryTerm(
            row["term"],
            row["definition"],
            tuple(f.strip() for f in row["matches"].split(";") if f.strip()),
        )
        for row in rows
    ]


def set_term(visit: VisitFile, term: str, definition: str, matches: str = "") -> str:
    entry, found = rules.term_verdicts(term, definition, matches)
    refuse_unless_fine(found, what=term.strip() or "the term")
    with visit.transaction():
        return _write_term(visit, entry)


def _write_term(visit: VisitFile, entry: rules.TermEntry) -> str:
    return visit.upsert(
        "glossary_term",
        {
            "id": term_id(visit, entry.term),
            "term": entry.term,
            "definition": entry.definition,
            "matches": ";".join(entry.matches),
        },
    )


def delete_term(visit: VisitFile, term: str) -> bool:
    row_id = term_id(visit, term)
    with visit.transaction():
        row = visit.row("glossary_term", row_id)
        if row is None or row["deleted"]:
            raise IrpError(f"no glossary term {term.strip()!r} in this visit")
        return visit.delete("glossary_term", row_id)


# -- Figure 1: the previous inspections' healthy prison outcomes ----------------------


def outcome_id(visit: VisitFile, year: str, test: str) -> str:
    return keyed_id(visit.visit_id, "previous_outcome", year.strip(), test.strip().casefold())


def outcomes(visit: VisitFile) -> list[Outcome]:
    """By year, then the tests in the order of the healthy prison tests."""
    from irp_field.domain.vocabulary import HEALTHY_PRISON_TESTS

    rows = visit.query("SELECT year, test, judgement FROM previous_outcome WHERE deleted = 0")
    found = [Outcome(row["year"], row["test"], row["judgement"]) for row in rows]
    order = {test: index for index, test in enumerate(HEALTHY_PRISON_TESTS)}
    return sorted(found, key=lambda o: (o.year, order.get(o.test, len(order)), o.test))


def sound_outcomes(visit: VisitFile) -> list[Outcome]:
    """:func:`outcomes`, each read through its rule as stored (``check``'s and the
    merge's), for the report's Figure 1: one the rule refuses (a hand's year 'abc', a
    judgement 'reasonably good' or 'Excellent') refuses the report in one line naming
    the file and the outcome. It printed "outcomes in 2018, 2021 and abc" and said
    nothing. (A few records: read at every report, as a data return's figure is.)"""
    found = outcomes(visit)
    start = visit_dates(visit).start
    for outcome in found:
        year, test, judgement = (
            value if isinstance(value, str) else str(value)
            for value in (outcome.year, outcome.test, outcome.judgement)
        )
        said = rules.outcome_verdicts(year, test, judgement, start, stored=True)[1]
        refused = [verdict for verdict in said if verdict.refuses]
        if refused:
            raise IrpError(
                f"{visit.path}: its previous outcome {year[:20]} {test[:40]}: "
                f"{refused[0].message} (another program changed the file?): no report is "
                "made of it; `irp-field check` names every such record"
            )
    return found


def set_outcome(visit: VisitFile, year: str, test: str, judgement: str) -> Outcome:
    entry, found = rules.outcome_verdicts(year, test, judgement, visit_dates(visit).start)
    refuse_unless_fine(found, what="the outcome")
    with visit.transaction():
        visit.upsert(
            "previous_outcome",
            {
                "id": outcome_id(visit, entry.year, entry.test),
                "year": entry.year,
                "test": entry.test,
                "judgement": entry.judgement,
            },
        )
    return Outcome(entry.year, entry.test, entry.judgement)


def delete_outcome(visit: VisitFile, year: str, test: str) -> bool:
    entry, found = rules.outcome_verdicts(year, test, "Good")
    refuse_unless_fine(found, what="the outcome")
    row_id = outcome_id(visit, entry.year, entry.test)
    with visit.transaction():
        row = visit.row("previous_outcome", row_id)
        if row is None or row["deleted"]:
            raise IrpError(f"no {entry.test} outcome for {entry.year} in this visit")
        return visit.delete("previous_outcome", row_id)


# -- writing many at once (a new visit's defaults, a bundle) --------------------------


def write_all(
    visit: VisitFile,
    parts: dict[str, str],
    terms: Iterable[GlossaryTerm] = (),
    previous: Iterable[Outcome] = (),
) -> None:
    """Parts, terms and outcomes in one committed transaction, each checked first (a bad
    one refuses them all and writes nothing)."""
    checked_terms = []
    for term in terms:
        entry, found = rules.term_verdicts(term.term, term.definition, ";".join(term.matches))
        refuse_unless_fine(found, what=f"glossary term {term.term!r}")
        checked_terms.append(entry)
    checked_outcomes = []
    for outcome in previous:
        got, found = rules.outcome_verdicts(
            outcome.year, outcome.test, outcome.judgement, visit_dates(visit).start
        )
        refuse_unless_fine(found, what=f"outcome {outcome.year} {outcome.test}")
        checked_outcomes.append(got)
    for key, text in parts.items():
        refuse_unless_fine(rules.part_verdicts(key, text), what=key)
    with visit.transaction():
        for key, text in parts.items():
            value = text.strip() if key in rules.ONE_LINE else text.strip("\n")
            visit.upsert("report_part", {"id": part_id(visit, key), "key": key, "text": value})
        for entry in checked_terms:
            _write_term(visit, entry)
        for got in checked_outcomes:
            visit.upsert(
                "previous_outcome",
                {
                    "id": outcome_id(visit, got.year, got.test),
                    "year": got.year,
                    "test": got.test,
                    "judgement": got.judgement,
                },
            )
