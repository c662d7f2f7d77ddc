from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from property_helpers import examples

from irp_field.core.clock import MAX_COUNTER, HybridClock, Stamp, is_far_future
from irp_field.core.ids import keyed_id, keyed_ids, uuid7


def test_uuid7_is_version_7_and_sorts_by_time() -> None:
    ids = [uuid7() for _ in range(200)]
    assert all(uuid.UUID(value).version == 7 for value in ids)
    assert len(set(ids)) == 200
    # the first 48 bits are milliseconds: never decreasing in creation order
    millis = [uuid.UUID(value).int >> 80 for value in ids]
    assert millis == sorted(millis)


def test_keyed_ids_are_stable_and_distinct() -> None:
    assert keyed_id("visit-1", "location", "a wing") == keyed_id("visit-1", "location", "a wing")
    assert keyed_id("visit-1", "location", "a wing") != keyed_id("visit-2", "location", "a wing")
    assert keyed_id("visit-1", "location", "a wing") != keyed_id("visit-1", "team_member", "a wing")
    # the separator cannot be forged by joining parts differently
    assert keyed_id("v", "k", "a", "bc") != keyed_id("v", "k", "ab", "c")


@given(st.lists(st.text(), min_size=2, max_size=4))
def test_keyed_ids_are_the_uuid5s_they_always_were(parts: list[str]) -> None:
    """Every file keys its records by these ids: a quicker way of making them must make
    the same text, or a merge would take one record for two."""
    namespace = uuid.UUID("6f1c2a8e-3b7d-4c1e-9a55-2d0e8b7f4c11")
    made = uuid.uuid5(namespace, "\x1f".join(parts))
    assert keyed_id(*parts) == str(made)
    assert made.version == 5 and made.variant == uuid.RFC_4122


@given(st.text(), st.text(), st.lists(st.text(), min_size=1, max_size=3))
def test_keyed_ids_made_many_at_once_are_keyed_id(visit: str, kind: str, key: list[str]) -> None:
    """An import keys each roll check with the visit and kind made once: the ids must be
    the ones :func:`keyed_id` makes (and so the uuid5s above), whatever the parts."""
    assert keyed_ids(visit, kind)(*key) == keyed_id(visit, kind, *key)


def test_keyed_ids_need_a_key() -> None:
    with pytest.raises(ValueError, match="needs a key"):
        keyed_ids("visit-1", "roll_check")()


def test_clock_never_goes_backwards_when_the_wall_clock_does() -> None:
    times = iter([1000, 1000, 900, 900, 1001])
    clock = HybridClock("site", now_ms=lambda: next(times))
    stamps = [clock.tick() for _ in range(5)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 5
    assert Stamp.parse(stamps[2]) == Stamp(1000, 2, "site")
    assert Stamp.parse(stamps[4]) == Stamp(1001, 0, "site")


def test_clock_advances_past_observed_stamps() -> None:
    clock = HybridClock("mine", now_ms=lambda: 5_000)
    ahead = str(Stamp(9_000, 3, "theirs"))
    clock.observe(ahead)
    assert clock.tick() > ahead
    assert Stamp.parse(clock.tick()).millis == 9_000


def test_clock_resumes_from_the_last_stamp_stored() -> None:
    first = HybridClock("site", now_ms=lambda: 10_000)
    last = first.tick()
    again = HybridClock("site", last=last, now_ms=lambda: 10_000)
    assert again.tick() > last


def test_far_future_stamps_are_flagged() -> None:
    now = 1_700_000_000_000
    assert is_far_future(str(Stamp(now + 25 * 3600 * 1000, 0, "s")), now)
    assert not is_far_future(str(Stamp(now + 3 * 3600 * 1000, 0, "s")), now)
    assert not is_far_future("not a stamp", now)


@given(st.lists(st.integers(min_value=0, max_value=10**13 - 1), min_size=1, max_size=50))
def test_stamps_sort_as_text_in_issue_order(wall_times: list[int]) -> None:
    times = iter(wall_times)
    clock = HybridClock("abc", now_ms=lambda: next(times))
    stamps = [clock.tick() for _ in wall_times]
    assert stamps == sorted(stamps)
    assert [Stamp.parse(s) for s in stamps] == sorted(Stamp.parse(s) for s in stamps)


@pytest.mark.parametrize("site", ["a1b2c3d4e5f60718", "100%site"])
@pytest.mark.parametrize(
    ("counter", "count"),
    # from a fresh millisecond; and from a counter 3 short of full, so the batch runs
    # across a full counter into the next millisecond; and from a full counter
    [(10, 1), (10, 3), (10, 50), (MAX_COUNTER - 3, 10), (MAX_COUNTER, 2)],
)
def test_a_batch_of_stamps_is_what_ticking_one_by_one_gives(
    site: str, counter: int, count: int
) -> None:
    """Imports take their stamps in one batch: the same stamps, in the same order, as
    the same clock ticking once per row (across a full counter, into the next millisecond)."""
    last = str(Stamp(7_000, counter, site))
    batch = HybridClock(site, last=last, now_ms=lambda: 7_000)
    single = HybridClock(site, last=last, now_ms=lambda: 7_000)
    stamps = batch.tick_many(count)
    assert stamps == [single.tick() for _ in range(count)]
    assert batch.last == single.last
    assert batch.tick() == single.tick()


@pytest.mark.property  # Hypothesis runs inside the test
def test_the_stamp_rule_in_sql_answers_as_the_python_rule() -> None:
    """core.clock.stamp_sql (a merge's one-pass check) and is_stamp are one rule."""
    import sqlite3

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from irp_field.core.clock import is_stamp, stamp_sql

    conn = sqlite3.connect(":memory:")
    edges = [
        "1700000000000.000000.abcdef0123456789",
        "9999999999999.999990.abc",
        "8999999999999.999999.a",
        "1700000000000.000000.",
        "1700000000000.00000.abc",
        "17000000000000.000000.abc",
        "~~~",
        "",
        "1700000000000.000000.a b",
        "1700000000000.000000." + "a" * 64,
        "1700000000000.000000." + "a" * 65,
        "١٧٠٠٠٠٠٠٠٠٠٠٠.000000.abc",  # other digits
        "0000000000000.000000.0\x00",  # a NUL, where SQLite's length() and GLOB stop
    ]

    def same(text: str) -> None:
        in_sql = conn.execute(f"SELECT {stamp_sql('?1')}", (text,)).fetchone()[0]
        assert bool(in_sql) == is_stamp(text), text

    for text in edges:
        same(text)
    stamps = st.builds(
        lambda m, c, s: f"{m}.{c}.{s}",
        st.from_regex(r"[0-9]{12,14}", fullmatch=True),
        st.from_regex(r"[0-9]{5,7}", fullmatch=True),
        st.text(max_size=70),
    )

    @settings(max_examples=examples(300), deadline=None)
    @given(st.one_of(stamps, st.text(max_size=90)))
    def check(text: str) -> None:
        same(text)

    check()
