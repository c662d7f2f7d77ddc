"""Links of a round of roll checks, or of a subject's day of time out of cell, to the plan
items it is evidence for (``domain/links``): set exactly (``link_round``, ``link_day``),
read (``round_plan_refs``, ``day_plan_refs``), and what ``irp-field links`` lists."""

from __future__ import annotations

from irp_field.evidence.links import bundle_rows as bundle_rows
from irp_field.evidence.links import day_plan_refs as day_plan_refs
from irp_field.evidence.links import link_day as link_day
from irp_field.evidence.links import link_round as link_round
from irp_field.evidence.links import relink_day as relink_day
from irp_field.evidence.links import relink_round as relink_round
from irp_field.evidence.links import round_plan_refs as round_plan_refs
