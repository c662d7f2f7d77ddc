"""Exports for analysts: readable tables, no sync bookkeeping, deleted rows left out.

Every format is written from the same analyst tables (:data:`TABLES`): one per kind of
record, names joined in (a roll check carries its location's name), a ``visit_id``
column everywhere so that several visits combine into one database. Deleted rows
(tombstones) are excluded: an analyst counts what the visit's evidence says now.
``redact`` blanks free text (note text, comments, reasons, findings, the summary's
paragraphs, captions and roll check notes) in a temporary copy of the visit file and
replaces subjects and record refs with salted hashes; the salt is kept in the visit
file's ``meta`` so a subject maps to one hash within an export, and the export alone
cannot reverse it. A redacted export leaves the attached photographs and documents out
unless ``keep_attachments`` says otherwise. The SQLite export carries the attached files
themselves (``attachment_file``); the other formats list them (``attachment``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from irp_field.core import bulk
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence import toc_days


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
        "roll_check",
        "Counts of one location at one moment.",
        "id TEXT PRIMARY KEY, taken_at TEXT, location_id TEXT REFERENCES "
        "location(id), location TEXT, "
        "round TEXT, roll INTEGER, locked_up INTEGER, off_wing_activity "
        "INTEGER, wing_work INTEGER, "
        "unlocked_on_wing INTEGER, elsewhere INTEGER, inspector TEXT, note TEXT",
        "SELECT ?, r.id, r.taken_at, r.location_id, COALESCE(l.name, ''), "
        "r.round, r.roll, r.locked_up, "
        "r.off_wing_activity, r.wing_work, r.unlocked_on_wing, r.elsewhere, r.inspector, r.note "
        "FROM roll_check r LEFT JOIN location l ON l.id = r.location_id WHERE "
        "r.deleted = 0 ORDER BY r.id",
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
        "Findings paragraphs under each plan item.",
        "id TEXT PRIMARY KEY, plan_item_id TEXT REFERENCES plan_item(id), plan_ref TEXT, "
        "position REAL, text TEXT",
        "SELECT ?, f.id, f.plan_item_id, COALESCE(p.ref, ''), f.position, f.text FROM finding f "
        "LEFT JOIN plan_item p ON p.id = f.plan_item_id WHERE f.deleted = 0 ORDER BY f.id",
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
        "Share of the population locked up in the roll checks, pooled, per visit.",
        "SELECT v.visit_id, v.establishment, substr(v.start_date, 1, 4) AS year, "
        "SUM(r.roll) AS roll, SUM(r.locked_up) AS locked_up, "
        "ROUND(100.0 * SUM(r.locked_up) / NULLIF(SUM(r.roll), 0), 1) AS pct_locked_up "
        "FROM roll_check r JOIN visit v ON v.visit_id = r.visit_id GROUP BY v.visit_id",
    ),
    "locked_up_by_round": (
        "Share locked up in each round (a whole-prison check at one time of day).",
        "SELECT visit_id, round, MIN(taken_at) AS started_at, SUM(roll) AS roll, "
        "SUM(locked_up) AS locked_up, ROUND(100.0 * SUM(locked_up) / NULLIF(SUM(roll), 0), 1) "
        "AS pct_locked_up FROM roll_check GROUP BY visit_id, round",
    ),
    "sample_results": (
        "Answers per sampling criterion: how many records met it.",
        "SELECT visit_id, frame, criterion, SUM(answer = 'yes') AS yes, SUM(answer = 'no') AS no, "
        "SUM(answer NOT IN ('yes', 'no')) AS other, ROUND(100.0 * SUM(answer = 'yes') / "
        "NULLIF(SUM(answer IN ('yes', 'no')), 0), 1) AS pct_yes FROM sample_answer "
        "WHERE answer != '' GROUP BY visit_id, frame, criterion",  # '' is a comment alone
    ),
}

Rows = list[tuple[Any, ...]]


def redaction_salt(path: Path) -> str:
    """The visit file's redaction salt, made (and kept in ``meta``) on first use."""
    with VisitFile.open(path, readonly=True) as visit:
        salt = visit.meta().get("redaction_salt", "")
    if salt:
        return salt
    try:
        with VisitFile.open(path) as visit, visit.transaction():
            visit.conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('redaction_salt', ?)",
                (secrets.token_hex(16),),
            )
            return visit.meta()["redaction_salt"]
    except IrpError:
        # A read-only file: a salt for this export only (still one hash per subject).
        return secrets.token_hex(16)


def pseudonym(salt: str, column: str, value: str) -> str:
    if not value:
        return ""
    digest = hmac.new(salt.encode(), f"{column}\x1f{value}".encode(), hashlib.sha256).hexdigest()
    return f"{column}-{digest[:16]}"


# Free text blanked and subjects/records hashed, in the visit file's own tables.
REDACTED_TEXT = {
    "note": ("text",),
    "roll_check": ("note",),
    "sample_answer": ("comment",),
    "judgement": ("why",),
    "finding": ("text",),
    "report_paragraph": ("text",),
    "attachment": ("caption", "file_name"),
}
PSEUDONYMS = {
    "toc_period": ("subject",),
    "sample_record": ("record",),
    "sample_answer": ("record",),
}


