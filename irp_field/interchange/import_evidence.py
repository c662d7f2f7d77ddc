"""Importing evidence: roll checks, time out of cell and sample answers (notes:
``import_notes``).

Roll checks are the import that grows to millions of rows: their per-row work is kept
plain (values by position, a fast path for rows no rule has anything to say about),
and they are written batch by batch. Every rule is still the domain's.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from operator import itemgetter
from typing import Any

from irp_field.core import bulk
from irp_field.core.ids import keyed_ids
from irp_field.domain import fields, kind_columns
from irp_field.domain import roll_checks as roll_rules
from irp_field.domain import rounds as round_rules
from irp_field.domain import time_out_of_cell as toc_rules
from irp_field.domain.errors import IrpError
from irp_field.domain.roll_checks import RollCounts
from irp_field.domain.sampling import answer_verdicts, parse_answer
from irp_field.domain.verdicts import Verdict
from irp_field.evidence import lookups, roll_tallies, rounds, sampling
from irp_field.evidence.reads import visit_dates
from irp_field.interchange import csv_rows
from irp_field.interchange.import_rows import Checker
from irp_field.interchange.kinds import ROLL_COUNT_COLUMNS

# The columns a check's row is written to, in the order ``RollCheckChecker.check`` makes
# it (``domain.kind_columns``: the counts together, then each column added since, which
# no rule reads, read as its kind says)
ROLL_CHECK_COLUMNS = ("id", *(c.name for c in kind_columns.stored_together("roll_check")))
ROLL_CHECK_ADDED = kind_columns.added("roll_check")
# what a check is held with until the end (``core.bulk``): its columns but the import's
# id (the same for every check, given once), then its version stamp and its line (for
# the one-by-one path: ``finish``)
HELD_COLUMNS = tuple(name for name in ROLL_CHECK_COLUMNS if name != "import_id")
HELD_LABELS = ("line",)
ROUNDS_KEPT = 200  # rounds an import remembers by name (more are looked up again)
COUNT_DIGITS = len(str(fields.MOST))  # the digits of the largest count (the fast read)
INSPECTORS_KEPT = 200  # inspectors' names as typed an import remembers (more: read again)
PLACES_KEPT = 200  # locations as typed an import remembers (more: looked up again)
REPEATS_NAMED = 10_000  # second checks of a place in a round told with the first's line


class RollCheckChecker(Checker):
    """Roll checks, each in its round (named in the file, or the round of its hour) and
    keyed by round and location: a location counted twice in a round is refused, naming
    both lines (or the check already in the visit), unless ``--replace``."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        visit = self.visit
        self.places = {
            row["name"].casefold(): (
                row["id"],
                row["name"],
                row["capacity"] if isinstance(row["capacity"], int) else None,
            )
            for row in visit.query("SELECT id, name, capacity FROM location WHERE deleted = 0")
        }
        self.team = lookups.team_names(visit)
        self.dates = visit_dates(visit)
        at = self.stream.column
        self.count_at = [(column, at(column)) for column in ROLL_COUNT_COLUMNS]
        # every count's text at once, when the sheet has every category (``_counts``)
        indexes = [index for _, index in self.count_at]
        self.count_texts = (
            itemgetter(*indexes) if all(index is not None for index in indexes) else None
        )
        self.optional_at = (at("round"), at("inspector"), at("note"))
        self.added_at = [(c, at(c.csv_name)) for c in ROLL_CHECK_ADDED]
        self.place_of: dict[str, tuple[str, str, int | None] | None] = {}  # as typed -> place
        self.inspector_of: dict[str, tuple[str, str, bool]] = {}  # as typed -> (``check``)
        # round name as typed -> (round id, its name, its day), the rounds met so far
        self.round_of: dict[str, tuple[str, str, str] | None] = {}
        self.pending: dict[int, list[Verdict]] = {}  # line -> what the rules said of its round
        # the checks, written in id order at the end
        self.held = bulk.HeldRows(
            visit, "roll_check", HELD_COLUMNS, HELD_LABELS, {"import_id": self.import_id}
        )
        self.check_id = keyed_ids(visit.visit_id, "roll_check")  # keyed by round and place
        self._first_lines: dict[str, Any] | None = None  # id -> its first line (repeated)
        self.checks_before = roll_tallies.live_checks(visit)  # (the round index: ``finish``)
        # the rounds' and locations' kept sums, added batch by batch (from the first write)
        self.sums: roll_tallies.BatchSums | None = None

    def _rounds_of(
        self, batch: list[tuple[int, list[str]]]
    ) -> tuple[list[str | ValueError], list[tuple[str, str, str] | None]]:
        """Each line's moment (or why it is none) and its round (named in the file, or the
        round of its hour); the rounds not met yet found in one read, the new ones started
        in one statement. What the rules say of a new round waits in :attr:`pending` for
        its first line, said in the line's order as every other verdict."""
        taken_at_at, round_at = self.stream.column("taken_at"), self.optional_at[0]
        assert taken_at_at is not None  # a required column
        moments: list[str | ValueError] = []
        names: list[str] = []
        for _, values in batch:
            try:
                taken_at: str | ValueError = fields.moment(values[taken_at_at])
            except ValueError as error:
                taken_at = error
            moments.append(taken_at)
            typed = values[round_at].strip() if round_at is not None else ""
            if not typed and isinstance(taken_at, str):
                typed = round_rules.hour_round_name(taken_at)
            names.append(typed)
        if len(self.round_of) > ROUNDS_KEPT:  # memory stays bounded whatever the file
            self.round_of.clear()
        first: dict[str, tuple[int, str, str]] = {}  # a name not met yet -> its first line
        for (line, _), name, taken_at in zip(batch, names, moments, strict=True):
            key = name.casefold()
            if name and key not in self.round_of and key not in first:
                first[key] = (line, name, taken_at if isinstance(taken_at, str) else "")
        self._start_rounds(first)
        return moments, [self.round_of[name.casefold()] if name else None for name in names]

    def _start_rounds(self, first: dict[str, tuple[int, str, str]]) -> None:
        """The rounds named by ``first`` (a name's casefold -> its first line, the name
        and that line's moment): held ones found, the new ones checked and started."""
        held = rounds.find_rounds(self.visit, [name for _, name, _ in first.values()])
        entries = []
        for key, (line, name, taken_at) in first.items():
            found = held.get(name)
            if found is not None:
                self.round_of[key] = (found.id, found.name, found.on_date)
                continue
            entry, said = round_rules.round_verdicts(name, taken_at[:10], taken_at[11:16])
            said = [v for v in said if v.field == "round"]
            if said:
                self.pending[line] = said
            if self.findings.stops(said):
                self.round_of[key] = None
            else:
                entries.append((key, entry))
        started = rounds.import_rounds(self.visit, [entry for _, entry in entries])
        for (key, entry), round_id in zip(entries, started, strict=True):
            self.round_of[key] = (round_id, entry.name, entry.on_date)

    def _verdicts(
        self,
        counts: list[int] | None,
        taken_at: str,
        note: str,
        inspector: str,
        place: tuple[str, str, int | None] | None,
        in_round: tuple[str, str, str] | None,
    ) -> list[Verdict]:
        """Every rule's verdicts on one line (``domain.roll_checks.verdicts``); without
        counts (a count that is no whole number, said already), the rules not on them."""
        context = roll_rules.RollCheckContext(
            self.dates,
            self.team,
            place[2] if place is not None else None,
            place[1] if place is not None else "the location",
            in_round[1] if in_round is not None else "",
            in_round[2] if in_round is not None else "",
        )
        found = roll_rules.verdicts(
            roll_rules.RollCheck(
                RollCounts(*(counts or (0,) * len(ROLL_COUNT_COLUMNS))), taken_at, note, inspector
            ),
            context,
        )
        if counts is None:
            return [v for v in found if v.field not in (*roll_rules.COUNT_FIELDS, "note")]
        return found

    def check(self, batch: list[tuple[int, list[str]]]) -> list[Any]:
        findings, dates, team = self.findings, self.dates, self.team
        location_at = self.stream.column("location")
        assert location_at is not None  # a required column
        _, inspector_at, note_at = self.optional_at
        pending, check_id, place_of = self.pending, self.check_id, self.place_of
        inspector_of, width = self.inspector_of, len(ROLL_COUNT_COLUMNS)
        rows: list[tuple[Any, ...]] = []
        moments, in_rounds = self._rounds_of(batch)
        stamps = self.visit.stamps(len(batch))
        for (line, values), taken_at, in_round, stamp in zip(
            batch, moments, in_rounds, stamps, strict=True
        ):
            if not isinstance(taken_at, str):
                findings.bad(line, "taken_at", str(taken_at))
                taken_at = ""
            typed = values[location_at]
            if typed not in place_of:
                if len(place_of) > PLACES_KEPT:  # memory bounded whatever the file
                    place_of.clear()
                place_of[typed] = self.places.get(typed.strip().casefold())
            place = place_of[typed]
            if place is None:
                findings.bad(line, "location", f"unknown location {typed.strip()!r}")
            counts = self._counts(line, values)
            note = values[note_at].strip() if note_at is not None else ""
            capacity = place[2] if place is not None else None
            typed = values[inspector_at] if inspector_at is not None else ""
            if typed not in inspector_of:  # (typed, the name as stored, on the team or none)
                if len(inspector_of) > INSPECTORS_KEPT:  # memory bounded whatever the file
                    inspector_of.clear()
                stripped = typed.strip()
                inspector_of[typed] = (
                    stripped,
                    team.get(stripped.casefold(), stripped),
                    not stripped or not team or stripped.casefold() in team,
                )
            inspector, stored_as, known = inspector_of[typed]
            if pending and line in pending:
                findings.verdicts(line, pending.pop(line))
            if len(counts) == width:
                # The domain's fast path and three look-ups; a row any of them doubts is
                # given every rule's verdicts (``roll_checks.verdicts``, as every path).
                if not (
                    roll_rules.fine(counts, capacity)
                    and (not taken_at or dates.holds(taken_at))
                    and known
                    and (in_round is None or not taken_at or taken_at[:10] == in_round[2])
                ):
                    findings.verdicts(
                        line, self._verdicts(counts, taken_at, note, inspector, place, in_round)
                    )
            else:  # counts refused already: the rules not on the counts still speak
                findings.verdicts(
                    line, self._verdicts(None, taken_at, note, inspector, place, in_round)
                )
            check = ""  # refused without its round and place: never written
            if in_round is not None and place is not None:
                check = check_id(in_round[0], place[0])
            rows.append(
                (
                    check,
                    taken_at,
                    place[0] if place is not None else "",
                    *counts,
                    in_round[0] if in_round is not None else "",
                    stored_as,
                    note,
                    *(self._added(line, values) if self.added_at else ()),
                    stamp,
                    line,
                )
            )
        return rows

    def _counts(self, line: int, values: list[str]) -> list[int]:
        """The line's counts, each read by ``fields.whole_number`` (a refused one said, and
        left out); plain ASCII digits, the usual line, read at once (no longer than counts
        of at most ``fields.MOST`` take: a count of thousands of digits is
        ``whole_number``'s to refuse, not Python's ``int`` to fail on)."""
        if self.count_texts is not None:
            texts = self.count_texts(values)
            joined = "".join(texts)
            if (
                joined.isdigit()
                and joined.isascii()
                and all(texts)
                and len(joined) <= COUNT_DIGITS * len(texts)
            ):
                return list(map(int, texts))
        counts: list[int] = []
        for column, index in self.count_at:
            # a category the sheet leaves out (made before it: ``kinds``) counts 0
            text = values[index] if index is not None else "0"
            try:
                counts.append(fields.whole_number(text, column))
            except ValueError as error:
                self.findings.bad(line, column, str(error))
        return counts

    def _added(self, line: int, values: list[str]) -> list[Any]:
        """The line's columns added since the first schema, read as their kinds say (a
        sheet made before one leaves it at its default)."""
        found = []
        for column, index in self.added_at:
            value, wrong = kind_columns.read(column, values[index] if index is not None else "")
            self.findings.verdicts(line, wrong)
            found.append(value)
        return found

    def write(self, rows: list[Any]) -> int:
        """The batch's checks held (``core.bulk``) to be written at the end, their counts
        added to the tallies now."""
        if self.sums is None:
            self.sums = roll_tallies.BatchSums(self.visit.conn, HELD_COLUMNS, self.visit.user)
        self.sums.add(rows)
        return self.held.hold(rows)

    def finish(self) -> int:
        """Every held check written in id order in one statement (each page of the table
        written once, however the keyed ids scatter); when one is of a location already
        counted in its round, each is written one by one instead, in the file's order
        (its counts taken from the tallies, to be added again as it is written)."""
        if self.sums is None:
            return 0
        conn, sums = self.visit.conn, self.sums
        conn.execute("SAVEPOINT roll_checks")
        try:
            # fewer live checks in the visit than in the file: its round index built after
            self.held.write(index_after=self.checks_before < self.held.count)
        except sqlite3.IntegrityError:  # a check of a location already counted in its round
            conn.execute("ROLLBACK TO roll_checks")
            for batch in self.held.rows(csv_rows.BATCH):
                sums.add(batch, sign=-1)
                self._write_one_by_one(sums, batch)
        conn.execute("RELEASE roll_checks")
        sums.done()
        self.held.close()
        return 0

    def _write_one_by_one(
        self, sums: roll_tallies.BatchSums, held_rows: list[tuple[Any, ...]]
    ) -> int:
        """Held checks of which one is a second check of a location in a round: each new
        check written, and each second one refused, or with --replace, put in place."""
        visit, written = self.visit, 0
        place_names = {place_id: name for place_id, name, _ in self.places.values()}
        for held_row in held_rows:
            columns = dict(zip(HELD_COLUMNS, held_row, strict=False))
            columns["import_id"] = self.import_id
            row = tuple(columns[name] for name in ROLL_CHECK_COLUMNS)
            check, line = row[0], held_row[-1]
            held = visit.one(
                f"SELECT {', '.join(ROLL_CHECK_COLUMNS)}, deleted, created_by FROM roll_check "
                "WHERE id = ?",
                (check,),
            )
            if held is None:
                written += visit.insert_values("roll_check", ROLL_CHECK_COLUMNS, [row])
                sums.add([row])
                continue
            if not held["deleted"] and not self.options.replace:
                earlier = (
                    f"line {self._earlier_line(check)}"
                    if held["import_id"] == self.import_id
                    else f"at {held['taken_at'][11:16]}, already in the visit"
                )
                in_round = rounds.round_by_id(visit, columns["round_id"])
                self.findings.verdicts(
                    line,
                    round_rules.counted_once_verdicts(
                        place_names[columns["location_id"]],
                        in_round.name if in_round is not None else "",
                        earlier,
                    ),
                )
                continue
            changes = dict(zip(ROLL_CHECK_COLUMNS[1:], row[1:], strict=True))
            typed_by = str(held["created_by"])  # kept by the check replaced in place
            if not held["deleted"]:
                sums.add([tuple(held)[: len(ROLL_CHECK_COLUMNS)]], sign=-1, typed_by=typed_by)
            visit.update("roll_check", check, {**changes, "deleted": 0})
            sums.add([row], typed_by=typed_by)
            written += 1
            self.replaced += 1 - held["deleted"]  # a tombstone's place taken: added
        return written

    def _earlier_line(self, check: str) -> int | str:
        """The line of this file that first counted the check's location in its round:
        the held checks asked once for every id they hold twice (the file was read again
        for each refusal, a look-up of its round a line: 1,000 such lines took 45 s)."""
        if self._first_lines is None:
            self._first_lines = self.held.repeated("line", REPEATS_NAMED)
        return int(self._first_lines[check]) if check in self._first_lines else "an earlier line"


