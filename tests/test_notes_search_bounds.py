"""Searching the notes (issue 20): a query FTS5 cannot read exits 1 in one line; a query
is bounded (its length, its words), so a hostile one cannot cost unbounded time; and one
holding what no text can hold is refused, not a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from irp_field.api.evidence import search_notes
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.domain import note_search
from irp_field.domain.errors import IrpError
from irp_field.tui.screens.notes import find_notes

QUERY_ERRORS = ['"unbalanced', "AND AND", "NEAR(a b", "nosuch:word", "*", "a NOT", "x OR"]


@pytest.mark.parametrize("query", QUERY_ERRORS)
def test_a_query_fts5_cannot_read_exits_1_in_one_line(hull_path: Path, query: str) -> None:
    result = CliRunner().invoke(main, ["notes", "search", str(hull_path), query])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: cannot search for {query!r}: ")


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("segregation " * 50, "the search is 600 characters; at most 500"),
        (" OR ".join(f"w{n}*" for n in range(40)), "the search has 40 words; at most 32"),
        ("seg\uffff", "the search holds U+FFFF"),
        ("seg\udcff", "the search holds U+DCFF"),  # a program's, not the command line's
    ],
)
def test_a_query_is_bounded_before_sqlite_reads_it(hull: VisitFile, query: str, said: str) -> None:
    with pytest.raises(IrpError, match=f"^cannot search: {re.escape(said)}"):
        search_notes(hull, query)


def test_a_query_at_the_bounds_still_searches(hull: VisitFile) -> None:
    words = " OR ".join(["NEWS2"] * note_search.SEARCH_TERMS)
    assert len(words) <= note_search.SEARCH_LIMIT
    assert [n for n in search_notes(hull, words) if "NEWS2" in n.text]


def test_the_command_line_and_the_notes_screen_say_so_in_one_line(hull_path: Path) -> None:
    result = CliRunner().invoke(main, ["notes", "search", str(hull_path), "x " * 300])
    assert result.exit_code == 1
    assert (
        result.output.strip() == "Error: cannot search: the search is 600 characters; at most 500"
    )
    with VisitFile.open(hull_path, readonly=True) as visit:
        found, problem = find_notes(visit, "seg " * 40)  # typed: each word a prefix
    assert found == [] and problem == "cannot search: the search has 40 words; at most 32"
