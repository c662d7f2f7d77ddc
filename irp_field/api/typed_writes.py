"""The saves of the screens' forms, by name, each from the values typed (JSON values).

A screen saves what was typed through :func:`write`; a save the visit file refused
because another program held it is kept as the same name and values
(``api.unsaved``), and put back later through the same function, so that what reaches
the visit from a kept file meets exactly the rules of the save it came from. The values
are read as data: a value of the wrong type is refused, never run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from irp_field.api import (
    attachments,
    data_returns,
    findings,
    notes,
    report_parts,
    roll_checks,
    rounds,
    sealing,
    time_out_of_cell,
)
from irp_field.api import sampling as sampling_api
from irp_field.api import setup as setup_api
from irp_field.api.visits import Visit
from irp_field.domain.errors import IrpError
from irp_field.domain.roll_checks import COUNT_FIELDS, RollCounts
from irp_field.domain.verdicts import RecordRefused, Verdict

Args = Mapping[str, Any]


def _text(args: Args, name: str) -> str:
    value = args.get(name, "")
    if not isinstance(value, str):
        raise IrpError(f"{name} is not text")
    return value


def _flag(args: Args, name: str) -> bool:
    return args.get(name) is True


def note_draft(visit: Visit, args: Args) -> notes.NoteDraft:
    """A note being typed, as its draft (the editor goes on from it)."""
    names = ("id", "author", "source", "taken_at", "text", "tags", "plan_refs", "note_id")
    draft = notes.NoteDraft(**{name: _text(args, name) for name in names})
    if not draft.id:
        raise IrpError("the draft has no id")
    return notes.save_draft(visit, draft)


def note(visit: Visit, args: Args) -> str:
    """A note saved (ctrl+s in the editor): the draft becomes the note, its draft goes."""
    names = ("id", "author", "source", "taken_at", "text", "tags", "plan_refs", "note_id")
    draft = notes.NoteDraft(**{name: _text(args, name) for name in names})
    if not draft.id:
        raise IrpError("the note has no draft id")
    return notes.save_note(visit, draft, allow_outside_visit=_flag(args, "allow_outside_visit"))


def roll_check(visit: Visit, args: Args) -> str:
    """A roll check: the edit of ``check_id``, or a new check of a location in a round."""
    counted = args.get("counts")
    if not isinstance(counted, dict):
        raise IrpError("the counts are missing")
    # a category added since the values were kept (by an earlier version) is left to
    # RollCounts, which counts it 0 as a file made before it does
    values = {name: counted[name] for name in COUNT_FIELDS if name in counted}
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values.values()):
        raise IrpError("a count is not a whole number")
    try:
        counts = RollCounts(**values)
    except TypeError:  # one the form always gives is missing: a damaged record
        raise IrpError("a count is not a whole number") from None
    taken_at, note = _text(args, "taken_at"), _text(args, "note")
    outside = _flag(args, "allow_outside_visit")
    check_id = _text(args, "check_id")
    if check_id:
        roll_checks.edit_roll_check(
            visit, check_id, counts=counts, taken_at=taken_at, note=note,
            allow_outside_visit=outside,
        )  # fmt: skip
        return check_id
    return roll_checks.record_roll_check(
        visit,
        location_id=_text(args, "location_id"),
        counts=counts,
        taken_at=taken_at,
        round_id=_text(args, "round_id"),
        round_label=_text(args, "round_label"),
        inspector=_text(args, "inspector"),
        note=note,
        allow_outside_visit=outside,
    )


def period(visit: Visit, args: Args) -> str:
    """A period of time out of cell: the edit of ``period_id``, or a new one."""
    times = {name: _text(args, name) for name in ("start", "end", "activity")}
    outside = _flag(args, "allow_outside_visit")
    period_id = _text(args, "period_id")
    day = {name: _text(args, name) for name in ("subject", "on_date", "group")}
    if period_id:
        # the subject and day typed: the period moves there if they differ (its links follow)
        time_out_of_cell.edit_period(
            visit, period_id, subject=day["subject"] or None, on_date=day["on_date"] or None,
            allow_outside_visit=outside, **times,
        )  # fmt: skip
        return period_id
    return time_out_of_cell.record_period(visit, allow_outside_visit=outside, **day, **times)


def roll_round(visit: Visit, args: Args) -> str:
    """A round started (its name, day and time), or ``round_id`` renamed or moved."""
    named = {name: _text(args, name) for name in ("name", "on_date", "at_time")}
    allowed = _flag(args, "allow_outside_visit")
    round_id = _text(args, "round_id")
    if round_id:
        rounds.edit_round(visit, round_id, **named, allow_outside_visit=allowed)
        return round_id
    started = rounds.start_round(
        visit, named["name"], named["on_date"], named["at_time"], allow_outside_visit=allowed
    )
    return started.id


def sample_drawn(visit: Visit, args: Args) -> str:
    """A sample drawn (its frame, sizes, seed, criteria and plan item): the frame's id."""
    wholes = {name: args.get(name) for name in ("size", "seed", "population")}
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in wholes.values()):
        raise IrpError("a size or the seed is not a whole number")
    criteria = args.get("criteria")
    if not isinstance(criteria, list) or not all(isinstance(c, str) for c in criteria):
        raise IrpError("the criteria are not a list of names")
    frame, _, _ = sampling_api.draw_sample(
        visit,
        _text(args, "frame"),
        size=int(wholes["size"]),  # type: ignore[arg-type]
        seed=int(wholes["seed"]),  # type: ignore[arg-type]
        population=int(wholes["population"]),  # type: ignore[arg-type]
        criteria=criteria,
        plan_ref=_text(args, "plan_ref"),
    )
    return frame


