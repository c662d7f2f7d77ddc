"""Other laptops' files are untrusted (issue 12), as a property: a valid visit file (the
Hull sample) with one to three hostile changes of the kinds the issue lists, merged.

The merge either refuses the file cleanly (an IrpError naming it) or merges it: nothing
else is ever raised, it finishes in bounded time, a refusal leaves the target
byte-identical and the backups as they were, a value the rules refuse never reaches the
target (whether its stamp moved on or not), a value changed at the same version (a copy
changed by hand) is kept, in the row or in an open conflict, never dropped by a
tie-break, a record re-stamped with a forged history entry never replaces the target's
version (issue 20), and after a merge every command still works
on the target: figures, check (which still finds nothing the rules refuse), export in
every format, report, conflicts (resolving one, too) and the terminal UI. The command
line's merge of the same file agrees, in one line and without a traceback.
"""

from __future__ import annotations

import asyncio
import faulthandler
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from merge_helpers import cp, file_hash
from property_helpers import examples
from tui_helpers import hull_app, settle

from irp_field import paths
from irp_field.cli import main
from irp_field.core import schema
from irp_field.core.clock import FUTURE_TOLERANCE_MS, wall_clock_ms
from irp_field.domain.errors import IrpError
from irp_field.replication.merge import merge_visits

HANG_SECONDS = 120  # past this the run is stopped with every thread's stack: a hang


@dataclass(frozen=True)
class Mutation:
    """One hostile change to the source file, as SQL. ``{id}`` stands for the id of the
    ``pick``-th live row of ``table``, ``{v}`` for a stamp of now (a row whose stamp
    moved on: the merge would take it) and ``{t}`` for its time and counter, all filled
    in when the change is made."""

    what: str
    statements: tuple[str, ...]
    table: str = ""
    pick: int = 0
    stage: int = 1  # the order changes are made in: an older schema first, the shape last
    refused: bool = False  # a file with this change must be refused
    skew_takes: bool = False  # ...unless the merge accepts clock skew (a stamp far ahead)
    planted: str = ""  # SQL, true of row {id} while it holds a bad value: never merged
    taken: str = ""  # SQL, true of row {id} while it holds a good edit that moved on: merged
    # (column, value as SQL) of a good edit at the same version (a copy changed by hand):
    # neither version is dropped, the target keeps it in the row or in an open conflict
    kept: tuple[str, str] = ("", "")


def _set(table: str, assignment: str, moved_on: bool) -> str:
    stamp = ", version = '{v}'" if moved_on else ""
    return f"UPDATE {table} SET {assignment}{stamp} WHERE id = '{{id}}'"


DEEP_PARENTHESES = "'{{ ' || printf('%.*c', 3000, '(') || '1' || printf('%.*c', 3000, ')') || ' }}'"

