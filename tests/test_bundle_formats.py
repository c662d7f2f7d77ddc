"""A bundle's formats give back what was written (issue 12): sample files that never
share a name, findings.md paragraphs exactly (headings, comments, blank lines, spaces,
very long text), values longer than Python's CSV limit, and tables with no rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_helpers import examples

from irp_field.api import evidence, findings, visits
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.interchange.bundle import (
    build_from_bundle,
    parse_findings,
    seal_bundle,
    write_bundle,
)
from irp_field.interchange.bundle_paragraphs import read_sections, write_sections
from irp_field.interchange.bundle_samples import answers_file_names


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def round_trip(visit: VisitFile, tmp_path: Path) -> tuple[Path, Path, VisitFile]:
    """Export ``visit``, build a visit from the bundle, export that; both bundles and the
    rebuilt visit (open: close it)."""
    first = write_bundle(visit, tmp_path / "first")
    rebuilt = VisitFile.open(build_from_bundle(first, tmp_path / "rebuilt.db"))
    second = write_bundle(rebuilt, tmp_path / "second")
    return first, second, rebuilt


@pytest.fixture
def visit(tmp_path: Path) -> VisitFile:
    made = visits.create_visit(
        tmp_path / "v.db", establishment="HMP Test", start="2022-03-14", end="2022-03-16"
    )
    evidence.add_team_member(made, "Jade Richards", role="Inspector")
    made.user = "Jade Richards"  # who records its answers and paragraphs: on its team
    evidence.add_plan_item(made, "1.33", text="Leadership should improve.", area="Leadership")
    evidence.add_plan_item(made, "1.38", text="Prisoners should be unlocked.", area="Safety")
    return made


# -- 4. sample files named without collisions ----------------------------------------


def test_frame_names_that_slug_alike_get_their_own_files() -> None:
    assert answers_file_names(
        ["Adjudications", "ADJUDICATIONS!", "adjudications ", "CON", "!!!"]
    ) == [
        "adjudications.csv",
        "adjudications-2.csv",
        "adjudications-3.csv",
        "con-2.csv",  # a device's name on Windows
        "frame.csv",
    ]


def _answers(visit: VisitFile) -> dict[str, list[tuple[str, str, str, str]]]:
    rows = visit.query(
        "SELECT f.name AS frame, a.record, c.name AS criterion, a.answer, a.comment "
        "FROM sample_answer a JOIN sample_frame f ON f.id = a.frame_id "
        "JOIN sample_criterion c ON c.id = a.criterion_id WHERE a.deleted = 0 "
        "ORDER BY f.name, a.record, c.name"
    )
    found: dict[str, list[tuple[str, str, str, str]]] = {}
    for r in rows:
        found.setdefault(r["frame"], []).append(
            (r["record"], r["criterion"], r["answer"], r["comment"])
        )
    return found


def test_two_frames_whose_names_slug_alike_keep_their_answers(
    visit: VisitFile, tmp_path: Path
) -> None:
    """The issue's case: "Adjudications" and "ADJUDICATIONS!" shared one samples file."""
    for frame, criterion, answer in (
        ("Adjudications", "Hearing held in time", "yes"),
        ("ADJUDICATIONS!", "Outcome recorded", "no"),
    ):
        _, drawn, _ = evidence.draw_sample(
            visit, frame, size=2, seed=7, population=5, criteria=[criterion]
        )
        for record in drawn:
            evidence.record_answer(visit, frame, record, criterion, answer, f"{frame} {record}")
    before = _answers(visit)
    first, second, rebuilt = round_trip(visit, tmp_path)
    with rebuilt:
        assert _answers(rebuilt) == before
        assert len(before["Adjudications"]) == len(before["ADJUDICATIONS!"]) == 2
    assert sorted(p.name for p in (first / "samples").iterdir()) == [
        "adjudications-2.csv",
        "adjudications.csv",
    ]
    assert tree(first) == tree(second)


def test_a_bundle_written_before_answers_file_still_reads(hull: VisitFile, tmp_path: Path) -> None:
    """Bundles written before the column name each frame's file by its name alone (the
    shipped Hull sample is one)."""
    bundle = write_bundle(hull, tmp_path / "bundle")
    frames = bundle / "sample-frames.csv"
    lines = frames.read_text().splitlines()
    assert lines[0].endswith(",answers_file")
    frames.write_text("".join(line.rsplit(",", 1)[0] + "\n" for line in lines))
    seal_bundle(bundle)  # edited by hand, so sealed again
    with VisitFile.open(build_from_bundle(bundle, tmp_path / "old.db")) as old:
        assert _answers(old) == _answers(hull)


