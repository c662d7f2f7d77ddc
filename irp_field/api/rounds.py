"""Rounds of roll checks: a name (kept by its id when renamed), a day and a time;
started, found, renamed and deleted (only a round nothing is counted in) through the
rules of ``domain/rounds``, and the name a new round would take."""

from __future__ import annotations

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