# (table, column, value as SQL, other columns set with it): what a rule or the column's
# declared type refuses.
BAD_VALUES = (
    ("roll_check", "roll", "'lots'", ""),
    ("roll_check", "locked_up", "900000", "roll = 10"),
    ("roll_check", "locked_up", "-3", ""),
    ("roll_check", "wing_work", "2.5", ""),
    ("roll_check", "taken_at", "'not a date'", ""),
    ("roll_check", "taken_at", "'2022-03-15T25:00'", ""),
    ("roll_check", "location_id", "'nowhere'", ""),
    ("roll_check", "inspector", "x'00ff00ff'", ""),
    ("toc_period", "start_time", "'25:00'", ""),
    ("toc_period", "on_date", "'not a date'", ""),
    ("toc_period", "activity", "'juggling'", ""),
    ("note", "text", "x'00ff00ff'", ""),
    ("note", "text", "CAST(x'4a6fe9' AS TEXT)", ""),
    ("note", "text", "printf('%.*c', 200000, 'x')", ""),
    ("note", "source", "'gossip'", ""),
    ("note", "taken_at", "'not a date'", ""),
    ("sample_answer", "answer", "'maybe'", ""),
    ("sample_criterion", "name", "''", ""),
    ("sample_frame", "name", "''", ""),
    ("sample_record", "record", "printf('%.*c', 300, 'r')", ""),
    ("team_member", "name", "CAST(x'4a6fe9' AS TEXT)", ""),
    ("team_member", "body", "'NASA'", ""),
    ("location", "capacity", "-3", ""),
    ("location", "kind", "'castle'", ""),
    ("plan_item", "kind", "'wish'", ""),
    ("plan_item", "area", "'Nowhere'", ""),
    ("judgement", "level", "'splendid'", ""),
    ("judgement", "scale", "'nasa'", ""),
    ("judgement", "why", "printf('%.*c', 200000, 'w')", ""),
    ("data_return", "value", "'lots'", ""),
    ("data_return", "unit", "'furlongs'", ""),
    ("visit", "start_date", "'not a date'", ""),
    ("visit", "end_date", "'2001-01-01'", ""),
    ("visit", "establishment", "''", ""),
    ("finding", "text", "printf('%.*c', 200000, 'f')", ""),
    ("finding", "position", "'first'", ""),
    ("report_part", "key", "'nonsense'", ""),
    ("report_paragraph", "section", "'appendix Z'", ""),
    ("glossary_term", "term", "''", ""),
    ("previous_outcome", "judgement", "'Splendid'", ""),
    ("attachment", "target_kind", "'castle'", ""),
    ("attachment_file", "content", "x'00'", ""),
    ("import_log", "rows", "'many'", ""),
    # issue 20: what no document can hold (one merged note stopped the Word report) ...
    ("note", "text", "'Seen on B wing.' || char(65535)", ""),
    ("note", "tags", "'seg' || char(65534)", ""),
    ("glossary_term", "term", "'Segregation' || char(65535)", ""),
    ("report_paragraph", "text", "'In summary ' || char(64976)", ""),  # U+FDD0
    ("roll_check", "inspector", "'Jade Richards' || char(11)", ""),  # no rule reads it
    # ... and templates deeper or longer than the bounds (a RecursionError, a ValueError)
    ("finding", "text", DEEP_PARENTHESES, ""),
    ("finding", "text", "'{{ ' || printf('%.*c', 5000, '9') || ' }}'", ""),
)

GOOD_EDITS = (
    ("note", "text", "'Spoke to the wing manager again.'"),
    ("judgement", "why", "'Seen again on the last day.'"),
    ("glossary_term", "definition", "'Said again, more plainly.'"),
)


@st.composite
def bad_values(draw: st.DrawFn) -> Mutation:
    table, column, value, also = draw(st.sampled_from(BAD_VALUES))
    moved_on = draw(st.booleans())
    assignment = f"{column} = {value}" + (f", {also}" if also else "")
    return Mutation(
        f"{table}.{column} = {value[:40]}{' (moved on)' if moved_on else ''}",
        (_set(table, assignment, moved_on),),
        table,
        draw(st.integers(0, 200)),
        planted=f"{column} IS ({value})",
    )


@st.composite
def good_edits(draw: st.DrawFn) -> Mutation:
    table, column, value = draw(st.sampled_from(GOOD_EDITS))
    moved_on = draw(st.booleans())
    return Mutation(
        f"{table}.{column} = {value}{' (moved on)' if moved_on else ''}",
        (_set(table, f"{column} = {value}", moved_on),),
        table,
        draw(st.integers(0, 200)),
        taken=f"{column} IS ({value})" if moved_on else "",
        kept=("", "") if moved_on else (column, value),
    )


FORGED = (
    ("note", "text", "'Seen again by the team leader.'"),
    ("judgement", "why", "'Changed by the team leader.'"),
)


def _forged_history(table: str, column: str, value: str, pick: int) -> Mutation:
    """A record re-stamped with the laptop id of the version it replaces (the sample's:
    the target's own, as the target is a copy of the same file) and a history entry in
    the team leader's name saying she edited that version (issue 20): questioned, never
    taken over the target's version; kept apart as a conflict."""
    entry = (
        "INSERT INTO change_log (id, table_name, row_id, action, version, changed_by, "
        f"changed_at, old, new) SELECT 'forged-' || hex(randomblob(8)), '{table}', id, "
        "'update', version, 'Sara Pennington', '2022-03-16T17:00:00Z', '', "
        f"json_object('version', version, 'base_version', base_version) FROM {table} "
        "WHERE id = '{id}'"
    )
    restamp = (
        f"UPDATE {table} SET {column} = {value}, base_version = version, "
        "version = '{t}.' || substr(version, 22) WHERE id = '{id}'"
    )
    return Mutation(
        f"{table}.{column} = {value} (a forged history)",
        (restamp, entry),
        table,
        pick,
        planted=f"{column} IS ({value})",
        kept=(column, value),
    )


