"""Photographs carry their metadata nowhere: a phone's JPEG (EXIF GPS position, the
camera's serial number, the inspector's real name as Artist) and a PNG's text chunks are
stored clean, turned upright, and so reach no report and no export; pictures stored by
0.3.0 are reported by ``check`` and cleaned by ``irp-field attachments clean``, and
those a laptop of 0.3.0 merges in are stored clean by the merge."""

from __future__ import annotations

import base64
import io
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import cp
from picture_helpers import (
    ARTIST,
    MAKE,
    SERIAL,
    camera_jpeg,
    decodable_polyglot_jpeg,
    halves,
    polyglot_jpeg,
    secrets_in,
    store_as_0_3_0,
    text_png,
)
from PIL import Image

from irp_field.api import attachments
from irp_field.api.check import check_visit
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.evidence import pictures
from irp_field.replication.merge import merge_visits


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _stored(path: Path, name: str) -> bytes:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.one(
            "SELECT f.content FROM attachment a JOIN attachment_file f ON f.id = a.file_sha256 "
            "WHERE a.file_name = ? AND a.deleted = 0",
            (name,),
        )
    assert row is not None, f"no live attachment {name}"
    return bytes(row[0])


def _file_bytes(path: Path) -> bytes:
    """The visit file as it lies on the disk, with its WAL."""
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _secrets_but_the_name(data: bytes) -> list[str]:
    """The Hull visit names Jade Richards on its team: the other secrets are the camera's."""
    return [found for found in secrets_in(data) if found != ARTIST]


def test_a_cameras_secrets_reach_nothing_irp_field_writes(hull_path: Path, tmp_path: Path) -> None:
    photo = tmp_path / "yard.jpg"
    photo.write_bytes(camera_jpeg())
    code, out = run(
        "attach", str(hull_path), str(photo), "--paragraph", "3.12", "--caption", "Exercise yard"
    )
    assert code == 0, out
    assert (
        "yard.jpg: removed EXIF (a GPS position, the author's name, the camera's serial "
        "number) before storing it" in out
    )
    stored = _stored(hull_path, "yard.jpg")
    assert secrets_in(stored) == []
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
    # the HTML report: every picture it embeds
    html = tmp_path / "report.html"
    assert run("report", str(hull_path), "--format", "html", "--out", str(html))[0] == 0
    embedded = [
        base64.b64decode(found)
        for found in re.findall(r"data:image/[a-z]+;base64,([A-Za-z0-9+/=]+)", html.read_text())
    ]
    assert stored in embedded and all(secrets_in(data) == [] for data in embedded)
    # the Word report: word/media
    docx = tmp_path / "report.docx"
    assert run("report", str(hull_path), "--format", "docx", "--out", str(docx))[0] == 0
    with zipfile.ZipFile(docx) as opened:
        media = [opened.read(n) for n in opened.namelist() if n.startswith("word/media/")]
    assert stored in media and all(secrets_in(data) == [] for data in media)
    # redacted exports that keep the attachments: nothing of the camera's, nor her name
    redacted = tmp_path / "shared.sqlite"
    for fmt, out_path in (("sqlite", redacted), ("bundle", tmp_path / "shared-bundle")):
        code, said = run(
            "export", str(hull_path), "--format", fmt, "--out", str(out_path), "--redact",
            "--keep-attachments",
        )  # fmt: skip
        assert code == 0, said
    assert secrets_in(redacted.read_bytes()) == []
    conn = sqlite3.connect(redacted)
    assert stored in [row[0] for row in conn.execute("SELECT content FROM attachment_file")]
    conn.close()
    bundle_files = [p for p in (tmp_path / "shared-bundle").rglob("*") if p.is_file()]
    assert stored in [p.read_bytes() for p in bundle_files if p.parent.name == "attachments"]
    assert all(secrets_in(p.read_bytes()) == [] for p in bundle_files)


def test_a_picture_is_stored_upright_as_its_exif_said(hull: VisitFile, tmp_path: Path) -> None:
    """Orientation 6: the camera was turned a quarter clockwise; the picture stored is
    the one a viewer shows (the blue half, on the left as taken, on top)."""
    photo = tmp_path / "turned.jpg"
    photo.write_bytes(camera_jpeg(orientation=6, size=(64, 48)))
    _, said = attachments.attach(hull, photo, paragraph="3.12")
    assert said and "turned upright as its EXIF said" in said[0].message
    stored = Image.open(io.BytesIO(_stored(hull.path, "turned.jpg")))
    assert stored.size == (48, 64) and dict(stored.getexif()) == {}
    top, bottom = stored.convert("RGB").getpixel((24, 8)), stored.convert("RGB").getpixel((24, 56))
    assert top[2] > 150 > top[0] and bottom[0] > 150 > bottom[2]  # blue above, red below


