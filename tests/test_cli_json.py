"""``--json`` on every command that lists or reports (issue 23): each prints one JSON
document whose keys and types are exactly those docs/cli.md gives
(``irp_field.cli.json_shapes.SHAPES``, from which the page is written), on standard
output alone, with the exit code the command has without ``--json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from merge_helpers import cp

from irp_field.cli import main
from irp_field.cli.json_shapes import SHAPES, TYPES
from irp_field.core import schema
from irp_field.core.visit_file import VisitFile

_TYPED: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "list of strings": (list,),
}


def shape_problems(shape: Any, value: Any, where: str = "$") -> list[str]:
    """Where ``value`` differs from ``shape``: a key missing or extra, a wrong type."""
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return [f"{where}: {value!r} is not an object"]
        if "*" in shape:
            return [p for k, v in value.items() for p in shape_problems(shape["*"], v, where + k)]
        found = [f"{where}: keys {sorted(value)} are not {sorted(shape)}"]
        found = found if set(value) != set(shape) else []
        for key in set(shape) & set(value):
            found += shape_problems(shape[key], value[key], f"{where}.{key}")
        return found
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{where}: {value!r} is not a list"]
        return [p for i, item in enumerate(value) for p in shape_problems(shape[0], item, where)]
    kind = shape.split(":")[0]
    assert kind in TYPES, f"{where}: unknown type {kind!r}"
    if kind == "any" or (kind.endswith(" or null") and value is None):
        return []
    wanted = _TYPED[kind.removesuffix(" or null")]
    if isinstance(value, bool) and bool not in wanted:
        return [f"{where}: {value!r} is a boolean, not {kind}"]
    if not isinstance(value, wanted):
        return [f"{where}: {value!r} is not {kind}"]
    if kind == "list of strings" and not all(isinstance(item, str) for item in value):
        return [f"{where}: {value!r} is not a list of strings"]
    return []


def json_of(command: str, *args: str, code: int = 0, stdin: str | None = None) -> Any:
    """Run ``irp-field COMMAND ARGS --json``: its exit code as asked, standard output one
    JSON document of the documented shape (warnings and errors go to standard error)."""
    result = CliRunner().invoke(main, [*command.split(), *args, "--json"], input=stdin)
    assert result.exit_code == code, result.output + result.stderr
    document = json.loads(result.stdout)
    assert shape_problems(SHAPES[command], document) == []
    return document


def _json_commands(group: click.Group, prefix: str = "") -> set[str]:
    found = set()
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found |= _json_commands(command, f"{path} ")
        elif any(param.name == "as_json" for param in command.params):
            found.add(path)
    return found


def test_every_command_with_json_has_its_shape_documented_and_no_shape_is_left_over() -> None:
    asked = {
        "list", "check", "conflicts", "findings list", "rounds list", "sync", "parts list",
        "attachments list", "recipients list",
    }  # fmt: skip
    assert asked <= set(SHAPES)
    assert _json_commands(main) == set(SHAPES)


def test_the_validator_finds_a_missing_key_an_extra_key_and_a_wrong_type() -> None:
    shape = {"a": "string", "b": [{"c": "integer or null"}]}
    assert shape_problems(shape, {"a": "x", "b": [{"c": None}, {"c": 3}]}) == []
    assert shape_problems(shape, {"a": "x"})  # b missing
    assert shape_problems(shape, {"a": "x", "b": [], "d": 1})  # d extra
    assert shape_problems(shape, {"a": 1, "b": []})  # a is not a string
    assert shape_problems(shape, {"a": "x", "b": [{"c": True}]})  # a boolean is no integer


def test_list(hull_path: Path, irp_home: Path) -> None:
    folder = irp_home / "visits"
    folder.mkdir()
    cp(hull_path, folder / "hull.db")
    (folder / "broken.db").write_bytes(b"not a visit at all" * 100)
    found = json_of("list")
    assert found["folder"] == str(folder)
    by_file = {visit["file"]: visit for visit in found["visits"]}
    assert by_file["hull.db"]["establishment"] == "HMP Hull"
    assert by_file["hull.db"]["roll_checks"] == 66 and by_file["hull.db"]["problem"] is None
    assert by_file["broken.db"]["problem"] and by_file["broken.db"]["establishment"] is None


def test_check_exits_1_with_its_problems_in_the_json(hull_path: Path) -> None:
    clean = json_of("check", str(hull_path))
    assert (
        clean["ok"] is True
        and clean["integrity"] == "ok"
        and clean["schema_version"] == schema.SCHEMA_VERSION
    )
    with VisitFile.open(hull_path) as visit, visit.transaction():
        row = visit.one("SELECT id FROM roll_check LIMIT 1")
        assert row is not None
        visit.conn.execute("UPDATE roll_check SET locked_up = 9999 WHERE id = ?", (row["id"],))
    damaged = json_of("check", str(hull_path), code=1)
    assert damaged["ok"] is False and damaged["problems"]


def test_figures(hull_path: Path) -> None:
    found = json_of("figures", str(hull_path))
    assert found["roll.pct_locked_up"]["display"] == "40%"


def test_import_with_its_warnings(hull_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "extra.csv"
    csv.write_text(
        "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,elsewhere\n"
        "2022-03-16T16:00,A wing,500,100,100,100,100,100\n",
        encoding="utf-8",
    )
    found = json_of("import", str(hull_path), "roll-checks", str(csv))
    assert found == {"kind": "roll-checks", "file": "extra.csv", "rows": 1, "replaced": 0,
                     "warnings": found["warnings"]}  # fmt: skip
    assert any("capacity" in warning for warning in found["warnings"])


def test_sample_draw(hull_path: Path) -> None:
    found = json_of(
        "sample draw", str(hull_path), "--frame", "Case files", "--size", "3", "--seed", "7",
        "--population", "40",
    )  # fmt: skip
    assert found["size"] == 3 and found["listed"] == 40 and len(found["records"]) == 3
    assert len(found["list_sha256"]) == 64


def test_notes_search(hull_path: Path) -> None:
    found = json_of("notes search", str(hull_path), "NEWS2")
    assert found["query"] == "NEWS2" and found["notes"]
    assert all("NEWS2" in note["text"] for note in found["notes"])


def test_rounds_list(hull_path: Path) -> None:
    found = json_of("rounds list", str(hull_path))
    assert found["locations"] == 11
    assert [r["name"] for r in found["rounds"]][:2] == ["Mon AM", "Mon PM"]
    assert found["rounds"][0] | {"id": ""} == {
        "id": "", "name": "Mon AM", "day": "2022-03-14", "time": "10:00", "counted": 11
    }  # fmt: skip


def test_sync_and_sync_check_exits_1_when_out_of_date(hull_path: Path) -> None:
    with VisitFile.open(hull_path) as visit, visit.transaction():
        row = visit.one("SELECT id FROM roll_check WHERE deleted = 0 LIMIT 1")
        assert row is not None
        visit.delete("roll_check", row["id"])
    stale = json_of("sync", str(hull_path), "--check", code=1)
    assert stale["check"] is True and stale["written"] is False and stale["stale"]
    assert stale["changes"] and {c["number"] for c in stale["changes"]} == set(stale["stale"])
    synced = json_of("sync", str(hull_path))
    assert synced["written"] is True and synced["stale"] == stale["stale"]
    assert json_of("sync", str(hull_path), "--check")["stale"] == []


def test_findings_list(hull_path: Path) -> None:
    found = json_of("findings list", str(hull_path), "1.38")
    [unit] = found["units"]
    assert unit["refs"] == ["1.38"] and unit["judgement"] == "Insufficient progress"
    written = [p for p in unit["paragraphs"] if not p["conclusion"]]
    closing = [p for p in unit["paragraphs"] if p["conclusion"]]
    assert written[0]["number"] == "3.37" and written[0]["id"]
    assert "1.5 hours per day" in written[0]["text"]
    assert len(closing) == 1 and closing[0]["id"] is None
    everything = json_of("findings list", str(hull_path))
    assert len(everything["units"]) > 10


def test_evidence(hull_path: Path) -> None:
    found = json_of("evidence", str(hull_path), "1.38")
    assert found["refs"] == ["1.38"] and found["linked"]
    keys = {f["key"] for p in found["paragraphs"] for f in p["figures"]}
    assert "toc.by_group.unemployed.hours_per_day" in keys


def test_summary_list(hull_path: Path) -> None:
    added = CliRunner().invoke(
        main, ["summary", "add", str(hull_path), "The gym's peer mentors.", "--practice"]
    )
    assert added.exit_code == 0, added.output
    found = json_of("summary list", str(hull_path))
    sections = {p["section"] for p in found["paragraphs"]}
    assert sections == {"summary", "practice"}
    assert found["paragraphs"][0]["number"] == "1.1"


def test_parts_list(hull_path: Path) -> None:
    found = json_of("parts list", str(hull_path))
    by_key = {part["key"]: part for part in found["parts"]}
    assert by_key["signature_name"]["text"] == "Charlie Taylor"
    assert by_key["signature_name"]["own"] is True and by_key["signature_name"]["one_line"]


def test_glossary_list(hull_path: Path) -> None:
    found = json_of("glossary list", str(hull_path))
    assert any(term["term"] == "Care Quality Commission (CQC)" for term in found["terms"])


def test_outcomes_list(hull_path: Path) -> None:
    found = json_of("outcomes list", str(hull_path))
    assert {"year": "2018", "test": "Safety", "judgement": "Reasonably good"} in found["outcomes"]


def test_attachments_list(hull_path: Path) -> None:
    [found] = json_of("attachments list", str(hull_path))["attachments"]
    assert found["file_name"] == "segregation-unit-exercise-bicycles.png"
    assert found["size"] == 2646 and found["kind"] == "png"
    assert found["attached_to"] == "paragraph 3.12" and found["target_kind"] == "paragraph"


def test_recipients_list(hull_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(main, ["keys", "new"])
    key = made.stdout.strip()
    assert made.exit_code == 0 and key.startswith("age1")
    assert runner.invoke(main, ["recipients", "add", str(hull_path), key]).exit_code == 0
    found = json_of("recipients list", str(hull_path))
    assert found == {"recipients": [{"key": key, "this_installation": True}]}


def _two_versions(hull_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    for path, text, user in ((jade, "Jade's version", "Jade"), (paul, "Paul's version", "Paul")):
        with VisitFile.open(path, user=user) as visit, visit.transaction():
            row = visit.one("SELECT id FROM note ORDER BY id LIMIT 1")
            assert row is not None
            visit.update("note", row["id"], {"text": text})
    return jade, paul


def test_merge(hull_path: Path, tmp_path: Path) -> None:
    jade, paul = _two_versions(hull_path, tmp_path)
    dry = json_of("merge", str(jade), str(paul), "--dry-run")
    assert dry["dry_run"] is True and dry["backup"] is None
    found = json_of("merge", str(jade), str(paul))
    assert found["target"] == str(jade) and found["conflicts"] == 1 and found["backup"]
    [notes] = [kind for kind in found["kinds"] if kind["kind"] == "note"]
    assert notes["conflicts"] == 1 and notes["label"]
    again = json_of("merge", str(jade), str(paul))
    assert again["unchanged"] == [str(paul)] and again["kinds"] == []


def test_conflicts(hull_path: Path, tmp_path: Path) -> None:
    jade, paul = _two_versions(hull_path, tmp_path)
    json_of("merge", str(jade), str(paul))
    [conflict] = json_of("conflicts", str(jade))["conflicts"]
    assert conflict["table"] == "note" and conflict["what"].startswith("note by")
    [text] = [d for d in conflict["differences"] if d["field"] == "text"]
    assert {text["kept"], text["other"]} == {"Jade's version", "Paul's version"}
    kept_by = text["kept"].split("'")[0]  # who wrote the version kept now
    assert kept_by in conflict["kept"]["by"] and kept_by not in conflict["other"]["by"]
    both = CliRunner().invoke(
        main, ["conflicts", str(jade), "--resolve", conflict["id"], "--keep", "kept", "--json"]
    )
    assert both.exit_code == 2 and "--resolve" in both.stderr  # a usage error, nothing settled
    assert len(json_of("conflicts", str(jade))["conflicts"]) == 1


@pytest.mark.parametrize("command", sorted(set(SHAPES) - {"list"}))  # list reads no visit
def test_json_goes_to_standard_output_alone_and_errors_to_standard_error(
    command: str, tmp_path: Path
) -> None:
    """A refusal with --json is the same one line on standard error and the same exit
    code, and nothing on standard output that a script could take for an answer."""
    missing = str(tmp_path / "nowhere.db")
    args = {
        "merge": [missing, missing],
        "import": [missing, "notes", missing],
        "sample draw": [missing, "--frame", "F", "--size", "1", "--seed", "1", "--population", "3"],
        "notes search": [missing, "x"],
        "evidence": [missing, "1.38"],
        "purge": [missing, "note"],
        "restore": [missing, "note"],
    }.get(command, [missing])
    result = CliRunner().invoke(main, [*command.split(), *args, "--json"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_check_and_merge_say_the_purges_in_the_json(hull_path: Path, tmp_path: Path) -> None:
    """A purge is the team leader's to see: check lists each one, and a merge that
    carries one out says so, in the JSON as on the screen."""
    laptop = cp(hull_path, tmp_path / "paul.db")
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        note = visit.one("SELECT id FROM note WHERE deleted = 0 LIMIT 1")
        assert note is not None
    reason = "a prisoner's name in the wrong note"
    result = CliRunner().invoke(
        main, ["purge", str(hull_path), "note", str(note["id"]), "--reason", reason]
    )
    assert result.exit_code == 0, result.output
    [line] = json_of("check", str(hull_path))["purges"]
    assert line.startswith("note by ") and line.endswith(f": {reason}"), line
    merged = json_of("merge", str(laptop), str(hull_path))
    assert [line.endswith(f": {reason})") for line in merged["purged"]] == [True]
    assert all(line.startswith("backups/") for line in merged["snapshots"])


def test_purge_lists_and_purges(hull_path: Path) -> None:
    listed = json_of("purge", str(hull_path), "data-return")
    assert listed["kind"] == "data-return" and listed["purged"] == [] and listed["records"]
    first = listed["records"][0]
    assert first["id"].startswith(first["short"]) and first["deleted"] is False
    done = json_of(
        "purge", str(hull_path), "data-return", first["short"], "--reason", "a name in it"
    )
    assert done["purged"] == [first["what"]] and done["records"] == []
    again = json_of("purge", str(hull_path), "data-return")["records"]
    assert first["id"] not in [record["id"] for record in again]
