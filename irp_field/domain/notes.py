"""Interview and observation notes, and the rules a note obeys.

Applied alike by the import, the note editor, the API, ``check`` and the merge (REFUSE
each): a known source; a real date and time; some text, within the text limit; tags
and text holding no character a document cannot hold; plan refs that name plan items
of the visit; dated inside the visit (CONFIRM: ``visit.date_verdicts``). Its author is
on the visit's team (REFUSE in an import, the editor and the API, which write the name
of whoever is recording; WARN of a stored note: ``recorders.recorder_verdicts``).

:func:`verdicts` combines them for one note: every path calls it (``check`` asks
:func:`note_verdicts` first, its fast path for the rows nothing is wrong with). A search
of the notes is bounded by :mod:`irp_field.domain.note_search`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from irp_field.domain import fields, vocabulary
from irp_field.domain.names import character_verdicts, text_verdicts
from irp_field.domain.recorders import recorder_verdicts
from irp_field.domain.verdicts import Verdict
from irp_field.domain.visit import VisitDates, date_verdicts


@dataclass(frozen=True)
class NoteEntry:
    source: str
    taken_at: str
    text: str
    tags: str  # ';'-joined, blanks dropped
    plan_refs: tuple[str, ...]


def note_verdicts(
    source: str, taken_at: str, text: str, tags: str, plan_refs: str, plan: Mapping[str, str]
) -> tuple[NoteEntry, list[Verdict]]:
    """``plan``: casefolded ref -> id of the visit's plan items."""
    found: list[Verdict] = []
    chosen = moment = ""
    try:
        chosen = vocabulary.choose(source, vocabulary.NOTE_SOURCES, "source")
    except ValueError as error:
        found.append(Verdict("source", str(error)))
    try:
        moment = fields.moment(taken_at)
    except ValueError as error:
        found.append(Verdict("taken_at", str(error)))
    found += text_verdicts(text, "text", "the note")
    found += character_verdicts(tags, "tags", "the tags")
    refs = fields.split_list(plan_refs)
    found += [
        Verdict("plan_refs", f"unknown plan ref {ref!r}")
        for ref in refs
        if ref.casefold() not in plan
    ]
    entry = NoteEntry(chosen, moment, text.strip(), ";".join(fields.split_list(tags)), tuple(refs))
    return entry, found


def author_verdicts(author: str, team: Mapping[str, str]) -> list[Verdict]:
    """``team``: casefolded name -> name. An author the team does not know is refused
    (``setup.team_verdicts``, as a roll check's inspector), and so is no author: a
    note is always someone's."""
    if not author.strip():
        return [Verdict("author", "unknown team member ''")]
    return recorder_verdicts("note", author, team)


@dataclass(frozen=True)
class Note:
    """One note as typed, imported or read back from a file (text, not parsed yet)."""

    source: str
    taken_at: str
    text: str
    tags: str = ""
    plan_refs: str = ""  # ';'-separated refs (a stored note's links are rows of their own)
    author: str = ""


@dataclass(frozen=True)
class NoteContext:
    """What the rules need to know of the visit around one note."""

    dates: VisitDates
    plan: Mapping[str, str] = field(default_factory=dict)  # casefolded ref -> plan item id
    team: Mapping[str, str] = field(default_factory=dict)  # casefolded name -> name
    stored: bool = False  # a note the file holds (``check``, a merge)


def verdicts(note: Note, context: NoteContext) -> tuple[NoteEntry, list[Verdict]]:
    """Every note rule on one note, as every path applies them."""
    entry, found = note_verdicts(
        note.source, note.taken_at, note.text, note.tags, note.plan_refs, context.plan
    )
    if context.stored:
        found += recorder_verdicts("note", note.author, context.team, stored=True)
    else:
        found += author_verdicts(note.author, context.team)
    return entry, found + date_verdicts(entry.taken_at, context.dates, "taken_at")
