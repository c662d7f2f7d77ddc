"""The command line in scripts and pipes (issue 23): ``-`` reads standard input, progress
bars show only on a terminal's standard error (never piped, never with --json), and
``figures`` never cuts a figure's name (people copy them into templates)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.interchange import imports

HEADER = "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,elsewhere"
ROWS = "2022-03-16T16:00,A wing,100,40,20,20,10,10\n2022-03-16T16:05,B wing,90,30,20,20,10,10\n"


def run(*args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def _checks(path: Path) -> int:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.one("SELECT count(*) AS n FROM roll_check WHERE deleted = 0")
        assert row is not None
        return int(row["n"])


def _nothing_left_in_tmp(irp_home: Path) -> bool:
    folder = irp_home / "tmp"
    return not folder.exists() or not any(folder.iterdir())


def test_import_reads_standard_input_and_knows_it_again(hull_path: Path, irp_home: Path) -> None:
    before = _checks(hull_path)
    done = run("import", str(hull_path), "roll-checks", "-", stdin=f"{HEADER}\n{ROWS}")
    assert done.exit_code == 0, done.output + done.stderr
    assert done.stdout == "Imported 2 roll-checks row(s) from standard input.\n"
    assert _checks(hull_path) == before + 2
    again = run("import", str(hull_path), "roll-checks", "-", stdin=f"{HEADER}\n{ROWS}")
    assert again.exit_code == 1 and _checks(hull_path) == before + 2
    assert again.stderr.startswith("Error: standard input was already imported into this visit")
    assert _nothing_left_in_tmp(irp_home)  # the private copy went, both times


def test_a_refused_row_on_standard_input_is_named_by_line_and_column(
    hull_path: Path, irp_home: Path
) -> None:
    before = _checks(hull_path)
    bad = f"{HEADER}\n{ROWS}2022-03-16T16:10,C wing,10,90,0,0,0,0\n"
    refused = run("import", str(hull_path), "roll-checks", "-", stdin=bad)
    assert refused.exit_code == 1 and refused.stdout == ""
    assert refused.stderr.startswith("Error: standard input, line 4, column roll: ")
    assert _checks(hull_path) == before and _nothing_left_in_tmp(irp_home)


def test_a_location_counted_twice_on_standard_input_names_both_lines(hull_path: Path) -> None:
    """The refusal reads the file again to name the earlier line: the private copy."""
    twice = f"{HEADER}\n{ROWS}2022-03-16T16:20,A wing,100,40,20,20,10,10\n"
    refused = run("import", str(hull_path), "roll-checks", "-", stdin=twice)
    assert refused.exit_code == 1
    assert "line 4" in refused.stderr and "line 2" in refused.stderr, refused.stderr


def test_standard_input_past_its_cap_is_refused_and_nothing_is_kept(
    hull_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "STREAM_CAP", 64)
    before = _checks(hull_path)
    refused = run("import", str(hull_path), "roll-checks", "-", stdin=f"{HEADER}\n{ROWS}")
    assert refused.exit_code == 1 and "standard input: more than" in refused.stderr
    assert refused.stderr.count("\n") == 1 and "save it to a file" in refused.stderr
    assert _checks(hull_path) == before and _nothing_left_in_tmp(irp_home)


def test_sample_draw_reads_its_list_from_standard_input(hull_path: Path, tmp_path: Path) -> None:
    listed = "record\nUOF-1\nUOF-2\nUOF-3\nUOF-4\n"
    (tmp_path / "list.csv").write_text(listed, encoding="utf-8")
    common = ("--size", "2", "--seed", "11", "--json")
    piped = run("sample", "draw", str(hull_path), "--frame", "Piped", "--from", "-", *common,
                stdin=listed)  # fmt: skip
    from_file = run("sample", "draw", str(hull_path), "--frame", "Filed", "--from",
                    str(tmp_path / "list.csv"), *common)  # fmt: skip
    assert piped.exit_code == 0, piped.output + piped.stderr
    drawn, filed = json.loads(piped.stdout), json.loads(from_file.stdout)
    assert drawn["listed"] == 4 and drawn["records"] == filed["records"]
    assert drawn["list_sha256"] == filed["list_sha256"]
    empty = run("sample", "draw", str(hull_path), "--frame", "None", "--from", "-", *common,
                stdin="record\n")  # fmt: skip
    assert empty.exit_code == 1 and "standard input" in empty.stderr


# -- progress bars ---------------------------------------------------------------------


def _on_a_terminal(*args: str) -> tuple[int, str, str]:
    """Run irp-field with its standard error on a pseudo-terminal (as a person's) and its
    standard output piped: (exit code, what the terminal showed, standard output)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    child = subprocess.Popen(
        [sys.executable, "-m", "irp_field", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal (EIO)
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    out = child.stdout.read() if child.stdout else b""
    code = child.wait(timeout=120)
    return code, shown.decode("utf-8", "replace"), out.decode("utf-8")


needs_a_terminal = pytest.mark.skipif(sys.platform == "win32", reason="pty is POSIX")


@needs_a_terminal
def test_import_and_export_show_progress_on_a_terminal_only_and_never_with_json(
    hull_path: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "evening.csv"
    csv.write_text(f"{HEADER}\n{ROWS}", encoding="utf-8")
    code, shown, out = _on_a_terminal("import", str(hull_path), "roll-checks", str(csv))
    assert code == 0 and "Importing evening.csv" in shown
    assert "Importing" not in out  # the bar stays on the terminal's standard error
    code, shown, out = _on_a_terminal(
        "export", str(hull_path), "--format", "json", "--out", str(tmp_path / "hull.json")
    )
    assert code == 0 and "Exporting hull.db" in shown and out.startswith("Wrote ")
    later = tmp_path / "later.csv"
    later.write_text(f"{HEADER}\n{ROWS.replace('T16:', 'T17:')}", encoding="utf-8")
    code, shown, out = _on_a_terminal("import", str(hull_path), "roll-checks", str(later), "--json")
    assert code == 0 and "Importing" not in shown and json.loads(out)["rows"] == 2
    # standard error piped (a script, a CI log): no bar
    again = tmp_path / "again.csv"
    again.write_text(f"{HEADER}\n{ROWS.replace('T16:', 'T18:')}", encoding="utf-8")
    imported = run("import", str(hull_path), "roll-checks", str(again))
    exported = run("export", str(hull_path), "--format", "csv", "--out", str(tmp_path / "csv"))
    assert imported.exit_code == 0 and exported.exit_code == 0
    assert imported.stderr == "" and exported.stderr == ""


# -- figures' names --------------------------------------------------------------------


def _names(path: Path) -> list[str]:
    return list(json.loads(run("figures", str(path), "--json").stdout))


def test_figures_never_cuts_a_name(hull_path: Path) -> None:
    """Hull's longest names (sample.news2_observations.full_set_of_observations_recorded
    .applicable, 70 characters) were cut to 'roll.by_location.a_wing.p…' at 80 columns (and
    so in any pipe); where the table holds every name whole, it is still the table."""
    names = _names(hull_path)
    assert max(len(name) for name in names) >= 70
    for columns in ("80", "200"):
        shown = CliRunner(env={"COLUMNS": columns}).invoke(main, ["figures", str(hull_path)])
        assert shown.exit_code == 0 and "…" not in shown.stdout
        words = {word for line in shown.stdout.splitlines() for word in line.split()}
        assert set(names) <= words, sorted(set(names) - words)[:3]
        assert ("┃ Figure" in shown.stdout) is (columns == "200")


def test_demo_prints_each_key_figure_name_on_one_line(irp_home: Path) -> None:
    """Narrower than a name (a split pane), the name is still whole: the terminal folds
    the line, and copies it whole."""
    shown = CliRunner(env={"COLUMNS": "40"}).invoke(main, ["demo", "--no-ui"])
    assert shown.exit_code == 0, shown.output
    assert "(toc.by_group.part_time_education.hours_per_day)" in shown.stdout


# -- shell completion --------------------------------------------------------------------

DOCS = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def test_the_documented_completion_scripts_are_written(irp_home: Path) -> None:
    """Each shell's line in docs/cli.md gives that shell's script."""
    documented = [
        line.split()[0].split("=", 1)[1]
        for line in DOCS.read_text(encoding="utf-8").splitlines()
        if line.startswith("_IRP_FIELD_COMPLETE=")
    ]
    assert documented == ["bash_source", "zsh_source", "fish_source"]
    for shell in documented:
        script = CliRunner(env={"_IRP_FIELD_COMPLETE": shell}).invoke(
            main, [], prog_name="irp-field"
        )
        assert script.exit_code == 0 and "_IRP_FIELD_COMPLETE" in script.stdout, shell


def test_tab_completes_the_visits_in_the_data_folder(hull_path: Path, irp_home: Path) -> None:
    from click.shell_completion import ShellComplete
    from merge_helpers import cp

    (irp_home / "visits").mkdir()
    cp(hull_path, irp_home / "visits" / "hull-2022.db")
    cp(hull_path, irp_home / "visits" / "leeds.db")
    completing = ShellComplete(main, {}, "irp-field", "_IRP_FIELD_COMPLETE")
    offered = completing.get_completions(["rounds", "list"], "hu")
    assert [(item.value, item.type) for item in offered] == [("hull-2022", "plain"), ("hu", "file")]
    commands = completing.get_completions([], "rou")
    assert [item.value for item in commands] == ["rounds"]
