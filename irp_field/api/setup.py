"""The visit's set-up: the team, the locations (with their capacity) and the plan items,
added, edited and deleted (a tombstone) through the rules of ``domain/setup``; what the
set-up screen, ``irp-field team|locations|plan`` and a program call."""

from __future__ import annotations

from irp_field.evidence.lookups import plan_ids as plan_ids
from irp_field.evidence.reads import plan_items as plan_items
from irp_field.evidence.setup import LocationRow as LocationRow
from irp_field.evidence.setup import add_location as add_location
from irp_field.evidence.setup import add_plan_item as add_plan_item
from irp_field.evidence.setup import add_team_member as add_team_member
from irp_field.evidence.setup import delete_setup_record as delete_setup_record
from irp_field.evidence.setup import edit_location as edit_location
from irp_field.evidence.setup import edit_plan_item as edit_plan_item
from irp_field.evidence.setup import edit_team_member as edit_team_member
from irp_field.evidence.setup import location_rows as location_rows
