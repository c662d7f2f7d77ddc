"""A bundle is an untrusted folder (issue 12): each test builds a hostile bundle from the
Hull sample's export and asserts that ``irp-field new --from`` refuses it in one line
naming the file, exits 1 without a traceback, never prints what a linked file holds,
and leaves no visit file behind; or, for what a bundle may hold, that it reads.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from read_spy import spy_on_reads

from irp_field import paths
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.interchange import bundle_files
from irp_field.interchange.bundle import DECLARATION, write_bundle
from irp_field.interchange.csv_rows import CsvStream

SECRET = "root:$6$NOT-FOR-PRINTING$0123:19000:0:99999:7:::"
posix_links = pytest.mark.skipif(os.name != "posix", reason="links made the POSIX way")
fifos = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


@pytest.fixture(scope="module")
def exported(hull_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Hull sample exported as a bundle, once: each test copies it. Without its
    manifest, as a hand that edits a bundle leaves it: the manifest is a check against
    damage that any hand can rewrite or remove (test_bundle_manifest.py), so what these
    tests prove is what the reads and the rules refuse whatever the manifest says."""
    folder = tmp_path_factory.mktemp("hull-export")
    copy = folder / "hull.db"
    with sqlite3.connect(hull_template) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with VisitFile.open(copy) as visit:
        bundle = write_bundle(visit, folder / "bundle")
    (bundle / "manifest.json").unlink()
    toml = (bundle / "visit.toml").read_text()
    (bundle / "visit.toml").write_text(toml.replace(f"\n{DECLARATION}", ""))
    return bundle


@pytest.fixture
def bundle(exported: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(exported, tmp_path / "bundle"))


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the bundle that no refusal may print (as /etc/shadow)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shadow").write_text(SECRET + "\n")
    return outside / "shadow"


