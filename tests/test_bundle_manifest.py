"""A bundle that is not whole is refused (issue 20, "Half-written bundles look whole").

An export cut short (a full disk, kill -9) left a bundle of 12 of its 17 files, its
notes.csv empty, and ``new --from`` built a visit with no notes. A bundle now carries
``manifest.json`` (every file irp-field reads, its size and SHA-256, written last, from
the disk) and ``new --from`` refuses, in one line naming the file, a bundle whose files
differ from it. A bundle without one (written by hand, or by 0.3.0) builds with a
warning; ``irp-field bundle seal`` writes one after a hand edit.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from irp_field import paths
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.interchange import bundle_files, bundle_manifest, samples
from irp_field.interchange.bundle import write_bundle

PHOTO = "attachments/segregation-unit-exercise-bicycles.png"


@pytest.fixture(scope="module")
def exported(hull_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Hull sample exported as a bundle, once: each test copies it."""
    folder = tmp_path_factory.mktemp("hull-export")
    copy = folder / "hull.db"
    with sqlite3.connect(hull_template) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with VisitFile.open(copy) as visit:
        return write_bundle(visit, folder / "bundle")


@pytest.fixture
def bundle(exported: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(exported, tmp_path / "bundle"))


def new_from(bundle: Path, name: str = "built") -> Result:
    """Built by a member of the bundle's team (Hull's): built by a stranger, ``new``
    warns whose name its records carry (test_recorders.py)."""
    return CliRunner().invoke(main, ["new", name, "--from", str(bundle), "--by", "Jade Richards"])


def refused(bundle: Path) -> str:
    """The one line ``new --from`` refuses ``bundle`` with; no visit file is left."""
    folder = paths.visits_folder()
    before = sorted(folder.iterdir())
    result = new_from(bundle, "refused")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert sorted(folder.iterdir()) == before  # no visit, no partial one
    return lines[0]


def notes_in(visit_path: Path) -> int:
    with VisitFile.open(visit_path, readonly=True) as visit:
        return int(visit.one("SELECT COUNT(*) FROM note WHERE deleted = 0")[0])  # type: ignore[index]


def listing(bundle: Path) -> dict[str, dict[str, object]]:
    document = json.loads((bundle / "manifest.json").read_text())
    return {entry["path"]: entry for entry in document["files"]}


# -- what an export writes -------------------------------------------------------------


def test_the_manifest_lists_every_file_as_it_is_on_the_disk(exported: Path) -> None:
    listed = listing(exported)
    on_disk = {
        path.relative_to(exported).as_posix(): path.read_bytes()
        for path in exported.rglob("*")
        if path.is_file() and path.name != "manifest.json"
    }
    assert set(listed) == set(on_disk)
    assert {"notes.csv", "visit.toml", PHOTO, "samples/use_of_force_records.csv"} <= set(listed)
    for name, content in on_disk.items():
        assert listed[name]["size"] == len(content), name
        assert listed[name]["sha256"] == hashlib.sha256(content).hexdigest(), name
    assert (
        (exported / "visit.toml").read_text().endswith('\n[bundle]\nmanifest = "manifest.json"\n')
    )


