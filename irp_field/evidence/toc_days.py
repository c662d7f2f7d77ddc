"""Each subject-day's time out of cell, kept totalled beside the periods it comes from.

The figures need every subject-day's unlocked minutes and open-air minutes, overlapping
periods counted once. Worked out from the periods, that is a window pass over all of them
and a sort (0.4 s for 100,000 periods); ``toc_day`` keeps the totals, so the figures read
one row per subject-day instead.

The table is derived: per file, never merged, exported or shown, and never read stale.
Triggers on ``toc_period`` (so every writer: this app, a merge, an analyst's sqlite3
shell) mark each subject-day a write touches in ``toc_day_stale``; every transaction of
this app totals the marked days again before it commits (:func:`settle`); a reader takes
a marked day from its periods, never from the table (:func:`days_sql`); and a file whose
triggers are missing is totalled from its periods until a writer repairs it
(``core.schema.repair_kept_totals``).
"""

from __future__ import annotations

import sqlite3

from irp_field.core import hooks
from irp_field.core.schema import kept_totals_missing_triggers as missing_triggers


def _minute(column: str) -> str:
    return (
        f"(CAST(substr({column}, 1, 2) AS INTEGER) * 60 + CAST(substr({column}, 4, 2) AS INTEGER))"
    )


def _covered(start: str, end: str, reach: str) -> str:
    """Minutes a period adds past the furthest end reached before it (its overlap counted once)."""
    return f"MAX(0, {_minute(end)} - MAX({_minute(start)}, COALESCE({_minute(reach)}, 0)))"


def live_days_sql(periods: str) -> str:
    """subject, on_date, subject_group, minutes, open_air_minutes of each subject-day in
    ``periods`` (a FROM clause giving live toc_period rows as ``p``), from the periods.

    Walked in start order, each period adds only the minutes past the furthest end reached
    before it in its subject-day: one window, no intervals to merge. The open-air minutes
    follow the same rule among the open-air periods (a FILTER on the same window).
    """
    return f"""
    SELECT subject, on_date, MIN(subject_group) AS subject_group,
           SUM({_covered("start_time", "end_time", "reach")}) AS minutes,
           SUM(CASE WHEN activity = 'open_air'
                    THEN {_covered("start_time", "end_time", "air_reach")} ELSE 0 END)
               AS open_air_minutes
    FROM (
        SELECT p.subject, p.on_date, p.subject_group, p.start_time, p.end_time, p.activity,
               MAX(p.end_time) OVER walk AS reach,
               MAX(p.end_time) FILTER (WHERE p.activity = 'open_air') OVER walk AS air_reach
        FROM {periods}
        WINDOW walk AS (PARTITION BY p.subject, p.on_date ORDER BY p.start_time, p.end_time
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    )
    GROUP BY subject, on_date"""


ALL_PERIODS = "toc_period p WHERE p.deleted = 0"
# CROSS JOIN keeps the (usually empty) stale list as the outer loop: a look-up per day.
STALE_PERIODS = (
    "toc_day_stale s CROSS JOIN toc_period p ON p.subject = s.subject "
    "AND p.on_date = s.on_date WHERE p.deleted = 0"
)

KEPT_DAYS = (
    "SELECT subject, on_date, subject_group, minutes, open_air_minutes FROM toc_day d "
    "WHERE NOT EXISTS (SELECT 1 FROM toc_day_stale s "
    "WHERE s.subject = d.subject AND s.on_date = d.on_date)"
)


def days_sql(conn: sqlite3.Connection) -> str:
    """Every subject-day's totals: kept ones, and the marked days from their periods.

    Without every marking trigger (a file from before the kept totals, opened read-only
    so not upgraded, or one whose table another tool rebuilt) nothing says which kept
    totals are still true: every day is totalled from its periods.
    """
    if missing_triggers(conn):
        return live_days_sql(ALL_PERIODS)
    return f"{KEPT_DAYS}\nUNION ALL\n{live_days_sql(STALE_PERIODS)}"


def settle(conn: sqlite3.Connection) -> int:
    """Total again every subject-day marked since the last settle; returns how many.

    Runs inside the caller's transaction (one look-up when nothing is marked). When most
    days are marked (an import into a new visit), one walk over all the periods is
    quicker than a look-up per day.
    """
    marked = int(conn.execute("SELECT COUNT(*) FROM toc_day_stale").fetchone()[0])
    if not marked:
        return 0
    kept = int(conn.execute("SELECT COUNT(*) FROM toc_day").fetchone()[0])
    if marked * 2 >= kept:
        conn.execute("DELETE FROM toc_day")
        periods = ALL_PERIODS
    else:
        conn.execute(
            "DELETE FROM toc_day WHERE EXISTS (SELECT 1 FROM toc_day_stale s "
            "WHERE s.subject = toc_day.subject AND s.on_date = toc_day.on_date)"
        )
        periods = STALE_PERIODS
    conn.execute(
        "INSERT INTO toc_day (subject, on_date, subject_group, minutes, open_air_minutes) "
        + live_days_sql(periods)
    )
    conn.execute("DELETE FROM toc_day_stale")
    return marked


# Every transaction of this app totals again the days its writes marked, before it commits.
hooks.before_commit("time out of cell: kept subject-day totals", settle)
