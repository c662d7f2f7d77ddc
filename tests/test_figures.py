"""Figures: the Hull sample reproduces the report, and SQL agrees with a naive recomputation."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_helpers import examples

from irp_field import figures
from irp_field.core.visit_file import VisitFile
from irp_field.domain import wording
from irp_field.domain.roll_checks import RollCounts
from irp_field.domain.sampling import wilson_interval
from irp_field.domain.vocabulary import ROLL_CATEGORIES


def test_hull_figures_match_the_report(hull: VisitFile) -> None:
    computed = figures.compute(hull)
    shown = {key: figure.display for key, figure in computed.items()}
    assert shown["roll.pct_locked_up"] == "40%"  # 3.39
    assert shown["data.prev_pct_locked_up"] == "48%"
    assert shown["roll.pct_off_wing_activity"] == "14%"
    assert shown["roll.pct_wing_work"] == "14%"  # "a similar number"
    assert shown["toc.by_group.unemployed.hours_per_day"] == "1.5 hours"  # 3.37
    assert shown["toc.by_group.unemployed.open_air_minutes_per_day"] == "30 minutes"
    assert shown["data.news2_training_compliance"] == "27%"  # 3.21
    assert shown["data.mh_waiting"] == "114"  # 3.34
    counts = {key: computed[key].value for key in computed if key.startswith("judgements.")}
    assert [
        counts[f"judgements.hmip.{k}"]
        for k in ("good", "reasonable", "insufficient", "no_meaningful", "total")
    ] == [2, 3, 4, 0, 9]
    assert [
        counts[f"judgements.ofsted.{k}"]
        for k in ("significant", "reasonable", "insufficient", "total")
    ] == [0, 3, 0, 3]
    assert (
        computed["roll.pct_locked_up_min"].value
        < computed["roll.pct_locked_up"].value
        < computed["roll.pct_locked_up_max"].value
    )  # type: ignore[operator]
    assert computed["roll.rounds"].value == 6


def test_every_figure_has_value_display_and_n(hull: VisitFile) -> None:
    for key, figure in figures.compute(hull).items():
        assert figure.key == key
        assert isinstance(figure.display, str) and figure.display
        assert isinstance(figure.n, int) and figure.n >= 0
        if figure.unit == "proportion" and figure.value is not None:
            assert 0 <= figure.value <= 1, key


def test_deleted_rows_count_nowhere(hull: VisitFile) -> None:
    before = figures.compute(hull)
    with hull.transaction():
        for row in hull.query("SELECT id FROM roll_check"):
            hull.delete("roll_check", row["id"])
        hull.delete(
            "data_return",
            hull.query("SELECT id FROM data_return WHERE key = 'mh_waiting'")[0]["id"],
        )
    after = figures.compute(hull)
    assert before["roll.checks"].value == 66
    assert after["roll.checks"].value == 0
    assert after["roll.pct_locked_up"].value is None
    assert after["roll.pct_locked_up"].display == "no data"
    assert "data.mh_waiting" not in after
    assert not any(key.startswith("roll.by_location.") for key in after)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A wing", "a_wing"),
        ("Full-time work", "full_time_work"),
        ("  Use of force (UoF) records ", "use_of_force_uof_records"),
    ],
)
def test_slugs(text: str, expected: str) -> None:
    assert wording.slug(text) == expected


def _new_visit(folder: str) -> VisitFile:
    return VisitFile.create(
        Path(folder) / "v.db",
        establishment="HMP Test",
        start_date="2026-01-12",
        end_date="2026-01-14",
        user="tester",
    )


roll_rows = st.lists(
    st.tuples(
        st.sampled_from(["A wing", "B wing", "Seg"]),
        st.sampled_from(["", "Mon AM", "Mon PM"]),
        st.integers(0, 23),
        st.lists(st.integers(0, 40), min_size=len(ROLL_CATEGORIES), max_size=len(ROLL_CATEGORIES)),
        st.integers(0, 10),
        st.booleans(),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roll_rows)
def test_roll_figures_agree_with_a_naive_recomputation(rows: list) -> None:  # type: ignore[type-arg]
    """Since issue 13 a location counts once per round: a later check of it in the same
    round replaces the earlier one (here through the API with replace=True), and the
    naive recomputation keeps the last check of each location in each round."""
    from irp_field.domain.rounds import hour_round_name
    from irp_field.evidence import roll_checks

    kept: dict[tuple[str, str], tuple] = {}  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as folder, _new_visit(folder) as visit:
        with visit.transaction():
            for name in ("A wing", "B wing", "Seg"):
                visit.insert("location", {"name": name, "kind": "wing"})
        for row in rows:
            place, round_label, hour, counts, spare, deleted = row
            taken_at = f"2026-01-12T{hour:02d}:00"
            check = roll_checks.record_roll_check(
                visit,
                location_id=place,
                counts=RollCounts(sum(counts) + spare, *counts),
                taken_at=taken_at,
                round_label=round_label,
                note="away" if spare else "",
                replace=True,
            )
            key = (round_label or hour_round_name(taken_at), place)
            kept[key] = row
            if deleted:
                roll_checks.delete_roll_check(visit, check)
                del kept[key]
        computed = figures.compute(visit)
    live = list(kept.values())
    total_roll = sum(sum(r[3]) + r[4] for r in live)
    assert computed["roll.checks"].value == len(live)
    assert computed["roll.counted"].value == total_roll
    for index, category in enumerate(ROLL_CATEGORIES):
        expected = sum(r[3][index] for r in live) / total_roll if total_roll else None
        assert computed[f"roll.pct_{category}"].value == pytest.approx(expected)
    rounds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    places: dict[str, set[str]] = defaultdict(set)
    for place, round_label, hour, counts, spare, _ in live:
        key = round_label or hour_round_name(f"2026-01-12T{hour:02d}:00")
        rounds[key][0] += counts[0]
        rounds[key][1] += sum(counts) + spare
        places[key].add(place)
    # The range is across whole rounds only: all three locations counted (issue 22).
    whole = [key for key in rounds if places[key] == {"A wing", "B wing", "Seg"}]
    shares = [rounds[key][0] / rounds[key][1] for key in whole if rounds[key][1]]
    assert computed["roll.rounds"].value == len(rounds)
    assert computed["roll.rounds_partial"].value == len(rounds) - len(whole)
    assert computed["roll.pct_locked_up_min"].value == pytest.approx(
        min(shares) if shares else None
    )
    assert computed["roll.pct_locked_up_max"].value == pytest.approx(
        max(shares) if shares else None
    )
    for place in {r[0] for r in live}:
        mine = [r for r in live if r[0] == place]
        roll = sum(sum(r[3]) + r[4] for r in mine)
        expected = sum(r[3][1] for r in mine) / roll if roll else None
        assert computed[
            f"roll.by_location.{wording.slug(place)}.pct_off_wing_activity"
        ].value == pytest.approx(expected)


periods = st.lists(
    st.tuples(
        st.sampled_from(["U01", "U02", "W01"]),
        st.sampled_from(["2026-01-12", "2026-01-13"]),
        st.integers(0, 23 * 60 - 1),
        st.integers(1, 300),
        st.sampled_from(["open_air", "domestic", "work", "gym"]),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(periods)
def test_time_out_of_cell_agrees_with_counting_minutes(rows: list) -> None:  # type: ignore[type-arg]
    group_of = {"U01": "Unemployed", "U02": "Unemployed", "W01": "Full-time work"}
    with tempfile.TemporaryDirectory() as folder, _new_visit(folder) as visit:
        with visit.transaction():
            for subject, day, start, length, activity in rows:
                end = min(start + length, 24 * 60 - 1)
                visit.insert(
                    "toc_period",
                    {
                        "subject": subject,
                        "on_date": day,
                        "subject_group": group_of[subject],
                        "start_time": f"{start // 60:02d}:{start % 60:02d}",
                        "end_time": f"{end // 60:02d}:{end % 60:02d}",
                        "activity": activity,
                    },
                )
        computed = figures.compute(visit)
    unlocked: dict[tuple[str, str], set[int]] = defaultdict(set)
    open_air: dict[tuple[str, str], set[int]] = defaultdict(set)
    for subject, day, start, length, activity in rows:
        minutes = set(range(start, min(start + length, 24 * 60 - 1)))
        unlocked[(subject, day)] |= minutes
        if activity == "open_air":
            open_air[(subject, day)] |= minutes
    days = list(unlocked)
    assert computed["toc.subject_days"].value == len(days)
    assert computed["toc.hours_per_day"].value == pytest.approx(
        sum(len(unlocked[d]) for d in days) / 60 / len(days)
    )
    assert computed["toc.open_air_minutes_per_day"].value == pytest.approx(
        sum(len(open_air[d]) for d in days) / len(days)
    )
    under_two = sum(1 for d in days if len(unlocked[d]) < 120)
    assert computed["toc.pct_days_under_2_hours"].value == pytest.approx(under_two / len(days))
    for group in set(group_of.values()):
        mine = [d for d in days if group_of[d[0]] == group]
        if mine:
            key = f"toc.by_group.{wording.slug(group)}"
            assert computed[f"{key}.subject_days"].value == len(mine)
            assert computed[f"{key}.hours_per_day"].value == pytest.approx(
                sum(len(unlocked[d]) for d in mine) / 60 / len(mine)
            )


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.tuples(
            st.sampled_from(["R1", "R2", "R3", "R4"]), st.sampled_from(["Complete", "On time"])
        ),
        st.sampled_from(["yes", "no", "na"]),
        min_size=1,
    )
)
def test_sampling_figures_agree_with_counting(answers: dict) -> None:  # type: ignore[type-arg]
    from irp_field.evidence import sampling

    with tempfile.TemporaryDirectory() as folder, _new_visit(folder) as visit:
        with visit.transaction():
            frame = sampling.ensure_frame(visit, "Use of force", population=40)
            for (record, criterion), answer in answers.items():
                sampling.record_answer(visit, frame, record, criterion, answer)
        computed = figures.compute(visit)
    assert computed["sample.use_of_force.records"].value == len({r for r, _ in answers})
    for criterion in {c for _, c in answers}:
        given_answers = [a for (_, c), a in answers.items() if c == criterion]
        yes, no = given_answers.count("yes"), given_answers.count("no")
        key = f"sample.use_of_force.{wording.slug(criterion)}"
        assert computed[f"{key}.yes"].value == yes
        assert computed[f"{key}.no"].value == no
        assert computed[f"{key}.na"].value == given_answers.count("na")
        assert computed[f"{key}.applicable"].value == yes + no
        assert computed[f"{key}.pct"].value == (
            pytest.approx(yes / (yes + no)) if yes + no else None
        )
        if yes + no:
            low, high = wilson_interval(yes, yes + no)
            assert computed[f"{key}.ci_low"].value == pytest.approx(low)
            assert low <= yes / (yes + no) <= high


def test_wilson_interval_known_values() -> None:
    low, high = wilson_interval(15, 16)
    assert low == pytest.approx(0.7167, abs=1e-3)
    assert high == pytest.approx(0.9889, abs=1e-3)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(0, 10)[0] == 0.0


def test_family_figures_say_what_they_are_about(hull: VisitFile) -> None:
    computed = figures.compute(hull)
    assert computed["toc.by_group.unemployed.hours_per_day"].about == "Unemployed"
    assert computed["roll.by_location.a_wing.pct_locked_up"].about == "A wing"
    assert computed["sample.csip_investigations.records"].about == "CSIP investigations"
    assert computed["sample.use_of_force_records.complete.pct"].about == "Complete"
    assert computed["roll.pct_locked_up"].about == ""


def test_a_round_not_every_location_was_counted_in_is_left_out_of_the_range() -> None:
    """A half-counted round (one wing at 90% locked up, the rest not typed yet) set the
    top of the range the overview and the report quote; the pooled share still counts
    its check, and the overview says the round is left out."""
    from irp_field.evidence import roll_checks
    from irp_field.tui.widgets.key_figures import figure_lines

    with tempfile.TemporaryDirectory() as folder, _new_visit(folder) as visit:
        with visit.transaction():
            for name in ("A wing", "B wing"):
                visit.insert("location", {"name": name, "kind": "wing"})
        for place, label, locked in (
            ("A wing", "Mon AM", 30),
            ("B wing", "Mon AM", 50),  # 40% over the round
            ("A wing", "Mon PM", 90),  # B wing not typed yet: 90%
        ):
            roll_checks.record_roll_check(
                visit,
                location_id=place,
                counts=RollCounts(100, locked, 100 - locked, 0, 0, 0),
                taken_at=f"2026-01-12T{'09' if label == 'Mon AM' else '14'}:00",
                round_label=label,
            )
        computed = figures.compute(visit)
    assert computed["roll.pct_locked_up_max"].value == pytest.approx(0.40)  # was 90%
    assert computed["roll.rounds"].value == 2
    assert computed["roll.rounds_partial"].value == 1
    assert computed["roll.pct_locked_up_min"].value == pytest.approx(0.40)
    assert computed["roll.pct_locked_up_max"].n == 1
    assert computed["roll.pct_locked_up"].value == pytest.approx(170 / 300)
    line = str(figure_lines(computed)).splitlines()[0]
    assert line == "Locked up 57% (40% in the 1 whole round, 1 partial not in the range)"
