"""Every live record naming another its file does not hold (``domain.references``),
for ``check`` and the merge (``evidence.audit``).

One statement a reference, made from the domain's table: an anti-join over the
records of the kind, each looked up by the target's key or an index (a few hundred
answers and links in a visit; none of the large tables is read). The rows found come
back named as a person names them, each carrying what it names (``Found.awaited``) so
that a merge can look for it in the target and the other files it brings together.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from irp_field.core.stored_forms import NAMED_BY_TABLE, dangling_where
from irp_field.core.visit_file import VisitFile
from irp_field.domain.references import REFERENCES, Reference, dangling_verdict
from irp_field.evidence.roll_check_audit import Found
from irp_field.evidence.roll_check_audit import text as _text

_REF = "COALESCE((SELECT p.ref FROM plan_item p WHERE p.id = t.plan_item_id), '?')"

# A table -> how a person names one of its records (SQL over ``t``), as the kind's own
# rules name it in ``check``.
NAMED = {
    **NAMED_BY_TABLE,  # the answers, sampled records and criteria, as the figures' looks
    "sample_frame": "t.name",
    "round_link": "'of round ' || COALESCE((SELECT o.name FROM roll_round o "
    f"WHERE o.id = t.round_id), '?') || ' to ' || {_REF}",
    "toc_day_link": f"'of ' || t.subject || '''s day ' || t.on_date || ' to ' || {_REF}",
    "note_link": "'of note ' || COALESCE((SELECT 'by ' || n.author || ' at ' || n.taken_at "
    f"FROM note n WHERE n.id = t.note_id), '?') || ' to ' || {_REF}",
    "finding": f"'under ' || {_REF} || ' (' || substr(t.text, 1, 30) || ')'",
}


def dangling_sql(reference: Reference, conn: sqlite3.Connection) -> str:
    """The live records of ``reference``'s kind naming no record of its target, deleted
    or not: their id, version, name in words and the values they name."""
    absent = dangling_where(reference, conn)
    given = f" AND t.{reference.columns[0]} != ''" if reference.optional else ""
    values = ", ".join(f"t.{column}" for column in reference.columns)
    return (
        f"SELECT t.id, t.version, substr({NAMED[reference.table]}, 1, 80), {values} "
        f"FROM {reference.table} t WHERE t.deleted = 0{given} AND {absent}"
    )


def reference_findings(visit: VisitFile) -> Iterator[Found]:
    """Each live record naming one its file lacks, refused or said as its reference says
    (``domain.references``)."""
    for reference in REFERENCES:
        for row_id, version, where, *values in visit.query(dangling_sql(reference, visit.conn)):
            named = tuple(values)
            yield Found(
                reference.kind,
                _text(where),
                dangling_verdict(reference, named),
                (reference.table, _text(row_id), _text(version)),
                awaited=(reference, named),
            )
