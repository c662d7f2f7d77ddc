"""Importing notes: each checked by the notes' rules (``domain.notes.verdicts``: its
source, time, text, plan refs and author, as the editor and the API check them), written
batch by batch with its links to the plan items it names."""

from __future__ import annotations

from typing import Any

from irp_field.core.ids import keyed_id, uuid7
from irp_field.domain import notes as note_rules
from irp_field.evidence import lookups
from irp_field.evidence.reads import visit_dates
from irp_field.interchange.import_rows import Checker


class NoteChecker(Checker):
    table = "note"

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.team = lookups.team_names(self.visit)
        self.plan = lookups.plan_ids(self.visit)
        self.dates = visit_dates(self.visit)
        self.context = note_rules.NoteContext(self.dates, self.plan, self.team)

    def check(self, batch: list[tuple[int, list[str]]]) -> list[Any]:
        notes: list[tuple[dict[str, Any], list[str]]] = []
        for line, row in self.as_dicts(batch):
            note_typed = note_rules.Note(
                row["source"],
                row["taken_at"],
                row["text"],
                row.get("tags", ""),
                row.get("plan_refs", ""),
                row["author"],
            )
            entry, found = note_rules.verdicts(note_typed, self.context)
            self.findings.verdicts(line, found)
            author = row["author"].strip()
            made = {
                "id": uuid7(),
                "source": entry.source,
                "taken_at": entry.taken_at,
                "author": self.team.get(author.casefold(), author),
                "text": entry.text,
                "tags": entry.tags,
                "import_id": self.import_id,
            }
            note = self.as_typed(line, row, made)
            notes.append(
                (
                    note,
                    [self.plan[r.casefold()] for r in entry.plan_refs if r.casefold() in self.plan],
                )
            )
        return notes

    def write(self, rows: list[Any]) -> int:
        visit = self.visit
        visit.insert_many("note", (note for note, _ in rows))
        links = [
            {
                "id": keyed_id(visit.visit_id, "note_link", note["id"], plan_id),
                "note_id": note["id"],
                "plan_item_id": plan_id,
            }
            for note, plan_ids in rows
            for plan_id in plan_ids
        ]
        visit.insert_many("note_link", links)
        return len(rows)
