"""The export's computed tables: what the report quotes, so that analysts need not
recompute it (a naive sum of the periods out of cell gave 7.08 hours a day for
full-time workers where the report, counting overlapping periods once, says 6.9).

- :data:`FIGURE` and :data:`TOC_DAY` are read from each visit: every figure of the
  registry (``figures.compute``) and every subject-day's totals of time out of cell
  (``evidence.toc_days``, overlaps counted once), redacted like the other tables;
- :data:`DERIVED` are computed in the export from its tables, after redaction: the
  share locked up by visit and by round, and the sampling results;
- :data:`QUERIES` are Datasette's canned queries over them.
"""

from __future__ import annotations

from irp_field.domain.shares import share_sql, whole_sql
from irp_field.interchange.export_tables import (
    RECORD_TABLES,
    SHARE,
    VISIT_ID,
    AnalystTable,
    Column,
)

_S, _I, _N = "string", "integer", "number"
_SHARE_WORDS = "a fraction from 0 to 1 (0.40 is 40%; null: nothing counted)"

FIGURE = AnalystTable(
    "figure",
    "Every figure the report can quote (irp-field figures), as computed from the visit's "
    "evidence when exported: value, the text the report prints, its unit, how many "
    "observations it rests on (n) and its definition.",
    (
        VISIT_ID,
        Column("key", _S, "The figure's name, as a findings template quotes it."),
        Column("value", _N, "The figure, in its unit (a proportion is 0 to 1; null: no data)."),
        Column("display", _S, "The text the report prints (40%, 6.9 hours)."),
        Column("unit", _S, "proportion, percent, count, hours, minutes or number."),
        Column("n", _I, "How many observations it rests on (rolls summed, subject-days, records)."),
        Column("definition", _S, "What it counts."),
        Column("about", _S, "The location, group, frame or criterion it is about, if any."),
    ),
    "",  # read from the figure registry
    "key",
    ("unit",),
    pk=("visit_id", "key"),
)

TOC_DAY = AnalystTable(
    "toc_day",
    "Each subject-day's time out of cell, overlapping periods counted once, as the report "
    "counts them: average these, not the periods (AVG(minutes) / 60 by group is the "
    "report's hours a day).",
    (
        VISIT_ID,
        Column("on_date", "date", "The day followed."),
        Column("subject", _S, "The prisoner followed (as in toc_period)."),
        Column("subject_group", _S, "The group the subject was followed in."),
        Column("minutes", _I, "Minutes unlocked that day, overlaps counted once.", "minutes"),
        Column("open_air_minutes", _I, "Of those, minutes in the open air.", "minutes"),
        Column("hours", _N, "Hours unlocked that day (minutes / 60).", "hours"),
    ),
    # {days}: evidence.toc_days.days_sql (the kept totals, and any day not yet totalled
    # worked out from its periods)
    "WITH days AS ({days}) SELECT ?, on_date, subject, subject_group, minutes, "
    "open_air_minutes, minutes / 60.0 FROM days ORDER BY on_date, subject_group, subject",
    "on_date",
    ("subject_group",),
    pk=("visit_id", "on_date", "subject"),
)

# Every table read from each visit (and redacted as it is read), in the export's order.
TABLES: tuple[AnalystTable, ...] = (*RECORD_TABLES, FIGURE, TOC_DAY)

# A criterion's share of yes over the answers that apply (yes or no): an answer left
# empty is a comment alone, and "na" does not apply.
_PCT_YES = share_sql("SUM(a.answer = 'yes')", "SUM(a.answer IN ('yes', 'no'))")


# Scratch, never exported: each visit's sums by round for locked_up_by_round, from its
# kept roll tallies or its checks (export_rounds); the columns of roll_check it needs
ROUND_SUMS = "irp_round_sums"


def _by_round(checks: str, counted: str = "COUNT(DISTINCT l.id)") -> str:
    """locked_up_by_round's SELECT over ``checks``: the roll checks, or any rows of their
    visit_id, round_id, roll, locked_up and taken_at that sum to the same, with
    ``counted``, the SQL of how many of the visit's locations the round counted (the
    rounds' sums, :data:`ROUND_SUMS`, hold it as ``counted``)."""
    # started_at: the round's day and time, not its first check's (a round typed up
    # from paper started at 10:00 though its first check saved says 10:04)
    located = (
        " LEFT JOIN location l ON l.visit_id = r.visit_id AND l.id = r.location_id"
        if "l.id" in counted
        else ""
    )
    locations = "(SELECT COUNT(*) FROM location x WHERE x.visit_id = r.visit_id)"
    return (
        "SELECT r.visit_id, o.name AS round, COALESCE(MIN(CASE WHEN o.on_date != '' AND "
        "o.at_time != '' THEN o.on_date || 'T' || o.at_time END), MIN(r.taken_at)) "
        "AS started_at, SUM(r.roll), SUM(r.locked_up), "
        f"{share_sql('SUM(r.locked_up)', 'SUM(r.roll)')}, {whole_sql(counted, locations)} "
        f"FROM {checks} r{located} "
        "LEFT JOIN roll_round o ON o.visit_id = r.visit_id AND o.id = r.round_id "
        "GROUP BY r.visit_id, r.round_id ORDER BY r.visit_id, started_at, round"
    )


def _counts(name: str, what: str) -> Column:
    return Column(name, _I, what, "prisoners")


