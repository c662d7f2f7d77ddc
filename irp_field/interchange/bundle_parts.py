"""The report's other parts and the attachments, in a visit bundle.

- ``report-parts.toml``: the visit's standing texts, glossary and Figure 1's outcomes
  (the format of ``findings.part_defaults``);
- ``summary.md``: the paragraphs of Section 1 (under ``## summary``) and of notable
  positive practice (under ``## practice``), as ``findings.md`` holds findings
  (``bundle_paragraphs``);
- ``attachments.csv`` and ``attachments/``: each attached file once, and a row per
  attachment naming the file, its caption and what it is attached to: a paragraph by
  its number, a note by its row in ``notes.csv`` (the header is row 1; a note's line
  breaks do not count), or a sampled record by its frame and record.

A bundle comes from elsewhere: ``bundle_files`` refuses links, special files and files
over their cap before anything is read, and reads each file within its cap; an
attachment's type is read from its bytes, and every part and file goes through the
same domain rules as the command line's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from irp_field.core.visit_file import VisitFile
from irp_field.domain import attachments as attachment_rules
from irp_field.domain import kind_columns
from irp_field.domain import report_parts as rules
from irp_field.domain.errors import IrpError
from irp_field.evidence import attachments, sampling
from irp_field.findings import part_defaults, summary
from irp_field.interchange import bundle_files
from irp_field.interchange.bundle_paragraphs import read_sections, write_sections
from irp_field.interchange.csv_rows import read_csv

PARTS_FILE = "report-parts.toml"
SUMMARY_FILE = "summary.md"
ATTACHMENTS_FILE = "attachments.csv"
ATTACHMENTS_FOLDER = "attachments"
ATTACHMENT_COLUMNS = ("file", "caption", "paragraph", "note", "frame", "record")
# notes.csv's rows (each after the note's id), in the order of what they say, so that a
# visit built from a bundle writes them back in the same order whatever its ids; notes
# alike in all of it, in the order they were stored (a built visit stores them in the
# file's order). Its columns are the registry's (``domain.kind_columns``); its plan refs
# are its links.
_JOINED = {
    "plan_refs": "COALESCE((SELECT group_concat(ref, ';') "
    "FROM (SELECT p.ref FROM note_link k JOIN plan_item p ON p.id = k.plan_item_id "
    "WHERE k.note_id = n.id AND k.deleted = 0 AND p.deleted = 0 ORDER BY p.position)), '') "
    "AS plan_refs"
}
NOTE_ROWS = (
    "SELECT n.id, "
    + ", ".join(f"n.{c.name}" if c.stored else _JOINED[c.name] for c in kind_columns.in_csv("note"))
    + " FROM note n WHERE n.deleted = 0 "
    "ORDER BY n.taken_at, n.author, n.text, n.tags, plan_refs, n.source, n.rowid"
)


# -- reading a bundle ------------------------------------------------------------------


def import_parts(visit: VisitFile, folder: Path) -> None:
    """report-parts.toml and summary.md into the visit (each in one transaction)."""
    parts_path = folder / PARTS_FILE
    if parts_path.exists():
        texts = part_defaults.parse(bundle_files.read_known(folder, PARTS_FILE), PARTS_FILE)
        try:
            part_defaults.seed(visit, texts)
        except IrpError as error:
            raise IrpError(f"{PARTS_FILE}: {error}") from None
    summary_path = folder / SUMMARY_FILE
    if summary_path.exists():
        text = bundle_files.read_known(folder, SUMMARY_FILE)
        for section, paragraphs in read_sections(text, SUMMARY_FILE):
            key = section.strip().casefold()
            if key not in rules.PARAGRAPH_SECTIONS:
                raise IrpError(
                    f"{SUMMARY_FILE}: heading '## {section}' is not one of: "
                    f"{', '.join(rules.PARAGRAPH_SECTIONS)}"
                )
            try:
                summary.write_many(visit, key, paragraphs)
            except IrpError as error:
                raise IrpError(f"{SUMMARY_FILE}: {error}") from None


def _note_ids(visit: VisitFile) -> dict[int, str]:
    """notes.csv's row -> the id of the note built from it: the visit was just built and
    its notes imported from notes.csv alone, in the file's order (the header is row 1,
    the first note row 2, whatever line breaks a note's text holds)."""
    rows = visit.query("SELECT id FROM note ORDER BY rowid")
    return {number: row["id"] for number, row in enumerate(rows, start=2)}


