"""The figure registry: every number a report quotes, computed in SQL from the evidence.

A figure has a key (``roll.pct_locked_up``), a value (proportions as fractions 0-1),
the text a report prints (``40%``), ``n`` (how many observations it rests on) and a
definition. The CLI, the dashboard, the findings templates and the analysts' export all
read :func:`compute`. Deleted rows count nowhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

from irp_field.core import stored_forms
from irp_field.core.visit_file import VisitFile
from irp_field.domain import wording
from irp_field.domain.errors import IrpError
from irp_field.domain.plan import HMIP_SCALE, OFSTED_SCALE
from irp_field.domain.sampling import wilson_interval
from irp_field.domain.shares import share, whole
from irp_field.domain.vocabulary import DAY_MINUTES, ROLL_CATEGORIES
from irp_field.evidence import roll_tallies, toc_days


@dataclass(frozen=True)
class Figure:
    """A number a report quotes: its value, the text printed and what it rests on."""

    key: str
    value: float | int | None
    display: str
    n: int
    unit: str  # proportion, count, hours, minutes, number, percent
    definition: str
    about: str = ""  # the location, group, frame or criterion a family figure is about

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def display(value: float | int | None, unit: str) -> str:
    if value is None:
        return "no data"
    if unit == "proportion":
        return wording.pct(value)
    if unit == "percent":
        return wording.pct(value / 100)
    if unit == "hours":
        return wording.hours(value)
    if unit == "minutes":
        return wording.minutes(value)
    return wording.count(value)


def _figure(
    key: str, value: float | int | None, unit: str, n: int, definition: str, about: str = ""
) -> Figure:
    return Figure(key, value, display(value, unit), n, unit, definition, about)


# -- roll checks -----------------------------------------------------------------

_ACCOUNTED = " + ".join(ROLL_CATEGORIES)


class _Rounds(NamedTuple):
    """The rounds' counts and range (a named tuple: a class made at import, and this
    module is imported by the overview's read, before its figures are shown)."""

    rounds: int
    whole: int  # every location of the visit counted in it
    shared: int  # whole rounds with a roll: those the range of shares locked up is of
    lowest: float | None
    highest: float | None


def _rounds(visit: VisitFile, live: dict[str, str], located: list[str]) -> _Rounds:
    """The rounds, the whole ones (``domain.shares.whole``, asked by SQLite of each round's
    kept tally: its checks of the visit's ``live`` locations, a location being counted
    once in a round, its check's id being the round's and the location's) and the range
    of their shares locked up. Only checks of a location the visit does not have
    (``located``: every location checked) are read from the checks."""
    counted = roll_tallies.live_counted(visit, live, located)
    places = len(live)

    def whole_round(round_id: str, checks: int) -> bool:
        return whole(counted(round_id, checks), places)

    visit.conn.create_function("irp_whole_round", 2, whole_round, deterministic=True)
    share = "CASE WHEN whole AND roll THEN locked_up * 1.0 / roll END"
    row = visit.one(
        f"SELECT COUNT(*), SUM(whole), SUM(whole AND roll), MIN({share}), MAX({share}) FROM "
        "(SELECT roll, locked_up, irp_whole_round(round_id, checks) AS whole "
        f"FROM ({roll_tallies.source(visit, roll_tallies.BY_ROUND)}))"
    )
    assert row is not None  # an aggregate's one row
    return _Rounds(int(row[0]), int(row[1] or 0), int(row[2] or 0), row[3], row[4])


