"""What was typed and could not be saved yet: the visit file was busy (another program,
a merge, a copy tool, a script, held its write lock).

A screen saves through :func:`write`. When the file refuses it as busy, the screen
keeps what was typed on screen and tries again, and :func:`keep` puts it at once in a
private file beside the visit (``core.kept_typing``), so that a crash, a kill or a quit
while the lock lasts loses nothing. Once it is in the visit, :func:`forget` takes it out
of that file. On the next opening :func:`kept` lists what is left, and each can be put
back where it came from (:func:`put_back`: the same save, through the same rules), into
a new note (:func:`into_note`), left for later, or discarded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from irp_field.api.visits import Visit
from irp_field.core import kept_typing
from irp_field.core.rows import now_text
from irp_field.core.visit_file import FileBusy as FileBusy

if TYPE_CHECKING:
    from irp_field.api.notes import NoteDraft

__all__ = ["FileBusy", "Typed", "forget", "into_note", "keep", "kept", "put_back", "write"]


TEXTS = ("Text", "Paragraph")  # shown as their words alone, quoted


@dataclass(frozen=True)
class Typed:
    """One save of typed values: which save (``kind``, a name of ``typed_writes``) with
    what (``args``), the record it writes (``key``: saving it again replaces it), and
    people's words for it (``what``: "the check of A wing"; ``shown``: the values as the
    form labels them)."""

    key: str
    kind: str
    what: str
    args: dict[str, Any]
    shown: tuple[tuple[str, str], ...] = ()
    kept_at: str = ""  # when it went into the kept file (UTC)
    by: str = ""

    def summary(self, width: int = 60) -> str:
        """The values in one line: "Roll 100, Locked up 40, ..." or a note's first words."""
        line = ", ".join(
            f'"{value.strip()}"' if label in TEXTS else f"{label} {value}"
            for label, value in self.shown
            if value.strip()
        )
        line = " ".join(line.split())
        return line if len(line) <= width else line[: width - 1] + "…"

    def words(self) -> str:
        """All of it, as the text of a note: what it was, then each value on its line."""
        lines = [f"Not saved when the visit file was busy: {self.what}."]
        lines += [f"{label}: {value}" for label, value in self.shown if value.strip()]
        return "\n".join(lines)


def write(visit: Visit, typed: Typed) -> object:
    """Save it (raises :class:`FileBusy` while another program holds the file, and the
    rules' refusals as a save does)."""
    # every save's module (findings, the report, photographs), loaded at the first save:
    # every screen imports this one, and the overview paints before anything is saved
    from irp_field.api import typed_writes

    return typed_writes.write(visit, typed.kind, typed.args)


def keep(visit: Visit, typed: Iterable[Typed]) -> str:
    """Put these in the visit's kept file (replacing earlier versions of the same
    records); returns where the file is."""
    now = now_text()
    entries = [
        {
            "key": t.key,
            "kind": t.kind,
            "what": t.what,
            "shown": [list(pair) for pair in t.shown],
            "args": t.args,
            "kept_at": t.kept_at or now,
            "by": t.by or visit.user,
        }
        for t in typed
    ]
    return str(kept_typing.put(visit.path, visit.visit_id, entries))


def kept(visit: Visit) -> list[Typed]:
    """What the kept file holds for this visit, the oldest first (an ``IrpError`` names
    a file that cannot be read; it is left as it is)."""
    return [
        Typed(
            key=entry["key"],
            kind=entry["kind"],
            what=entry["what"],
            args=entry["args"],
            shown=tuple((label, value) for label, value in entry["shown"]),
            kept_at=entry["kept_at"],
            by=entry["by"],
        )
        for entry in kept_typing.read(visit.path, visit.visit_id)
    ]


def kept_file(visit: Visit) -> str:
    """Where the visit's kept file is written."""
    return str(kept_typing.places(visit.path)[0])


def forget(visit: Visit, keys: Iterable[str]) -> None:
    """Out of the kept file: in the visit now, or discarded by the person."""
    kept_typing.drop(visit.path, visit.visit_id, keys)


def put_back(visit: Visit, typed: Typed) -> object:
    """Save a kept entry where it came from, through the rules of its save, and take it
    out of the kept file; a note's draft comes back as a draft (returned, to open)."""
    done = write(visit, typed)
    forget(visit, [typed.key])
    return done


def into_note(visit: Visit, typed: Typed, now: dt.datetime) -> NoteDraft:
    """A kept entry as a new note's draft (in the visit: the editor opens it), then out
    of the kept file. A note keeps its own fields; anything else is written out in words."""
    from irp_field.api.notes import default_moment, new_draft, save_draft

    fresh = new_draft(typed.by or visit.user, default_moment(visit, now))
    if typed.kind == "note_draft":
        values = {name: typed.args.get(name) for name in _DRAFT_FIELDS}
        given = {name: value for name, value in values.items() if isinstance(value, str) and value}
        draft = replace(fresh, **given)  # a new note: its own id, no note_id
    else:
        draft = replace(fresh, text=typed.words())
    saved = save_draft(visit, draft)
    forget(visit, [typed.key])
    return saved


_DRAFT_FIELDS = ("author", "source", "taken_at", "text", "tags", "plan_refs")