@st.composite
def forged_histories(draw: st.DrawFn) -> Mutation:
    table, column, value = draw(st.sampled_from(FORGED))
    return _forged_history(table, column, value, draw(st.integers(0, 200)))


def _far_future() -> str:
    return f"{wall_clock_ms() + 2 * FUTURE_TOLERANCE_MS:013d}.000000.hostile"


BAD_STAMPS = (
    "'~~~'",
    "'abc'",
    "''",
    "'99999999999999.000000.abc'",
    "'9999999999999.999990.abc'",
    "'1700000000000.000000.a/b'",
    "x'31'",
    "1700000000000",
)


@st.composite
def bad_stamps(draw: st.DrawFn) -> Mutation:
    table = draw(st.sampled_from(list(schema.MERGED_TABLES)[:-1]))  # conflict: empty
    column = draw(st.sampled_from(["version", "base_version"]))
    if column == "version":
        stamp = draw(st.sampled_from([*BAD_STAMPS, "far future"]))
    else:  # empty: a first version; far ahead: well formed, and only ever compared equal
        stamp = draw(st.sampled_from([s for s in BAD_STAMPS if s != "''"]))
    value = f"'{_far_future()}'" if stamp == "far future" else stamp
    return Mutation(
        f"{table}.{column} = {stamp}",
        (f"UPDATE {table} SET {column} = {value} WHERE id = '{{id}}'",),
        table,
        draw(st.integers(0, 200)),
        refused=True,
        skew_takes=stamp == "far future",
    )


def _forged(other_row: str, table: str = "'note'", resolved: str = "0", row: str = "id") -> str:
    return (
        "INSERT INTO conflict (id, version, table_name, row_id, kept_version, other_version, "
        f"other_row, resolved) SELECT 'forged-' || hex(randomblob(4)), '{{v}}', {table}, {row}, "
        f"version, '{{v}}', {other_row}, {resolved} FROM note WHERE id = '{{id}}'"
    )


def _note_json(**instead: str) -> str:
    """A version of a note as a conflict record keeps it (JSON), some values changed."""
    values = {"version": "'{v}'", **instead}
    pairs = [f"'{c}', {values.get(c, c)}" for c in schema.merged_columns("note")]
    return f"json_object({', '.join(pairs)})"


CONFLICT_ROWS = {  # what the forged conflict record holds -> does the merge refuse it
    "other_row not JSON": (_forged("'not json'"), True),
    "other_row a JSON list": (_forged("'[1, 2]'"), True),
    "an unknown table": (_forged("'{}'", table="'nowhere'"), True),
    "resolved 7": (_forged("'{}'", resolved="7"), True),
    "other_row an empty object": (_forged("'{}'"), True),
    "other_row another row's": (_forged(_note_json(id="'another'")), True),
    "other_row of another version": (_forged(_note_json(version="version")), True),
    "other_row a note of 5": (_forged(_note_json(text="5")), False),
    "other_row a note that is no note": (_forged(_note_json(source="'gossip'")), False),
    "a note the file does not hold": (
        _forged(_note_json(id="'nowhere'"), row="'nowhere'"),
        False,
    ),
}


@st.composite
def conflict_rows(draw: st.DrawFn) -> Mutation:
    what = draw(st.sampled_from(sorted(CONFLICT_ROWS)))
    statement, refused = CONFLICT_ROWS[what]
    return Mutation(f"a forged conflict: {what}", (statement,), "note", draw(st.integers(0, 50)),
                    refused=refused)  # fmt: skip


def _columns(table: str) -> list[str]:
    return list(schema.merged_columns(table))


def _endless(table: str, limit: str = "", value: str = "''") -> str:
    rest = ", ".join(
        f"0 AS {c}" if c == "deleted" else f"{value} AS {c}" for c in _columns(table)[1:]
    )
    return (
        f"CREATE VIEW {table} AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 "
        f"FROM r{limit}) SELECT 'x' || n AS id, {rest} FROM r"
    )


