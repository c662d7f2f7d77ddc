"""The Python API: what a program, the command line and the terminal UI all call.

    from irp_field import api

    with api.create_visit("hull.db", establishment="HMP Hull",
                          start="2022-03-14", end="2022-03-16") as visit:
        api.add_location(visit, "A wing", capacity=126)
        api.record_roll_check(visit, location_id="A wing", taken_at="2022-03-14T10:00",
                              counts=api.RollCounts(126, 54, 18, 18, 33, 3), round_label="Mon AM")
        print(api.figures(visit)["roll.pct_locked_up"].display)   # 43%

Every function that records applies the domain's rules and writes in its own committed
transaction; a refused record raises ``api.RecordRefused`` and writes nothing.
Nothing here imports click or textual, and the names below load their modules only
when first used (a command's start-up stays quick). ``docs/api.md`` documents them;
the submodules (``api.visits``, ``api.evidence``, ``api.findings``, ``api.report_parts``,
``api.attachments``, ``api.merging``, ``api.purges``, ``api.sealing``, ``api.exports``,
``api.outputs``) hold the rest. ``api.evidence`` takes its names from one feature
module per kind (``api.setup``, ``api.imports``, ``api.roll_checks``, ``api.rounds``,
``api.time_out_of_cell``, ``api.links``, ``api.notes``, ``api.sampling``,
``api.data_returns``), which hold each kind's other calls; ``api.views`` reads what
each screen shows.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> (submodule, name there)
_NAMES: dict[str, tuple[str, str]] = {
    # visits
    "Visit": ("visits", "Visit"),
    "create_visit": ("visits", "create_visit"),
    "open_visit": ("visits", "open_visit"),
    "list_visits": ("visits", "list_visits"),
    "visit_path": ("visits", "visit_path"),
    "summarise": ("visits", "summarise"),
    "check_visit": ("visits", "check_visit"),
    "visit_from_bundle": ("visits", "visit_from_bundle"),
    "demo_visit": ("visits", "demo_visit"),
    # set-up and evidence
    "import_csv": ("evidence", "import_csv"),
    "add_team_member": ("evidence", "add_team_member"),
    "add_location": ("evidence", "add_location"),
    "add_plan_item": ("evidence", "add_plan_item"),
    "RollCounts": ("evidence", "RollCounts"),
    "record_roll_check": ("evidence", "record_roll_check"),
    "record_period": ("evidence", "record_period"),
    "record_note": ("evidence", "record_note"),
    "search_notes": ("evidence", "search_notes"),
    "draw_sample": ("evidence", "draw_sample"),
    "record_answer": ("evidence", "record_answer"),
    "record_data_return": ("evidence", "record_data_return"),
    # figures, findings and the report
    "Figure": ("findings", "Figure"),
    "figures": ("findings", "compute_figures"),
    "add_paragraph": ("findings", "add_paragraph"),
    "edit_paragraph": ("findings", "edit_paragraph"),
    "judge": ("findings", "judge"),
    "sync": ("findings", "sync"),
    "make_report": ("findings", "make_report"),
    "write_report_file": ("findings", "write_report_file"),
    # the report's other parts, and attachments
    "add_summary_paragraph": ("report_parts", "add_paragraph"),
    "set_report_part": ("report_parts", "set_part"),
    "set_glossary_term": ("report_parts", "set_term"),
    "set_previous_outcome": ("report_parts", "set_outcome"),
    "attach": ("attachments", "attach"),
    "list_attachments": ("attachments", "list_attachments"),
    # removed for good
    "purge": ("purges", "purge"),
    # the team leader and the analyst
    "merge_visits": ("merging", "merge_visits"),
    "open_conflicts": ("merging", "open_conflicts"),
    "resolve_conflict": ("merging", "resolve_conflict"),
    "export": ("exports", "export"),
    "overview": ("views.overview", "overview"),
}
_ERRORS = ("IrpError", "InputError", "NotAVisitError")

__all__ = [*_NAMES, *_ERRORS, "RecordRefused"]

if TYPE_CHECKING:
    from irp_field.api.attachments import attach as attach
    from irp_field.api.attachments import list_attachments as list_attachments
    from irp_field.api.evidence import RollCounts as RollCounts
    from irp_field.api.evidence import add_location as add_location
    from irp_field.api.evidence import add_plan_item as add_plan_item
    from irp_field.api.evidence import add_team_member as add_team_member
    from irp_field.api.evidence import draw_sample as draw_sample
    from irp_field.api.evidence import import_csv as import_csv
    from irp_field.api.evidence import record_answer as record_answer
    from irp_field.api.evidence import record_data_return as record_data_return
    from irp_field.api.evidence import record_note as record_note
    from irp_field.api.evidence import record_period as record_period
    from irp_field.api.evidence import record_roll_check as record_roll_check
    from irp_field.api.evidence import search_notes as search_notes
    from irp_field.api.exports import export as export
    from irp_field.api.findings import Figure as Figure
    from irp_field.api.findings import add_paragraph as add_paragraph
    from irp_field.api.findings import compute_figures as figures  # noqa: F401
    from irp_field.api.findings import edit_paragraph as edit_paragraph
    from irp_field.api.findings import judge as judge
    from irp_field.api.findings import make_report as make_report
    from irp_field.api.findings import sync as sync
    from irp_field.api.findings import write_report_file as write_report_file
    from irp_field.api.merging import merge_visits as merge_visits
    from irp_field.api.merging import open_conflicts as open_conflicts
    from irp_field.api.merging import resolve_conflict as resolve_conflict
    from irp_field.api.purges import purge as purge
    from irp_field.api.report_parts import add_paragraph as add_summary_paragraph  # noqa: F401
    from irp_field.api.report_parts import set_outcome as set_previous_outcome  # noqa: F401
    from irp_field.api.report_parts import set_part as set_report_part  # noqa: F401
    from irp_field.api.report_parts import set_term as set_glossary_term  # noqa: F401
    from irp_field.api.views.overview import overview as overview
    from irp_field.api.visits import Visit as Visit
    from irp_field.api.visits import check_visit as check_visit
    from irp_field.api.visits import create_visit as create_visit
    from irp_field.api.visits import demo_visit as demo_visit
    from irp_field.api.visits import list_visits as list_visits
    from irp_field.api.visits import open_visit as open_visit
    from irp_field.api.visits import summarise as summarise
    from irp_field.api.visits import visit_from_bundle as visit_from_bundle
    from irp_field.api.visits import visit_path as visit_path
    from irp_field.domain.errors import InputError as InputError
    from irp_field.domain.errors import IrpError as IrpError
    from irp_field.domain.errors import NotAVisitError as NotAVisitError
    from irp_field.domain.verdicts import RecordRefused as RecordRefused


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        module, attribute = _NAMES[name]
        value = getattr(importlib.import_module(f"irp_field.api.{module}"), attribute)
    elif name in _ERRORS:
        value = getattr(importlib.import_module("irp_field.domain.errors"), name)
    elif name == "RecordRefused":
        value = importlib.import_module("irp_field.domain.verdicts").RecordRefused
    else:
        raise AttributeError(f"module 'irp_field.api' has no attribute {name!r}")
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
