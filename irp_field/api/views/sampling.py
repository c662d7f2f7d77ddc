"""What the sampling screen shows: one frame's records by criteria with the answers so
far (the grid), and every frame.

Reads only (the rows: :func:`irp_field.evidence.sampling.frame_grid`); the writes are
``record_answer`` and ``draw_sample``, one committed transaction each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from irp_field.core.visit_file import VisitFile
from irp_field.domain.sampling import wilson_interval
from irp_field.evidence.sampling import SampleFrame, frame_grid, frames


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
    found = frame_grid(visit, frame.id)
    criteria = [Criterion(criterion_id, name) for criterion_id, name in found.criteria]
    cells = {key: Cell(answer, comment) for key, (answer, comment) in found.answers.items()}
    return SampleGrid(frame, criteria, found.records, cells)


def frames_and_grid(
    visit: VisitFile, frame_id: str | None
) -> tuple[list[SampleFrame], SampleGrid | None]:
    """Every frame, and the grid of the one asked for (or the first)."""
    known = frames(visit)
    chosen = next((f for f in known if f.id == frame_id), known[0] if known else None)
    return known, (grid(visit, chosen) if chosen is not None else None)