def test_the_digests_are_read_back_from_the_disk(
    hull: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that is not on the disk what the writer meant (a filter, a failing disk):
    the manifest describes the disk, so a copy of it is checked against what was kept."""
    from irp_field.interchange import bundle

    real = bundle.write_csv

    def altered(path: Path, header: object, rows: object) -> None:
        real(path, header, rows)  # type: ignore[arg-type]
        if path.name == "notes.csv":
            with path.open("ab") as handle:
                handle.write(b"kept on the disk, never in memory\n")

    monkeypatch.setattr(bundle, "write_csv", altered)
    written = write_bundle(hull, tmp_path / "bundle")
    content = (written / "notes.csv").read_bytes()
    assert content.endswith(b"never in memory\n")
    assert listing(written)["notes.csv"]["sha256"] == hashlib.sha256(content).hexdigest()


def test_a_whole_bundle_builds_without_a_warning(bundle: Path) -> None:
    result = new_from(bundle)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines() == [f"Created {paths.visits_folder() / 'built.db'}"]
    assert notes_in(paths.visits_folder() / "built.db") > 0


# -- a bundle whose files differ from its manifest -------------------------------------


def test_a_notes_csv_cut_short_is_refused(bundle: Path) -> None:
    """The issue's case: the disk filled while notes.csv was written."""
    notes = bundle / "notes.csv"
    size = notes.stat().st_size
    with notes.open("r+b") as handle:
        handle.truncate(size // 2)
    assert refused(bundle) == (
        f"Error: {notes}: is {size // 2} bytes; manifest.json lists {size} (a damaged or "
        "unfinished copy of the bundle; if it was edited by hand, check it, then run "
        "'irp-field bundle seal')"
    )


def test_an_empty_notes_csv_is_refused(bundle: Path) -> None:
    (bundle / "notes.csv").write_bytes(b"")
    assert f"{bundle / 'notes.csv'}: is 0 bytes; manifest.json lists" in refused(bundle)


def test_a_missing_attachment_is_refused(bundle: Path) -> None:
    (bundle / PHOTO).unlink()
    assert f"{bundle / PHOTO}: is missing; manifest.json lists it" in refused(bundle)


def test_a_missing_samples_folder_is_refused(bundle: Path) -> None:
    shutil.rmtree(bundle / "samples")
    assert "samples/csip_investigations.csv: is missing" in refused(bundle)


@pytest.mark.parametrize("name", ["findings.md", "visit.toml", PHOTO])
def test_one_changed_byte_is_refused(bundle: Path, name: str) -> None:
    path = bundle / name
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x01  # the same size: only the digest tells
    path.write_bytes(bytes(content))
    assert refused(bundle).startswith(f"Error: {path}: does not match its SHA-256 in manifest.json")


@pytest.mark.parametrize("name", ["samples/extra.csv", "attachments/extra.png", "roll-checks.csv"])
def test_a_file_irp_field_would_read_that_is_not_listed_is_refused(bundle: Path, name: str) -> None:
    if name == "roll-checks.csv":  # one the manifest should list, and does not
        entries = json.loads((bundle / "manifest.json").read_text())
        entries["files"] = [e for e in entries["files"] if e["path"] != name]
        (bundle / "manifest.json").write_text(json.dumps(entries))
    else:
        (bundle / name).write_bytes(b"record,criterion,answer,comment\n")
    assert refused(bundle).startswith(f"Error: {bundle / name}: is not in manifest.json")


def test_files_irp_field_never_reads_are_let_be(bundle: Path) -> None:
    """A README beside the data (the sample has one) is neither listed nor checked."""
    (bundle / "README.md").write_text("# Notes for the team\n")
    (bundle / "scratch").mkdir()
    (bundle / "scratch" / "anything.bin").write_bytes(b"\x00" * 100)
    assert new_from(bundle).exit_code == 0


def test_a_lost_manifest_is_refused_when_visit_toml_says_there_was_one(bundle: Path) -> None:
    """A copy cut short before manifest.json arrived: visit.toml tells damage from a
    bundle written by hand."""
    (bundle / "manifest.json").unlink()
    assert refused(bundle) == (
        f"Error: {bundle / 'manifest.json'}: is missing, though visit.toml says the bundle "
        "was written with one (a damaged or unfinished copy of the bundle)"
    )


# -- a manifest that cannot be used ----------------------------------------------------


def _entries(bundle: Path) -> list[dict[str, object]]:
    return list(json.loads((bundle / "manifest.json").read_text())["files"])


def _manifest(bundle: Path, document: object) -> None:
    (bundle / "manifest.json").write_text(json.dumps(document))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda b: "{not json", "not JSON"),
        (lambda b: "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (lambda b: [], "not an irp-field bundle manifest, version 1"),
        (lambda b: {"irp_field_bundle_manifest": 2, "files": []}, "version 1"),
        (lambda b: {"irp_field_bundle_manifest": 1, "files": {}}, "files must be a list"),
        (
            lambda b: {"irp_field_bundle_manifest": 1, "files": [["notes.csv", 1, "ab"]]},
            "entry 1 must hold path, size and sha256",
        ),
        (
            lambda b: {
                "irp_field_bundle_manifest": 1,
                "files": [{**_entries(b)[0], "path": "../visit.toml"}],
            },
            "entry 1: path must name a file inside the bundle",
        ),
        (
            lambda b: {
                "irp_field_bundle_manifest": 1,
                "files": [{**_entries(b)[0], "path": "README.md"}],
            },
            "entry 1: README.md is not a file a bundle holds",
        ),
        (
            lambda b: {"irp_field_bundle_manifest": 1, "files": [{**_entries(b)[0], "size": -1}]},
            "entry 1: size must be a whole number of bytes",
        ),
        (
            lambda b: {"irp_field_bundle_manifest": 1, "files": [{**_entries(b)[0], "size": True}]},
            "entry 1: size must be a whole number of bytes",
        ),
        (
            lambda b: {
                "irp_field_bundle_manifest": 1,
                "files": [{**_entries(b)[0], "size": 10**12}],
            },
            "within attachments/segregation-unit-exercise-bicycles.png's cap",
        ),
        (
            lambda b: {
                "irp_field_bundle_manifest": 1,
                "files": [{**_entries(b)[0], "sha256": "ABC"}],
            },
            "entry 1: sha256 must be 64 hexadecimal digits",
        ),
        (
            lambda b: {"irp_field_bundle_manifest": 1, "files": _entries(b) + _entries(b)[:1]},
            "is listed twice",
        ),
    ],
)
def test_a_manifest_that_cannot_be_used_is_refused_naming_it(
    bundle: Path, change: object, words: str
) -> None:
    document = change(bundle)  # type: ignore[operator]
    if isinstance(document, str):
        (bundle / "manifest.json").write_text(document)
    else:
        _manifest(bundle, document)
    message = refused(bundle)
    assert message.startswith(f"Error: {bundle / 'manifest.json'}: cannot be used (")
    assert words in message


