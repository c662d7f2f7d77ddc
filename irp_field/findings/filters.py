"""The Jinja filters a findings paragraph may use: words, pct, hours, minutes, number.

Each takes a figure (as the template sees it) or a plain number, so that
``{{ data.unemployed_share | words }}`` and ``{{ 0.33 | words }}`` both work. A filter
that does not fit the figure's unit (``words`` on a count) is refused rather than
printing nonsense in a published report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from irp_field.domain import wording
from irp_field.figures import Figure


class FilterError(ValueError):
    """A filter was given something it cannot word; the message names the figure."""


def _figure_of(value: Any) -> Figure | None:
    # A template's figure is a FigureNode; its private _figure is out of the sandbox's reach.
    figure = getattr(value, "_figure", None)
    if figure is None and hasattr(value, "_path"):
        raise FilterError(f"{value._path!r} is a group of figures, not a figure")
    return figure if isinstance(figure, Figure) else None


def _number(value: Any, filter_name: str, units: tuple[str, ...]) -> float:
    """The plain number behind ``value``; a percent figure becomes a proportion for pct/words."""
    figure = _figure_of(value)
    if figure is None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FilterError(f"the {filter_name} filter needs a figure or a number, not {value!r}")
        return float(value)
    if figure.value is None:
        raise FilterError(
            f"{figure.key} has no data yet, so the {filter_name} filter cannot word it"
        )
    if figure.unit not in units:
        raise FilterError(
            f"the {filter_name} filter does not fit {figure.key}, which is a {figure.unit} "
            f"(it fits: {', '.join(units)})"
        )
    if figure.unit == "percent" and filter_name in ("words", "pct"):
        return float(figure.value) / 100
    return float(figure.value)


_SHARES = ("proportion", "percent")
_COUNTS = ("count", "number")


def words(value: Any) -> str:
    return wording.words(_number(value, "words", _SHARES))


def pct(value: Any) -> str:
    return wording.pct(_number(value, "pct", _SHARES))


def hours(value: Any) -> str:
    return wording.hours(_number(value, "hours", ("hours",)))


def minutes(value: Any) -> str:
    return wording.minutes(_number(value, "minutes", ("minutes",)))


def number(value: Any) -> str:
    return wording.number(_number(value, "number", _COUNTS))


FILTERS: dict[str, Callable[[Any], str]] = {
    "words": words,
    "pct": pct,
    "hours": hours,
    "minutes": minutes,
    "number": number,
}
