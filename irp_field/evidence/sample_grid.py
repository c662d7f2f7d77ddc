"""The sampling screen's grid: one frame's records by criteria with the answers so far.

Reads only; the writes are :func:`irp_field.evidence.sampling.record_answer` and
:func:`irp_field.evidence.sampling.draw_sample`, one committed transaction each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from irp_field.core.visit_file import VisitFile
from irp_field.domain.sampling import wilson_interval
from irp_field.evidence.sampling import SampleFrame, frames


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str


@dataclass(frozen=True)
class Cell:
    answer: str  # yes, no or na; '' when only a comment is kept on the cell so far
    comment: str = ""

    @property
    def answered(self) -> bool:
        return self.answer != ""


@dataclass(frozen=True)
class CriterionResult:
    """Yes over applicable (n/a left out) with its 95% Wilson interval."""

    yes: int
    no: int
    na: int

    @property
    def applicable(self) -> int:
        return self.yes + self.no

    @property
    def share(self) -> float | None:
        return self.yes / self.applicable if self.applicable else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.yes, self.applicable) if self.applicable else None


@dataclass
class SampleGrid:
    frame: SampleFrame
    criteria: list[Criterion]
    records: list[str]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (record, criterion id)

    def result(self, criterion_id: str) -> CriterionResult:
        answers = [
            self.cells[(r, criterion_id)].answer
            for r in self.records
            if (r, criterion_id) in self.cells
        ]
        return CriterionResult(answers.count("yes"), answers.count("no"), answers.count("na"))

    def next_empty(self, record: str, criterion_id: str) -> tuple[str, str] | None:
        """The first unanswered cell (a comment alone is not an answer) after this one,
        along the row then down (wrapping); when every cell is answered, simply the next
        cell (the last one stays put)."""
        order = [(r, c.id) for r in self.records for c in self.criteria]
        if not order:
            return None
        here = order.index((record, criterion_id)) if (record, criterion_id) in order else -1
        for offset in range(1, len(order) + 1):
            cell = order[(here + offset) % len(order)]
            if cell not in self.cells or not self.cells[cell].answered:
                return cell
        return order[min(here + 1, len(order) - 1)]


def grid(visit: VisitFile, frame: SampleFrame) -> SampleGrid:
    criteria = [
        Criterion(row["id"], row["name"])
        for row in visit.query(
            "SELECT id, name FROM sample_criterion WHERE frame_id = ? AND deleted = 0 "
            "ORDER BY position, rowid",
            (frame.id,),
        )
    ]
    # A record is its reference within its frame (answers are keyed by it): two rows of
    # one reference (a hand-made twin that a merge let in) are one line of the grid.
    records = list(
        dict.fromkeys(
            row["record"]
            for row in visit.query(
                "SELECT record FROM sample_record WHERE frame_id = ? AND deleted = 0 "
                "ORDER BY position, rowid",
                (frame.id,),
            )
        )
    )
    cells = {
        (row["record"], row["criterion_id"]): Cell(row["answer"], row["comment"])
        for row in visit.query(
            "SELECT record, criterion_id, answer, comment FROM sample_answer "
            "WHERE frame_id = ? AND deleted = 0",
            (frame.id,),
        )
    }
    return SampleGrid(frame, criteria, records, cells)


def frames_and_grid(
    visit: VisitFile, frame_id: str | None
) -> tuple[list[SampleFrame], SampleGrid | None]:
    """Every frame, and the grid of the one asked for (or the first)."""
    known = frames(visit)
    chosen = next((f for f in known if f.id == frame_id), known[0] if known else None)
    return known, (grid(visit, chosen) if chosen is not None else None)
