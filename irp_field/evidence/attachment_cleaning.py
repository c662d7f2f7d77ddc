"""Pictures stored before irp-field cleaned them (0.3.0 kept a camera's file as it came,
GPS position, serial number, owner's name and all), cleaned where they are stored.

A picture that is not clean (``pictures.layout``) is decoded and re-encoded clean
(``pictures.clean``, as ``attach`` does it now); the clean file is stored under its own
hash; every live attachment of the old file is attached again to the clean one (under
the id the same file attached to the same record has: ``attachments.attachment_id``)
and the old attachment gets its tombstone; the old file's bytes are purged
(``evidence.purges``, issue 21): its row emptied, a purge record saying which file,
who, when and why, SQLite's ``secure_delete`` on for the change; once committed, the
caller rewrites the file without free pages, empties its WAL and purges the snapshots
(``purges.settle``). The purge travels by merge: a laptop that still holds the old
bytes and merges this file purges its own copy and its snapshots, and never brings
them back. What remains: copies made outside the app, until they are merged or deleted.

A stored file the rules now refuse (a "picture" that does not decode, a document that
runs scripts) has its bytes purged the same way when no live attachment names it (nothing
shows it), and is left, and said, when one does: the inspector removes the attachment
first, or keeps it knowing (``check`` reports it, and a merge refuses a laptop's file
that holds one).

``irp-field attachments clean VISIT`` cleans every stored file that needs it; the
merge cleans the pictures that arrive with it (:func:`clean_arrived`): a laptop of 0.3.0
merges its pictures in, and the master stores them clean. Cleaning is the same on every
laptop (the same file, the same attachment ids, the same empty row), so two masters
that clean one picture agree, and merge without a conflict.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from irp_field.core.visit_file import VisitFile
from irp_field.domain import attachments as rules
from irp_field.domain.purges import REASON_LIMIT
from irp_field.domain.verdicts import RecordRefused
from irp_field.evidence import attachments, purges
from irp_field.evidence.purges import Target


@dataclass(frozen=True)
class Cleaned:
    file_name: str  # as an attachment names it
    old: str  # the file's hash before
    new: str = ""  # the clean file's hash ('' when none was made)
    removed: list[str] = field(default_factory=list)  # what it carried
    turned: bool = False
    refused: str = ""  # what the rules refuse of it (it does not decode, it runs scripts)
    attached: bool = True  # a live attachment names it

    @property
    def left(self) -> bool:
        """Still stored as it was: refused, and attached (the inspector decides)."""
        return bool(self.refused) and self.attached

    def describe(self) -> str:
        if self.left:
            return (
                f"{self.file_name} ({self.old[:12]}): {self.refused}; remove the attachment "
                "(irp-field attachments remove), then clean again"
            )
        if self.refused:
            return (
                f"{self.file_name} ({self.old[:12]}): its bytes removed ({self.refused}; "
                "nothing is attached to it)"
            )
        upright = ", turned upright" if self.turned else ""
        return (
            f"{self.file_name} ({self.old[:12]} -> {self.new[:12]}): removed "
            f"{', '.join(self.removed) or 'nothing'}{upright}"
        )


def file_ids(visit: VisitFile) -> set[str]:
    """Every file the visit holds a row of (live or not): what a merge brings is the rest."""
    return {str(row[0]) for row in visit.conn.execute("SELECT id FROM attachment_file")}


def clean_files(visit: VisitFile, only: Iterable[str] | None = None) -> list[Cleaned]:
    """Make every live stored file (of ``only``) one the rules take now, in one
    transaction (the caller's, if one is open: the merge's): a picture that is not clean
    is cleaned; a file the rules refuse (a picture that does not decode, a document that
    runs scripts) loses its bytes when no live attachment names it, and is left, said,
    when one does (the inspector removes the attachment, or keeps it and knows)."""
    wanted = set(only) if only is not None else None
    chosen = [
        (str(sha256), str(kind))
        for sha256, kind in visit.conn.execute(
            "SELECT id, kind FROM attachment_file WHERE deleted = 0 ORDER BY rowid"
        )
        if wanted is None or sha256 in wanted
    ]
    if not chosen:
        return []  # a merge that brought no file reads none
    done = []
    before = visit.conn.execute("PRAGMA secure_delete").fetchone()[0]
    visit.conn.execute("PRAGMA secure_delete = ON")
    try:
        with visit.transaction():
            for sha256, kind in chosen:
                row = visit.one("SELECT size, content FROM attachment_file WHERE id = ?", (sha256,))
                size, content = (row[0], row[1]) if row is not None else (0, None)
                cleaned = _clean_one(visit, sha256, kind, size, content)
                if cleaned is not None:
                    done.append(cleaned)
    finally:
        visit.conn.execute(f"PRAGMA secure_delete = {int(before)}")
    return done


def clean_arrived(visit: VisitFile, held_before: set[str]) -> list[Cleaned]:
    """The merge's part: clean the files it brought (rows the target did not hold)."""
    return clean_files(visit, file_ids(visit) - held_before)


