"""The house-style filters at their edges, and on figures of the wrong kind."""

from __future__ import annotations

import pytest

from irp_field.domain import wording
from irp_field.figures import Figure
from irp_field.findings import filters


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "none"),
        (1, "all"),
        (0.24, "almost a quarter"),
        (0.52, "just over half"),
        (0.33, "about a third"),
        (0.25, "about a quarter"),
        (0.245, "about a quarter"),  # d = -0.005: still "about"
        (0.255, "about a quarter"),  # d = +0.005
        (0.244, "almost a quarter"),  # just past -0.005
        (0.72, "almost three-quarters"),  # d = -0.03: the edge of "almost"
        (0.719, "72%"),  # just past it
        (0.22, "just over a fifth"),  # nearest fraction first: a fifth, not a quarter
        (0.28, "just over a quarter"),  # d = +0.03: the edge of "just over"
        (0.281, "28%"),  # just past "just over"
        (0.256, "just over a quarter"),
        (0.1, "about a tenth"),
        (0.9, "about nine-tenths"),
        (0.74, "almost three-quarters"),
        (0.45, "45%"),  # 0.05 from both two-fifths and half: no fraction fits
        (0.05, "5%"),
        (0.97, "97%"),
    ],
)
def test_words_at_each_boundary(value: float, expected: str) -> None:
    assert wording.words(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.405, "41%"), (0.404, "40%"), (0.125, "13%"), (0.285, "29%"), (0.0, "0%"), (1.0, "100%")],
)
def test_pct_rounds_half_up(value: float, expected: str) -> None:
    assert wording.pct(value) == expected


def test_hours_and_minutes_singular_and_plural() -> None:
    assert wording.hours(1) == "1 hour"
    assert wording.hours(0.96) == "1 hour"
    assert wording.hours(1.52) == "1.5 hours"
    assert wording.hours(1.25) == "1.3 hours"
    assert wording.hours(10) == "10 hours"
    assert wording.minutes(1) == "1 minute"
    assert wording.minutes(30.4) == "30 minutes"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "none"), (1, "one"), (9, "nine"), (10, "10"), (130, "130"), (1200, "1,200"), (2.5, "2.5")],
)
def test_number_words_one_to_nine(value: float, expected: str) -> None:
    assert wording.number(value) == expected


def _node(key: str, value: float | None, unit: str) -> object:
    from irp_field.findings.templates import figure_tree

    figure = Figure(key, value, "shown", 1, unit, "test")
    tree = figure_tree({key: figure}, {})
    node = tree[key.split(".")[0]]
    for part in key.split(".")[1:]:
        node = getattr(node, part)
    return node


def test_filters_take_figures_and_numbers() -> None:
    assert filters.words(_node("data.share", 0.33, "proportion")) == "about a third"
    assert filters.words(_node("data.share", 52, "percent")) == "just over half"
    assert filters.pct(0.4) == "40%"
    assert filters.hours(_node("toc.h", 1.52, "hours")) == "1.5 hours"
    assert filters.number(_node("data.n", 3, "count")) == "three"


def test_filters_refuse_the_wrong_kind_of_figure() -> None:
    with pytest.raises(filters.FilterError, match=r"data\.n, which is a count"):
        filters.words(_node("data.n", 114, "count"))
    with pytest.raises(filters.FilterError, match="no data yet"):
        filters.pct(_node("roll.x", None, "proportion"))
    with pytest.raises(filters.FilterError, match="needs a figure or a number"):
        filters.pct("forty")
