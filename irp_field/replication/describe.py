"""Conflicts in people's words: which record a conflict is about ("judgement of 1.21",
"roll check of B wing, Wed AM round, 15 March 10:05", "note by Priya Shah, 14 March
14:00: 'Head of safety said…'") and who made each version, when, in local time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from irp_field.core.visit_file import VisitFile

QUOTED = 40  # characters of a note's or paragraph's text shown


def when(moment: str) -> str:
    """ "2022-03-14T14:00" (or a UTC stamp such as "...Z") as "14 March 14:00", local time
    for stamps that carry a zone; '' when it is not a moment."""
    try:
        parsed = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return moment
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone()
    return f"{parsed.day} {parsed:%B %H:%M}"


def _quote(text: Any) -> str:
    words = " ".join(str(text or "").split())
    return f"'{words[:QUOTED]}…'" if len(words) > QUOTED else f"'{words}'"


def _name(visit: VisitFile, table: str, row_id: Any, column: str) -> str:
    row = visit.one(f"SELECT {column} FROM {table} WHERE id = ?", (row_id,))
    return str(row[0]) if row is not None and row[0] else "?"


def _roll_check(visit: VisitFile, row: Mapping[str, Any]) -> str:
    place = _name(visit, "location", row.get("location_id"), "name")
    named = _name(visit, "roll_round", row.get("round_id"), "name") if row.get("round_id") else ""
    named = named if named != "?" else str(row.get("round") or "")  # before schema 5: a label
    round_name = f", {named} round" if named else ""
    return f"roll check of {place}{round_name}, {when(str(row.get('taken_at', '')))}"


def _note(visit: VisitFile, row: Mapping[str, Any]) -> str:
    by = row.get("author") or row.get("created_by") or "someone"
    return f"note by {by}, {when(str(row.get('taken_at', '')))}: {_quote(row.get('text'))}"


def _note_link(visit: VisitFile, row: Mapping[str, Any]) -> str:
    ref = _name(visit, "plan_item", row.get("plan_item_id"), "ref")
    author = _name(visit, "note", row.get("note_id"), "author")
    return f"link of a note by {author} to {ref}"


def _round_link(visit: VisitFile, row: Mapping[str, Any]) -> str:
    ref = _name(visit, "plan_item", row.get("plan_item_id"), "ref")
    return f"link of round {_name(visit, 'roll_round', row.get('round_id'), 'name')} to {ref}"


def _day_link(visit: VisitFile, row: Mapping[str, Any]) -> str:
    ref = _name(visit, "plan_item", row.get("plan_item_id"), "ref")
    return f"link of {row.get('subject')}'s day {row.get('on_date')} to {ref}"


def _answer(visit: VisitFile, row: Mapping[str, Any]) -> str:
    frame = _name(visit, "sample_frame", row.get("frame_id"), "name")
    criterion = _name(visit, "sample_criterion", row.get("criterion_id"), "name")
    return f"answer for record {row.get('record')}, '{criterion}' ({frame})"


def _finding(visit: VisitFile, row: Mapping[str, Any], numbers: Mapping[str, str]) -> str:
    ref = _name(visit, "plan_item", row.get("plan_item_id"), "ref")
    number = numbers.get(str(row.get("id")), "")
    where = f"paragraph {number} ({ref})" if number else f"a paragraph of {ref}"
    return f"{where}: {_quote(row.get('text'))}"


SIMPLE: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "visit": lambda row: "the visit's details",
    "team_member": lambda row: f"team member {row.get('name')}",
    "location": lambda row: f"location {row.get('name')}",
    "plan_item": lambda row: f"plan item {row.get('ref')}",
    "judgement": lambda row: f"judgement of {row.get('unit')}",
    "toc_period": lambda row: (
        f"time out of cell of {row.get('subject')}, {row.get('on_date')} "
        f"{row.get('start_time')}-{row.get('end_time')}"
    ),
    "sample_frame": lambda row: f"sample frame {row.get('name')}",
    "roll_round": lambda row: f"round {row.get('name')}",
    "data_return": lambda row: f"data return {row.get('key')}",
    "import_log": lambda row: f"import of {row.get('file_name')}",
    "conflict": lambda row: "a conflict record",
}


def paragraph_numbers(visit: VisitFile) -> dict[str, str]:
    """finding id -> its number in the report as it stands ("3.39")."""
    from irp_field.evidence.reads import judgements, plan_items
    from irp_field.findings import outline
    from irp_field.findings.paragraphs import all_findings

    sections = outline.build(plan_items(visit), all_findings(visit), judgements(visit))
    return {p.finding.id: p.number for p in outline.paragraphs(sections) if p.finding is not None}


def record(visit: VisitFile, table: str, row: Mapping[str, Any], numbers: Mapping[str, str]) -> str:
    """What the record is, as the team would name it."""
    if table in SIMPLE:
        return SIMPLE[table](row)
    if table == "roll_check":
        return _roll_check(visit, row)
    if table == "note":
        return _note(visit, row)
    if table == "note_link":
        return _note_link(visit, row)
    if table == "round_link":
        return _round_link(visit, row)
    if table == "toc_day_link":
        return _day_link(visit, row)
    if table == "sample_answer":
        return _answer(visit, row)
    if table == "finding":
        return _finding(visit, row, numbers)
    if table == "sample_criterion":
        frame = _name(visit, "sample_frame", row.get("frame_id"), "name")
        return f"criterion '{row.get('name')}' of {frame}"
    if table == "sample_record":
        frame = _name(visit, "sample_frame", row.get("frame_id"), "name")
        return f"record {row.get('record')} of {frame}"
    return table.replace("_", " ")


def editor(visit: VisitFile, table: str, row_id: str, version: str, row: Mapping[str, Any]) -> str:
    """ "Priya Shah, 14 March 14:00": who made this version and when, from the edit
    history (or, failing that, from the row itself)."""
    found = visit.one(
        "SELECT changed_by, changed_at FROM change_log WHERE table_name = ? AND row_id = ? "
        "AND version = ? LIMIT 1",
        (table, row_id, version),
    )
    who = str(found["changed_by"]) if found else ""
    at = str(found["changed_at"]) if found else ""
    if not who:
        who = str(row.get("created_by") or "someone")
    return f"{who}, {when(at)}" if at else who


def json_row(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}
