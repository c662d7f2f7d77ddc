"""``irp-field import VISIT links FILE.csv``: rounds and subjects' days linked to plan
items (a bundle's ``links.csv``). Each row names a plan item by its ref and a round by
its name, or a subject's day by its date and subject; the rules are
``domain.links.link_verdicts``, as the screens' and the API's. A link the visit holds
already is left as it is.
"""

from __future__ import annotations

from typing import Any

from irp_field.domain import links as rules
from irp_field.evidence import links, lookups
from irp_field.interchange.import_rows import Checker


class LinkChecker(Checker):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.plan = lookups.plan_ids(self.visit)
        self.rounds = set(links.rounds_with_checks(self.visit))
        self.days = links.days_with_periods(self.visit)

    def check(self, batch: list[tuple[int, list[str]]]) -> list[Any]:
        entries = []
        for line, row in self.as_dicts(batch):
            entry, found = rules.link_verdicts(
                row["plan_ref"],
                row.get("round", ""),
                row.get("date", ""),
                row.get("subject", ""),
                self.plan,
                self.rounds,
                self.days,
            )
            if not self.findings.verdicts(line, found):
                entries.append(entry)
        return entries

    def write(self, rows: list[Any]) -> int:
        links.insert_links(self.visit, rows)
        return len(rows)
