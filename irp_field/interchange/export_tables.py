"""What an analyst export holds: every table and every column, typed and described once.

Each column has a type (Table Schema's names: string, integer, number, date, datetime,
time), a description and, where it counts something, a unit; a share is a number with
the unit ``proportion`` (a fraction from 0 to 1, as in the figures). Every writer takes
its types from here: the SQLite export's declared types and keys, the XLSX cells'
formats, the CSV export's ``datapackage.json`` and Datasette's metadata, so that a
paragraph number "3.10" stays text and a year stays a number in every tool.

:data:`RECORD_TABLES` are read from each visit file (deleted rows left out, each table in
the order of time or position), and so are the figures and the subject-day totals
(:mod:`export_derived`); its ``DERIVED`` tables are computed in the export from those,
after redaction (so they hold nothing the tables do not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from irp_field.domain import kind_columns

# Table Schema's type -> SQLite's declared type
SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "date": "TEXT",
             "datetime": "TEXT", "time": "TEXT"}  # fmt: skip
# How a date, a moment and a time are written (local time at the prison, no zone).
FORMATS = {"datetime": "%Y-%m-%dT%H:%M", "time": "%H:%M"}
SHARE = "proportion"  # a fraction from 0 to 1


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # string, integer, number, date, datetime, time
    description: str
    unit: str = ""  # prisoners, records, bytes, minutes, hours, proportion
    references: str = ""  # the table whose id it holds

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]

    @property
    def is_id(self) -> bool:
        """A row id, a reference to one or a file's hash: long, for joining, not reading."""
        return self.name == "id" or self.name.endswith(("_id", "sha256"))


@dataclass(frozen=True)
class AnalystTable:
    name: str
    description: str
    columns: tuple[Column, ...]
    select: str  # the columns in order, ordered; ? is the visit id ('' : read otherwise)
    sort: str  # Datasette's default sort
    facets: tuple[str, ...] = ()
    pk: tuple[str, ...] = ("id",)
    label: str = ""  # the column Datasette names a row by where another table points at it

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def column_names(table: AnalystTable) -> list[str]:
    return table.names


def _top_level(sql: str) -> str:
    """``sql`` with whatever is inside parentheses or quotes blanked (``_``): its top level
    alone, each character where it was."""
    shown, depth, quote = [], 0, ""
    for character in sql:
        inside = depth or quote
        if quote:
            quote = "" if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        shown.append("_" if inside or depth or quote else character)
    return "".join(shown)


_DIRECTION = re.compile(r"\s+(ASC|DESC)$", re.IGNORECASE)


def sorted_apart(select: str) -> tuple[str, list[tuple[str, str]]]:
    """``select`` (one of the export's own, ``SELECT ... FROM ... ORDER BY ...``) without
    its ORDER BY, its sort keys added as its last columns; and each key with its direction
    ('' or ' DESC'). A select without an ORDER BY is given back as it is."""
    top = _top_level(select).upper()
    at = top.rfind(" ORDER BY ")
    if at < 0:
        return select, []
    start = at + len(" ORDER BY ")
    ends = [i for i, character in enumerate(top[start:], start) if character == ","]
    keys = []
    for begin, end in zip([start, *(e + 1 for e in ends)], [*ends, len(select)], strict=True):
        key = select[begin:end].strip()
        found = _DIRECTION.search(key)
        keys.append((key[: found.start()], f" {found[1].upper()}") if found else (key, ""))
    body = select[:at]
    columns_end = top.find(" FROM ")
    listed = ", ".join(key for key, _ in keys)
    return f"{body[:columns_end]}, {listed}{body[columns_end:]}", keys


VISIT_ID = Column(
    "visit_id", "string", "The visit this row belongs to (several visits combine).", "", "visit"
)
ID = Column("id", "string", "This row's id (a keyed hash in a redacted export).")
_S, _I, _N = "string", "integer", "number"


def _c(name: str, kind: str, description: str, unit: str = "", references: str = "") -> Column:
    return Column(name, kind, description, unit, references)


def _table(
    name: str,
    description: str,
    columns: tuple[Column, ...],
    select: str,
    sort: str,
    facets: tuple[str, ...] = (),
    label: str = "",
) -> AnalystTable:
    """A table of rows with ids, each row of one visit."""
    return AnalystTable(name, description, (VISIT_ID, ID, *columns), select, sort, facets,
                        label=label)  # fmt: skip