def roll_figures(visit: VisitFile) -> Iterator[Figure]:
    # The sums by location and by round are kept by the file (``roll_tallies``): a row per
    # location and per round, whatever the number of checks. The visit's totals are the
    # sums of the location rows.
    names = {row["id"]: row["name"] for row in visit.query("SELECT id, name FROM location")}
    live = {
        row["id"]: row["name"]
        for row in visit.query("SELECT id, name FROM location WHERE deleted = 0")
    }
    by_location: list[dict[str, Any]] = sorted(
        (
            {"location_id": t.key, "checks": t.checks, **t.sums, "name": names.get(t.key)}
            for t in roll_tallies.tallies(visit, roll_tallies.BY_LOCATION)
        ),
        key=lambda place: (place["name"] is not None, place["name"] or ""),
    )
    rounds = _rounds(visit, live, [str(place["location_id"]) for place in by_location])
    checks = sum(int(place["checks"]) for place in by_location)
    counted = sum(int(place["roll"] or 0) for place in by_location)
    totals = {c: sum(int(place[c] or 0) for place in by_location) for c in ROLL_CATEGORIES}
    totals["unaccounted"] = counted - sum(totals.values())
    yield _figure("roll.checks", checks, "count", checks, "roll checks recorded")
    yield _figure("roll.rounds", rounds.rounds, "count", checks, "rounds (whole-prison checks)")
    yield _figure(
        "roll.rounds_partial",
        rounds.rounds - rounds.whole,
        "count",
        checks,
        "rounds some location was not counted in (not in the range)",
    )
    yield _figure("roll.counted", counted, "count", checks, "sum of rolls over all checks")
    for category in (*ROLL_CATEGORIES, "unaccounted"):
        yield _figure(
            f"roll.pct_{category}",
            share(totals[category], counted),
            "proportion",
            counted,
            f"{category.replace('_', ' ')} over the sum of rolls, all checks pooled",
        )
    for suffix, picked in (("min", rounds.lowest), ("max", rounds.highest)):
        yield _figure(
            f"roll.pct_locked_up_{suffix}",
            picked,
            "proportion",
            rounds.shared,
            f"the {'lowest' if suffix == 'min' else 'highest'} share locked up in a round "
            "with every location counted",
        )
    for place in by_location:
        if place["name"] is None:
            continue  # a check whose location is unknown here still counts in the totals
        slug = wording.slug(place["name"])
        for category in ROLL_CATEGORIES:
            yield _figure(
                f"roll.by_location.{slug}.pct_{category}",
                share(place[category], place["roll"]),
                "proportion",
                int(place["roll"] or 0),
                f"{category.replace('_', ' ')} over the sum of rolls at {place['name']}",
                place["name"],
            )


# -- time out of cell --------------------------------------------------------------


def _whole_days(visit: VisitFile, group: Any) -> None:
    """A group's totals as its subject-days could hold them (whole minutes, at most
    ``DAY_MINUTES`` a day); refused naming the file when not (a REAL of infinity in the
    kept totals ended figures on a traceback, the report and the exports on "unexpected
    InvalidOperation")."""
    days = group["days"]
    for total in (group["minutes"], group["open_air_total"]):
        if type(total) is not int or not 0 <= total <= days * DAY_MINUTES:
            shown = f"{total:,}" if type(total) is int else repr(total)[:40]
            raise IrpError(
                f"{visit.path}: its time out of cell of group {str(group['subject_group'])[:40]} "
                f"totals {shown} minutes in {days} subject-day(s), which no day holds (0 to "
                f"{DAY_MINUTES:,} a day: another program changed the file)"
            )


