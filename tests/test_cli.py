"""Every command through click's runner: output, exit codes, and no tracebacks on bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from irp_field.cli import main
from irp_field.core import schema


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("path", _commands(main))
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    assert command.help and len(command.help.strip()) > 10, path
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_new_list_check_and_figures(tmp_path: Path, irp_home: Path) -> None:
    result = run(
        "new", "hull", "--establishment", "HMP Hull", "--start", "2022-03-14", "--end", "2022-03-16"
    )
    assert result.exit_code == 0, result.output
    path = irp_home / "visits" / "hull.db"
    assert path.exists() and str(path) in result.output
    listed = run("list")
    assert "HMP Hull" in listed.output and "hull.db" in listed.output
    checked = run("check", "hull")
    assert checked.exit_code == 0
    assert (
        "integrity: ok" in checked.output
        and f"schema version: {schema.SCHEMA_VERSION}" in checked.output
    )
    figures = json.loads(run("figures", "hull", "--json").output)
    assert figures["roll.checks"] == {
        "key": "roll.checks",
        "value": 0,
        "display": "0",
        "n": 0,
        "unit": "count",
        "definition": "roll checks recorded",
        "about": "",
    }


def test_the_figures_table_prints_names_as_typed(tmp_path: Path) -> None:
    """A location named with square brackets ("[b] wing") is printed, not read as rich markup."""
    from irp_field.core.visit_file import VisitFile

    with (
        VisitFile.create(
            tmp_path / "v.db",
            establishment="HMP Test",
            start_date="2026-01-12",
            end_date="2026-01-14",
        ) as visit,
        visit.transaction(),
    ):
        place = visit.insert("location", {"name": "[b] wing", "kind": "wing"})
        visit.insert(
            "roll_check",
            {"location_id": place, "taken_at": "2026-01-12T09:00", "roll": 10, "locked_up": 4},
        )
    result = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["figures", str(tmp_path / "v.db")])
    assert result.exit_code == 0, result.output
    assert "locked up over the sum of rolls at [b] wing" in result.output
    assert "roll.by_location.b_wing.pct_locked_up" in result.output and "40%" in result.output


def test_new_refuses_bad_dates_without_a_traceback(irp_home: Path) -> None:
    result = CliRunner().invoke(
        main, ["new", "x", "--establishment", "E", "--start", "2022-02-30", "--end", "2022-03-01"]
    )
    assert result.exit_code == 1
    assert "'2022-02-30' is not a date" in result.output
    assert "Traceback" not in result.output
    assert not (irp_home / "visits" / "x.db").exists()


def test_import_and_figures_and_the_second_import(hull_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "roll.csv"
    csv.write_text(
        "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,elsewhere,round,inspector,note\n"
        "2022-03-16T16:00,A wing,100,100,0,0,0,0,Wed late,Jade Richards,\n"
    )
    before = json.loads(run("figures", str(hull_path), "--json").output)
    result = run("import", str(hull_path), "roll-checks", str(csv), "--by", "Jade Richards")
    assert result.exit_code == 0 and "Imported 1 roll-checks row(s)" in result.output
    after = json.loads(run("figures", str(hull_path), "--json").output)
    assert after["roll.checks"]["value"] == before["roll.checks"]["value"] + 1
    assert after["roll.pct_locked_up"]["value"] > before["roll.pct_locked_up"]["value"]
    again = run("import", str(hull_path), "roll-checks", str(csv))
    assert (  # nothing imported: exit 1 (it was 0 before issue 13)
        again.exit_code == 1
        and "already imported" in again.output
        and "Jade Richards" in again.output
    )


def test_a_bad_import_names_file_line_and_column(hull_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text(
        "date,subject,group,start,end,activity\n2022-03-14,U99,Unemployed,10:00,09:00,gym\n"
    )
    by = ["--by", "Jade Richards"]  # a member imports: the line's own problem is what is said
    result = CliRunner().invoke(main, ["import", str(hull_path), "time-out-of-cell", str(csv), *by])
    assert result.exit_code == 1
    assert "bad.csv, line 2, column end:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"", b"hello", b"SQLite format 3\x00" + bytes(50)])
def test_commands_refuse_files_that_are_not_visits(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    for args in (
        ["check", str(bad)],
        ["figures", str(bad)],
        ["import", str(bad), "team", str(bad)],
        ["notes", "search", str(bad), "x"],
        ["export", str(bad), "--format", "bundle", "--out", str(tmp_path / "o")],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, args
        assert result.output.startswith("Error: ") and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert bad.read_bytes() == content


def test_figures_refuse_a_damaged_page_in_one_line(hull_path: Path) -> None:
    """`figures` runs the whole-file check beside its reading, not before it: a damaged
    page it meets while reading is refused just as an opening would refuse it (damage
    elsewhere is the hardening tests' `scribbled` file, refused when the check ends)."""
    import sqlite3

    conn = sqlite3.connect(hull_path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    # a page the roll figures read: the kept sums by location (no longer the checks)
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'roll_tally_location'"
    ).fetchone()[0]
    conn.close()
    data = bytearray(hull_path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = bytes(range(256)) * (page_size // 256)
    hull_path.write_bytes(bytes(data))
    result = CliRunner().invoke(main, ["figures", str(hull_path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {hull_path}: is damaged (")
    assert "irp-field check" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_sample_draw_and_notes_search(hull_path: Path) -> None:
    result = run(
        "sample",
        "draw",
        str(hull_path),
        "--frame",
        "Key work records",
        "--size",
        "4",
        "--seed",
        "11",
        "--population",
        "60",
        "--criteria",
        "Recorded;Meaningful",
        "--plan-ref",
        "6.19",
    )
    assert result.exit_code == 0, result.output
    assert "Drew 4 of 60 records" in result.output and "seed 11" in result.output
    assert "List SHA-256: " in result.output
    refused = CliRunner().invoke(
        main, ["sample", "draw", str(hull_path), "--frame", "X", "--size", "4", "--seed", "1"]
    )
    assert refused.exit_code == 2 and "exactly one of --population" in refused.output
    found = run("notes", "search", str(hull_path), "NEWS2")
    assert found.exit_code == 0 and "NEWS2" in found.output and "1.35" in found.output
    bad_query = CliRunner().invoke(main, ["notes", "search", str(hull_path), '"unbalanced'])
    assert bad_query.exit_code == 1 and "cannot search" in bad_query.output


def test_square_brackets_typed_by_inspectors_are_printed_as_typed(
    hull_path: Path, tmp_path: Path
) -> None:
    """Notes and frame names print what was typed: "[sic]" is not a style and "[/]" is
    not a closing tag (a lone "[/]" stopped `notes search` with a rich MarkupError)."""
    from irp_field.core.visit_file import VisitFile

    with VisitFile.open(hull_path, readonly=True) as hull:
        author = hull.query("SELECT name FROM team_member ORDER BY name LIMIT 1")[0][0]
    notes = tmp_path / "notes.csv"
    notes.write_text(
        "source,taken_at,author,text,plan_refs,tags\n"
        f"staff,2022-03-15T10:00,{author},Officer said the regime [sic] was [/] fine,,\n",
        encoding="utf-8",
    )
    assert run("import", str(hull_path), "notes", str(notes)).exit_code == 0
    found = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["notes", "search", str(hull_path), "regime"]
    )
    assert found.exit_code == 0, found.output
    assert "Officer said the regime [sic] was [/] fine" in found.output
    drawn = run(
        "sample", "draw", str(hull_path), "--frame", "[b] files", "--size", "2",
        "--seed", "3", "--population", "9",
    )  # fmt: skip
    assert drawn.exit_code == 0 and "for '[b] files' with seed 3" in drawn.output


def test_sample_draw_from_a_list(hull_path: Path, tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("record\nCF-1\nCF-2\nCF-3\nCF-4\n")
    result = run(
        "sample",
        "draw",
        str(hull_path),
        "--frame",
        "Case files",
        "--size",
        "2",
        "--seed",
        "5",
        "--from",
        str(listing),
    )
    assert result.exit_code == 0, result.output
    assert "Drew 2 of 4 records" in result.output


def test_export_bundle_and_new_from_it(hull_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    assert run("export", str(hull_path), "--format", "bundle", "--out", str(out)).exit_code == 0
    assert (out / "visit.toml").exists() and (out / "findings.md").exists()
    made = run("new", str(tmp_path / "again.db"), "--from", str(out))
    assert made.exit_code == 0, made.output
    assert (
        json.loads(run("figures", str(tmp_path / "again.db"), "--json").output)[
            "roll.pct_locked_up"
        ]["display"]
        == "40%"
    )
    refused = CliRunner().invoke(
        main, ["export", str(hull_path), "--format", "bundle", "--out", str(out)]
    )
    assert refused.exit_code == 1 and "not an empty folder" in refused.output


def test_demo_without_ui_from_any_folder(
    tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("demo", "--no-ui")
    assert result.exit_code == 0, result.output
    demo = irp_home / "visits" / "hmp-hull-2022.db"
    assert str(demo) in result.output
    assert "Locked up (roll checks): 40%" in result.output
    assert "HMIP recommendations judged: 9" in result.output
    assert "Unemployed: 1.5 hours" in result.output  # 3.37, by group as the report quotes it
    # a second run keeps the inspector's copy; --fresh starts again and keeps the old one
    stamp = demo.stat().st_mtime_ns
    assert run("demo", "--no-ui").exit_code == 0
    assert demo.stat().st_mtime_ns == stamp
    assert run("demo", "--no-ui", "--fresh").exit_code == 0
    assert len(list((irp_home / "backups").glob("hmp-hull-2022-*.db"))) == 1


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_read_only_visit_is_refused_for_writing(hull_path: Path, tmp_path: Path) -> None:
    hull_path.chmod(0o400)
    try:
        csv = tmp_path / "t.csv"
        csv.write_text("name,role,body\nA,B,HMIP\n")
        result = CliRunner().invoke(main, ["import", str(hull_path), "team", str(csv)])
        if os.geteuid() == 0:
            pytest.skip("root can write read-only files")
        assert result.exit_code == 1 and "read-only" in result.output
    finally:
        hull_path.chmod(0o600)


@pytest.mark.parametrize("columns", [80, 130])
def test_the_visits_list_keeps_each_kind_of_evidence_whole(
    hull_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    """At 80 columns the evidence wrapped a word a line ("66 roll checks, / 45 notes, 74 /
    periods, 42"); it is a kind a line there, and one line where the terminal holds it."""
    (irp_home / "visits").mkdir(parents=True, exist_ok=True)
    hull_path.rename(irp_home / "visits" / "hull.db")
    monkeypatch.setenv("COLUMNS", str(columns))  # the width rich lays the table out in
    listed = run("list").output.splitlines()
    evidence = ["66 roll checks", "45 notes", "74 periods", "42 sampled", "57 findings"]
    assert all(any(kind in line for line in listed) for kind in evidence), listed
    assert all(len(line) <= columns for line in listed)
    (first,) = [line for line in listed if "hull.db" in line]
    assert (", ".join(evidence) in first) == (columns >= 130)
