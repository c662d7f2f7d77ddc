"""Stored attachments read back through the rules that let them in (``irp-field check``,
and the merge for a file from another laptop): each file's bytes hash to its id and are
of its kind and size, within the limit; a picture decodes within the rules of size and
carries no metadata (a picture stored by irp-field 0.3.0 may: said, not refused, until
``irp-field attachments clean``); a document holds nothing that acts; each attachment
names a known kind of record and a caption within the name rules; and its file is in
the visit. A file is named by the start of its hash, and by its attachment's name in
what its content breaks."""

from __future__ import annotations

from collections.abc import Iterator

from irp_field.core.visit_file import VisitFile
from irp_field.domain import attachments as rules
from irp_field.domain.verdicts import WARN, Verdict
from irp_field.evidence.attachments import stored_content_verdicts, target_exists
from irp_field.evidence.audit import Found


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def everything(visit: VisitFile) -> Iterator[Found]:
    if visit.one("SELECT 1 FROM sqlite_master WHERE name = 'attachment_file'") is None:
        return  # a file from before attachments (schema 3)
    names: dict[str, str] = {}
    for sha256, name in visit.conn.execute(
        "SELECT file_sha256, file_name FROM attachment WHERE deleted = 0 ORDER BY rowid"
    ):
        names.setdefault(_text(sha256), _text(name))
    for sha256, kind, size, content, version in visit.conn.execute(
        "SELECT id, kind, size, content, version FROM attachment_file WHERE deleted = 0"
    ):
        record = ("attachment_file", _text(sha256), _text(version))
        found = rules.stored_verdicts(_text(sha256), _text(kind), size, content)
        if not found and isinstance(content, bytes):
            named = names.get(_text(sha256)) or "a file nothing is attached to"
            found = stored_content_verdicts(named, _text(kind), content, _text(sha256))
        for verdict in found:
            yield Found("attached file", _text(sha256)[:12], verdict, record)
    files = {row[0] for row in visit.conn.execute("SELECT id FROM attachment_file")}
    for name, target_kind, caption, sha256, row_id, version, target_id in visit.conn.execute(
        "SELECT file_name, target_kind, caption, file_sha256, id, version, target_id "
        "FROM attachment WHERE deleted = 0"
    ):
        where = _text(name) or _text(sha256)[:12]
        record = ("attachment", _text(row_id), _text(version))
        for verdict in rules.link_verdicts(_text(target_kind), _text(caption)):
            yield Found("attachment", where, verdict, record)
        if sha256 not in files:
            yield Found(
                "attachment",
                where,
                Verdict("file", "its file has not arrived yet (merge the file it came from)", WARN),
            )
        if rules.link_verdicts(_text(target_kind), "") or target_exists(
            visit, _text(target_kind), _text(target_id), deleted_too=True
        ):
            continue  # a kind no rule takes is refused above; a record deleted is history
        verdict = Verdict(
            "record",
            f"the {_text(target_kind)} it is attached to is not in the visit (merge the file "
            "it came from): no report shows it",
            WARN,
        )
        yield Found("attachment", where, verdict, record)
