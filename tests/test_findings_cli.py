"""Every findings, judgement and report command through CliRunner, good input and bad."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from irp_field.cli import findings_commands, main
from irp_field.core.visit_file import VisitFile


@pytest.fixture(autouse=True)
def a_member_records(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands record as a member of Hull's team (IRP_FIELD_USER, as --by): a
    paragraph by a name not on it is refused (``domain.recorders``: test_recorders.py)."""
    monkeypatch.setenv("IRP_FIELD_USER", "Jade Richards")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _commands() -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for command in findings_commands.COMMANDS:
        out.append((command.name or "", command))
        if isinstance(command, click.Group):
            out += [(f"{command.name} {name}", sub) for name, sub in command.commands.items()]
    return out


@pytest.mark.parametrize(("name", "command"), _commands())
def test_every_command_has_help(name: str, command: click.Command) -> None:
    assert command.help, name
    code, out, _ = run(*name.split(), "--help")
    assert code == 0 and "Usage:" in out


def test_help_does_not_import_jinja_docx_or_rich() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from irp_field.cli import main; "
        "CliRunner().invoke(main, ['--help']); "
        "print(sorted(m for m in ('jinja2', 'docx', 'rich', 'textual') if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"


def test_sync_check_and_list(hull_path: Path) -> None:
    code, _, err = run("sync", str(hull_path), "--check")
    assert code == 1 and "66 paragraph(s) out of date" in err  # 57 findings, 9 of the summary
    code, out, _ = run("sync", str(hull_path))
    assert code == 0 and "3.39  paragraph  not synced -> synced" in out
    code, out, _ = run("sync", str(hull_path))
    assert code == 0 and "Nothing to sync" in out
    code, out, _ = run("findings", "list", str(hull_path), "1.38")
    assert code == 0
    assert "1.38  (Insufficient progress)" in out
    assert "  3.39  In our roll checks, 40% of the population" in out
    assert "  3.41  We considered that the prison had made insufficient progress" in out


