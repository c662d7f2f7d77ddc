"""``irp-field import VISIT KIND FILE.csv``: all or nothing, never twice by accident."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from irp_field.core import bulk
from irp_field.core.ids import keyed_id, uuid7
from irp_field.core.visit_file import VisitFile
from irp_field.domain import fields, vocabulary
from irp_field.domain.errors import InputError, IrpError, RowProblem
from irp_field.domain.plan import scale_for
from irp_field.evidence import lookups
from irp_field.interchange.csv_rows import CsvFile, read_csv

ROLL_COUNT_COLUMNS = ("roll", *vocabulary.ROLL_CATEGORIES)

# kind -> (required columns, optional columns). Optional ones may be absent or empty.
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "team": (("name", "role", "body"), ()),
    "locations": (("name", "kind"), ("capacity",)),
    "plan": (("ref", "kind", "body", "area", "text"), ("concern", "judgement", "group", "why")),
    "roll-checks": (("taken_at", "location", *ROLL_COUNT_COLUMNS), ("round", "inspector", "note")),
    "time-out-of-cell": (("date", "subject", "group", "start", "end", "activity"), ()),
    "sample": (("record", "criterion", "answer"), ("comment",)),
    "notes": (("source", "taken_at", "author", "text"), ("plan_refs", "tags")),
    "data": (("key", "value", "unit"), ("period", "source", "label")),
}


@dataclass
class ImportResult:
    kind: str
    file_name: str
    rows: int
    import_id: str = ""
    already: dict[str, Any] | None = None


@dataclass
class _Rows:
    """What a kind's checker hands to the writer, and the problems it found."""

    problems: list[RowProblem] = field(default_factory=list)
    write: Callable[[VisitFile, str], int] | None = None
    import_id: str = field(default_factory=uuid7)  # known before the rows are built

    def bad(self, line: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(line, column, message))


def import_csv(
    visit: VisitFile,
    kind: str,
    path: Path,
    *,
    frame: str = "",
    population: int | None = None,
    again: bool = False,
) -> ImportResult:
    if kind not in KINDS:
        raise IrpError(f"unknown import kind {kind!r}; choose one of: {', '.join(KINDS)}")
    if kind == "sample" and not frame.strip():
        raise IrpError("importing a sample needs --frame NAME")
    with bulk.collector_paused():
        return _import(visit, kind, path, frame, population, again)


def _import(
    visit: VisitFile, kind: str, path: Path, frame: str, population: int | None, again: bool
) -> ImportResult:
    required, optional = KINDS[kind]
    csv_file = read_csv(path, required, optional)
    previous = visit.one(
        "SELECT created_at, created_by, file_name FROM import_log "
        "WHERE sha256 = ? AND kind = ? AND frame = ? AND deleted = 0 ORDER BY created_at LIMIT 1",
        (csv_file.sha256, kind, frame.strip()),
    )
    if previous is not None and not again:
        return ImportResult(kind, csv_file.name, 0, already=dict(previous))
    checked = CHECKERS[kind](visit, csv_file, frame.strip(), population)
    if checked.problems:
        raise InputError(csv_file.name, checked.problems)
    assert checked.write is not None
    import_id = checked.import_id
    with visit.transaction():
        count = checked.write(visit, import_id)
        details = {
            "kind": kind,
            "file_name": csv_file.name,
            "sha256": csv_file.sha256,
            "rows": count,
        }
        visit.insert(
            "import_log",
            {
                "id": import_id,
                "kind": kind,
                "file_name": csv_file.name,
                "sha256": csv_file.sha256,
                "frame": frame.strip(),
                "rows": count,
            },
            log=False,
        )
        visit.log_event("import_log", import_id, "import", details)
    return ImportResult(kind, csv_file.name, count, import_id)


def _choice(
    checked: _Rows, line: int, column: str, text: str, choices: tuple[str, ...], what: str
) -> str:
    try:
        return vocabulary.choose(text, choices, what)
    except ValueError as error:
        checked.bad(line, column, str(error))
        return ""


