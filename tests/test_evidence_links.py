"""Issue 22 §3: rounds of roll checks and subjects' days of time out of cell are evidence.

They are linked to plan items as notes are (schema 8: ``round_link``, ``toc_day_link``,
keyed by what they join, deleted as tombstones): through the API and the screens, an
import (and so a bundle), counted on the overview and listed in F7, exported, redacted,
checked, and purged with the last period of a day (a link names the subject)."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import cp

from irp_field.api import evidence, purges, roll_checks, setup, time_out_of_cell
from irp_field.api import rounds as rounds_api
from irp_field.api.check import check_visit
from irp_field.api.findings import evidence_for_plan_item
from irp_field.api.views.overview import overview
from irp_field.cli import main
from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.interchange.bundle import build_from_bundle, write_bundle
from irp_field.interchange.export import export_visits
from irp_field.replication.merge import merge_visits


def _visit(folder: Path) -> Path:
    """A plan of two items in Purposeful activity, two rounds of two checks and two
    subjects' days: nothing linked."""
    path = folder / "links.db"
    with VisitFile.create(
        path, establishment="HMP Test", start_date="2022-03-14", end_date="2022-03-16",
        user="Amy Gill",
    ) as visit:  # fmt: skip
        evidence.add_plan_item(visit, "1.38", area="Purposeful activity", text="Time out.")
        evidence.add_plan_item(visit, "1.39", area="Purposeful activity", text="Work.")
        evidence.add_location(visit, "A wing", capacity=100)
        evidence.add_location(visit, "B wing", capacity=100)
        for label, at in (("Mon AM", "2022-03-14T10:00"), ("Mon PM", "2022-03-14T14:00")):
            for place in ("A wing", "B wing"):
                evidence.record_roll_check(
                    visit, location_id=place, counts=evidence.RollCounts(50, 20, 10, 5, 10, 5),
                    taken_at=at, round_label=label,
                )  # fmt: skip
        for subject, spans in (("U01", ("09:00-10:00", "14:00-15:30")), ("U02", ("09:00-09:30",))):
            for span in spans:
                start, end = span.split("-")
                evidence.record_period(
                    visit, on_date="2022-03-14", subject=subject, group="Unemployed",
                    start=start, end=end, activity="association",
                )  # fmt: skip
    return path


def _round(visit: VisitFile, name: str) -> str:
    found = rounds_api.find_round(visit, name)
    assert found is not None
    return found.id


def _counts(visit: VisitFile) -> dict[str, dict[str, int]]:
    return {entry.item.ref: entry.counts for entry in overview(visit).items}


def test_linked_rounds_and_days_count_on_the_overview_and_list_in_f7(tmp_path: Path) -> None:
    """Nothing counts for a plan item until it is linked (roll checks no longer count for
    every item in Purposeful activity); then its checks and periods do, and F7 lists each
    round and day."""
    path = _visit(tmp_path)
    with VisitFile.open(path, user="Amy Gill") as visit:
        assert _counts(visit) == {"1.38": {}, "1.39": {}}
        evidence.link_round(visit, _round(visit, "Mon AM"), ["1.38"])
        evidence.link_round(visit, _round(visit, "Mon PM"), ["1.38", "1.39"])
        evidence.link_day(visit, "U01", "2022-03-14", ["1.38"])
        evidence.link_day(visit, "U02", "2022-03-14", ["1.38"])
        assert _counts(visit) == {
            "1.38": {"roll checks": 4, "time out of cell": 3},
            "1.39": {"roll checks": 2},
        }
        listed = evidence_for_plan_item(visit, setup.plan_ids(visit)["1.38"])
    assert [(e.kind, e.summary) for e in listed] == [
        ("roll-check round", "Mon AM: 2 checks, roll 100, locked up 40"),
        ("roll-check round", "Mon PM: 2 checks, roll 100, locked up 40"),
        (
            "time out of cell",
            "U01, 2022-03-14 (Unemployed): 2 periods, 2.5 hours unlocked, 0 minutes in the "
            "open air",
        ),
        (
            "time out of cell",
            "U02, 2022-03-14 (Unemployed): 1 period, 0.5 hours unlocked, 0 minutes in the open air",
        ),
    ]


