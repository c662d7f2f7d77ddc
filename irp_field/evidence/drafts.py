"""Notes being typed: drafts saved every few seconds, and turning a draft into a note.

A draft lives in the per-file ``note_draft`` table (never merged): after a crash, a
kill or a flat battery the next start finds it there and offers it back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from irp_field.core.ids import keyed_id, uuid7
from irp_field.core.rows import now_text
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import Verdict, blocking, refuse_unless_fine
from irp_field.evidence import lookups

if TYPE_CHECKING:
    from irp_field.domain.notes import NoteEntry

# A note's rules, the rounds' default moment and the visit's dates (``evidence.reads``)
# are imported where they are used: the app's start reads the drafts left over through
# this module before its first frame.

DRAFT_WORDS = 8  # the words of a draft quoted where it is offered back


@dataclass(frozen=True)
class NoteDraft:
    """A note as it is being typed, kept every few seconds until it is saved."""

    id: str
    author: str
    source: str = "observation"
    taken_at: str = ""
    text: str = ""
    tags: str = ""
    plan_refs: str = ""
    note_id: str = ""  # the note it edits, or "" for a new note
    saved_at: str = ""

    def opening(self) -> str:
        """Its first words, as its offer and the list of drafts quote it ("…": cut)."""
        from irp_field.domain.wording import first_words

        return first_words(self.text, DRAFT_WORDS)


def new_draft(author: str, taken_at: str) -> NoteDraft:
    return NoteDraft(id=uuid7(), author=author, taken_at=taken_at)


def default_moment(visit: VisitFile, now: dt.datetime) -> str:
    """When a new record happened unless typed: now when now is in the visit, else the
    visit's last day at this time of day (evidence typed up afterwards, from paper)."""
    from irp_field.domain import rounds
    from irp_field.evidence.reads import visit_dates

    return rounds.default_moment(now, visit_dates(visit))


def draft_of_note(visit: VisitFile, note_id: str, author: str) -> NoteDraft:
    """The one draft of an edit of a note: the unsaved edit left earlier (a crash, or
    Escape after a change), else the note as it stands, keyed by the note so that an
    edit never leaves two drafts of it."""
    row = visit.one(
        "SELECT id, author, source, taken_at, text, tags, plan_refs, note_id, saved_at "
        "FROM note_draft WHERE note_id = ? ORDER BY saved_at DESC LIMIT 1",
        (note_id,),
    )
    if row is not None:
        return NoteDraft(**dict(row))
    return stored_note(visit, note_id, author)


def stored_note(visit: VisitFile, note_id: str, author: str) -> NoteDraft:
    """The note as it is stored, as a draft (not saved as one) of its edit."""
    from irp_field.evidence.notes import get_note

    note = get_note(visit, note_id)
    if note is None:
        raise IrpError("that note is deleted or not in this visit")
    return NoteDraft(
        id=keyed_id(visit.visit_id, "note_draft", note_id),
        author=note.author or author,
        source=note.source,
        taken_at=note.taken_at,
        text=note.text,
        tags=";".join(note.tags),
        plan_refs=";".join(note.plan_refs),
        note_id=note_id,
    )


def save_draft(visit: VisitFile, draft: NoteDraft) -> NoteDraft:
    saved = replace(draft, saved_at=now_text())
    with visit.transaction():
        visit.conn.execute(
            "INSERT OR REPLACE INTO note_draft (id, note_id, author, source, taken_at, text, tags, "
            "plan_refs, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                saved.id,
                saved.note_id,
                saved.author,
                saved.source,
                saved.taken_at,
                saved.text,
                saved.tags,
                saved.plan_refs,
                saved.saved_at,
            ),
        )
    return saved


def drafts(visit: VisitFile, author: str | None = None) -> list[NoteDraft]:
    """Drafts left over (this author's when given), the newest first."""
    sql = (
        "SELECT id, author, source, taken_at, text, tags, plan_refs, note_id, saved_at "
        "FROM note_draft"
    )
    params: tuple[str, ...] = ()
    if author is not None:
        sql += " WHERE author = ?"
        params = (author,)
    return [NoteDraft(**dict(row)) for row in visit.query(sql + " ORDER BY saved_at DESC", params)]


