"""Documents (PDF): one that holds JavaScript, a launch action, an embedded file, a form
that sends data, or that is encrypted, is refused by every path (its names looked for
plain, #-escaped and inside compressed object streams); documents keep their own
metadata (no PDF library here drops it), so they never go into a redacted export, even
with --keep-attachments, and never into the report."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import cp
from picture_helpers import object_stream_pdf, pdf, store_as_0_3_0

from irp_field.api import attachments
from irp_field.api.check import check_visit
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence import documents
from irp_field.interchange import samples
from irp_field.interchange.bundle import build_from_bundle
from irp_field.replication.merge import merge_visits

ORDINARY = pdf(b"1 0 obj\n<< /Type /Catalog /Author (Jade Richards) /URI (x) >>\nendobj")
ACTING = {
    "JavaScript on opening": (
        pdf(b"1 0 obj\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nendobj"),
        "JavaScript",
    ),
    "JavaScript, its name escaped": (
        pdf(b"1 0 obj\n<< /OpenAction << /S /J#61vaScript /J#53 (x) >> >>\nendobj"),
        "JavaScript",
    ),
    "JavaScript in an object stream": (
        object_stream_pdf(b"/OpenAction << /S /JavaScript /JS (x) >>"),
        "JavaScript",
    ),
    "a launch action": (
        pdf(b"1 0 obj\n<< /AA << /O << /S /Launch /F (cmd.exe) >> >> >>\nendobj"),
        "a launch action",
    ),
    "an embedded file": (
        object_stream_pdf(b"/Names << /EmbeddedFiles 3 0 R >>"),
        "an embedded file",
    ),
    "a form that sends data": (
        pdf(b"1 0 obj\n<< /S /SubmitForm /F (http://x) >>\nendobj"),
        "a form that sends data",
    ),
    "encrypted": (
        pdf(b"1 0 obj\n<< >>\nendobj\ntrailer << /Encrypt 9 0 R >>"),
        "is an encrypted PDF",
    ),
}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_an_ordinary_document_is_taken_as_it_is() -> None:
    assert documents.verdicts("minutes.pdf", ORDINARY) == []
    assert documents.verdicts("m.pdf", object_stream_pdf(b"/JSON /Launcher /Pages 2 0 R")) == []


@pytest.mark.parametrize("case", list(ACTING))
def test_a_document_that_acts_is_refused_by_attach_a_bundle_the_merge_and_check(
    hull_path: Path, tmp_path: Path, case: str
) -> None:
    data, words = ACTING[case]
    file = tmp_path / "minutes.pdf"
    file.write_bytes(data)
    code, out = run("attach", str(hull_path), str(file), "--paragraph", "3.12")
    assert code == 1 and out.startswith("Error: minutes.pdf ") and words in out, out
    assert out.count("\n") == 1
    folder = tmp_path / "bundle"
    shutil.copytree(samples.sample_bundle(), folder)
    shutil.copy(file, folder / "attachments" / "minutes.pdf")
    listing = folder / "attachments.csv"
    listing.write_text(listing.read_text() + "minutes.pdf,Minutes,3.12,,,\n")
    with pytest.raises(IrpError, match=rf"attachments.csv, line 3: minutes.pdf .*{words}"):
        build_from_bundle(folder, tmp_path / "built.db")
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    store_as_0_3_0(paul, data, "pdf", name="minutes.pdf")
    with pytest.raises(IrpError, match=rf"paul.db: attached file .*: minutes.pdf .*{words}"):
        merge_visits(jade, [paul])
    with VisitFile.open(paul, readonly=True) as visit:
        assert any("minutes.pdf" in p and words in p for p in check_visit(visit).problems)


def test_a_document_whose_object_streams_inflate_past_the_bound_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not half looked at: the bound is on what is inflated, and past it, refused."""
    monkeypatch.setattr(documents, "MAX_INFLATED", 1000)
    big = object_stream_pdf(b"/Pages 2 0 R " + b" " * 5000)
    [verdict] = documents.verdicts("scan.pdf", big)
    assert verdict.refuses and "more compressed objects than irp-field looks through" in (
        verdict.message
    )


def test_documents_never_go_into_a_redacted_export(hull: VisitFile, tmp_path: Path) -> None:
    file = tmp_path / "minutes.pdf"
    file.write_bytes(ORDINARY)
    attachments.attach(hull, file, paragraph="3.12", caption="Minutes")
    hull.close()
    visit = str(hull.path)
    kinds: dict[str, list[str]] = {}
    for name, options in (("team", []), ("shared", ["--redact", "--keep-attachments"])):
        out = tmp_path / f"{name}.sqlite"
        code, said = run("export", visit, "--format", "sqlite", "--out", str(out), *options)
        assert code == 0, said
        conn = sqlite3.connect(out)
        kinds[name] = sorted(r[0] for r in conn.execute("SELECT kind FROM attachment"))
        files = sorted(r[0] for r in conn.execute("SELECT kind FROM attachment_file"))
        conn.close()
        assert files == kinds[name]
        bundle = tmp_path / f"{name}-bundle"
        code, said = run("export", visit, "--format", "bundle", "--out", str(bundle), *options)
        assert code == 0, said
        held = sorted(p.suffix for p in (bundle / "attachments").iterdir())
        assert (".pdf" in held) == (name == "team")
        if name == "team":
            assert (bundle / "attachments" / "minutes.pdf").read_bytes() == ORDINARY
    assert kinds == {"team": ["pdf", "png"], "shared": ["png"]}
