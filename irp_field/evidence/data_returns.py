"""Data returns: figures the prison or the previous report supplies, keyed by a name.

A return is keyed by its key (``data.KEY`` in the figures): recording a key again
updates it in place, on any laptop, and merges as one record.
"""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.domain.data_returns import data_return_verdicts
from irp_field.domain.names import name_verdicts, text_verdicts
from irp_field.domain.verdicts import refuse_unless_fine


@dataclass(frozen=True)
class DataReturn:
    id: str
    key: str
    value: float | None
    unit: str
    period: str
    source: str
    label: str


def record_data_return(
    visit: VisitFile,
    *,
    key: str,
    value: float | str,
    unit: str,
    period: str = "",
    source: str = "",
    label: str = "",
) -> str:
    """Write (or update) one data return in one committed transaction."""
    entry, found = data_return_verdicts(key, str(value), unit)
    found += name_verdicts(period, "period", "the period", required=False)
    found += text_verdicts(source, "source", "the source", required=False)
    found += text_verdicts(label, "label", "the label", required=False)
    refuse_unless_fine(found, what=f"data return {key.strip()}")
    with visit.transaction():
        return visit.upsert(
            "data_return",
            {
                "id": keyed_id(visit.visit_id, "data_return", entry.key),
                "key": entry.key,
                "value": entry.value,
                "unit": entry.unit,
                "period": period.strip(),
                "source": source.strip(),
                "label": label.strip(),
            },
        )


def data_returns(visit: VisitFile) -> list[DataReturn]:
    rows = visit.query(
        "SELECT id, key, value, unit, period, source, label FROM data_return "
        "WHERE deleted = 0 ORDER BY key"
    )
    return [DataReturn(**dict(row)) for row in rows]
