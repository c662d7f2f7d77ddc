"""Redaction for sharing outside the team: a policy for every column of every table an
export writes, and a copy of the visit file redacted the same way (for bundles).

Every column has one policy (:data:`POLICY`; ``docs/redaction.md`` prints it, and a test
fails when a column has none):

- ``keep``: published or structural (an establishment, a recommendation's text, a count);
- ``blank``: free text (a note, a comment, a reason, a paragraph, tags);
- ``id``: a row id or a reference to one, replaced by a keyed hash, so joins still hold
  but an id cannot be recomputed from guessable inputs (ids of keyed records are hashes
  of names and refs);
- ``pseudonym:KIND``: a name that could point at a person (a subject, a record, a group,
  a frame or criterion), replaced by ``KIND-`` and a keyed hash, the same for the same
  value everywhere in the export, so an analyst can still count and group;
- ``staff``: a team member's name: pseudonymised like the rest unless
  ``--keep-staff-names``.

The key is a secret kept in the visit file's ``meta`` table, which is never exported:
nobody holding only an export can recompute a pseudonym or an id.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from pathlib import Path
from typing import Any

from irp_field.core.visit_file import VisitFile
from irp_field.domain.attachments import PHOTOGRAPHS
from irp_field.domain.errors import IrpError
from irp_field.evidence import toc_days

KEEP, BLANK, ID, STAFF = "keep", "blank", "id", "staff"
# What else points at one team member (a role such as "GP specialist adviser", which the
# published report's team table ties to a name): blanked unless staff names are kept.
STAFF_DETAIL = "staff-detail"

_COUNTS = ("roll", "locked_up", "off_wing_activity", "wing_work", "unlocked_on_wing", "elsewhere")

# analyst table -> column -> policy (every column of export.TABLES, in their order)
POLICY: dict[str, dict[str, str]] = {
    "visit": {"visit_id": ID, "establishment": KEEP, "visit_type": KEEP, "start_date": KEEP,
              "end_date": KEEP, "previous_inspection": KEEP},
    "team_member": {"visit_id": ID, "id": ID, "name": STAFF, "role": STAFF_DETAIL,
                    "body": KEEP},
    "location": {"visit_id": ID, "id": ID, "name": KEEP, "kind": KEEP, "capacity": KEEP},
    "plan_item": {"visit_id": ID, "id": ID, "ref": KEEP, "kind": KEEP, "body": KEEP, "area": KEEP,
                  "concern": KEEP, "text": KEEP, "judged_group": KEEP, "position": KEEP},
    "judgement": {"visit_id": ID, "id": ID, "unit": KEEP, "scale": KEEP, "level": KEEP,
                  "why": BLANK},
    "roll_round": {"visit_id": ID, "id": ID, "name": KEEP, "on_date": KEEP, "at_time": KEEP},
    "roll_check": {"visit_id": ID, "id": ID, "taken_at": KEEP, "location_id": ID,
                   "location": KEEP, "round": KEEP, **dict.fromkeys(_COUNTS, KEEP),
                   "inspector": STAFF, "note": BLANK, "round_id": ID},
    "toc_period": {"visit_id": ID, "id": ID, "on_date": KEEP, "subject": "pseudonym:subject",
                   "subject_group": "pseudonym:group", "start_time": KEEP, "end_time": KEEP,
                   "activity": KEEP},
    "sample_frame": {"visit_id": ID, "id": ID, "name": "pseudonym:frame", "record_kind": BLANK,
                     "population": KEEP, "method": KEEP, "seed": BLANK, "list_sha256": BLANK,
                     "plan_item_id": ID, "plan_ref": KEEP},
    "sample_criterion": {"visit_id": ID, "id": ID, "frame_id": ID, "frame": "pseudonym:frame",
                         "name": "pseudonym:criterion", "position": KEEP},
    "sample_record": {"visit_id": ID, "id": ID, "frame_id": ID, "frame": "pseudonym:frame",
                      "record": "pseudonym:record", "position": KEEP},
    "sample_answer": {"visit_id": ID, "id": ID, "frame_id": ID, "frame": "pseudonym:frame",
                      "record": "pseudonym:record", "criterion_id": ID,
                      "criterion": "pseudonym:criterion", "answer": KEEP, "comment": BLANK},
    "note": {"visit_id": ID, "id": ID, "source": KEEP, "taken_at": KEEP, "author": STAFF,
             "text": BLANK, "tags": BLANK},
    "note_link": {"visit_id": ID, "id": ID, "note_id": ID, "plan_item_id": ID, "plan_ref": KEEP},
    "data_return": {"visit_id": ID, "id": ID, "key": KEEP, "value": KEEP, "unit": KEEP,
                    "period": KEEP, "source": KEEP, "label": KEEP},
    "finding": {"visit_id": ID, "id": ID, "plan_item_id": ID, "plan_ref": KEEP, "number": KEEP,
                "position": KEEP, "text": BLANK, "rendered": BLANK},
    "report_paragraph": {"visit_id": ID, "id": ID, "section": KEEP, "position": KEEP,
                         "text": BLANK},
    "previous_outcome": {"visit_id": ID, "id": ID, "year": KEEP, "test": KEEP, "judgement": KEEP},
    "attachment": {"visit_id": ID, "id": ID, "file_sha256": KEEP, "kind": KEEP, "size": KEEP,
                   "target_kind": KEEP, "target_id": ID, "caption": BLANK, "file_name": BLANK},
}  # fmt: skip


def _hash(key: str, namespace: str, value: str) -> str:
    return hmac.new(key.encode(), f"{namespace}\x1f{value}".encode(), hashlib.sha256).hexdigest()


def pseudonym(key: str, namespace: str, value: str) -> str:
    """``namespace-`` and 16 hex characters of a keyed hash; '' stays ''."""
    return f"{namespace}-{_hash(key, namespace, value)[:16]}" if value else ""


def hashed_id(key: str, value: str) -> str:
    """A row id (or a reference to one) as a keyed hash: joins hold, guesses do not."""
    return _hash(key, "id", value)[:32] if value else ""


def _redactor(policy: str, key: str, keep_staff_names: bool) -> Any:
    if policy == KEEP or (policy in (STAFF, STAFF_DETAIL) and keep_staff_names):
        return None
    if policy in (BLANK, STAFF_DETAIL):
        return lambda value: "" if value is not None else None
    if policy == ID:
        return lambda value: hashed_id(key, str(value)) if value else value
    namespace = "staff" if policy == STAFF else policy.removeprefix("pseudonym:")
    return lambda value: pseudonym(key, namespace, str(value)) if value else value


def redact_rows(
    table: str, columns: list[str], rows: list[tuple[Any, ...]], key: str, keep_staff_names: bool
) -> list[tuple[Any, ...]]:
    """``rows`` of the analyst table with every column's policy applied."""
    policy = POLICY[table]
    missing = [c for c in columns if c not in policy]
    if missing:  # a column without a policy is never exported redacted
        raise IrpError(f"redaction: {table}.{missing[0]} has no policy (see docs/redaction.md)")
    changes = [(i, _redactor(policy[c], key, keep_staff_names)) for i, c in enumerate(columns)]
    changes = [(i, change) for i, change in changes if change is not None]
    redacted = []
    for row in rows:
        values = list(row)
        for index, change in changes:
            values[index] = change(values[index])
        redacted.append(tuple(values))
    return redacted


