"""Visit bundles: the Hull sample builds, and export -> build -> export is lossless."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from irp_field import figures
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import InputError, IrpError
from irp_field.interchange import samples
from irp_field.interchange.bundle import build_from_bundle, parse_findings, write_bundle


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_the_hull_sample_builds_with_everything_in_it(hull: VisitFile) -> None:
    counts = {
        table: hull.one(f"SELECT COUNT(*) FROM {table} WHERE deleted = 0")[0]  # type: ignore[index]
        for table in (
            "team_member",
            "location",
            "plan_item",
            "judgement",
            "roll_check",
            "toc_period",
            "sample_frame",
            "sample_answer",
            "note",
            "data_return",
            "finding",
        )
    }
    assert counts["team_member"] == 10
    assert counts["plan_item"] == 13
    assert counts["judgement"] == 12  # 1.34a and 1.34b are one judged unit
    assert counts["roll_check"] == 66
    assert counts["sample_frame"] == 3
    assert counts["finding"] == 57
    assert counts["note"] > 0 and counts["data_return"] > 0 and counts["toc_period"] > 0


def test_export_then_build_then_export_is_lossless(hull: VisitFile, tmp_path: Path) -> None:
    first = write_bundle(hull, tmp_path / "first")
    rebuilt = build_from_bundle(first, tmp_path / "rebuilt.db")
    with VisitFile.open(rebuilt) as again:
        second = write_bundle(again, tmp_path / "second")
        assert {k: f.value for k, f in figures.compute(again).items()} == {
            k: f.value for k, f in figures.compute(hull).items()
        }
    assert _tree(first) == _tree(second)


def test_the_shipped_bundle_round_trips_its_evidence(hull: VisitFile, tmp_path: Path) -> None:
    exported = write_bundle(hull, tmp_path / "out")
    shipped = samples.sample_bundle()
    for name in ("team.csv", "locations.csv", "roll-checks.csv", "findings.md"):
        if name == "findings.md":
            assert parse_findings((shipped / name).read_text()) == parse_findings(
                (exported / name).read_text()
            )
        else:
            shipped_rows = sorted((shipped / name).read_text().splitlines())
            exported_rows = sorted((exported / name).read_text().splitlines())
            assert shipped_rows == exported_rows, name
    assert filecmp.cmp(
        shipped / "samples" / "use_of_force_records.csv",
        exported / "samples" / "use_of_force_records.csv",
        shallow=False,
    )


def test_a_bad_bundle_leaves_no_file_behind(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "visit.toml").write_text(
        '[visit]\nestablishment = "HMP X"\nstart = "2022-01-01"\nend = "2022-01-02"\n'
    )
    (bundle / "team.csv").write_text("name,role,body\nA,Inspector,HMIP\n")
    (bundle / "roll-checks.csv").write_text(
        "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,elsewhere\n"
        "2022-01-01T10:00,Nowhere,1,1,0,0,0,0\n"
    )
    target = tmp_path / "x.db"
    with pytest.raises(InputError, match=r"roll-checks\.csv, line 2, column location"):
        build_from_bundle(bundle, target)
    assert list(tmp_path.iterdir()) == [bundle]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (None, "no visit.toml"),
        ("[visit]\nestablishment = 'X'\n", "needs start"),
        (
            "[visit]\nestablishment = 'X'\nstart = '2022-13-01'\nend = '2022-01-02'\n",
            "is not a date",
        ),
        ("not = [toml", "cannot be read"),
    ],
)
def test_visit_toml_problems_are_named(tmp_path: Path, toml: str | None, message: str) -> None:
    bundle = tmp_path / "b"
    bundle.mkdir()
    if toml is not None:
        (bundle / "visit.toml").write_text(toml)
    with pytest.raises(IrpError, match=message):
        build_from_bundle(bundle, tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()


def test_findings_markdown_parsing() -> None:
    text = "<!-- comment -->\n# Title\n\n## 1.33\n\nFirst\nparagraph.\n\nSecond.\n\n## Theme 1\n\nThird.\n"
    assert parse_findings(text) == [
        ("1.33", ["First paragraph.", "Second."]),
        ("Theme 1", ["Third."]),
    ]
