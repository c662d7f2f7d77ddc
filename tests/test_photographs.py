"""A "photograph" that is no picture (magic bytes alone, a PNG of zero width, a JPEG whose
start hides an HTML page), a decompression bomb or an animation: refused in one line
naming the file by every path that takes one (``attach`` and the screens' ``f``, a
bundle, the merge), reported by ``check`` when a file of 0.3.0 holds one, and never met
by a report writer (the report says, in a line, which picture it cannot show)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import content, cp, file_hash
from picture_helpers import HOSTILE, halves, store_as_0_3_0

from irp_field.api import attachments
from irp_field.api.check import check_visit
from irp_field.api.outputs import write_one
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import RecordRefused
from irp_field.interchange import samples
from irp_field.interchange.bundle import build_from_bundle
from irp_field.replication.merge import merge_visits

CASES = list(HOSTILE)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _kind(name: str) -> str:
    return "png" if name.endswith(".png") else "jpeg"


@pytest.mark.parametrize("case", CASES)
def test_attach_refuses_it_in_one_line_naming_the_file(
    hull_path: Path, tmp_path: Path, case: str
) -> None:
    name, data, words = HOSTILE[case]
    file = tmp_path / name
    file.write_bytes(data)
    before = content(hull_path)
    code, out = run("attach", str(hull_path), str(file), "--paragraph", "3.12")
    assert code == 1, out
    assert out.startswith(f"Error: {name} ") and words in out and out.count("\n") == 1, out
    with VisitFile.open(hull_path, user="Jade Richards") as visit:  # the screens' path
        with pytest.raises(RecordRefused, match=rf"^{re.escape(name)} .*{re.escape(words)}"):
            attachments.attach(visit, file, paragraph="3.12")
        assert any(v.refuses for v in attachments.check_file(file))  # shown before saving
    assert content(hull_path) == before


@pytest.mark.parametrize("case", CASES)
def test_a_bundle_holding_it_is_refused_naming_the_line_and_file(tmp_path: Path, case: str) -> None:
    name, data, words = HOSTILE[case]
    folder = tmp_path / "bundle"
    shutil.copytree(samples.sample_bundle(), folder)
    (folder / "attachments" / name).write_bytes(data)
    listing = folder / "attachments.csv"
    listing.write_text(listing.read_text() + f"{name},Exercise yard,3.12,,,\n")
    with pytest.raises(IrpError) as refused:
        build_from_bundle(folder, tmp_path / "built.db")
    message = str(refused.value)
    assert message.startswith("attachments.csv, line 3: ") and name in message
    assert words in message and "\n" not in message
    assert not (tmp_path / "built.db").exists()


@pytest.mark.parametrize("case", CASES)
def test_a_laptop_file_holding_it_is_refused_by_the_merge_and_reported_by_check(
    hull_path: Path, tmp_path: Path, case: str
) -> None:
    """Stored as irp-field 0.3.0 stored any file that began with the right bytes."""
    name, data, words = HOSTILE[case]
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    store_as_0_3_0(paul, data, _kind(name), name=name)
    before = file_hash(jade)
    pattern = rf"refused: .*paul.db: attached file .*: {re.escape(name)} .*{re.escape(words)}"
    with pytest.raises(IrpError, match=pattern):
        merge_visits(jade, [paul])
    assert file_hash(jade) == before
    with VisitFile.open(paul, readonly=True) as visit:
        found = check_visit(visit)
    assert not found.ok and any(name in p and words in p for p in found.problems), found
    code, _ = run("check", str(paul))
    assert code == 1


@pytest.mark.parametrize("case", CASES)
def test_every_report_is_written_with_a_line_where_it_was_attached(
    hull_path: Path, tmp_path: Path, case: str
) -> None:
    """On 0.3.0 the DOCX report stopped (UnrecognizedImageError, ZeroDivisionError,
    KeyError), or took the bomb and the animation into the report as they were."""
    name, data, words = HOSTILE[case]
    store_as_0_3_0(hull_path, data, _kind(name), name=name)
    for fmt in ("docx", "html", "markdown"):
        out = tmp_path / f"report.{fmt}"
        code, said = run("report", str(hull_path), "--format", fmt, "--out", str(out))
        assert code == 0, said
        if fmt == "docx":
            with zipfile.ZipFile(out) as docx:
                text = docx.read("word/document.xml").decode()
                pictures = [n for n in docx.namelist() if n.startswith("word/media/")]
                embedded = [docx.read(n) for n in pictures]
            assert data not in embedded and embedded  # the charts are there, not it
        else:
            text = out.read_text()
        assert f"Photograph not shown: {name} (Exercise yard). {name} " in text, fmt
        assert words in text
    written = write_one(hull_path, tmp_path, "report docx", False)  # what F12 writes
    assert written.error == "" and written.path.is_file()


def test_the_word_writer_never_stops_on_a_picture_it_cannot_read() -> None:
    """The last guard: a picture python-docx cannot read becomes a line of the report."""
    import docx

    from irp_field.report import word
    from irp_field.report.blocks import Photograph

    document = docx.Document()
    writer = word._Writer(document)
    writer.photograph(Photograph("Exercise yard", "jpeg", b"\xff\xd8\xff", "yard.jpg"))
    text = [p.text for p in document.paragraphs]
    assert text == ["[Photograph not shown: yard.jpg (Exercise yard). Word cannot read it.]"]


def test_a_bomb_is_refused_from_its_header_without_being_decoded(
    hull: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the bound means: the 400-megapixel picture is never opened by the decoder,
    so it never takes its 1.6 GB (nothing timed)."""
    from PIL import Image, ImageFile

    name, data, _ = HOSTILE["a decompression bomb"]
    opened: list[object] = []
    real_open, real_load = Image.open, ImageFile.ImageFile.load
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda self: opened.append(self) or real_load(self)
    )
    file = tmp_path / name
    file.write_bytes(data)
    with pytest.raises(RecordRefused, match=r"400 megapixels\); a photograph is at most 80"):
        attachments.attach(hull, file, paragraph="3.12")
    assert opened == []
    ordinary = tmp_path / "ordinary.png"
    halves().save(ordinary)
    attachments.attach(hull, ordinary, paragraph="3.12")
    assert opened  # the spy sees a picture that is decoded


def test_pillows_own_bound_is_set_and_its_warning_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the header's look (a JPEG whose size the layout cannot read): Pillow's
    DecompressionBombWarning is a refusal too, never a line on the terminal."""
    import io

    from PIL import Image

    from irp_field.domain import attachments as rules
    from irp_field.evidence import pictures

    assert Image.MAX_IMAGE_PIXELS == rules.MAX_PIXELS
    out = io.BytesIO()
    halves((200, 100)).save(out, "PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 15_000)  # 20,000 pixels: warned
    monkeypatch.setattr(pictures, "layout", lambda kind, data: pictures.Layout(whole=False))
    with pytest.raises(RecordRefused, match=r"wide.png is 200 x 100 pixels .*at most 80"):
        pictures.clean("wide.png", "png", out.getvalue())
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 9_000)  # past twice the bound: an error
    with pytest.raises(RecordRefused, match=r"wide.png has too many pixels; .*at most 80"):
        pictures.clean("wide.png", "png", out.getvalue())
