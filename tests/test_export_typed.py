"""Analyst exports typed as they come (issue 23): numbers for paragraph numbers, years and
seeds; NULL, not '', for nothing; rows in the order of time or position; the computed
tables as typed tables; the figures and the subject-day totals exported; any format
combined; XLSX readable as it opens; CSV for Excel with a byte-order mark."""

from __future__ import annotations

import csv
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from irp_field import figures
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.interchange.export import TABLES, VIEWS, export_visits

LEADER = "Sara Pennington"  # the sample team's leader
BOM = b"\xef\xbb\xbf"  # UTF-8's byte-order mark


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def exported(hull_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Hull sample exported once in each analyst format."""
    folder = tmp_path_factory.mktemp("exported")
    outs = {f: folder / f"hull.{f}" for f in ("sqlite", "csv", "json", "xlsx")}
    for export_format, out in outs.items():
        export_visits([hull_template], export_format, out)
    return outs


def _db(exported: dict[str, Path]) -> sqlite3.Connection:
    return sqlite3.connect(exported["sqlite"])


def test_a_paragraph_number_has_its_section_and_paragraph_as_numbers(
    exported: dict[str, Path],
) -> None:
    rows = _db(exported).execute("SELECT number, section, paragraph FROM finding").fetchall()
    assert ("3.10", 3, 10) in rows and ("3.1", 3, 1) in rows
    assert all(number == f"{s}.{p}" for number, s, p in rows)
    with (exported["csv"] / "finding.csv").open(encoding="utf-8", newline="") as handle:
        shown = [(r["number"], r["section"], r["paragraph"]) for r in csv.DictReader(handle)]
    assert shown == [(n, str(s), str(p)) for n, s, p in rows]


def test_nothing_is_empty_text_and_years_and_seeds_are_numbers(exported: dict[str, Path]) -> None:
    conn = _db(exported)
    empties = {
        (table.name, column)
        for table in TABLES
        for column in table.names
        if conn.execute(f"SELECT COUNT(*) FROM {table.name} WHERE {column} = ''").fetchone()[0]
    }
    assert empties == set()
    nulls = conn.execute("SELECT COUNT(*) FROM plan_item WHERE judged_group IS NULL").fetchone()
    assert nulls[0] > 5  # the items judged alone
    assert {r[0] for r in conn.execute("SELECT typeof(year) FROM previous_outcome")} == {"integer"}
    assert {r[0] for r in conn.execute("SELECT typeof(seed) FROM sample_frame")} == {"integer"}
    declared = {r[1]: r[2] for r in conn.execute("PRAGMA table_info(previous_outcome)")}
    assert declared["year"] == "INTEGER"


def _in_order(rows: list[tuple[object, ...]]) -> bool:
    return rows == sorted(rows, key=lambda r: tuple("" if v is None else v for v in r))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("table", "order"),
    [
        ("roll_check", "taken_at, location"),
        ("toc_period", "on_date, subject, start_time"),
        ("note", "taken_at"),
        ("plan_item", "position"),
        ("sample_record", "frame, position"),
        ("finding", "section, paragraph"),
        ("roll_round", "on_date, at_time"),
    ],
)
def test_rows_come_in_the_order_of_time_or_position(
    exported: dict[str, Path], table: str, order: str
) -> None:
    conn = _db(exported)
    rows = conn.execute(f"SELECT {order} FROM {table}").fetchall()  # no ORDER BY: as stored
    assert len(rows) > 5 and _in_order(rows), table
    document = json.loads(exported["json"].read_text(encoding="utf-8"))
    columns = [c.strip() for c in order.split(",")]
    listed = [tuple(r[c] for c in columns) for r in document["tables"][table]]
    assert listed == rows


def test_the_computed_tables_are_typed_tables(exported: dict[str, Path]) -> None:
    conn = _db(exported)
    kinds = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name IN "
                              "('locked_up_by_visit', 'locked_up_by_round', 'sample_results')"))  # fmt: skip
    assert kinds == dict.fromkeys(VIEWS, "table")
    declared = {r[1]: r[2] for r in conn.execute("PRAGMA table_info(locked_up_by_visit)")}
    assert declared == {
        "visit_id": "TEXT", "establishment": "TEXT", "year": "INTEGER", "roll": "INTEGER",
        "locked_up": "INTEGER", "pct_locked_up": "REAL",
    }  # fmt: skip
    assert conn.execute("SELECT year, pct_locked_up FROM locked_up_by_visit").fetchone() == (
        2022,
        0.4001,
    )


def test_the_figures_are_exported_as_the_registry_gives_them(
    exported: dict[str, Path], hull_template: Path
) -> None:
    with VisitFile.open(hull_template, readonly=True) as visit:
        registry = figures.compute(visit)
    conn = _db(exported)
    rows = {
        r[0]: r[1:]
        for r in conn.execute("SELECT key, value, display, unit, n, definition FROM figure")
    }
    assert list(rows) == list(registry)  # every figure, in the registry's order
    for key, figure in registry.items():
        value, display, unit, n, definition = rows[key]
        assert value == (None if figure.value is None else pytest.approx(figure.value)), key
        assert (display, unit, n, definition) == (
            figure.display, figure.unit, figure.n, figure.definition or None,
        ), key  # fmt: skip
    assert rows["roll.pct_locked_up"][:2] == (pytest.approx(0.4001, abs=1e-4), "40%")


def test_the_subject_day_totals_give_the_report_s_hours_where_the_periods_do_not(
    exported: dict[str, Path], hull_template: Path
) -> None:
    """An analyst summing the periods got 7.08 hours a day for full-time workers; the
    report, counting overlapping periods once, says 6.9."""
    with VisitFile.open(hull_template, readonly=True) as visit:
        quoted = figures.compute(visit)["toc.by_group.full_time_work.hours_per_day"]
    conn = _db(exported)
    [(from_days,)] = conn.execute(
        "SELECT AVG(minutes) / 60.0 FROM toc_day WHERE subject_group = 'Full-time work'"
    )
    [(naive,)] = conn.execute(
        "SELECT SUM((CAST(substr(end_time, 1, 2) AS INTEGER) * 60 + CAST(substr(end_time, 4) "
        "AS INTEGER)) - (CAST(substr(start_time, 1, 2) AS INTEGER) * 60 + "
        "CAST(substr(start_time, 4) AS INTEGER))) / 60.0 / COUNT(DISTINCT subject || on_date) "
        "FROM toc_period WHERE subject_group = 'Full-time work'"
    )
    assert quoted.display == "6.9 hours" and from_days == pytest.approx(quoted.value)
    assert round(naive, 2) == 7.08  # what the analyst got
    assert conn.execute("SELECT COUNT(*) FROM toc_day").fetchone()[0] == 16


def _leeds(tmp_path: Path) -> Path:
    with (
        VisitFile.create(tmp_path / "leeds.db", establishment="HMP Leeds",
                         start_date="2026-03-02", end_date="2026-03-04") as leeds,
        leeds.transaction(),
    ):  # fmt: skip
        wing = leeds.insert("location", {"name": "A wing"})
        leeds.insert(
            "roll_check",
            {"location_id": wing, "roll": 100, "locked_up": 25, "taken_at": "2026-03-02T10:00"},
        )
    return tmp_path / "leeds.db"


@pytest.mark.parametrize("export_format", ["csv", "json", "xlsx"])
def test_combine_writes_any_analyst_format(
    hull_path: Path, tmp_path: Path, export_format: str
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / f"all.{export_format}"
    code, output = run("export", "--combine", str(hull_path), str(_leeds(tmp_path)),
                       "--format", export_format, "--out", str(out))  # fmt: skip
    assert code == 0, output
    if export_format == "csv":
        with (out / "locked_up_by_visit.csv").open(encoding="utf-8") as handle:
            shares = {r["establishment"]: r["pct_locked_up"] for r in csv.DictReader(handle)}
    elif export_format == "json":
        rows = json.loads(out.read_text(encoding="utf-8"))["tables"]["locked_up_by_visit"]
        shares = {r["establishment"]: str(r["pct_locked_up"]) for r in rows}
    else:
        sheet = load_workbook(out)["locked_up_by_visit"]
        header = [c.value for c in sheet[1]]
        shares = {
            row[header.index("establishment")]: str(row[header.index("pct_locked_up")])
            for row in sheet.iter_rows(min_row=2, values_only=True)
        }
    assert shares == {"HMP Hull": "0.4001", "HMP Leeds": "0.25"}
    code, output = run("export", "--combine", str(hull_path), "--format", "bundle",
                       "--out", str(tmp_path / "b"))  # fmt: skip
    assert (code, output) == (
        1, "Error: a bundle holds one visit: --combine goes with sqlite, csv, json or xlsx\n"
    )  # fmt: skip


def test_xlsx_shows_shares_as_percents_years_as_numbers_and_ids_last(
    exported: dict[str, Path],
) -> None:
    from openpyxl import load_workbook

    book = load_workbook(exported["xlsx"])
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        ids = [h for h in header if h == "id" or h.endswith(("_id", "sha256"))]
        assert ids and header[len(header) - len(ids) :] == ids, sheet.title
    rounds = book["locked_up_by_round"]
    header = [c.value for c in rounds[1]]
    share = rounds.cell(row=2, column=header.index("pct_locked_up") + 1)
    assert share.value == pytest.approx(0.3697) and share.number_format == "0.0%"
    data = book["data_return"]
    header = [c.value for c in data[1]]
    formats = {
        row[header.index("unit")].value: row[header.index("value")].number_format
        for row in data.iter_rows(min_row=2)
    }
    assert formats["proportion"] == "0.0%" and formats["count"] == "General"
    years = [r[0] for r in book["previous_outcome"].iter_rows(min_row=2, values_only=True)]
    assert years and all(isinstance(y, int) for y in years)


def test_the_workbook_has_a_title_and_an_author_but_never_a_name_when_redacted(
    exported: dict[str, Path], hull_path: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    plain = load_workbook(exported["xlsx"]).properties
    assert plain.title == "irp-field export: HMP Hull (IRP, 2022-03-14 to 2022-03-16)"
    assert (plain.creator, plain.lastModifiedBy) == (LEADER, LEADER)
    for options in ([], ["--keep-staff-names"]):
        out = tmp_path / f"shared{len(options)}.xlsx"
        code, output = run("export", str(hull_path), "--format", "xlsx", "--out", str(out),
                           "--redact", *options)  # fmt: skip
        assert code == 0, output
        shared = load_workbook(out).properties
        assert (shared.creator, shared.lastModifiedBy) == ("irp-field", "irp-field")
        with zipfile.ZipFile(out) as book:
            assert LEADER.encode() not in book.read("docProps/core.xml")


def test_excel_writes_csv_with_a_byte_order_mark_and_only_csv(
    hull_path: Path, tmp_path: Path
) -> None:
    code, output = run("export", str(hull_path), "--format", "csv", "--out", str(tmp_path / "x"),
                       "--excel")  # fmt: skip
    assert code == 0, output
    plain = tmp_path / "plain"
    assert run("export", str(hull_path), "--format", "csv", "--out", str(plain))[0] == 0
    for name in ("finding.csv", "roll_check.csv", "figure.csv"):
        marked = (tmp_path / "x" / name).read_bytes()
        assert marked.startswith(BOM) and not (plain / name).read_bytes().startswith(BOM)
        assert marked[3:] == (plain / name).read_bytes()
    assert "–".encode() in (plain / "finding.csv").read_bytes()  # what Excel garbled
    package = json.loads((tmp_path / "x" / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["encoding"] for r in package["resources"]} == {"utf-8-sig"}
    code, output = run("export", str(hull_path), "--format", "xlsx", "--out",
                       str(tmp_path / "y.xlsx"), "--excel")  # fmt: skip
    assert (code, output) == (
        1, "Error: --excel is for --format csv (an XLSX workbook is Excel's own)\n"
    )  # fmt: skip


def test_an_xlsx_export_writes_its_sheets_nowhere_but_the_data_folder(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The XLSX writer writes every sheet (notes, names) and the workbook's parts to
    temporary files before zipping them: in the system's temporary folder they would be
    left there by a kill. They go into a private folder of the data folder, and are gone
    once the workbook is written."""
    import tempfile

    from irp_field import paths

    made: list[Path] = []
    real = tempfile.mkstemp

    def spy(*args: Any, **kwargs: Any) -> tuple[int, str]:
        handle, name = real(*args, **kwargs)
        made.append(Path(name))
        return handle, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    export_visits([hull_path], "xlsx", tmp_path / "hull.xlsx")
    assert len(made) > 26  # a sheet a table (26), and the workbook's parts
    assert all(p.parent.parent == paths.temporary_folder() for p in made), made[:3]
    assert not any(p.exists() for p in made)
    assert [p for p in paths.temporary_folder().iterdir() if p.is_dir()] == []


def test_a_text_longer_than_excel_holds_is_cut_saying_so_and_whole_elsewhere(
    hull_path: Path, tmp_path: Path
) -> None:
    """Excel holds 32,767 characters in a cell: a longer note is cut there in the XLSX,
    saying how much more there is and where it is whole; the CSV holds it whole."""
    from openpyxl import load_workbook

    long = "Seen on B wing. " * 2_500  # 40,000 characters
    with VisitFile.open(hull_path, user=LEADER) as visit, visit.transaction():
        row = visit.query("SELECT id FROM note WHERE deleted = 0 ORDER BY rowid LIMIT 1")[0]
        visit.update("note", row["id"], {"text": long})
    export_visits([hull_path], "xlsx", tmp_path / "hull.xlsx")
    export_visits([hull_path], "csv", tmp_path / "hull-csv")
    sheet = load_workbook(tmp_path / "hull.xlsx", read_only=True)["note"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    texts = [r[header.index("text")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    cut = [t for t in texts if isinstance(t, str) and t.startswith("Seen on B wing. Seen")]
    assert len(cut) == 1 and len(cut[0]) <= 32_767
    kept = cut[0][: cut[0].index(" [cut: ")]
    assert long.startswith(kept) and len(kept) > 32_000
    assert cut[0].endswith(
        f" [cut: {len(long) - len(kept)} characters more; the CSV, JSON and SQLite "
        "exports hold it whole]"
    )
    with (tmp_path / "hull-csv" / "note.csv").open(encoding="utf-8-sig", newline="") as f:
        assert long in [r["text"] for r in csv.DictReader(f)]