def _view(table: str, kind: str) -> tuple[str, ...]:
    rename = f"ALTER TABLE {table} RENAME TO old_{table}"
    if kind == "plain":
        return (rename, f"CREATE VIEW {table} AS SELECT * FROM old_{table}")
    if kind == "virtual":
        columns = ", ".join(_columns(table)) if table in schema.MERGED_TABLES else "key, value"
        return (rename, f"CREATE VIRTUAL TABLE {table} USING fts5({columns})")
    endless = {
        "recursive": _endless(table),
        "huge": _endless(table, " LIMIT 3000000"),
        "random blobs": _endless(table, " LIMIT 30000", "randomblob(100000)"),
    }
    return (rename, endless[kind])


@st.composite
def views(draw: st.DrawFn) -> Mutation:
    table = draw(st.sampled_from([*schema.MERGED_TABLES, "change_log", "meta"]))
    kinds = ["plain", "virtual"]  # the change log and meta: not of a merged table's columns
    if table in schema.MERGED_TABLES:
        kinds += ["recursive", "huge", "random blobs"]
    kind = draw(st.sampled_from(kinds))
    return Mutation(f"{table} as a {kind} view", _view(table, kind), stage=5, refused=True)


def _typed(table: str) -> str:
    return ", ".join(f"{name} {declared}" for name, declared in schema.declared_columns(table))


@st.composite
def shapes(draw: st.DrawFn) -> Mutation:
    """Columns added, dropped or retyped; or the table rebuilt with the same columns and
    types but none of the constraints, holding a NULL or two rows of one id."""
    table = draw(st.sampled_from(["note", "roll_check", "judgement", "location", "finding"]))
    kind = draw(st.sampled_from(["added", "dropped", "retyped", "a NULL", "a twin id"]))
    loose = (
        f"ALTER TABLE {table} RENAME TO old_{table}",
        f"CREATE TABLE {table} ({_typed(table)})",
        f"INSERT INTO {table} SELECT * FROM old_{table}",
        f"DROP TABLE old_{table}",
    )
    last = _columns(table)[-1]
    twin = f"SELECT 'twin', {', '.join(_columns(table)[1:])} FROM {table} WHERE id = '{{id}}'"
    statements = {
        "added": (f"ALTER TABLE {table} ADD COLUMN extra TEXT NOT NULL DEFAULT ''",),
        "dropped": (f"ALTER TABLE {table} DROP COLUMN {last}",),
        "retyped": (*loose[:1], f"CREATE TABLE {table} AS SELECT * FROM old_{table}"),
        "a NULL": (*loose, _set(table, "created_by = NULL", draw(st.booleans()))),
        "a twin id": (*loose, f"INSERT INTO {table} {twin}", f"INSERT INTO {table} {twin}"),
    }[kind]
    return Mutation(f"{table}: {kind}", statements, table, draw(st.integers(0, 50)), stage=4,
                    refused=True)  # fmt: skip


TWINS = ("plan_item", "location", "team_member", "judgement", "sample_frame", "report_part",
         "glossary_term", "previous_outcome", "data_return", "roll_check", "finding",
         "attachment", "sample_criterion", "sample_record", "sample_answer", "note_link",
         "import_log", "report_paragraph")  # fmt: skip


@st.composite
def twins(draw: st.DrawFn) -> Mutation:
    """A second row of a record (a new id, the same values: the same plan ref, location
    name, judged unit, frame, term...), which no rule forbids and a reader keyed by name
    meets twice; or a row marked deleted neither 0 nor 1 (refused)."""
    table = draw(st.sampled_from(TWINS))
    if draw(st.booleans()):
        rest = ", ".join(_columns(table)[1:]).replace("version,", "'{v}',", 1)
        twin = f"INSERT INTO {table} SELECT 'twin-' || hex(randomblob(4)), {rest} FROM {table}"
        return Mutation(f"{table}: a twin", (f"{twin} WHERE id = '{{id}}'",), table,
                        draw(st.integers(0, 50)))  # fmt: skip
    deleted = draw(st.sampled_from(["2", "-1"]))
    return Mutation(f"{table}.deleted = {deleted}", (_set(table, f"deleted = {deleted}", True),),
                    table, draw(st.integers(0, 50)), refused=True)  # fmt: skip


