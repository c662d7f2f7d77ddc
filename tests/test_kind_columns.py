"""Issue 25 §0: a column of an evidence kind is one line of its registry
(``domain.kind_columns``) and the migration adding it.

Shown in a fresh interpreter whose registry has one line more in five kinds (a count of
staff on a time-out-of-cell period, a typed text on a note, a location's landings, a
sample frame's missing records, the page a sampled record's answer was found on), as a
newcomer writes them:
each column reaches the table (declared and migrated alike), the import (its column,
read as its kind says, refused in one line when it is not, its default when a sheet
made before it leaves it out), the analyst export (its type, description, unit and
redaction), the redacted copy, the bundle (written and read back), and a file made
before it, read as it is, reads it as its default.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from irp_field.core import schema, tables
from irp_field.core.visit_file import VisitFile
from irp_field.domain import kind_columns, roll_categories
from irp_field.domain.errors import IrpError
from irp_field.interchange import bundle_samples, export_tables, import_evidence, kinds, redaction

PACKAGE = Path(schema.__file__).parent.parent
# each registered kind's table -> its import kind
IMPORT_KINDS = {
    "team_member": "team",
    "location": "locations",
    "plan_item": "plan",
    "roll_check": "roll-checks",
    "toc_period": "time-out-of-cell",
    "sample_answer": "sample",
    "note": "notes",
    "data_return": "data",
}
# the kinds whose columns are registered
REGISTERED = (
    "team_member",
    "location",
    "plan_item",
    "roll_round",
    "roll_check",
    "toc_period",
    "sample_frame",
    "sample_criterion",
    "sample_record",
    "sample_answer",
    "note",
    "data_return",
)


def test_the_registered_kinds_are_declared_as_their_registry_says() -> None:
    """The table, the import's columns, the export's columns and the redaction of each
    registered kind are its registry's, in its order."""
    named = (kind_columns.KEEP, kind_columns.STAFF, kind_columns.BLANK, kind_columns.STAFF_DETAIL)
    assert named == (redaction.KEEP, redaction.STAFF, redaction.BLANK, redaction.STAFF_DETAIL)
    assert kind_columns.ID == redaction.ID
    decided = (kind_columns.CATEGORY, kind_columns.PUBLISHED, kind_columns.WORKING)
    assert decided == (redaction.CATEGORY, redaction.PUBLISHED, redaction.WORKING)
    assert tuple(kind_columns.COLUMNS) == REGISTERED
    for table in REGISTERED:
        own = tuple(tables.own_default_sql(table))
        assert own == tuple(c.name for c in kind_columns.stored(table)), table
        export = next(t for t in export_tables.RECORD_TABLES if t.name == table)
        described = [
            (c.name, c.kind, c.description, c.unit, c.references) for c in export.columns[2:]
        ]
        assert described == [
            (c.name, c.kind, c.about, c.unit, c.references) for c in kind_columns.exported(table)
        ]
        assert list(redaction.POLICY[table])[2:] == [c.name for c in kind_columns.exported(table)]
        if table == "sample_frame":  # the bundle's sample-frames.csv
            assert (
                tuple(
                    c.csv_name for c in sorted(kind_columns.in_csv(table), key=lambda c: c.optional)
                )
                == bundle_samples.FRAME_COLUMNS + bundle_samples.FRAME_OPTIONAL
            )
            assert set(bundle_samples.FRAME_OPTIONAL) == {
                c.csv_name for c in kind_columns.in_csv(table) if c.optional
            }
            continue
        if table not in IMPORT_KINDS:  # rounds: named in roll-checks.csv
            assert kind_columns.in_csv(table) == ()
            continue
        imported = kinds.KINDS[IMPORT_KINDS[table]]
        assert [(c.name, c.required) for c in imported.columns] == [
            (c.csv_name, not c.optional) for c in kind_columns.in_csv(table)
        ]
    assert tuple(c.name for c in kinds.KINDS["sample"].columns) == bundle_samples.ANSWER_COLUMNS


