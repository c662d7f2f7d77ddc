"""Importing a visit's set-up and data returns: team, locations, plan, data.

Their rows are keyed by a name (a member's name, a location, a ref, a key), so a
second import of an edited file updates them in place; each is checked across the
whole file (a name twice is refused) and written at the end.
"""

from __future__ import annotations

from typing import Any

from irp_field.core.ids import keyed_id
from irp_field.domain import data_returns, kind_columns, setup
from irp_field.evidence import lookups
from irp_field.evidence.setup import key_for, plan_item_row
from irp_field.interchange.import_rows import Checker


class _Keyed(Checker):
    key_column = "name"

    def setup(self) -> None:
        self.kept: dict[str, dict[str, Any]] = {}
        self.lines: dict[str, int] = {}

    def optional_columns(self) -> dict[str, str]:
        """Optional CSV column -> the table's column (its registry's, ``domain.kind_columns``).
        A file without the column says nothing of it: the stored value is kept
        (re-importing locations without capacities used to blank every capacity). An
        empty cell in a file that has the column blanks the value, and the import says so."""
        found = kind_columns.in_csv(self.table)
        return {c.csv_name: c.name for c in found if c.optional and c.stored}

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.setup()

    def keep(self, line: int, key: str, row: dict[str, Any]) -> None:
        folded = key.casefold()
        if key and folded in self.kept:
            self.findings.bad(line, self.key_column, f"{key!r} appears twice in the file")
        if key:  # the record of that name, renamed or not (set-up keeps ids on renames)
            row["id"] = key_for(self.visit, self.table, self.key_column, key)
        self.kept[folded] = row
        self.lines[folded] = line

    def check(self, batch: list[tuple[int, list[str]]]) -> list[Any]:
        for line, row in self.as_dicts(batch):
            self.check_row(line, row)
        return []

    def check_row(self, line: int, row: dict[str, str]) -> None:
        raise NotImplementedError

    def keep_or_blank(self) -> None:
        """Stored values of optional columns the file leaves out are kept; ones it
        blanks are said."""
        given = set(self.header)
        for folded, row in self.kept.items():
            held = self.visit.row(self.table, row["id"])
            live = held if held is not None and not held["deleted"] else None
            for column, field in self.optional_columns().items():
                if column not in given:
                    if held is not None:
                        row.pop(field, None)
                    continue
                was = live.get(field) if live is not None else None
                if was not in (None, "") and row.get(field) in (None, ""):
                    self.findings.warn(
                        self.lines[folded],
                        column,
                        f"{row.get(self.key_column) or folded}'s {column} ({was}) is blanked "
                        "by this file's empty cell",
                    )

    def finish(self) -> int:
        self.keep_or_blank()
        for row in self.kept.values():
            self.visit.upsert(self.table, row)
        return len(self.kept)


class TeamChecker(_Keyed):
    table = "team_member"

    def check_row(self, line: int, row: dict[str, str]) -> None:
        entry, found = setup.member_verdicts(row["name"], row["role"], row["body"])
        self.findings.verdicts(line, found)
        made = {
            "id": keyed_id(self.visit.visit_id, "team_member", entry.name.casefold()),
            "name": entry.name,
            "role": entry.role,
            "body": entry.body,
        }
        self.keep(line, entry.name, self.as_typed(line, row, made))


class LocationChecker(_Keyed):
    table = "location"

    def check_row(self, line: int, row: dict[str, str]) -> None:
        entry, found = setup.location_verdicts(row["name"], row["kind"], row.get("capacity", ""))
        self.findings.verdicts(line, found)
        made = {
            "id": keyed_id(self.visit.visit_id, "location", entry.name.casefold()),
            "name": entry.name,
            "kind": entry.kind,
            "capacity": entry.capacity,
        }
        self.keep(line, entry.name, self.as_typed(line, row, made))


class PlanChecker(_Keyed):
    table = "plan_item"
    key_column = "ref"

    def setup(self) -> None:
        super().setup()
        self.start = lookups.next_plan_position(self.visit)
        self.judged: dict[str, tuple[int, str, str, str]] = {}  # unit -> (line, scale, level, why)

    def check_row(self, line: int, row: dict[str, str]) -> None:
        entry, found = setup.plan_item_verdicts(
            row["ref"],
            row["kind"],
            row["body"],
            row["area"],
            row["text"],
            concern=row.get("concern", ""),
            group=row.get("group", ""),
            judgement=row.get("judgement", ""),
        )
        self.findings.verdicts(line, found)
        unit = entry.group or entry.ref
        if entry.level:
            scale = "ofsted" if entry.kind == "theme" else "hmip"
            earlier = self.judged.get(unit)
            if earlier and (earlier[1], earlier[2]) != (scale, entry.level):
                self.findings.bad(
                    line,
                    "judgement",
                    f"group {unit!r} is judged together, but line {earlier[0]} gives it "
                    "another judgement",
                )
            why = row.get("why", "").strip() or (earlier[3] if earlier else "")
            self.judged[unit] = (line, scale, entry.level, why)
        made = plan_item_row(
            keyed_id(self.visit.visit_id, "plan_item", entry.ref.casefold()),
            entry,
            self.start + len(self.kept),
        )
        self.keep(line, entry.ref, self.as_typed(line, row, made))

    def finish(self) -> int:
        visit = self.visit
        self.keep_or_blank()
        for item in self.kept.values():
            existing = visit.row("plan_item", item["id"])
            if existing is not None:
                item = {**item, "position": existing["position"]}
            visit.upsert("plan_item", item)
        for unit, (_, scale, level, why) in self.judged.items():
            visit.upsert(
                "judgement",
                {
                    "id": keyed_id(visit.visit_id, "judgement", unit.casefold()),
                    "unit": unit,
                    "scale": scale,
                    "level": level,
                    "why": why,
                },
            )
        return len(self.kept)


class DataChecker(_Keyed):
    table = "data_return"
    key_column = "key"

    def check_row(self, line: int, row: dict[str, str]) -> None:
        entry, found = data_returns.data_return_verdicts(row["key"], row["value"], row["unit"])
        self.findings.verdicts(line, found)
        if entry.key and entry.key in self.kept:
            self.findings.bad(line, "key", f"{entry.key!r} appears twice in the file")
        self.lines[entry.key] = line
        made = {
            "id": keyed_id(self.visit.visit_id, "data_return", entry.key),
            "key": entry.key,
            "value": entry.value,
            "unit": entry.unit,
            "period": row.get("period", "").strip(),
            "source": row.get("source", "").strip(),
            "label": row.get("label", "").strip(),
        }
        self.kept[entry.key] = self.as_typed(line, row, made)
