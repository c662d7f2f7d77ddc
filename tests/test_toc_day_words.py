"""The time-out-of-cell day line names an overlap only when periods overlap (issue 22:
"(45 min, overlaps once)" was shown of a single period)."""

from __future__ import annotations

from irp_field.domain.time_out_of_cell import day_totals


def test_a_single_period_says_no_overlap() -> None:
    day = day_totals([("08:00", "08:45", "gym")])
    assert day.overlap_minutes == 0
    assert day.said("Z99", "2022-03-16") == (
        "Z99 on 2022-03-16: 0.8 hours unlocked (45 min), 0 minutes in the open air"
    )


def test_periods_that_meet_do_not_overlap() -> None:
    day = day_totals([("09:00", "10:00", "work"), ("10:00", "10:30", "open_air")])
    assert (day.unlocked_minutes, day.open_air_minutes, day.overlap_minutes) == (90, 30, 0)
    assert "overlap" not in day.said("C01", "2022-03-14")


def test_overlapping_periods_say_how_much_was_counted_once() -> None:
    day = day_totals(
        [
            ("16:10", "17:00", "association"),
            ("16:30", "17:30", "open_air"),
            ("16:40", "16:50", "gym"),
        ]
    )
    # 16:10-17:30 is 80 minutes; the periods claim 50 + 60 + 10 = 120: 40 counted once
    assert (day.unlocked_minutes, day.overlap_minutes) == (80, 40)
    assert "(80 min; 40 min of overlapping periods counted once)" in day.said("C01", "2022-03-14")
