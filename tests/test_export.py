"""Analyst exports: every format, redaction, combining visits, and the command."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.interchange import samples
from irp_field.interchange.export import export_visits

FORMATS = ("sqlite", "csv", "json", "xlsx", "bundle")


def _secrets() -> list[str]:
    """Every note text, comment, subject and record ref of the Hull sample."""
    folder = samples.sample_bundle()
    found: list[str] = []
    with (folder / "notes.csv").open(encoding="utf-8") as handle:
        found += [r["text"] for r in csv.DictReader(handle)]
    with (folder / "time-out-of-cell.csv").open(encoding="utf-8") as handle:
        found += [r["subject"] for r in csv.DictReader(handle)]
    for sample in (folder / "samples").glob("*.csv"):
        with sample.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                found += [row["record"], row["comment"]]
    return sorted({s for s in found if s.strip()})


def _appears(text: str, data: bytes) -> bool:
    """``text`` as a whole token in the bytes: a short ref such as C01 must not count
    when it is only the record-header byte 'C' before an id starting 01..."""
    if len(text) > 12:
        return text.encode() in data
    pattern = rb"(?<![0-9A-Za-z])" + re.escape(text.encode()) + rb"(?![0-9A-Za-z])"
    return re.search(pattern, data) is not None


def _all_bytes(out: Path) -> bytes:
    files = sorted(p for p in out.rglob("*") if p.is_file()) if out.is_dir() else [out]
    chunks = []
    for path in files:
        if zipfile.is_zipfile(path):  # xlsx: search inside the compressed parts
            with zipfile.ZipFile(path) as book:
                chunks += [book.read(name) for name in book.namelist()]
        else:
            chunks.append(path.read_bytes())
    return b"\n".join(chunks)


@pytest.mark.parametrize("export_format", FORMATS)
def test_redacted_exports_hold_no_note_text_subject_or_record(
    hull_path: Path, tmp_path: Path, export_format: str
) -> None:
    out = tmp_path / f"out-{export_format}"
    result = CliRunner().invoke(
        main, ["export", str(hull_path), "--format", export_format, "--out", str(out), "--redact"]
    )
    assert result.exit_code == 0, result.output
    data = _all_bytes(out)
    secrets = _secrets()
    assert len(secrets) > 50
    leaked = [s for s in secrets if _appears(s, data)]
    assert leaked == []
    plain = tmp_path / f"plain-{export_format}"
    assert (
        CliRunner()
        .invoke(main, ["export", str(hull_path), "--format", export_format, "--out", str(plain)])
        .exit_code
        == 0
    )
    assert any(_appears(s, _all_bytes(plain)) for s in secrets if len(s) > 12)  # the search works


def test_same_subject_gets_the_same_pseudonym(hull_path: Path, tmp_path: Path) -> None:
    export_visits([hull_path], "sqlite", tmp_path / "r.sqlite", redact=True)
    conn = sqlite3.connect(tmp_path / "r.sqlite")
    subjects = conn.execute("SELECT COUNT(DISTINCT subject) FROM toc_period").fetchone()[0]
    with VisitFile.open(hull_path, readonly=True) as visit:
        original = visit.one("SELECT COUNT(DISTINCT subject) FROM toc_period WHERE deleted = 0")
    assert original is not None and subjects == original[0]


def test_sqlite_export_is_clean_readable_and_has_views(hull: VisitFile, tmp_path: Path) -> None:
    dropped = hull.query("SELECT id FROM roll_check LIMIT 1")[0]["id"]
    with hull.transaction():
        hull.delete("roll_check", dropped)
    out = tmp_path / "hull.sqlite"
    export_visits([hull.path], "sqlite", out)
    conn = sqlite3.connect(out)
    assert (
        conn.execute("SELECT COUNT(*) FROM roll_check WHERE id = ?", (dropped,)).fetchone()[0] == 0
    )
    columns = [r[1] for r in conn.execute("PRAGMA table_info(roll_check)")]
    assert "location" in columns and "deleted" not in columns and "version" not in columns
    assert conn.execute("SELECT COUNT(*) FROM roll_check WHERE location = 'A wing'").fetchone()[0]
    assert conn.execute("PRAGMA foreign_key_list(roll_check)").fetchall()
    assert conn.execute("SELECT pct_locked_up FROM locked_up_by_visit").fetchone()[0] > 0
    meta = json.loads((tmp_path / "hull.metadata.json").read_text())
    assert "roll_check" in meta["databases"]["hull"]["tables"]


def test_json_is_canonical(hull_path: Path, tmp_path: Path) -> None:
    export_visits([hull_path], "json", tmp_path / "one.json")
    export_visits([hull_path], "json", tmp_path / "two.json")
    one = (tmp_path / "one.json").read_bytes()
    assert one == (tmp_path / "two.json").read_bytes()
    document = json.loads(one)
    # in the order taken (issue 23: not in the ids' random order), ids breaking ties
    notes = [(r["taken_at"], r["id"]) for r in document["tables"]["note"]]
    assert notes == sorted(notes) and notes


def test_csv_and_xlsx_have_a_table_each(hull_path: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    export_visits([hull_path], "csv", tmp_path / "csv")
    assert (tmp_path / "csv" / "roll_check.csv").read_text().startswith("visit_id,id,taken_at")
    export_visits([hull_path], "xlsx", tmp_path / "hull.xlsx")
    book = load_workbook(tmp_path / "hull.xlsx")
    sheet = book["roll_check"]
    # the ids last (issue 23): what a person reads first
    assert sheet["A1"].value == "taken_at" and isinstance(sheet["E2"].value, int)


def test_combine_visits_for_percent_locked_up_by_establishment_and_year(
    hull_path: Path, tmp_path: Path
) -> None:
    with (
        VisitFile.create(
            tmp_path / "leeds.db",
            establishment="HMP Leeds",
            start_date="2026-03-02",
            end_date="2026-03-04",
        ) as leeds,
        leeds.transaction(),
    ):
        wing = leeds.insert("location", {"name": "A wing"})
        leeds.insert(
            "roll_check",
            {"location_id": wing, "roll": 100, "locked_up": 25, "taken_at": "2026-03-02T10:00"},
        )
    out = tmp_path / "all.sqlite"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--combine",
            str(hull_path),
            str(tmp_path / "leeds.db"),
            "--format",
            "sqlite",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = (
        sqlite3.connect(out)
        .execute(
            "SELECT v.establishment, substr(v.start_date, 1, 4), "
            "ROUND(100.0 * SUM(r.locked_up) / SUM(r.roll)) FROM roll_check r "
            "JOIN visit v ON v.visit_id = r.visit_id GROUP BY 1, 2 ORDER BY 1"
        )
        .fetchall()
    )
    assert rows == [("HMP Hull", "2022", 40.0), ("HMP Leeds", "2026", 25.0)]


def test_bad_export_input_is_one_line(hull_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    junk = tmp_path / "junk.db"
    junk.write_text("hello")
    cases = [
        ["export", str(junk), "--format", "json", "--out", str(tmp_path / "a.json")],
        ["export", str(hull_path), "--format", "json", "--out", str(hull_path)],
        [
            "export",
            str(hull_path),
            str(hull_path),
            "--format",
            "json",
            "--out",
            str(tmp_path / "b"),
        ],
        ["export", "--combine", str(hull_path), "--format", "bundle", "--out", str(tmp_path / "c")],
        ["export", str(hull_path), "--format", "json", "--out", str(tmp_path / "no" / "d.json")],
    ]
    for args in cases:
        result = runner.invoke(main, args)
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("Error: ") and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_a_rounds_started_at_is_the_rounds_time_not_its_first_checks(
    empty_visit: VisitFile, tmp_path: Path
) -> None:
    """A round started at 10:00 whose first check was saved at 10:04 was exported as
    started at 10:04 (locked_up_by_round's started_at was MIN(taken_at))."""
    from irp_field.domain.roll_checks import RollCounts
    from irp_field.evidence import roll_checks, rounds, setup

    setup.add_location(empty_visit, "A wing", kind="wing", capacity=100)
    rounds.start_round(empty_visit, "Tue AM", "2022-03-15", "10:00")
    counts = RollCounts(
        roll=50, locked_up=20, off_wing_activity=30, wing_work=0, unlocked_on_wing=0, elsewhere=0
    )
    roll_checks.record_roll_check(
        empty_visit, location_id="A wing", counts=counts, taken_at="2022-03-15T10:04",
        round_label="Tue AM",
    )  # fmt: skip
    for export_format, out in (("sqlite", tmp_path / "v.sqlite"), ("json", tmp_path / "v.json")):
        export_visits([empty_visit.path], export_format, out)
    conn = sqlite3.connect(tmp_path / "v.sqlite")
    assert conn.execute("SELECT round, started_at FROM locked_up_by_round").fetchall() == [
        ("Tue AM", "2022-03-15T10:00")
    ]
    assert '"2022-03-15T10:00"' in (tmp_path / "v.json").read_text()
