"""Redaction for sharing outside the team: a policy for every column of every table an
export writes, and the key its pseudonyms are made with.

Every column has one policy (:data:`POLICY`; ``docs/redaction.md`` prints it, and a test
fails when a column has none):

- ``keep``: a category, a count, a date, a published text (an establishment, a location,
  a subject's group, a sample frame and its criteria, a recommendation's text);
- ``blank``: working text (a note, a comment, a reason, a paragraph, tags);
- ``id``: a row id or a reference to one, replaced by a keyed hash, so joins still hold
  but an id cannot be recomputed from guessable inputs (ids of keyed records are hashes
  of names and refs);
- ``pseudonym:KIND``: something that points at a person (a subject, a sampled record),
  replaced by ``KIND-`` and a keyed hash, the same for the same value everywhere in the
  export, so an analyst can still count and follow one person;
- ``staff``: a team member's name: pseudonymised like the rest unless
  ``--keep-staff-names``;
- ``figure-definition``: a figure's definition, kept (it names only categories), but for
  a data return's, which quotes the return's label and source (working text): its key.

Every column people type text into is decided once in :data:`TEXT_DECISIONS`: a
category (kept: groups, frames and criteria are not personal data, and visits can only
be compared by them), published text (kept: public before the visit), text as
irp-field ships it (kept word for word; the team's own wording is left out) or working
text (blanked). The policies above are filled in from it.

The key is the visit's own secret (kept in its ``meta`` table, which no export
carries), an organisation's key file (``--key-file``: pseudonyms that link across
visits) or a fresh one for one export (``--fresh-key``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from irp_field.core.visit_file import VisitFile
from irp_field.domain import kind_columns
from irp_field.domain.errors import IrpError

KEEP, BLANK, ID, STAFF = "keep", "blank", "id", "staff"
FIGURE_DEFINITION = "figure-definition"
# What else points at one team member (a role such as "GP specialist adviser", which the
# published report's team table ties to a name): blanked unless staff names are kept.
STAFF_DETAIL = "staff-detail"
# A column people type text into: its policy comes from TEXT_DECISIONS.
TEXT = "text"

# What a typed text is, and so what redaction does with it.
CATEGORY = "category"  # a name of a thing, not of a person: kept
PUBLISHED = "published"  # public before the visit: kept
SHIPPED = "shipped"  # kept word for word as irp-field ships it; the team's own left out
WORKING = "working"  # the team's working text: blanked

_DRAFT = (
    "a draft until the report is published, and an export cannot tell a draft from what "
    "was published (the published report is public on its own)"
)


def _decided(table: str, *what: str) -> dict[tuple[str, str], tuple[str, str]]:
    """A kind's typed texts (those of ``what`` decisions, or every one), decided on their
    registry's lines (``domain.kind_columns``)."""
    return {
        (table, c.name): c.typed
        for c in kind_columns.exported(table)
        if c.typed and (not what or c.typed[0] in what)
    }


def _policies(table: str) -> dict[str, str]:
    """A kind's exported columns -> their policy, from their registry's lines (a typed
    text's from its decision)."""
    return {c.name: TEXT if c.typed else c.policy for c in kind_columns.exported(table)}


# (table, column) -> (what it is, why): every column people type text into.
TEXT_DECISIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("visit", "establishment"): (CATEGORY, "the prison: public, and what visits are compared by"),
    **_decided("location"),
    **_decided("plan_item"),
    **_decided("roll_round"),
    ("round_link", "round"): (CATEGORY, "as in roll_round"),
    **_decided("toc_period"),
    **_decided("sample_frame"),
    **_decided("sample_criterion"),
    **_decided("data_return", CATEGORY),
    ("toc_day", "subject_group"): (CATEGORY, "as in toc_period"),
    ("figure", "about"): (CATEGORY, "the location, group, frame or criterion a figure is about"),
    ("judgement", "why"): (WORKING, "the team leader's reasons: the report prints the judgement"),
    **_decided("roll_check"),
    **_decided("sample_answer"),
    **_decided("note"),
    **_decided("data_return", WORKING),
    ("finding", "text"): (WORKING, f"a findings paragraph as written: {_DRAFT}"),
    ("finding", "rendered"): (WORKING, "a findings paragraph as it renders: as its text"),
    ("report_paragraph", "text"): (WORKING, "Section 1, notable positive practice: as findings"),
    ("attachment", "caption"): (WORKING, "a photograph's caption: who or what is in it"),
    ("attachment", "file_name"): (WORKING, "the name a camera or a person gave the file"),
    ("report_part", "text"): (SHIPPED, "the report's standing texts, printed in every report "
                              "as irp-field ships them; one the team rewrote is left out"),
    ("glossary_term", "term"): (SHIPPED, "the glossary, printed in every report as irp-field "
                                "ships it; an entry the team typed or changed is left out"),
    ("glossary_term", "definition"): (SHIPPED, "as the term"),
    ("glossary_term", "matches"): (SHIPPED, "as the term"),
    ("purge", "what"): (WORKING, "the purged record, named without its content: its author "
                        "and time name people"),
    ("purge", "reason"): (WORKING, "why a record was purged: the team's own words"),
}  # fmt: skip