def discard_draft(visit: VisitFile, draft_id: str) -> None:
    with visit.transaction():
        visit.conn.execute("DELETE FROM note_draft WHERE id = ?", (draft_id,))


def draft_verdicts(visit: VisitFile, draft: NoteDraft) -> tuple[NoteEntry, list[Verdict]]:
    """Every rule on the note a draft would become (``domain.notes.verdicts``)."""
    from irp_field.domain import notes as note_rules
    from irp_field.evidence.reads import visit_dates

    note = note_rules.Note(
        draft.source, draft.taken_at, draft.text, draft.tags, draft.plan_refs, draft.author
    )
    # An edit that keeps the note's author judges them as stored (warned of, never
    # refused: they may have left the team since, and the note is still evidence).
    held = visit.one("SELECT author FROM note WHERE id = ?", (draft.note_id,))
    kept = held is not None and held["author"] == draft.author
    context = note_rules.NoteContext(
        visit_dates(visit), lookups.plan_ids(visit), lookups.team_names(visit), stored=kept
    )
    return note_rules.verdicts(note, context)


def draft_problems(visit: VisitFile, draft: NoteDraft) -> dict[str, str]:
    """field -> why it cannot be saved yet; empty when the draft can become a note (a
    date outside the visit is not listed here: the editor asks about it)."""
    _, found = draft_verdicts(visit, draft)
    problems: dict[str, str] = {}
    for verdict in blocking(found, confirmed=True):
        problems.setdefault(verdict.field, verdict.message)
    return problems


def save_note(visit: VisitFile, draft: NoteDraft, *, allow_outside_visit: bool = False) -> str:
    """The draft becomes a note with its plan links, and the draft goes, in one transaction."""
    entry, found = draft_verdicts(visit, draft)
    refuse_unless_fine(found, confirmed=allow_outside_visit)
    known = lookups.plan_ids(visit)
    values = {
        "source": entry.source,
        "taken_at": entry.taken_at,
        "author": draft.author,
        "text": entry.text,
        "tags": entry.tags,
    }
    with visit.transaction():
        if draft.note_id:
            note_id = draft.note_id
            visit.update("note", note_id, values)
        else:
            note_id = visit.insert("note", values)
        link_plan_items(visit, note_id, [known[ref.casefold()] for ref in entry.plan_refs])
        visit.conn.execute("DELETE FROM note_draft WHERE id = ?", (draft.id,))
    return note_id


def link_plan_items(visit: VisitFile, note_id: str, plan_item_ids: list[str]) -> None:
    """Make the note's live links exactly these plan items, in the open transaction.

    A link's id comes from what it joins (the note and the plan item), so two laptops
    that link the same note to the same item write the same row, and saving a note
    whose links did not change writes no link at all: concurrent edits of a note's text
    never duplicate or churn its links.
    """
    wanted = {keyed_id(visit.visit_id, "note_link", note_id, p): p for p in plan_item_ids}
    for row in visit.query(
        "SELECT id FROM note_link WHERE note_id = ? AND deleted = 0", (note_id,)
    ):
        if row["id"] not in wanted:
            visit.delete("note_link", row["id"])
    for link_id, plan_item_id in wanted.items():
        visit.upsert("note_link", {"id": link_id, "note_id": note_id, "plan_item_id": plan_item_id})


def delete_note(visit: VisitFile, note_id: str) -> None:
    with visit.transaction():
        visit.delete("note", note_id)


def restore_note(visit: VisitFile, note_id: str) -> None:
    # purges (the purge's snapshots and its rules) only here: the app's start reads the
    # drafts through this module, to offer one back before the overview paints
    from irp_field.evidence import purges

    purges.restore(visit, "note", note_id)


def minute_now(now: dt.datetime) -> str:
    return now.replace(second=0, microsecond=0).isoformat(timespec="minutes")