LIVE = "deleted = 0"


def _registered(table: str) -> tuple[Column, ...]:
    """A kind's exported columns, as its registry describes them (``domain.kind_columns``)."""
    return tuple(
        _c(c.name, c.kind, c.about, c.unit, c.references) for c in kind_columns.exported(table)
    )


def _registered_select(table: str, alias: str = "") -> str:
    """``SELECT ?, id`` and a kind's exported columns, in its registry's order: the table's
    own (of ``alias``, when its select joins others) and each read through the join."""
    of = f"{alias}." if alias else ""
    found = (c.joined or f"{of}{c.name}" for c in kind_columns.exported(table))
    return ", ".join(["SELECT ?", f"{of}id", *found])


_PLAN_REF = _c("plan_ref", _S, kind_columns.PLAN_REF.about)

RECORD_TABLES: tuple[AnalystTable, ...] = (
    AnalystTable(
        "visit",
        "The visit: establishment, type and dates.",
        (
            Column("visit_id", "string", "The visit's id (a keyed hash in a redacted export)."),
            _c("establishment", _S, "The prison or young offender institution."),
            _c("visit_type", _S, "IRP (independent review of progress) or another visit."),
            _c("start_date", "date", "The visit's first day."),
            _c("end_date", "date", "The visit's last day."),
            _c("previous_inspection", "date", "The first day of the last full inspection."),
        ),
        "SELECT id, establishment, visit_type, start_date, end_date, previous_inspection "
        f"FROM visit WHERE {LIVE} AND id = ?",
        "establishment",
        pk=("visit_id",),
        label="establishment",
    ),
    _table(
        "team_member",
        "The inspection team, in the team list's order.",
        _registered("team_member"),
        f"{_registered_select('team_member')} FROM team_member WHERE {LIVE} ORDER BY rowid, id",
        "name",
        ("body", "role"),
        label="name",
    ),
    _table(
        "location",
        "Wings and units where roll checks were taken.",
        _registered("location"),
        f"{_registered_select('location')} FROM location WHERE {LIVE} ORDER BY name, id",
        "name",
        ("kind",),
        label="name",
    ),
    _table(
        "plan_item",
        "Recommendations and themes followed up at the visit, in the plan's order.",
        _registered("plan_item"),
        f"{_registered_select('plan_item')} FROM plan_item WHERE {LIVE} ORDER BY position, ref, id",
        "position",
        ("area", "body", "kind"),
        label="ref",
    ),
    _table(
        "judgement",
        "Progress judgements, one per plan item or judged group.",
        (
            _c("unit", _S, "The plan item's ref, or the group's name, it judges."),
            _c("scale", _S, "hmip or ofsted."),
            _c(
                "level",
                _S,
                "The progress found (no_meaningful, insufficient, reasonable, "
                "good; Ofsted: insufficient, reasonable, significant).",
            ),
            _c("why", _S, "The team leader's reasons."),
        ),
        f"SELECT ?, id, unit, scale, level, why FROM judgement WHERE {LIVE} ORDER BY unit, id",
        "unit",
        ("scale", "level"),
    ),
    _table(
        "roll_round",
        "Rounds of roll checks: one whole-prison check at one time of day.",
        _registered("roll_round"),
        # and a round deleted on one laptop while another counted in it (a merge of the
        # two): its checks are exported, and name it. Asked of each deleted round by the
        # round's index (IN (SELECT ...) held every check's round in memory: 40 MB at
        # 2,000,000 checks)
        f"{_registered_select('roll_round')} FROM roll_round o WHERE {LIVE} OR (deleted != 0 "
        "AND EXISTS (SELECT 1 FROM roll_check c WHERE c.round_id = o.id AND c.deleted = 0)) "
        "ORDER BY on_date, at_time, name, id",
        "on_date",
        label="name",
    ),
    _table(
        "roll_check",
        "Counts of one location at one moment, once per round, in the order they were taken.",
        _registered("roll_check"),
        f"{_registered_select('roll_check', 'r')} FROM roll_check r "
        "LEFT JOIN location l ON l.id = r.location_id "
        "LEFT JOIN roll_round o ON o.id = r.round_id WHERE r.deleted = 0 "
        "ORDER BY r.taken_at, l.name, r.id",
        "taken_at",
        ("round", "location"),
    ),
    _table(
        "toc_period",
        "Periods out of cell in the days followed (time out of cell), by day, subject and "
        "start. Overlapping periods overlap: toc_day has each day's totals, counted once.",
        _registered("toc_period"),
        f"{_registered_select('toc_period')} FROM toc_period WHERE {LIVE} "
        "ORDER BY on_date, subject, start_time, end_time, id",
        "on_date",
        ("subject_group", "activity"),
    ),
    _table(
        "sample_frame",
        "Record sampling frames.",
        _registered("sample_frame"),
        f"{_registered_select('sample_frame', 'f')} FROM sample_frame f LEFT JOIN plan_item p "
        "ON p.id = f.plan_item_id WHERE f.deleted = 0 ORDER BY f.name, f.id",
        "name",
        label="name",
    ),
    _table(
        "sample_criterion",
        "The criteria each sampled record is checked against, in order.",
        _registered("sample_criterion"),
        f"{_registered_select('sample_criterion', 'c')} FROM sample_criterion c "
        "LEFT JOIN sample_frame f ON f.id = c.frame_id WHERE c.deleted = 0 "
        "ORDER BY f.name, c.position, c.id",
        "frame",
        ("frame",),
        label="name",
    ),
    _table(
        "sample_record",
        "The records drawn in each sample, in the order drawn.",
        _registered("sample_record"),
        f"{_registered_select('sample_record', 'r')} FROM sample_record r "
        "LEFT JOIN sample_frame f ON f.id = r.frame_id WHERE r.deleted = 0 "
        "ORDER BY f.name, r.position, r.id",
        "frame",
        ("frame",),
        label="record",
    ),
    _table(
        "sample_answer",
        "Each sampled record checked against each criterion.",
        _registered("sample_answer"),
        f"{_registered_select('sample_answer', 'a')} FROM sample_answer a "
        "LEFT JOIN sample_frame f ON f.id = a.frame_id "
        "LEFT JOIN sample_criterion c ON c.id = a.criterion_id WHERE a.deleted = 0 "
        "ORDER BY f.name, (SELECT MIN(r.position) FROM sample_record r WHERE r.deleted = 0 "
        "AND r.frame_id = a.frame_id AND r.record = a.record), a.record, c.position, a.id",
        "frame",
        ("frame", "criterion", "answer"),
    ),
    _table(
        "note",
        "Notes of interviews, observations and documents, in the order taken "
        "(full-text search on text and tags).",
        _registered("note"),
        f"{_registered_select('note')} FROM note WHERE {LIVE} ORDER BY taken_at, id",
        "taken_at",
        ("source", "author"),
    ),
    _table(
        "note_link",
        "Which plan items each note is evidence for.",
        (
            _c("note_id", _S, "The note.", references="note"),
            _c("plan_item_id", _S, "The plan item.", references="plan_item"),
            _PLAN_REF,
        ),
        "SELECT ?, k.id, k.note_id, k.plan_item_id, p.ref FROM note_link k LEFT JOIN "
        "plan_item p ON p.id = k.plan_item_id WHERE k.deleted = 0 ORDER BY "
        "(SELECT n.taken_at FROM note n WHERE n.id = k.note_id), k.note_id, p.ref, k.id",
        "plan_ref",
        ("plan_ref",),
    ),
    _table(
        "round_link",
        "Which plan items each round of roll checks (all its checks) is evidence for.",
        (
            _c("round_id", _S, "The round.", references="roll_round"),
            _c("round", _S, "The round's name."),
            _c("plan_item_id", _S, "The plan item.", references="plan_item"),
            _PLAN_REF,
        ),
        "SELECT ?, k.id, k.round_id, o.name, k.plan_item_id, p.ref FROM round_link k "
        "LEFT JOIN roll_round o ON o.id = k.round_id LEFT JOIN plan_item p "
        "ON p.id = k.plan_item_id WHERE k.deleted = 0 ORDER BY o.on_date, o.at_time, o.name, "
        "p.ref, k.id",
        "plan_ref",
        ("plan_ref", "round"),
    ),
    _table(
        "toc_day_link",
        "Which plan items each subject's day of time out of cell (all its periods; its "
        "totals in toc_day) is evidence for.",
        (
            _c("on_date", "date", "The day followed."),
            _c("subject", _S, "The prisoner followed (as in toc_period)."),
            _c("plan_item_id", _S, "The plan item.", references="plan_item"),
            _PLAN_REF,
        ),
        "SELECT ?, k.id, k.on_date, k.subject, k.plan_item_id, p.ref FROM toc_day_link k "
        "LEFT JOIN plan_item p ON p.id = k.plan_item_id WHERE k.deleted = 0 "
        "ORDER BY k.on_date, k.subject, p.ref, k.id",
        "on_date",
        ("plan_ref",),
    ),
    _table(
        "data_return",
        "Figures supplied by the prison or the previous report.",
        _registered("data_return"),
        f"{_registered_select('data_return')} FROM data_return WHERE {LIVE} ORDER BY key, id",
        "key",
        ("unit",),
    ),
    _table(
        "finding",
        "Findings paragraphs in the report's order: the number the report gives each (its "
        "section and paragraph as numbers too), the template as written (figures as "
        "{{ names }}) and the text as it renders now.",
        (
            _c("plan_item_id", _S, "The plan item it is filed under.", references="plan_item"),
            _PLAN_REF,
            _c("number", _S, "The paragraph's number in the report, as printed (3.10: text)."),
            _c("section", _I, "The report section of the number (3 in 3.10)."),
            _c("paragraph", _I, "The paragraph of the number (10 in 3.10): sort by this."),
            _c("position", _N, "Its place under its plan item."),
            _c("text", _S, "The paragraph as written, figures as {{ names }}."),
            _c("rendered", _S, "The paragraph with its figures, as the report prints it."),
        ),
        # number, section, paragraph and rendered are filled in from the report's outline
        "SELECT ?, f.id, f.plan_item_id, p.ref, '', NULL, NULL, f.position, f.text, '' "
        "FROM finding f LEFT JOIN plan_item p ON p.id = f.plan_item_id WHERE f.deleted = 0 "
        "ORDER BY f.id",
        "paragraph",
        ("plan_ref",),
    ),
    _table(
        "report_paragraph",
        "Paragraphs of the Chief Inspector's summary and of notable positive practice.",
        (
            _c("section", _S, "summary or practice."),
            _c("position", _N, "Its place in its section."),
            _c("text", _S, "The paragraph as written."),
        ),
        f"SELECT ?, id, section, position, text FROM report_paragraph WHERE {LIVE} "
        "ORDER BY section DESC, position, id",
        "position",
        ("section",),
    ),
    _table(
        "previous_outcome",
        "Figure 1: the healthy prison outcomes of the previous inspections, by year and test.",
        (
            _c("year", _I, "The inspection's year."),
            _c("test", _S, "The healthy prison test (Safety, Respect, ...)."),
            _c("judgement", _S, "The outcome (Good, Reasonably good, ...)."),
        ),
        f"SELECT ?, id, year, test, judgement FROM previous_outcome WHERE {LIVE} "
        "ORDER BY year, test, id",
        "year",
        ("test", "judgement"),
    ),
    _table(
        "attachment",
        "Photographs and documents attached to notes, sampled records and paragraphs, in "
        "the order attached (the files themselves are in attachment_file, in the SQLite "
        "export).",
        (
            _c("file_sha256", _S, "The file's SHA-256 (attachment_file.sha256)."),
            _c("kind", _S, "jpeg, png or pdf."),
            _c("size", _I, "The file's size.", "bytes"),
            _c("target_kind", _S, "note, sample_record or paragraph."),
            _c("target_id", _S, "The row it is attached to."),
            _c("caption", _S, "Its caption."),
            _c("file_name", _S, "The file's name when attached."),
        ),
        "SELECT ?, a.id, a.file_sha256, f.kind, f.size, a.target_kind, a.target_id, "
        "a.caption, a.file_name FROM attachment a LEFT JOIN attachment_file f ON "
        "f.id = a.file_sha256 WHERE a.deleted = 0 ORDER BY a.created_at, a.id",
        "file_name",
        ("kind", "target_kind"),
    ),
)