def attachment(visit: Visit, args: Args) -> str:
    """A file attached (read again from its path) to a paragraph, note or sampled record,
    with its caption: the attachment's id."""
    targets = {name: _text(args, name) or None for name in ("paragraph", "note", "frame", "record")}
    attached, _ = attachments.attach(
        visit, _text(args, "path"), caption=_text(args, "caption"), **targets
    )
    return attached


def sample_answer(visit: Visit, args: Args) -> str:
    """One cell of a sampling grid: its answer and comment."""
    names = ("frame_id", "record", "criterion", "answer", "comment")
    frame, record, criterion, answer, comment = (_text(args, name) for name in names)
    return sampling_api.record_answer(visit, frame, record, criterion, answer, comment)


def _refuse_new_key(visit: Visit, row_id: str, key: str) -> None:
    held = next((item for item in data_returns.data_returns(visit) if item.id == row_id), None)
    if held is not None and held.key.casefold() != key.strip().casefold():
        raise RecordRefused(
            [Verdict("key", "a data return's key stays (findings quote it): add a new one")]
        )


def setup(visit: Visit, args: Args) -> object:
    """A team member, a location, a plan item or a data return: ``record_id`` edits it."""
    kind, record_id = _text(args, "kind"), _text(args, "record_id")
    typed = args.get("values")
    if not isinstance(typed, dict) or not all(isinstance(v, str) for v in typed.values()):
        raise IrpError("the values are missing")
    t: dict[str, str] = {str(k): v for k, v in typed.items()}
    get = t.get
    if kind == "team":
        person = {"role": get("role", ""), "body": get("body", "")}
        if record_id:
            return setup_api.edit_team_member(visit, record_id, get("name", ""), **person)
        return setup_api.add_team_member(visit, get("name", ""), **person)
    if kind == "locations":
        if record_id:
            return setup_api.edit_location(
                visit, record_id, get("name", ""), kind=get("kind", ""),
                capacity=get("capacity", ""),
            )  # fmt: skip
        return setup_api.add_location(
            visit, get("name", ""), kind=get("kind", ""), capacity=get("capacity", "") or None
        )
    if kind == "plan":
        names = ("text", "area", "kind", "body", "concern", "group")
        item = {name: get(name, "") for name in names}
        if record_id:
            return setup_api.edit_plan_item(visit, record_id, get("ref", ""), **item)
        return setup_api.add_plan_item(visit, get("ref", ""), **item)
    if kind == "data":
        names = ("key", "value", "unit", "period", "source", "label")
        if record_id:
            _refuse_new_key(visit, record_id, get("key", ""))
        return data_returns.record_data_return(visit, **{name: get(name, "") for name in names})
    if kind == "keys":  # a public key typed over another: the new one named, then the old not
        added = sealing.add_recipient(visit, get("key", ""))
        if record_id and added != record_id:
            sealing.remove_recipient(visit, record_id)
        return added
    raise IrpError(f"no set-up record of the kind {kind!r}")


def paragraph(visit: Visit, args: Args) -> str:
    """A findings paragraph: the edit of ``finding_id`` (moved under ``plan_ref`` when it
    is under another item), or a new one under ``plan_ref``; synced at once (it was
    written against the figures as they are)."""
    text, finding_id = _text(args, "text"), _text(args, "finding_id")
    plan_ref = _text(args, "plan_ref")
    with visit.transaction():  # the paragraph and its sync state: one commit, or neither
        computed = findings.compute_figures(visit)  # once: the render's check and the sync
        if finding_id:
            findings.edit_paragraph(
                visit, finding_id, text, computed=computed, to_ref=plan_ref or None
            )
        else:
            finding_id = findings.add_paragraph(visit, plan_ref, text, computed=computed)
        findings.sync_paragraph(visit, finding_id, computed)
    return finding_id


def report_part(visit: Visit, args: Args) -> report_parts.Said:
    """A part of the report (F11) as typed in its editor; returns what to say (and the
    key of the record written)."""
    return report_parts.write_typed(
        visit, _text(args, "kind"), _text(args, "key"), _text(args, "text")
    )


def judgement(visit: Visit, args: Args) -> str:
    """A unit judged (F8): its level, and the reason when one was typed; returns what to
    say ("Judged R1 + R2: Good.")."""
    why = args.get("why")
    if why is not None and not isinstance(why, str):
        raise IrpError("why is not text")
    members, level = findings.judge(visit, _text(args, "ref"), _text(args, "level"), why)
    return f"Judged {' + '.join(member.ref for member in members)}: {level.label}."


WRITES: dict[str, Callable[[Visit, Args], object]] = {
    "note_draft": note_draft,
    "note": note,
    "roll_check": roll_check,
    "period": period,
    "roll_round": roll_round,
    "attachment": attachment,
    "sample_answer": sample_answer,
    "sample_drawn": sample_drawn,
    "setup": setup,
    "paragraph": paragraph,
    "report_part": report_part,
    "judgement": judgement,
}


def write(visit: Visit, kind: str, args: Args) -> object:
    """The save named ``kind`` of the values ``args``, through its rules."""
    save = WRITES.get(kind)
    if save is None:
        raise IrpError(f"no save of the kind {kind!r}")
    try:
        return save(visit, args)
    except IrpError:
        raise
    except (TypeError, ValueError) as error:  # a rule's words (ValueError), or bad values
        raise IrpError(str(error)) from None
