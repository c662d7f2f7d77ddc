"""The report's stored parts read back through the rules that let them in (``irp-field
check``, and the merge for a file from another laptop): standing texts, the summary's
paragraphs, glossary terms and previous outcomes (``domain.report_parts``)."""

from __future__ import annotations

from collections.abc import Iterator

from irp_field.core.visit_file import VisitFile
from irp_field.domain import report_parts as rules
from irp_field.evidence.audit import Found
from irp_field.evidence.reads import visit_dates


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def everything(visit: VisitFile) -> Iterator[Found]:
    if visit.one("SELECT 1 FROM sqlite_master WHERE name = 'report_part'") is None:
        return  # a file from before the report's parts (schema 3)
    for key, text, row_id, version in visit.conn.execute(
        "SELECT key, text, id, version FROM report_part WHERE deleted = 0"
    ):
        record = ("report_part", _text(row_id), _text(version))
        for verdict in rules.part_verdicts(_text(key), _text(text)):
            yield Found("report part", _text(key), verdict, record)
    for section, text, row_id, version in visit.conn.execute(
        "SELECT section, text, id, version FROM report_paragraph WHERE deleted = 0"
    ):
        record = ("report_paragraph", _text(row_id), _text(version))
        for verdict in rules.paragraph_verdicts(_text(section), _text(text)):
            yield Found("summary paragraph", _text(text)[:40], verdict, record)
    for term, definition, matches, row_id, version in visit.conn.execute(
        "SELECT term, definition, matches, id, version FROM glossary_term WHERE deleted = 0"
    ):
        found = rules.term_verdicts(_text(term), _text(definition), _text(matches))[1]
        record = ("glossary_term", _text(row_id), _text(version))
        for verdict in found:
            yield Found("glossary term", _text(term), verdict, record)
    start = visit_dates(visit).start
    for year, test, judgement, row_id, version in visit.conn.execute(
        "SELECT year, test, judgement, id, version FROM previous_outcome WHERE deleted = 0"
    ):
        record = ("previous_outcome", _text(row_id), _text(version))
        said = rules.outcome_verdicts(
            _text(year), _text(test), _text(judgement), _text(start), stored=True
        )
        for verdict in said[1]:
            yield Found("previous outcome", f"{_text(year)} {_text(test)}", verdict, record)
