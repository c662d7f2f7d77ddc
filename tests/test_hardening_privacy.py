"""Privacy and security: private file modes, no network, the template sandbox against
known escapes, hostile names in every free-text field, and redacted exports."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from merge_helpers import cp
from test_export import _all_bytes, _appears, _secrets

from irp_field import figures
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.findings.templates import FindingError, Renderer
from irp_field.interchange import samples
from irp_field.interchange.imports import KINDS

EXPORT_FORMATS = ("sqlite", "csv", "json", "xlsx", "bundle")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _modes(folder: Path) -> dict[str, int]:
    found = {str(folder): stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path)] = stat.S_IMODE(path.stat().st_mode)
    return found


# -- file modes ---------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_visits_backups_and_exports_are_private(tmp_path: Path, irp_home: Path) -> None:
    """Created with a permissive umask, as on many desktops: still 0600 files, 0700 folders."""
    old = os.umask(0o022)
    try:
        assert run("demo", "--no-ui").exit_code == 0
        made = run(
            "new", "x", "--establishment", "E", "--start", "2022-01-01", "--end", "2022-01-02"
        )
        assert made.exit_code == 0
        demo = irp_home / "visits" / f"{samples.HULL}.db"
        laptop = cp(demo, tmp_path / "laptop.db")
        member = ("--by", "Jade Richards")  # who records a paragraph: on the team
        assert run("findings", "add", str(laptop), "1.33", "A paragraph.", *member).exit_code == 0
        assert run("merge", str(demo), str(laptop)).exit_code == 0
        assert run("demo", "--no-ui", "--fresh").exit_code == 0
        outs = tmp_path / "exports"
        outs.mkdir()
        for export_format in EXPORT_FORMATS:
            for redact in ((), ("--redact",)):
                out = outs / f"{export_format}{'-redacted' if redact else ''}"
                done = run(
                    "export", str(laptop), "--format", export_format, "--out", str(out), *redact
                )
                assert done.exit_code == 0, done.output
        for report_format in ("md", "html", "docx"):
            out = outs / f"report.{report_format}"
            done = run("report", str(laptop), "--format", report_format, "--out", str(out))
            assert done.exit_code == 0, done.output
    finally:
        os.umask(old)
    home = _modes(irp_home)
    for path, mode in home.items():
        assert mode == (0o700 if Path(path).is_dir() else 0o600), (path, oct(mode))
    assert len(list((irp_home / "backups").glob("*.db"))) == 2  # merge snapshot, demo --fresh
    exported = _modes(outs)
    exported.pop(str(outs))
    # Datasette's metadata (NAME.metadata.json) is held to 0600 like everything else.
    for path, mode in exported.items():
        assert mode == (0o700 if Path(path).is_dir() else 0o600), (path, oct(mode))


# -- no network ---------------------------------------------------------------------

NO_NETWORK = textwrap.dedent(
    """
    import socket

    class NetworkUsed(RuntimeError):
        pass

    def refuse(*args, **kwargs):
        raise NetworkUsed("irp-field tried to use the network")

    socket.socket.__init__ = refuse
    socket.socket.connect = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    """
)

SESSION = textwrap.dedent(
    """
    import json, sys
    from click.testing import CliRunner
    from irp_field.cli import main

    results = []
    for args in json.loads(sys.argv[1]):
        result = CliRunner().invoke(main, args)
        failure = repr(result.exception) if result.exception and not isinstance(
            result.exception, SystemExit) else ""
        results.append([args, result.exit_code, failure, result.output[-300:]])
    print(json.dumps(results))
    """
)


def test_the_main_commands_work_with_the_network_blocked(tmp_path: Path, irp_home: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(NO_NETWORK)
    env = {**os.environ, "PYTHONPATH": str(blocker), "IRP_FIELD_HOME": str(irp_home)}
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert "NetworkUsed" in probe.stderr  # the blocker is in force in the child
    v = str(irp_home / "visits" / f"{samples.HULL}.db")
    copy = str(tmp_path / "copy.db")
    csv_file = tmp_path / "team.csv"
    csv_file.write_text("name,role,body\nNew Inspector,Inspector,HMIP\n")
    commands = [
        ["demo", "--no-ui"],
        [
            "new",
            "empty",
            "--establishment",
            "HMP X",
            "--start",
            "2022-01-01",
            "--end",
            "2022-01-02",
        ],
        ["list"],
        ["check", v],
        ["import", v, "team", str(csv_file)],
        ["figures", v, "--json"],
        ["sample", "draw", v, "--frame", "Net", "--size", "3", "--seed", "4", "--population", "20"],
        ["notes", "search", v, "strategy"],
        # by a member: who records a paragraph is on the team (domain.recorders)
        [
            "findings",
            "add",
            v,
            "1.33",
            "Locked up: {{ roll.pct_locked_up }}.",
            "--by",
            "Jade Richards",
        ],
        ["findings", "list", v],
        ["judge", v, "1.33", "good", "--why", "offline"],
        ["sync", v],
        ["sync", v, "--check"],
        ["evidence", v, "1.33"],
        ["report", v, "--format", "html", "--out", str(tmp_path / "r.html")],
        ["report", v, "--format", "docx", "--out", str(tmp_path / "r.docx")],
        *(
            ["export", v, "--format", f, "--out", str(tmp_path / f"out-{f}"), "--redact"]
            for f in EXPORT_FORMATS
        ),
        ["conflicts", v],
    ]
    first = subprocess.run(
        [sys.executable, "-c", SESSION, json.dumps(commands)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr
    second = subprocess.run(  # merge needs a copy made after the first session
        [sys.executable, "-c", SESSION, json.dumps([["merge", v, cp(Path(v), Path(copy)).name]])],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert second.returncode == 0, second.stderr
    for args, exit_code, failure, output in [*json.loads(first.stdout), *json.loads(second.stdout)]:
        assert exit_code == 0 and not failure, (args, failure, output)


# -- the template sandbox: known escapes (test_findings_sync.py has the basic ones) ---

ESCAPES = [
    "{{ roll|attr('__class__') }}",
    "{{ ''|attr('__class__')|attr('__mro__') }}",
    "{{ (roll|attr('__dict__')) }}",
    "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{% for k in roll.__dict__ %}{{ k }}{% endfor %}",
    "{{ self.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ request.application.__globals__ }}",
    "{{ config.items() }}",
    "{{ '{0.__class__}'.format(roll) }}",
    "{{ '{0.__init__.__globals__}'.format(roll) }}",
    "{{ '{x.__class__.__mro__}'.format_map({'x': roll}) }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ range.__class__ }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% extends '/etc/hostname' %}",
    "{{ roll.__getattr__('__class__') }}",
    "{{ roll['__class__'] }}",
    "{{ roll._children }}",
    "{{ roll._used }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ [].pop.__self__ }}",
]


@pytest.mark.parametrize("template", ESCAPES)
def test_the_sandbox_refuses_known_escapes(hull: VisitFile, template: str) -> None:
    renderer = Renderer(figures.compute(hull))
    with pytest.raises(FindingError, match=r"^paragraph 3\.98 \(1\.33\): ") as error:
        renderer.render(f"Text {template}", "paragraph 3.98 (1.33)")
    assert "\n" not in str(error.value)
    assert "root:" not in str(error.value) and "uid=" not in str(error.value)


# -- hostile names: SQL identifiers never come from input ----------------------------

H = 'O\'Brien "A"; DROP TABLE note; -- ]x'


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _tables(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return sorted(conn.execute("SELECT type, name FROM sqlite_master").fetchall())
    finally:
        conn.close()


def test_hostile_names_in_every_free_text_field(hull_path: Path, tmp_path: Path) -> None:
    v = str(hull_path)
    before = _tables(hull_path)
    team, place = f"{H} team", f"{H} wing"
    roll_columns = [*KINDS["roll-checks"].required, *KINDS["roll-checks"].optional]
    checked = {  # by column: a count left out (a category the test does not know) is 0
        "taken_at": "2022-03-16T09:00", "location": place, "roll": "10", "locked_up": "4",
        "off_wing_activity": "2", "wing_work": "2", "unlocked_on_wing": "1", "elsewhere": "1",
        "round": H, "inspector": team, "note": H,
    }  # fmt: skip
    imports = {
        "team": (["name", "role", "body"], [[team, H, "HMIP"]]),
        "locations": (["name", "kind", "capacity"], [[place, "wing", "10"]]),
        "plan": (
            ["ref", "kind", "body", "area", "concern", "text", "judgement", "group"],
            [["9.1", "recommendation", "HMIP", "Safety", H, H, "", ""]],
        ),
        "roll-checks": (roll_columns, [[checked.get(c, "0") for c in roll_columns]]),
        "time-out-of-cell": (
            ["date", "subject", "group", "start", "end", "activity"],
            [["2022-03-16", H, f"{H} group", "09:00", "10:30", "gym"]],
        ),
        "notes": (
            ["source", "taken_at", "author", "text", "plan_refs", "tags"],
            [["staff", "2022-03-16T10:00", team, H, "9.1", f"{H};x"]],
        ),
        "data": (
            ["key", "value", "unit", "period", "source", "label"],
            [["hostile_key", "3", "count", H, H, H]],
        ),
    }
    member = ("--by", "Jade Richards")  # who imports periods or answers records them: a member
    for kind, (header, rows) in imports.items():
        done = run("import", v, kind, str(_csv(tmp_path / f"{kind}.csv", header, rows)), *member)
        assert done.exit_code == 0, (kind, done.output)
    sample = _csv(
        tmp_path / "sample.csv", ["record", "criterion", "answer", "comment"], [[H, H, "yes", H]]
    )
    done = run(
        "import", v, "sample", str(sample), "--frame", f"{H} frame", "--population", "9", *member
    )
    assert done.exit_code == 0, done.output
    drawn = run(
        "sample",
        "draw",
        v,
        "--frame",
        f"{H} drawn",
        "--size",
        "2",
        "--seed",
        "1",
        "--population",
        "5",
        "--criteria",
        f"{H} one;{H} two",
        "--plan-ref",
        "9.1",
    )
    assert drawn.exit_code == 0, drawn.output
    assert run("findings", "add", v, "9.1", f"Paragraph {H}", *member).exit_code == 0
    assert run("judge", v, "9.1", "insufficient", "--why", H).exit_code == 0
    searched = CliRunner().invoke(main, ["notes", "search", v, H])
    assert searched.exception is None or isinstance(searched.exception, SystemExit)
    assert searched.exit_code == 0 or searched.output.startswith("Error: cannot search")
    assert run("notes", "search", v, '"DROP TABLE"').exit_code == 0

    computed = json.loads(run("figures", v, "--json").output)
    assert computed["roll.checks"]["value"] > 0
    assert any("o_brien_a_drop_table_note_x_wing" in key for key in computed)
    for export_format in EXPORT_FORMATS:
        out = tmp_path / f"export-{export_format}"
        assert run("export", v, "--format", export_format, "--out", str(out)).exit_code == 0
        if export_format in ("json", "csv", "bundle"):
            data = _all_bytes(out)
            forms = (H, H.replace('"', '""'), json.dumps(H)[1:-1])  # as written, CSV, JSON
            assert any(form.encode() in data for form in forms), export_format
    for report_format in ("md", "html", "docx"):
        done = run(
            "report",
            v,
            "--format",
            report_format,
            "--out",
            str(tmp_path / f"report.{report_format}"),
        )
        assert done.exit_code == 0, done.output
    laptop = cp(hull_path, tmp_path / "laptop.db")
    assert run("findings", "add", str(laptop), "9.1", f"More {H}", *member).exit_code == 0
    assert run("merge", v, str(laptop)).exit_code == 0
    assert run("merge", str(laptop), v).exit_code == 0
    checked = run("check", v)
    assert "integrity: ok" in checked.output
    assert _tables(hull_path) == before  # no table dropped, none added
    assert _tables(laptop) == before
    conn = sqlite3.connect(hull_path)
    assert conn.execute("SELECT count(*) FROM note WHERE text = ?", (H,)).fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM location WHERE name = ?", (place,)).fetchone()[0]
    conn.close()


# -- redaction: what test_export.py does not already search for ----------------------


def _more_secrets() -> list[str]:
    """Roll-check notes and the reasons given for judgements, beyond notes and samples."""
    folder = samples.sample_bundle()
    found: list[str] = []
    with (folder / "roll-checks.csv").open(encoding="utf-8") as handle:
        found += [r["note"] for r in csv.DictReader(handle)]
    with (folder / "plan.csv").open(encoding="utf-8") as handle:
        found += [r.get("why", "") or "" for r in csv.DictReader(handle)]
    return sorted({s for s in found if s.strip()})


@pytest.mark.parametrize("export_format", EXPORT_FORMATS)
def test_redacted_exports_hold_no_comment_nor_edited_or_deleted_text(
    hull_path: Path, tmp_path: Path, export_format: str
) -> None:
    """Old texts live on in the edit history, a deleted note's row, free pages and
    drafts: none of them may reach a redacted export either."""
    edited_away, deleted_text, draft_text = (
        "Officer Smith hit the prisoner in cell 4",
        "Prisoner A1234BC said he was assaulted",
        "Draft about Mr Example in the segregation unit",
    )
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        with visit.transaction():
            first = visit.insert("note", {"text": edited_away, "tags": "x"})
            second = visit.insert("note", {"text": deleted_text, "tags": "y"})
        with visit.transaction():
            visit.update("note", first, {"text": "Nothing to see."})
            visit.delete("note", second)
        columns = {r[1] for r in visit.query("PRAGMA table_info(note_draft)")}
        values = {"id": "d1", "text": draft_text}
        values.update({c: "" for c in columns - {"id", "text"} if c in ("author", "note_id")})
        visit.conn.execute(
            f"INSERT INTO note_draft ({', '.join(values)}) VALUES "
            f"({', '.join('?' for _ in values)})",
            tuple(values.values()),
        )
    out = tmp_path / f"out-{export_format}"
    done = run("export", str(hull_path), "--format", export_format, "--out", str(out), "--redact")
    assert done.exit_code == 0, done.output
    data = _all_bytes(out)
    secrets = [*_more_secrets(), edited_away, deleted_text, draft_text, *_secrets()]
    assert len(_more_secrets()) > 3
    assert [s for s in secrets if _appears(s, data)] == []
