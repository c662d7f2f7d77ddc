"""Characters no document can hold (issue 20): U+FFFE, U+FFFF and the other
noncharacters, C0 controls but tab and the line breaks, lone surrogates. One merged note
holding U+FFFF stopped the team leader's Word report with "All strings must be XML
compatible" while ``check`` said "no warnings".

The rule (``domain.names.unwritable``) refuses them with the field named on every way in:
typed (the API and the command line; the screens call the same rules:
``test_rules_everywhere.py``), imported, bundled and merged; ``check`` names any a file
holds (a file of 0.3.0); and the Word and Excel writers put U+FFFD in place of one
stored all the same rather than stop.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import content, cp, file_hash

from irp_field.api import evidence as api_evidence
from irp_field.api import findings, report_parts
from irp_field.cli import main
from irp_field.core.clock import Stamp, wall_clock_ms
from irp_field.core.visit_file import VisitFile
from irp_field.domain import names
from irp_field.domain.errors import InputError, IrpError
from irp_field.interchange import samples
from irp_field.interchange.bundle import build_from_bundle
from irp_field.replication.merge import merge_visits

FFFF = "\uffff"


def _one_line(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), output
    return lines[0]


# -- the rule ---------------------------------------------------------------------------


def test_the_rule_refuses_exactly_what_xml_cannot_hold_and_the_noncharacters() -> None:
    """Every code point lxml (python-docx's and openpyxl's XML) refuses, the rule refuses;
    what the rule refuses beyond them is the noncharacters, Unicode's "never for
    interchange"; everything else (emoji, no-break spaces, line separators, CJK, tabs and
    line breaks) is let through."""
    from lxml import etree

    element = etree.Element("p")
    xml_refuses = set()
    plane_ends = {p << 16 | e for p in range(17) for e in (0xFFFE, 0xFFFF)}
    for code in {*range(0x10000), *plane_ends, 0x1F600, 0x10FFFD}:  # every one of the BMP
        try:
            element.text = f"x{chr(code)}"
        except ValueError:
            xml_refuses.add(code)
    noncharacters = {
        *range(0xFDD0, 0xFDF0),
        *(p << 16 | e for p in range(17) for e in (0xFFFE, 0xFFFF)),
    }
    everything = "".join(map(chr, range(0x110000)))
    kept = names.writable(everything)  # in one pass; then the rule's verdict one by one
    refused = {code for code in range(0x110000) if kept[code] != everything[code]}
    assert all(kept[code] == "\ufffd" for code in refused)
    for code in {*refused, *range(0, 0x110000, 97)}:
        assert (names.unwritable(f"a {chr(code)} b") is not None) == (code in refused)
    assert xml_refuses <= refused
    assert refused == xml_refuses | noncharacters
    for fine in ("\t", "\n", "\r", "\u00a0", "\u2028", "\U0001f600", "中文", "\U0010fffd", "é"):
        assert names.unwritable(f"a{fine}b") is None
        element.text = f"a{fine}b"  # and XML holds each


@pytest.mark.parametrize(
    ("text", "named", "kept"),
    [
        ("Seen\uffff", "U+FFFF", "Seen\ufffd"),
        ("\ufffeSeen", "U+FFFE", "\ufffdSeen"),
        ("a\n\x0bb\tc", "U+000B", "a\n\ufffdb\tc"),
        ("x\ufdd0y", "U+FDD0", "x\ufffdy"),
        ("\U0010ffff!", "U+10FFFF", "\ufffd!"),
        ("half \udcff", "U+DCFF", "half \ufffd"),
        ("Jade Richards, B wing\n\t\U0001f600", None, "Jade Richards, B wing\n\t\U0001f600"),
    ],
)
def test_the_rule_names_the_character_and_the_writers_replace_it(
    text: str, named: str | None, kept: str
) -> None:
    assert names.unwritable(text) == named
    assert names.writable(text) == kept
    said = names.text_verdicts(text, "text", "the note") + names.name_verdicts(
        text.replace("\n", " ").replace("\t", " "), "name", "the name"
    )
    if named is None:
        assert said == []
    elif named != "U+000B":  # a control character: the rules' older words say so
        assert [v.field for v in said] == ["text", "name"]
        assert all(named in v.message for v in said), said


# -- typed ------------------------------------------------------------------------------


def test_a_typed_paragraph_holding_one_is_refused_naming_it(hull_path: Path) -> None:
    before = content(hull_path)
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        with pytest.raises(IrpError, match=r"new paragraph for 1\.38: refused: .*U\+FFFF"):
            findings.add_paragraph(visit, "1.38", f"Locked up{FFFF}.")
        with pytest.raises(IrpError, match=r"paragraph 3\.1 \(1\.33\): refused: .*U\+FFFE"):
            findings.edit_paragraph(visit, "3.1", "Edited\ufffe")
        with pytest.raises(IrpError, match=r"U\+FFFF"):
            report_parts.add_paragraph(visit, f"A summary{FFFF}.")
    assert content(hull_path) == before
    result = CliRunner().invoke(main, ["findings", "add", str(hull_path), "1.38", f"x{FFFF}"])
    assert result.exit_code == 1
    assert "U+FFFF" in _one_line(result.output)
    assert content(hull_path) == before


# -- imported ---------------------------------------------------------------------------


def test_an_import_names_the_line_and_column_even_where_no_other_rule_looks(
    hull_path: Path, tmp_path: Path
) -> None:
    """The inspector of a roll check is a team member's name (refused as unknown); the
    character is what is wrong, and the import says so, on the right line after a value
    holding line breaks."""
    csv = tmp_path / "checks.csv"
    csv.write_text(
        "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,"
        "elsewhere,round,inspector,note\n"
        '2022-03-15T10:00,A wing,100,40,20,10,25,5,Tue AM,Jade Richards,"two\nlines"\n'
        f"2022-03-15T10:00,B wing,100,40,20,10,25,5,Tue AM,Jade Richards{FFFF},\n",
        encoding="utf-8",
    )
    with (
        VisitFile.open(hull_path, user="Jade Richards") as visit,
        pytest.raises(InputError) as refused,
    ):
        api_evidence.import_csv(visit, "roll-checks", csv, again=True, replace=True)
    assert "checks.csv, line 4, column inspector: the value holds U+FFFF" in str(refused.value)
    assert "unknown team member" not in str(refused.value)  # said once, by the character


def test_a_file_holding_one_is_still_checked_for_utf8_to_its_end(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first pass notes the character and goes on checking every chunk's UTF-8 (a
    regression guard: noting it once must not end the decoding of the rest)."""
    from irp_field.interchange import csv_rows

    monkeypatch.setattr(csv_rows, "CHUNK", 64)
    csv = tmp_path / "notes.csv"
    rows = "".join(
        f"staff,2022-03-15T11:{n:02d},Martin Lomas,Said so {n}.,1.33,\n" for n in range(9)
    )
    csv.write_bytes(
        f"source,taken_at,author,text,plan_refs,tags\nstaff,2022-03-15T11:00,Martin Lomas,"
        f"Said{FFFF}.,1.33,\n{rows}".encode()
        + b"staff,2022-03-15T12:00,Martin Lomas,\xff,,\n"
    )
    with (
        VisitFile.open(hull_path, user="Jade Richards") as visit,
        pytest.raises(InputError, match=r"notes\.csv, line 12: is not UTF-8 text"),
    ):
        api_evidence.import_csv(visit, "notes", csv, again=True)