PLANTED_NOTE = (
    "INSERT INTO note (id, text, taken_at, version) VALUES ('planted-' || hex(randomblob(4)), "
    "'written by a trigger', '2022-03-15T10:00', '1700000000000.000000.abc')"
)
TRIGGER_ON = ("AFTER INSERT ON meta", "AFTER UPDATE ON meta", "AFTER INSERT ON note",
              "BEFORE INSERT ON _sqlite_migrations", "AFTER UPDATE ON toc_period")  # fmt: skip
TRIGGER_DOES = (PLANTED_NOTE, "SELECT RAISE(ABORT, 'planted')")


@st.composite
def triggers(draw: st.DrawFn) -> Mutation:
    on, does = draw(st.sampled_from(TRIGGER_ON)), draw(st.sampled_from(TRIGGER_DOES))
    name = f"planted_{draw(st.integers(0, 9999))}"
    return Mutation(f"a trigger {on}: {does[:30]}",
                    (f"CREATE TRIGGER {name} {on} BEGIN {does}; END",), stage=3)  # fmt: skip


OLDER = {  # an older irp-field's file, as tests/test_untrusted_merge.py fakes one
    "schema 3": (
        *(f"DROP TABLE {table}" for table in schema.SCHEMA_4_TABLES),
        "DELETE FROM _sqlite_migrations WHERE name = 'm004_report_parts_and_attachments'",
        "UPDATE meta SET value = '3' WHERE key = 'schema_version'",
    ),
    "schema 1": (
        "DROP TABLE note_draft",
        "DROP TABLE finding_sync",
        "DELETE FROM _sqlite_migrations WHERE name = 'm002_sync_and_drafts'",
        "UPDATE meta SET value = '1' WHERE key = 'schema_version'",
    ),
}


@st.composite
def older(draw: st.DrawFn) -> Mutation:
    which = draw(st.sampled_from(sorted(OLDER)))
    return Mutation(f"an older file ({which})", OLDER[which], stage=0)


META = {  # key -> (value, refused)
    "schema_version": [("'abc'", True), ("'99'", True), ("''", True), ("'-1'", True)],
    "visit_id": [("'another visit'", True)],
    "app": [("'sqlite-utils'", True)],
    "clock": [("'~~~'", False), ("'abc'", False), ("''", False)],
    "site_id": [("''", False), ("'a.b/c'", False)],
}


@st.composite
def meta_values(draw: st.DrawFn) -> Mutation:
    key = draw(st.sampled_from(sorted(META)))
    value, refused = draw(st.sampled_from(META[key]))
    statement = f"UPDATE meta SET value = {value} WHERE key = '{key}'"
    return Mutation(f"meta {key} = {value}", (statement,), stage=9, refused=refused)


def _attached(data: bytes, kind: str) -> tuple[str, ...]:
    """A file stored as irp-field 0.3.0 stored any, attached to a paragraph."""
    import hashlib

    sha256 = hashlib.sha256(data).hexdigest()
    return (
        "INSERT INTO attachment_file (id, version, kind, size, content) "
        f"VALUES ('{sha256}', '{{v}}', '{kind}', {len(data)}, x'{data.hex()}')",
        "INSERT INTO attachment (id, version, file_sha256, target_kind, target_id, file_name) "
        f"VALUES ('hostile-' || hex(randomblob(4)), '{{v}}', '{sha256}', 'paragraph', '{{id}}', "
        "'picture')",
    )


def _pictures() -> dict[str, tuple[bytes, str, bool]]:
    """name -> (bytes, kind, refused): issue 20's pictures, a camera's and a PNG's that
    carry metadata (merged, and stored clean), and a document that runs a script."""
    from picture_helpers import HOSTILE, camera_jpeg, decodable_polyglot_jpeg, pdf, text_png

    found = {
        name: (data, "png" if file.endswith(".png") else "jpeg", True)
        for name, (file, data, _) in HOSTILE.items()
    }
    found["a camera's JPEG with EXIF"] = (camera_jpeg(orientation=6), "jpeg", False)
    found["a PNG with text chunks"] = (text_png(), "png", False)
    found["a JPEG with a script after its end"] = (decodable_polyglot_jpeg(), "jpeg", False)
    found["a PDF that runs JavaScript"] = (pdf(b"<< /S /JavaScript /JS (x) >>"), "pdf", True)
    return found