class _Targets:
    """What attachments.csv rows name, looked up once per bundle."""

    def __init__(self, visit: VisitFile) -> None:
        self.visit = visit
        self._numbers: dict[str, str] | None = None
        self._notes: dict[int, str] | None = None

    def find(self, row: dict[str, str]) -> tuple[str, str]:
        """(target kind, target id) of one row; ValueError naming what is wrong."""
        given = [c for c in ("paragraph", "note", "frame") if row.get(c, "").strip()]
        if len(given) != 1:
            raise ValueError("give one of paragraph, note, or frame and record")
        if given == ["paragraph"]:
            if self._numbers is None:
                self._numbers = {n: i for i, n in summary.paragraph_numbers(self.visit).items()}
            number = row["paragraph"].strip()
            if number not in self._numbers:
                raise ValueError(f"no paragraph {number} in this visit")
            return "paragraph", self._numbers[number]
        if given == ["note"]:
            if self._notes is None:
                self._notes = _note_ids(self.visit)
            line = row["note"].strip()
            note_id = self._notes.get(int(line)) if line.isdigit() else None
            if note_id is None:
                raise ValueError(f"notes.csv has no note on row {line}")
            return "note", note_id
        frame = sampling.find_frame(self.visit, row["frame"])
        if frame is None:
            raise ValueError(f"no sample frame {row['frame'].strip()!r}")
        return "record", sampling.record_id(self.visit, frame.id, row.get("record", "").strip())


def import_attachments(visit: VisitFile, folder: Path) -> None:
    listing = folder / ATTACHMENTS_FILE
    if not listing.exists() or not bundle_files.holds_rows(listing):
        return
    rows = read_csv(listing, ("file", "caption"), ATTACHMENT_COLUMNS[2:])
    targets = _Targets(visit)
    for line, row in rows.rows:
        where = f"{ATTACHMENTS_FILE}, line {line}"
        name = row["file"].strip()
        if not bundle_files.is_plain_name(name):
            raise IrpError(f"{where}: file {name!r} must name a file in {ATTACHMENTS_FOLDER}/")
        try:
            target_kind, target_id = targets.find(row)
        except ValueError as error:
            raise IrpError(f"{where}: {error}") from None
        path = folder / ATTACHMENTS_FOLDER / name
        content = bundle_files.read_bytes(path, attachment_rules.MAX_BYTES, "an attachment")
        offered = attachments.OfferedFile(name, content)
        try:
            attachments.attach(visit, offered, target_kind, target_id, row["caption"])
        except IrpError as error:
            raise IrpError(f"{where}: {error}") from None


# -- writing a bundle ------------------------------------------------------------------


def write_parts(visit: VisitFile, folder: Path) -> None:
    texts = part_defaults.visit_texts(visit)
    if texts.parts or texts.glossary or texts.outcomes:
        (folder / PARTS_FILE).write_text(
            part_defaults.format_texts(
                texts, "irp-field report parts: the visit's standing texts, glossary and Figure 1"
            ),
            encoding="utf-8",
        )
    written = summary.all_paragraphs(visit)
    if written:
        sections = [
            (section, [p.text for p in written if p.plan_item_id == section])
            for section in rules.PARAGRAPH_SECTIONS
        ]
        (folder / SUMMARY_FILE).write_text(
            write_sections(
                "irp-field report paragraphs: '## summary' holds Section 1, '## practice' "
                "notable positive practice; paragraphs separated by a blank line; a "
                "paragraph between ~~~ lines is read exactly as it stands",
                [(section, texts) for section, texts in sections if texts],
            ),
            encoding="utf-8",
        )


def _note_lines(visit: VisitFile) -> dict[str, int]:
    """note id -> its row in the bundle's notes.csv (the header is row 1)."""
    rows = visit.query(NOTE_ROWS)
    return {row["id"]: line for line, row in enumerate(rows, start=2)}


def _file_names(chosen: Iterable[attachments.Attachment]) -> dict[str, str]:
    """sha256 -> the file's name in the bundle: its own name, made safe and unique."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for attached in chosen:
        if attached.file_sha256 in names:
            continue
        name = attachment_rules.written_name(
            attached.file_name, attached.kind, attached.file_sha256
        )
        if name.casefold() in taken:
            name = f"{attached.file_sha256[:12]}-{name}"
        taken.add(name.casefold())
        names[attached.file_sha256] = name
    return names


def write_attachments(visit: VisitFile, folder: Path) -> None:
    chosen = attachments.attachments(visit)
    if not chosen:
        return
    numbers = summary.paragraph_numbers(visit)
    note_lines = _note_lines(visit)
    records = {
        row["id"]: (row["frame"], row["record"])
        for row in visit.query(
            "SELECT r.id, f.name AS frame, r.record FROM sample_record r JOIN sample_frame f "
            "ON f.id = r.frame_id WHERE r.deleted = 0 AND f.deleted = 0"
        )
    }
    names = _file_names(chosen)
    (folder / ATTACHMENTS_FOLDER).mkdir(exist_ok=True)
    rows = []
    for attached in chosen:
        if attached.target_kind == "paragraph" and attached.target_id in numbers:
            place = (numbers[attached.target_id], "", "", "")
        elif attached.target_kind == "note" and attached.target_id in note_lines:
            place = ("", str(note_lines[attached.target_id]), "", "")
        elif attached.target_kind == "record" and attached.target_id in records:
            place = ("", "", *records[attached.target_id])
        else:
            continue  # attached to something since deleted
        path = folder / ATTACHMENTS_FOLDER / names[attached.file_sha256]
        if not path.exists():
            path.write_bytes(attachments.content(visit, attached.file_sha256))
        rows.append((names[attached.file_sha256], attached.caption, *place))
    bundle_files.write_csv(folder / ATTACHMENTS_FILE, ATTACHMENT_COLUMNS, rows)