def redaction_key(path: Path) -> str:
    """The visit file's redaction secret, made (and kept in ``meta``) on first use."""
    with VisitFile.open(path, readonly=True) as visit:
        key = visit.meta().get("redaction_salt", "")
    if key:
        return key
    try:
        with VisitFile.open(path) as visit, visit.transaction():
            visit.conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('redaction_salt', ?)",
                (secrets.token_hex(32),),
            )
            return visit.meta()["redaction_salt"]
    except IrpError:
        # A read-only file: a secret for this export only (still one hash per value).
        return secrets.token_hex(32)


# The visit file's own tables, redacted in a copy for a bundle, by the same policies.
FILE_POLICY: dict[str, dict[str, str]] = {
    "note": {"text": BLANK, "tags": BLANK, "author": STAFF},
    "roll_check": {"note": BLANK, "inspector": STAFF},
    "team_member": {"name": STAFF, "role": STAFF_DETAIL},
    "sample_answer": {"comment": BLANK, "record": "pseudonym:record"},
    "sample_record": {"record": "pseudonym:record"},
    "sample_frame": {"name": "pseudonym:frame", "record_kind": BLANK, "seed": BLANK,
                     "list_sha256": BLANK},
    "sample_criterion": {"name": "pseudonym:criterion"},
    "toc_period": {"subject": "pseudonym:subject", "subject_group": "pseudonym:group"},
    "judgement": {"why": BLANK},
    "finding": {"text": BLANK},
    "report_paragraph": {"text": BLANK},
    "attachment": {"caption": BLANK, "file_name": BLANK},
}  # fmt: skip