def test_a_pngs_text_chunks_are_dropped_and_its_pixels_kept(
    hull: VisitFile, tmp_path: Path
) -> None:
    photo = tmp_path / "board.png"
    original = text_png()
    photo.write_bytes(original)
    _, said = attachments.attach(hull, photo, paragraph="3.12")
    assert "a text chunk ('Author')" in said[0].message
    stored = _stored(hull.path, "board.png")
    assert secrets_in(stored) == [] and pictures.layout("png", stored).clean
    assert Image.open(io.BytesIO(stored)).tobytes() == Image.open(io.BytesIO(original)).tobytes()


def test_what_hides_in_or_after_a_real_jpeg_is_not_stored(hull: VisitFile, tmp_path: Path) -> None:
    photo = tmp_path / "page.jpg"
    photo.write_bytes(decodable_polyglot_jpeg())
    _, said = attachments.attach(hull, photo, paragraph="3.12")
    assert "a comment, data after the picture's end" in said[0].message
    stored = _stored(hull.path, "page.jpg")
    assert b"<script>" not in stored and b"<html>" not in stored


def test_a_jpegs_further_pictures_are_dropped_with_its_metadata(
    hull: VisitFile, tmp_path: Path
) -> None:
    """A phone's portrait-mode JPEG holds a depth map or preview after it (MPF)."""
    out = io.BytesIO()
    halves().save(out, "MPO", save_all=True, append_images=[halves((32, 24), "L")])
    photo = tmp_path / "portrait.jpg"
    photo.write_bytes(out.getvalue())
    attachments.attach(hull, photo, paragraph="3.12")
    stored = Image.open(io.BytesIO(_stored(hull.path, "portrait.jpg")))
    assert stored.format == "JPEG" and getattr(stored, "n_frames", 1) == 1
    assert stored.size == (64, 48)


@pytest.mark.parametrize(
    ("kind", "mode"),
    [("jpeg", "RGB"), ("jpeg", "L"), ("jpeg", "CMYK"), ("png", "RGBA"), ("png", "P"),
     ("png", "LA"), ("png", "I;16"), ("png", "1")],
)  # fmt: skip
def test_cleaning_is_idempotent_and_leaves_nothing_beside_the_pixels(kind: str, mode: str) -> None:
    """A clean picture is kept byte for byte (merged back and forth, attached again on
    another laptop, it stays one file), and the encoders write nothing but pixels."""
    from PIL import PngImagePlugin

    picture = halves(mode=mode)
    out = io.BytesIO()
    if kind == "png":
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", ARTIST)
        picture.save(out, "PNG", pnginfo=info, dpi=(300, 300))
    else:
        picture.save(out, "JPEG", comment=ARTIST.encode(), dpi=(300, 300))
    once = pictures.clean("p", kind, out.getvalue())
    assert once.changed and pictures.layout(kind, once.content).clean
    assert ARTIST.encode() not in once.content
    twice = pictures.clean("p", kind, once.content)
    assert twice.content == once.content and not twice.changed
    assert Image.open(io.BytesIO(once.content)).size == picture.size


