"""The conflicts screen: both versions side by side; keeping one or combining settles it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from merge_helpers import cp
from textual.widgets import DataTable, Static
from tui_helpers import hold_still, hull_app, settle

from irp_field.core.visit_file import VisitFile
from irp_field.replication.conflicts import open_conflicts
from irp_field.replication.merge import merge_visits
from irp_field.tui.screens.conflicts import ConflictsScreen

JADE = "Jade: staff said the regime was curtailed"
PAUL = "Paul: staff said the regime ran as planned"


@pytest.fixture
def conflicted(hull_path: Path, tmp_path: Path) -> tuple[Path, str]:
    """Jade's file after merging Paul's, both having edited the same note."""
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    with VisitFile.open(jade, readonly=True) as visit:
        note = str(visit.query("SELECT id FROM note ORDER BY id LIMIT 1")[0]["id"])
    for path, text, who in ((jade, JADE, "Jade Richards"), (paul, PAUL, "Paul Rowlands")):
        with VisitFile.open(path, user=who) as visit, visit.transaction():
            visit.update("note", note, {"text": text})
    assert merge_visits(jade, [paul]).counts["note"].conflicts == 1
    return jade, note


def _note(path: Path, note: str) -> tuple[str, int]:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.row("note", note)
        assert row is not None
        return str(row["text"]), len(open_conflicts(visit))


async def _open(pilot) -> ConflictsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f10")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConflictsScreen)
    return screen


async def test_keeping_the_other_version_settles_the_conflict(
    conflicted: tuple[Path, str],
) -> None:
    path, note = conflicted
    app = hull_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _open(pilot)
        [conflict] = screen.conflicts
        sides = {
            str(screen.query_one("#current", Static).render()),
            str(screen.query_one("#other", Static).render()),
        }
        joined = "\n".join(sides)
        assert JADE in joined and PAUL in joined
        assert "Jade Richards" in joined and "Paul Rowlands" in joined
        # The record in the team's words, not a table name and an id.
        listed = str(screen.query_one("#conflict-list", DataTable).get_row_at(0)[0])
        assert listed.startswith("note by ") and conflict.row_id[:8] not in listed
        assert "version 1" not in joined  # no raw stamps on screen
        keep_other = conflict.other["text"]
        await pilot.press("o")
        await settle(pilot)
        assert screen.conflicts == []
        assert "No open conflicts" in str(screen.query_one("#current", Static).render())
    assert _note(path, note) == (keep_other, 0)


async def test_a_combined_version_is_written_and_settles_it(conflicted: tuple[Path, str]) -> None:
    path, note = conflicted
    app = hull_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await _open(pilot)
        await pilot.press("c")
        await pilot.press("ctrl+a", "ctrl+k", "ctrl+k", "ctrl+k")  # clear the two lines
        await pilot.press(*"Staff disagreed about the regime")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _note(path, note) == ("Staff disagreed about the regime", 0)


def test_the_words_that_differ_are_marked_on_each_side() -> None:
    from irp_field.tui.screens.conflicts import _marked

    ours = _marked("staff said the regime was curtailed", "staff said the regime ran as planned")
    marked = [ours.plain[s.start : s.end] for s in ours.spans if "underline" in str(s.style)]
    assert ours.plain == "staff said the regime was curtailed"
    assert marked == ["was curtailed"]
    same = _marked("no change here", "no change here")
    assert not [s for s in same.spans if "underline" in str(s.style)]
    assert _marked(3, 4).plain == "3"  # a number that differs is marked whole
    assert "[b]" in _marked("[b] wing", "B wing").plain  # typed text is never markup


async def test_a_long_note_in_conflict_scrolls_at_80x24(hull_path: Path, tmp_path: Path) -> None:
    """Both inspectors added to the end of a long note: the difference is at its end,
    below what the side shows at 80x24; Tab reaches the side and the arrows scroll it."""
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    long = " ".join(f"sentence {n} of what was seen on A wing." for n in range(40))
    with VisitFile.open(jade, readonly=True) as visit:
        note = str(visit.query("SELECT id FROM note ORDER BY id LIMIT 1")[0]["id"])
    for path, who in ((jade, "Jade Richards"), (paul, "Paul Rowlands")):
        with VisitFile.open(path, user=who) as visit, visit.transaction():
            visit.update("note", note, {"text": f"{long} Checked again by {who}."})
    merge_visits(jade, [paul])
    app = hull_app(jade)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        side = screen.query_one("#current-side")
        assert side.max_scroll_y > 0  # the note is longer than the side
        await pilot.press("tab")
        await settle(pilot)
        assert side.has_focus
        await pilot.press("end")
        await settle(pilot)
        assert side.scroll_y == side.max_scroll_y > 0
        shown = str(screen.query_one("#current", Static).render())
        assert "Checked again by" in shown


async def test_two_rows_claiming_one_version_are_shown_with_why_and_settled_by_a_key(
    hull_path: Path, tmp_path: Path
) -> None:
    """A copy of Jade's file changed by hand (the note's version kept) was merged before
    her own file: F10 shows why both are kept and from which file, and k settles it
    (both sides carry one stamp, which cannot say which to keep)."""
    master, jade = cp(hull_path, tmp_path / "master.db"), cp(hull_path, tmp_path / "jade.db")
    with VisitFile.open(jade, user="Jade Richards") as visit, visit.transaction():
        note = visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": JADE})
    copy = cp(jade, tmp_path / "copy.db")
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE note SET text = ? WHERE id = ?", (PAUL, note))
    conn.close()
    merge_visits(master, [copy])
    merge_visits(master, [jade])
    app = hull_app(master)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _open(pilot)
        [conflict] = screen.conflicts
        other = str(screen.query_one("#other", Static).render())
        assert "two different rows claim to be the same version (jade.db)" in other
        kept = conflict.current["text"]
        await pilot.press("k")
        await settle(pilot)
        assert screen.conflicts == []
    assert _note(master, note) == (kept, 0)


async def test_the_list_shows_both_names_and_what_differs_at_80x24(
    conflicted: tuple[Path, str],
) -> None:
    """At 80 columns the list's every column is on screen: the record (cut with "…"),
    who made the version kept now, who made the other, and what differs. The other's
    name and "Differs in" ran past the right edge (a sideways scroll the walker never
    found), behind "Jade Richards, 7 December 16:35"."""
    path, _ = conflicted
    app = hull_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await hold_still(pilot)
        table = app.screen.query_one("#conflict-list", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        heading, row = table.render_line(0).text, table.render_line(1).text
        for column in ("Record", "Kept now", "Other", "Differs in"):
            assert column in heading
        assert "Jade Richards" in row and "Paul Rowlands" in row and row.rstrip().endswith("text")
        assert "note by " in row and "…" in row  # the record gave up the room
        # When each was made is on its side, whole.
        sides = str(app.screen.query_one("#current", Static).render())
        sides += str(app.screen.query_one("#other", Static).render())
        assert sides.count(", ") >= 2 and "Paul Rowlands, " in sides


async def test_each_side_names_the_record_whole_at_80x24(hull_path: Path, tmp_path: Path) -> None:
    """The list cuts a record's name at 80 columns and the sides named nothing: each side
    says, whole, which record it is a version of ("roll check of A wing, Wed AM round,
    16 March 10:05"), above who made it."""
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    with VisitFile.open(jade, readonly=True) as visit:
        check = str(
            visit.query(
                "SELECT c.id FROM roll_check c JOIN location l ON l.id = c.location_id "
                "JOIN roll_round r ON r.id = c.round_id "
                "WHERE l.name = 'Health care unit' AND r.name = 'Wed AM'"
            )[0]["id"]
        )
    for path, who, note in ((jade, "Jade Richards", "recount"), (paul, "Paul Rowlands", "x")):
        with VisitFile.open(path, user=who) as visit, visit.transaction():
            visit.update("roll_check", check, {"note": note})
    assert merge_visits(jade, [paul]).counts["roll_check"].conflicts == 1
    app = hull_app(jade)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await hold_still(pilot)
        (conflict,) = app.screen.conflicts
        assert conflict.what.startswith("roll check of Health care unit, Wed AM round, ")
        listed = app.screen.query_one("#conflict-list", DataTable).render_line(1).text
        assert conflict.what not in listed  # cut in the list, to keep the names in view
        sides = []
        for side, title in (("#current", "Kept now: "), ("#other", "Other: ")):
            said = " ".join(str(app.screen.query_one(side, Static).render()).split())
            assert said.startswith(f"{conflict.what} {title}"), said
            sides.append(said)
        assert "Jade Richards, " in " ".join(sides) and "Paul Rowlands, " in " ".join(sides)