class PeriodChecker(Checker):
    table = "toc_period"

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.refuse_a_stranger()
        self.groups = lookups.subject_day_groups(self.visit)
        self.dates = visit_dates(self.visit)

    def _day_group(
        self, line: int, row: dict[str, str], subject: str, on_date: str
    ) -> tuple[str, str]:
        """The group the subject has that day (in the visit, or on an earlier line), and
        where; the day is this line's group's from here on when it is new."""
        earlier, where = self.groups.setdefault((subject, on_date), (row["group"].strip(), line))
        return earlier, f"line {where}" if where else "the visit file"

    def check(self, batch: list[tuple[int, list[str]]]) -> list[Any]:
        rows: list[dict[str, Any]] = []
        for line, row in self.as_dicts(batch):
            period = toc_rules.Period(
                row["date"], row["subject"], row["group"], row["start"], row["end"], row["activity"]
            )
            entry, found = toc_rules.verdicts(
                period, toc_rules.PeriodContext(self.dates, partial(self._day_group, line, row))
            )
            self.findings.verdicts(line, found)
            made = {
                "on_date": entry.on_date,
                "subject": entry.subject,
                "subject_group": entry.group,
                "start_time": entry.start,
                "end_time": entry.end,
                "activity": entry.activity,
                "import_id": self.import_id,
            }
            rows.append(self.as_typed(line, row, made))
        return rows

    def write(self, rows: list[Any]) -> int:
        return self.visit.insert_many("toc_period", rows)