def test_pictures_stored_by_0_3_0_are_reported_then_cleaned(hull_path: Path) -> None:
    old = store_as_0_3_0(hull_path, camera_jpeg(orientation=6), "jpeg", name="yard.jpg")
    with VisitFile.open(hull_path, readonly=True) as visit:
        found = check_visit(visit)
    assert found.ok  # said, not refused: nothing about the picture is untrue
    [warning] = [w for w in found.warnings if "attached file" in w]
    assert warning.startswith(f"attached file {old[:12]}: yard.jpg still carries EXIF (a GPS")
    assert "irp-field attachments clean VISIT removes it" in warning
    code, out = run("attachments", "clean", str(hull_path))
    assert code == 0 and out.startswith(f"Cleaned yard.jpg ({old[:12]} -> "), out
    assert "turned upright" in out
    stored = _stored(hull_path, "yard.jpg")
    assert secrets_in(stored) == [] and Image.open(io.BytesIO(stored)).size == (48, 64)
    assert _secrets_but_the_name(_file_bytes(hull_path)) == []  # the old bytes are gone
    with VisitFile.open(hull_path, readonly=True) as visit:
        found = check_visit(visit)
        shown = attachments.list_attachments(visit)
        old_row = visit.one("SELECT content, deleted FROM attachment_file WHERE id = ?", (old,))
    assert found.ok and not [w for w in found.warnings if "attached file" in w]
    assert [
        (a.attachment.file_name, a.attached_to) for a in shown if a.attachment.kind == "jpeg"
    ] == [("yard.jpg", "paragraph 3.12")]
    assert old_row is not None and tuple(old_row) == (b"", 1)
    assert run("attachments", "clean", str(hull_path)) == (
        0,
        "Every stored file is clean; nothing to do.\n",
    )


def test_a_stored_picture_that_does_not_decode_is_left_until_its_attachment_is_removed(
    hull_path: Path,
) -> None:
    store_as_0_3_0(hull_path, polyglot_jpeg(), "jpeg", name="page.jpg")
    code, out = run("attachments", "clean", str(hull_path))
    assert code == 1 and out.startswith("Left page.jpg (") and "does not decode" in out, out
    assert "remove the attachment (irp-field attachments remove), then clean again" in out
    [shown] = [line for line in run("attachments", "list", str(hull_path))[1].splitlines()
               if "page.jpg" in line]  # fmt: skip
    assert run("attachments", "remove", str(hull_path), shown.split()[0])[0] == 0
    code, out = run("attachments", "clean", str(hull_path))
    assert code == 0 and "its bytes removed" in out and "nothing is attached to it" in out
    assert b"<script>" not in _file_bytes(hull_path)
    assert run("check", str(hull_path))[0] == 0


def test_a_laptop_of_0_3_0_merges_its_pictures_in_clean(hull_path: Path, tmp_path: Path) -> None:
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    old = store_as_0_3_0(paul, camera_jpeg(), "jpeg", name="yard.jpg")
    code, out = run("merge", str(jade), str(paul))
    assert code == 0 and "Photograph cleaned yard.jpg" in out, out
    stored = _stored(jade, "yard.jpg")
    assert secrets_in(stored) == [] and _secrets_but_the_name(_file_bytes(jade)) == []
    with VisitFile.open(jade, readonly=True) as visit:
        assert check_visit(visit).warnings == []
        assert tuple(visit.one("SELECT content FROM attachment_file WHERE id = ?", (old,))) == (
            b"",
        )
    # Paul edits a note and merges again; the master merges back: one live yard.jpg each
    with VisitFile.open(paul, user="Paul Rowlands") as visit:
        note = visit.one("SELECT id FROM note WHERE deleted = 0 LIMIT 1")
        assert note is not None
        visit.update("note", note["id"], {"text": "Seen again on Wednesday."})
    again = merge_visits(jade, [paul])
    assert again.conflicts == 0 and again.cleaned == []
    back = merge_visits(paul, [jade])
    assert back.conflicts == 0
    for path in (jade, paul):
        assert _stored(path, "yard.jpg") == stored


def test_two_masters_that_clean_one_picture_agree(hull_path: Path, tmp_path: Path) -> None:
    paul = cp(hull_path, tmp_path / "paul.db")
    store_as_0_3_0(paul, camera_jpeg(), "jpeg", name="yard.jpg")
    jade, sam = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "sam.db")
    merge_visits(jade, [paul])
    merge_visits(sam, [paul])
    report = merge_visits(jade, [sam])
    assert report.conflicts == 0
    with VisitFile.open(jade, readonly=True) as visit:
        live = visit.query("SELECT file_name FROM attachment WHERE deleted = 0 AND file_name = ?",
                           ("yard.jpg",))  # fmt: skip
    assert len(live) == 1 and secrets_in(_stored(jade, "yard.jpg")) == []


