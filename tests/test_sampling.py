"""Reproducible samples: the same seed and list always give the same records."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from irp_field.core.visit_file import VisitFile
from irp_field.domain import sampling
from irp_field.domain.errors import IrpError
from irp_field.evidence.sampling import draw_sample, find_frame


def test_a_draw_can_be_rederived_from_seed_and_list_by_anyone() -> None:
    records = sampling.population_records(120)
    drawn = sampling.draw(records, 15, seed=2022)
    # the documented rule, written out independently
    expected = sorted(records, key=lambda r: hashlib.sha256(f"2022:{r}".encode()).digest())[:15]
    assert drawn == expected
    assert (
        sampling.list_sha256(records)
        == hashlib.sha256("".join(f"{n}\n" for n in range(1, 121)).encode()).hexdigest()
    )


@given(
    st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=40, unique=True),
    st.integers(),
    st.data(),
)
def test_draws_are_reproducible_distinct_and_from_the_list(
    records: list[str], seed: int, data: st.DataObject
) -> None:
    size = data.draw(st.integers(1, len(records)))
    first = sampling.draw(records, size, seed)
    assert first == sampling.draw(list(reversed(records)), size, seed)
    assert len(set(first)) == size
    assert set(first) <= set(records)


def test_impossible_draws_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot draw 5 records from a list of 3"):
        sampling.draw(["a", "b", "c"], 5, 1)
    with pytest.raises(ValueError, match="duplicate"):
        sampling.draw(["a", "a"], 1, 1)


def test_a_drawn_sample_is_stored_with_its_seed_and_hash(empty_visit: VisitFile) -> None:
    frame_id, drawn, digest = draw_sample(
        empty_visit,
        "Use of force records",
        size=5,
        seed=7,
        records=sampling.population_records(40),
        population_given=True,
        criteria=["Complete", "On time"],
    )
    frame = find_frame(empty_visit, "use of force records")
    assert frame is not None and frame.id == frame_id
    assert (frame.seed, frame.population, frame.list_sha256) == ("7", 40, digest)
    stored = [
        r["record"]
        for r in empty_visit.query(
            "SELECT record FROM sample_record WHERE frame_id = ? ORDER BY position", (frame_id,)
        )
    ]
    assert stored == drawn
    criteria = [
        r["name"]
        for r in empty_visit.query(
            "SELECT name FROM sample_criterion WHERE frame_id = ? ORDER BY position", (frame_id,)
        )
    ]
    assert criteria == ["Complete", "On time"]
    with pytest.raises(IrpError, match="already drawn"):
        draw_sample(
            empty_visit,
            "Use of force records",
            size=5,
            seed=8,
            records=sampling.population_records(40),
            population_given=True,
            criteria=[],
        )


def test_a_comment_alone_is_kept_with_the_answer_left_for_later(empty_visit: VisitFile) -> None:
    from irp_field import figures
    from irp_field.evidence.sampling import ensure_frame, record_answer

    with empty_visit.transaction():
        frame = ensure_frame(empty_visit, "Case files", population=10)
        record_answer(empty_visit, frame, "1", "Complete", "", "file missing")
        record_answer(empty_visit, frame, "2", "Complete", "yes")
    with pytest.raises(ValueError, match="unknown answer"), empty_visit.transaction():
        record_answer(empty_visit, frame, "3", "Complete", "", "  ")  # nothing to keep
    with pytest.raises(ValueError, match="unknown answer"), empty_visit.transaction():
        record_answer(empty_visit, frame, "3", "Complete", "maybe", "a comment")
    rows = empty_visit.query("SELECT record, answer, comment FROM sample_answer ORDER BY record")
    assert [tuple(r) for r in rows] == [("1", "", "file missing"), ("2", "yes", "")]
    computed = figures.compute(empty_visit)
    assert computed["sample.case_files.complete.yes"].value == 1
    assert computed["sample.case_files.complete.na"].value == 0
    assert computed["sample.case_files.complete.applicable"].value == 1


@pytest.mark.parametrize(
    ("name", "criterion", "words"),
    [
        (" ", "Complete", "the sample frame must not be empty"),
        ("Use of force records", "On\ttime", "the criterion holds a control character"),
        ("x" * 201, "Complete", "the sample frame is 201 characters"),
    ],
)
def test_a_frame_or_criterion_that_is_no_name_is_refused_and_nothing_is_stored(
    empty_visit: VisitFile, name: str, criterion: str, words: str
) -> None:
    """The rules check and a merge read stored frames and criteria back through
    (``domain.sampling``); a draw was stored with a frame named ' ' before."""
    with pytest.raises(IrpError, match=words):
        draw_sample(
            empty_visit,
            name,
            size=2,
            seed=1,
            records=sampling.population_records(10),
            population_given=True,
            criteria=[criterion],
        )
    assert empty_visit.one("SELECT COUNT(*) FROM sample_frame")[0] == 0