def toc_figures(visit: VisitFile) -> Iterator[Figure]:
    # One row per subject-day (kept totals, or worked out from the periods for a day
    # written since), then the means and shares per group.
    per_group = visit.query(
        f"""WITH days AS ({toc_days.days_sql(visit)})
        SELECT subject_group, COUNT(*) AS days, AVG(minutes) / 60.0 AS hours,
               SUM(minutes < 120) AS under_2, SUM(minutes >= 600) AS ten_plus,
               SUM(minutes) AS minutes, SUM(open_air_minutes) AS open_air_total
        FROM days GROUP BY subject_group ORDER BY subject_group"""
    )
    for group in per_group:
        _whole_days(visit, group)
    days = sum(g["days"] for g in per_group)
    minutes = sum(g["minutes"] for g in per_group)
    open_air = sum(g["open_air_total"] for g in per_group)
    yield _figure("toc.subject_days", days, "count", days, "subject-days observed")
    yield _figure(
        "toc.hours_per_day",
        minutes / 60 / days if days else None,
        "hours",
        days,
        "mean hours unlocked per subject-day (overlaps counted once)",
    )
    yield _figure(
        "toc.open_air_minutes_per_day",
        open_air / days if days else None,
        "minutes",
        days,
        "mean minutes in the open air per subject-day",
    )
    yield _figure(
        "toc.pct_days_under_2_hours",
        share(sum(g["under_2"] for g in per_group), days),
        "proportion",
        days,
        "share of subject-days unlocked for under 2 hours",
    )
    yield _figure(
        "toc.pct_days_10_hours_or_more",
        share(sum(g["ten_plus"] for g in per_group), days),
        "proportion",
        days,
        "share of subject-days unlocked for 10 hours or more (the Expectations)",
    )
    for group in per_group:
        slug = wording.slug(group["subject_group"])
        name = group["subject_group"]
        yield _figure(
            f"toc.by_group.{slug}.hours_per_day",
            group["hours"],
            "hours",
            group["days"],
            f"mean hours unlocked per subject-day, {name}",
            name,
        )
        yield _figure(
            f"toc.by_group.{slug}.open_air_minutes_per_day",
            group["open_air_total"] / group["days"],
            "minutes",
            group["days"],
            f"mean open-air minutes per subject-day, {name}",
            name,
        )
        yield _figure(
            f"toc.by_group.{slug}.subject_days",
            group["days"],
            "count",
            group["days"],
            f"subject-days observed, {name}",
            name,
        )


# -- record sampling ---------------------------------------------------------------


def sample_figures(visit: VisitFile) -> Iterator[Figure]:
    frames = visit.query(
        "SELECT f.id, f.name, (SELECT COUNT(*) FROM sample_record r WHERE r.frame_id = f.id "
        "AND r.deleted = 0) AS records FROM sample_frame f WHERE f.deleted = 0 ORDER BY f.name"
    )
    cells = visit.query(
        "SELECT c.frame_id, c.name, "
        "SUM(a.answer = 'yes') AS yes, SUM(a.answer = 'no') AS no, SUM(a.answer = 'na') AS na "
        "FROM sample_criterion c LEFT JOIN sample_answer a ON a.criterion_id = c.id "
        "AND a.deleted = 0 AND a.record IN (SELECT record FROM sample_record r "
        "WHERE r.frame_id = c.frame_id AND r.deleted = 0) "
        "WHERE c.deleted = 0 GROUP BY c.id ORDER BY c.position"
    )
    for frame in frames:
        slug = wording.slug(frame["name"])
        yield _figure(
            f"sample.{slug}.records",
            frame["records"],
            "count",
            frame["records"],
            f"records sampled in {frame['name']}",
            frame["name"],
        )
        for cell in (c for c in cells if c["frame_id"] == frame["id"]):
            key = f"sample.{slug}.{wording.slug(cell['name'])}"
            yes, no, na = int(cell["yes"] or 0), int(cell["no"] or 0), int(cell["na"] or 0)
            applicable = yes + no
            what = f"{cell['name']} ({frame['name']})"
            about = cell["name"]
            yield _figure(
                f"{key}.yes", yes, "count", applicable + na, f"records answered yes: {what}", about
            )
            yield _figure(
                f"{key}.no", no, "count", applicable + na, f"records answered no: {what}", about
            )
            yield _figure(
                f"{key}.na", na, "count", applicable + na, f"records not applicable: {what}", about
            )
            yield _figure(
                f"{key}.applicable",
                applicable,
                "count",
                applicable,
                f"records where it applies: {what}",
                about,
            )
            yield _figure(
                f"{key}.pct",
                share(yes, applicable),
                "proportion",
                applicable,
                f"yes over applicable: {what}",
                about,
            )
            low, high = wilson_interval(yes, applicable)
            interval = applicable > 0
            yield _figure(
                f"{key}.ci_low",
                low if interval else None,
                "proportion",
                applicable,
                f"95% Wilson interval, lower bound: {what}",
                about,
            )
            yield _figure(
                f"{key}.ci_high",
                high if interval else None,
                "proportion",
                applicable,
                f"95% Wilson interval, upper bound: {what}",
                about,
            )


