"""Findings and summary paragraphs read back through the rules that let them in
(``irp-field check``, and the merge for a file from another laptop): within the text
limit, a template that parses, inside the bounded language (``findings.bounds``). A
paragraph is rendered before it is stored, so a file irp-field wrote holds none that
these refuse; one from a hand or a damaged disk is named here (with its opening words:
a plan item has many), not when the report is written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import Verdict
from irp_field.evidence.audit import Found
from irp_field.findings.bounds import text_refusal

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


class _Sandbox:
    """The templates' sandbox, made when the first paragraph is read (Jinja2 and the
    figure registry load then: a file without paragraphs, as most laptops' are, costs
    neither; the merge reads every source through here)."""

    def __init__(self) -> None:
        self._env: SandboxedEnvironment | None = None

    def outside_the_language(self, text: str) -> str | None:
        from irp_field.findings.templates import environment, outside_the_language

        if self._env is None:
            self._env = environment()
        return outside_the_language(text, self._env)


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def everything(visit: VisitFile) -> Iterator[Found]:
    sandbox = _Sandbox()
    refs = {row[0]: _text(row[1]) for row in visit.conn.execute("SELECT id, ref FROM plan_item")}
    for text, plan_item_id, row_id, version in visit.conn.execute(
        "SELECT text, plan_item_id, id, version FROM finding WHERE deleted = 0"
    ):
        why = sandbox.outside_the_language(_text(text))
        if why is not None:
            opening = _text(text)[:30] + ("..." if len(_text(text)) > 30 else "")
            where = f"under {refs.get(plan_item_id, 'an unknown plan item')} ({opening!r})"
            record = ("finding", _text(row_id), _text(version))
            yield Found("findings paragraph", where, Verdict("text", why), record)
    if visit.one("SELECT 1 FROM sqlite_master WHERE name = 'report_paragraph'") is None:
        return  # a file from before the report's parts (schema 3)
    for text, row_id, version in visit.conn.execute(
        "SELECT text, id, version FROM report_paragraph WHERE deleted = 0"
    ):
        if text_refusal(_text(text)):
            continue  # too long, or a character: the parts' own rule names it (``parts_audit``)
        why = sandbox.outside_the_language(_text(text))
        if why is not None:
            record = ("report_paragraph", _text(row_id), _text(version))
            yield Found("summary paragraph", _text(text)[:40], Verdict("text", why), record)


def refuse_unplaced(visit: VisitFile) -> None:
    """Refuse the report of a file holding a live paragraph under a plan item the file
    does not hold (``domain.references``; ``check`` names it, a merge refuses it): the
    report left the paragraph out and said nothing. One statement, at every report, as
    the previous outcomes' look (``report_parts.sound_outcomes``)."""
    from irp_field.domain.references import REFERENCES, dangling_verdict
    from irp_field.evidence.reference_audit import dangling_sql

    for reference in (r for r in REFERENCES if r.table == "finding"):
        row = visit.one(f"{dangling_sql(reference, visit.conn)} LIMIT 1")
        if row is not None:
            message = dangling_verdict(reference, tuple(row)[3:]).message
            raise IrpError(
                f"{visit.path}: its findings paragraph {_text(row[2])}: {message}; no report "
                "is made of it; `irp-field check` names every such record"
            )