def _required_text(checked: _Rows, line: int, column: str, text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        checked.bad(line, column, "must not be empty")
    return cleaned


def check_team(visit: VisitFile, csv_file: CsvFile, frame: str, population: int | None) -> _Rows:
    checked = _Rows()
    members: dict[str, dict[str, Any]] = {}
    for line, row in csv_file.rows:
        name = _required_text(checked, line, "name", row["name"])
        body = _choice(checked, line, "body", row["body"], vocabulary.BODIES, "body")
        if name.casefold() in members:
            checked.bad(line, "name", f"{name!r} appears twice in the file")
        members[name.casefold()] = {
            "id": keyed_id(visit.visit_id, "team_member", name.casefold()),
            "name": name,
            "role": row["role"].strip(),
            "body": body,
        }

    def write(visit: VisitFile, import_id: str) -> int:
        for member in members.values():
            visit.upsert("team_member", member)
        return len(members)

    checked.write = write
    return checked


def check_locations(
    visit: VisitFile, csv_file: CsvFile, frame: str, population: int | None
) -> _Rows:
    checked = _Rows()
    places: dict[str, dict[str, Any]] = {}
    for line, row in csv_file.rows:
        name = _required_text(checked, line, "name", row["name"])
        kind = _choice(
            checked, line, "kind", row["kind"], vocabulary.LOCATION_KINDS, "location kind"
        )
        capacity: int | None = None
        if row.get("capacity", "").strip():
            try:
                capacity = fields.whole_number(row["capacity"], "capacity")
            except ValueError as error:
                checked.bad(line, "capacity", str(error))
        if name.casefold() in places:
            checked.bad(line, "name", f"{name!r} appears twice in the file")
        places[name.casefold()] = {
            "id": keyed_id(visit.visit_id, "location", name.casefold()),
            "name": name,
            "kind": kind,
            "capacity": capacity,
        }

    def write(visit: VisitFile, import_id: str) -> int:
        for place in places.values():
            visit.upsert("location", place)
        return len(places)

    checked.write = write
    return checked


def check_plan(visit: VisitFile, csv_file: CsvFile, frame: str, population: int | None) -> _Rows:
    checked = _Rows()
    items: dict[str, dict[str, Any]] = {}
    judgements: dict[str, tuple[int, str, str, str]] = {}  # unit -> (line, scale, level, why)
    start = lookups.next_plan_position(visit)
    for index, (line, row) in enumerate(csv_file.rows):
        ref = _required_text(checked, line, "ref", row["ref"])
        kind = _choice(checked, line, "kind", row["kind"], vocabulary.PLAN_KINDS, "plan kind")
        body = _choice(checked, line, "body", row["body"], vocabulary.BODIES, "body")
        area = _choice(checked, line, "area", row["area"], vocabulary.AREAS, "area")
        text = _required_text(checked, line, "text", row["text"])
        group = row.get("group", "").strip()
        if ref.casefold() in items:
            checked.bad(line, "ref", f"{ref!r} appears twice in the file")
        unit = group or ref
        level_text = row.get("judgement", "").strip()
        if level_text and kind:
            scale = scale_for(kind)
            try:
                level = scale.parse(level_text).key
            except ValueError as error:
                checked.bad(line, "judgement", str(error))
            else:
                earlier = judgements.get(unit)
                if earlier and (earlier[1], earlier[2]) != (scale.key, level):
                    checked.bad(
                        line,
                        "judgement",
                        f"group {unit!r} is judged together, but line "
                        f"{earlier[0]} gives it another judgement",
                    )
                why = row.get("why", "").strip() or (earlier[3] if earlier else "")
                judgements[unit] = (line, scale.key, level, why)
        items[ref.casefold()] = {
            "id": keyed_id(visit.visit_id, "plan_item", ref.casefold()),
            "ref": ref,
            "kind": kind,
            "body": body,
            "area": area,
            "concern": row.get("concern", "").strip(),
            "text": text,
            "judged_group": group,
            "position": start + index,
        }

    def write(visit: VisitFile, import_id: str) -> int:
        for item in items.values():
            existing = visit.row("plan_item", item["id"])
            if existing is not None:
                item = {**item, "position": existing["position"]}
            visit.upsert("plan_item", item)
        for unit, (_, scale, level, why) in judgements.items():
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
        return len(items)

    checked.write = write
    return checked


ROLL_CHECK_COLUMNS = (
    "taken_at",
    "location_id",
    *ROLL_COUNT_COLUMNS,
    "round",
    "inspector",
    "note",
    "import_id",
)


def check_roll_checks(
    visit: VisitFile, csv_file: CsvFile, frame: str, population: int | None
) -> _Rows:
    checked = _Rows()
    locations = lookups.location_ids(visit)
    team = lookups.team_names(visit)
    whole_number = fields.whole_number
    moment = fields.moment
    rows: list[tuple[Any, ...]] = []
    # This is the import that grows to 100,000 rows: keep the per-row work plain (values
    # by position, not by name), and build the value tuples the insert takes, in
    # ROLL_CHECK_COLUMNS order, once.
    at = csv_file.column
    taken_at_at, location_at = at("taken_at"), at("location")
    assert taken_at_at is not None and location_at is not None  # required columns
    count_at = [(column, at(column)) for column in ROLL_COUNT_COLUMNS]
    round_at, inspector_at, note_at = at("round"), at("inspector"), at("note")
    place_of: dict[str, str | None] = {}  # the location as typed -> its id (few distinct)
    import_id = checked.import_id
    for line, values in zip(csv_file.lines, csv_file.records, strict=True):
        try:
            taken_at = moment(values[taken_at_at])
        except ValueError as error:
            checked.bad(line, "taken_at", str(error))
            taken_at = ""
        typed = values[location_at]
        if typed not in place_of:
            place_of[typed] = locations.get(typed.strip().casefold())
        location_id = place_of[typed]
        if location_id is None:
            checked.bad(line, "location", f"unknown location {typed.strip()!r}")
        counts: list[int] = []
        for column, index in count_at:
            text = values[index]  # type: ignore[index]
            if text.isdigit() and text.isascii():
                counts.append(int(text))
                continue
            try:
                counts.append(whole_number(text, column))
            except ValueError as error:
                checked.bad(line, column, str(error))
        if len(counts) == 6:
            roll, accounted = counts[0], counts[1] + counts[2] + counts[3] + counts[4] + counts[5]
            if accounted > roll:
                checked.bad(
                    line,
                    "roll",
                    f"the categories add up to {accounted}, more than the roll of {roll}",
                )
        inspector = values[inspector_at].strip() if inspector_at is not None else ""
        if inspector and inspector.casefold() not in team:
            checked.bad(line, "inspector", f"unknown team member {inspector!r}")
        rows.append(
            (
                taken_at,
                location_id or "",
                *counts,
                values[round_at].strip() if round_at is not None else "",
                team.get(inspector.casefold(), inspector),
                values[note_at].strip() if note_at is not None else "",
                import_id,
            )
        )

    def write(visit: VisitFile, import_id: str) -> int:
        return visit.insert_values("roll_check", ROLL_CHECK_COLUMNS, rows)

    checked.write = write
    return checked


def check_time_out_of_cell(
    visit: VisitFile, csv_file: CsvFile, frame: str, population: int | None
) -> _Rows:
    checked = _Rows()
    groups = lookups.subject_day_groups(visit)
    rows: list[dict[str, Any]] = []
    for line, row in csv_file.rows:
        on_date = start = end = ""
        try:
            on_date = fields.date(row["date"])
        except ValueError as error:
            checked.bad(line, "date", str(error))
        subject = _required_text(checked, line, "subject", row["subject"])
        group = _required_text(checked, line, "group", row["group"])
        for column in ("start", "end"):
            try:
                value = fields.time_of_day(row[column])
            except ValueError as error:
                checked.bad(line, column, str(error))
                value = ""
            start, end = (value, end) if column == "start" else (start, value)
        if start and end and end <= start:
            checked.bad(line, "end", f"the period ends ({end}) before or when it starts ({start})")
        activity = _choice(
            checked, line, "activity", row["activity"], vocabulary.ACTIVITIES, "activity"
        )
        if subject and on_date and group:
            earlier = groups.setdefault((subject, on_date), (group, line))
            if earlier[0] != group:
                where = f"line {earlier[1]}" if earlier[1] else "the visit file"
                checked.bad(
                    line,
                    "group",
                    f"subject {subject} is in group {earlier[0]!r} on "
                    f"{on_date} in {where}, not {group!r}",
                )
        rows.append(
            {
                "on_date": on_date,
                "subject": subject,
                "subject_group": group,
                "start_time": start,
                "end_time": end,
                "activity": activity,
            }
        )

    def write(visit: VisitFile, import_id: str) -> int:
        return visit.insert_many("toc_period", ({**r, "import_id": import_id} for r in rows))

    checked.write = write
    return checked


def check_sample(visit: VisitFile, csv_file: CsvFile, frame: str, population: int | None) -> _Rows:
    from irp_field.evidence import sampling

    checked = _Rows()
    existing = sampling.find_frame(visit, frame)
    if existing is None and population is None:
        raise IrpError(f"sample frame {frame!r} is new: give its --population N")
    answers: dict[tuple[str, str], tuple[int, str, str, str]] = {}
    for line, row in csv_file.rows:
        record = _required_text(checked, line, "record", row["record"])
        criterion = _required_text(checked, line, "criterion", row["criterion"])
        answer = _choice(checked, line, "answer", row["answer"], vocabulary.ANSWERS, "answer")
        key = (record, criterion.casefold())
        if key in answers:
            checked.bad(
                line,
                "criterion",
                f"record {record} already has an answer for {criterion!r} "
                f"on line {answers[key][0]}",
            )
        answers[key] = (line, criterion, answer, row.get("comment", "").strip())

    def write(visit: VisitFile, import_id: str) -> int:
        frame_id = sampling.ensure_frame(visit, frame, population=population)
        for (record, _), (_, criterion, answer, comment) in answers.items():
            sampling.record_answer(visit, frame_id, record, criterion, answer, comment)
        return len(answers)

    checked.write = write
    return checked


def check_notes(visit: VisitFile, csv_file: CsvFile, frame: str, population: int | None) -> _Rows:
    checked = _Rows()
    team = lookups.team_names(visit)
    plan = lookups.plan_ids(visit)
    notes: list[tuple[dict[str, Any], list[str]]] = []
    for line, row in csv_file.rows:
        source = _choice(checked, line, "source", row["source"], vocabulary.NOTE_SOURCES, "source")
        try:
            taken_at = fields.moment(row["taken_at"])
        except ValueError as error:
            checked.bad(line, "taken_at", str(error))
            taken_at = ""
        author = row["author"].strip()
        if author.casefold() not in team:
            checked.bad(line, "author", f"unknown team member {author!r}")
        text = _required_text(checked, line, "text", row["text"])
        plan_ids = []
        for ref in fields.split_list(row.get("plan_refs", "")):
            if ref.casefold() not in plan:
                checked.bad(line, "plan_refs", f"unknown plan ref {ref!r}")
            else:
                plan_ids.append(plan[ref.casefold()])
        tags = ";".join(fields.split_list(row.get("tags", "")))
        notes.append(
            (
                {
                    "id": uuid7(),
                    "source": source,
                    "taken_at": taken_at,
                    "author": team.get(author.casefold(), author),
                    "text": text,
                    "tags": tags,
                },
                plan_ids,
            )
        )

    def write(visit: VisitFile, import_id: str) -> int:
        visit.insert_many("note", ({**note, "import_id": import_id} for note, _ in notes))
        links = [
            {
                "id": keyed_id(visit.visit_id, "note_link", note["id"], plan_id),
                "note_id": note["id"],
                "plan_item_id": plan_id,
            }
            for note, plan_ids in notes
            for plan_id in plan_ids
        ]
        visit.insert_many("note_link", links)
        return len(notes)

    checked.write = write
    return checked


def check_data(visit: VisitFile, csv_file: CsvFile, frame: str, population: int | None) -> _Rows:
    checked = _Rows()
    returns: dict[str, dict[str, Any]] = {}
    for line, row in csv_file.rows:
        key = _required_text(checked, line, "key", row["key"])
        if key and not fields.is_key(key):
            checked.bad(line, "key", f"{key!r} must be lower case letters, digits and _")
        try:
            value = fields.decimal_number(row["value"], "value")
        except ValueError as error:
            checked.bad(line, "value", str(error))
            value = 0.0
        unit = _choice(checked, line, "unit", row["unit"], vocabulary.DATA_UNITS, "unit")
        if unit == "proportion" and not 0 <= value <= 1:
            checked.bad(line, "value", f"a proportion is between 0 and 1, not {value}")
        if key in returns:
            checked.bad(line, "key", f"{key!r} appears twice in the file")
        returns[key] = {
            "id": keyed_id(visit.visit_id, "data_return", key),
            "key": key,
            "value": value,
            "unit": unit,
            "period": row.get("period", "").strip(),
            "source": row.get("source", "").strip(),
            "label": row.get("label", "").strip(),
        }

    def write(visit: VisitFile, import_id: str) -> int:
        for data_return in returns.values():
            visit.upsert("data_return", data_return)
        return len(returns)

    checked.write = write
    return checked


CHECKERS: dict[str, Callable[[VisitFile, CsvFile, str, int | None], _Rows]] = {
    "team": check_team,
    "locations": check_locations,
    "plan": check_plan,
    "roll-checks": check_roll_checks,
    "time-out-of-cell": check_time_out_of_cell,
    "sample": check_sample,
    "notes": check_notes,
    "data": check_data,
}
