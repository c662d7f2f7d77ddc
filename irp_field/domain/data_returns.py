"""Data returns: a figure the prison or the previous report supplies, and its rules.

The rules, applied alike by the import, the API, ``check`` and the merge:

- the key is lower case letters, digits and ``_``, starting with a letter (REFUSE: it
  becomes a figure name, ``data.KEY``);
- the value is a finite number and the unit a known one (REFUSE);
- a proportion lies between 0 and 1, a count is a whole number, and counts, hours and
  minutes are never negative (REFUSE);
- a percentage outside 0 to 100 is said (WARN: a prison at 120% of its capacity is
  real, a proportion typed as a percentage is a slip).
"""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.domain import fields, vocabulary
from irp_field.domain.names import name_verdicts
from irp_field.domain.verdicts import WARN, Verdict


@dataclass(frozen=True)
class DataEntry:
    key: str
    value: float
    unit: str


def data_return_verdicts(
    key: str, value: str, unit: str, *, stored: bool = False
) -> tuple[DataEntry, list[Verdict]]:
    """A data return's fields. ``stored``: one the visit file holds (``check``, a merge,
    the figures), its unit exactly as stored (a hand's 'PERCENT' was printed as a count:
    ``vocabulary.stored``)."""
    found = name_verdicts(key, "key", "the key")
    key = key.strip()
    if key and not found and not fields.is_key(key):
        found.append(Verdict("key", f"{key!r} must be lower case letters, digits and _"))
    number = 0.0
    try:
        number = fields.decimal_number(value, "value")
    except ValueError as error:
        found.append(Verdict("value", str(error)))
    chosen = ""
    try:
        parse = vocabulary.stored if stored else vocabulary.choose
        chosen = parse(unit, vocabulary.DATA_UNITS, "unit")
    except ValueError as error:
        found.append(Verdict("unit", str(error)))
    found += value_verdicts(number, chosen)
    return DataEntry(key, number, chosen), found


def value_verdicts(value: float, unit: str) -> list[Verdict]:
    """The ranges each unit allows."""
    if unit == "proportion" and not 0 <= value <= 1:
        return [Verdict("value", f"a proportion is between 0 and 1, not {value}")]
    if unit == "count" and not float(value).is_integer():
        return [Verdict("value", f"a count is a whole number, not {value}")]
    if unit in ("count", "hours", "minutes") and value < 0:
        return [Verdict("value", f"{unit} cannot be negative ({value})")]
    if unit == "percent" and not 0 <= value <= 100:
        return [Verdict("value", f"{value}% is outside 0 to 100: check it is a percentage", WARN)]
    return []
