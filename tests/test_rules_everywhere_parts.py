"""One home per rule, for attachments and the report's parts too: each case gives the same
verdict through the API (what the screens call), the command line, a bundle, and, for a
file from another laptop, the merge and ``irp-field check``."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import content, cp

from irp_field.api import attachments, report_parts
from irp_field.cli import main
from irp_field.core.clock import Stamp, wall_clock_ms
from irp_field.core.visit_file import VisitFile
from irp_field.domain import attachments as rules
from irp_field.domain.errors import IrpError
from irp_field.interchange import samples
from irp_field.interchange.bundle import build_from_bundle
from irp_field.replication.merge import merge_visits

PNG = (
    samples.sample_bundle() / "attachments" / "segregation-unit-exercise-bicycles.png"
).read_bytes()


@dataclass(frozen=True)
class FileCase:
    name: str
    file_name: str
    data: bytes | int  # bytes, or the size of a sparse file
    verdict: str  # ok, warn, refuse: through the API, the command line and a bundle
    stored: str  # ok or refuse: the same bytes stored under the kind the name says
    words: str


FILE_CASES = [
    FileCase("a photograph", "photo.png", PNG, "ok", "ok", ""),
    FileCase("a text file named .jpg", "photo.jpg", b"Dear diary", "refuse", "refuse", "not a JPEG or PNG"),
    FileCase("an empty file", "empty.png", b"", "refuse", "refuse", "is empty"),
    FileCase("a PNG named .jpg", "photo.jpg", PNG, "warn", "refuse", "is a PNG by its content"),
    FileCase("over 20 MB", "big.png", rules.MAX_BYTES + 1, "refuse", "refuse", "at most 20.0 MB"),
]  # fmt: skip


def _write(path: Path, data: bytes | int) -> Path:
    if isinstance(data, int):
        with path.open("wb") as handle:
            handle.write(PNG)
            handle.truncate(data)
    else:
        path.write_bytes(data)
    return path


def _through_api(hull_path: Path, file: Path) -> tuple[str, str]:
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        try:
            _, warned = attachments.attach(visit, file, paragraph="3.1", caption="x")
        except IrpError as error:
            return "refuse", str(error)
    return ("warn", warned[0].message) if warned else ("ok", "")


def _through_cli(hull_path: Path, file: Path) -> tuple[str, str]:
    result = CliRunner().invoke(main, ["attach", str(hull_path), str(file), "--paragraph", "3.2"])
    if result.exit_code:
        return "refuse", result.output
    return ("warn", result.output) if "Warning:" in result.output else ("ok", "")


def _through_bundle(tmp_path: Path, file: Path) -> tuple[str, str]:
    folder = tmp_path / "bundle"
    shutil.copytree(samples.sample_bundle(), folder)
    shutil.copy(file, folder / "attachments" / file.name)
    listing = folder / "attachments.csv"
    listing.write_text(listing.read_text() + f"{file.name},x,3.3,,,\n")
    try:
        built = build_from_bundle(folder, tmp_path / "from-bundle.db")
    except IrpError as error:
        return "refuse", str(error)
    with VisitFile.open(built, readonly=True) as visit:
        stored = visit.one(
            "SELECT kind FROM attachment_file WHERE size = ?", (file.stat().st_size,)
        )
    return ("warn" if stored and not file.name.endswith(".png") else "ok"), ""


@pytest.mark.parametrize("case", FILE_CASES, ids=[c.name for c in FILE_CASES])
def test_a_file_gets_one_verdict_everywhere(
    hull_path: Path, tmp_path: Path, case: FileCase
) -> None:
    file = _write(tmp_path / case.file_name, case.data)
    before = content(hull_path)
    outcomes = []
    for path in (_through_api, _through_cli):
        verdict, message = path(hull_path, file)
        outcomes.append(verdict)
        if verdict != "ok":
            assert case.words in message, (path.__name__, message)
    if case.verdict == "refuse":
        assert content(hull_path) == before  # nothing written
    outcomes.append(_through_bundle(tmp_path, file)[0])
    assert outcomes == [case.verdict] * 3


@pytest.mark.parametrize("case", FILE_CASES, ids=[c.name for c in FILE_CASES])
def test_a_stored_file_gets_one_verdict_in_check_and_the_merge(
    hull_path: Path, tmp_path: Path, case: FileCase
) -> None:
    """A file from another laptop holding these bytes under the kind its name says."""
    import hashlib

    data = case.data if isinstance(case.data, bytes) else PNG + b"\0" * (case.data - len(PNG))
    kind = "png" if case.file_name.endswith(".png") else "jpeg"
    paul = cp(hull_path, tmp_path / "paul.db")
    conn = sqlite3.connect(paul)
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO attachment_file (id, kind, size, content, version) "
            "VALUES (?, ?, ?, ?, ?)",
            (hashlib.sha256(data).hexdigest(), kind, len(data), data, "1700000000000.000000.paul"),
        )
    conn.close()
    check = CliRunner().invoke(main, ["check", str(paul)])
    jade = cp(hull_path, tmp_path / "jade.db")
    try:
        merge_visits(jade, [paul])
        merged = "ok"
    except IrpError as error:
        merged = "refuse"
        assert "attached file" in str(error) and "nothing was merged" in str(error)
    assert merged == case.stored
    assert (check.exit_code == 1) == (case.stored == "refuse"), check.output


@dataclass(frozen=True)
class PartCase:
    name: str
    api: Callable[[VisitFile], object]
    cli: tuple[str, ...]
    toml: str
    sql: str  # the same record written by another hand into a laptop's file
    words: str


PART_CASES = [
    PartCase(
        "a signature on two lines",
        lambda v: report_parts.set_part(v, "signature_name", "Charlie\nTaylor"),
        ("parts", "set", "V", "signature_name", "Charlie\nTaylor"),
        '[parts]\nsignature_name = "Charlie\\nTaylor"\n',
        "UPDATE report_part SET text = 'Charlie' || char(10) || 'Taylor' WHERE key = 'signature_name'",
        "control character",
    ),
    PartCase(
        "an outcome no inspection gives",
        lambda v: report_parts.set_outcome(v, "2021", "Safety", "Excellent"),
        ("outcomes", "set", "V", "2021", "Safety", "Excellent"),
        '[[outcomes]]\nyear = "2021"\ntest = "Safety"\njudgement = "Excellent"\n',
        "UPDATE previous_outcome SET judgement = 'Excellent'",
        "unknown judgement 'Excellent'",
    ),
    PartCase(  # found walking: "outcomes in 2018, 2021 and 2023", empty cells, check silent
        "an outcome of a year after the visit",
        lambda v: report_parts.set_outcome(v, "2023", "Safety", "Good"),
        ("outcomes", "set", "V", "2023", "Safety", "Good"),
        '[[outcomes]]\nyear = "2023"\ntest = "Safety"\njudgement = "Good"\n',
        "UPDATE previous_outcome SET year = '2023'",
        "2023 is after this visit",
    ),
    PartCase(
        "a term without a definition",
        lambda v: report_parts.set_term(v, "Leader", " "),
        ("glossary", "set", "V", "Leader", " "),
        '[[glossary]]\nterm = "Leader"\ndefinition = " "\n',
        "UPDATE glossary_term SET definition = ''",
        "the definition must not be empty",
    ),
    PartCase(  # issue 20: no document can hold it (python-docx stopped on one)
        "a term holding U+FFFF",
        lambda v: report_parts.set_term(v, "Leader\uffff", "Who leads."),
        ("glossary", "set", "V", "Leader\uffff", "Who leads."),
        '[[glossary]]\nterm = "Leader\\uffff"\ndefinition = "Who leads."\n',
        "UPDATE glossary_term SET term = term || char(65535)",
        "FFFF",
    ),
    PartCase(
        "a definition holding U+FFFE",
        lambda v: report_parts.set_term(v, "Leader", "Who \ufffeleads."),
        ("glossary", "set", "V", "Leader", "Who \ufffeleads."),
        '[[glossary]]\nterm = "Leader"\ndefinition = "Who \\ufffeleads."\n',
        "UPDATE glossary_term SET definition = definition || char(65534)",
        "FFFE",
    ),
    PartCase(
        "a part the report does not have",
        lambda v: report_parts.set_part(v, "foreword", "Hello."),
        ("parts", "set", "V", "foreword", "Hello."),
        '[parts]\nforeword = "Hello."\n',
        "UPDATE report_part SET key = 'foreword' WHERE key = 'about'",
        "foreword",
    ),
]


@pytest.mark.parametrize("case", PART_CASES, ids=[c.name for c in PART_CASES])
def test_a_report_part_gets_one_verdict_everywhere(
    hull_path: Path, tmp_path: Path, case: PartCase
) -> None:
    before = content(hull_path)
    with VisitFile.open(hull_path) as visit, pytest.raises(IrpError, match=case.words):
        case.api(visit)
    result = CliRunner().invoke(main, [str(hull_path) if a == "V" else a for a in case.cli])
    assert result.exit_code == 1 and case.words in result.output, result.output
    assert content(hull_path) == before
    folder = tmp_path / "bundle"
    shutil.copytree(samples.sample_bundle(), folder)
    (folder / "report-parts.toml").write_text(case.toml, encoding="utf-8")
    with pytest.raises(IrpError, match=case.words):
        build_from_bundle(folder, tmp_path / "from-bundle.db")
    paul = cp(hull_path, tmp_path / "paul.db")
    conn = sqlite3.connect(paul)
    with conn:
        conn.execute(case.sql)
        newer = str(Stamp(wall_clock_ms(), 0, "hand"))  # a hand edit moves the stamps on
        for table in ("report_part", "report_paragraph", "glossary_term", "previous_outcome"):
            conn.execute(f"UPDATE {table} SET version = ?", (newer,))
    conn.close()
    check = CliRunner().invoke(main, ["check", str(paul)])
    assert check.exit_code == 1 and case.words in check.output, check.output
    with pytest.raises(IrpError, match="nothing was merged"):
        merge_visits(cp(hull_path, tmp_path / "jade.db"), [paul])