# -- 5. findings.md gives back every paragraph exactly --------------------------------

TRICKY = [
    "One line, as most are.",
    "Two lines:\n## 1.38\nthe second is no heading.",
    "<!-- not a comment: part of the paragraph -->",
    "Ends with -->",
    "  leading and trailing spaces  ",
    "A blank line\n\nin the middle, and one at the end\n",
    "\nstarts with a line break",
    "# not a title",
    "~~~",
    "fenced already\n~~~\nand ~~~~ too\n~~~~",
    "Windows line ends\r\nkept\r\n",
    "a lone \r carriage return",
    "tabs\tand unicode line\u2028separators\x85kept",
    '"A quotation", with commas, and =cmd() that is only text',
    "x" * 150_000,
]


def test_every_tricky_paragraph_reads_back_exactly() -> None:
    text = write_sections("test", [("1.33", TRICKY), ("1.38", ["After them."])])
    assert read_sections(text, "findings.md") == [("1.33", TRICKY), ("1.38", ["After them."])]


def test_a_plain_paragraph_stays_on_one_line_and_others_are_fenced() -> None:
    text = write_sections("test", [("1.33", ["Plain.", "Has\n## 1.38 in it"])])
    assert text == "<!-- test -->\n\n## 1.33\n\nPlain.\n\n~~~\nHas\n## 1.38 in it\n~~~\n"


def test_a_file_whose_line_ends_became_crlf_reads_the_same() -> None:
    text = write_sections("test", [("1.33", TRICKY[:-1])])
    assert read_sections(text.replace("\n", "\r\n"), "findings.md") == [("1.33", TRICKY[:-1])]


def test_findings_written_by_hand_read_as_before() -> None:
    """Wrapped lines join with a space, comments go, a title before the first section."""
    text = (
        "<!-- irp-field findings -->\n# Findings\n\n## 1.33\n\nFirst\n  paragraph.  \n\n"
        "Second <!-- a note to self --> one.\n<!-- a comment\n\nover lines -->\n\n## Theme 1\n"
        "Third.\n"
    )
    assert parse_findings(text) == [
        ("1.33", ["First paragraph.", "Second  one."]),
        ("Theme 1", ["Third."]),
    ]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Text first.\n\n## 1.33\n", "findings.md, line 1: text before the first '## NAME'"),
        ("## 1.33\n\n~~~\nnever closed\n", "findings.md, line 3: the ~~~ on this line is never"),
        ("## 1.33\n\n~~~\n  \n~~~\n", "findings.md, line 3: the paragraph between ~~~ lines is"),
    ],
)
def test_a_broken_findings_file_is_refused_naming_the_line(text: str, said: str) -> None:
    with pytest.raises(IrpError, match=said):
        parse_findings(text)


paragraph_text = (
    st.lists(
        st.one_of(
            st.characters(exclude_categories=("Cs",)),
            st.sampled_from(["\n", "\r", "#", "## ", "~~~", "<!--", "-->", " ", "\t"]),
        ),
        min_size=1,
    )
    .map("".join)
    .filter(lambda text: text.strip() != "")
)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["1.33", "1.38", "Theme 1"]), paragraph_text)))
def test_any_paragraph_reads_back_exactly(written: list[tuple[str, str]]) -> None:
    sections = [(ref, [text]) for ref, text in written]
    assert read_sections(write_sections("test", sections), "findings.md") == sections


def test_a_heading_inside_a_paragraph_moves_nothing(visit: VisitFile, tmp_path: Path) -> None:
    """The issue's case: a paragraph with a line '## 1.38' moved itself and the next."""
    hostile = "Before.\n## 1.38\nAfter, and <!-- this --> stays.\n\n  Spaced.  "
    findings.add_paragraph(visit, "1.33", hostile)
    findings.add_paragraph(visit, "1.33", "The next paragraph.")
    findings.add_paragraph(visit, "1.38", "x" * 99_000)
    first, second, rebuilt = round_trip(visit, tmp_path)
    with rebuilt:
        texts = {
            ref: [
                r["text"]
                for r in rebuilt.query(
                    "SELECT f.text FROM finding f JOIN plan_item p ON p.id = f.plan_item_id "
                    "WHERE p.ref = ? ORDER BY f.position",
                    (ref,),
                )
            ]
            for ref in ("1.33", "1.38")
        }
    assert texts == {"1.33": [hostile, "The next paragraph."], "1.38": ["x" * 99_000]}
    assert tree(first) == tree(second)


