"""Writing findings and judgements: the checks a command makes before anything is stored.

A paragraph is rendered before it is stored, so an unknown figure or a refused template
is reported at once and nothing is written.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from irp_field import figures as figure_registry
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.domain.plan import Level, PlanItem, judgement_verdicts
from irp_field.domain.recorders import recorder_verdicts
from irp_field.domain.verdicts import refuse_unless_fine
from irp_field.evidence import lookups, reads
from irp_field.figures import Figure
from irp_field.findings import bounds, outline
from irp_field.findings import paragraphs as finding_store
from irp_field.findings.sync import FindingsState, outlined
from irp_field.findings.templates import Renderer


def plan_item(visit: VisitFile, ref: str) -> PlanItem:
    items = reads.plan_items(visit)
    for item in items:
        if item.ref.casefold() == ref.strip().casefold():
            return item
    refs = [item.ref for item in items]
    close = difflib.get_close_matches(ref, refs, n=3, cutoff=0.5)
    hint = (
        f"did you mean {', '.join(close)}?"
        if close
        else f"the plan has: {', '.join(refs) or 'nothing yet'}"
    )
    raise IrpError(f"no plan item {ref!r} in this visit; {hint}")


def group_members(visit: VisitFile, item: PlanItem) -> list[PlanItem]:
    """The items judged with ``item`` (itself alone when it is in no group), in report order."""
    return [
        i
        for i in reads.plan_items(visit)
        if i.judged_unit.casefold() == item.judged_unit.casefold()
    ]


def unit_of(state: FindingsState, item: PlanItem) -> outline.JudgedUnit:
    for unit in outline.units(state.sections):
        if any(member.id == item.id for member in unit.items):
            return unit
    raise IrpError(f"plan item {item.ref} is not in the report")  # pragma: no cover - defensive


def _check_renders(
    visit: VisitFile, text: str, where: str, computed: dict[str, Figure] | None = None
) -> None:
    """``computed``: the registry's figures, when the caller has them (and syncs with them)."""
    if not text.strip():
        raise IrpError(f"{where}: a paragraph needs some text")
    character = bounds.unwritable_character(text)
    if character:
        raise IrpError(f"{where}: refused: {character}")
    Renderer(figure_registry.compute(visit) if computed is None else computed).render(text, where)


def _position_after(unit: outline.JudgedUnit, after: str | None) -> tuple[str, float]:
    """(plan item id, position) for a new paragraph: at the end, or after paragraph ``after``."""
    written = [p.finding for p in unit.written if p.finding is not None]
    home = unit.first.id  # a group's paragraphs are filed under its first item
    if after is None or (not written and after.strip() in ("0", "")):
        return home, (written[-1].position + 1 if written else 1.0)
    after = after.strip()
    if after.isdigit():
        index = int(after)
    else:
        numbers = [p.number for p in unit.written]
        if after not in numbers:
            raise IrpError(
                f"--after {after}: not a paragraph of {unit.name} (its paragraphs are "
                f"{', '.join(numbers) or 'none yet'}; or give a count such as 0 for first)"
            )
        index = numbers.index(after) + 1
    if index > len(written):
        raise IrpError(f"--after {after}: {unit.name} has only {len(written)} paragraph(s)")
    if index == 0:
        return written[0].plan_item_id, written[0].position - 1
    before = written[index - 1]
    if index == len(written):
        return before.plan_item_id, before.position + 1
    following = written[index]
    if following.plan_item_id != before.plan_item_id:
        return before.plan_item_id, before.position + 1
    return before.plan_item_id, (before.position + following.position) / 2


def add(
    visit: VisitFile,
    ref: str,
    text: str,
    *,
    after: str | None = None,
    cite: Sequence[str] = (),
    computed: dict[str, Figure] | None = None,
) -> str:
    # whoever writes the file records it: on the team (``domain.recorders``), as every kind
    refuse_unless_fine(
        recorder_verdicts("finding", visit.user, lookups.team_names(visit)), what="recorded by"
    )
    item = plan_item(visit, ref)
    # At the end of its unit (no ``after``), only the unit's own paragraphs say where; a
    # paragraph number to add after needs every paragraph numbered.
    members = None if after is not None else [i.id for i in group_members(visit, item)]
    unit = unit_of(outlined(visit, members), item)
    _check_renders(visit, text, f"new paragraph for {item.ref}", computed)
    cited = finding_store.check_citations(visit, cite)
    plan_item_id, position = _position_after(unit, after)
    return finding_store.add_finding(visit, plan_item_id, text, position, cited)


def find(state: FindingsState, paragraph: str) -> outline.Paragraph:
    """A written paragraph by its number ("3.39") or its id."""
    wanted = paragraph.strip()
    for p in outline.paragraphs(state.sections):
        if p.number == wanted or (p.finding is not None and p.finding.id == wanted):
            if p.finding is None:
                raise IrpError(
                    f"paragraph {p.number} is the conclusion generated from the judgement of "
                    f"{p.unit}; change it with irp-field judge"
                )
            return p
    numbers = [p.number for p in outline.paragraphs(state.sections)]
    span = (
        f"paragraphs run from {numbers[0]} to {numbers[-1]}"
        if numbers
        else "there are no paragraphs yet"
    )
    raise IrpError(f"no paragraph {wanted!r} in this visit ({span})")