def _in_sheet(header: list[str], table: str, name: str) -> bool:
    """Whether a sheet gives a column of a kind (by its CSV name)."""
    return any(c.name == name and c.csv_name in header for c in kind_columns.in_csv(table))


class SampleChecker(Checker):
    table = "sample_answer"

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.refuse_a_stranger()
        existing = sampling.find_frame(self.visit, self.options.frame)
        if existing is None and self.options.population is None:
            raise IrpError(f"sample frame {self.options.frame!r} is new: give its --population N")
        self.answers: dict[tuple[str, str], tuple[int, str, str, str, dict[str, Any]]] = {}

    def check(self, batch: list[tuple[int, list[str]]]) -> list[Any]:
        for line, row in self.as_dicts(batch):
            record, criterion = row["record"].strip(), row["criterion"].strip()
            answer, comment = row["answer"], row.get("comment", "").strip()
            found = answer_verdicts(record, criterion, answer, comment)
            if self.findings.verdicts(line, found):
                continue
            key = (record, criterion.casefold())
            if key in self.answers:
                self.findings.bad(
                    line,
                    "criterion",
                    f"record {record} already has an answer for {criterion!r} "
                    f"on line {self.answers[key][0]}",
                )
            # its columns no rule reads that the sheet has (a cell answered again by a
            # sheet made before one keeps its stored value)
            made = {"record": record, "answer": answer, "comment": comment}
            more = {
                name: value
                for name, value in self.as_typed(line, row, made).items()
                if name not in ("record", "answer", "comment")
                and _in_sheet(self.header, self.table, name)
            }
            self.answers[key] = (line, criterion, parse_answer(answer, comment), comment, more)
        return []

    def finish(self) -> int:
        visit, options = self.visit, self.options
        frame_id = sampling.ensure_frame(visit, options.frame, population=options.population)
        for (record, _), (_, criterion, answer, comment, more) in self.answers.items():
            sampling.record_answer(
                visit, frame_id, record, criterion, answer, comment, more, recorder_judged=True
            )
        return len(self.answers)