def test_summary_paragraphs_read_back_exactly(visit: VisitFile, tmp_path: Path) -> None:
    from irp_field.api import report_parts

    report_parts.add_paragraph(visit, "First line\n## practice\n<!-- kept -->")
    first, second, rebuilt = round_trip(visit, tmp_path)
    with rebuilt:
        assert [r["text"] for r in rebuilt.query("SELECT text FROM report_paragraph")] == [
            "First line\n## practice\n<!-- kept -->"
        ]
    assert tree(first) == tree(second)


# -- values past Python's CSV limit, and tables with no rows ---------------------------


def test_values_longer_than_the_csv_limit_read_back(visit: VisitFile, tmp_path: Path) -> None:
    """Python's csv stops at 131,072 characters a value: a note's tags and a frame's list
    of the records drawn pass it (the note itself stops at 100,000 characters)."""
    tags = ";".join(f"tag{number}" for number in range(30_000))
    assert len(tags) > 131_072
    evidence.record_note(
        visit, text="é" * 100_000, taken_at="2022-03-14T10:00", author="Jade Richards", tags=tags
    )
    records = [f"{number:04d} " + "case file " * 19 + "end" for number in range(700)]
    evidence.draw_sample(visit, "Case files", size=700, seed=1, records=records, criteria=["Seen"])
    first, second, rebuilt = round_trip(visit, tmp_path)
    with rebuilt:
        assert rebuilt.one("SELECT tags FROM note")[0] == tags  # type: ignore[index]
        assert rebuilt.one("SELECT COUNT(*) FROM sample_record")[0] == 700  # type: ignore[index]
    assert (first / "notes.csv").stat().st_size > 128 * 1024
    assert tree(first) == tree(second)


def test_a_visit_with_empty_tables_round_trips(tmp_path: Path) -> None:
    """An export writes a header alone for a table with no rows; it reads as no rows."""
    empty = visits.create_visit(
        tmp_path / "v.db", establishment="HMP Empty", start="2022-03-14", end="2022-03-16"
    )
    with empty:
        first, second, rebuilt = round_trip(empty, tmp_path)
        rebuilt.close()
    assert (first / "locations.csv").read_text() == "name,kind,capacity\n"
    assert tree(first) == tree(second)


def test_an_attachment_finds_its_note_after_notes_of_many_lines(
    visit: VisitFile, tmp_path: Path
) -> None:
    """attachments.csv names a note by its row in notes.csv: the line breaks of the notes
    before it (which move its line) do not move the attachment to another note."""
    from irp_field.api import attachments
    from irp_field.interchange import samples

    photograph = samples.sample_bundle() / "attachments" / "segregation-unit-exercise-bicycles.png"
    for minute, text in enumerate(["First,\nover\nthree lines.", "Second.", "Third."]):
        note = evidence.record_note(
            visit, text=text, taken_at=f"2022-03-14T10:0{minute}", author="Jade Richards"
        )
        if text == "Third.":
            attachments.attach(visit, photograph, caption="Bicycles", note=note)
    first, second, rebuilt = round_trip(visit, tmp_path)
    with rebuilt:
        found = rebuilt.one("SELECT n.text FROM attachment a JOIN note n ON n.id = a.target_id")
        assert found is not None and found["text"] == "Third."
    assert tree(first) == tree(second)


def test_a_value_with_a_lone_carriage_return_stays_one_value(
    visit: VisitFile, tmp_path: Path
) -> None:
    """csv quotes a value holding a line feed but not one holding a lone carriage return,
    which a reader takes for the end of the line: the row is quoted whole."""
    evidence.add_location(visit, "A wing", capacity=40)
    evidence.record_note(
        visit, text="Seen\rat ten", taken_at="2022-03-14T10:00", author="Jade Richards"
    )
    first, second, rebuilt = round_trip(visit, tmp_path)
    with rebuilt:
        assert rebuilt.one("SELECT text FROM note")[0] == "Seen\rat ten"  # type: ignore[index]
    assert b'"Seen\rat ten"' in (first / "notes.csv").read_bytes()
    assert tree(first) == tree(second)