def test_a_registered_kind_s_table_stores_each_column_as_its_registry_says(
    tmp_path: Path,
) -> None:
    """A new file's tables declare each registered column's type (a sample's seed, typed
    as text and exported as the whole number it is, its override), NULL only where it
    has no default, and the export declares its kind."""
    with VisitFile.create(
        tmp_path / "v.db", establishment="HMP T", start_date="2022-03-14", end_date="2022-03-16"
    ) as visit:
        declared = {
            table: {
                r["name"]: (r["type"], bool(r["notnull"]))
                for r in visit.query(f"PRAGMA table_info({table})")
            }
            for table in REGISTERED
        }
    for table in REGISTERED:
        for column in kind_columns.stored(table):
            assert declared[table][column.name] == (column.affinity, column.default is not None)
    assert declared["sample_frame"]["seed"] == ("TEXT", True)
    export = next(t for t in export_tables.RECORD_TABLES if t.name == "sample_frame")
    assert next(c for c in export.columns if c.name == "seed").sql_type == "INTEGER"


# Files that write out a run of names that are not a kind's columns as such.
OWN_TABLES = {
    "export_derived.py",  # toc_day's own columns (a subject's day, summed)
    "merge_rounds.py",  # what a round is known by (name, day, time: rounds.same_round_words)
}
# A file and a kind whose rule's arguments are a run of its columns: the sample import
# reads an answer's record, criterion, answer and comment (domain.sampling.answer_verdicts)
OWN_RULES = {("import_evidence.py", "sample_answer")}


def test_a_registered_kind_s_columns_are_spelled_out_in_their_home_alone() -> None:
    """No file in or out (import, export, redaction, bundle, merge) writes out a run of a
    registered kind's columns, as SQL (``r.taken_at, r.location_id``) or as a tuple (on
    one line or on several): it takes them from the registry, so a column added there
    reaches it."""
    found = []
    for folder in ("interchange", "replication"):
        for path in sorted((PACKAGE / folder).glob("*.py")):
            text = re.sub(r",\s+", ", ", path.read_text(encoding="utf-8"))
            text = re.sub(r"ORDER BY [^\"]*", "", text)  # a sort order is not a list of them
            for table in REGISTERED:
                exported = [c.name for c in kind_columns.exported(table)]
                in_csv = [c.csv_name for c in kind_columns.in_csv(table)]
                stored = [c.name for c in kind_columns.stored(table)]
                for names in (exported, in_csv, stored):
                    for at in range(len(names) - 2):
                        run = [re.escape(n) for n in names[at : at + 3]]
                        sql = ", ".join(rf"(?:\w+\.)?{n}" for n in run)
                        for spelled in (
                            rf"(?<![\w.]){sql}(?!\w)",
                            ", ".join(f'"{n}"' for n in run),
                        ):
                            own = path.name in OWN_TABLES or (path.name, table) in OWN_RULES
                            if re.search(spelled, text) and not own:
                                found.append((path.name, table, names[at : at + 3]))
    assert found == []


def test_a_column_declared_before_an_older_one_still_comes_after_it() -> None:
    """A contributor who writes a new column's line among the old ones gets it where
    ``ALTER TABLE ... ADD COLUMN`` puts it: last, in the table and in every derived list."""
    added = kind_columns.KindColumn("staff_seen", "integer", "Staff.", default=0, since=99)
    held = kind_columns.COLUMNS["toc_period"]
    kind_columns.COLUMNS["toc_period"] = (added, *held)
    try:
        assert kind_columns.stored("toc_period")[-1] == added
        assert kind_columns.in_csv("toc_period")[-1] == added
        assert kind_columns.exported("toc_period")[-1] == added
    finally:
        kind_columns.COLUMNS["toc_period"] = held


