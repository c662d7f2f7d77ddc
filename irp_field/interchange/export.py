"""Exports for analysts: readable tables, no sync bookkeeping, deleted rows left out.

Every format is written from the same analyst tables (:data:`TABLES`): one per kind of
record, names joined in (a roll check carries its location's name), a ``visit_id``
column everywhere so that several visits combine into one database, and the views of
:data:`VIEWS` computed over them (in the SQLite export as views; as tables, sheets or
entries in the others). Deleted rows (tombstones) are excluded: an analyst counts what
the visit's evidence says now. Shares are fractions from 0 to 1 everywhere, as in the
figures (``roll.pct_locked_up`` is 0.40, and so is a view's ``pct_locked_up``).
``redact`` applies the policy of every column (``redaction.POLICY``, printed in
``docs/redaction.md``); the attached photographs and documents are left out of a
redacted export unless ``keep_attachments``, which keeps the photographs (clean, or the
export is refused) and never the documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from irp_field.core import bulk
from irp_field.core.destinations import writing
from irp_field.core.visit_file import VisitFile
from irp_field.domain.attachments import PHOTOGRAPHS
from irp_field.domain.errors import IrpError


@dataclass(frozen=True)
class AnalystTable:
    name: str
    description: str
    columns: tuple[tuple[str, str], ...]  # (name, SQL type [+ REFERENCES ...])
    select: str  # columns in the same order; ? is the visit id
    units: tuple[tuple[str, str], ...] = ()


def _t(name: str, description: str, columns: str, select: str, **extra: Any) -> AnalystTable:
    parsed = tuple(
        (part.split(" ", 1)[0], part.split(" ", 1)[1])
        for part in (c.strip() for c in columns.split(","))
    )
    return AnalystTable(name, description, (("visit_id", "TEXT"), *parsed), select, **extra)


LIVE = "deleted = 0"
TABLES: tuple[AnalystTable, ...] = (
    _t(
        "visit",
        "The visit: establishment, type and dates.",
        "establishment TEXT, visit_type TEXT, start_date TEXT, end_date TEXT, "
        "previous_inspection TEXT",
        f"SELECT id, establishment, visit_type, start_date, end_date, "
        "previous_inspection FROM visit "
        f"WHERE {LIVE} AND id = ?",
    ),
    _t(
        "team_member",
        "The inspection team.",
        "id TEXT PRIMARY KEY, name TEXT, role TEXT, body TEXT",
        f"SELECT ?, id, name, role, body FROM team_member WHERE {LIVE} ORDER BY id",
    ),
    _t(
        "location",
        "Wings and units where roll checks were taken.",
        "id TEXT PRIMARY KEY, name TEXT, kind TEXT, capacity INTEGER",
        f"SELECT ?, id, name, kind, capacity FROM location WHERE {LIVE} ORDER BY id",
        units=(("capacity", "prisoners"),),
    ),
    _t(
        "plan_item",
        "Recommendations and themes followed up at the visit.",
        "id TEXT PRIMARY KEY, ref TEXT, kind TEXT, body TEXT, area TEXT, concern TEXT, text TEXT, "
        "judged_group TEXT, position INTEGER",
        f"SELECT ?, id, ref, kind, body, area, concern, text, judged_group, "
        "position FROM plan_item "
        f"WHERE {LIVE} ORDER BY id",
    ),
    _t(
        "judgement",
        "Progress judgements, one per plan item or judged group.",
        "id TEXT PRIMARY KEY, unit TEXT, scale TEXT, level TEXT, why TEXT",
        f"SELECT ?, id, unit, scale, level, why FROM judgement WHERE {LIVE} ORDER BY id",
    ),
    _t(
        "roll_round",
        "Rounds of roll checks: one whole-prison check at one time of day.",
        "id TEXT PRIMARY KEY, name TEXT, on_date TEXT, at_time TEXT",
        # and a round deleted on one laptop while another counted in it (a merge of the
        # two): its checks are exported, and name it
        f"SELECT ?, id, name, on_date, at_time FROM roll_round WHERE {LIVE} OR (deleted != 0 "
        "AND id IN (SELECT round_id FROM roll_check WHERE deleted = 0)) ORDER BY id",
    ),
    _t(
        "roll_check",
        "Counts of one location at one moment, once per round.",
        "id TEXT PRIMARY KEY, taken_at TEXT, location_id TEXT REFERENCES "
        "location(id), location TEXT, "
        "round TEXT, roll INTEGER, locked_up INTEGER, off_wing_activity "
        "INTEGER, wing_work INTEGER, "
        "unlocked_on_wing INTEGER, elsewhere INTEGER, inspector TEXT, note TEXT, "
        "round_id TEXT REFERENCES roll_round(id)",
        "SELECT ?, r.id, r.taken_at, r.location_id, COALESCE(l.name, ''), "
        "COALESCE(o.name, ''), r.roll, r.locked_up, "
        "r.off_wing_activity, r.wing_work, r.unlocked_on_wing, r.elsewhere, r.inspector, r.note, "
        "r.round_id "
        "FROM roll_check r LEFT JOIN location l ON l.id = r.location_id "
        "LEFT JOIN roll_round o ON o.id = r.round_id WHERE r.deleted = 0 ORDER BY r.id",
        units=tuple(
            (c, "prisoners")
            for c in (
                "roll",
                "locked_up",
                "off_wing_activity",
                "wing_work",
                "unlocked_on_wing",
                "elsewhere",
            )
        ),
    ),
    _t(
        "toc_period",
        "Periods out of cell in the days followed (time out of cell).",
        "id TEXT PRIMARY KEY, on_date TEXT, subject TEXT, subject_group TEXT, start_time TEXT, "
        "end_time TEXT, activity TEXT",
        f"SELECT ?, id, on_date, subject, subject_group, start_time, end_time, "
        "activity FROM toc_period "
        f"WHERE {LIVE} ORDER BY id",
    ),
    _t(
        "sample_frame",
        "Record sampling frames.",
        "id TEXT PRIMARY KEY, name TEXT, record_kind TEXT, population INTEGER, "
        "method TEXT, seed TEXT, "
        "list_sha256 TEXT, plan_item_id TEXT REFERENCES plan_item(id), plan_ref TEXT",
        "SELECT ?, f.id, f.name, f.record_kind, f.population, f.method, f.seed, f.list_sha256, "
        "f.plan_item_id, COALESCE(p.ref, '') FROM sample_frame f LEFT JOIN plan_item p ON "
        "p.id = f.plan_item_id WHERE f.deleted = 0 ORDER BY f.id",
        units=(("population", "records"),),
    ),
    _t(
        "sample_criterion",
        "The criteria each sampled record is checked against.",
        "id TEXT PRIMARY KEY, frame_id TEXT REFERENCES sample_frame(id), frame TEXT, name TEXT, "
        "position INTEGER",
        "SELECT ?, c.id, c.frame_id, COALESCE(f.name, ''), c.name, c.position "
        "FROM sample_criterion c "
        "LEFT JOIN sample_frame f ON f.id = c.frame_id WHERE c.deleted = 0 ORDER BY c.id",
    ),
    _t(
        "sample_record",
        "The records drawn in each sample.",
        "id TEXT PRIMARY KEY, frame_id TEXT REFERENCES sample_frame(id), frame TEXT, record TEXT, "
        "position INTEGER",
        "SELECT ?, r.id, r.frame_id, COALESCE(f.name, ''), r.record, "
        "r.position FROM sample_record r "
        "LEFT JOIN sample_frame f ON f.id = r.frame_id WHERE r.deleted = 0 ORDER BY r.id",
    ),
    _t(
        "sample_answer",
        "Each sampled record checked against each criterion.",
        "id TEXT PRIMARY KEY, frame_id TEXT REFERENCES sample_frame(id), frame TEXT, record TEXT, "
        "criterion_id TEXT REFERENCES sample_criterion(id), criterion TEXT, "
        "answer TEXT, comment TEXT",
        "SELECT ?, a.id, a.frame_id, COALESCE(f.name, ''), a.record, a.criterion_id, "
        "COALESCE(c.name, ''), a.answer, a.comment FROM sample_answer a LEFT "
        "JOIN sample_frame f ON "
        "f.id = a.frame_id LEFT JOIN sample_criterion c ON c.id = "
        "a.criterion_id WHERE a.deleted = 0 "
        "ORDER BY a.id",
    ),
    _t(
        "note",
        "Notes of interviews, observations and documents.",
        "id TEXT PRIMARY KEY, source TEXT, taken_at TEXT, author TEXT, text TEXT, tags TEXT",
        f"SELECT ?, id, source, taken_at, author, text, tags FROM note WHERE {LIVE} ORDER BY id",
    ),
    _t(
        "note_link",
        "Which plan items each note is evidence for.",
        "id TEXT PRIMARY KEY, note_id TEXT REFERENCES note(id), plan_item_id TEXT REFERENCES "
        "plan_item(id), plan_ref TEXT",
        "SELECT ?, k.id, k.note_id, k.plan_item_id, COALESCE(p.ref, '') FROM note_link k LEFT JOIN "
        "plan_item p ON p.id = k.plan_item_id WHERE k.deleted = 0 ORDER BY k.id",
    ),
    _t(
        "data_return",
        "Figures supplied by the prison or the previous report.",
        "id TEXT PRIMARY KEY, key TEXT, value REAL, unit TEXT, period TEXT, "
        "source TEXT, label TEXT",
        f"SELECT ?, id, key, value, unit, period, source, label FROM data_return WHERE {LIVE} "
        "ORDER BY id",
    ),
    _t(
        "finding",
        "Findings paragraphs under each plan item: the number the report gives each, the "
        "template as written (figures as {{ names }}) and the text as it renders now.",
        "id TEXT PRIMARY KEY, plan_item_id TEXT REFERENCES plan_item(id), plan_ref TEXT, "
        "number TEXT, position REAL, text TEXT, rendered TEXT",
        "SELECT ?, f.id, f.plan_item_id, COALESCE(p.ref, ''), '', f.position, f.text, '' "
        "FROM finding f LEFT JOIN plan_item p ON p.id = f.plan_item_id WHERE f.deleted = 0 "
        "ORDER BY f.id",
    ),
    _t(
        "report_paragraph",
        "Paragraphs of the Chief Inspector's summary and of notable positive practice.",
        "id TEXT PRIMARY KEY, section TEXT, position REAL, text TEXT",
        f"SELECT ?, id, section, position, text FROM report_paragraph WHERE {LIVE} ORDER BY id",
    ),
    _t(
        "previous_outcome",
        "Figure 1: the healthy prison outcomes of the previous inspections, by year and test.",
        "id TEXT PRIMARY KEY, year TEXT, test TEXT, judgement TEXT",
        f"SELECT ?, id, year, test, judgement FROM previous_outcome WHERE {LIVE} ORDER BY id",
    ),
    _t(
        "attachment",
        "Photographs and documents attached to notes, sampled records and paragraphs "
        "(the files themselves are in attachment_file, in the SQLite export).",
        "id TEXT PRIMARY KEY, file_sha256 TEXT, kind TEXT, size INTEGER, target_kind TEXT, "
        "target_id TEXT, caption TEXT, file_name TEXT",
        "SELECT ?, a.id, a.file_sha256, COALESCE(f.kind, ''), COALESCE(f.size, 0), "
        "a.target_kind, a.target_id, a.caption, a.file_name FROM attachment a "
        "LEFT JOIN attachment_file f ON f.id = a.file_sha256 WHERE a.deleted = 0 ORDER BY a.id",
        units=(("size", "bytes"),),
    ),
)

VIEWS: dict[str, tuple[str, str]] = {
    "locked_up_by_visit": (
        "Share of the population locked up in the roll checks, pooled, per visit (a fraction "
        "from 0 to 1; no roll checks: null).",
        "SELECT v.visit_id, v.establishment, substr(v.start_date, 1, 4) AS year, "
        "COALESCE(SUM(r.roll), 0) AS roll, COALESCE(SUM(r.locked_up), 0) AS locked_up, "
        "ROUND(1.0 * SUM(r.locked_up) / NULLIF(SUM(r.roll), 0), 4) AS pct_locked_up "
        "FROM visit v LEFT JOIN roll_check r ON r.visit_id = v.visit_id GROUP BY v.visit_id",
    ),
    "locked_up_by_round": (
        "Share locked up in each round (a whole-prison check at one time of day), 0 to 1; "
        "started_at is the round's own day and time.",
        # started_at: the round's day and time, not its first check's (a round typed up
        # from paper started at 10:00 though its first check saved says 10:04)
        "SELECT r.visit_id, r.round, COALESCE(MIN(CASE WHEN o.on_date != '' AND "
        "o.at_time != '' THEN o.on_date || 'T' || o.at_time END), MIN(r.taken_at)) "
        "AS started_at, SUM(r.roll) AS roll, "
        "SUM(r.locked_up) AS locked_up, ROUND(1.0 * SUM(r.locked_up) / NULLIF(SUM(r.roll), 0), 4) "
        "AS pct_locked_up FROM roll_check r LEFT JOIN roll_round o ON o.visit_id = r.visit_id "
        "AND o.id = r.round_id GROUP BY r.visit_id, r.round",
    ),
    "sample_results": (
        "Answers per sampling criterion: how many records met it (pct_yes: 0 to 1).",
        "SELECT visit_id, frame, criterion, SUM(answer = 'yes') AS yes, SUM(answer = 'no') AS no, "
        "SUM(answer NOT IN ('yes', 'no')) AS other, ROUND(1.0 * SUM(answer = 'yes') / "
        "NULLIF(SUM(answer IN ('yes', 'no')), 0), 4) AS pct_yes FROM sample_answer "
        "WHERE answer != '' GROUP BY visit_id, frame, criterion",  # '' is a comment alone
    ),
}

Rows = list[tuple[Any, ...]]


def _tables_of(visit: VisitFile) -> set[str]:
    return {r[0] for r in visit.query("SELECT name FROM sqlite_master WHERE type = 'table'")}


def read_tables(path: Path) -> dict[str, Rows]:
    tables: dict[str, Rows] = {}
    with VisitFile.open(path, readonly=True) as visit, bulk.collector_paused():
        present = _tables_of(visit)  # a file of an older schema, read as it is, lacks some
        for table in TABLES:
            rows = visit.query(table.select, (visit.visit_id,)) if table.name in present else []
            tables[table.name] = [tuple(r) for r in rows]
        tables["finding"] = _with_numbers(visit, tables["finding"])
    return tables


def _with_numbers(visit: VisitFile, rows: Rows) -> Rows:
    """The finding rows with the number each has in the report and its rendered text (as
    last synced, or as it renders now; a paragraph that cannot render keeps '')."""
    from irp_field.domain.errors import IrpError as Refused
    from irp_field.findings.sync import load

    try:
        state = load(visit)
    except Refused:
        return rows
    shown = {
        p.paragraph.finding.id: (p.paragraph.number, p.report_text)
        for p in state.paragraphs
        if p.paragraph.finding is not None
    }
    numbered = []
    for row in rows:
        number, rendered = shown.get(str(row[1]), ("", ""))
        numbered.append((*row[:4], number, row[5], row[6], rendered))
    return numbered


AttachedFiles = dict[str, tuple[str, int, bytes]]  # sha256 -> (kind, size, bytes)


def read_attached_files(path: Path, *, photographs_only: bool = False) -> AttachedFiles:
    """The files the visit's live attachments name (for the SQLite export)."""
    with VisitFile.open(path, readonly=True) as visit:
        if "attachment_file" not in _tables_of(visit):
            return {}
        rows = visit.query(
            "SELECT f.id, f.kind, f.size, f.content FROM attachment_file f WHERE EXISTS "
            "(SELECT 1 FROM attachment a WHERE a.file_sha256 = f.id AND a.deleted = 0)"
            + (" AND f.kind IN (?, ?)" if photographs_only else ""),
            PHOTOGRAPHS if photographs_only else (),
        )
        return {row["id"]: (row["kind"], row["size"], row["content"]) for row in rows}


