"""Redaction that still allows analysis (issue 21, 5): categories (groups, frames,
criteria, locations, activities) stay in the clear so that visits compare; people are
pseudonymised per visit, across visits with an organisation's key file, or for one
export alone with a fresh key; typed text follows one decision per column in every
format, the bundle included."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_export import _all_bytes, _appears

from irp_field.cli import main
from irp_field.core import schema
from irp_field.core.visit_file import VisitFile
from irp_field.evidence.data_returns import record_data_return
from irp_field.findings import report_parts
from irp_field.interchange import redaction, samples
from irp_field.interchange.bundle import build_from_bundle
from irp_field.interchange.export import TABLES, column_names

FORMATS = ("sqlite", "csv", "json", "xlsx", "bundle")
ORG_KEY = "3f9c2a7be1d04c58a6f2e9b17d3c5a08e4b6f1c2d7a9e3b5c8f0a1d2e3b4c5d6"
CATEGORIES = {
    "toc_period": ("subject_group", "activity"),
    "sample_frame": ("name",),
    "sample_criterion": ("name",),
    "sample_answer": ("frame", "criterion"),
    "location": ("name",),
    "roll_check": ("location",),
}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def prisons(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three visits (three ids) built from the Hull sample: the same groups, frames,
    criteria, locations, subjects and team in each, as at prisons that share them."""
    folder = tmp_path_factory.mktemp("prisons")
    return [
        build_from_bundle(samples.sample_bundle(), folder / f"prison{n}.db", user="Sara Pennington")
        for n in range(3)
    ]


def _values(conn: sqlite3.Connection, table: str, column: str) -> dict[str, set[str]]:
    """visit_id -> the values of ``column``."""
    found: dict[str, set[str]] = {}
    for visit_id, value in conn.execute(f"SELECT visit_id, {column} FROM {table}"):
        found.setdefault(visit_id, set()).add(value)
    return found


def _combined(paths: list[Path], out: Path, *options: str) -> sqlite3.Connection:
    code, output = run(
        "export", *map(str, paths), "--combine", "--format", "sqlite", "--out", str(out),
        "--redact", *options,
    )  # fmt: skip
    assert code == 0, output
    return sqlite3.connect(out)


def test_a_combined_redacted_export_keeps_the_categories_equal_across_visits(
    prisons: list[Path], tmp_path: Path
) -> None:
    with VisitFile.open(prisons[0], readonly=True) as visit:
        original = {
            (table, column): {
                r[0]
                for r in visit.query(f"SELECT DISTINCT {column} FROM {table} WHERE deleted = 0")
            }
            for table, column in (
                ("toc_period", "subject_group"),
                ("toc_period", "activity"),
                ("sample_frame", "name"),
                ("sample_criterion", "name"),
                ("location", "name"),
            )
        }
    conn = _combined(prisons, tmp_path / "all.sqlite")
    for table, columns in CATEGORIES.items():
        for column in columns:
            per_visit = _values(conn, table, column)
            assert len(per_visit) == 3, (table, column)
            first = per_visit[next(iter(per_visit))]
            assert all(values == first for values in per_visit.values()), (table, column)
            if (table, column) in original:
                assert first == original[(table, column)], (table, column)
    # 4 groups, 3 frames, 10 criteria in all: not 12, 9 and 30
    assert conn.execute("SELECT COUNT(DISTINCT subject_group) FROM toc_period").fetchone()[0] == 4
    assert conn.execute("SELECT COUNT(DISTINCT name) FROM sample_frame").fetchone()[0] == 3
    assert conn.execute("SELECT COUNT(DISTINCT criterion) FROM sample_answer").fetchone()[0] == 10
    # a comparison across prisons by group is one GROUP BY
    groups = conn.execute(
        "SELECT subject_group, COUNT(DISTINCT visit_id) FROM toc_period GROUP BY subject_group"
    ).fetchall()
    assert {count for _, count in groups} == {3}


def _people(conn: sqlite3.Connection) -> dict[str, dict[str, set[str]]]:
    return {
        "subject": _values(conn, "toc_period", "subject"),
        "record": _values(conn, "sample_record", "record"),
        "staff": _values(conn, "team_member", "name"),
    }


