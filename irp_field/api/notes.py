"""Notes: what an inspector saw or was told, with its source, time, tags and the plan
items it is evidence for. A note is typed as a draft (kept every few seconds, so a crash
loses nothing) and saved through the rules (``domain/notes``: its author on the team);
the notes screen, the note editor and a program call these."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from irp_field.core import lazy
from irp_field.core.visit_file import VisitFile
from irp_field.evidence.drafts import NoteDraft as NoteDraft
from irp_field.evidence.drafts import default_moment as default_moment
from irp_field.evidence.drafts import delete_note as delete_note
from irp_field.evidence.drafts import discard_draft as discard_draft
from irp_field.evidence.drafts import draft_of_note as draft_of_note
from irp_field.evidence.drafts import draft_problems as draft_problems
from irp_field.evidence.drafts import draft_verdicts as draft_verdicts
from irp_field.evidence.drafts import drafts as drafts
from irp_field.evidence.drafts import minute_now as minute_now
from irp_field.evidence.drafts import new_draft as new_draft
from irp_field.evidence.drafts import restore_note as restore_note
from irp_field.evidence.drafts import save_draft as save_draft
from irp_field.evidence.drafts import save_note as save_note
from irp_field.evidence.drafts import stored_note as stored_note

if TYPE_CHECKING:
    from irp_field.evidence.notes import Note as Note
    from irp_field.evidence.notes import list_notes as list_notes
    from irp_field.evidence.notes import search_notes as search_notes

# The notes themselves (``evidence.notes``) are loaded when first asked for: the app's
# start reads the drafts left over through this module before its first frame.
_IN_NOTES = ("Note", "list_notes", "search_notes")


def __getattr__(name: str) -> Any:
    return lazy.loaded(globals(), dict.fromkeys(_IN_NOTES, "irp_field.evidence.notes"), name)


def record_note(
    visit: VisitFile,
    *,
    text: str,
    source: str = "observation",
    taken_at: str,
    plan_refs: str | list[str] = "",
    tags: str | list[str] = "",
    author: str | None = None,
    allow_outside_visit: bool = False,
) -> str:
    """Write one note (and its links to plan items) in one committed transaction."""
    from irp_field.evidence import drafts as draft_store

    draft = draft_store.NoteDraft(
        id=draft_store.new_draft(author or visit.user, taken_at).id,
        author=author or visit.user,
        source=source,
        taken_at=taken_at,
        text=text,
        tags=tags if isinstance(tags, str) else ";".join(tags),
        plan_refs=plan_refs if isinstance(plan_refs, str) else ";".join(plan_refs),
    )
    return draft_store.save_note(visit, draft, allow_outside_visit=allow_outside_visit)