def redacted_copy(path: Path, scratch: Path, *, keep_attachments: bool = False) -> Path:
    """A temporary copy of the visit with free text blanked and subjects/records hashed,
    and the attachments left out (unless ``keep_attachments``)."""
    salt = redaction_salt(path)
    copy = scratch / f"redacted-{path.stem}.db"
    reader = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    writer = sqlite3.connect(copy, isolation_level=None)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()
    VisitFile.open(copy).close()  # the copy (never the original) brought to this schema
    writer = sqlite3.connect(copy, isolation_level=None)
    try:
        writer.create_function("pseudonym", 2, lambda c, v: pseudonym(salt, c, str(v or "")))
        writer.execute("BEGIN")
        for table, columns in REDACTED_TEXT.items():
            blanks = ", ".join(f"{c} = ''" for c in columns)
            writer.execute(f"UPDATE {table} SET {blanks}")
        for table, columns in PSEUDONYMS.items():
            sets = ", ".join(f"{c} = pseudonym('{c}', {c})" for c in columns)
            writer.execute(f"UPDATE {table} SET {sets}")
        # The edit history and conflicts hold old texts: never exported, emptied anyway.
        writer.execute("UPDATE change_log SET old = '', new = ''")
        writer.execute("UPDATE conflict SET other_row = '{}'")
        toc_days.settle(writer)  # the kept subject-day totals, under the pseudonyms
        writer.execute("DELETE FROM note_draft")
        if not keep_attachments:
            writer.execute("DELETE FROM attachment")
            writer.execute("DELETE FROM attachment_file")
        writer.execute("INSERT INTO note_fts(note_fts) VALUES('rebuild')")
        writer.execute("COMMIT")
        writer.execute("VACUUM")
    finally:
        writer.close()
    return copy


def _tables_of(visit: VisitFile) -> set[str]:
    return {r[0] for r in visit.query("SELECT name FROM sqlite_master WHERE type = 'table'")}


def read_tables(path: Path) -> dict[str, Rows]:
    tables: dict[str, Rows] = {}
    with VisitFile.open(path, readonly=True) as visit, bulk.collector_paused():
        present = _tables_of(visit)  # a file of an older schema, read as it is, lacks some
        for table in TABLES:
            rows = visit.query(table.select, (visit.visit_id,)) if table.name in present else []
            tables[table.name] = [tuple(r) for r in rows]
    return tables


AttachedFiles = dict[str, tuple[str, int, bytes]]  # sha256 -> (kind, size, bytes)


def read_attached_files(path: Path) -> AttachedFiles:
    """The files the visit's live attachments name (for the SQLite export)."""
    with VisitFile.open(path, readonly=True) as visit:
        if "attachment_file" not in _tables_of(visit):
            return {}
        rows = visit.query(
            "SELECT f.id, f.kind, f.size, f.content FROM attachment_file f WHERE EXISTS "
            "(SELECT 1 FROM attachment a WHERE a.file_sha256 = f.id AND a.deleted = 0)"
        )
        return {row["id"]: (row["kind"], row["size"], row["content"]) for row in rows}


def column_names(table: AnalystTable) -> list[str]:
    return [c for c, _ in table.columns]


def check_out_path(out: Path, *, folder: bool = False) -> None:
    if out.exists() and not (folder and out.is_dir() and not any(out.iterdir())):
        raise IrpError(f"{out}: already exists; choose another name")
    if not out.parent.exists():
        raise IrpError(f"{out.parent}: no such folder")


def export_visits(
    paths: Sequence[Path],
    export_format: str,
    out: Path,
    *,
    redact: bool = False,
    keep_attachments: bool = False,
) -> Path:
    """Write one or several visits in ``export_format`` (sqlite, csv, json, xlsx)."""
    from irp_field.interchange import export_writers

    check_out_path(out, folder=export_format == "csv")
    combined: dict[str, Rows] = {t.name: [] for t in TABLES}
    files: AttachedFiles = {}
    with tempfile.TemporaryDirectory(prefix="irp-export-") as scratch:
        seen: dict[str, Path] = {}
        for path in paths:
            source = (
                redacted_copy(path, Path(scratch), keep_attachments=keep_attachments)
                if redact
                else path
            )
            tables = read_tables(source)
            if export_format == "sqlite":
                files.update(read_attached_files(source))
            for visit_row in tables["visit"]:
                if visit_row[0] in seen:
                    # Copies of one visit: merge them first, or the rows would clash.
                    raise IrpError(
                        f"{path} and {seen[visit_row[0]]} are copies of the same visit; "
                        "merge them first (irp-field merge), then export the result"
                    )
                seen[visit_row[0]] = path
            for name, rows in tables.items():
                combined[name].extend(rows)
    if export_format == "sqlite":
        export_writers.write_sqlite(combined, out, files)
        return out
    writer = {
        "csv": export_writers.write_csv,
        "json": export_writers.write_json,
        "xlsx": export_writers.write_xlsx,
    }.get(export_format)
    if writer is None:
        raise IrpError(f"unknown export format {export_format!r}")
    writer(combined, out)
    return out


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
