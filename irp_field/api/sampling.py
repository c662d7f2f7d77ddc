"""Record sampling: a frame (the records of one kind, drawn reproducibly from a seed),
its criteria and a yes/no/na answer per record and criterion (``domain/sampling``); what
the sampling screen, ``irp-field sample`` and a program call."""

from __future__ import annotations

from irp_field.core.visit_file import VisitFile
from irp_field.evidence.sampling import SampleFrame as SampleFrame
from irp_field.evidence.sampling import cell_id as cell_id
from irp_field.evidence.sampling import clear_answer as clear_answer
from irp_field.evidence.sampling import delete_frame as delete_frame
from irp_field.evidence.sampling import earlier_criteria as earlier_criteria
from irp_field.evidence.sampling import find_frame as find_frame
from irp_field.evidence.sampling import frames as frames
from irp_field.evidence.sampling import restore_answer as restore_answer
from irp_field.evidence.sampling import restore_frame as restore_frame


def record_answer(
    visit: VisitFile, frame: str, record: str, criterion: str, answer: str, comment: str = ""
) -> str:
    """Set one cell of a sampling grid (yes, no, na; or '' with a comment), in its own
    committed transaction. ``frame`` is the frame's name or id."""
    from irp_field.evidence import sampling

    found = sampling.find_frame(visit, frame)
    frame_id = found.id if found is not None else frame
    with visit.transaction():
        return sampling.record_answer(visit, frame_id, record, criterion, answer, comment)


def draw_sample(
    visit: VisitFile,
    frame: str,
    *,
    size: int,
    seed: int,
    population: int | None = None,
    records: list[str] | None = None,
    criteria: list[str] | tuple[str, ...] = (),
    plan_ref: str = "",
) -> tuple[str, list[str], str]:
    """Draw a reproducible sample of ``size`` records and store its seed and list hash.

    Draw from ``records`` (a list of record references) or from records numbered 1 to
    ``population``; ``plan_ref`` names the plan item the sample is evidence for.
    Returns (frame id, the records drawn, the list's SHA-256).
    """
    from irp_field.domain import sampling as sample_maths
    from irp_field.domain.errors import IrpError
    from irp_field.evidence import lookups, sampling

    if (population is None) == (records is None):
        raise IrpError("give exactly one of a population size or a list of records")
    listed = sample_maths.population_records(population) if population else list(records or [])
    plan_item_id = ""
    if plan_ref.strip():
        plan_item_id = lookups.plan_ids(visit).get(plan_ref.strip().casefold(), "")
        if not plan_item_id:
            raise IrpError(f"unknown plan ref {plan_ref.strip()!r}")
    return sampling.draw_sample(
        visit,
        frame,
        size=size,
        seed=seed,
        records=listed,
        population_given=population is not None,
        criteria=list(criteria),
        plan_item_id=plan_item_id,
    )