def test_people_are_pseudonymised_differently_per_visit_unless_one_key_file_is_given(
    prisons: list[Path], tmp_path: Path
) -> None:
    with VisitFile.open(prisons[0], readonly=True) as visit:
        subjects = {r[0] for r in visit.query("SELECT subject FROM toc_period")}
        names = {r[0] for r in visit.query("SELECT name FROM team_member")}
    own = _people(_combined(prisons, tmp_path / "own.sqlite"))
    for kind, per_visit in own.items():
        sets = list(per_visit.values())
        assert len(sets) == 3 and all(sets), kind
        assert all(v.startswith(("subject-", "record-", "staff-")) for v in sets[0]), kind
        assert not sets[0] & (subjects | names)
        # each visit its own key: nobody can be followed from one prison to another
        assert not sets[0] & sets[1] and not sets[1] & sets[2] and not sets[0] & sets[2], kind
    key_file = tmp_path / "org.key"
    key_file.write_text(ORG_KEY + "\n", encoding="ascii")
    linked = [
        _people(_combined(prisons, tmp_path / f"org{n}.sqlite", "--key-file", str(key_file)))
        for n in range(2)
    ]
    for kind, per_visit in linked[0].items():
        sets = list(per_visit.values())
        assert sets[0] == sets[1] == sets[2], kind  # the same person, the same pseudonym
        assert not sets[0] & (subjects | names)
        assert not sets[0] & set().union(*own[kind].values()), kind
        assert set().union(*linked[1][kind].values()) == sets[0], kind  # and in every export


def test_exports_of_one_visit_link_unless_a_fresh_key_is_asked_for(
    hull_path: Path, tmp_path: Path
) -> None:
    def subjects(out: Path, *options: str) -> set[str]:
        code, output = run(
            "export", str(hull_path), "--format", "json", "--out", str(out), "--redact", *options
        )
        assert code == 0, output
        text = out.read_text(encoding="utf-8")
        # a pseudonym, not the figure definitions' "subject-days observed"
        return set(re.findall(r'"(subject-[0-9a-f]{16})"', text))

    first = subjects(tmp_path / "a.json")
    assert first and subjects(tmp_path / "b.json") == first  # the visit's own key: linked
    fresh = subjects(tmp_path / "c.json", "--fresh-key")
    assert fresh and not fresh & first and len(fresh) == len(first)
    again = subjects(tmp_path / "d.json", "--fresh-key")
    assert again and not again & fresh and not again & first


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (None, "no such key file"),
        ("", "the key is too short (0 hexadecimal digits)"),
        (ORG_KEY[:40], "the key is too short (40 hexadecimal digits)"),
        (ORG_KEY + "ab", "the key is 66 hexadecimal digits; a key is exactly 64"),
        ("correct horse battery staple", "is not a key"),
        ("0" * 64, "the key does not look random"),
        ("0123456789abcdef" * 4, "the key does not look random"),
        ("\xe9" * 64, "is not a key"),
    ],
)
def test_a_missing_short_or_weak_key_file_is_refused_in_one_line(
    hull_path: Path, tmp_path: Path, content: str | None, said: str
) -> None:
    key_file = tmp_path / "org.key"
    if content is not None:
        key_file.write_text(content, encoding="latin-1")
    for export_format in ("sqlite", "bundle"):
        out = tmp_path / f"out-{export_format}"
        code, output = run(
            "export", str(hull_path), "--format", export_format, "--out", str(out), "--redact",
            "--key-file", str(key_file),
        )  # fmt: skip
        assert code == 1
        assert output.startswith(f"Error: {key_file}: {said}")
        assert output.count("\n") == 1 and "Traceback" not in output
        assert not out.exists()


