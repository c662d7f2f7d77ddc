"""Purge: a record's content removed for good (issue 21, "Removed is not gone").

Deleting keeps a record (its text in the tombstone, its history, a photograph's bytes in
``attachment_file``, the snapshots in ``backups/``); a purge leaves only its fact. Each
test greps the raw bytes of every file the app keeps (the visit file, its WAL, the
kept-typing file, the snapshots; the contents of zipped exports) for words typed into
the purged records, and for the stored photograph's bytes: present before, nowhere
after."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import cp
from PIL import Image

from irp_field import api
from irp_field.api import attachments, history, purges, unsaved
from irp_field.api.notes import draft_of_note, save_draft, save_note
from irp_field.api.unsaved import Typed
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence.history import record_history

NAME = "Quillfeatherzanzibar"  # a prisoner's name typed into the wrong note
EDITED = "Wobblethorpequint"  # the same note, edited
DRAFTED = "Snaithcombervale"  # an unsaved edit of it, in its draft
KEPT = "Brackenmoorhythe"  # typed while the file was busy, kept beside it
PARAGRAPH = "Marchbankshollow"  # a findings paragraph that named someone
CAPTION = "Trelawnyvexworth"  # the photograph's caption
WORDS = (NAME, EDITED, DRAFTED, KEPT, PARAGRAPH, CAPTION)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), terminal_width=200)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def face(tmp_path: Path) -> Path:
    """A photograph of noise (its compressed bytes are found nowhere else)."""
    chance = random.Random(21)
    picture = Image.new("RGB", (48, 48))
    picture.putdata([tuple(chance.randrange(256) for _ in range(3)) for _ in range(48 * 48)])
    path = tmp_path / "face.png"
    picture.save(path)
    return path


def files_under(*roots: Path) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
        elif root.is_dir():
            found += sorted(p for p in root.rglob("*") if p.is_file())
    return found


def held(paths: Iterable[Path], words: Iterable[str], photo: bytes = b"") -> list[str]:
    """Which words (any case: the notes' search keeps them in lower case) and whether
    the photograph's bytes appear in the raw bytes of these files (and inside the
    parts of a zipped one: xlsx, docx)."""
    said = []
    for path in paths:
        data = path.read_bytes()
        chunks = [data]
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as parts:
                chunks += [parts.read(name) for name in parts.namelist()]
        for chunk in chunks:
            lower = chunk.lower()
            said += [f"{path.name}: {w}" for w in words if w.lower().encode() in lower]
            if photo and photo in chunk:
                said.append(f"{path.name}: the photograph")
    return sorted(set(said))


def _note(visit: VisitFile) -> str:
    note_id = api.record_note(
        visit, text=f"Told by {NAME} on B wing", taken_at="2022-03-14T11:00",
        author="Jade Richards",
    )  # fmt: skip
    edited = dataclasses.replace(
        draft_of_note(visit, note_id, "Jade Richards"), text=f"{NAME} and {EDITED}"
    )
    save_note(visit, edited)
    save_draft(visit, dataclasses.replace(edited, text=f"{DRAFTED} said", id=edited.id))
    args = {"id": "kept-draft", "author": "Jade Richards", "source": "observation",
            "taken_at": "2022-03-14T11:00", "text": KEPT, "tags": "", "plan_refs": "",
            "note_id": note_id}  # fmt: skip
    unsaved.keep(visit, [Typed("note_draft:kept-draft", "note_draft", "the note", args)])
    return note_id


def _paragraph_and_photograph(visit: VisitFile, photo: Path) -> tuple[str, bytes]:
    finding = api.add_paragraph(visit, "1.38", f"We spoke to {PARAGRAPH} about the regime.")
    api.edit_paragraph(visit, finding, f"{PARAGRAPH} said the regime was poor.")
    api.sync(visit)
    attachment_id, _ = attachments.attach(visit, photo, paragraph=finding, caption=CAPTION)
    return attachment_id, _stored(
        visit, attachments.find(visit, attachment_id).attachment.file_sha256
    )


def _stored(visit: VisitFile, sha256: str) -> bytes:
    row = visit.one("SELECT content FROM attachment_file WHERE id = ?", (sha256,))
    assert row is not None
    content = bytes(row[0])
    return content[len(content) // 2 : len(content) // 2 + 64]


def _snapshot_holding_everything(hull_path: Path, tmp_path: Path) -> None:
    """A merge into the visit: its snapshot in backups/ holds all of it."""
    laptop = cp(hull_path, tmp_path / "paul.db")
    with VisitFile.open(laptop, user="Paul Rowlands") as visit:
        api.record_note(visit, text="Wing quiet", taken_at="2022-03-14T12:00")
    assert run("merge", str(hull_path), str(laptop))[0] == 0
    laptop.unlink()


def test_a_purged_note_photograph_and_paragraph_are_nowhere_the_app_keeps(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        note_id = _note(visit)
        attachment_id, photo = _paragraph_and_photograph(visit, face(tmp_path))
        finding_id = visit.one("SELECT target_id FROM attachment WHERE id = ?", (attachment_id,))[0]  # type: ignore[index]
    _snapshot_holding_everything(hull_path, tmp_path)
    kept_file = Path(unsaved.kept_file(VisitFile.open(hull_path, readonly=True)))
    everything = [hull_path, Path(f"{hull_path}-wal"), kept_file, irp_home]
    assert len(held(files_under(*everything), WORDS, photo)) >= 8  # the search finds them

    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        done = purges.purge(visit, "note", note_id, "a prisoner's name in the wrong note")
        assert done.done.made and done.done.kept_typing == 1 and done.done.snapshots
        # the WAL while the visit is still open, and everything else
        assert Path(f"{hull_path}-wal").exists()
        assert held(files_under(*everything), (NAME, EDITED, DRAFTED, KEPT)) == []
    code, said = run("purge", str(hull_path), "attachment", attachment_id[:8], "--reason",
                     "the wrong photograph: a prisoner's face")  # fmt: skip
    assert code == 0 and "Purged photograph attached to paragraph" in said, said
    code, said = run("purge", str(hull_path), "paragraph", finding_id, "--reason", "named")
    assert code == 0 and "This cannot be undone" in said, said
    assert held(files_under(*everything), WORDS, photo) == []

    code, said = run("check", str(hull_path))
    assert code == 0, said
    # the note, the attachment and its file, the paragraph: who, when and why
    assert said.count("purged by Jade Richards") == 1, said
    assert said.count("purged by Test Inspector") == 3, said
    assert "purged content" not in said and "a prisoner's name in the wrong note" in said
    for export_format in ("sqlite", "csv", "json", "xlsx", "bundle"):
        out = tmp_path / f"export-{export_format}"
        assert run("export", str(hull_path), "--format", export_format, "--out", str(out))[0] == 0
        assert held(files_under(out), WORDS, photo) == [], export_format
    for report_format in ("md", "html", "docx"):
        out = tmp_path / f"report.{report_format}"
        assert run("report", str(hull_path), "--format", report_format, "--out", str(out))[0] == 0
        assert held([out], WORDS, photo) == [], report_format


def test_the_list_names_records_by_ids_that_tell_them_apart_and_a_reason_is_required(
    hull_path: Path,
) -> None:
    code, listed = run("purge", str(hull_path), "period")
    assert code == 0
    starts = [line.split()[0] for line in listed.splitlines()]
    assert len(starts) == len(set(starts)) == 74  # periods of one import share 26 characters
    assert all("U0" not in line.split(": ")[0] for line in listed.splitlines())  # no subject
    assert run("purge", str(hull_path), "period", starts[0]) == (
        1,
        "Error: say why with --reason (kept with the purge for ever; never what it held)\n",
    )
    code, said = run("purge", str(hull_path), "period", "zzzz", "--reason", "x")
    assert code == 1 and "no time out of cell period 'zzzz' to purge" in said
    code, said = run("purge", str(hull_path), "period", starts[0], "--reason", "\x07")
    assert code == 1 and "\x07" not in said
    code, said = run("purge", str(hull_path), "period", starts[0], "--reason", "r" * 1001)
    assert code == 1 and "at most 1,000" in said
    assert run("purge", str(hull_path), "period", starts[0], "--reason", "a name")[0] == 0
    assert starts[0] not in run("purge", str(hull_path), "period")[1]
    # a judgement by its plan ref, a glossary term by its term, a data return by its key
    for kind, name in (("judgement", "1.38"), ("glossary", "time out of CELL"),
                       ("data-return", "iag_advisers")):  # fmt: skip
        code, said = run("purge", str(hull_path), kind, name, "--reason", "a name in it")
        assert code == 0 and "This cannot be undone" in said, said
        assert run("purge", str(hull_path), kind, name, "--reason", "x")[0] == 1  # gone


def test_the_history_says_it_was_purged_and_undo_cannot_bring_it_back(hull: VisitFile) -> None:
    with history.recording(hull) as changes:
        note_id = api.record_note(hull, text=NAME, taken_at="2022-03-14T11:00")
    purges.purge(hull, "note", note_id, "wrong note")
    entries = record_history(hull, "note", note_id)
    assert [e.what for e in entries] == ["added (what it held was purged)", "purged"]
    assert entries[-1].changes == (("why", "", "wrong note"),)
    with pytest.raises(IrpError, match="purged since"):
        history.undo(hull, list(changes))
    assert NAME not in str(hull.row("note", note_id))


def test_check_names_a_snapshot_that_still_holds_purged_content(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        note_id = api.record_note(visit, text=NAME, taken_at="2022-03-14T11:00")
    stale = cp(hull_path, tmp_path / "stale.db")
    assert run("purge", str(hull_path), "note", note_id, "--reason", "wrong note")[0] == 0
    assert "purged content" not in run("check", str(hull_path))[1]
    (irp_home / "backups").mkdir(exist_ok=True)
    cp(stale, irp_home / "backups" / "hull-20990101T000000000000Z.db")
    code, said = run("check", str(hull_path))
    assert code == 0 and "hull-20990101T000000000000Z.db holds purged content" in said, said
    assert run("purge", str(hull_path), "note", note_id, "--reason", "again")[0] == 0
    assert held(files_under(irp_home), [NAME]) == []
    assert "purged content" not in run("check", str(hull_path))[1]


def test_an_older_snapshot_that_cannot_be_purged_in_place_is_deleted_and_said(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        note_id = api.record_note(visit, text=NAME, taken_at="2022-03-14T11:00")
    (irp_home / "backups").mkdir(exist_ok=True)
    old = cp(hull_path, irp_home / "backups" / "hull-20200101T000000000000Z.db")
    conn = sqlite3.connect(old)
    conn.execute("ALTER TABLE note ADD COLUMN mood TEXT NOT NULL DEFAULT ''")  # not ours
    conn.commit()
    conn.close()
    code, said = run("purge", str(hull_path), "note", note_id, "--reason", "wrong note")
    assert code == 0 and "hull-20200101T000000000000Z.db: deleted" in said, said
    assert not old.exists()


def test_an_editor_still_holding_a_purged_note_cannot_write_it_back(hull: VisitFile) -> None:
    note_id = api.record_note(hull, text=NAME, taken_at="2022-03-14T11:00")
    held_open = draft_of_note(hull, note_id, "Jade Richards")  # an editor open on it
    purges.purge(hull, "note", note_id, "wrong note")
    with pytest.raises(IrpError, match="this note was purged: nothing is written into it"):
        save_note(hull, dataclasses.replace(held_open, text=f"{NAME}, typed on"))
    assert NAME not in str(hull.row("note", note_id))


def test_a_removed_photograph_is_listed_and_its_bytes_purged(hull_path: Path) -> None:
    """Removed is not gone: a photograph taken off its paragraph keeps its bytes in the
    visit until it is purged."""
    with VisitFile.open(hull_path, readonly=True) as visit:
        (shown,) = api.list_attachments(visit)
        stored = _stored(visit, shown.attachment.file_sha256)
    start = shown.attachment.id[:8]
    assert run("attachments", "remove", str(hull_path), start)[0] == 0
    assert held([hull_path], [], stored)  # removed, and still there
    code, listed = run("purge", str(hull_path), "attachment")
    assert code == 0 and "photograph attached to paragraph 3.12 (deleted)" in listed, listed
    assert run("purge", str(hull_path), "attachment", start, "--reason", "a face")[0] == 0
    assert held([hull_path], [], stored) == []
    assert (
        run("purge", str(hull_path), "attachment")[1]
        == "No attachment records hold anything to purge.\n"
    )


ANALYST_EXPORTS = (
    ("sqlite",),  # and Datasette's NAME.metadata.json beside it
    ("csv",),  # and datapackage.json
    ("csv", "--excel"),
    ("json",),
    ("xlsx",),
    ("sqlite", "--redact"),
    ("xlsx", "--redact"),
)


def _analyst_exports(visit: Path, folder: Path) -> list[Path]:
    folder.mkdir()
    for n, (fmt, *options) in enumerate(ANALYST_EXPORTS):
        out = folder / f"{n}-{fmt}"
        code, said = run("export", str(visit), "--format", fmt, "--out", str(out), *options)
        assert code == 0, said
    return files_under(folder)


def test_no_analyst_export_carries_a_purged_record(hull_path: Path, tmp_path: Path) -> None:
    """The analyst exports (typed tables, computed tables, the notes' full-text search,
    Datasette's metadata, datapackage.json) are written from live rows: a purged note,
    period, data return and paragraph reach none of them."""
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        note_id = api.record_note(visit, text=f"Told by {NAME}", taken_at="2022-03-14T11:00")
        finding = api.add_paragraph(visit, "1.38", f"We spoke to {PARAGRAPH} about it.")
        period = visit.one("SELECT id, subject FROM toc_period WHERE deleted = 0 LIMIT 1")
        assert period is not None
        visit.update("toc_period", period["id"], {"subject": EDITED})
    written = _analyst_exports(hull_path, tmp_path / "before")
    found = {line.rsplit(": ", 1)[1] for line in held(written, (NAME, PARAGRAPH, EDITED))}
    assert found == {NAME, PARAGRAPH, EDITED}  # the grep finds each of them
    for kind, record_id in (("note", note_id), ("paragraph", finding),
                            ("period", str(period["id"]))):  # fmt: skip
        assert run("purge", str(hull_path), kind, record_id, "--reason", "a name")[0] == 0
    assert held(_analyst_exports(hull_path, tmp_path / "after"), (NAME, PARAGRAPH, EDITED)) == []


@pytest.mark.parametrize(
    ("word", "table", "restore"),
    [
        ("roll-check", "roll_check", "irp_field.evidence.roll_checks:restore_roll_check"),
        ("note", "note", "irp_field.evidence.drafts:restore_note"),
        ("period", "toc_period", "irp_field.evidence.time_out_of_cell:restore_period"),
        ("answer", "sample_answer", "irp_field.evidence.sampling:restore_answer"),
        ("paragraph", "finding", "irp_field.findings.paragraphs:restore_finding"),
        ("summary", "report_paragraph", "irp_field.findings.report_editing:restore_paragraph"),
    ],
)
def test_a_purged_record_cannot_be_restored_as_a_live_record_of_nothing(
    hull: VisitFile, word: str, table: str, restore: str
) -> None:
    """An undo of a delete (the restore every screen's ctrl+z calls) lifts a tombstone;
    on a record a purge emptied it made a live record of defaults: a roll check of no
    round or location, which the next merge refused (found by the tallies' property)."""
    import importlib

    module, name = restore.split(":")
    row = hull.one(f"SELECT id FROM {table} WHERE deleted = 0 ORDER BY id LIMIT 1")
    assert row is not None, f"the Hull sample has a live {table}"
    row_id = str(row[0])
    purges.purge(hull, word, row_id, "recorded against the wrong prisoner")
    with pytest.raises(IrpError, match="was purged for good: nothing of it is left to restore"):
        getattr(importlib.import_module(module), name)(hull, row_id)
    assert hull.row(table, row_id)["deleted"] == 1  # type: ignore[index]