PICTURES = _pictures()


@st.composite
def pictures(draw: st.DrawFn) -> Mutation:
    what = draw(st.sampled_from(sorted(PICTURES)))
    data, kind, refused = PICTURES[what]
    return Mutation(f"an attachment: {what}", _attached(data, kind), "finding",
                    draw(st.integers(0, 50)), refused=refused)  # fmt: skip


mutations = st.lists(
    st.one_of(
        bad_values(), good_edits(), bad_stamps(), conflict_rows(), views(), shapes(),
        twins(), triggers(), older(), meta_values(), pictures(), forged_histories(),
    ),
    min_size=1,
    max_size=3,
)  # fmt: skip


@dataclass(frozen=True)
class Made:
    """A change as made: the row it touched."""

    mutation: Mutation
    row_id: str


def _pick(conn: sqlite3.Connection, table: str, pick: int) -> str:
    rows = conn.execute(f"SELECT id FROM {table} WHERE deleted = 0 ORDER BY id").fetchall()
    return str(rows[pick % len(rows)][0]) if rows else ""


def _make(path: Path, wanted: list[Mutation]) -> list[Made]:
    """Make the changes in stage order; one that an earlier change made impossible (an
    update of a table now dropped) is left out."""
    conn = sqlite3.connect(path, isolation_level=None)
    made: list[Made] = []
    try:
        for number, mutation in enumerate(sorted(wanted, key=lambda m: m.stage)):
            moment = f"{wall_clock_ms():013d}.{number:06d}"
            stamp = f"{moment}.hostile"
            try:
                row_id = _pick(conn, mutation.table, mutation.pick) if mutation.table else ""
                conn.execute("BEGIN")
                for statement in mutation.statements:
                    filled = statement.replace("{id}", row_id).replace("{v}", stamp)
                    conn.execute(filled.replace("{t}", moment))
                conn.execute("COMMIT")
            except sqlite3.Error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                continue
            made.append(Made(mutation, row_id))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return made


def _holds(path: Path, made: Made, condition: str) -> bool:
    """Does the row the change touched (still) satisfy ``condition`` in ``path``?"""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        table = made.mutation.table
        found = conn.execute(
            f"SELECT 1 FROM {table} WHERE id = ? AND ({condition})", (made.row_id,)
        ).fetchone()
        return found is not None
    except sqlite3.Error:
        return False  # the table is not there any more, or not as it was
    finally:
        conn.close()


def _kept(path: Path, made: Made) -> bool:
    """Does ``path`` keep the value of a same-version edit, in the row or in an open
    conflict (two different rows claim to be the same version: neither is dropped)?"""
    column, value = made.mutation.kept
    if _holds(path, made, f"{column} IS ({value})"):
        return True
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        found = conn.execute(
            "SELECT 1 FROM conflict WHERE row_id = ? AND deleted = 0 AND resolved = 0 AND "
            f"json_extract(other_row, '$.{column}') IS ({value})",
            (made.row_id,),
        ).fetchone()
        return found is not None
    finally:
        conn.close()


