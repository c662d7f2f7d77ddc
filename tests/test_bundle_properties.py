"""Property (issue 12): for random visits full of hostile text (headings, comments,
quotes, commas, line breaks, unicode, very long strings, formula-like text), export
as a bundle, ``irp-field new --from`` that bundle, export again: the two bundles are
byte-identical, with no normalisation at all."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_helpers import examples

from irp_field.api import attachments, evidence, findings, report_parts, visits
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.interchange import samples

PHOTOGRAPH = samples.sample_bundle() / "attachments" / "segregation-unit-exercise-bicycles.png"

HOSTILE = [
    "## 1.38",
    "# Title",
    "<!-- a comment -->",
    "-->",
    "~~~",
    '"',
    "'",
    ",",
    "=cmd()",
    "+SUM(A1)",
    "@x",
    "-1",
    "  ",
    "\\",
    "é",
    "中文",
    "\u2028",
    "😀",
    "<b>",
]
LINE_BREAKS = ["\n", "\r\n", "\n\n", "\t", "\r"]


# What no document can hold beyond the Cc and Cs categories (the noncharacters), which
# the text rules refuse on every way in (issue 20): not text a visit can hold.
NONCHARACTERS = "".join(
    chr(code)
    for code in (
        *range(0xFDD0, 0xFDF0),
        *(p << 16 | e for p in range(17) for e in (0xFFFE, 0xFFFF)),
    )
)


def _text(pieces: list[str], *, breaks: bool, avoid: str = "") -> st.SearchStrategy[str]:
    """Text built from hostile pieces and random characters (no control characters but,
    when ``breaks``, tabs and line breaks; no noncharacters; nothing from ``avoid``)."""
    free = st.text(
        st.characters(exclude_categories=("Cs", "Cc"), exclude_characters=avoid + NONCHARACTERS),
        max_size=12,
    )
    chosen = [p for p in pieces + (LINE_BREAKS if breaks else []) if not set(p) & set(avoid)]
    return (
        st.lists(st.one_of(st.sampled_from(chosen), free), min_size=1, max_size=8)
        .map("".join)
        .filter(lambda text: text.strip() != "")
    )


def _long(text: st.SearchStrategy[str], limit: int) -> st.SearchStrategy[str]:
    """Mostly short; now and then the text repeated to nearly ``limit`` characters."""
    repeated = text.map(lambda t: (t * (limit // len(t) + 1))[: limit - 1])
    return st.one_of(text, text, text, repeated).filter(lambda t: t.strip() != "")


def _name(avoid: str = "") -> st.SearchStrategy[str]:
    """A name by the name rules: one line, at most 200 characters, stored stripped."""
    return (
        _text(HOSTILE, breaks=False, avoid=avoid)
        .map(lambda t: t.strip()[:200].strip())
        .filter(bool)
    )


NOTE_TEXT = _long(_text(HOSTILE, breaks=True), 100_000)
PARAGRAPH = _long(_text(HOSTILE, breaks=True, avoid="{}"), 20_000)  # {} is template syntax
LIST_NAME = _name(avoid=";")  # names kept in ';'-separated lists


@dataclass
class Visit:
    team: list[tuple[str, str]]
    plan: list[tuple[str, str, str]]  # ref, text, why
    location: str
    period: tuple[str, str]  # a subject's pseudonym and group, for a period out of cell
    notes: list[tuple[str, list[str], int, str | None]]  # text, tags, minute, a caption
    frames: list[tuple[str, list[str], list[str]]]  # name, criteria, comments
    findings: list[tuple[int, str]]  # plan item index, text
    summary: list[str]
    term: tuple[str, str]
    label: str


def _unique(names: st.SearchStrategy[str], size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(names, min_size=1, max_size=size, unique_by=str.casefold)


@st.composite
def hostile_visits(draw: st.DrawFn) -> Visit:
    refs = draw(_unique(LIST_NAME, 3))
    frame = draw(LIST_NAME)
    return Visit(
        team=[(n, draw(_name())) for n in draw(_unique(_name(avoid=";"), 2))],
        plan=[(ref, draw(NOTE_TEXT), draw(_text(HOSTILE, breaks=True))) for ref in refs],
        location=draw(_name()),
        period=(draw(_name()), draw(_name())),
        notes=draw(
            st.lists(
                st.tuples(
                    NOTE_TEXT,
                    st.lists(LIST_NAME, max_size=3),
                    st.integers(0, 2),
                    st.none() | _name(),  # a photograph attached, with this caption
                ),
                max_size=3,
            )
        ),
        frames=[  # frames whose names give the same file name
            (name, draw(_unique(LIST_NAME, 2)), draw(st.lists(_text(HOSTILE, breaks=True))))
            for name in {
                n.casefold(): n for n in [frame, frame.upper() + "!", f"({frame})"]
            }.values()
        ][: draw(st.integers(0, 3))],
        findings=draw(st.lists(st.tuples(st.integers(0, len(refs) - 1), PARAGRAPH), max_size=4)),
        summary=draw(st.lists(PARAGRAPH, max_size=2)),
        term=(draw(_name()), draw(_text(HOSTILE, breaks=True))),
        label=draw(_name()),
    )


def _make(path: Path, shape: Visit) -> None:
    with visits.create_visit(
        path, establishment="HMP Test", start="2022-03-14", end="2022-03-16"
    ) as visit:
        for name, role in shape.team:
            evidence.add_team_member(visit, name, role=role)
        visit.user = shape.team[0][0]  # who records its period and paragraphs: on the team
        for ref, text, _ in shape.plan:
            evidence.add_plan_item(visit, ref, text=text, area="Safety")
        findings.judge(visit, shape.plan[0][0], "insufficient", shape.plan[0][2])
        evidence.add_location(visit, shape.location, capacity=40)
        evidence.record_period(
            visit,
            subject=shape.period[0],
            on_date="2022-03-15",
            group=shape.period[1],
            start="08:00",
            end="09:30",
            activity="Work",
        )
        author = shape.team[0][0]
        for text, tags, minute, caption in shape.notes:
            note = evidence.record_note(
                visit,
                text=text,
                taken_at=f"2022-03-14T10:0{minute}",
                author=author,
                tags=tags,
                plan_refs=[shape.plan[0][0]],
            )
            if caption is not None:  # attached by its row in notes.csv, after notes of many lines
                attachments.attach(visit, PHOTOGRAPH, caption=caption, note=note)
        _sample(visit, shape)
        for index, text in shape.findings:
            findings.add_paragraph(visit, shape.plan[index][0], text)
        for text in shape.summary:
            report_parts.add_paragraph(visit, text)
        report_parts.set_term(visit, *shape.term)
        evidence.record_data_return(
            visit, key="staff_trained", value=0.5, unit="proportion", label=shape.label
        )


def _sample(visit: VisitFile, shape: Visit) -> None:
    for name, criteria, comments in shape.frames:
        _, drawn, _ = evidence.draw_sample(
            visit, name, size=2, seed=2022, population=4, criteria=criteria
        )
        for number, comment in enumerate(comments):
            record, criterion = drawn[number % 2], criteria[number % len(criteria)]
            evidence.record_answer(visit, name, record, criterion, "yes", comment)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


@settings(
    max_examples=examples(60),  # about ten seconds
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_visits())
def test_export_new_from_export_is_byte_identical(shape: Visit) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        _make(work / "original.db", shape)
        _run(
            "export", str(work / "original.db"), "--format", "bundle", "--out", str(work / "first")
        )
        _run("new", str(work / "rebuilt.db"), "--from", str(work / "first"))
        _run(
            "export", str(work / "rebuilt.db"), "--format", "bundle", "--out", str(work / "second")
        )
        first, second = _tree(work / "first"), _tree(work / "second")
        assert first.keys() == second.keys()
        for name in first:
            assert first[name] == second[name], name
