"""The public keys a visit's hand-back is sealed for, kept in the visit's own row.

They are part of the visit's details, so they travel by merge: the team leader names
their key once (at set-up, or on the master) and every inspector's copy learns it at
the next merge back. The rules are ``domain.recipients``'s. A change is an edit of the
visit row like any other: logged, undoable, and merged by its version.
"""

from __future__ import annotations

from irp_field.core.visit_file import VisitFile
from irp_field.domain import recipients as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import RecordRefused, Verdict, refuse_unless_fine


def held(visit: VisitFile) -> list[str]:
    """The visit's keys, in the order they were added (those the rules take: ``check``
    names any other)."""
    row = visit.one("SELECT recipients FROM visit WHERE id = ?", (visit.visit_id,))
    stored = str(row[0]) if row is not None and row[0] is not None else ""
    keys, _ = rules.stored_verdicts(stored)
    return keys


def _store(visit: VisitFile, keys: list[str]) -> bool:
    with visit.transaction():
        if visit.row("visit", visit.visit_id) is None:
            raise IrpError(f"{visit.path}: holds no visit details to add a key to")
        return visit.update("visit", visit.visit_id, {"recipients": rules.joined(keys)})


def add(visit: VisitFile, key: str) -> str:
    """Name one more key to seal for; the key as stored."""
    keys, found = rules.added_verdicts(held(visit), key)
    refuse_unless_fine(found, what="public key")
    _store(visit, keys)
    return keys[-1]


def remove(visit: VisitFile, key: str) -> str:
    """Stop sealing for a key (given whole, or by its start: at least 8 characters)."""
    keys = held(visit)
    wanted = key.strip().lower()
    matches = [k for k in keys if k == wanted or (len(wanted) >= 8 and k.startswith(wanted))]
    if len(matches) != 1:
        said = "names no such key" if not matches else "names several keys that start so"
        raise RecordRefused([Verdict("recipient", f"the visit {said}: {key.strip()[:20]}")])
    keys.remove(matches[0])
    _store(visit, keys)
    return matches[0]