# analyst table -> column -> policy (every column of export.TABLES, in their order)
POLICY: dict[str, dict[str, str]] = {
    "visit": {"visit_id": ID, "establishment": TEXT, "visit_type": KEEP, "start_date": KEEP,
              "end_date": KEEP, "previous_inspection": KEEP},
    "team_member": {"visit_id": ID, "id": ID, **_policies("team_member")},
    "location": {"visit_id": ID, "id": ID, **_policies("location")},
    "plan_item": {"visit_id": ID, "id": ID, **_policies("plan_item")},
    "judgement": {"visit_id": ID, "id": ID, "unit": KEEP, "scale": KEEP, "level": KEEP,
                  "why": TEXT},
    "roll_round": {"visit_id": ID, "id": ID, **_policies("roll_round")},
    "roll_check": {"visit_id": ID, "id": ID, **_policies("roll_check")},
    "toc_period": {"visit_id": ID, "id": ID, **_policies("toc_period")},
    "sample_frame": {"visit_id": ID, "id": ID, **_policies("sample_frame")},
    "sample_criterion": {"visit_id": ID, "id": ID, **_policies("sample_criterion")},
    "sample_record": {"visit_id": ID, "id": ID, **_policies("sample_record")},
    "sample_answer": {"visit_id": ID, "id": ID, **_policies("sample_answer")},
    "note": {"visit_id": ID, "id": ID, **_policies("note")},
    "note_link": {"visit_id": ID, "id": ID, "note_id": ID, "plan_item_id": ID, "plan_ref": KEEP},
    "round_link": {"visit_id": ID, "id": ID, "round_id": ID, "round": TEXT, "plan_item_id": ID,
                   "plan_ref": KEEP},
    "toc_day_link": {"visit_id": ID, "id": ID, "on_date": KEEP, "subject": "pseudonym:subject",
                     "plan_item_id": ID, "plan_ref": KEEP},
    "data_return": {"visit_id": ID, "id": ID, **_policies("data_return")},
    "finding": {"visit_id": ID, "id": ID, "plan_item_id": ID, "plan_ref": KEEP, "number": KEEP,
                "section": KEEP, "paragraph": KEEP, "position": KEEP, "text": TEXT,
                "rendered": TEXT},
    "report_paragraph": {"visit_id": ID, "id": ID, "section": KEEP, "position": KEEP,
                         "text": TEXT},
    "previous_outcome": {"visit_id": ID, "id": ID, "year": KEEP, "test": KEEP, "judgement": KEEP},
    "attachment": {"visit_id": ID, "id": ID, "file_sha256": KEEP, "kind": KEEP, "size": KEEP,
                   "target_kind": KEEP, "target_id": ID, "caption": TEXT, "file_name": TEXT},
    # Figures are aggregates: kept (their displays are numbers and words such as "40%");
    # a data return's definition quotes its typed label and source (FIGURE_DEFINITION).
    "figure": {"visit_id": ID, "key": KEEP, "value": KEEP, "display": KEEP, "unit": KEEP,
               "n": KEEP, "definition": FIGURE_DEFINITION, "about": TEXT},
    "toc_day": {"visit_id": ID, "on_date": KEEP, "subject": "pseudonym:subject",
                "subject_group": TEXT, "minutes": KEEP, "open_air_minutes": KEEP,
                "hours": KEEP},
}  # fmt: skip


def text_policy(table: str, column: str) -> str:
    """The policy of a typed text column, from its decision ('' when it has none)."""
    decided = TEXT_DECISIONS.get((table, column))
    if decided is None:
        return ""
    return {CATEGORY: KEEP, PUBLISHED: KEEP, SHIPPED: SHIPPED, WORKING: BLANK}[decided[0]]


for _table, _columns in POLICY.items():  # a TEXT without a decision stays '': refused
    for _column, _policy in _columns.items():
        if _policy == TEXT:
            _columns[_column] = text_policy(_table, _column)


def _hash(key: str, namespace: str, value: str) -> str:
    return hmac.digest(key.encode(), f"{namespace}\x1f{value}".encode(), hashlib.sha256).hex()


def pseudonym(key: str, namespace: str, value: str) -> str:
    """``namespace-`` and 16 hex characters of a keyed hash; '' stays ''."""
    return f"{namespace}-{_hash(key, namespace, value)[:16]}" if value else ""


def hashed_id(key: str, value: str) -> str:
    """A row id (or a reference to one) as a keyed hash: joins hold, guesses do not."""
    return _hash(key, "id", value)[:32] if value else ""


Change = Callable[[Any], Any]