def test_a_text_column_is_never_kept_for_want_of_a_word(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text column whose line says nothing of redaction has no policy (a redacted export
    refuses it, naming it); a count or a day is kept unless its line says otherwise."""
    undecided = kind_columns.KindColumn("said_by", "string", "Who said it.", since=99)
    counted = kind_columns.KindColumn("people", "integer", "People.", default=0, since=99)
    held = kind_columns.COLUMNS["note"]
    monkeypatch.setitem(kind_columns.COLUMNS, "note", (*held, undecided, counted))
    policies = redaction._policies("note")
    assert (policies["said_by"], policies["people"], policies["author"]) == (
        "",
        redaction.KEEP,
        redaction.STAFF,
    )
    monkeypatch.setitem(redaction.POLICY, "note", policies)
    with pytest.raises(IrpError, match=r"note\.said_by has no policy"):
        list(redaction.redacting("note", ["people", "said_by"], [(3, "Ann")], "k" * 64, False))


def test_a_value_of_a_column_no_rule_reads_is_read_as_its_kind_says() -> None:
    count = kind_columns.KindColumn("staff_seen", "integer", "Staff.", default=0, since=9)
    assert kind_columns.read(count, " 3 ") == (3, [])
    assert kind_columns.read(count, "") == (0, [])
    value, found = kind_columns.read(count, "three")
    assert value == 0  # its default: the row is refused all the same
    assert [v.field for v in found] == ["staff_seen"] and "whole number" in found[0].message
    day = kind_columns.KindColumn("seen_on", "date", "Seen.", csv="seen")
    assert kind_columns.read(day, "2022-03-14") == ("2022-03-14", [])
    assert [v.field for v in kind_columns.read(day, "2022-02-30")[1]] == ["seen"]
    text = kind_columns.KindColumn("room", "string", "Where.")
    assert kind_columns.read(text, " Room 4 ") == ("Room 4", [])
    assert kind_columns.read(text, "\ufffe")[1]  # no document could hold it


# Run in a fresh interpreter: the registry gets its lines before anything derived from
# it is imported, and the migrations adding their columns, as a newcomer writes them.
NEW_COLUMNS = r"""
import csv, json, sqlite3, sys
from contextlib import closing
from pathlib import Path
from typing import Any

from irp_field.domain import kind_columns as registry

since, folder = int(sys.argv[1]), Path(sys.argv[2])
registry.COLUMNS["toc_period"] = (
    *registry.COLUMNS["toc_period"],
    registry.KindColumn(
        "staff_seen", "integer", "Staff on the landing during the period.",
        default=0, unit="staff", since=since,
    ),
)
registry.COLUMNS["note"] = (
    *registry.COLUMNS["note"],
    registry.KindColumn(
        "room", "string", "Where it was taken.", csv="where",
        typed=(registry.WORKING, "a room, which may name who was in it"), since=since + 1,
    ),
)
registry.COLUMNS["location"] = (
    *registry.COLUMNS["location"],
    registry.KindColumn(
        "landings", "integer", "Landings it has.", default=None, required=False, since=since + 2
    ),
)
registry.COLUMNS["sample_frame"] = (
    *registry.COLUMNS["sample_frame"],
    registry.KindColumn(
        "records_missing", "integer", "Records on the list that could not be found.",
        default=0, unit="records", since=since + 3,
    ),
)
registry.COLUMNS["sample_answer"] = (
    *registry.COLUMNS["sample_answer"],
    registry.KindColumn(
        "page", "integer", "The page the answer was found on.", default=None, required=False,
        since=since + 4,
    ),
)
from irp_field.core import schema

schema.MIGRATIONS = (
    *schema.MIGRATIONS,
    schema.adding_columns(
        f"m{since:03d}_staff_seen", "toc_period", "staff_seen INTEGER NOT NULL DEFAULT 0"
    ),
    schema.adding_columns(f"m{since + 1:03d}_note_room", "note", "room TEXT NOT NULL DEFAULT ''"),
    schema.adding_columns(f"m{since + 2:03d}_landings", "location", "landings INTEGER"),
    schema.adding_columns(
        f"m{since + 3:03d}_records_missing", "sample_frame",
        "records_missing INTEGER NOT NULL DEFAULT 0",
    ),
    schema.adding_columns(f"m{since + 4:03d}_page", "sample_answer", "page INTEGER"),
)
schema.SCHEMA_VERSION = len(schema.MIGRATIONS)

from irp_field.api import evidence, exports
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.interchange import bundle, export_tables, kinds, redacted_copy, redaction
from irp_field.evidence import audit, sampling
from irp_field.interchange import bundle_samples
from irp_field.replication import guard
from irp_field.replication.merge import merge_visits

export = {t.name: t for t in export_tables.RECORD_TABLES}
said = {
    "tables": {t: schema.merged_columns(t) for t in ("toc_period", "note")},
    "migrated": {t: [c[0] for c in guard.our_shape()[t]] for t in ("toc_period", "note")},
    "import_optional": {k: kinds.KINDS[k].optional for k in ("time-out-of-cell", "notes")},
    "export": {
        t: [(c.name, c.kind, c.description, c.unit) for c in export[t].columns[-1:]]
        for t in ("toc_period", "note")
    },
    "policy": [redaction.POLICY["toc_period"]["staff_seen"], redaction.POLICY["note"]["room"]],
    "decision": redaction.TEXT_DECISIONS.get(("note", "room")),
    "copy": [redacted_copy.FILE_POLICY["toc_period"]["staff_seen"],
             redacted_copy.FILE_POLICY["note"]["room"]],
    "frame": {
        "table": schema.merged_columns("sample_frame")[-1],
        "migrated": guard.our_shape()["sample_frame"][-1][0],
        "export": [[c.name, c.kind, c.description, c.unit]
                   for c in export["sample_frame"].columns[-1:]],
        "policy": redaction.POLICY["sample_frame"]["records_missing"],
        "copy": redacted_copy.FILE_POLICY["sample_frame"]["records_missing"],
        "bundle_optional": bundle_samples.FRAME_OPTIONAL,
    },
}


def sheet(name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


path = folder / "visit.db"
with VisitFile.create(  # by a member: who imports a sheet records it (domain.recorders)
    path, establishment="HMP Test", start_date="2022-03-14", end_date="2022-03-16",
    user="Ann Smith",
) as visit:
    evidence.add_team_member(visit, "Ann Smith", role="Inspector", body="HMIP")
    # a keyed kind: a sheet without the column leaves the stored value as it was
    evidence.import_csv(visit, "locations", sheet("l1.csv", "name,kind,landings\nA wing,wing,4\n"))
    evidence.import_csv(visit, "locations", sheet("l2.csv", "name,kind\nA wing,wing\nB wing,wing\n"))
    said["locations"] = [list(r) for r in visit.conn.execute(
        "SELECT name, landings FROM location ORDER BY name")]
    head = "date,subject,group,start,end,activity"
    evidence.import_csv(visit, "time-out-of-cell", sheet(
        "new.csv", f"{head},staff_seen\n2022-03-14,S1,Unemployed,09:00,10:00,work,3\n"))
    evidence.import_csv(visit, "time-out-of-cell", sheet(
        "old.csv", f"{head}\n2022-03-15,S1,Unemployed,09:00,10:00,work\n"))
    try:
        evidence.import_csv(visit, "time-out-of-cell", sheet(
            "bad.csv", f"{head},staff_seen\n2022-03-16,S1,Unemployed,09:00,10:00,work,lots\n"))
    except IrpError as error:
        said["refused"] = str(error)
    evidence.import_csv(visit, "notes", sheet(
        "notes.csv", "source,taken_at,author,text,where\n"
        "observation,2022-03-14T10:00,Ann Smith,Seen,Room 4\n"))
    said["imported"] = [list(r) for r in visit.conn.execute(
        "SELECT on_date, staff_seen FROM toc_period ORDER BY on_date")]
    said["notes"] = [list(r) for r in visit.conn.execute("SELECT text, room FROM note")]
    # a frame's CSV is the bundle's: a frame read from one, one refused, one made before
    frames = "name,record_kind,population,method,seed,plan_ref,criteria"
    for name, text in (
        ("f1", f"{frames},records_missing\nUse of force,,10,random,7,,Signed,2\n"),
        ("f2", f"{frames}\nUse of force,,10,random,7,,Signed\nACCT,,5,all,,,Reviewed\n"),
        ("f3", f"{frames},records_missing\nAdjudications,,4,all,,,Heard,lots\n"),
    ):
        (folder / name).mkdir()
        sheet(f"{name}/sample-frames.csv", text)
        try:
            bundle_samples.import_samples(visit, folder / name)
        except IrpError as error:
            said["frame_refused"] = str(error)
    said["frames"] = [list(r) for r in visit.conn.execute(
        "SELECT name, records_missing FROM sample_frame ORDER BY name")]
    # a frame's answers: the sample import reads it, a sheet made before it leaves a cell
    # answered again as it was, and "lots" is refused
    for name, text in (
        ("a1.csv", "record,criterion,answer,page\nR1,Signed,yes,3\nR2,Signed,no,\n"),
        ("a2.csv", "record,criterion,answer\nR1,Signed,yes\n"),
        ("a3.csv", "record,criterion,answer,page\nR3,Signed,no,lots\n"),
    ):
        try:
            evidence.import_csv(visit, "sample", sheet(name, text), frame="Use of force")
        except IrpError as error:
            said["answer_refused"] = str(error)
    said["answers"] = [list(r) for r in visit.conn.execute(
        "SELECT record, page FROM sample_answer ORDER BY record")]
    bundle.write_bundle(visit, folder / "bundle")
with (folder / "bundle" / "time-out-of-cell.csv").open(encoding="utf-8") as handle:
    said["bundle"] = list(csv.reader(handle))
with (folder / "bundle" / "notes.csv").open(encoding="utf-8") as handle:
    said["bundle_notes"] = list(csv.reader(handle))
with (folder / "bundle" / "locations.csv").open(encoding="utf-8") as handle:
    said["bundle_locations"] = list(csv.reader(handle))
with (folder / "bundle" / "sample-frames.csv").open(encoding="utf-8") as handle:
    said["bundle_frames"] = [[r[0], r[-1]] for r in csv.reader(handle)]
with (folder / "bundle" / "samples" / "use_of_force.csv").open(encoding="utf-8") as handle:
    said["bundle_answers"] = [[r[0], r[-1]] for r in csv.reader(handle)]
with VisitFile.open(bundle.build_from_bundle(folder / "bundle", folder / "back.db")) as back:
    said["back_answers"] = [list(r) for r in back.conn.execute(
        "SELECT record, page FROM sample_answer ORDER BY record")]
    said["back_frames"] = [list(r) for r in back.conn.execute(
        "SELECT name, records_missing FROM sample_frame ORDER BY name")]
    said["back"] = [list(r) for r in back.conn.execute(
        "SELECT on_date, staff_seen FROM toc_period ORDER BY on_date")]
    said["back_notes"] = [list(r) for r in back.conn.execute("SELECT text, room FROM note")]
    said["back_locations"] = [list(r) for r in back.conn.execute(
        "SELECT name, landings FROM location ORDER BY name")]
for redact in (False, True):
    out = folder / f"export-{redact}"
    exports.export([path], "csv", out, redact=redact, fresh_key=redact)
    with (out / "toc_period.csv").open(encoding="utf-8") as handle:
        said[f"export_{redact}"] = [row[-1] for row in csv.reader(handle)]
    with (out / "note.csv").open(encoding="utf-8") as handle:
        said[f"export_notes_{redact}"] = [row[-1] for row in csv.reader(handle)]
    with (out / "sample_frame.csv").open(encoding="utf-8") as handle:
        said[f"export_frames_{redact}"] = [row[-1] for row in csv.reader(handle)]
    with (out / "sample_answer.csv").open(encoding="utf-8") as handle:
        said[f"export_answers_{redact}"] = [row[-1] for row in csv.reader(handle)]
# another laptop's file, a count written by a hand (a whole number, so the merge's check
# of types lets it by): check says what the import would, the merge refuses the file
paul, jade = folder / "paul.db", folder / "jade.db"
for copy in (paul, jade):
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
with closing(sqlite3.connect(paul)) as conn, conn:
    conn.execute("UPDATE toc_period SET staff_seen = -1 WHERE on_date = '2022-03-15'")
with VisitFile.open(paul, readonly=True) as visit:
    said["check"] = [
        [f.kind, f.where, f.verdict.message] for f in audit.everything(visit)
        if f.record[0] == "toc_period"
    ]
try:
    merge_visits(jade, [paul])
    said["merged"] = "merged"
except IrpError as error:
    said["merged"] = str(error)
# the file as the version before made it: read as it is, the columns read their defaults
conn = sqlite3.connect(path, isolation_level=None)
conn.execute("DROP INDEX IF EXISTS idx_toc_period_subject")
for table, column in (("toc_period", "staff_seen"), ("note", "room"), ("location", "landings"),
                      ("sample_frame", "records_missing"), ("sample_answer", "page")):
    conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
for step in schema.MIGRATIONS[-5:]:
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", (step.__name__,))
conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(since - 1),))
conn.close()
with VisitFile.open(path, readonly=True) as older:
    said["older"] = [list(r) for r in older.conn.execute(
        "SELECT on_date, staff_seen FROM toc_period ORDER BY on_date")]
    said["older_notes"] = [list(r) for r in older.conn.execute("SELECT text, room FROM note")]
    said["older_locations"] = [list(r) for r in older.conn.execute(
        "SELECT name, landings FROM location ORDER BY name")]
    said["older_frames"] = [list(r) for r in older.conn.execute(
        "SELECT name, records_missing FROM sample_frame ORDER BY name")]
    said["older_answers"] = [list(r) for r in older.conn.execute(
        "SELECT record, page FROM sample_answer ORDER BY record")]
