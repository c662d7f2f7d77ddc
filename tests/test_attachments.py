"""Photographs and documents attached to notes, sampled records and paragraphs: stored once
by content hash, merged like every record, carried by bundles and the SQLite export, left
out of redacted exports unless kept, and refused when they are not what they say."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import cp, file_hash
from read_spy import spy_on_reads

from irp_field.api import attachments
from irp_field.cli import main
from irp_field.core.clock import Stamp, wall_clock_ms
from irp_field.core.visit_file import VisitFile
from irp_field.domain import attachments as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import REFUSE, WARN, RecordRefused
from irp_field.interchange import samples
from irp_field.replication.merge import merge_visits

PHOTO = samples.sample_bundle() / "attachments" / "segregation-unit-exercise-bicycles.png"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 200 + b"\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _count(path: Path, table: str) -> int:
    with VisitFile.open(path, readonly=True) as visit:
        return int(visit.one(f"SELECT COUNT(*) FROM {table} WHERE deleted = 0")[0])  # type: ignore[index]


def test_the_type_is_read_from_the_bytes_never_the_name() -> None:
    assert rules.kind_of(JPEG) == "jpeg"
    assert rules.kind_of(PHOTO.read_bytes()) == "png"
    assert rules.kind_of(PDF) == "pdf"
    assert rules.kind_of(b"GIF89a") == ""
    cases = {
        ("photo.jpg", b"just some text, really"): (REFUSE, "not a JPEG or PNG photograph"),
        ("photo.jpg", b""): (REFUSE, "is empty"),
        ("photo.jpg", PHOTO.read_bytes()): (WARN, "photo.jpg is a PNG by its content"),
        ("minutes.pdf", PDF): (None, ""),
        ("photo.JPEG", JPEG): (None, ""),
    }
    for (name, data), (severity, words) in cases.items():
        _, found = rules.file_verdicts(name, len(data), data[:16], "A caption")
        if severity is None:
            assert found == [], name
        else:
            assert [v.severity for v in found] == [severity] and words in found[0].message
    _, found = rules.file_verdicts("big.png", rules.MAX_BYTES + 1, PHOTO.read_bytes()[:16])
    assert found[0].refuses and "at most 20.0 MB" in found[0].message
    _, found = rules.file_verdicts("p.png", 10, PHOTO.read_bytes()[:16], "x" * 201)
    assert found[0].field == "caption"


def test_the_same_file_is_stored_once(hull: VisitFile, tmp_path: Path) -> None:
    copy = tmp_path / "again.png"
    copy.write_bytes(PHOTO.read_bytes())
    first, _ = attachments.attach(hull, copy, paragraph="3.40", caption="The workshops")
    second, _ = attachments.attach(hull, copy, paragraph="3.40", caption="Workshop, B wing")
    assert first == second  # the same file on the same paragraph: one attachment
    note = hull.one("SELECT id FROM note WHERE deleted = 0 LIMIT 1")
    assert note is not None
    attachments.attach(hull, copy, note=note["id"])
    files = hull.query("SELECT id, size FROM attachment_file")
    assert [(r["id"], r["size"]) for r in files] == [
        (hashlib.sha256(PHOTO.read_bytes()).hexdigest(), PHOTO.stat().st_size)
    ]
    shown = {a.attached_to: a for a in attachments.list_attachments(hull)}
    assert shown["paragraph 3.40"].attachment.caption == "Workshop, B wing"
    assert any(place.startswith("note by ") for place in shown)
    assert shown["paragraph 3.40"].size == "3 KB"
    assert shown["paragraph 3.40"].attachment.what == "photograph (PNG)"


def test_attach_to_a_sampled_record_and_refuse_what_is_not_there(
    hull: VisitFile, tmp_path: Path
) -> None:
    scan = tmp_path / "form.pdf"
    scan.write_bytes(PDF)
    record = hull.one("SELECT record FROM sample_record LIMIT 1")
    assert record is not None
    attachments.attach(hull, scan, frame="Use of force records", record=record["record"])
    [shown] = [a for a in attachments.list_attachments(hull) if a.attachment.kind == "pdf"]
    assert shown.attached_to == f"record {record['record']} (Use of force records)"
    for where, words in (
        ({"paragraph": "3.13"}, "no written paragraph '3.13'"),  # a generated conclusion
        ({"frame": "Use of force records", "record": "UoF-999"}, "has no sampled record"),
        ({"note": "nope"}, "no note with id 'nope'"),
        ({}, "attach to one thing"),
    ):
        with pytest.raises(IrpError, match=words):
            attachments.attach(hull, scan, **where)


def test_a_1_gb_file_is_refused_without_being_read(
    hull: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = tmp_path / "huge.jpg"
    with huge.open("wb") as handle:
        handle.truncate(1024**3)  # sparse: no gigabyte of disk
    opened = spy_on_reads(monkeypatch)
    with pytest.raises(RecordRefused, match=r"huge.jpg is 1024.0 MB; an attachment is at most"):
        attachments.attach(hull, huge, paragraph="3.1")
    assert huge not in opened
    assert hull.one("SELECT COUNT(*) FROM attachment_file")[0] == 1  # type: ignore[index]


def test_the_report_prints_photographs_not_documents(hull: VisitFile, tmp_path: Path) -> None:
    from irp_field.report.build import make

    scan = tmp_path / "minutes.pdf"
    scan.write_bytes(PDF)
    attachments.attach(hull, scan, paragraph="3.8", caption="Minutes of the scrutiny panel")
    attachments.attach(hull, PHOTO, paragraph="1.1", caption="The older wings")
    _, text = make(hull, "markdown")
    assert isinstance(text, str)
    assert "Minutes of the scrutiny panel" not in text
    lines = [line for line in text.splitlines() if line]
    caption = lines.index("*The older wings*")
    assert lines[caption - 2].startswith("1.1 HMP Hull is a large")


def test_merged_attachments_travel_and_join(hull_path: Path, tmp_path: Path) -> None:
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    with VisitFile.open(jade, user="Jade Richards") as visit:
        attachments.attach(visit, PHOTO, paragraph="3.40", caption="Workshops")
    with VisitFile.open(paul, user="Paul Rowlands") as visit:
        note = visit.one("SELECT id FROM note WHERE deleted = 0 LIMIT 1")
        assert note is not None
        attachments.attach(visit, PHOTO, note=note["id"], caption="Seen on B wing")
    report = merge_visits(jade, [paul])
    assert report.counts["attachment"].new == 1
    assert report.counts["attachment_file"].new == 0  # the same file: one row on both
    merge_visits(paul, [jade])
    for path in (jade, paul):
        assert _count(path, "attachment") == 3 and _count(path, "attachment_file") == 1


def _tamper(path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(sql, params)
    conn.close()


def test_a_merged_file_whose_bytes_are_not_its_hash_is_refused(
    hull_path: Path, tmp_path: Path
) -> None:
    """Edited by hand, the stamp moved on as a SQLite browser's user would: the merge
    would take the row, and refuses it."""
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    newer = str(Stamp(wall_clock_ms(), 0, "hand"))
    fake = b"\x89PNG\r\n\x1a\nnot the photo"
    _tamper(paul, "UPDATE attachment_file SET content = ?, version = ?", fake, newer)
    before = file_hash(jade)
    with pytest.raises(IrpError, match=r"refused: .*paul.db: attached file .*: its bytes are not"):
        merge_visits(jade, [paul])
    assert file_hash(jade) == before
    code, out = run("check", str(paul))
    assert code == 1 and "attached file" in out and "its bytes are not the file" in out
    code, out = run("merge", str(jade), str(paul))
    assert code == 1 and "nothing was merged" in out


@pytest.mark.parametrize("beside", ["alone", "beside an ordinary edit"])
def test_a_damaged_row_the_target_holds_at_its_version_is_not_taken(
    hull_path: Path, tmp_path: Path, beside: str
) -> None:
    """Bytes changed under the same stamp: the target holds that version with other
    values, and the merge's tie-break (the higher content hash) could take the damaged
    ones. It did, when the file held any other news (found by
    tests/test_untrusted_properties.py): the source is refused, naming it, and the
    target keeps its own bytes (``check`` names the damage in the source)."""
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    _tamper(paul, "UPDATE attachment_file SET content = ?", b"\x89PNG\r\n\x1a\nnot the photo")
    if beside != "alone":
        newer = str(Stamp(wall_clock_ms(), 0, "hand"))
        _tamper(
            paul, "UPDATE note SET text = 'An ordinary edit.', version = ? WHERE rowid = 1", newer
        )
    with pytest.raises(IrpError, match=r"refused: .*paul.db: attached file .*: its bytes are not"):
        merge_visits(jade, [paul])
    conn = sqlite3.connect(jade)
    (content,) = conn.execute("SELECT content FROM attachment_file").fetchone()
    conn.close()
    assert content == PHOTO.read_bytes()
    code, out = run("check", str(paul))
    assert code == 1 and "its bytes are not the file" in out


def test_a_merged_part_the_rules_refuse_is_refused(hull_path: Path, tmp_path: Path) -> None:
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    newer = str(Stamp(wall_clock_ms(), 0, "hand"))  # a hand edit moves the stamp on
    _tamper(
        paul,
        "UPDATE previous_outcome SET judgement = 'Excellent', version = ? WHERE year = '2021'",
        newer,
    )
    with pytest.raises(IrpError, match=r"previous outcome 2021 .*unknown judgement 'Excellent'"):
        merge_visits(jade, [paul])


def test_sqlite_exports_carry_the_files_and_redaction_leaves_them_out(
    hull_path: Path, tmp_path: Path
) -> None:
    digest = hashlib.sha256(PHOTO.read_bytes()).hexdigest()
    for options, kept in (
        ([], True),
        (["--redact"], False),
        (["--redact", "--keep-attachments"], True),
    ):
        out = tmp_path / f"out{len(options)}.sqlite"
        code, output = run(
            "export", str(hull_path), "--format", "sqlite", "--out", str(out), *options
        )
        assert code == 0, output
        conn = sqlite3.connect(out)
        files = conn.execute("SELECT sha256, content FROM attachment_file").fetchall()
        listed = conn.execute("SELECT caption FROM attachment").fetchall()
        conn.close()
        assert files == ([(digest, PHOTO.read_bytes())] if kept else [])
        # a blanked caption is NULL, as every missing value of an export (issue 23)
        expected = None if "--redact" in options else "Segregation unit exercise bicycles"
        assert listed == ([(expected,)] if kept else [])
    code, output = run(
        "export",
        str(hull_path),
        "--format",
        "json",
        "--out",
        str(tmp_path / "x.json"),
        "--keep-attachments",
    )
    assert code == 1 and "--keep-attachments goes with --redact" in output


def test_redacted_bundles_leave_the_files_out_unless_kept(hull_path: Path, tmp_path: Path) -> None:
    for options, kept in ((["--redact"], False), (["--redact", "--keep-attachments"], True)):
        out = tmp_path / f"bundle{len(options)}"
        code, output = run(
            "export", str(hull_path), "--format", "bundle", "--out", str(out), *options
        )
        assert code == 0, output
        assert (out / "attachments").is_dir() == kept
        assert (out / "attachments.csv").exists() == kept


def _bundle(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "bundle"
    shutil.copytree(samples.sample_bundle(), folder)
    return folder


def test_a_link_in_a_bundle_is_refused(tmp_path: Path) -> None:
    from irp_field.interchange.bundle import build_from_bundle

    folder = _bundle(tmp_path)
    secret = tmp_path / "secret.png"
    secret.write_bytes(PHOTO.read_bytes())
    photo = folder / "attachments" / "segregation-unit-exercise-bicycles.png"
    photo.unlink()
    photo.symlink_to(secret)
    with pytest.raises(IrpError, match=r"segregation-unit-exercise-bicycles.png: is a link"):
        build_from_bundle(folder, tmp_path / "v.db")
    assert not (tmp_path / "v.db").exists() and not list(tmp_path.glob(".v.db*"))
    photo.unlink()
    photo.write_bytes(PHOTO.read_bytes())
    (folder / "samples" / "elsewhere").symlink_to("/etc", target_is_directory=True)
    with pytest.raises(IrpError, match="elsewhere: is a link"):
        build_from_bundle(folder, tmp_path / "v.db")


@pytest.mark.parametrize(
    ("row", "data", "words"),
    [
        ("../notes.csv,x,3.12,,,", None, "must name a file in attachments/"),
        ("segregation-unit-exercise-bicycles.png,x,9.99,,,", None, "no paragraph 9.99"),
        ("fake.jpg,x,3.12,,,", b"a text file", "fake.jpg is not a JPEG or PNG photograph"),
        ("missing.png,x,3.12,,,", None, "missing.png: no such file"),
    ],
)
def test_bad_attachments_in_a_bundle_are_refused_by_line(
    tmp_path: Path, row: str, data: bytes | None, words: str
) -> None:
    from irp_field.interchange.bundle import build_from_bundle

    folder = _bundle(tmp_path)
    if data is not None:
        (folder / "attachments" / "fake.jpg").write_bytes(data)
    listing = folder / "attachments.csv"
    listing.write_text(listing.read_text() + row + "\n")
    with pytest.raises(IrpError, match=words):
        build_from_bundle(folder, tmp_path / "v.db")
    assert not (tmp_path / "v.db").exists()


def test_the_commands_attach_list_save_and_remove(hull_path: Path, tmp_path: Path) -> None:
    v = str(hull_path)
    fake = tmp_path / "photo.jpg"
    fake.write_text("not a photograph")
    code, out = run("attach", v, str(fake), "--paragraph", "3.1")
    assert code == 1 and out == (
        "Error: photo.jpg is not a JPEG or PNG photograph or a PDF document by its content "
        "(its name does not decide its type)\n"
    )
    code, out = run("attach", v, str(PHOTO), "--paragraph", "3.1", "--caption", "Strategy board")
    assert (
        code == 0
        and "Attached segregation-unit-exercise-bicycles.png (photograph (PNG), 3 KB) to paragraph 3.1"
        in out
    )
    code, out = run("attachments", "list", v)
    assert (
        code == 0
        and 'paragraph 3.1: segregation-unit-exercise-bicycles.png  "Strategy board"' in out
    )
    first = out.split()[0]
    code, out = run("attachments", "save", v, first, "--out", str(tmp_path))
    assert (
        code == 0
        and (tmp_path / "segregation-unit-exercise-bicycles.png").read_bytes() == PHOTO.read_bytes()
    )
    code, out = run("attachments", "remove", v, first)
    assert code == 0 and "Removed segregation-unit-exercise-bicycles.png from paragraph" in out


def test_the_viewer_is_the_platforms_own_and_never_started_in_a_test(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "p.png"
    assert attachments.viewer_command(path, "darwin") == ["open", str(path)]
    assert attachments.viewer_command(path, "linux") == ["xdg-open", str(path)]
    assert attachments.viewer_command(path, "win32") is None
    started: list[object] = []
    monkeypatch.setattr(attachments.subprocess, "Popen", lambda *a, **k: started.append(a))
    monkeypatch.setattr(attachments.sys, "platform", "linux")
    attachments.open_in_viewer(path)
    assert started == [(["xdg-open", str(path)],)]
    monkeypatch.setattr(attachments.sys, "platform", "win32")
    monkeypatch.setattr(attachments.os, "startfile", lambda p: started.append(p), raising=False)
    attachments.open_in_viewer(path)
    assert started[-1] == path