def redactor(policy: str, key: str, keep_staff_names: bool) -> Change | None:
    """What ``policy`` does to one value (None: nothing, or, for a figure's definition,
    what :func:`redacting` does with the row)."""
    if policy in (KEEP, FIGURE_DEFINITION) or (
        policy in (STAFF, STAFF_DETAIL) and keep_staff_names
    ):
        return None
    if policy in (BLANK, STAFF_DETAIL):
        return lambda value: "" if value is not None else None
    if policy == ID:
        return lambda value: hashed_id(key, str(value)) if value else value
    if policy == STAFF or policy.startswith("pseudonym:"):
        namespace = "staff" if policy == STAFF else policy.removeprefix("pseudonym:")
        made: dict[str, str] = {}  # a name recurs on row after row: one hash each

        def named(value: Any) -> Any:
            if not value:
                return value
            text = str(value)
            found = made.get(text)
            if found is None:
                found = made[text] = pseudonym(key, namespace, text)
            return found

        return named
    raise IrpError(f"redaction: no such policy {policy!r} (see docs/redaction.md)")


def redact_rows(
    table: str, columns: list[str], rows: list[tuple[Any, ...]], key: str, keep_staff_names: bool
) -> list[tuple[Any, ...]]:
    """``rows`` of the analyst table with every column's policy applied."""
    return list(redacting(table, columns, rows, key, keep_staff_names))


def _data_return_key(figure_key: str, definition: Any) -> Any:
    """A figure's definition as a redacted export gives it: a data return's (its typed
    label and source) becomes its key; the registry's own definitions name categories."""
    if str(figure_key).startswith("data."):
        return f"data return {str(figure_key).removeprefix('data.')}"
    return definition


def redacting(
    table: str, columns: list[str], rows: Iterable[Any], key: str, keep_staff_names: bool
) -> Iterator[tuple[Any, ...]]:
    """``rows`` of the analyst table with every column's policy applied, one at a time."""
    policy = POLICY[table]
    missing = [c for c in columns if not policy.get(c)]
    if missing:  # a column without a policy is never exported redacted
        raise IrpError(f"redaction: {table}.{missing[0]} has no policy (see docs/redaction.md)")
    changes = [(i, redactor(policy[c], key, keep_staff_names)) for i, c in enumerate(columns)]
    found = [(i, change) for i, change in changes if change is not None]
    defined = [i for i, c in enumerate(columns) if policy[c] == FIGURE_DEFINITION]
    named_by = columns.index("key") if defined else -1
    for row in rows:
        values = list(row)
        for index in defined:
            values[index] = _data_return_key(values[named_by], values[index])
        for index, change in found:
            values[index] = change(values[index])
        yield tuple(values)


# -- the key -----------------------------------------------------------------------------

KEY_DIGITS = 64  # 32 random bytes, in hexadecimal
KEY_FILE_BYTES = 4096  # far more than a key and its line ending
MAKE_A_KEY = 'python -c "import secrets; print(secrets.token_hex(32))" > org.key'


def key_verdict(text: str) -> str:
    """What is wrong with ``text`` as an organisation's key ('' when nothing): 64
    hexadecimal digits, of which the 32 bytes look random (no person types those)."""
    if not re.fullmatch(r"[0-9a-fA-F]*", text):
        return f"is not a key: a key file holds {KEY_DIGITS} hexadecimal digits (0-9, a-f)"
    if len(text) < KEY_DIGITS:
        return (
            f"the key is too short ({len(text)} hexadecimal digits); a key is {KEY_DIGITS} "
            "(32 random bytes)"
        )
    if len(text) > KEY_DIGITS:
        return f"the key is {len(text)} hexadecimal digits; a key is exactly {KEY_DIGITS}"
    if len(set(bytes.fromhex(text))) < 16:  # 32 random bytes hold ~30 different values
        return "the key does not look random (few different bytes); see docs/redaction.md"
    return ""


def read_key_file(path: Path) -> str:
    """An organisation's own key from ``path`` (one line: :data:`KEY_DIGITS` hexadecimal
    digits), refused in one line naming the file when it is missing, not a key, short
    or weak. Pseudonyms made with it are the same in every visit exported with it."""
    try:
        if path.is_dir():
            raise IrpError(f"{path}: is a folder, not a key file")
        if path.stat().st_size > KEY_FILE_BYTES:
            raise IrpError(f"{path}: is not a key file (a key is {KEY_DIGITS} hexadecimal digits)")
        text = path.read_bytes().decode("ascii").strip()
    except FileNotFoundError:
        raise IrpError(f"{path}: no such key file") from None
    except UnicodeDecodeError:
        raise IrpError(f"{path}: is not a key: a key is {KEY_DIGITS} hexadecimal digits") from None
    except OSError as error:
        raise IrpError(f"{path}: cannot be read ({error.strerror or error})") from None
    wrong = key_verdict(text)
    if wrong:
        raise IrpError(f"{path}: {wrong}")
    return text.lower()


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


def export_key(path: Path, *, organisation_key: str | None = None, fresh: bool = False) -> str:
    """The key an export of the visit at ``path`` is redacted with: the organisation's
    (pseudonyms link across visits), a fresh one for this export alone (they link to
    nothing), or the visit's own (every redacted export of the visit links to the others)."""
    if organisation_key is not None:
        return organisation_key
    if fresh:
        return secrets.token_hex(32)
    return redaction_key(path)


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