def column_names(table: AnalystTable) -> list[str]:
    return [c for c, _ in table.columns]


def export_visits(
    paths: Sequence[Path],
    export_format: str,
    out: Path,
    *,
    redact: bool = False,
    keep_attachments: bool = False,
    keep_staff_names: bool = False,
    raw: bool = False,
    overwrite: bool = False,
    organisation_key: str | None = None,
    fresh_key: bool = False,
) -> Path:
    """Write one or several visits in ``export_format`` (sqlite, csv, json, xlsx); when
    ``redact``, each visit's rows are redacted in memory before anything is written,
    with the key ``redaction.export_key`` chooses. Where it (and the SQLite export's
    Datasette metadata) may go, and what a failure leaves, is
    :func:`core.destinations.writing`'s rule."""
    from irp_field.interchange.export_writers import metadata_path

    if export_format not in ("sqlite", "csv", "json", "xlsx"):
        raise IrpError(f"unknown export format {export_format!r}")
    beside = [metadata_path(out)] if export_format == "sqlite" else []
    with writing(
        out, overwrite=overwrite, reading=paths, folder=export_format == "csv", also=beside
    ):
        _export(
            paths,
            export_format,
            out,
            Redacting(redact, keep_attachments, keep_staff_names, organisation_key, fresh_key),
            raw,
        )
    return out


