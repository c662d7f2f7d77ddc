"""The command line links a round, or a subject's day, to plan items (issue 22 §3: only
the ``links`` import and the API could): ``links add``, ``links remove``, ``links list``,
through the same rules and writes as F3's and F6's ctrl+k."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from test_evidence_links import _round, _visit

from irp_field.api import evidence
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_a_round_is_linked_by_its_name_or_id_and_unlinked(tmp_path: Path) -> None:
    path = _visit(tmp_path)
    said = run("links", "add", str(path), "1.38", "--round", "mon am", "--by", "Amy Gill")
    assert said.exit_code == 0, said.output
    assert said.stdout == "Round Mon AM is linked to 1.38.\n"
    with VisitFile.open(path, readonly=True) as visit:
        round_id = _round(visit, "Mon AM")
    said = run("links", "add", str(path), "1.39", "--round", round_id)
    assert said.exit_code == 0, said.output
    assert said.stdout == "Round Mon AM is linked to 1.38, 1.39.\n"  # the first link stays
    said = run("links", "remove", str(path), "1.38", "--round", "Mon AM")
    assert said.exit_code == 0, said.output
    assert said.stdout == "Round Mon AM is linked to 1.39.\n"
    with VisitFile.open(path, readonly=True) as visit:
        assert evidence.round_plan_refs(visit, round_id) == ["1.39"]
        kept = visit.query("SELECT deleted FROM round_link WHERE round_id = ?", (round_id,))
        assert sorted(row["deleted"] for row in kept) == [0, 1]  # unlinked: a tombstone


def test_a_subjects_day_is_linked_and_listed(tmp_path: Path) -> None:
    path = _visit(tmp_path)
    said = run(
        "links", "add", str(path), "1.38", "1.39", "--subject", "U01", "--date", "2022-03-14"
    )
    assert said.exit_code == 0, said.output
    assert said.stdout == "U01's day 2022-03-14 is linked to 1.38, 1.39.\n"
    run("links", "add", str(path), "1.39", "--round", "Mon PM")
    listed = run("links", "list", str(path), "--json")
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout)["links"] == [
        {"plan_ref": "1.39", "round": "Mon PM", "date": "", "subject": ""},
        {"plan_ref": "1.38", "round": "", "date": "2022-03-14", "subject": "U01"},
        {"plan_ref": "1.39", "round": "", "date": "2022-03-14", "subject": "U01"},
    ]
    shown = run("links", "list", str(path))
    assert shown.exit_code == 0 and "3 link(s)" in shown.stdout and "Mon PM" in shown.stdout


def test_a_link_the_rules_refuse_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    path = _visit(tmp_path)
    run("links", "add", str(path), "1.38", "--round", "Mon AM")
    for args, words in (
        (("add", "9.99", "--round", "Mon AM"), "unknown plan ref '9.99'"),
        (("add", "1.38", "--round", "Tue AM"), "no round named 'Tue AM'"),
        (("add", "1.38", "--subject", "U09", "--date", "2022-03-14"), "U09 has no periods"),
        (("add", "1.38", "--subject", "U01", "--date", "14th"), "date"),
        (("add", "1.38", "--subject", "U01"), "needs both --subject and --date"),
        (("add", "1.38"), "name a round (--round) or a subject's day"),
        (("add", "1.38", "--round", "Mon AM", "--subject", "U01"), "name a round"),
        (("remove", "1.39", "--round", "Mon AM"), "round Mon AM is not linked to 1.39"),
    ):
        said = run("links", args[0], str(path), *args[1:])
        assert said.exit_code == 1, (args, said.output)
        assert words in said.stderr, (args, said.stderr)
        assert len(said.stderr.strip().splitlines()) == 1 and "Traceback" not in said.stderr
    with VisitFile.open(path, readonly=True) as visit:
        assert evidence.round_plan_refs(visit, _round(visit, "Mon AM")) == ["1.38"]
        assert evidence.day_plan_refs(visit, "U01", "2022-03-14") == []


def test_a_subjects_day_is_named_as_f6_takes_it_and_said_whole(tmp_path: Path) -> None:
    """``--date Mon`` (a day of the visit, as F6 and the new-round dialog take it)."""
    path = _visit(tmp_path)
    said = run("links", "add", str(path), "1.38", "--subject", "U01", "--date", "Mon")
    assert said.exit_code == 0, said.output
    assert said.stdout == "U01's day 2022-03-14 is linked to 1.38.\n"
    said = run("links", "remove", str(path), "1.38", "--subject", "U01", "--date", "14")
    assert said.exit_code == 0, said.output
    assert said.stdout == "U01's day 2022-03-14 is linked to nothing.\n"
