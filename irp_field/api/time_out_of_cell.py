"""Time out of cell: a subject's periods each day (activity, start, end, the subject's
group that day), recorded, edited, regrouped and deleted through the rules of
``domain/time_out_of_cell``, and what the screen reads: a day, the subjects, the groups,
a day's totals."""

from __future__ import annotations

from irp_field.domain.time_out_of_cell import DayTotals as DayTotals
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