def test_a_link_names_what_it_joins_or_is_refused_and_linking_again_writes_nothing(
    tmp_path: Path,
) -> None:
    path = _visit(tmp_path)
    with VisitFile.open(path, user="Amy Gill") as visit:
        am = _round(visit, "Mon AM")
        with pytest.raises(IrpError, match=r"unknown plan ref '9\.99'"):
            evidence.link_round(visit, am, ["9.99"])
        with pytest.raises(IrpError, match="U03 has no periods on 2022-03-14"):
            evidence.link_day(visit, "U03", "2022-03-14", ["1.38"])
        with pytest.raises(IrpError, match="not a date"):
            evidence.link_day(visit, "U01", "14 March", ["1.38"])
        empty = evidence.start_round(visit, "Tue AM", "2022-03-15", "10:00")
        with pytest.raises(IrpError, match="no round 'Tue AM' with checks"):
            evidence.link_round(visit, empty.id, ["1.38"])
        assert visit.one("SELECT COUNT(*) FROM round_link")[0] == 0  # type: ignore[index]
        evidence.link_round(visit, am, ["1.38", "1.39"])
        before = [tuple(r) for r in visit.query("SELECT id, version FROM round_link")]
        evidence.link_round(visit, am, ["1.39", "1.38"])  # the same links: nothing written
        assert [tuple(r) for r in visit.query("SELECT id, version FROM round_link")] == before
        evidence.link_round(visit, am, ["1.39"])  # 1.38's link becomes a tombstone
        rows = visit.query("SELECT plan_item_id, deleted FROM round_link ORDER BY deleted")
        ids = setup.plan_ids(visit)
        assert [tuple(r) for r in rows] == [(ids["1.39"], 0), (ids["1.38"], 1)]
        assert evidence.round_plan_refs(visit, am) == ["1.39"]


def test_a_linked_plan_item_is_not_deleted_and_a_deleted_round_takes_its_links(
    tmp_path: Path,
) -> None:
    path = _visit(tmp_path)
    with VisitFile.open(path, user="Amy Gill") as visit:
        evidence.link_day(visit, "U02", "2022-03-14", ["1.39"])
        with pytest.raises(IrpError, match="it has 1 paragraph"):
            evidence.delete_setup_record(visit, "plan_item", setup.plan_ids(visit)["1.39"])
        am = _round(visit, "Mon AM")
        evidence.link_round(visit, am, ["1.38"])
        for check in roll_checks.round_checks(visit, am):
            roll_checks.delete_roll_check(visit, check.id)
        evidence.delete_round(visit, am)
        assert visit.query("SELECT deleted FROM round_link")[0]["deleted"] == 1