def _visits() -> list[str]:
    folder = paths.visits_folder(create=False)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def refused(bundle: Path) -> str:
    """Build a visit from ``bundle`` with the command line; the one line it refuses with."""
    result = CliRunner().invoke(main, ["new", "built", "--from", str(bundle)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "NOT-FOR-PRINTING" not in result.output
    assert _visits() == []  # no visit file, no partial one
    return lines[0]


def built(bundle: Path) -> Path:
    result = CliRunner().invoke(main, ["new", "built", "--from", str(bundle)])
    assert result.exit_code == 0, result.output
    return paths.visits_folder() / "built.db"


# -- 1. links, special files, anything outside the folder ----------------------------


@posix_links
@pytest.mark.parametrize(
    "name",
    [
        "visit.toml",
        "team.csv",
        "roll-checks.csv",
        "findings.md",
        "summary.md",
        "report-parts.toml",
        "samples/use_of_force_records.csv",
        "attachments/segregation-unit-exercise-bicycles.png",
    ],
)
def test_a_file_linked_outside_is_refused_without_printing_it(
    bundle: Path, secret: Path, name: str
) -> None:
    (bundle / name).unlink()
    (bundle / name).symlink_to(secret)
    message = refused(bundle)
    assert str(bundle / name) in message and "is a link" in message


@posix_links
def test_a_samples_folder_linked_outside_is_refused(bundle: Path, tmp_path: Path) -> None:
    """The issue's case: answers from elsewhere came in through a linked samples/."""
    elsewhere = shutil.move(bundle / "samples", tmp_path / "elsewhere")
    (bundle / "samples").symlink_to(elsewhere, target_is_directory=True)
    message = refused(bundle)
    assert f"{bundle / 'samples'}: is a link" in message


@posix_links
def test_a_link_is_refused_even_to_a_file_of_the_bundle(bundle: Path) -> None:
    (bundle / "notes.csv").unlink()
    (bundle / "notes.csv").symlink_to(bundle / "team.csv")
    assert "notes.csv: is a link" in refused(bundle)


@posix_links
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_visit_toml_linked_to_dev_zero_is_refused_at_once(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (bundle / "visit.toml").unlink()
    (bundle / "visit.toml").symlink_to("/dev/zero")
    opened = spy_on_reads(monkeypatch)
    assert "visit.toml: is a link" in refused(bundle)
    assert bundle / "visit.toml" not in opened and Path("/dev/zero") not in opened


def _new_in_a_process(bundle: Path, irp_home: Path) -> subprocess.CompletedProcess[str]:
    """``irp-field new --from`` in its own process: a read that waits fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "irp_field", "new", "built", "--from", str(bundle)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "IRP_FIELD_HOME": str(irp_home)},
    )


@fifos
@pytest.mark.parametrize("name", ["team.csv", "visit.toml", "samples/use_of_force_records.csv"])
def test_a_fifo_is_refused_and_does_not_hang(bundle: Path, irp_home: Path, name: str) -> None:
    (bundle / name).unlink()
    os.mkfifo(bundle / name)
    done = _new_in_a_process(bundle, irp_home)
    assert done.returncode == 1, done.stderr
    assert (
        done.stderr.strip()
        == f"Error: {bundle / name}: is not a plain file (a FIFO, device or socket)"
    )
    assert "Traceback" not in done.stderr + done.stdout
    assert _visits() == []


@fifos
def test_a_fifo_put_there_after_the_survey_is_refused_by_the_reads(tmp_path: Path) -> None:
    """The second line of defence: the reads themselves open without waiting."""
    fifo = tmp_path / "team.csv"
    os.mkfifo(fifo)
    with pytest.raises(IrpError, match="is not a plain file"):
        bundle_files.read_bytes(fifo, 1024, "the team")
    with pytest.raises(IrpError, match="is not a plain file"):
        CsvStream(fifo, ("name",))


@posix_links
def test_a_link_put_there_after_the_survey_is_not_followed(tmp_path: Path, secret: Path) -> None:
    (tmp_path / "visit.toml").symlink_to(secret)
    with pytest.raises(IrpError) as refusal:
        bundle_files.read_text(tmp_path / "visit.toml", 1024, "the visit's details")
    assert "NOT-FOR-PRINTING" not in str(refusal.value)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_by_the_reads() -> None:
    with pytest.raises(IrpError, match="not a plain file"):
        bundle_files.read_bytes(Path("/dev/zero"), 1024, "the visit's details")


@pytest.mark.parametrize("name", ["../visit.toml", "/etc/passwd", "..", "sub/x.png", "a\\b.png"])
def test_an_attachment_named_outside_its_folder_is_refused(bundle: Path, name: str) -> None:
    listing = bundle / "attachments.csv"
    header, first, *rest = listing.read_text().splitlines()
    row = first.split(",", 1)
    listing.write_text("\n".join([header, f'"{name}",{row[1]}', *rest]) + "\n")
    message = refused(bundle)
    assert "attachments.csv, line 2" in message and "must name a file in attachments/" in message


@pytest.mark.parametrize("name", ["../team.csv", "/etc/passwd", ".."])
def test_a_frame_whose_answers_file_is_outside_samples_is_refused(bundle: Path, name: str) -> None:
    frames = bundle / "sample-frames.csv"
    text = frames.read_text()
    frames.write_text(text.replace("use_of_force_records.csv", name.replace('"', "")))
    message = refused(bundle)
    assert "sample-frames.csv, line" in message and "column answers_file" in message


# -- 2. a cap per file ---------------------------------------------------------------


def _sparse(path: Path, size: int) -> None:
    """Make ``path`` claim ``size`` bytes without writing them (a sparse file)."""
    if os.name != "posix" and size > 1024**3:  # pragma: no cover - not sparse by default
        pytest.skip("a file system whose files are not sparse would write the zeros")
    try:
        with path.open("ab") as handle:
            handle.truncate(size)
    except OSError as error:  # pragma: no cover - a file system without sparse files
        pytest.skip(f"cannot make a sparse file here ({error})")


@pytest.mark.parametrize(
    ("name", "size", "said"),
    [
        (
            "visit.toml",
            65 * 1024,
            "is 65 KB, over the 64 KB a bundle allows for the visit's details",
        ),
        ("team.csv", 16 * 1024 * 1024 + 1, "is 17 MB, over the 16 MB a bundle allows for the team"),
        ("findings.md", 33 * 1024 * 1024, "over the 32 MB a bundle allows for the findings"),
        ("roll-checks.csv", 64 * 1024**3, "over the 256 MB a bundle allows for the roll checks"),
        ("samples/use_of_force_records.csv", 257 * 1024 * 1024, "for a frame's answers"),
        ("attachments/segregation-unit-exercise-bicycles.png", 21 * 1024 * 1024, "20 MB"),
        ("summary.md", 3 * 1024 * 1024, "over the 2 MB"),
    ],
)
def test_a_file_over_its_cap_is_refused_before_it_is_read(
    bundle: Path, name: str, size: int, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sparse file claims its size without holding it: 64 GB costs nothing to make,
    and the refusal comes from its size, not from reading it (it is never opened)."""
    _sparse(bundle / name, size)
    opened = spy_on_reads(monkeypatch)
    message = refused(bundle)
    assert message.startswith(f"Error: {bundle / name}: is ") and said in message
    assert bundle / name not in opened


def test_the_reads_never_read_past_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "findings.md"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(IrpError, match="is 5 KB, over the 4 KB a bundle allows for the findings"):
        bundle_files.read_bytes(path, 4096, "the findings")
    assert bundle_files.read_bytes(path, 5000, "the findings") == b"x" * 5000


def test_a_bundle_of_too_many_files_is_refused(bundle: Path) -> None:
    crowd = bundle / "crowd"
    crowd.mkdir()
    for number in range(bundle_files.MAX_ENTRIES):
        (crowd / f"{number}.txt").touch()
    assert "holds more than 10000 files and folders" in refused(bundle)


def test_files_irp_field_does_not_read_are_let_be(bundle: Path) -> None:
    """A README beside the data (the shipped sample has one) is neither read nor capped."""
    (bundle / "README.md").write_text("# Notes for the team\n")
    (bundle / "scratch").mkdir()
    _sparse(bundle / "scratch" / "big.bin", 300 * 1024 * 1024)
    assert built(bundle).exists()


# -- 3. visit.toml, field by field, by the rules of `irp-field new` -------------------

GOOD = {
    "establishment": '"HMP Hull"',
    "type": '"IRP"',
    "start": '"2022-03-14"',
    "end": '"2022-03-16"',
    "previous_inspection": '"2021-07-05"',
}


def _visit_toml(bundle: Path, **changed: str) -> None:
    values = {**GOOD, **changed}
    (bundle / "visit.toml").write_text(
        "[visit]\n" + "".join(f"{key} = {value}\n" for key, value in values.items())
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("establishment", "true"),
        ("establishment", "{ a = 1 }"),
        ("establishment", '["HMP Hull"]'),
        ("start", "2022-03-14"),  # a TOML date, not text
        ("end", "20220316"),
        ("type", "1"),
        ("previous_inspection", "false"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_its_field(
    bundle: Path, field: str, value: str
) -> None:
    _visit_toml(bundle, **{field: value})
    assert (
        refused(bundle) == f"Error: {bundle / 'visit.toml'}: [visit] {field} must be text in quotes"
    )


@pytest.mark.parametrize(
    ("field", "value", "new_option"),
    [
        ("start", '"2022-02-30"', "--start"),
        ("end", '"2022-03-13"', "--end"),  # before the start
        ("previous_inspection", '"July 2021"', "--previous"),
        ("establishment", '"HMP\\tHull"', "--establishment"),
        ("establishment", '"' + "H" * 201 + '"', "--establishment"),
    ],
)
def test_visit_toml_is_held_to_the_rules_of_new(
    bundle: Path, field: str, value: str, new_option: str
) -> None:
    """The same refusal as `irp-field new` gives for the same value (domain.visit)."""
    _visit_toml(bundle, **{field: value})
    message = refused(bundle)
    assert message.startswith(f"Error: {bundle / 'visit.toml'}: [visit] {field}: ")
    options = {"--establishment": "HMP Hull", "--start": "2022-03-14", "--end": "2022-03-16"}
    options[new_option] = value.strip('"').replace("\\t", "\t")
    by_new = CliRunner().invoke(main, ["new", "direct", *[x for o in options.items() for x in o]])
    assert by_new.exit_code == 1
    assert message.split(": ", 3)[3] in by_new.output  # the domain's words, both ways


def test_an_unknown_visit_type_is_refused_as_new_refuses_it(bundle: Path) -> None:
    _visit_toml(bundle, type='"inspection of sorts"')
    assert "[visit] type: unknown visit type 'inspection of sorts'" in refused(bundle)
    _visit_toml(bundle, type='"full INSPECTION"')
    with VisitFile.open(built(bundle)) as visit:
        assert visit.one("SELECT visit_type FROM visit")[0] == "full inspection"  # type: ignore[index]


@pytest.mark.parametrize(
    "nested",
    [
        "x = " + "[" * 50_000 + "]" * 50_000,
        "x = " + "{ a = " * 20_000 + "1" + " }" * 20_000,
    ],
    ids=["arrays", "inline tables"],
)
def test_deep_nesting_is_refused_without_a_traceback(bundle: Path, nested: str) -> None:
    (bundle / "visit.toml").write_text(nested[: 60 * 1024] + "\n")
    message = refused(bundle)
    assert message.startswith(f"Error: {bundle / 'visit.toml'}: cannot be read")


def test_deep_nesting_in_report_parts_is_refused_too(bundle: Path) -> None:
    (bundle / "report-parts.toml").write_text("x = " + "[" * 40_000 + "]" * 40_000 + "\n")
    assert "report-parts.toml: cannot be read (nested too deeply)" in refused(bundle)


# -- what is left behind -------------------------------------------------------------


def test_a_paragraph_the_bounds_refuse_leaves_no_visit_behind(bundle: Path) -> None:
    """The bundle builds, then its findings are synced: a refused template refuses the
    whole bundle, and the visit just built goes (nothing half-made is left)."""
    with (bundle / "findings.md").open("a") as findings:
        findings.write('\n## 1.38\n\n{{ "x" * 10 }}\n')
    assert "refused" in refused(bundle)
