"""Names typed by hand on the command line, with a slip in them. Who is recording
(``--by`` or IRP_FIELD_USER): a slip of a team member's name is refused, naming the
member meant; a visit's name the visits folder lacks is answered with those near it. Walking as a new inspector,
`irp-field import hull roll-checks tue.csv --by "Jade Richard"` imported the check with
exit 0, and the overview then counted a "Jade Richard" beside Jade Richards: a phantom
inspector in the figures by inspector, in the record's history and in the hand-back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from irp_field.cli import main
from irp_field.domain.setup import misspelt_member

ROLL = (
    "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,elsewhere,"
    "round,inspector,note\n2022-03-16T16:00,A wing,100,100,0,0,0,0,Wed late,,\n"
)


def _checks(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM roll_check").fetchone()[0])


@pytest.mark.parametrize(
    ("by", "meant"),
    [("Jade Richard", "Jade Richards"), ("Sara Penington", "Sara Pennington")],
)
def test_a_slip_of_a_team_members_name_records_nothing(
    hull_path: Path, tmp_path: Path, by: str, meant: str
) -> None:
    csv = tmp_path / "tue.csv"
    csv.write_text(ROLL, encoding="utf-8")
    before = _checks(hull_path)
    result = CliRunner().invoke(
        main, ["import", str(hull_path), "roll-checks", str(csv), "--by", by]
    )
    assert result.exit_code == 1
    assert f"{by!r} is not on the team of hull.db; did you mean {meant!r}?" in result.output
    assert "Traceback" not in result.output
    assert _checks(hull_path) == before
    # the same name from the environment, as a laptop's setting
    result = CliRunner().invoke(
        main, ["import", str(hull_path), "roll-checks", str(csv)], env={"IRP_FIELD_USER": by}
    )
    assert result.exit_code == 1 and meant in result.output
    assert _checks(hull_path) == before


@pytest.mark.parametrize("by", ["Jade Richards", "jade richards", "Ann Newcomer"])
def test_a_member_or_a_name_near_no_ones_is_taken(hull_path: Path, tmp_path: Path, by: str) -> None:
    """A member, in any case; a name near no member's (someone not added to the team
    yet: taken, and ``check`` names their records as it did)."""
    csv = tmp_path / "tue.csv"
    csv.write_text(ROLL, encoding="utf-8")
    before = _checks(hull_path)
    result = CliRunner().invoke(
        main, ["import", str(hull_path), "roll-checks", str(csv), "--by", by]
    )
    assert result.exit_code == 0, result.output
    assert _checks(hull_path) == before + 1


def test_reading_never_asks_who_is_recording(hull_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["figures", str(hull_path)], env={"IRP_FIELD_USER": "Jade Richard"}
    )
    assert result.exit_code == 0, result.output


def test_a_slip_is_a_letter_or_two_from_one_member() -> None:
    team = {n.casefold(): n for n in ("Jade Richards", "Paul Rowlands", "Sara Pennington")}
    assert misspelt_member("Jade Richard", team) == "Jade Richards"
    assert misspelt_member(" paul rowland ", team) == "Paul Rowlands"
    assert misspelt_member("Jade Richards", team) is None  # on the team
    assert misspelt_member("JADE RICHARDS", team) is None  # on the team, in capitals
    assert misspelt_member("Ann Newcomer", team) is None  # near no one
    assert misspelt_member("Jade", team) is None  # too far to be a slip
    assert misspelt_member("Jade Richard", {}) is None  # no team yet


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("hul", "did you mean 'hull'?"),
        ("Hull", "did you mean 'hull'?"),
        ("leed", "did you mean 'leeds'?"),
        ("wormwood", "(irp-field list names the visits there)"),
    ],
)
def test_a_visit_name_typed_with_a_slip_is_answered_with_the_names_near_it(
    irp_home: Path, typed: str, said: str
) -> None:
    """Walking: `irp-field open hul` and `open Hull` said only "…/hul.db: no such file"."""
    for name in ("hull", "leeds"):
        made = CliRunner().invoke(
            main,
            [
                "new",
                name,
                "--establishment",
                "HMP X",
                "--start",
                "2022-03-14",
                "--end",
                "2022-03-16",
            ],
        )
        assert made.exit_code == 0, made.output
    result = CliRunner().invoke(main, ["figures", typed])
    assert result.exit_code == 1
    assert f"{irp_home / 'visits' / typed}.db: no such file" in result.output
    assert said in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in (irp_home / "visits").iterdir()) == ["hull.db", "leeds.db"]