def _clean_one(
    visit: VisitFile, sha256: str, kind: str, size: object, content: object
) -> Cleaned | None:
    from irp_field.evidence import pictures  # Pillow, loaded when a file is met

    linked = visit.query(
        "SELECT id, target_kind, target_id, caption, file_name FROM attachment "
        "WHERE file_sha256 = ? AND deleted = 0 ORDER BY rowid",
        (sha256,),
    )
    name = str(linked[0]["file_name"]) if linked else sha256[:12]
    # its bytes are its hash's, its kind's and its size's first (a damaged row is refused)
    refused = rules.stored_verdicts(sha256, kind, size, content)
    if not refused and isinstance(content, bytes):
        found = attachments.stored_content_verdicts(name, kind, content, sha256)
        refused = [v for v in found if v.refuses]
    if (
        not refused
        and isinstance(content, bytes)
        and rules.is_photograph(kind)
        and not pictures.layout(kind, content).clean
    ):
        try:
            picture = pictures.clean(name, kind, content)
        except RecordRefused as refusal:
            refused = refusal.verdicts
        else:
            new = _store_clean(visit, kind, picture.content, linked)
            carried = ", ".join(picture.removed) or "metadata"
            _retire(
                visit, sha256, kind, "as stored with its metadata", f"cleaned: it carried {carried}"
            )
            visit.log_event(
                "attachment_file", new, "clean", {"from": sha256, "removed": picture.removed}
            )
            return Cleaned(name, sha256, new, picture.removed, picture.turned)
    if not refused:
        return None  # clean already
    reasons = "; ".join(v.message.removeprefix(f"{name} ") for v in refused)
    if linked:
        return Cleaned(name, sha256, refused=reasons)
    _retire(
        visit, sha256, kind, "the rules refuse", "the rules refuse it and nothing is attached to it"
    )
    return Cleaned(name, sha256, refused=reasons, attached=False)


def _store_clean(visit: VisitFile, kind: str, content: bytes, linked: list[sqlite3.Row]) -> str:
    """The clean file stored, and every live attachment of the old one moved to it."""
    new = rules.file_id(content)
    attachments.store_file(visit, new, kind, content)
    for row in linked:
        visit.upsert(
            "attachment",
            {
                "id": attachments.attachment_id(visit, new, row["target_kind"], row["target_id"]),
                "file_sha256": new,
                "target_kind": row["target_kind"],
                "target_id": row["target_id"],
                "caption": row["caption"],
                "file_name": row["file_name"],
            },
        )
        visit.delete("attachment", row["id"])
    return new


def _retire(visit: VisitFile, sha256: str, kind: str, what: str, reason: str) -> None:
    """The old file's bytes purged: named by its kind and hash, never by what it held."""
    word = rules.KINDS.get(kind, ("file",))[0]
    named = f"a {word}'s file {what} ({sha256[:12]})"
    purges.purge_within(visit, [Target("attachment_file", sha256, named)], reason[:REASON_LIMIT])


def not_clean(visit: VisitFile) -> list[str]:
    """Each live attached picture that is not clean (or does not decode), in words: what
    a redacted export with its attachments will not carry."""
    from irp_field.evidence import pictures  # Pillow, loaded when a picture is met

    said = []
    for sha256, kind, content, name in visit.conn.execute(
        "SELECT f.id, f.kind, f.content, MIN(a.file_name) FROM attachment_file f "
        "JOIN attachment a ON a.file_sha256 = f.id AND a.deleted = 0 "
        "WHERE f.deleted = 0 AND f.kind IN (?, ?) GROUP BY f.id ORDER BY MIN(a.rowid)",
        rules.PHOTOGRAPHS,
    ):
        found = rules.stored_verdicts(str(sha256), str(kind), len(content or b""), content)
        if not found and isinstance(content, bytes):
            found = pictures.stored_verdicts(str(name), str(kind), content, str(sha256))
        said += [
            v.message if v.message.startswith(str(name)) else f"{name} {v.message}" for v in found
        ]
    return said
