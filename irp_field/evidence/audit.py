"""The visit's stored records, read back through the same rules that let them in.

``irp-field check`` (and, for files from other laptops, the merge) asks this module:
each kind's live rows stream through its domain rule, one row at a time, and every
verdict comes back with where it is. A file written only by irp-field yields no
refusals; a hand-edited or damaged one does, and so does one written under older rules.

Roll checks run to millions, and a merge judges every row of every laptop's file: for
roll checks, periods and notes SQLite asks the domain's own rules of each row as it
reads (``roll_checks.fine``, ``period_fine``, ``note_verdicts`` and the visit's
dates, never a copy of them in SQL), and only the rows they doubt come back to be given
their verdicts with where they are.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from irp_field.core.connection import too_big
from irp_field.core.visit_file import VisitFile
from irp_field.domain import (
    data_returns,
    kind_columns,
    links,
    notes,
    recipients,
    recorders,
    rounds,
    sampling,
    setup,
    time_out_of_cell,
)
from irp_field.domain.plan import judgement_verdicts
from irp_field.domain.sampling import answer_verdicts
from irp_field.domain.verdicts import WARN, Verdict
from irp_field.domain.visit import date_verdicts, details_verdicts
from irp_field.evidence.lookups import team_names
from irp_field.evidence.reads import visit_dates
from irp_field.evidence.reference_audit import reference_findings
from irp_field.evidence.roll_check_audit import HELD as HELD
from irp_field.evidence.roll_check_audit import READ
from irp_field.evidence.roll_check_audit import UNREMARKABLE as UNREMARKABLE
from irp_field.evidence.roll_check_audit import Found as Found
from irp_field.evidence.roll_check_audit import RollChecksRiding as RollChecksRiding
from irp_field.evidence.roll_check_audit import _roll_check_verdicts as _roll_check_verdicts
from irp_field.evidence.roll_check_audit import roll_check_findings as roll_check_findings
from irp_field.evidence.roll_check_audit import text as _text


def round_findings(visit: VisitFile, riding: RollChecksRiding | None = None) -> Iterator[Found]:
    """Every round through its rules (a name no other round has, a real day and time),
    and each location counted once in a round, in a round the visit has (``riding``:
    the checks the merge's row checks' pass doubted, see :func:`_doubtful_pairs`)."""
    dates = visit_dates(visit)
    seen: dict[str, str] = {}
    names = {}
    for round_id, name, on_date, at_time, deleted, version in visit.conn.execute(
        "SELECT id, name, on_date, at_time, deleted, version FROM roll_round "
        "ORDER BY on_date, at_time, id"
    ):
        name = _text(name)
        names[round_id] = name  # a deleted round with checks is still listed, and named
        if deleted:
            continue
        entry, found = rounds.round_verdicts(name, _text(on_date), _text(at_time), stored=True)
        found += rounds.name_taken_verdicts(name, seen)
        seen.setdefault(name.casefold(), name)
        for verdict in found + date_verdicts(entry.on_date, dates, "on_date"):
            yield Found("round", name, verdict, ("roll_round", _text(round_id), _text(version)))
    yield from _deleted_rounds_counted_in(visit, names)
    places = dict(visit.conn.execute("SELECT id, name FROM location").fetchall())
    for round_id, location_id, checks in _doubtful_pairs(visit, riding):
        place = _text(places.get(location_id, "an unknown location"))
        if round_id not in names:
            verdict = Verdict("round", "its round is not in the visit (irp-field rounds list)")
            yield Found("roll check", f"{place} in round {_text(round_id)!r}", verdict)
        if checks > 1:
            for verdict in rounds.counted_once_verdicts(
                place, names.get(round_id, "?"), f"{checks} checks"
            ):
                yield Found("roll check", f"{place} in round {names.get(round_id, '?')}", verdict)


def _deleted_rounds_counted_in(visit: VisitFile, names: dict[Any, str]) -> Iterator[Found]:
    """A round deleted on one laptop while another saved a check in it (a merge of the
    two): listed and counted for its checks, and said so, so the team can settle it."""
    if not visit.conn.execute("SELECT 1 FROM roll_round WHERE deleted != 0 LIMIT 1").fetchone():
        return  # the usual file: no pass over the checks
    for round_id, checks in visit.conn.execute(
        "SELECT round_id, COUNT(*) FROM roll_check WHERE deleted = 0 AND round_id IN "
        "(SELECT id FROM roll_round WHERE deleted != 0) GROUP BY round_id ORDER BY round_id"
    ):
        name = names.get(round_id, "?")
        verdict = Verdict(
            "round",
            f"round {name} was deleted but holds {checks} check(s) (saved on another laptop?): "
            f"they are counted; 'irp-field rounds edit VISIT {name!r}' keeps the round, or "
            "delete its checks and then the round",
            WARN,
        )
        yield Found("round", name, verdict, ("roll_round", _text(round_id), ""))


PERIOD_FINE = "irp_field_unremarkable_period"  # the periods' fast path, as SQLite calls it
NOTE_FINE = "irp_field_unremarkable_note"


def _remembered(holds: Callable[[str], bool]) -> Callable[[str], bool]:
    """``holds`` asked once per distinct moment, the answers kept bounded."""
    held: dict[str, bool] = {}

    def remembered(moment: str) -> bool:
        inside = held.get(moment)
        if inside is None:
            if len(held) >= HELD:
                held.clear()
            inside = held[moment] = holds(moment)
        return inside

    return remembered


@contextmanager
def _doubted(
    visit: VisitFile, name: str, fine: Callable[..., bool], sql: str
) -> Iterator[sqlite3.Cursor]:
    """``sql`` run with the domain's fast path ``fine`` callable from SQLite as ``name``:
    SQLite asks it of each row as it reads, and only the rows it doubts come back."""
    visit.conn.create_function(name, -1, fine)
    cursor = visit.conn.cursor()
    try:
        cursor.execute(sql)
        yield cursor
    finally:
        cursor.close()  # first: SQLite will not replace a function a live statement uses
        visit.conn.create_function(name, -1, None)


def _fine_period(holds: Callable[[str], bool], team: dict[str, str]) -> Callable[..., bool]:
    period_fine, inside = time_out_of_cell.period_fine, _remembered(holds)
    members = set(team.values())  # as the team spells them: no casefold per row

    def fine(
        on_date: Any, subject: Any, group: Any, start: Any, end: Any, activity: Any, by: Any
    ) -> bool:
        try:
            return (
                period_fine(on_date, subject, group, start, end, activity)
                and inside(on_date)
                and (by in members or recorders.on_the_team(by, team))
            )
        except (AttributeError, TypeError):  # a value that is not text: the slow way
            return False

    return fine


def _doubtful_pairs(
    visit: VisitFile, riding: RollChecksRiding | None = None
) -> list[tuple[Any, Any, int]]:
    """(round, location, live checks) of the checks not written as this version writes
    them: a live check's id is a version-5 UUID keyed by its round and location (so two
    of one pair cannot both be such), in a round the visit has. One plain pass over the
    checks finds the doubtful ones (a check by another hand); only their pairs are
    counted (a GROUP BY of every check cost check as much again as its rules).

    Whether any check's round is missing is asked first, of the round index in its
    order (each distinct round looked up once: 0.009 s at 100,000, where looking up
    each check's took 0.022 s), and
    the pass looks each check's round up only when one is: row by row, in the checks'
    order, that look-up cost 1.4 s. The pass reads the table in its own order, in a
    subquery kept whole (LIMIT -1): given the DISTINCT, SQLite walks the round index and
    looks every check up by its key instead, four times slower at 200,000 (NOT INDEXED
    does not stop it on a WITHOUT ROWID table).

    ``riding`` (``check``): when no round is missing and the merge's row checks asked
    the key rule of every live check in their pass (``row_keys``: such a check's id is
    version 5, keyed by its round and location), every check this pass would find came
    back to the rules in that pass: the suspects are taken from those rows, in the same
    order, and the checks are not read again (0.016 s of the main thread at 100,000)."""
    (orphans,) = visit.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM (SELECT DISTINCT round_id FROM roll_check) AS c "
        "WHERE NOT EXISTS (SELECT 1 FROM roll_round r WHERE r.id = c.round_id))"
    ).fetchone()
    ridden = riding.rows() if riding is not None and riding.keyed and not orphans else None
    if ridden is not None:
        suspects = list(
            dict.fromkeys((row[_ROUND], row[_PLACE]) for row in ridden if _unkeyed_id(row[0]))
        )
    else:
        unknown_round = " OR round_id NOT IN (SELECT id FROM roll_round)" if orphans else ""
        suspects = visit.conn.execute(
            "SELECT DISTINCT round_id, location_id FROM (SELECT round_id, location_id "
            f"FROM roll_check WHERE deleted = 0 AND (substr(id, 15, 1) != '5'{unknown_round}) "
            "LIMIT -1)"
        ).fetchall()
    found = []
    for round_id, location_id in suspects:
        row = visit.conn.execute(
            "SELECT COUNT(*), EXISTS (SELECT 1 FROM roll_round WHERE id = ?) FROM roll_check "
            "WHERE deleted = 0 AND round_id IS ? AND location_id IS ?",
            (round_id, round_id, location_id),
        ).fetchone()
        if row[0] > 1 or not row[1]:
            found.append((round_id, location_id, int(row[0])))
    return found


_ROUND, _PLACE = READ.index("round_id"), READ.index("location_id")


def _unkeyed_id(row_id: Any) -> bool:
    """The pass's ``substr(id, 15, 1) != '5'`` of a doubted check's id (one not text is
    a suspect too: its pair is only counted)."""
    return not isinstance(row_id, str) or row_id[14:15] != "5"


def period_findings(visit: VisitFile) -> Iterator[Found]:
    """Every period through its rules (the fast path in SQLite, as for roll checks), and
    every day on which a subject has more than one group, period by period."""
    dates, team = visit_dates(visit), team_names(visit)
    day: tuple[str, str] = ("", "")
    first_group = ""
    doubted = (
        "SELECT on_date, subject, subject_group, start_time, end_time, activity, id, version, "
        f"created_by FROM toc_period WHERE deleted = 0 AND (NOT {PERIOD_FINE}(on_date, subject, "
        "subject_group, start_time, end_time, activity, created_by) OR (subject, on_date) IN "
        "(SELECT subject, "
        "on_date FROM toc_period WHERE deleted = 0 GROUP BY subject, on_date "
        "HAVING COUNT(DISTINCT COALESCE(subject_group, '')) > 1)) "
        "ORDER BY subject, on_date, start_time"
    )
    with _doubted(visit, PERIOD_FINE, _fine_period(dates.holds, team), doubted) as rows:
        for row in rows:
            on_date, subject, group, start, end, activity, row_id, version, by = map(_text, row)
            where = f"{subject} on {on_date} {start}-{end}"
            if (subject, on_date) != day:
                day, first_group = (subject, on_date), group
            period = time_out_of_cell.Period(on_date, subject, group, start, end, activity, by)
            context = time_out_of_cell.PeriodContext(
                dates, lambda *_, known=first_group: (known, "that day"), stored=True, team=team
            )
            for verdict in time_out_of_cell.verdicts(period, context)[1]:
                yield Found("time out of cell", where, verdict, ("toc_period", row_id, version))


def _fine_note(holds: Callable[[str], bool], team: dict[str, str]) -> Callable[..., bool]:
    verdicts, inside = notes.note_verdicts, _remembered(holds)
    members = set(team.values())  # as the team spells them: no casefold per row

    def fine(source: Any, taken_at: Any, text: Any, tags: Any, author: Any) -> bool:
        try:
            return (
                not verdicts(source, taken_at, text, tags, "", {})[1]
                and inside(taken_at)
                and (not team or author in members or author.strip().casefold() in team)
            )
        except (AttributeError, TypeError):  # a value that is not text: the slow way
            return False

    return fine


def note_findings(visit: VisitFile) -> Iterator[Found]:
    context = notes.NoteContext(visit_dates(visit), team=team_names(visit), stored=True)
    doubted = (
        "SELECT source, taken_at, author, text, tags, id, version FROM note "
        f"WHERE deleted = 0 AND NOT {NOTE_FINE}(source, taken_at, text, tags, author)"
    )
    fine = _fine_note(context.dates.holds, dict(context.team))
    with _doubted(visit, NOTE_FINE, fine, doubted) as rows:
        for row in rows:
            source, taken_at, author, text, tags, row_id, version = map(_text, row)
            note = notes.Note(source, taken_at, text, tags, "", author)
            where = f"by {author or 'someone'} at {taken_at}"
            for verdict in notes.verdicts(note, context)[1]:
                yield Found("note", where, verdict, ("note", row_id, version))


def frame_findings(visit: VisitFile) -> Iterator[Found]:
    """Sample frames, their criteria and their sampled records."""
    frames: dict[str, str] = {}
    for name, population, row_id, version in visit.conn.execute(
        "SELECT name, population, id, version FROM sample_frame WHERE deleted = 0"
    ):
        frames[row_id] = _text(name)
        size = population if isinstance(population, int) or population is None else -1
        for verdict in sampling.frame_verdicts(_text(name), size):
            record = ("sample_frame", _text(row_id), _text(version))
            yield Found("sample frame", _text(name), verdict, record)
    for table, kind, rule in (
        ("sample_criterion", "criterion", sampling.criterion_verdicts),
        ("sample_record", "sampled record", sampling.record_verdicts),
    ):
        column = "name" if table == "sample_criterion" else "record"
        for name, frame, row_id, version in visit.conn.execute(
            f"SELECT {column}, frame_id, id, version FROM {table} WHERE deleted = 0"
        ):
            where = f"{_text(name)[:40]} of {frames.get(frame, 'an unknown frame')}"
            for verdict in rule(_text(name)):
                yield Found(kind, where, verdict, (table, _text(row_id), _text(version)))


def answer_findings(visit: VisitFile) -> Iterator[Found]:
    team = team_names(visit)
    for row in visit.conn.execute(
        "SELECT f.name, a.record, c.name, a.answer, a.comment, a.id, a.version, a.created_by "
        "FROM sample_answer a "
        "JOIN sample_frame f ON f.id = a.frame_id AND f.deleted = 0 "
        "LEFT JOIN sample_criterion c ON c.id = a.criterion_id WHERE a.deleted = 0"
    ):
        frame, record, criterion, answer, comment, row_id, version, by = (_text(v) for v in row)
        judged = ("sample_answer", row_id, version)
        found = answer_verdicts(record, criterion, answer, comment, stored=True)
        found += recorders.recorder_verdicts("sample_answer", by, team, stored=True)
        for verdict in found:
            yield Found("sample answer", f"{frame}, record {record}", verdict, judged)


def paragraph_findings(visit: VisitFile) -> Iterator[Found]:
    """Who recorded each findings paragraph, on the team (``domain.recorders``; its text
    and figures are the findings' own check: ``irp-field sync``)."""
    team = team_names(visit)
    if not team:
        return
    for row_id, version, by, ref in visit.conn.execute(
        "SELECT f.id, f.version, f.created_by, COALESCE(p.ref, '') FROM finding f "
        "LEFT JOIN plan_item p ON p.id = f.plan_item_id WHERE f.deleted = 0 ORDER BY p.ref"
    ):
        for verdict in recorders.recorder_verdicts("finding", _text(by), team, stored=True):
            where = f"under {_text(ref) or 'no plan item'}"
            yield Found(
                "findings paragraph", where, verdict, ("finding", _text(row_id), _text(version))
            )


def visit_findings(visit: VisitFile) -> Iterator[Found]:
    """The visit's details, and its judgements."""
    for row in visit.conn.execute(
        "SELECT establishment, start_date, end_date, previous_inspection, visit_type, id, "
        "version, recipients FROM visit WHERE deleted = 0"
    ):
        establishment, start, end, previous, kind, row_id, version, keys = map(_text, row)
        found = details_verdicts(establishment, start, end, previous, kind)[1]
        found += recipients.stored_verdicts(keys)[1]
        for verdict in found:
            yield Found("visit", establishment, verdict, ("visit", row_id, version))
    for row in visit.conn.execute(
        "SELECT unit, scale, level, why, id, version FROM judgement WHERE deleted = 0"
    ):
        unit, scale, level, why, row_id, version = map(_text, row)
        for verdict in judgement_verdicts(unit, scale, level, why):
            yield Found("judgement", f"of {unit}", verdict, ("judgement", row_id, version))


def setup_findings(visit: VisitFile) -> Iterator[Found]:
    for name, role, body, row_id, version in visit.conn.execute(
        "SELECT name, role, body, id, version FROM team_member WHERE deleted = 0"
    ):
        record = ("team_member", _text(row_id), _text(version))
        for verdict in setup.member_verdicts(_text(name), _text(role), _text(body))[1]:
            yield Found("team member", _text(name), verdict, record)
    for name, kind, capacity, row_id, version in visit.conn.execute(
        "SELECT name, kind, capacity, id, version FROM location WHERE deleted = 0"
    ):
        record = ("location", _text(row_id), _text(version))
        for verdict in setup.location_verdicts(_text(name), _text(kind), _text(capacity))[1]:
            yield Found("location", _text(name), verdict, record)
    for row in visit.conn.execute(
        "SELECT ref, kind, body, area, text, concern, judged_group, id, version FROM plan_item "
        "WHERE deleted = 0"
    ):
        ref, kind, body, area, text, concern, group, row_id, version = (_text(v) for v in row)
        found = setup.plan_item_verdicts(ref, kind, body, area, text, concern, group)[1]
        for verdict in found:
            yield Found("plan item", ref, verdict, ("plan_item", row_id, version))
    for key, value, unit, row_id, version in visit.conn.execute(
        "SELECT key, value, unit, id, version FROM data_return WHERE deleted = 0"
    ):
        found = data_returns.data_return_verdicts(
            _text(key), _text(value), _text(unit), stored=True
        )[1]
        record = ("data_return", _text(row_id), _text(version))
        for verdict in found:
            yield Found("data return", _text(key), verdict, record)


def link_findings(visit: VisitFile) -> Iterator[Found]:
    """Rounds and subjects' days linked to plan items, as the file holds the links (read
    through ``query``: a file of schema 7, read as it is, has none)."""
    ref = "COALESCE((SELECT p.ref FROM plan_item p WHERE p.id = k.plan_item_id), '?')"
    for row in visit.query(
        f"SELECT COALESCE((SELECT o.name FROM roll_round o WHERE o.id = k.round_id), '?'), {ref}, "
        "k.round_id, k.plan_item_id, k.id, k.version FROM round_link k WHERE k.deleted = 0"
    ):
        name, plan_ref, round_id, plan_item_id, row_id, version = map(_text, row)
        for verdict in links.stored_verdicts(links.ROUND, plan_item_id, (round_id,)):
            where = f"of round {name} to {plan_ref}"
            yield Found("round link", where, verdict, ("round_link", row_id, version))
    for row in visit.query(
        f"SELECT {ref}, k.subject, k.on_date, k.plan_item_id, k.id, k.version "
        "FROM toc_day_link k WHERE k.deleted = 0"
    ):
        plan_ref, subject, on_date, plan_item_id, row_id, version = map(_text, row)
        for verdict in links.stored_verdicts(links.DAY, plan_item_id, (subject, on_date)):
            where = f"of {subject[:40]}'s day {on_date[:20]} to {plan_ref}"
            yield Found("day link", where, verdict, ("toc_day_link", row_id, version))


# A registered kind -> what a person calls one, and what names a record of it.
_NAMED = {
    "team_member": ("team member", "name"),
    "location": ("location", "name"),
    "plan_item": ("plan item", "ref"),
    "roll_round": ("round", "name"),
    "toc_period": ("time out of cell", "subject || ' on ' || on_date || ' ' || start_time"),
    "note": ("note", "'by ' || author || ' at ' || taken_at"),
    "data_return": ("data return", "key"),
}


def added_column_findings(visit: VisitFile) -> Iterator[Found]:
    """Each column added to a kind since the first schema (``domain.kind_columns``),
    which no rule of its kind reads: its stored values read back as the import reads
    them. Through ``query``: a file read as it is shows such a column as its default."""
    for table in kind_columns.COLUMNS:
        added = kind_columns.added(table)
        if not added:
            continue
        words, named = _NAMED.get(table, (table.replace("_", " "), "id"))
        chosen = ", ".join(c.name for c in added)
        for row in visit.query(
            f"SELECT {named}, id, version, {chosen} FROM {table} WHERE deleted = 0"
        ):
            where, row_id, version, *values = row
            for column, value in zip(added, values, strict=True):
                for verdict in kind_columns.stored_verdicts(column, value):
                    yield Found(
                        words, _text(where), verdict, (table, _text(row_id), _text(version))
                    )


def unjudged(visit: VisitFile) -> Iterator[Found]:
    for row in visit.query(
        "SELECT ref FROM plan_item p WHERE deleted = 0 AND NOT EXISTS (SELECT 1 FROM judgement j "
        "WHERE j.deleted = 0 AND j.level != '' AND j.unit = (CASE WHEN p.judged_group != '' "
        "THEN p.judged_group ELSE p.ref END)) ORDER BY position"
    ):
        yield Found("plan item", row["ref"], Verdict("judgement", "has no judgement yet", WARN))


def everything(visit: VisitFile, riding: RollChecksRiding | None = None) -> Iterator[Found]:
    """Every verdict of every rule on every live record of the visit (``riding``: the
    roll checks' fast path, once the merge's row checks asked it of every check); each
    kind's reading :func:`bounded`."""
    yield from bounded("visit detail or judgement", visit_findings(visit))
    yield from bounded("set-up record", setup_findings(visit))
    yield from bounded("roll check", roll_check_findings(visit, riding))
    yield from bounded("round", round_findings(visit, riding))
    for kind, findings in (
        ("period of time out of cell", period_findings),
        ("note", note_findings),
        ("sample", frame_findings),
        ("sample answer", answer_findings),
        ("findings paragraph", paragraph_findings),
        ("link", link_findings),
        ("record naming another", reference_findings),
        ("record", added_column_findings),
        ("plan item", unjudged),
    ):
        yield from bounded(kind, findings(visit))


def bounded(kind: str, findings: Iterator[Found]) -> Iterator[Found]:
    """``findings`` until SQLite refuses a value longer than the reading's length limit
    (``check`` sets it: ``core.connection.values_at_most``), never made a Python string
    (a 900 MB note's text cost ``check`` 2.67 GB): then one problem saying that the
    rules' reading of ``kind`` stopped there, and the next kind's reading goes on. The
    merge's row checks, run first, name the row and its column."""
    try:
        yield from findings
    except Exception as error:  # SQLite's, or in words (ValueTooLong)
        if not too_big(error):
            raise
        message = (
            "a value longer than any record holds stopped the rules' reading here (the "
            f"line naming its row says which): the {kind}s after it are read once it is gone"
        )
        yield Found(kind, "(the rules' reading)", Verdict("value", message))
