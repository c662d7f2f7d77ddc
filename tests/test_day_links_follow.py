"""A day's links follow its periods (issue 22 §3): a period typed under the wrong
subject or date and moved takes the day's links to plan items with it, by every path
that moves one (the API, a typed save, a merge of another laptop's move).

The rule (``links.follow_moved_periods``): the day a period moves to is linked to every
plan item the day it left was; the day it left keeps its links while it has periods
left, and loses them once it has none."""

from __future__ import annotations

from pathlib import Path

import pytest
from merge_helpers import cp
from test_evidence_links import _visit

from irp_field.api import evidence, time_out_of_cell, typed_writes
from irp_field.api.views.overview import overview
from irp_field.api.visits import open_visit
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.replication.merge import merge_visits

DAY = "2022-03-14"


def _periods(visit: VisitFile, subject: str) -> list[str]:
    return [p.id for p in time_out_of_cell.day(visit, subject, DAY)]


def _linked(visit: VisitFile) -> dict[str, list[str]]:
    days = {
        subject: evidence.day_plan_refs(visit, subject, DAY)
        for subject in ("U01", "U02", "U03", "U04")
    }
    return {subject: refs for subject, refs in days.items() if refs}


def test_a_day_whose_only_period_moves_takes_its_links_with_it(tmp_path: Path) -> None:
    path = _visit(tmp_path)
    with VisitFile.open(path, user="Amy Gill") as visit:
        evidence.link_day(visit, "U02", DAY, ["1.38"])
        [moved] = _periods(visit, "U02")
        evidence.edit_period(
            visit, moved, subject="U03", start="09:00", end="09:30", activity="association"
        )
        assert _linked(visit) == {"U03": ["1.38"]}  # U02 has no period left to link
        counts = {entry.item.ref: entry.counts for entry in overview(visit).items}
        assert counts["1.38"] == {"time out of cell": 1}  # still counted: not lost
        gone = visit.query("SELECT deleted FROM toc_day_link WHERE subject = 'U02'")
        assert [row["deleted"] for row in gone] == [1]  # a tombstone, which merges


def test_a_day_some_of_whose_periods_move_keeps_its_links_and_the_new_day_gains_them(
    tmp_path: Path,
) -> None:
    path = _visit(tmp_path)
    with VisitFile.open(path, user="Amy Gill") as visit:
        evidence.link_day(visit, "U01", DAY, ["1.38", "1.39"])
        first, _second = sorted(_periods(visit, "U01"))
        evidence.edit_period(
            visit, first, subject="U04", start="09:00", end="10:00", activity="association"
        )
        assert _linked(visit) == {"U01": ["1.38", "1.39"], "U04": ["1.38", "1.39"]}


def test_a_typed_save_of_a_period_on_another_day_moves_it_and_its_links(tmp_path: Path) -> None:
    """The screens' and a program's save (``api.typed_writes``): the same rule."""
    path = _visit(tmp_path)
    with open_visit(path, user="Amy Gill") as visit:
        evidence.link_day(visit, "U02", DAY, ["1.39"])
        [moved] = _periods(visit, "U02")
        typed_writes.period(
            visit,
            {"period_id": moved, "subject": "U03", "on_date": "2022-03-15", "group": "Unemployed",
             "start": "09:00", "end": "09:45", "activity": "association"},
        )  # fmt: skip
        assert _linked(visit) == {}
        assert evidence.day_plan_refs(visit, "U03", "2022-03-15") == ["1.39"]
        assert [p.end for p in time_out_of_cell.day(visit, "U03", "2022-03-15")] == ["09:45"]


def test_a_move_into_a_day_of_another_group_is_refused_and_writes_nothing(
    tmp_path: Path,
) -> None:
    path = _visit(tmp_path)
    with VisitFile.open(path, user="Amy Gill") as visit:
        evidence.record_period(
            visit, on_date=DAY, subject="U04", group="Full-time work", start="13:00",
            end="14:00", activity="work",
        )  # fmt: skip
        evidence.link_day(visit, "U02", DAY, ["1.38"])
        [moved] = _periods(visit, "U02")
        with pytest.raises(IrpError, match="group"):
            evidence.edit_period(
                visit, moved, subject="U04", start="09:00", end="09:30", activity="association"
            )
        assert _periods(visit, "U02") == [moved]
        assert _linked(visit) == {"U02": ["1.38"]}


def test_a_merge_of_a_period_moved_on_another_laptop_moves_the_links_made_here(
    tmp_path: Path,
) -> None:
    """The laptop that moved U02's period never saw the link the team leader made."""
    master = _visit(tmp_path)
    laptop = cp(master, tmp_path / "laptop.db")
    with VisitFile.open(laptop, user="Bea Hart") as visit:
        [moved] = _periods(visit, "U02")
        evidence.edit_period(
            visit, moved, subject="U03", start="09:00", end="09:30", activity="association"
        )
    with VisitFile.open(master, user="Amy Gill") as visit:
        evidence.link_day(visit, "U02", DAY, ["1.38"])
    merge_visits(master, [laptop])
    with VisitFile.open(master, readonly=True) as visit:
        assert _periods(visit, "U03") == [moved]
        assert _linked(visit) == {"U03": ["1.38"]}
    merge_visits(laptop, [master])  # and back: the laptop ends the same
    with VisitFile.open(laptop, readonly=True) as visit:
        assert _linked(visit) == {"U03": ["1.38"]}