def test_two_laptops_attaching_one_camera_picture_store_one_file(
    hull_path: Path, tmp_path: Path
) -> None:
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    photo = tmp_path / "yard.jpg"
    photo.write_bytes(camera_jpeg())
    for path, place in ((jade, {"paragraph": "3.12"}), (paul, {"paragraph": "3.40"})):
        with VisitFile.open(path, user="Jade Richards") as visit:
            attachments.attach(visit, photo, **place)
    report = merge_visits(jade, [paul])
    assert report.counts["attachment"].new == 1 and report.counts["attachment_file"].new == 0
    with VisitFile.open(jade, readonly=True) as visit:
        assert visit.one("SELECT COUNT(*) FROM attachment_file WHERE kind = 'jpeg'")[0] == 1  # type: ignore[index]
    assert secrets_in(_stored(jade, "yard.jpg")) == []


def test_a_redacted_export_keeps_no_picture_that_still_carries_metadata(
    hull_path: Path, tmp_path: Path
) -> None:
    store_as_0_3_0(hull_path, camera_jpeg(), "jpeg", name="yard.jpg")
    for fmt in ("sqlite", "bundle"):
        out = tmp_path / f"shared-{fmt}"
        code, said = run(
            "export", str(hull_path), "--format", fmt, "--out", str(out), "--redact",
            "--keep-attachments",
        )  # fmt: skip
        assert code == 1 and "yard.jpg still carries EXIF" in said, said
        assert f"run irp-field attachments clean {hull_path} first" in said
        assert not out.exists()
    assert run("attachments", "clean", str(hull_path))[0] == 0
    out = tmp_path / "shared.sqlite"
    code, _ = run(
        "export", str(hull_path), "--format", "sqlite", "--out", str(out), "--redact",
        "--keep-attachments",
    )  # fmt: skip
    assert code == 0 and secrets_in(out.read_bytes()) == []


def _kept_by_the_app(path: Path, home: Path) -> bytes:
    """The visit file, its WAL and every file in the data folder (the snapshots in
    backups/ are whole visit files)."""
    found = _file_bytes(path)
    for kept in sorted(p for p in home.rglob("*") if p.is_file()):
        found += kept.read_bytes()
    return found


def test_cleaning_purges_the_old_bytes_from_the_snapshots_too(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    """Issue 21: a picture stored with its metadata is cleaned and its old bytes purged
    as a purge removes them: the file, its WAL and the snapshots the app keeps."""
    old = store_as_0_3_0(hull_path, camera_jpeg(), "jpeg", name="yard.jpg")
    laptop = cp(hull_path, tmp_path / "paul.db")
    with VisitFile.open(laptop, user="Paul Rowlands") as visit:
        note = visit.one("SELECT id FROM note WHERE deleted = 0 LIMIT 1")
        assert note is not None
        visit.update("note", note["id"], {"text": "Seen again on Wednesday."})
    assert run("merge", str(hull_path), str(laptop))[0] == 0  # a snapshot of the visit
    laptop.unlink()
    assert sorted(_secrets_but_the_name(_kept_by_the_app(hull_path, irp_home))) == sorted(
        [SERIAL, MAKE, "GPS"]
    )
    code, out = run("attachments", "clean", str(hull_path))
    assert code == 0 and "backups/" in out and ": purged" in out, out
    assert _secrets_but_the_name(_kept_by_the_app(hull_path, irp_home)) == []
    # what stays is the fact: which file, who, when and why
    code, said = run("check", str(hull_path))
    assert code == 0 and "purged content" not in said, said
    flat = " ".join(said.split())
    named = f"a photograph's file as stored with its metadata ({old[:12]})"
    assert f"{named}: purged by Test Inspector" in flat, said


def test_a_laptop_that_merges_a_cleaned_visit_purges_its_own_old_bytes(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    store_as_0_3_0(hull_path, camera_jpeg(), "jpeg", name="yard.jpg")
    paul = cp(hull_path, tmp_path / "paul.db")  # holds the picture as 0.3.0 stored it
    assert run("attachments", "clean", str(hull_path))[0] == 0
    assert _secrets_but_the_name(_file_bytes(paul)) != []
    report = merge_visits(paul, [hull_path])
    assert report.conflicts == 0 and report.backup is not None
    assert [line for line in report.purged if "stored with its metadata" in line], report.purged
    assert _secrets_but_the_name(_kept_by_the_app(paul, irp_home)) == []
    assert secrets_in(_stored(paul, "yard.jpg")) == [] and _stored(paul, "yard.jpg") == _stored(
        hull_path, "yard.jpg"
    )
    assert merge_visits(hull_path, [paul]).conflicts == 0