out = folder / "export-older"
exports.export([path], "csv", out)
with (out / "toc_period.csv").open(encoding="utf-8") as handle:
    said["export_older"] = [row[-1] for row in csv.reader(handle)]
with (out / "sample_frame.csv").open(encoding="utf-8") as handle:
    said["export_frames_older"] = [row[-1] for row in csv.reader(handle)]
print(json.dumps(said))
"""


def _in_a_fresh_interpreter(script: str, folder: Path) -> Any:
    """What ``script`` prints (JSON), run with the next schema's number and ``folder``
    in an interpreter of its own: the registry it changes is read at import."""
    done = subprocess.run(
        [sys.executable, "-c", script, str(schema.SCHEMA_VERSION + 1), str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_column_added_to_a_kind_s_registry_reaches_every_piece_derived_from_it(
    tmp_path: Path,
) -> None:
    said = _in_a_fresh_interpreter(NEW_COLUMNS, tmp_path)
    # last, where ALTER TABLE puts it, in the table declared and the table migrated alike
    assert said["tables"]["toc_period"][-1] == "staff_seen"
    assert said["tables"]["note"][-1] == "room"
    assert said["migrated"] == {t: list(c) for t, c in said["tables"].items()}
    assert "staff_seen" in said["import_optional"]["time-out-of-cell"]
    assert "where" in said["import_optional"]["notes"]
    assert said["export"] == {
        "toc_period": [
            ["staff_seen", "integer", "Staff on the landing during the period.", "staff"]
        ],
        "note": [["room", "string", "Where it was taken.", ""]],
    }
    assert said["policy"] == [redaction.KEEP, redaction.BLANK]
    assert said["decision"] == ["working", "a room, which may name who was in it"]
    assert said["copy"] == [redaction.KEEP, redaction.BLANK]
    # read as its kind says; its default when a sheet made before it leaves it out
    assert said["imported"] == [["2022-03-14", 3], ["2022-03-15", 0]]
    assert said["refused"].splitlines() == [
        "bad.csv, line 2, column staff_seen: staff_seen must be a whole number, not 'lots'",
        "Nothing was imported.",
    ]
    assert said["notes"] == [["Seen", "Room 4"]]
    # the bundle writes it as the import reads it, and reads it back
    assert said["bundle"][0][-1] == "staff_seen" and [r[-1] for r in said["bundle"][1:]] == [
        "3",
        "0",
    ]
    assert said["bundle_notes"][0][-1] == "where" and said["bundle_notes"][1][-1] == "Room 4"
    assert said["back"] == said["imported"] and said["back_notes"] == said["notes"]
    # a keyed kind (locations): a sheet made before it leaves the stored value alone
    assert said["locations"] == [["A wing", 4], ["B wing", None]]
    assert said["bundle_locations"] == [
        ["name", "kind", "capacity", "landings"],
        ["A wing", "wing", "", "4"],
        ["B wing", "wing", "", ""],
    ]
    assert said["back_locations"] == said["locations"]
    # exported, and redacted as its line says
    assert said["export_False"] == ["staff_seen", "3", "0"]
    assert said["export_True"] == ["staff_seen", "3", "0"]
    assert said["export_notes_False"] == ["room", "Room 4"]
    assert said["export_notes_True"] == ["room", ""]
    # read back through check, as the import reads it; the merge refuses the file
    assert said["check"] == [
        [
            "time out of cell",
            "S1 on 2022-03-15 09:00",
            "staff_seen cannot be negative (-1)",
        ]
    ]
    assert "paul.db" in said["merged"] and "nothing was merged" in said["merged"]
    assert "staff_seen cannot be negative (-1)" in said["merged"]
    # a file made before it, read as it is: its default
    assert said["older"] == [["2022-03-14", 0], ["2022-03-15", 0]]
    assert said["older_notes"] == [["Seen", ""]]
    assert said["older_locations"] == [["A wing", None], ["B wing", None]]
    assert said["export_older"] == ["staff_seen", "0", "0"]
    # a sampling kind (a frame): its table, export, redaction, bundle and an older file
    frame = said["frame"]
    assert frame["table"] == frame["migrated"] == "records_missing"
    assert frame["export"] == [
        ["records_missing", "integer", "Records on the list that could not be found.", "records"]
    ]
    assert frame["policy"] == frame["copy"] == redaction.KEEP
    assert frame["bundle_optional"][-1] == "records_missing"
    # read from a bundle's sample-frames.csv as its kind says; one made before it leaves
    # the stored value as it was and a new frame at its default; "lots" refused, in one line
    assert said["frames"] == [["ACCT", 0], ["Use of force", 2]]
    assert said["frame_refused"] == (
        "sample-frames.csv, line 2, column records_missing: records_missing must be a "
        "whole number, not 'lots'\nNothing was imported."
    )
    assert said["bundle_frames"] == [
        ["name", "records_missing"],
        ["Use of force", "2"],
        ["ACCT", "0"],
    ]
    assert said["back_frames"] == said["frames"]
    assert (
        said["export_frames_False"]
        == said["export_frames_True"]
        == [
            "records_missing",
            "0",
            "2",
        ]
    )
    assert said["older_frames"] == [["ACCT", 0], ["Use of force", 0]]
    assert said["export_frames_older"] == ["records_missing", "0", "0"]
    # and a sampled record's answer: the sample import, the bundle, export, an older file
    assert said["answers"] == [["R1", 3], ["R2", None]]
    assert said["answer_refused"].splitlines() == [
        "a3.csv, line 2, column page: page must be a whole number, not 'lots'",
        "Nothing was imported.",
    ]
    assert said["bundle_answers"] == [["record", "page"], ["R1", "3"], ["R2", ""]]
    assert said["back_answers"] == said["answers"]
    assert said["export_answers_False"] == said["export_answers_True"] == ["page", "3", ""]
    assert said["older_answers"] == [["R1", None], ["R2", None]]


def test_the_roll_check_s_columns_keep_their_places_with_a_column_added(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The roll check's counts sit among its columns where ``COUNTS`` puts them; its round
    is the export's last first column (since 0.1) and before its inspector in the table;
    a column added since comes last in the table, the export and the CSV, and the
    import leaves it at its default (no rule reads it)."""
    added = kind_columns.KindColumn("weather", "string", "The weather.", redaction="keep", since=99)
    monkeypatch.setitem(
        kind_columns.COLUMNS, "roll_check", (*kind_columns.COLUMNS["roll_check"], added)
    )
    counts = [c.name for c in roll_categories.counts()]
    first = ["taken_at", "location_id", *counts, "round_id", "inspector", "note", "import_id"]
    assert [c.name for c in kind_columns.stored("roll_check")] == [*first, "weather"]
    assert [c.name for c in kind_columns.exported("roll_check")] == [
        "taken_at", "location_id", "location", "round", *counts, "inspector", "note",
        "round_id", "weather",
    ]  # fmt: skip
    assert [c.csv_name for c in kind_columns.in_csv("roll_check")] == [
        "taken_at", "location", *counts, "round", "inspector", "note", "weather",
    ]  # fmt: skip
    assert kind_columns.added("roll_check") == (added,)
    assert [c.policy for c in kind_columns.exported("roll_check")][-2:] == [
        redaction.ID,
        redaction.KEEP,
    ]
    # the import's fast path writes the columns its row holds, in its order
    assert ("id", *first) == import_evidence.ROLL_CHECK_COLUMNS