# -- bundled ----------------------------------------------------------------------------


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return Path(shutil.copytree(samples.sample_bundle(), tmp_path / "bundle"))


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.parametrize(
    ("file_name", "added", "words"),
    [
        ("notes.csv", f"staff,2022-03-15T11:00,Martin Lomas,Said so{FFFF}.,1.33,\n",
         "column text: the value holds U+FFFF"),
        ("notes.csv", "staff,2022-03-15T11:00,Martin Lomas,Said so.,1.33,seg\ufffe\n",
         "column tags: the value holds U+FFFE"),
        ("findings.md", f"\n## 1.38\n\nLocked up{FFFF}.\n", "of ## 1.38: the paragraph holds U+FFFF"),
        ("summary.md", f"\nA summary{FFFF}.\n", "U+FFFF"),
        ("report-parts.toml", '\n[[glossary]]\nterm = "Seg\\uffff"\ndefinition = "x"\n', "U+FFFF"),
    ],
)  # fmt: skip
def test_a_bundle_holding_one_is_refused_naming_the_file(
    bundle: Path, tmp_path: Path, file_name: str, added: str, words: str
) -> None:
    _append(bundle / file_name, added)
    result = CliRunner().invoke(main, ["new", str(tmp_path / "built.db"), "--from", str(bundle)])
    assert result.exit_code == 1
    line = _one_line(result.output) if file_name != "notes.csv" else result.output
    assert words in line and file_name in line, line
    assert not (tmp_path / "built.db").exists()


def test_a_bundle_whose_visit_toml_names_the_prison_with_one_is_refused(
    bundle: Path, tmp_path: Path
) -> None:
    toml = bundle / "visit.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('"HMP Hull"', '"HMP Hull\\uffff"'),
        encoding="utf-8",
    )
    with pytest.raises(IrpError, match=r"visit\.toml.*U\+FFFF"):
        build_from_bundle(bundle, tmp_path / "built.db")


# -- merged -----------------------------------------------------------------------------