def test_a_listing_of_more_files_than_a_bundle_may_hold_is_refused(bundle: Path) -> None:
    first = _entries(bundle)[0]
    crowd = [{**first, "path": f"samples/{n}.csv"} for n in range(bundle_files.MAX_ENTRIES + 1)]
    _manifest(bundle, {"irp_field_bundle_manifest": 1, "files": crowd})
    assert (bundle / "manifest.json").stat().st_size < 4 * 1024 * 1024  # under its own cap
    assert "lists more than the 10000 files a bundle may hold" in refused(bundle)


def test_a_manifest_over_its_cap_is_refused_before_it_is_read(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from read_spy import spy_on_reads

    with (bundle / "manifest.json").open("ab") as handle:
        handle.truncate(4 * 1024 * 1024 + 1)
    opened = spy_on_reads(monkeypatch)
    assert refused(bundle) == (
        f"Error: {bundle / 'manifest.json'}: is 5 MB, over the 4 MB a bundle allows for "
        "the manifest"
    )
    assert bundle / "manifest.json" not in opened


# -- bundles without a manifest, and sealing one -----------------------------------------


def test_a_bundle_without_a_manifest_builds_with_a_warning(tmp_path: Path) -> None:
    """The shipped sample is curated by hand: it has none, and builds (with a word)."""
    sample = Path(shutil.copytree(samples.sample_bundle(), tmp_path / "sample"))
    result = new_from(sample)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == f"Created {paths.visits_folder() / 'built.db'}"
    assert lines[1:] == [
        f"Warning: {sample}: has no manifest.json, so its files could not be checked for "
        "damage (a bundle written by hand, or by irp-field 0.3.0); once it is checked, "
        f"'irp-field bundle seal {sample}' adds one"
    ]


def test_a_hand_edit_is_refused_until_the_bundle_is_sealed_again(bundle: Path) -> None:
    notes = bundle / "notes.csv"
    notes.write_text(notes.read_text().replace("Deputy governor", "Deputy Governor"))
    assert refused(bundle).startswith(f"Error: {notes}: does not match its SHA-256")
    sealed = CliRunner().invoke(main, ["bundle", "seal", str(bundle)])
    assert sealed.exit_code == 0, sealed.output
    assert sealed.output == f"Sealed {bundle}: manifest.json lists 18 files\n"
    assert new_from(bundle).exit_code == 0
    with VisitFile.open(paths.visits_folder() / "built.db", readonly=True) as visit:
        texts = [r["text"] for r in visit.query("SELECT text FROM note")]
    assert any(t.startswith("Deputy Governor described") for t in texts)
    assert not any("Deputy governor" in t for t in texts)


def test_sealing_a_bundle_written_by_hand_makes_it_whole(tmp_path: Path) -> None:
    sample = Path(shutil.copytree(samples.sample_bundle(), tmp_path / "sample"))
    before = (sample / "visit.toml").read_bytes()
    sealed = CliRunner().invoke(main, ["bundle", "seal", str(sample)])
    assert sealed.exit_code == 0, sealed.output
    assert (sample / "visit.toml").read_bytes() == (
        before + b'\n[bundle]\nmanifest = "manifest.json"\n'
    )
    assert "README.md" not in listing(sample)  # never read, so never listed
    result = new_from(sample)
    assert result.exit_code == 0 and "Warning" not in result.output, result.output
    # sealed again, visit.toml is left as it is
    assert CliRunner().invoke(main, ["bundle", "seal", str(sample)]).exit_code == 0
    assert (sample / "visit.toml").read_bytes().count(b"[bundle]") == 1
    (sample / "manifest.json").unlink()  # and now a lost manifest is damage
    assert "manifest.json: is missing, though visit.toml says" in refused(sample)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda b: (b / "visit.toml").unlink(), "is not a visit bundle (no visit.toml)"),
        (lambda b: (b / "notes.csv").symlink_to(b / "team.csv"), "notes.csv: is a link"),
        (
            lambda b: (b / "visit.toml").write_text(
                (b / "visit.toml").read_text().replace('"manifest.json"', '"other.json"')
            ),
            'visit.toml: [bundle] must be a table whose manifest is "manifest.json"',
        ),
    ],
)
def test_seal_refuses_what_a_bundle_may_not_hold(bundle: Path, make: object, words: str) -> None:
    if (bundle / "notes.csv").exists() and "link" in words:
        (bundle / "notes.csv").unlink()
    make(bundle)  # type: ignore[operator]
    before = (bundle / "manifest.json").read_bytes()
    result = CliRunner().invoke(main, ["bundle", "seal", str(bundle)])
    assert result.exit_code == 1 and words in result.output, result.output
    assert (bundle / "manifest.json").read_bytes() == before


def test_the_manifest_round_trips_byte_for_byte(hull: VisitFile, tmp_path: Path) -> None:
    """Export, build, export: the manifests are the same bytes, as every other file."""
    from irp_field.interchange.bundle import build_from_bundle

    first = write_bundle(hull, tmp_path / "first")
    with VisitFile.open(build_from_bundle(first, tmp_path / "again.db")) as again:
        second = write_bundle(again, tmp_path / "second")
    assert (first / "manifest.json").read_bytes() == (second / "manifest.json").read_bytes()
    assert bundle_manifest.read_manifest(first) == bundle_manifest.read_manifest(second)
