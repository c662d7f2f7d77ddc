"""Roll checks: a round's count of one location (the roll and its categories:
``RollCounts``), recorded, edited, deleted and restored through the rules of
``domain/roll_checks`` (one check of a location per round), and what the roll-check
screen reads: the locations, a round's checks, the inspector's route."""

from __future__ import annotations

from irp_field.domain.roll_checks import RollCounts as RollCounts
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
