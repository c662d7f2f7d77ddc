"""Each subject-day's time out of cell, as the figures read it.

``toc_day`` keeps every subject-day's totals beside the periods they come from, marked
stale by triggers when a write touches a day and totalled again before each of this
app's transactions commits (:func:`settle`, the before-commit hook the evidence
package registers).
How a day is totalled from its periods, and when the kept totals are trusted, live in
``core.day_totals``: a file from elsewhere (or changed by another hand) whose kept
totals differ from its periods is read from its periods (:func:`days_sql`), and
``check`` names each day that differs (:func:`drift`).
"""

from __future__ import annotations

from irp_field.core import day_totals
from irp_field.core.day_totals import ALL_PERIODS as ALL_PERIODS
from irp_field.core.day_totals import STALE_PERIODS as STALE_PERIODS
from irp_field.core.day_totals import Compared as Compared
from irp_field.core.day_totals import compared as compared
from irp_field.core.day_totals import live_days_sql as live_days_sql
from irp_field.core.day_totals import missing_triggers as missing_triggers
from irp_field.core.day_totals import settle as settle
from irp_field.core.visit_file import VisitFile

__all__ = ["ALL_PERIODS", "STALE_PERIODS", "live_days_sql", "missing_triggers", "settle"]


def days_sql(visit: VisitFile) -> str:
    """Every subject-day's totals as a SELECT: the kept ones where the file's kept totals
    are trusted (``VisitFile.tallies_trusted``), otherwise every day from its periods,
    each a time of day (``day_totals.refuse_untimed``: a file from elsewhere, or changed
    by another hand; one whose totals are trusted was looked at as they were judged)."""
    trusted = visit.tallies_trusted()
    if not trusted or missing_triggers(visit.conn):
        day_totals.refuse_untimed(visit.conn, visit.path)
    return day_totals.days_sql(visit.conn, trusted=trusted)


def _totals(held: tuple[object, ...] | None) -> str:
    if held is None:
        return "no such day"
    group, minutes, open_air = (str(value)[:40] for value in held)
    return f"group {group}, {minutes} minutes ({open_air} in the open air)"


SHOWN = 5  # days named before the rest are counted (a forgery of every day is one fault)


def drift(visit: VisitFile, found: Compared | None = None) -> list[str]:
    """Each subject-day whose kept totals differ from its periods', in words naming the
    file, the subject, the day and the group (the first :data:`SHOWN`, then how many
    more); none when the file lacks a marking trigger (the figures total the periods).
    ``found``: what :func:`compared` read on another connection of the same file
    (otherwise it is read here)."""
    if found is None:
        found = compared(visit.conn) or []
    said = [
        f"time out of cell: {visit.path.name}: subject {str(subject)[:40]} on "
        f"{str(on_date)[:40]}: kept {_totals(held)}; its periods give {_totals(made)} "
        "(the figures total the periods instead; a writer's opening totals the days again)"
        for (subject, on_date), held, made in found[:SHOWN]
    ]
    if len(found) > SHOWN:
        said.append(
            f"time out of cell: {visit.path.name}: ... and {len(found) - SHOWN:,} more "
            "subject-days whose kept totals differ from their periods'"
        )
    return said