def _planted(path: Path) -> set[str]:
    """The notes a planted trigger wrote (in the source, one of the changes fired it)."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return {
            str(row[0])
            for row in conn.execute("SELECT id FROM note WHERE text = 'written by a trigger'")
        }
    except sqlite3.Error:
        return set()  # the note table is not one any more
    finally:
        conn.close()


def _backups() -> dict[str, str]:
    return {p.name: file_hash(p) for p in sorted(paths.backups_folder().glob("*"))}


def _merge(target: Path, source: Path, skew: bool) -> str:
    """The merge through the API: '' when it merged, the message when it refused."""
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    try:
        merge_visits(target, [source], accept_clock_skew=skew)
        said = ""
    except IrpError as error:
        said = str(error) or "?"
    finally:
        faulthandler.cancel_dump_traceback_later()
    return said


def _clean(result: Result, *, exit_codes: tuple[int, ...]) -> None:
    """One of ``exit_codes`` (1 with a line saying why); never an exception let out."""
    assert result.exit_code in exit_codes, result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert "Error: " in result.output, result.output


def _every_command_works(target: Path, folder: Path) -> None:
    run = CliRunner().invoke
    check = run(main, ["check", str(target)])
    _clean(check, exit_codes=(0,))  # nothing merged is anything the rules refuse
    _clean(run(main, ["figures", str(target)]), exit_codes=(0,))
    # What was merged can be written out in every format (issue 20: one merged note used
    # to stop the Word report; this accepted the refusal).
    for kind in ("sqlite", "csv", "json", "xlsx", "bundle"):
        out = folder / kind
        _clean(
            run(main, ["export", str(target), "--format", kind, "--out", str(out)]), exit_codes=(0,)
        )
        assert out.exists()
    for kind in ("md", "html", "docx"):
        out = folder / f"report.{kind}"
        _clean(
            run(main, ["report", str(target), "--format", kind, "--out", str(out)]), exit_codes=(0,)
        )
        assert out.stat().st_size > 0
    _clean(run(main, ["conflicts", str(target)]), exit_codes=(0,))
    conn = sqlite3.connect(target)
    open_ones = conn.execute(
        "SELECT id FROM conflict WHERE deleted = 0 AND resolved = 0 ORDER BY id"
    ).fetchall()
    conn.close()
    if open_ones:
        resolve = ["conflicts", str(target), "--resolve", str(open_ones[0][0]), "--keep", "other"]
        _clean(run(main, resolve), exit_codes=(0, 1))  # 1: the other version breaks a rule
        _clean(run(main, ["check", str(target)]), exit_codes=(0,))


SCREENS = {  # the screen that shows a table's records
    "note": "f4", "note_link": "f4", "roll_check": "f3", "location": "f3",
    "sample_frame": "f5", "sample_criterion": "f5", "sample_record": "f5",
    "sample_answer": "f5", "toc_period": "f6", "finding": "f7", "judgement": "f8",
    "plan_item": "f8", "conflict": "f10", "report_part": "f11", "report_paragraph": "f11",
    "glossary_term": "f11", "previous_outcome": "f11", "attachment": "f11",
}  # fmt: skip


async def _open_the_ui(target: Path, tables: set[str]) -> None:
    """The UI opens on the target and shows the screens of the tables changed (and the
    conflicts); a screen that raised would be re-raised here."""
    app = hull_app(target)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in sorted({SCREENS[t] for t in tables if t in SCREENS} | {"f10"}):
            await pilot.press(key)
            await settle(pilot)
            state = getattr(pilot.app.screen, "state", None)
            if key == "f3" and state is not None and state.rounds:
                # every round complete, F3 offers a new one: the latest is shown too
                pilot.app.screen.query_one("#round").value = state.rounds[-1].id
                await settle(pilot)


@pytest.mark.slow  # fifty merged files, every command run on each: a minute and a half on a busy worker
@settings(
    max_examples=examples(50),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(wanted=mutations, skew=st.booleans())
# Found by this property: a second row of one sampled record (a new id) merged, and the
# sampling screen stopped on it (a grid line keyed by the record twice). Ids differ from
# run to run (the sample is built anew), so the twin is of the first frame's record.
@example(
    wanted=[
        Mutation(
            "sample_record: a twin",
            (
                "INSERT INTO sample_record SELECT 'twin-' || hex(randomblob(4)), created_by, "
                "created_at, '{v}', base_version, deleted, frame_id, record, position "
                "FROM sample_record WHERE frame_id = (SELECT id FROM sample_frame ORDER BY "
                "rowid LIMIT 1) LIMIT 1",  # a record of the frame the screen shows first
            ),
            "sample_record",
            1,
        )
    ],
    skew=False,
)
# A camera's picture from a laptop of 0.3.0: merged, stored clean, and every report and
# export written with it (issue 21); each of PICTURES was run through this once by hand.
@example(
    wanted=[
        Mutation(
            "an attachment: a camera's JPEG with EXIF",
            _attached(PICTURES["a camera's JPEG with EXIF"][0], "jpeg"),
            "finding",
            3,
        )
    ],
    skew=False,
)
# A judgement's reason re-stamped "by the team leader" (issue 20): it used to be taken.
@example(wanted=[_forged_history(*FORGED[1], 3)], skew=False)
# Found by this property (2026-12-06): a laptop the target has never seen moves a note
# on, then re-stamps it with a history entry in the team leader's name (the target's own
# person); it was taken, as the target knew nobody on that laptop. Now questioned.
@example(
    wanted=[
        Mutation(
            "note.text = 'Spoke to the wing manager again.' (moved on)",
            (_set("note", "text = 'Spoke to the wing manager again.'", True),),
            "note",
            0,
            taken="text IS ('Spoke to the wing manager again.')",
        ),
        _forged_history(*FORGED[0], 0),
    ],
    skew=False,
)
# A copy changed by hand at the same version (issue 20): the merge's tie-break used to
# keep either row, and drop the other without a word.
@example(
    wanted=[
        Mutation(
            "note.text = 'Spoke to the wing manager again.'",
            (_set("note", "text = 'Spoke to the wing manager again.'", False),),
            "note",
            3,
            kept=("text", "'Spoke to the wing manager again.'"),
        )
    ],
    skew=False,
)
@example(  # issue 20: a merged note holding U+FFFF, its stamp moved on
    wanted=[
        Mutation(
            "note.text = U+FFFF (moved on)",
            (_set("note", "text = 'Seen on B wing.' || char(65535)", True),),
            "note",
            3,
            planted="text IS ('Seen on B wing.' || char(65535))",
        )
    ],
    skew=False,
)
@example(  # issue 20: 3,000 nested parentheses in a paragraph, its stamp moved on
    wanted=[
        Mutation(
            "finding.text = 3,000 parentheses (moved on)",
            (_set("finding", f"text = {DEEP_PARENTHESES}", True),),
            "finding",
            5,
            planted=f"text IS ({DEEP_PARENTHESES})",
        )
    ],
    skew=False,
)
def test_a_mutated_file_is_refused_cleanly_or_merged_and_everything_still_works(
    hull_template: Path, wanted: list[Mutation], skew: bool
) -> None:
    with tempfile.TemporaryDirectory(prefix="irp-hostile-") as name:
        folder = Path(name)
        target = cp(hull_template, folder / "master.db")
        spare = cp(hull_template, folder / "spare.db")  # for the command line's merge
        source = cp(hull_template, folder / "laptop.db")
        made = _make(source, wanted)
        before, backups = file_hash(target), _backups()
        refused = _merge(target, source, skew)
        for change in made:
            event(f"{change.mutation.what.split(' = ')[0]}: {'refused' if refused else 'merged'}")
        must_refuse = [
            m.mutation.what
            for m in made
            if m.mutation.refused and not (skew and m.mutation.skew_takes)
        ]
        cli = CliRunner().invoke(
            main, ["merge", str(spare), str(source), *(["--accept-clock-skew"] if skew else [])]
        )
        if refused:
            assert "laptop.db" in refused and "\n" not in refused, refused
            assert file_hash(target) == before  # byte-identical
            assert _backups() == backups  # no snapshot taken, none rotated
            _clean(cli, exit_codes=(1,))
            assert len(cli.output.strip().splitlines()) == 1, cli.output
            return
        assert not must_refuse, f"merged a file with {must_refuse}"
        _clean(cli, exit_codes=(0,))
        for change in made:
            if change.mutation.planted and _holds(source, change, change.mutation.planted):
                assert not _holds(target, change, change.mutation.planted), change.mutation.what
            if change.mutation.taken and _holds(source, change, change.mutation.taken):
                assert _holds(target, change, change.mutation.taken), change.mutation.what
            column, value = change.mutation.kept
            if column and _holds(source, change, f"{column} IS ({value})"):
                assert _kept(target, change), change.mutation.what
        assert _planted(target) <= _planted(source)  # no trigger of the source ran in a merge
        _every_command_works(target, folder)
        tables = {m.mutation.table for m in made} | {"conflict"}
        asyncio.run(_open_the_ui(target, tables))
