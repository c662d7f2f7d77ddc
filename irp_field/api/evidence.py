"""Recording evidence, the way the screens, the command line and a program all do it.

Every function applies the domain's rules (``irp_field.domain``): a refused record
raises :class:`~irp_field.domain.verdicts.RecordRefused` (an ``IrpError`` and a
``ValueError``) naming the field, and nothing is written. A record dated outside the
visit is refused unless ``allow_outside_visit=True``.
"""

from __future__ import annotations

from irp_field.core.visit_file import VisitFile
from irp_field.domain.roll_checks import RollCounts as RollCounts
from irp_field.domain.time_out_of_cell import DayTotals as DayTotals
from irp_field.domain.verdicts import Verdict as Verdict
from irp_field.evidence.data_returns import DataReturn as DataReturn
from irp_field.evidence.data_returns import data_returns as data_returns
from irp_field.evidence.data_returns import record_data_return as record_data_return
from irp_field.evidence.drafts import NoteDraft as NoteDraft
from irp_field.evidence.drafts import default_moment as default_moment
from irp_field.evidence.drafts import delete_note as delete_note
from irp_field.evidence.drafts import discard_draft as discard_draft
from irp_field.evidence.drafts import draft_of_note as draft_of_note
from irp_field.evidence.drafts import draft_problems as draft_problems
from irp_field.evidence.drafts import draft_verdicts as draft_verdicts
from irp_field.evidence.drafts import drafts as drafts
from irp_field.evidence.drafts import minute_now as minute_now
from irp_field.evidence.drafts import new_draft as new_draft
from irp_field.evidence.drafts import restore_note as restore_note
from irp_field.evidence.drafts import save_draft as save_draft
from irp_field.evidence.drafts import save_note as save_note
from irp_field.evidence.drafts import stored_note as stored_note
from irp_field.evidence.links import bundle_rows as bundle_rows
from irp_field.evidence.links import day_plan_refs as day_plan_refs
from irp_field.evidence.links import link_day as link_day
from irp_field.evidence.links import link_round as link_round
from irp_field.evidence.links import relink_day as relink_day
from irp_field.evidence.links import relink_round as relink_round
from irp_field.evidence.links import round_plan_refs as round_plan_refs
from irp_field.evidence.lookups import plan_ids as plan_ids
from irp_field.evidence.notes import Note as Note
from irp_field.evidence.notes import list_notes as list_notes
from irp_field.evidence.notes import search_notes as search_notes
from irp_field.evidence.reads import plan_items as plan_items
from irp_field.evidence.roll_checks import Location as Location
from irp_field.evidence.roll_checks import RoundCheck as RoundCheck
from irp_field.evidence.roll_checks import check_id as check_id
from irp_field.evidence.roll_checks import check_verdicts as check_verdicts
from irp_field.evidence.roll_checks import delete_roll_check as delete_roll_check
from irp_field.evidence.roll_checks import edit_roll_check as edit_roll_check
from irp_field.evidence.roll_checks import find_location as find_location
from irp_field.evidence.roll_checks import get_check as get_check
from irp_field.evidence.roll_checks import last_counted as last_counted
from irp_field.evidence.roll_checks import locations as locations
from irp_field.evidence.roll_checks import next_location as next_location
from irp_field.evidence.roll_checks import record_roll_check as record_roll_check
from irp_field.evidence.roll_checks import restore_roll_check as restore_roll_check
from irp_field.evidence.roll_checks import round_checks as round_checks
from irp_field.evidence.roll_checks import route as route
from irp_field.evidence.roll_checks import walked as walked
from irp_field.evidence.rounds import Round as Round
from irp_field.evidence.rounds import delete_round as delete_round
from irp_field.evidence.rounds import edit_round as edit_round
from irp_field.evidence.rounds import ensure_round as ensure_round
from irp_field.evidence.rounds import find_round as find_round
from irp_field.evidence.rounds import new_round_name as new_round_name
from irp_field.evidence.rounds import round_by_id as round_by_id
from irp_field.evidence.rounds import round_verdicts as round_verdicts
from irp_field.evidence.rounds import rounds as rounds
from irp_field.evidence.rounds import start_round as start_round
from irp_field.evidence.rounds import suggest_round_name as suggest_round_name
from irp_field.evidence.sampling import SampleFrame as SampleFrame
from irp_field.evidence.sampling import cell_id as cell_id
from irp_field.evidence.sampling import clear_answer as clear_answer
from irp_field.evidence.sampling import delete_frame as delete_frame
from irp_field.evidence.sampling import earlier_criteria as earlier_criteria
from irp_field.evidence.sampling import find_frame as find_frame
from irp_field.evidence.sampling import frames as frames
from irp_field.evidence.sampling import restore_answer as restore_answer
from irp_field.evidence.sampling import restore_frame as restore_frame
from irp_field.evidence.setup import LocationRow as LocationRow
from irp_field.evidence.setup import add_location as add_location
from irp_field.evidence.setup import add_plan_item as add_plan_item
from irp_field.evidence.setup import add_team_member as add_team_member
from irp_field.evidence.setup import delete_setup_record as delete_setup_record
from irp_field.evidence.setup import edit_location as edit_location
from irp_field.evidence.setup import edit_plan_item as edit_plan_item
from irp_field.evidence.setup import edit_team_member as edit_team_member
from irp_field.evidence.setup import location_rows as location_rows
from irp_field.evidence.time_out_of_cell import Period as Period
from irp_field.evidence.time_out_of_cell import day as day
from irp_field.evidence.time_out_of_cell import day_totals as day_totals
from irp_field.evidence.time_out_of_cell import delete_period as delete_period
from irp_field.evidence.time_out_of_cell import edit_period as edit_period
from irp_field.evidence.time_out_of_cell import groups as groups
from irp_field.evidence.time_out_of_cell import latest_day as latest_day
from irp_field.evidence.time_out_of_cell import period_verdicts as period_verdicts
from irp_field.evidence.time_out_of_cell import record_period as record_period
from irp_field.evidence.time_out_of_cell import regroup_day as regroup_day
from irp_field.evidence.time_out_of_cell import restore_period as restore_period
from irp_field.evidence.time_out_of_cell import subjects as subjects
from irp_field.interchange.imports import ImportResult as ImportResult
from irp_field.interchange.imports import import_csv as import_csv
from irp_field.interchange.imports import import_stream as import_stream


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


def record_note(
    visit: VisitFile,
    *,
    text: str,
    source: str = "observation",
    taken_at: str,
    plan_refs: str | list[str] = "",
    tags: str | list[str] = "",
    author: str | None = None,
    allow_outside_visit: bool = False,
) -> str:
    """Write one note (and its links to plan items) in one committed transaction."""
    from irp_field.evidence import drafts as draft_store

    draft = draft_store.NoteDraft(
        id=draft_store.new_draft(author or visit.user, taken_at).id,
        author=author or visit.user,
        source=source,
        taken_at=taken_at,
        text=text,
        tags=tags if isinstance(tags, str) else ";".join(tags),
        plan_refs=plan_refs if isinstance(plan_refs, str) else ";".join(plan_refs),
    )
    return draft_store.save_note(visit, draft, allow_outside_visit=allow_outside_visit)


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