# A roll-check column added, in a fresh interpreter as above.
NEW_ROLL_COLUMN = r"""
import csv, json, sqlite3, sys
from pathlib import Path
from typing import Any

from irp_field.domain import kind_columns as registry

since, folder = int(sys.argv[1]), Path(sys.argv[2])
registry.COLUMNS["roll_check"] = (
    *registry.COLUMNS["roll_check"],
    registry.KindColumn(
        "weather", "string", "The weather at the count.",
        typed=(registry.CATEGORY, "the weather: names no one"), since=since,
    ),
)
from irp_field.core import schema

schema.MIGRATIONS = (
    *schema.MIGRATIONS,
    schema.adding_columns(f"m{since:03d}_weather", "roll_check", "weather TEXT NOT NULL DEFAULT ''"),
)
schema.SCHEMA_VERSION = len(schema.MIGRATIONS)

from irp_field.api import evidence, exports
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.interchange import bundle, export_tables, kinds, redacted_copy, redaction
from irp_field.replication import guard

export = next(t for t in export_tables.RECORD_TABLES if t.name == "roll_check")
said = {
    "table": schema.merged_columns("roll_check"),
    "migrated": [c[0] for c in guard.our_shape()["roll_check"]],
    "import_optional": kinds.KINDS["roll-checks"].optional,
    "export": [[c.name, c.kind, c.description] for c in export.columns[-2:]],
    "policy": redaction.POLICY["roll_check"]["weather"],
    "decision": redaction.TEXT_DECISIONS.get(("roll_check", "weather")),
    "copy": redacted_copy.FILE_POLICY["roll_check"]["weather"],
}
head = "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,elsewhere"
path = folder / "visit.db"
with VisitFile.create(
    path, establishment="HMP Test", start_date="2022-03-14", end_date="2022-03-16"
) as visit:
    evidence.add_location(visit, "A wing")
    for name, text in (
        ("new.csv", f"{head},weather\n2022-03-14T10:00,A wing,10,2,2,2,2,2,Rain\n"),
        ("old.csv", f"{head}\n2022-03-15T10:00,A wing,10,2,2,2,2,2\n"),
        ("bad.csv", f"{head},weather\n2022-03-16T10:00,A wing,10,2,2,2,2,2,\ufffe\n"),
    ):
        (folder / name).write_text(text, encoding="utf-8")
        try:
            evidence.import_csv(visit, "roll-checks", folder / name)
        except IrpError as error:
            said["refused"] = str(error)
    said["imported"] = [list(r) for r in visit.conn.execute(
        "SELECT taken_at, weather FROM roll_check ORDER BY taken_at")]
    bundle.write_bundle(visit, folder / "bundle")
with (folder / "bundle" / "roll-checks.csv").open(encoding="utf-8") as handle:
    said["bundle"] = [[r[0], r[-1]] for r in csv.reader(handle)]
with VisitFile.open(bundle.build_from_bundle(folder / "bundle", folder / "back.db")) as back:
    said["back"] = [list(r) for r in back.conn.execute(
        "SELECT taken_at, weather FROM roll_check ORDER BY taken_at")]
for redact in (False, True):
    out = folder / f"export-{redact}"
    exports.export([path], "csv", out, redact=redact, fresh_key=redact)
    with (out / "roll_check.csv").open(encoding="utf-8") as handle:
        said[f"export_{redact}"] = [row[-2:] for row in csv.reader(handle)]
conn = sqlite3.connect(path, isolation_level=None)
conn.execute("ALTER TABLE roll_check DROP COLUMN weather")
conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", (schema.MIGRATIONS[-1].__name__,))
conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(since - 1),))
conn.close()
with VisitFile.open(path, readonly=True) as older:
    said["older"] = [list(r) for r in older.conn.execute(
        "SELECT taken_at, weather FROM roll_check ORDER BY taken_at")]
print(json.dumps(said))
"""