# -- judgements and data returns ------------------------------------------------------


def judgement_figures(visit: VisitFile) -> Iterator[Figure]:
    """Counted per judged unit: a group of recommendations judged together counts once."""
    rows = visit.query(
        "SELECT j.scale, j.level, COUNT(*) AS units FROM judgement j WHERE j.deleted = 0 "
        "AND j.level != '' AND EXISTS (SELECT 1 FROM plan_item p WHERE p.deleted = 0 AND "
        "(CASE WHEN p.judged_group != '' THEN p.judged_group ELSE p.ref END) = j.unit) "
        "GROUP BY j.scale, j.level"
    )
    counts = {(row["scale"], row["level"]): int(row["units"]) for row in rows}
    for scale in (HMIP_SCALE, OFSTED_SCALE):
        total = sum(counts.get((scale.key, level.key), 0) for level in scale.levels)
        for level in reversed(scale.levels):
            yield _figure(
                f"judgements.{scale.key}.{level.key}",
                counts.get((scale.key, level.key), 0),
                "count",
                total,
                f"{scale.unit}s judged {level.label.lower()}",
            )
        yield _figure(
            f"judgements.{scale.key}.total",
            total,
            "count",
            total,
            f"{scale.unit}s judged by {scale.body}",
        )


def data_figures(visit: VisitFile) -> Iterator[Figure]:
    for row in visit.query(
        "SELECT key, value, unit, label, source, period FROM data_return "
        "WHERE deleted = 0 ORDER BY key"
    ):
        _value_the_rules_take(visit, row)
        definition = row["label"] or row["key"]
        if row["source"]:
            definition += f" ({row['source']}{', ' + row['period'] if row['period'] else ''})"
        yield _figure(f"data.{row['key']}", row["value"], row["unit"], 1, definition)


def _value_the_rules_take(visit: VisitFile, row: Any) -> None:
    """A data return's value and unit as the rules take them (``domain.data_returns``,
    as stored), or the file refused in one line naming it: a hand's ``inf``, 1e300 or
    bytes stopped the figures, the report and every export with "unexpected
    InvalidOperation" (hostile F12); a unit no rule knows as stored ('PERCENT', 'ratio')
    printed the figure as a count, and a value of NULL as "no data"."""
    from irp_field.domain.data_returns import data_return_verdicts  # a visit with returns

    value = row["value"]
    text = "" if value is None else value if isinstance(value, str) else repr(value)
    unit = row["unit"] if isinstance(row["unit"], str) else repr(row["unit"])
    _, verdicts = data_return_verdicts(str(row["key"]), text, unit, stored=True)
    for verdict in verdicts:
        if verdict.field in ("value", "unit") and verdict.refuses:
            raise IrpError(
                f"{visit.path}: data return {row['key']}: {verdict.message} (another program "
                "changed the file?): `irp-field check` names every such record"
            )


FAMILIES: tuple[tuple[str, Callable[[VisitFile], Iterator[Figure]]], ...] = (
    ("roll", roll_figures),
    ("toc", toc_figures),
    ("sample", sample_figures),
    ("judgements", judgement_figures),
    ("data", data_figures),
)


def compute(visit: VisitFile) -> dict[str, Figure]:
    """Every figure of the visit, keyed by its name, in registry order. Of a file not
    trusted (from elsewhere, or changed by another hand: ``VisitFile.tallies_trusted``),
    none when a record holds a value in no stored form (a hand's 'YES', 'Open air', a
    tombstone of 2, which every family would read silently as something else): refused
    naming the file and the record (``core.stored_forms``)."""
    if not visit.tallies_trusted():
        stored_forms.refuse_unstored(visit.conn, visit.path)
    figures: dict[str, Figure] = {}
    for _, family in FAMILIES:
        for figure in family(visit):
            figures[figure.key] = figure
    return figures