@dataclass(frozen=True)
class Redacting:
    """What an export's redaction is asked for (``redact`` False: none)."""

    redact: bool
    keep_attachments: bool
    keep_staff_names: bool
    organisation_key: str | None
    fresh_key: bool


def _export(
    paths: Sequence[Path], export_format: str, out: Path, asked: Redacting, raw: bool
) -> None:
    from irp_field.interchange import export_writers, redaction

    combined: dict[str, Rows] = {t.name: [] for t in TABLES}
    files: AttachedFiles = {}
    seen: dict[str, Path] = {}
    for path in paths:
        tables = read_tables(path)
        for visit_row in tables["visit"]:
            if visit_row[0] in seen:
                # Copies of one visit: merge them first, or the rows would clash.
                raise IrpError(
                    f"{path} and {seen[visit_row[0]]} are copies of the same visit; "
                    "merge them first (irp-field merge), then export the result"
                )
            seen[visit_row[0]] = path
        keep_files = export_format == "sqlite" and (asked.keep_attachments or not asked.redact)
        if asked.redact and asked.keep_attachments:
            redaction.refuse_unclean_pictures(path)
        if keep_files:
            files.update(read_attached_files(path, photographs_only=asked.redact))
        if asked.redact:
            key = redaction.export_key(
                path, organisation_key=asked.organisation_key, fresh=asked.fresh_key
            )
            # no documents when redacted: they keep their author (redaction.redacted_copy)
            tables["attachment"] = [
                row
                for row in tables["attachment"]
                if asked.keep_attachments and row[3] in PHOTOGRAPHS
            ]
            for table in TABLES:
                tables[table.name] = redaction.redact_rows(
                    table.name,
                    column_names(table),
                    tables[table.name],
                    key,
                    asked.keep_staff_names,
                )
        for name, rows in tables.items():
            combined[name].extend(rows)
    export_writers.write(export_format, combined, out, files, raw=raw)


def metadata(title: str, database: str) -> dict[str, Any]:
    """Datasette's metadata.json: titles, descriptions, and units in the column notes
    (Datasette's own ``units`` key wants Pint units; "prisoners" is not one)."""
    tables: dict[str, Any] = {}
    for table in TABLES:
        entry: dict[str, Any] = {"description": table.description}
        if table.units:
            entry["columns"] = {column: f"unit: {unit}" for column, unit in table.units}
        tables[table.name] = entry
    tables["attachment_file"] = {
        "description": "The attached files themselves, by SHA-256 (content is the file's bytes).",
        "columns": {"size": "unit: bytes"},
    }
    for name, (description, _) in VIEWS.items():
        tables[name] = {"description": description}
    return {
        "title": title,
        "description": "irp-field export for analysts; deleted rows excluded.",
        "databases": {database: {"tables": tables}},
    }