def test_a_column_added_to_the_roll_check_reaches_every_piece_derived_from_it(
    tmp_path: Path,
) -> None:
    said = _in_a_fresh_interpreter(NEW_ROLL_COLUMN, tmp_path)
    # last in the table, declared and migrated alike, and in the export (after the round)
    assert said["table"][-1] == "weather" and said["migrated"] == said["table"]
    assert "weather" in said["import_optional"]
    assert said["export"] == [
        ["round_id", "string", "The round it belongs to."],
        ["weather", "string", "The weather at the count."],
    ]
    assert said["policy"] == said["copy"] == redaction.KEEP
    assert said["decision"] == ["category", "the weather: names no one"]
    # the import reads it; a sheet made before it leaves it at its default; a value no
    # document can hold is refused in one line, and nothing of that file is written
    assert said["imported"] == [["2022-03-14T10:00", "Rain"], ["2022-03-15T10:00", ""]]
    assert "bad.csv, line 2, column weather" in said["refused"].splitlines()[0]
    assert said["refused"].splitlines()[-1] == "Nothing was imported."
    assert said["bundle"] == [
        ["taken_at", "weather"],
        ["2022-03-14T10:00", "Rain"],
        ["2022-03-15T10:00", ""],
    ]
    assert said["back"] == said["imported"]
    for redacted in (False, True):  # after the round's id (a keyed hash when redacted)
        exported = said[f"export_{redacted}"]
        assert exported[0] == ["round_id", "weather"]
        assert [row[1] for row in exported[1:]] == ["Rain", ""]
    assert said["older"] == [["2022-03-14T10:00", ""], ["2022-03-15T10:00", ""]]
