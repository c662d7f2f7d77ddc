"""Purging a record: its content removed for good (``irp-field purge``, the screens' purge
key). A tombstone keeps a deleted record whole; a purge leaves only its fact.

    found = purges.find(visit, "note", "0192f3a1")      # by the id the list shows
    done = purges.purge(visit, "note", "0192f3a1", reason="a prisoner's name, wrong note")

A record is found by its kind and its id (or the first characters of it, as
:func:`purgeable` lists them; a paragraph also by its number, a judgement by its plan
ref, a glossary term by its term, a data return by its key), live or already deleted.
The purge record names it without its content ("note by Priya Shah, 14 March 14:00").
An attachment takes its file's bytes with it, and so every attachment of that file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from irp_field.core.visit_file import VisitFile
from irp_field.domain import attachments as attachment_rules
from irp_field.domain import purges as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.names import NAME_LIMIT
from irp_field.domain.purges import KINDS as KINDS
from irp_field.domain.purges import PurgeKind as PurgeKind
from irp_field.evidence import purges as store
from irp_field.evidence.purges import PurgeRecord as PurgeRecord
from irp_field.evidence.purges import Target
from irp_field.findings.report_editing import numbered as summary_numbered
from irp_field.replication.describe import paragraph_numbers, record, when

__all__ = [
    "KINDS",
    "PurgeKind",
    "PurgeRecord",
    "Purgeable",
    "deleted",
    "find",
    "purge",
    "purgeable",
    "restore",
]

QUOTED = 50  # characters of what a record holds, shown in the list to choose from


@dataclass(frozen=True)
class Purgeable:
    kind: PurgeKind
    id: str
    what: str  # as the purge record names it: never what it holds
    holds: str  # the start of what it holds, to recognise it by (never stored)
    removed: bool  # deleted already (a tombstone keeps it)
    number: str = ""  # a paragraph's number, as the report has it now
    file_sha256: str = ""  # an attachment's file
    short: str = ""  # the start of its id that no other record of the list shares
    name: str = ""  # a judgement's plan ref, a glossary term, a data return's key

    def shown(self) -> str:
        """One line of the list: its id (as much as tells it apart), what it is, what it
        holds."""
        gone = " (deleted)" if self.removed else ""
        holds = f": {self.holds}" if self.holds else ""
        return f"{self.short or self.id}  {self.what}{gone}{holds}"


@dataclass
class Purged:
    record: Purgeable
    # the file and other attachments of it; the links of a purged period's day
    also: list[Target] = field(default_factory=list)
    done: store.Purged = field(default_factory=store.Purged)
    attachments_left: int = 0  # live attachments of a purged note or paragraph: they stay


def purges(visit: VisitFile) -> list[PurgeRecord]:
    """Every purge of the visit: which record, who, when, why."""
    return store.purge_records(visit)


def purgeable(
    visit: VisitFile, kind: str | PurgeKind, *, emptied: bool = False, deleted_only: bool = False
) -> list[Purgeable]:
    """Every record of ``kind`` a purge could empty, live or deleted, oldest first (and
    those a purge emptied, with ``emptied``: purged again, everywhere, when named; the
    deleted ones alone with ``deleted_only``, each id's start still told apart from
    every other record's)."""
    chosen = kind if isinstance(kind, PurgeKind) else rules.kind_of(kind)
    rows = store.records(visit, chosen.table, emptied=emptied, deleted_only=deleted_only)
    names = _Names(visit, chosen.table)
    found = [names.purgeable(chosen, row) for row in rows]
    every = store.ids(visit, chosen.table) if deleted_only else [p.id for p in found]
    shorts = _shortest_starts(every)
    return [replace(p, short=shorts[p.id]) for p in found]


def _shortest_starts(ids: list[str], least: int = 8) -> dict[str, str]:
    """Each id's shortest start (at least ``least`` characters) no other id shares: ids
    made in one import share their first 26 characters."""
    ordered = sorted(set(ids))
    starts = {}
    for at, one in enumerate(ordered):
        shared = 0
        for other in ordered[max(at - 1, 0) : at] + ordered[at + 1 : at + 2]:
            same = [a == b for a, b in zip(one, other, strict=False)]
            shared = max(shared, same.index(False) if False in same else len(same))
        starts[one] = one[: max(least, shared + 1)]
    return starts


def find(visit: VisitFile, kind: str | PurgeKind, ident: str, *, doing: str = "purge") -> Purgeable:
    """One record of ``kind``, by its id or the start of it (four characters or more),
    or by its number, ref, term or key; refused in one line otherwise (``doing``: what
    the person asked, "purge" or "restore", as the command's name)."""
    chosen = kind if isinstance(kind, PurgeKind) else rules.kind_of(kind)
    wanted = ident.strip()
    listed = purgeable(visit, chosen, emptied=True)
    matches = [p for p in listed if p.id == wanted]
    if not matches and wanted:
        matches = [p for p in listed if _named_by(p, wanted)]
    if len(matches) != 1:
        said = "no" if not matches else f"{len(matches)} records match; no single"
        raise IrpError(
            f"{said} {chosen.label} {wanted!r} to {doing} in this visit (irp-field {doing} "
            f"VISIT {chosen.word} lists them)"
        )
    return matches[0]


def deleted(visit: VisitFile, kind: str | PurgeKind) -> list[Purgeable]:
    """Every deleted record of ``kind`` that a restore brings back, oldest first (a
    purged one is gone for good: it is not listed)."""
    return purgeable(visit, kind, deleted_only=True)


def restore(visit: VisitFile, kind: str | PurgeKind, ident: str) -> Purgeable:
    """Bring back a deleted record (``find``): its tombstone lifted, as ctrl+z lifts it
    in the session that deleted it, so it counts again and the restore merges. Refused,
    naming it, when it is not deleted or a purge emptied it."""
    found = find(visit, kind, ident, doing="restore")
    if not found.removed:
        raise IrpError(f"{found.what} is not deleted: nothing to restore")
    store.restore(visit, found.kind.table, found.id)
    return replace(found, removed=False)


def _named_by(found: Purgeable, wanted: str) -> bool:
    if len(wanted) >= 4 and found.id.startswith(wanted):
        return True
    if found.removed:
        return False
    return (bool(found.number) and found.number == wanted) or (
        bool(found.name) and found.name.casefold() == wanted.casefold()
    )


def purge(visit: VisitFile, kind: str | PurgeKind, ident: str, reason: str) -> Purged:
    """Purge one record (``find``) for ``reason``: see ``evidence.purges.purge``."""
    found = find(visit, kind, ident)
    result = Purged(found)
    targets = [Target(found.kind.table, found.id, found.what)]
    if found.kind.table == "attachment" and found.file_sha256:  # not emptied before
        file_what = _limited(f"the file of {found.what}")
        result.also.append(Target("attachment_file", found.file_sha256, file_what))
        others = [
            a
            for a in purgeable(visit, found.kind, emptied=True)
            if a.file_sha256 == found.file_sha256
        ]
        result.also += [Target("attachment", a.id, a.what) for a in others if a.id != found.id]
    elif found.kind.table == "toc_period":  # the day's links name its subject too
        result.also += store.day_links_with(visit, found.id)
    else:
        result.attachments_left = sum(
            1
            for a in purgeable(visit, "attachment")
            if not a.removed and a.id in _attachments_of(visit, found.id)
        )
    result.done = store.purge(visit, [*targets, *result.also], reason)
    return result


def _attachments_of(visit: VisitFile, target_id: str) -> set[str]:
    from irp_field.evidence.attachments import attachments

    return {a.id for a in attachments(visit, target_id)}


def _limited(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= NAME_LIMIT else line[: NAME_LIMIT - 1] + "…"


def _quoted(text: object) -> str:
    words = " ".join(str(text or "").split())
    return f"'{words[:QUOTED]}…'" if len(words) > QUOTED else (f"'{words}'" if words else "")


# What each kind holds that a person typed: shown in the list to recognise a record by.
_HOLDS = {
    "note": ("text",),
    "attachment": ("file_name", "caption"),
    "finding": ("text",),
    "report_paragraph": ("text",),
    "roll_check": ("note",),
    "toc_period": ("subject",),
    "sample_answer": ("comment",),
    "data_return": ("label", "source"),
    "glossary_term": ("term",),
    "judgement": ("why",),
}


# The column a record is also found by (``irp-field purge hull judgement 1.38``).
_NAMED_BY = {"judgement": "unit", "glossary_term": "term", "data_return": "key"}


class _Names:
    """How each record is named without its content, and what the list shows of it."""

    def __init__(self, visit: VisitFile, table: str) -> None:
        self.visit = visit
        self.table = table
        self.numbers: dict[str, str] = {}
        if table in ("finding", "attachment"):
            self.numbers = paragraph_numbers(visit)
        if table in ("report_paragraph", "attachment"):
            self.numbers |= {
                p.finding.id: p.number for p in summary_numbered(visit) if p.finding is not None
            }

    def purgeable(self, kind: PurgeKind, row: dict[str, object]) -> Purgeable:
        row_id = str(row["id"])
        holds = " ".join(q for q in (_quoted(row.get(c)) for c in _HOLDS[self.table]) if q)
        emptied = str(row.get("emptied_as") or "")  # purged before: as its purge named it
        return Purgeable(
            kind,
            row_id,
            emptied or _limited(self.what(row)),
            holds,
            bool(row["deleted"]),
            self.numbers.get(row_id, "") if self.table != "attachment" else "",
            str(row.get("file_sha256", "")),
            name=str(row.get(_NAMED_BY.get(self.table, ""), "") or ""),
        )

    def what(self, row: dict[str, object]) -> str:
        table = self.table
        if table == "note":
            return self.note(row)
        if table == "attachment":
            kind = attachment_rules.KINDS.get(str(row.get("kind")), ("file",))[0]
            return f"{kind} attached to {self.place(row)}"
        if table in ("finding", "report_paragraph"):
            number = self.numbers.get(str(row["id"]))
            label = "paragraph" if table == "finding" else f"{row.get('section')} paragraph"
            return f"{label} {number}" if number else f"a deleted {label}"
        if table == "toc_period":  # never its subject: it may be the name that must go
            return f"time out of cell period, {row.get('on_date')} {row.get('start_time')}-" + str(
                row.get("end_time")
            )
        if table == "sample_answer":  # never its record: it points at a person
            return "answer " + record(self.visit, table, row, {}).split(",", 1)[-1].strip()
        if table == "glossary_term":  # never its term: it may be the name
            return f"a glossary term added by {row.get('created_by') or 'someone'}"
        if table == "judgement":
            return f"judgement of {row.get('unit')}"
        return record(self.visit, table, row, {})  # a roll check, a data return

    def note(self, row: dict[str, object]) -> str:
        by = row.get("author") or row.get("created_by") or "someone"
        return f"note by {by}, {when(str(row.get('taken_at', '')))}"

    def place(self, row: dict[str, object]) -> str:
        target_kind, target_id = str(row.get("target_kind")), str(row.get("target_id"))
        if target_kind == "paragraph":
            number = self.numbers.get(target_id)
            return f"paragraph {number}" if number else "a deleted paragraph"
        if target_kind == "note":
            note = self.visit.row("note", target_id)
            return self.note(note) if note else "a note"
        return "a sampled record"
