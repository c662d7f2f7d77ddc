"""Each subject-day's time out of cell, as the periods give it and as ``toc_day`` keeps it.

The figures need every subject-day's unlocked minutes and open-air minutes, overlapping
periods counted once. Worked out from the periods, that is a window pass over all of them
and a sort (0.4 s for 100,000 periods); ``toc_day`` keeps the totals, so the figures read
one row per subject-day instead. This is the one home of how a day is totalled from its
periods (:func:`live_days_sql`): the kept totals are made by it, readers fall back on it,
and the comparison that decides whether a file's kept totals are trusted is made with it.

The table is derived: per file, never merged, exported or shown, and never read stale.
Triggers on ``toc_period`` (``core.schema.KEPT_TOTALS_TRIGGERS``: every writer, this app,
a merge, an analyst's sqlite3 shell) mark each subject-day a write touches in
``toc_day_stale``; every transaction of this app totals the marked days again before it
commits (:func:`settle`, the hook the evidence package registers); a reader takes a marked
day from its periods, never from the table (:func:`days_sql`); and a file whose triggers
are missing is totalled from its periods until a writer repairs it
(``core.schema.repair_kept_totals``).

Their values are trusted only where the file's pages are, as the roll tallies' are
(``core.kept_totals``): a file from elsewhere, or changed by another hand, has its days
totalled again from its periods at its first reading (:func:`agree`, the comparison
``check`` makes, :func:`compared`); where they differ, every reader totals the periods
and a writer's opening totals the days again (:func:`fill`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from irp_field.core.roll_tallies import walked
from irp_field.core.schema import kept_totals_missing_triggers
from irp_field.domain.errors import IrpError
from irp_field.domain.fields import STORED_TIME_PATTERNS, held, stored_time

missing_triggers = kept_totals_missing_triggers  # the marking triggers a file lacks


def _minute(column: str) -> str:
    return (
        f"(CAST(substr({column}, 1, 2) AS INTEGER) * 60 + CAST(substr({column}, 4, 2) AS INTEGER))"
    )


def _covered(start: str, end: str, reach: str) -> str:
    """Minutes a period adds past the furthest end reached before it (its overlap counted once)."""
    return f"MAX(0, {_minute(end)} - MAX({_minute(start)}, COALESCE({_minute(reach)}, 0)))"


# What a day's row holds, in order: its key (the subject and the date), then its totals.
DAY_COLUMNS = ("subject", "on_date", "subject_group", "minutes", "open_air_minutes")


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
    f"SELECT {', '.join(DAY_COLUMNS)} FROM toc_day d "
    "WHERE NOT EXISTS (SELECT 1 FROM toc_day_stale s "
    "WHERE s.subject = d.subject AND s.on_date = d.on_date)"
)


def days_sql(conn: sqlite3.Connection, *, trusted: bool) -> str:
    """Every subject-day's totals: kept ones, and the marked days from their periods.

    Without every marking trigger (a file from before the kept totals, opened read-only
    so not upgraded, or one whose table another tool rebuilt) nothing says which kept
    totals are still true, and of a file whose kept totals are not ``trusted`` (from
    elsewhere, found to differ from its periods) none is: every day is totalled from
    its periods.
    """
    if not trusted or missing_triggers(conn):
        return live_days_sql(ALL_PERIODS)
    return f"{KEPT_DAYS}\nUNION ALL\n{live_days_sql(STALE_PERIODS)}"


def fill(conn: sqlite3.Connection) -> None:
    """Every subject-day totalled again from the periods, none left marked (inside the
    caller's transaction): a kept day no period gives is gone too."""
    conn.execute("DELETE FROM toc_day")
    conn.execute(f"INSERT INTO toc_day ({', '.join(DAY_COLUMNS)}) {live_days_sql(ALL_PERIODS)}")
    conn.execute("DELETE FROM toc_day_stale")


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
        fill(conn)
        return marked
    conn.execute(
        "DELETE FROM toc_day WHERE EXISTS (SELECT 1 FROM toc_day_stale s "
        "WHERE s.subject = toc_day.subject AND s.on_date = toc_day.on_date)"
    )
    conn.execute(f"INSERT INTO toc_day ({', '.join(DAY_COLUMNS)}) {live_days_sql(STALE_PERIODS)}")
    conn.execute("DELETE FROM toc_day_stale")
    return marked


Compared = list[tuple[Any, ...]]  # ((subject, on_date), kept, from the periods) that differ


def compared(conn: sqlite3.Connection) -> Compared | None:
    """Each subject-day whose kept totals (as a reader that trusts them reads them:
    :func:`days_sql`) differ from its periods' (``(subject, on_date)``, then the kept
    and the periods' group, minutes and open-air minutes, None where a side has no such
    day); None when the file lacks a marking trigger (its readers total the periods).
    Each side read once in its key's order and walked side by side."""
    if missing_triggers(conn):
        return None
    ordered = " ORDER BY 1, 2"
    kept_sql = days_sql(conn, trusted=True)
    made_sql = live_days_sql(ALL_PERIODS)
    try:
        return list(
            walked(
                _keyed(conn.execute(kept_sql + ordered)), _keyed(conn.execute(made_sql + ordered))
            )
        )
    except TypeError:  # keys of several types (a hand-edited file): compared as text
        held = {(r[0], r[1]): tuple(r[2:]) for r in conn.execute(kept_sql)}
        found = {(r[0], r[1]): tuple(r[2:]) for r in conn.execute(made_sql)}
        differ = {k for k in held.keys() | found.keys() if held.get(k) != found.get(k)}
        return [(k, held.get(k), found.get(k)) for k in sorted(differ, key=str)]


def _keyed(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """Each day's row as (its key, then its totals), for :func:`walked`."""
    for row in rows:
        yield ((row[0], row[1]), *row[2:])


def agree(conn: sqlite3.Connection) -> bool:
    """Do the kept totals hold what the periods give? (A file without every marking
    trigger agrees: its readers total the periods.) One window pass over the periods,
    and one look for a period no day could hold (:func:`first_untimed`): never."""
    return first_untimed(conn) is None and not compared(conn)


def _stored_time(column: str) -> str:
    """SQL: is ``column`` a time as the file holds it (``fields.stored_time``)?"""
    return "(" + " OR ".join(f"{column} GLOB '{glob}'" for glob in STORED_TIME_PATTERNS) + ")"


def first_untimed(conn: sqlite3.Connection) -> str | None:
    """The first live period whose start or end is no time of day as the file holds it
    (HH:MM, 24-hour: a hand or another program wrote it), in words; None when there is
    none. A day's minutes read the two digits either side of the colon: such a period
    made a day's total no clock gives, quoted by the figures as if it were sound."""
    odd = " OR ".join(f"NOT COALESCE({_stored_time(c)}, 0)" for c in ("start_time", "end_time"))
    row = conn.execute(
        "SELECT substr(subject, 1, 40), substr(on_date, 1, 40), start_time, end_time "
        f"FROM toc_period WHERE deleted = 0 AND ({odd}) LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    start, end = row[2:]
    value, which = (start, "start") if _untimed(start) else (end, "end")
    return (
        f"its period of {row[0]} on {row[1]} holds {held(value)} as its {which}, which is "
        "no time of day (HH:MM, 24-hour)"
    )


def _untimed(value: Any) -> bool:
    try:
        stored_time(value)
    except (TypeError, ValueError):
        return True
    return False


def refuse_untimed(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse, in one line naming the file and the period, a file whose live period is
    :func:`first_untimed`: asked by a reader that totals the periods themselves."""
    found = first_untimed(conn)
    if found is not None:
        raise IrpError(
            f"{path}: {found} (another program changed the file): no figure is made of it; "
            "`irp-field check` names every such record"
        )