def test_links_go_out_in_every_export_and_a_redacted_one_names_subjects_as_periods_do(
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    path = _visit(tmp_path)
    with VisitFile.open(path, user="Amy Gill") as visit:
        evidence.link_round(visit, _round(visit, "Mon PM"), ["1.39"])
        evidence.link_day(visit, "U01", "2022-03-14", ["1.38"])
    export_visits([path], "json", tmp_path / "out.json")
    tables = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["tables"]
    assert [(r["round"], r["plan_ref"]) for r in tables["round_link"]] == [("Mon PM", "1.39")]
    assert [(r["on_date"], r["subject"], r["plan_ref"]) for r in tables["toc_day_link"]] == [
        ("2022-03-14", "U01", "1.38")
    ]
    export_visits([path], "csv", tmp_path / "csv")
    with (tmp_path / "csv" / "toc_day_link.csv").open(encoding="utf-8") as handle:
        assert [r["subject"] for r in csv.DictReader(handle)] == ["U01"]
    export_visits([path], "xlsx", tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")["round_link"]
    assert [c.value for c in sheet[2]][:2] == ["Mon PM", "1.39"]  # what a person reads first
    export_visits([path], "sqlite", tmp_path / "shared.sqlite", redact=True)
    conn = sqlite3.connect(tmp_path / "shared.sqlite")
    [(subject, joined)] = conn.execute(
        "SELECT k.subject, (SELECT COUNT(*) FROM toc_period p WHERE p.subject = k.subject "
        "AND p.on_date = k.on_date) FROM toc_day_link k"
    )
    [(round_name,)] = conn.execute(
        "SELECT o.name FROM round_link k JOIN roll_round o ON o.id = k.round_id"
    )
    conn.close()
    assert subject.startswith("subject-") and joined == 2 and round_name == "Mon PM"


def test_a_bundle_carries_the_links_and_a_visit_built_from_it_keeps_them(tmp_path: Path) -> None:
    path = _visit(tmp_path)
    with VisitFile.open(path, user="Amy Gill") as visit:
        evidence.link_round(visit, _round(visit, "Mon PM"), ["1.39", "1.38"])
        evidence.link_day(visit, "U02", "2022-03-14", ["1.38"])
        written = write_bundle(visit, tmp_path / "bundle")
    assert (written / "links.csv").read_text(encoding="utf-8") == (
        "plan_ref,round,date,subject\n1.38,Mon PM,,\n1.39,Mon PM,,\n1.38,,2022-03-14,U02\n"
    )
    built = build_from_bundle(written, tmp_path / "built.db")
    with VisitFile.open(built, readonly=True) as again:
        assert evidence.round_plan_refs(again, _round(again, "Mon PM")) == ["1.38", "1.39"]
        assert evidence.day_plan_refs(again, "U02", "2022-03-14") == ["1.38"]
        assert write_bundle(again, tmp_path / "again") and (
            (tmp_path / "again" / "links.csv").read_bytes() == (written / "links.csv").read_bytes()
        )


def test_a_bundle_link_the_rules_refuse_is_named_by_file_line_and_column(tmp_path: Path) -> None:
    path = _visit(tmp_path)
    with VisitFile.open(path, user="Amy Gill") as visit:
        written = write_bundle(visit, tmp_path / "bundle")
    (written / "manifest.json").unlink()
    (written / "visit.toml").write_text(
        (written / "visit.toml").read_text(encoding="utf-8").split("[bundle]")[0], encoding="utf-8"
    )
    (written / "links.csv").write_text(
        "plan_ref,round,date,subject\n1.38,Mon AM,,\n1.38,Wed AM,,\n", encoding="utf-8"
    )
    with pytest.raises(IrpError) as refused:
        build_from_bundle(written, tmp_path / "built.db")
    assert "links.csv" in str(refused.value) and "line 3" in str(refused.value)
    assert "no round 'Wed AM' with checks in this visit" in str(refused.value)
    assert not (tmp_path / "built.db").exists()


def test_links_import_from_the_command_line(tmp_path: Path) -> None:
    path = _visit(tmp_path)
    links = tmp_path / "links.csv"
    links.write_text(
        "plan_ref,round,date,subject\n1.39,mon am,,\n1.38,,2022-03-14,U01\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["import", str(path), "links", str(links)])
    assert result.exit_code == 0, result.output
    with VisitFile.open(path, readonly=True) as visit:
        assert evidence.round_plan_refs(visit, _round(visit, "Mon AM")) == ["1.39"]
        assert evidence.day_plan_refs(visit, "U01", "2022-03-14") == ["1.38"]
    links.write_text("plan_ref,round,date,subject\n1.38,Mon AM,2022-03-14,U01\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path), "links", str(links)])
    assert result.exit_code == 1
    assert "line 2" in result.output and "not both" in result.output


def test_check_reads_every_link_back_through_the_rules(tmp_path: Path) -> None:
    """A link a hand wrote with nothing to join, or a day that is no date: a problem."""
    path = _visit(tmp_path)
    with VisitFile.open(path, user="Amy Gill") as visit:
        evidence.link_day(visit, "U01", "2022-03-14", ["1.38"])
        assert check_visit(visit).ok
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE toc_day_link SET on_date = '14/03/2022'")
        conn.execute(
            "INSERT INTO round_link (id, version, round_id, plan_item_id) "
            "VALUES ('x', (SELECT version FROM toc_day_link), '', 'p')"
        )
    conn.close()
    with VisitFile.open(path, readonly=True) as visit:
        report = check_visit(visit)
    assert not report.ok
    assert any(
        line.startswith("round link of round ? to ?: names no round") for line in report.problems
    ), report.problems
    assert any(
        line.startswith("day link of U01's day 14/03/2022 to 1.38: '14/03/2022' is not a date")
        for line in report.problems
    ), report.problems


def test_purging_the_last_period_of_a_day_purges_its_links(tmp_path: Path) -> None:
    """The subject may be a name typed by mistake: the day's links name it too. They go
    with the day's last period, and not before."""
    path = _visit(tmp_path)
    with VisitFile.open(path, user="Amy Gill") as visit:
        evidence.link_day(visit, "U01", "2022-03-14", ["1.38", "1.39"])
    laptop = cp(path, tmp_path / "laptop.db")  # a colleague's copy, links and all
    with VisitFile.open(path, user="Amy Gill") as visit:
        periods = [p.id for p in time_out_of_cell.day(visit, "U01", "2022-03-14")]
        first = purges.purge(visit, "period", periods[0], reason="a name as the subject")
        assert first.also == []
        last = purges.purge(visit, "period", periods[1], reason="a name as the subject")
        assert sorted(t.what for t in last.also) == [
            "link of a day of time out of cell, 2022-03-14, to 1.38",
            "link of a day of time out of cell, 2022-03-14, to 1.39",
        ]
        assert visit.query("SELECT subject FROM toc_day_link WHERE subject != ''") == []
        history = visit.query(
            "SELECT new FROM change_log WHERE table_name = 'toc_day_link' AND new LIKE '%U01%'"
        )
        assert history == []
        assert check_visit(visit).ok
    merge_visits(laptop, [path])  # the purge travels: the colleague's links are emptied too
    with VisitFile.open(laptop, readonly=True) as visit:
        assert visit.query("SELECT id FROM toc_day_link WHERE subject != ''") == []
        assert evidence.day_plan_refs(visit, "U01", "2022-03-14") == []


def test_a_file_of_schema_7_opened_to_write_gains_the_links_tables(hull_path: Path) -> None:
    """Migration 8 on a laptop's file of the version before: its records as they were,
    nothing linked, and a round linked at once."""
    conn = sqlite3.connect(hull_path, isolation_level=None)
    for table in ("round_link", "toc_day_link"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_evidence_links'")
    conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    conn.close()
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        assert visit.schema_version == schema.SCHEMA_VERSION
        assert _counts(visit)["1.38"] == {"observation": 3, "staff": 1}
        evidence.link_round(visit, _round(visit, "Mon AM"), ["1.38"])
        assert _counts(visit)["1.38"]["roll checks"] == 11
        assert check_visit(visit).ok