DERIVED: tuple[AnalystTable, ...] = (
    AnalystTable(
        "locked_up_by_visit",
        "Share of the population locked up in the roll checks, all checks pooled, per "
        "visit (roll.pct_locked_up; a visit without roll checks has no share).",
        (
            VISIT_ID,
            Column("establishment", _S, "The establishment."),
            Column("year", _I, "The year the visit began."),
            _counts("roll", "Sum of the rolls over every check."),
            _counts("locked_up", "Sum of those locked up."),
            Column("pct_locked_up", _N, f"Locked up over roll, {_SHARE_WORDS}.", SHARE),
        ),
        "SELECT v.visit_id, v.establishment, CAST(substr(v.start_date, 1, 4) AS INTEGER), "
        "COALESCE(SUM(r.roll), 0), COALESCE(SUM(r.locked_up), 0), "
        f"{share_sql('SUM(r.locked_up)', 'SUM(r.roll)')} "
        "FROM visit v LEFT JOIN roll_check r ON r.visit_id = v.visit_id "
        "GROUP BY v.visit_id ORDER BY v.establishment, v.start_date",
        "establishment",
        ("establishment", "year"),
        pk=("visit_id",),
    ),
    AnalystTable(
        "locked_up_by_round",
        "Share locked up in each round (a whole-prison check at one time of day).",
        (
            VISIT_ID,
            Column("round", _S, "The round's name."),
            Column(
                "started_at",
                "datetime",
                "The round's own day and time (local time); its first check's only when the "
                "round has none.",
            ),
            _counts("roll", "Sum of the rolls in the round."),
            _counts("locked_up", "Sum of those locked up."),
            Column("pct_locked_up", _N, f"Locked up over roll, {_SHARE_WORDS}.", SHARE),
            Column(
                "whole",
                _I,
                "1 when every location of the visit was counted in the round (a whole-prison "
                "check), 0 when some was not: only whole rounds make the range the report "
                "quotes (roll.pct_locked_up_min and _max; roll.rounds_partial counts the rest).",
            ),
        ),
        _by_round("roll_check"),
        "started_at",
        ("round",),
        pk=(),
    ),
    AnalystTable(
        "sample_results",
        "Answers per sampling criterion: how many records met it (the figures "
        "sample.FRAME.CRITERION.*).",
        (
            VISIT_ID,
            Column("frame", _S, "The sample frame."),
            Column("criterion", _S, "The criterion."),
            Column("yes", _I, "Records that met it.", "records"),
            Column("no", _I, "Records that did not.", "records"),
            Column("other", _I, "Records it does not apply to (na).", "records"),
            Column("pct_yes", _N, f"Yes over yes and no, {_SHARE_WORDS}.", SHARE),
        ),
        # an answer left empty is a comment alone: not counted
        "SELECT a.visit_id, a.frame, a.criterion, SUM(a.answer = 'yes'), SUM(a.answer = 'no'), "
        "SUM(a.answer NOT IN ('yes', 'no')), "
        f"{_PCT_YES} "
        "FROM sample_answer a "
        "LEFT JOIN sample_criterion c ON c.id = a.criterion_id WHERE a.answer IS NOT NULL "
        "GROUP BY a.visit_id, a.frame, a.criterion ORDER BY a.visit_id, a.frame, "
        "MIN(c.position), a.criterion",
        "frame",
        ("frame",),
        pk=(),
    ),
)

QUERIES: dict[str, tuple[str, str, str]] = {  # name -> (title, description, SQL)
    "rounds_locked_up": (
        "Locked up by round",
        "The share locked up in each round of each visit, in the order counted (whole: "
        "every location counted; the report's range is of whole rounds).",
        "SELECT v.establishment, r.round, r.started_at, r.roll, r.locked_up, r.pct_locked_up, "
        "r.whole FROM locked_up_by_round r JOIN visit v ON v.visit_id = r.visit_id "
        "ORDER BY v.establishment, r.started_at",
    ),
    "establishments_by_year": (
        "Locked up by establishment and year",
        "The share locked up, all roll checks pooled, for each establishment and year.",
        "SELECT establishment, year, SUM(roll) AS roll, SUM(locked_up) AS locked_up, "
        f"{share_sql('SUM(locked_up)', 'SUM(roll)')} AS pct_locked_up "
        "FROM locked_up_by_visit GROUP BY establishment, year ORDER BY establishment, year",
    ),
    "hours_out_of_cell_by_group": (
        "Hours out of cell by group",
        "Mean hours unlocked per subject-day, by establishment, year and group: overlapping "
        "periods counted once, as the report counts them.",
        "SELECT v.establishment, CAST(substr(v.start_date, 1, 4) AS INTEGER) AS year, "
        "d.subject_group, COUNT(*) AS subject_days, ROUND(AVG(d.minutes) / 60.0, 2) "
        "AS hours_per_day, ROUND(AVG(d.open_air_minutes), 1) AS open_air_minutes_per_day "
        "FROM toc_day d JOIN visit v ON v.visit_id = d.visit_id "
        "GROUP BY v.visit_id, d.subject_group ORDER BY v.establishment, year, d.subject_group",
    ),
}

# The computed tables the export reads from the rounds' sums instead of every check (the
# same SELECT over other rows: export_rounds fills them)
FROM_ROUND_SUMS: dict[str, str] = {"locked_up_by_round": _by_round(ROUND_SUMS, "SUM(r.counted)")}
