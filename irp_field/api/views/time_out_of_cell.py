"""What the time-out-of-cell screen shows: a subject's day (its periods, and what to
suggest), the averages by group; read in a thread (``load``)."""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.api import findings as figures
from irp_field.api import time_out_of_cell
from irp_field.api.visits import Visit as VisitFile


@dataclass(frozen=True)
class GroupAverage:
    group: str
    hours_per_day: str
    open_air_per_day: str
    days: int


@dataclass(frozen=True)
class DayState:
    subject: str
    on_date: str
    periods: list[time_out_of_cell.Period]
    subjects: list[str]
    groups: list[str]
    latest_group: str  # the subject's group on their latest day, to preselect


def group_averages(visit: VisitFile) -> list[GroupAverage]:
    """The toc.by_group.* figures, one line a group."""
    computed = list(figures.toc_figures(visit))
    by_group: dict[str, dict[str, figures.Figure]] = {}
    for figure in computed:
        if figure.key.startswith("toc.by_group.") and figure.about:
            by_group.setdefault(figure.about, {})[figure.key.rsplit(".", 1)[1]] = figure
    return [
        GroupAverage(
            group,
            found["hours_per_day"].display,
            found["open_air_minutes_per_day"].display,
            int(found["subject_days"].value or 0),
        )
        for group, found in by_group.items()
    ]


def read_day(visit: VisitFile, subject: str, on_date: str) -> DayState:
    """The subject's periods that day (none until both are typed), and what to suggest."""
    periods = time_out_of_cell.day(visit, subject, on_date) if subject and on_date else []
    latest = time_out_of_cell.latest_day(visit, subject) if subject else None
    return DayState(
        subject,
        on_date,
        periods,
        time_out_of_cell.subjects(visit),
        time_out_of_cell.groups(visit),
        latest[1] if latest else "",
    )
