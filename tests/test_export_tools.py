"""The exports in the analysts' own tools, as they come (issue 23): pandas, DuckDB (its
sqlite scanner and its CSV reader), a Frictionless reader of the CSV's
``datapackage.json``, Datasette with the metadata beside the database, and the
``sqlite-utils`` command line. Each is in the ``test`` extra: never skipped. Pandas,
Frictionless and Datasette are imported by the tests that use them: together they cost
every worker of the suite a second to import while collecting."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest
from merge_helpers import cp

from irp_field.interchange.export import TABLES, VIEWS, export_visits


@pytest.fixture(scope="module")
def exported(hull_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exported")
    outs = {f: folder / f"hull.{f}" for f in ("sqlite", "csv", "xlsx")}
    for export_format, out in outs.items():
        export_visits([hull_template], export_format, out)
    # A redacted export keeps the visit's key in the visit: made from a copy, never the
    # session's shared sample (conftest.template_untouched)
    visit = cp(hull_template, folder / "hull.db")
    outs["redacted"] = folder / "shared.sqlite"
    export_visits([visit], "sqlite", outs["redacted"], redact=True)
    return outs


def _scanner() -> Any:
    """DuckDB with its sqlite scanner loaded from the package that ships it (DuckDB would
    download it: no network here, nor on many analysts' machines)."""
    import duckdb_extension_sqlite_scanner as shipped

    [extension] = Path(shipped.__file__).parent.rglob("sqlite_scanner.duckdb_extension")
    conn = duckdb.connect()
    conn.execute(f"LOAD '{extension}'")
    return conn


def test_pandas_reads_paragraph_numbers_that_do_not_collide(exported: dict[str, Path]) -> None:
    """Read as they come, "3.10" becomes 3.1 in pandas (CSV and XLSX): five numbers
    collided in the sample. The section and paragraph columns are whole numbers."""
    import pandas

    for frame in (
        pandas.read_csv(exported["csv"] / "finding.csv"),
        pandas.read_excel(exported["xlsx"], sheet_name="finding"),
    ):
        assert str(frame["paragraph"].dtype) == "int64" and str(frame["section"].dtype) == "int64"
        assert frame["paragraph"].is_unique and frame["paragraph"].is_monotonic_increasing
        assert 10 in set(frame["paragraph"]) and len(frame) == 57
        # the label alone, as a number, collides: why the columns are there
        assert frame["number"].astype(float).duplicated().sum() == 5
    shares = pandas.read_excel(exported["xlsx"], sheet_name="locked_up_by_visit")
    assert shares.loc[0, "pct_locked_up"] == pytest.approx(0.4001)
    assert str(shares["year"].dtype) == "int64"


def test_pandas_reads_the_sqlite_export_typed(exported: dict[str, Path]) -> None:
    import pandas

    with sqlite3.connect(exported["sqlite"]) as conn:
        outcomes = pandas.read_sql("SELECT * FROM previous_outcome", conn)
        frames = pandas.read_sql("SELECT * FROM sample_frame", conn)
        figure = pandas.read_sql("SELECT * FROM figure", conn)
    assert str(outcomes["year"].dtype) == "int64" and str(frames["seed"].dtype) == "int64"
    assert figure.set_index("key").loc["roll.pct_locked_up", "value"] == pytest.approx(
        0.4001, abs=1e-4
    )


def test_duckdb_sees_typed_tables_through_its_sqlite_scanner(exported: dict[str, Path]) -> None:
    conn = _scanner()
    conn.execute(f"ATTACH '{exported['sqlite']}' AS hull (TYPE sqlite)")
    for view in VIEWS:
        types = dict(conn.execute(f"SELECT column_name, column_type FROM (DESCRIBE hull.{view})")
                     .fetchall())  # fmt: skip
        assert all(types[c] == "DOUBLE" for c in types if c.startswith("pct_")), view
        assert all(types[c] == "BIGINT" for c in ("roll", "year", "yes") if c in types), view
    assert conn.execute(
        "SELECT round(avg(pct_locked_up), 4) FROM hull.locked_up_by_round"
    ).fetchone()[0] == pytest.approx(0.4001, abs=1e-3)
    types = dict(conn.execute("SELECT column_name, column_type FROM (DESCRIBE hull.previous_outcome)")
                 .fetchall())  # fmt: skip
    assert types["year"] == "BIGINT"
    [(hours,)] = conn.execute(
        "SELECT round(avg(minutes) / 60, 1) FROM hull.toc_day WHERE subject_group = 'Full-time work'"
    ).fetchall()
    assert hours == 6.9


def test_duckdb_reads_the_csv_with_whole_paragraph_numbers(exported: dict[str, Path]) -> None:
    rows = duckdb.sql(
        f"SELECT section, paragraph FROM read_csv('{exported['csv'] / 'finding.csv'}') "
        "WHERE paragraph IN (1, 10)"
    ).fetchall()
    assert sorted(rows) == [(3, 1), (3, 10)]


def test_a_frictionless_reader_types_every_csv_column(exported: dict[str, Path]) -> None:
    import frictionless

    descriptor = exported["csv"] / "datapackage.json"
    package = frictionless.Package(str(descriptor))
    files = sorted(p.name for p in exported["csv"].glob("*.csv"))
    assert sorted(r.path for r in package.resources) == files
    assert len(files) == len(TABLES) + len(VIEWS)
    for resource in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["type"] and field["description"], (resource["name"], field["name"])
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    finding = package.get_resource("finding").read_rows()
    assert {(r["number"], r["paragraph"]) for r in finding} >= {("3.10", 10), ("3.1", 1)}
    outcome = package.get_resource("previous_outcome").read_rows()[0]
    assert isinstance(outcome["year"], int)
    check = package.get_resource("roll_check").read_rows()[0]
    assert check["taken_at"].isoformat() == "2022-03-14T10:00:00"
    units = {
        f["name"]: f.get("unit")
        for f in package.get_resource("locked_up_by_round").schema.to_dict()["fields"]
    }
    assert units["pct_locked_up"] == "proportion" and units["roll"] == "prisoners"


async def test_datasette_sorts_facets_describes_and_runs_the_canned_queries(
    exported: dict[str, Path],
) -> None:
    import datasette.app

    metadata = json.loads(exported["sqlite"].with_name("hull.metadata.json").read_text())
    tables = metadata["databases"]["hull"]["tables"]
    assert "share from 0 to 1" in tables["locked_up_by_round"]["columns"]["pct_locked_up"]
    assert "unit: minutes" in tables["toc_day"]["columns"]["minutes"]
    assert "keyed hash" in tables["roll_check"]["columns"]["id"]
    ds = datasette.app.Datasette([str(exported["sqlite"])], metadata=metadata)
    page = (await ds.client.get("/hull/roll_check.json?_size=100")).json()
    assert "sorted by taken_at" in page["human_description_en"]
    taken = [row[page["columns"].index("taken_at")] for row in page["rows"]]
    assert taken == sorted(taken) and len(taken) == 66
    assert set(page["facet_results"]) == {"round", "location"}
    answers = await ds.client.get("/hull/rounds_locked_up.json?_shape=array")
    assert [r["round"] for r in answers.json()][:2] == ["Mon AM", "Mon PM"]
    years = (await ds.client.get("/hull/establishments_by_year.json?_shape=array")).json()
    assert years == [{"establishment": "HMP Hull", "year": 2022, "roll": 5379,
                      "locked_up": 2152, "pct_locked_up": 0.4001}]  # fmt: skip
    groups = (await ds.client.get("/hull/hours_out_of_cell_by_group.json?_shape=array")).json()
    assert {r["subject_group"]: r["hours_per_day"] for r in groups}["Full-time work"] == 6.89
    found = (await ds.client.get("/hull/note.json?_search=NEWS2&_shape=array")).json()
    assert found and all("NEWS2" in r["text"] for r in found)


def _sqlite_utils(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", *args],
        capture_output=True, text=True, check=True, timeout=600,  # a hang guard, not a bound
    )  # fmt: skip
    return done.stdout


def test_the_sqlite_utils_command_line_counts_and_searches(exported: dict[str, Path]) -> None:
    counts = {
        t["table"]: t["count"]
        for t in json.loads(_sqlite_utils("tables", "--counts", str(exported["sqlite"])))
    }
    assert counts["roll_check"] == 66 and counts["figure"] > 150 and counts["toc_day"] == 16
    assert counts["note_fts"] == counts["note"] == 45
    found = json.loads(_sqlite_utils("search", str(exported["sqlite"]), "note", "NEWS2"))
    assert len(found) == 2 and all("NEWS2" in r["text"] for r in found)
    keys = json.loads(_sqlite_utils("query", str(exported["sqlite"]),
                                    "SELECT * FROM pragma_foreign_key_list('roll_check')"))  # fmt: skip
    assert {(k["from"], k["table"], k["to"]) for k in keys} == {
        ("visit_id", "visit", "visit_id"), ("location_id", "location", "id"),
        ("round_id", "roll_round", "id"),
    }  # fmt: skip
    # redacted: the notes' text is blanked, so their index holds nothing to find
    assert json.loads(_sqlite_utils("search", str(exported["redacted"]), "note", "NEWS2")) == []