def edit(
    visit: VisitFile,
    paragraph: str,
    text: str | None,
    cite: Sequence[str] | None = None,
    computed: dict[str, Figure] | None = None,
    to_ref: str | None = None,
) -> outline.Paragraph:
    """Replace a paragraph's text (None: keep it) and its citations (None: keep them);
    ``to_ref``: file it under that plan item too, unless it is there already."""
    state = outlined(visit)
    found = find(state, paragraph)
    assert found.finding is not None
    if text is not None:
        _check_renders(visit, text, f"paragraph {found.number} ({found.ref})", computed)
    cited = finding_store.check_citations(visit, cite) if cite is not None else None
    if text is not None or cited is not None:
        finding_store.edit_finding(visit, found.finding.id, text, cited)
    if to_ref is not None:
        _refile(visit, state, found, to_ref, already_there_is_fine=True)
    return found


def move_to(visit: VisitFile, paragraph: str, ref: str) -> outline.Paragraph:
    """File a written paragraph under plan item ``ref`` (its group's first item, when it
    is in a group), after the paragraphs written there, as a new one is added: an edit
    that merges and keeps its history; the numbers follow. Returns it as it was."""
    state = outlined(visit)
    found = find(state, paragraph)
    _refile(visit, state, found, ref, already_there_is_fine=False)
    return found


def _refile(
    visit: VisitFile,
    state: FindingsState,
    found: outline.Paragraph,
    ref: str,
    *,
    already_there_is_fine: bool,
) -> None:
    assert found.finding is not None
    unit = unit_of(state, plan_item(visit, ref))
    if unit.name.casefold() == found.unit.casefold():
        if already_there_is_fine:
            return
        raise IrpError(f"paragraph {found.number} is already under {found.unit}")
    plan_item_id, position = _position_after(unit, None)
    finding_store.move_finding(visit, found.finding.id, plan_item_id, position)


@dataclass(frozen=True)
class Filed:
    """Where a paragraph just added or moved stands in the report, and the paragraphs
    that renumbered (what the ``findings`` commands and F7 say)."""

    number: str
    unit: str  # the judged unit it is under: a ref, or a group's name
    renumbered: str  # "3.1-3.57 are now 3.2-3.58", or ""

    def said(self, opening: str) -> str:
        """``opening`` ("Added paragraph 3.1 to 1.33") and the renumbering, as a sentence."""
        return f"{opening}; {self.renumbered}." if self.renumbered else f"{opening}."


def numbers_now(visit: VisitFile) -> dict[str, str]:
    """Every paragraph's number now (``outline.numbers``): taken before an add or a move,
    so that ``filed`` can say what it renumbered."""
    return outline.numbers(outlined(visit).sections)


def filed(visit: VisitFile, finding_id: str, before: Mapping[str, str]) -> Filed:
    """Paragraph ``finding_id``'s number and unit now, and what renumbered since ``before``."""
    sections = outlined(visit).sections
    found = next(
        p for p in outline.paragraphs(sections) if p.finding and p.finding.id == finding_id
    )
    after = outline.numbers(sections)
    return Filed(found.number, found.unit, outline.renumbered(before, after, leave=finding_id))


def delete(visit: VisitFile, paragraph: str) -> outline.Paragraph:
    found = find(outlined(visit), paragraph)
    assert found.finding is not None
    finding_store.delete_finding(visit, found.finding.id)
    return found


def move(visit: VisitFile, paragraph: str, step: int) -> outline.Paragraph | None:
    """Move a written paragraph ``step`` places within its unit (-1 up, 1 down).

    Only its plan item and position change (an edit that merges); the numbers follow.
    None when it is already first (or last) and nothing is written.
    """
    state = outlined(visit)
    found = find(state, paragraph)
    assert found.finding is not None
    unit = next(u for u in outline.units(state.sections) if u.name == found.unit)
    written = [p.finding for p in unit.written if p.finding is not None]
    index = next(i for i, f in enumerate(written) if f.id == found.finding.id)
    others = written[:index] + written[index + 1 :]
    target = index + step
    if not 0 <= target <= len(others) or target == index:
        return None
    before = others[target - 1] if target > 0 else None
    after = others[target] if target < len(others) else None
    if before is None:
        assert after is not None
        plan_item_id, position = after.plan_item_id, after.position - 1
    elif after is None or after.plan_item_id != before.plan_item_id:
        plan_item_id, position = before.plan_item_id, before.position + 1
    else:
        plan_item_id, position = before.plan_item_id, (before.position + after.position) / 2
    finding_store.move_finding(visit, found.finding.id, plan_item_id, position)
    return found


def restore(visit: VisitFile, finding_id: str) -> None:
    """Undo a delete: the paragraph's tombstone is lifted."""
    finding_store.restore_finding(visit, finding_id)


def judge(
    visit: VisitFile, ref: str, level_text: str, why: str | None
) -> tuple[list[PlanItem], Level]:
    """Judge the item's unit (its group, when it has one) on the item's own scale. The
    reason is stored without spaces or line breaks at its ends, as an import stores it."""
    item = plan_item(visit, ref)
    scale = item.scale
    try:
        level = scale.parse(level_text)
    except ValueError as error:
        raise IrpError(f"{item.ref}: {error}") from None
    reason = None if why is None else why.strip()
    found = judgement_verdicts(item.judged_unit, scale.key, level.key, reason or "")
    refuse_unless_fine(found, what=item.ref)
    finding_store.set_judgement(visit, item.judged_unit, scale.key, level.key, reason)
    return group_members(visit, item), level


def clear_judgement(visit: VisitFile, ref: str) -> list[PlanItem]:
    """Set the item's unit back to "not judged": level '' (an edit that merges, not a delete)."""
    item = plan_item(visit, ref)
    finding_store.clear_judgement(visit, item.judged_unit)
    return group_members(visit, item)