def test_add_edit_delete_by_number_and_id(hull_path: Path) -> None:
    code, out, _ = run(
        "findings", "add", str(hull_path), "6.19", "Contact was {{ data.mh_waiting }}."
    )
    assert code == 0 and "Added paragraph 3.69 to 6.19" in out
    # the first line names the id; the second says what was renumbered (6.19's conclusion)
    assert out.splitlines()[1] == "Renumbered after it: 3.69 is now 3.70."
    new_id = out.splitlines()[0].split("(id ")[1].rstrip(").")
    code, out, _ = run("findings", "edit", str(hull_path), new_id, "Contact had improved.")
    assert code == 0 and "Edited paragraph 3.69" in out
    code, out, _ = run("findings", "list", str(hull_path), "6.19")
    assert "3.69  Contact had improved." in out and "3.70  We considered" in out
    code, out, _ = run("findings", "add", str(hull_path), "1.33", "First.", "--after", "0")
    assert code == 0 and "Added paragraph 3.1 to 1.33" in out
    code, out, _ = run("findings", "delete", str(hull_path), "3.1")
    assert code == 0 and "Deleted paragraph 3.1" in out
    code, out, _ = run("findings", "list", str(hull_path), "1.33")
    assert "3.1  The senior team had made considerable effort" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("findings", "add", "{v}", "9.99", "Text."), "no plan item '9.99' in this visit"),
        (
            ("findings", "add", "{v}", "1.38", "{{{{ roll.pct_lockd_up }}}}"),
            "did you mean roll.pct_locked_up",
        ),
        (
            ("findings", "add", "{v}", "1.38", "{{{{ ''.__class__ }}}}"),
            "refused, templates may only use figures",
        ),
        (("findings", "add", "{v}", "1.38", "Text.", "--after", "3.1"), "not a paragraph of 1.38"),
        (
            ("findings", "add", "{v}", "1.38", "Text.", "--cite", "no-such-id"),
            "no evidence with id no-such-id",
        ),
        (("findings", "edit", "{v}", "3.99", "Text."), "no paragraph '3.99' in this visit"),
        (("findings", "edit", "{v}", "3.6", "Text."), "conclusion generated from the judgement"),
        (("findings", "delete", "{v}", "nope"), "no paragraph 'nope'"),
        (("findings", "list", "{v}", "7.7"), "no plan item '7.7'"),
        (("evidence", "{v}", "7.7"), "no plan item '7.7'"),
        (
            ("judge", "{v}", "1.38", "significant"),
            "choose one of: No meaningful progress, Insufficient",
        ),
        (
            ("judge", "{v}", "Theme 2", "Good progress"),
            "choose one of: Insufficient progress, Reasonable",
        ),
        (("judge", "{v}", "9.99", "good"), "no plan item '9.99'"),
        (("sync", "{v}.missing"), "no such file"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(
    hull_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = CliRunner().invoke(main, [a.format(v=hull_path) for a in args])
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_a_refused_add_writes_nothing(hull_path: Path) -> None:
    run("findings", "add", str(hull_path), "1.38", "{{ nope.nothing }}")
    _, out, _ = run("findings", "list", str(hull_path), "1.38")
    assert "nope.nothing" not in out
    assert (
        len([line for line in out.splitlines() if line[:3] in ("  3", " *3")]) == 5
    )  # 4 and the conclusion


def test_judge_a_group_member_judges_the_group(hull_path: Path) -> None:
    code, out, _ = run("judge", str(hull_path), "1.34b", "reasonable", "--why", "Early days.")
    assert code == 0 and "Judged 1.34a + 1.34b: Reasonable progress." in out
    code, out, _ = run("findings", "list", str(hull_path), "1.34a")
    assert (
        "3.13  We considered that the prison had made reasonable progress against these recommendations."
        in out
    )
    code, out, _ = run("judge", str(hull_path), "Theme 1", "Significant progress")
    assert code == 0
    _, out, _ = run("report", str(hull_path), "--format", "md", "--sync")
    assert (
        "Ofsted judged that there was significant progress in one theme and reasonable progress in two themes."
        in out
    )
    assert (
        "HMI Prisons judged that there was good progress in one recommendation, reasonable progress in four"
        in out
    )


def test_evidence_lists_linked_notes_samples_and_figures(hull_path: Path) -> None:
    code, out, _ = run("evidence", str(hull_path), "1.34a")
    assert code == 0
    assert "Evidence for 1.34a + 1.34b" in out
    assert "[sample frame]" in out and "Use of force records" in out and "[note]" in out
    assert "[figure] data.unplanned_force_reduction = 25%" in out


def test_report_formats_and_stale_warning(hull_path: Path, tmp_path: Path) -> None:
    code, _, err = run(
        "report", str(hull_path), "--format", "html", "--out", str(tmp_path / "r.html")
    )
    assert code == 0 and "out of date" in err
    assert "Out of date: 66 paragraphs" in (tmp_path / "r.html").read_text(encoding="utf-8")
    code, out, err = run(
        "report", str(hull_path), "--format", "docx", "--out", str(tmp_path / "r.docx"), "--sync"
    )
    assert code == 0 and err == "" and (tmp_path / "r.docx").stat().st_size > 10_000
    code, out, _ = run("report", str(hull_path), "--format", "markdown")
    assert code == 0 and out.startswith("# Report on an independent review of progress at HMP Hull")
    code, _, err = run("report", str(hull_path), "--format", "docx")
    assert code == 2 and "--out FILE is needed" in err
    code, _, err = run(
        "report", str(hull_path), "--format", "md", "--out", str(tmp_path / "no" / "r.md")
    )
    assert code == 1 and "no such folder" in err
    assert not list(tmp_path.glob(".*.partial"))


def test_a_reason_past_the_text_limit_is_refused_and_the_judgement_kept(hull_path: Path) -> None:
    """The judgement rule (``domain.plan.judgement_verdicts``), which check and a merge
    read stored judgements back through, is the one the judge command applies."""
    code, _, err = run("judge", str(hull_path), "1.33", "good", "--why", "w" * 100_001)
    assert code == 1 and "the reason is 100,001 characters; at most 100,000" in err
    with VisitFile.open(hull_path, readonly=True) as visit:
        row = visit.one("SELECT level FROM judgement WHERE unit = '1.33' AND deleted = 0")
    assert row is not None and row["level"] == "reasonable"
