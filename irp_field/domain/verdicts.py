"""What a rule says of a record, and how each path acts on it.

Every rule about evidence lives once in this package and returns :class:`Verdict`
values; the CSV import, the screens, the Python API, ``irp-field check`` and the merge
all call the same rule and act on its verdict the same way:

- ``REFUSE``: the record cannot be true (a count above the roll, an end before the
  start). No path stores it; the message names the field.
- ``CONFIRM``: it may be true but is unusual enough to ask (a date outside the visit).
  The screens ask; an import or a program stores it only when told it is meant
  (``--allow-outside-visit``, ``allow_outside_visit=True``); otherwise it is refused.
- ``WARN``: stored, and said: the screen shows it, the import prints it, ``check``
  lists it (a roll above the location's capacity).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from irp_field.domain.errors import IrpError

REFUSE = "refuse"
CONFIRM = "confirm"
WARN = "warn"


@dataclass(frozen=True)
class Verdict:
    """What a rule says of one field: refused, to confirm, or a warning."""

    field: str  # the field (a CSV column) the verdict is about
    message: str  # for a person: what is wrong, and what to do
    severity: str = REFUSE

    @property
    def refuses(self) -> bool:
        return self.severity == REFUSE


def blocking(verdicts: Iterable[Verdict], *, confirmed: bool = False) -> list[Verdict]:
    """The verdicts that stop a record being stored: refusals, and unconfirmed confirms."""
    return [
        v for v in verdicts if v.severity == REFUSE or (v.severity == CONFIRM and not confirmed)
    ]


def warnings(verdicts: Iterable[Verdict]) -> list[Verdict]:
    return [v for v in verdicts if v.severity == WARN]


class RecordRefused(IrpError, ValueError):
    """A record that a rule refuses (or that needs confirming and was not confirmed); a
    ValueError too, as the parsers' refusals are."""

    def __init__(self, verdicts: list[Verdict], what: str = "") -> None:
        self.verdicts = verdicts
        text = "; ".join(v.message for v in verdicts)
        super().__init__(f"{what}: {text}" if what else text)


def refuse_unless_fine(
    verdicts: Iterable[Verdict], *, confirmed: bool = False, what: str = ""
) -> list[Verdict]:
    """Raise :class:`RecordRefused` for blocking verdicts; return the warnings."""
    found = list(verdicts)
    stop = blocking(found, confirmed=confirmed)
    if stop:
        raise RecordRefused(stop, what)
    return warnings(found)
