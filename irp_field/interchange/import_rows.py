"""What every import kind shares: its options, the problems and warnings it finds, and
the shape of a kind's checker (check a batch, write it, finish).

A checker turns the domain rules' verdicts into problems that name the file, line and
column: refusals always, a date outside the visit unless the import was told it is
meant (``--allow-outside-visit``), and warnings into lines the command prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from irp_field.core.visit_file import VisitFile
from irp_field.domain import kind_columns
from irp_field.domain.errors import InputError, RowProblem
from irp_field.domain.recorders import recorder_verdicts
from irp_field.domain.verdicts import CONFIRM, REFUSE, Verdict
from irp_field.evidence import lookups
from irp_field.interchange.csv_rows import CsvStream

KEPT = 1000  # problems (and warnings) kept to be shown; the rest are counted


@dataclass(frozen=True)
class Options:
    frame: str = ""
    population: int | None = None
    allow_outside_visit: bool = False
    replace: bool = False  # a check of a location already counted in its round replaces it
    carried: bool = False  # a bundle's records, recorded in the visit it came from


@dataclass
class Findings:
    """The problems and warnings of one import, kept to a bounded number."""

    file_name: str
    problems: list[RowProblem] = field(default_factory=list)
    more: int = 0
    warnings: list[RowProblem] = field(default_factory=list)
    more_warnings: int = 0
    allow_outside_visit: bool = False

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    def bad(self, line: int, column: str, message: str) -> None:
        if len(self.problems) < KEPT:
            self.problems.append(RowProblem(line, column, message))
        else:
            self.more += 1

    def warn(self, line: int, column: str, message: str) -> None:
        if len(self.warnings) < KEPT:
            self.warnings.append(RowProblem(line, column, message))
        else:
            self.more_warnings += 1

    def _blocks(self, verdict: Verdict) -> bool:
        return verdict.severity == REFUSE or (
            verdict.severity == CONFIRM and not self.allow_outside_visit
        )

    def stops(self, found: Iterable[Verdict]) -> bool:
        """Would :meth:`verdicts` stop a row of these verdicts? (Nothing filed.)"""
        return any(self._blocks(verdict) for verdict in found)

    def verdicts(self, line: int, found: Iterable[Verdict]) -> bool:
        """File each verdict of one row; True when any stops the row."""
        stopped = False
        for verdict in found:
            if self._blocks(verdict):
                self.bad(line, verdict.field, verdict.message)
                stopped = True
            elif verdict.severity != CONFIRM:
                self.warn(line, verdict.field, verdict.message)
        return stopped

    def reading_problems(self, problems: list[RowProblem]) -> None:
        """Problems the reader met (wrong widths, broken quoting), in line order."""
        for problem in problems:
            self.bad(problem.line, problem.column, problem.message)
        self.problems.sort(key=lambda p: p.line)

    def warning_lines(self) -> list[str]:
        lines = [w.describe(self.file_name) for w in self.warnings[:20]]
        hidden = len(self.warnings) - len(lines) + self.more_warnings
        if hidden > 0:
            lines.append(f"... and {hidden} more warnings")
        return lines


class Checker:
    """One import kind: checks each batch of records and writes what passed.

    ``check`` may keep rows to write at ``finish`` (kinds whose rows are keyed by a
    name, checked across the whole file) or hand them to ``write`` batch by batch.
    """

    # The kind's table, when its columns are registered (``domain.kind_columns``).
    table = ""
    replaced = 0  # rows written in place of a record the visit (or the file) held, --replace
    _as_typed: tuple[kind_columns.KindColumn, ...] | None = None

    def __init__(
        self,
        visit: VisitFile,
        stream: CsvStream,
        options: Options,
        findings: Findings,
        import_id: str,
    ) -> None:
        self.visit = visit
        self.stream = stream
        self.options = options
        self.findings = findings
        findings.allow_outside_visit = options.allow_outside_visit
        self.import_id = import_id
        self.header = stream.header

    def refuse_a_stranger(self) -> None:
        """A sheet of a kind that names no recorder (``domain.recorders``): whoever
        imports it records its every line, held to the team as a typed record's recorder
        is (refused at once, nothing read); a bundle's records were recorded where they
        come from (``carried``)."""
        if self.options.carried:
            return
        found = recorder_verdicts(self.table, self.visit.user, lookups.team_names(self.visit))
        if found:
            said = "whoever imports a sheet records its every line (--by NAME: a name on the team)"
            problems = [RowProblem(0, v.field, f"{v.message}: {said}") for v in found]
            raise InputError(self.stream.name, problems)

    def as_dicts(self, batch: list[tuple[int, list[str]]]) -> Iterable[tuple[int, dict[str, str]]]:
        header = self.header
        for line, values in batch:
            yield line, dict(zip(header, values, strict=True))

    def check(self, batch: list[tuple[int, list[str]]]) -> list[Any]:
        raise NotImplementedError

    def as_typed(self, line: int, row: dict[str, str], made: dict[str, Any]) -> dict[str, Any]:
        """``made`` (the row the kind's rules made) with the kind's other columns: each
        column of its registry no rule reads (one added since, say), read as its kind
        says, or its default when the sheet leaves it out."""
        if self._as_typed is None:  # the columns the rules left out: the same every row
            self._as_typed = tuple(
                c for c in kind_columns.in_csv(self.table) if c.stored and c.name not in made
            )
        for column in self._as_typed:
            value, found = kind_columns.read(column, row.get(column.csv_name, ""))
            self.findings.verdicts(line, found)
            made[column.name] = value
        return made

    def write(self, rows: list[Any]) -> int:
        """Write one batch's rows (nothing, for kinds written at the end)."""
        return 0

    def finish(self) -> int:
        """Write what was kept for the end; returns how many rows that was."""
        return 0
