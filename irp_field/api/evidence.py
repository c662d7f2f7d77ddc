"""Recording evidence from a program: the small, stable set of names ``docs/api.md``
documents (its "Set-up and evidence" row; ``tests/test_api_facade.py`` holds the two to
each other). The screens and the commands import the feature modules these come from
(``api.setup``, ``api.imports``, ``api.roll_checks``, ``api.rounds``,
``api.time_out_of_cell``, ``api.links``, ``api.notes``, ``api.sampling``,
``api.data_returns``), which hold the rest.

Every function applies the domain's rules (``irp_field.domain``): a refused record
raises :class:`~irp_field.domain.verdicts.RecordRefused` (an ``IrpError`` and a
``ValueError``) naming the field, and nothing is written. A record dated outside the
visit is refused unless ``allow_outside_visit=True``.
"""

from __future__ import annotations

from irp_field.api.data_returns import record_data_return
from irp_field.api.imports import import_csv
from irp_field.api.links import day_plan_refs, link_day, link_round, round_plan_refs
from irp_field.api.notes import record_note, search_notes
from irp_field.api.roll_checks import RollCounts, edit_roll_check, record_roll_check
from irp_field.api.rounds import delete_round, edit_round, rounds, start_round
from irp_field.api.sampling import draw_sample, record_answer
from irp_field.api.setup import (
    add_location,
    add_plan_item,
    add_team_member,
    delete_setup_record,
    edit_location,
    edit_plan_item,
    edit_team_member,
)
from irp_field.api.time_out_of_cell import edit_period, record_period, regroup_day

__all__ = [
    "RollCounts",
    "add_location",
    "add_plan_item",
    "add_team_member",
    "day_plan_refs",
    "delete_round",
    "delete_setup_record",
    "draw_sample",
    "edit_location",
    "edit_period",
    "edit_plan_item",
    "edit_roll_check",
    "edit_round",
    "edit_team_member",
    "import_csv",
    "link_day",
    "link_round",
    "record_answer",
    "record_data_return",
    "record_note",
    "record_period",
    "record_roll_check",
    "regroup_day",
    "round_plan_refs",
    "rounds",
    "search_notes",
    "start_round",
]