def refuse_unclean_pictures(path: Path) -> None:
    """A redacted export that keeps the attachments carries pictures without their
    metadata (a GPS position, the camera's serial number, the author's real name) or not
    at all: refused, naming the first, while a stored picture still carries any."""
    from irp_field.evidence import attachment_cleaning

    with VisitFile.open(path, readonly=True) as visit:
        if visit.one("SELECT 1 FROM sqlite_master WHERE name = 'attachment_file'") is None:
            return
        found = attachment_cleaning.not_clean(visit)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise IrpError(
            f"refused: {path}: {found[0]}{more}; a redacted export keeps only clean pictures: "
            f"run irp-field attachments clean {path} first, or leave out --keep-attachments; "
            "nothing was written"
        )


def redacted_copy(
    path: Path, scratch: Path, *, keep_attachments: bool = False, keep_staff_names: bool = False
) -> Path:
    """A temporary copy of the visit with :data:`FILE_POLICY` applied, the edit history
    and conflicts emptied, and the attachments left out (unless ``keep_attachments``:
    then the photographs, each clean, and never a document)."""
    if keep_attachments:
        refuse_unclean_pictures(path)
    key = redaction_key(path)
    copy = scratch / f"redacted-{path.stem}.db"
    reader = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    writer = sqlite3.connect(copy, isolation_level=None)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()
    VisitFile.open(copy).close()  # the copy (never the original) brought to this schema
    writer = sqlite3.connect(copy, isolation_level=None)
    try:
        writer.execute("BEGIN")
        for table, columns in FILE_POLICY.items():
            for column, policy in columns.items():
                change = _redactor(policy, key, keep_staff_names)
                if change is not None:
                    writer.create_function("redacted", 1, change)
                    writer.execute(f"UPDATE {table} SET {column} = redacted({column})")
        writer.execute("UPDATE change_log SET old = '', new = ''")
        writer.execute("UPDATE conflict SET other_row = '{}'")
        writer.execute("DELETE FROM meta WHERE key = 'redaction_salt'")
        toc_days.settle(writer)  # the kept subject-day totals, under the pseudonyms
        writer.execute("DELETE FROM note_draft")
        if not keep_attachments:
            writer.execute("DELETE FROM attachment")
            writer.execute("DELETE FROM attachment_file")
        # Documents keep their author and software (no PDF library here to drop them):
        # never in a redacted export, --keep-attachments keeps the photographs.
        writer.execute(
            "DELETE FROM attachment WHERE file_sha256 IN "
            "(SELECT id FROM attachment_file WHERE kind NOT IN (?, ?))",
            PHOTOGRAPHS,
        )
        writer.execute("DELETE FROM attachment_file WHERE kind NOT IN (?, ?)", PHOTOGRAPHS)
        writer.execute("INSERT INTO note_fts(note_fts) VALUES('rebuild')")
        writer.execute("COMMIT")
        writer.execute("VACUUM")
    finally:
        writer.close()
    return copy