def test_the_key_options_go_with_redact_and_one_at_a_time(hull_path: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "org.key"
    key_file.write_text(ORG_KEY, encoding="ascii")
    out = str(tmp_path / "x.json")
    base = ("export", str(hull_path), "--format", "json", "--out", out)
    assert run(*base, "--fresh-key") == (
        1,
        "Error: --key-file and --fresh-key go with --redact (they make its pseudonyms)\n",
    )
    assert run(*base, "--key-file", str(key_file))[0] == 1
    assert run(*base, "--redact", "--fresh-key", "--key-file", str(key_file)) == (
        1,
        "Error: choose --key-file or --fresh-key, not both\n",
    )
    assert not Path(out).exists()


TYPED = {
    "source": "Supplied by Marjorie Fairweather-Ngata, head of safety",
    "label": "Training compliance as Desmond Okonkwo-Bright counted it",
    "definition": "A listener such as Prisoner Albion Quartermaine, trained by Samaritans",
    "standing": "Thanks to Officer Philippa Strangeways-Holt on B wing",
}


def test_names_typed_into_a_data_return_or_the_glossary_are_in_no_redacted_export(
    hull_path: Path, tmp_path: Path
) -> None:
    with VisitFile.open(hull_path, user="Sara Pennington") as visit:
        record_data_return(
            visit, key="training_compliance", value=0.62, unit="proportion", period="2021-22",
            source=TYPED["source"], label=TYPED["label"],
        )  # fmt: skip
        report_parts.set_term(visit, "Listener", TYPED["definition"])
        report_parts.set_part(visit, "back_page", TYPED["standing"])
    for export_format in FORMATS:
        out = tmp_path / f"redacted-{export_format}"
        code, output = run(
            "export", str(hull_path), "--format", export_format, "--out", str(out), "--redact"
        )
        assert code == 0, output
        data = _all_bytes(out)
        assert [t for t in TYPED.values() if _appears(t, data)] == [], export_format
        assert b"training_compliance" in data and b"2021-22" in data  # the figure is there
        plain = tmp_path / f"plain-{export_format}"
        assert run("export", str(hull_path), "--format", export_format, "--out", str(plain))[0] == 0
        shown = _all_bytes(plain)
        expected = TYPED if export_format == "bundle" else {"source", "label"}
        assert all(_appears(TYPED[k], shown) for k in expected)  # the search works


def test_a_redacted_bundle_keeps_the_texts_irp_field_ships(hull_path: Path, tmp_path: Path) -> None:
    """Published text stays: a standing text or glossary entry word for word as shipped."""
    from irp_field.findings import part_defaults

    shipped = part_defaults.shipped()
    term = shipped.glossary[0]
    with VisitFile.open(hull_path, user="Sara Pennington") as visit:
        report_parts.set_term(visit, term.term, term.definition, ";".join(term.matches))
        report_parts.set_part(visit, "about", shipped.parts["about"])
    out = tmp_path / "bundle"
    assert (
        run("export", str(hull_path), "--format", "bundle", "--out", str(out), "--redact")[0] == 0
    )
    kept = part_defaults.read_file(out / "report-parts.toml")
    assert term in kept.glossary and kept.parts["about"] == shipped.parts["about"]
    assert len(kept.glossary) == 1  # the sample's own seven entries are the team's: left out


def test_every_column_a_redacted_copy_writes_has_a_policy() -> None:
    from irp_field.interchange import redacted_copy

    for table, columns in redacted_copy.FILE_POLICY.items():
        assert set(columns) == set(schema.merged_columns(table)), table
        assert all(columns.values()), (table, [c for c, p in columns.items() if not p])


def test_every_typed_text_column_is_decided_once_and_the_policies_follow_it() -> None:
    from irp_field.interchange import redacted_copy

    analyst = {(t.name, c) for t in TABLES for c in column_names(t)}
    in_file = {(t, c) for t in schema.MERGED_TABLES for c in schema.merged_columns(t)}
    follows = {
        redaction.CATEGORY: "keep",
        redaction.PUBLISHED: "keep",
        redaction.WORKING: "blank",
        redaction.SHIPPED: "shipped",
    }
    for (table, column), (decision, why) in redaction.TEXT_DECISIONS.items():
        assert (table, column) in analyst | in_file, (table, column)
        assert why.strip()
        if (table, column) in analyst:
            assert redaction.POLICY[table][column] == follows[decision], (table, column)
        if (table, column) in in_file:
            assert redacted_copy.FILE_POLICY[table][column] == follows[decision], (table, column)
    assert redaction.TEXT_DECISIONS[("data_return", "source")][0] == redaction.WORKING
    assert redaction.TEXT_DECISIONS[("data_return", "label")][0] == redaction.WORKING
    assert redaction.TEXT_DECISIONS[("glossary_term", "definition")][0] == redaction.SHIPPED