HAND_EDITS = [  # (table, column): a value with U+FFFF put in by hand, its stamp moved on
    ("note", "text"),
    ("note", "tags"),
    ("note", "author"),  # no rule reads an author in a merge: the row judge does
    ("finding", "text"),
    ("glossary_term", "term"),
    ("report_paragraph", "text"),
    ("roll_check", "inspector"),
    ("attachment", "caption"),
    ("plan_item", "text"),
]


@pytest.mark.parametrize(("table", "column"), HAND_EDITS)
def test_a_hand_edited_source_holding_one_is_refused_naming_the_file_and_field(
    hull_path: Path, tmp_path: Path, table: str, column: str
) -> None:
    laptop = cp(hull_path, tmp_path / "laptop.db")
    conn = sqlite3.connect(laptop)
    with conn:
        row_id = conn.execute(f"SELECT id FROM {table} WHERE deleted = 0 LIMIT 1").fetchone()[0]
        conn.execute(
            f"UPDATE {table} SET {column} = {column} || char(65535), version = ? WHERE id = ?",
            (str(Stamp(wall_clock_ms(), 0, "hand")), row_id),
        )
    conn.close()
    before = file_hash(hull_path)
    with pytest.raises(IrpError) as refused:
        merge_visits(hull_path, [laptop])
    said = str(refused.value)
    assert "laptop.db" in said and f"{table} row {row_id}: {column} holds U+FFFF" in said, said
    assert "\n" not in said and said.endswith("nothing was merged")
    assert file_hash(hull_path) == before
    result = CliRunner().invoke(main, ["merge", str(hull_path), str(laptop)])
    assert result.exit_code == 1 and "U+FFFF" in _one_line(result.output)


# -- stored: check names it; the report and the exports are written --------------------


def _as_0_3_0_stored_them(path: Path) -> None:
    """What a file of 0.3.0 could hold: U+FFFF in a note, a paragraph, a glossary term's
    definition, a team member's role, a roll check's inspector, the prison's name."""
    conn = sqlite3.connect(path)
    with conn:
        for table, column in (
            ("note", "text"), ("finding", "text"), ("glossary_term", "definition"),
            ("team_member", "role"), ("roll_check", "inspector"), ("visit", "establishment"),
        ):  # fmt: skip
            conn.execute(f"UPDATE {table} SET {column} = {column} || char(65535)")
    conn.close()


def test_check_names_each_kind_once(hull_path: Path) -> None:
    conn = sqlite3.connect(hull_path)
    with conn:  # one note, and the inspector of one roll check (no rule reads it)
        for table, column, value in (
            ("note", "text", "text || char(65535)"),
            ("roll_check", "inspector", "'Jade' || char(65534)"),
        ):
            conn.execute(f"UPDATE {table} SET {column} = {value} "
                         f"WHERE id = (SELECT MIN(id) FROM {table} WHERE deleted = 0)")  # fmt: skip
    conn.close()
    result = CliRunner().invoke(main, ["check", str(hull_path)])
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())  # as one line: rich wraps at 80 columns
    assert "2 problem line(s)" in said, result.output
    assert said.count("U+FFFF") == 1 and "the note holds U+FFFF" in said, result.output
    assert said.count("U+FFFE") == 1, result.output
    assert (
        "inspector holds U+FFFE, a character no document can hold (a merge would refuse it)" in said
    )


def test_a_file_holding_them_is_reported_and_exported_with_u_fffd(
    hull_path: Path, tmp_path: Path
) -> None:
    _as_0_3_0_stored_them(hull_path)
    run = CliRunner().invoke
    check = run(main, ["check", str(hull_path)])
    assert check.exit_code == 1 and check.output.count("U+FFFF") >= 4, check.output
    docx = tmp_path / "report.docx"
    result = run(main, ["report", str(hull_path), "--format", "docx", "--out", str(docx)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(docx) as document:
        body = document.read("word/document.xml").decode("utf-8")
        properties = document.read("docProps/core.xml").decode("utf-8")
    assert "\ufffd" in body and FFFF not in body
    assert "HMP Hull\ufffd" in properties  # the title: the prison's name
    xlsx = tmp_path / "export.xlsx"
    result = run(main, ["export", str(hull_path), "--format", "xlsx", "--out", str(xlsx)])
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    notes = load_workbook(io.BytesIO(xlsx.read_bytes()), read_only=True)["note"]
    header = [cell.value for cell in next(notes.iter_rows(max_row=1))]
    texts = [row[header.index("text")] for row in notes.iter_rows(min_row=2, values_only=True)]
    assert texts and all(str(text).endswith("\ufffd") for text in texts)
    for kind in ("md", "html"):
        out = tmp_path / f"report.{kind}"
        result = run(main, ["report", str(hull_path), "--format", kind, "--out", str(out)])
        assert result.exit_code == 0, result.output
