"""The merge screen: a folder's files listed and checked, a dry run, then the merge,
which gives the same content as the CLI merge of the same files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import content, cp
from textual.widgets import DataTable, ProgressBar, Static
from tui_helpers import hull_app, paste, settle

from irp_field.api.merging import told_apart
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.tui.screens.merge import MergeScreen


def team_folder(hull_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The leader's file, and a 'USB stick' with two inspectors' edited copies, a file of
    another visit and a damaged file."""
    leader = cp(hull_path, tmp_path / "leader.db")
    stick = tmp_path / "usb"
    stick.mkdir()
    for name, who in (("jade.db", "Jade Richards"), ("paul.db", "Paul Rowlands")):
        copy = cp(hull_path, stick / name)
        with VisitFile.open(copy, user=who) as visit, visit.transaction():
            visit.insert(
                "note", {"taken_at": "2022-03-15T10:00", "text": f"{who}: new note on A wing"}
            )
            first = visit.query("SELECT * FROM roll_check ORDER BY id LIMIT 1")[0]
            moved = 1 if who.startswith("J") else 2  # moved to elsewhere: the roll adds up
            visit.update(
                "roll_check",
                first["id"],
                {"locked_up": first["locked_up"] - moved, "elsewhere": first["elsewhere"] + moved},
            )
    VisitFile.create(
        stick / "other.db",
        establishment="HMP Elsewhere",
        start_date="2026-01-12",
        end_date="2026-01-14",
    ).close()
    (stick / "broken.db").write_bytes(b"this is not a visit file" * 100)
    return leader, stick


async def _list(pilot, stick: Path) -> MergeScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f9")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MergeScreen)
    await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
    await paste(pilot, str(stick))
    await pilot.press("enter")
    await settle(pilot)
    return screen


def _cells(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def test_merging_from_the_screen_equals_the_cli_merge(
    hull_path: Path, tmp_path: Path
) -> None:
    leader, stick = team_folder(hull_path, tmp_path)
    by_cli = cp(leader, tmp_path / "by-cli.db")
    result = CliRunner().invoke(
        main, ["merge", str(by_cli), str(stick / "jade.db"), str(stick / "paul.db")]
    )
    assert result.exit_code == 0, result.output
    app = hull_app(leader)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _list(pilot, stick)
        files = {row[1]: row for row in _cells(screen.query_one("#files", DataTable))}
        assert files["jade.db"][0] == files["paul.db"][0] == "[x]"
        assert files["other.db"][2] == "HMP Elsewhere"  # the visit, in its own column
        assert files["other.db"][3] == "another visit: left out"
        assert "damaged or not a visit file" in files["broken.db"][3]
        await pilot.press("ctrl+d")
        await settle(pilot)
        dry = {row[0]: row[1:] for row in _cells(screen.query_one("#dry-run", DataTable))}
        # A line per file (what it brings that the files before it did not), then the
        # whole (issue 22: it was one block for them all).
        assert list(dry) == ["jade.db", "paul.db", "all 2 files"]
        assert dry["jade.db"] == ["1", "1", "0", "0", "roll checks 1, notes 1"]
        # Together the two files conflict, as the merge will say: paul.db's roll check.
        assert dry["paul.db"][:4] == ["1", "1", "0", "1"]
        assert dry["paul.db"][4] == "roll checks 1 (1 in conflict), notes 1"
        assert dry["all 2 files"][:4] == ["2", "2", "0", "1"]
        assert "would add 1 conflict" in str(screen.query_one("#outcome", Static).render())
        assert content(leader) == content(cp(hull_path, tmp_path / "untouched.db"))
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert screen.query_one("#progress", ProgressBar).percentage == 1.0
        outcome = str(screen.query_one("#outcome", Static).render())
        assert "Merged 2 file(s) into leader.db" in outcome and "1 new conflict" in outcome
        # The app's own connection sees the merged rows.
        notes = app.visit.query("SELECT text FROM note WHERE text LIKE '%new note on A wing'")
        assert len(notes) == 2
    assert content(leader) == content(by_cli)


async def test_the_open_file_is_never_listed(hull_path: Path) -> None:
    """The visit open here is what the files merge into: it was listed ("the target
    (open here)", never picked); walking, it read as one more file to merge. It is left
    out of the list, and a folder holding only it says so."""
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _list(pilot, hull_path.parent)
        files = [row[1] for row in _cells(screen.query_one("#files", DataTable))]
        shown = [n.message for n in app._notifications]
    assert hull_path.name not in files
    assert screen.chosen() == []
    assert f"Only {hull_path.name} there: the visit open here, which the files merge into." in shown


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_folder_named_lists_its_files_only_not_the_data_folders(
    hull_path: Path, tmp_path: Path, irp_home: Path, size: tuple[int, int]
) -> None:
    """Walked: after ctrl+l named a USB stick, F9's list still held the data folder's
    files (the visit open here, and a copy of it there, ticked). The data folder's files
    offered at the start give way to the folder named: its files alone are listed and
    picked, and never the visit open here."""
    visits = irp_home / "visits"
    visits.mkdir(exist_ok=True)
    leader = cp(hull_path, visits / "hull.db")
    cp(hull_path, visits / "hull-sara-pennington.db")  # a copy kept in the data folder
    leader_copy = visits / "hull-sara-pennington.db"
    _, stick = team_folder(hull_path, tmp_path)
    app = hull_app(leader)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MergeScreen)
        offered = [row[1] for row in _cells(screen.query_one("#files", DataTable))]
        assert offered == ["hull-sara-pennington.db"]  # the data folder: never the target
        await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
        await paste(pilot, str(stick))
        await pilot.press("enter")
        await settle(pilot)
        files = [row[1] for row in _cells(screen.query_one("#files", DataTable))]
        chosen = screen.chosen()
    assert files == ["broken.db", "jade.db", "other.db", "paul.db"]
    assert chosen == [stick / "jade.db", stick / "paul.db"]
    assert leader not in chosen and leader_copy not in chosen


@pytest.mark.parametrize(
    ("inside", "size"),
    [((), (80, 24)), (("visits",), (120, 40))],
    ids=["one name from two sticks", "one name in folders of one name"],
)
async def test_files_of_one_name_from_two_sticks_are_told_apart(
    hull_path: Path, tmp_path: Path, inside: tuple[str, ...], size: tuple[int, int]
) -> None:
    """Walking in tmux: jade.db from two USB sticks were listed as two rows 'jade.db';
    then two sticks each holding visits/jade.db were both listed as "visits/jade.db". A
    file is shown with as many of its folders as tell it apart, in F9's list and in the
    dry run's lines."""
    sticks = [tmp_path.joinpath("stick-1", *inside), tmp_path.joinpath("stick-2", *inside)]
    for stick in sticks:
        stick.mkdir(parents=True)
        shutil.copyfile(hull_path, stick / "jade.db")
    app = hull_app(hull_path)
    async with app.run_test(size=size) as pilot:
        screen = await _list(pilot, sticks[0])
        await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
        await paste(pilot, str(sticks[1]))
        await pilot.press("enter")
        await settle(pilot)
        names = [row[1] for row in _cells(screen.query_one("#files", DataTable))]
        await pilot.press("ctrl+d")
        await settle(pilot)
        dry = [row[0] for row in _cells(screen.query_one("#dry-run", DataTable))]
    told = [str(Path(stick, *inside, "jade.db")) for stick in ("stick-1", "stick-2")]
    assert [name for name in names if name.endswith("jade.db")] == told
    assert "jade.db" not in names
    assert dry[:2] == told


def test_a_list_of_files_shows_each_by_the_fewest_folders_that_tell_it_apart() -> None:
    paths = [
        Path("/media/a/visits/jade.db"),
        Path("/media/b/visits/jade.db"),
        Path("/media/b/visits/paul.db"),
        Path("/home/sara/paul.db"),
        Path("/home/sara/hull.db"),
    ]
    assert told_apart(paths) == {
        paths[0]: str(Path("a/visits/jade.db")),
        paths[1]: str(Path("b/visits/jade.db")),
        paths[2]: str(Path("visits/paul.db")),
        paths[3]: str(Path("sara/paul.db")),
        paths[4]: "hull.db",
    }
    assert told_apart([paths[0], paths[0]]) == {paths[0]: "jade.db"}  # one file named twice


async def test_the_dry_run_warns_of_one_round_started_on_two_laptops(
    hull_path: Path, tmp_path: Path
) -> None:
    """F9 said nothing when two laptops' "Tue AM" and "Tue am" became one round, renamed
    to the second: the dry run and the merge say which is kept (the leader's)."""
    from irp_field.evidence import rounds

    leader = cp(hull_path, tmp_path / "leader.db")
    stick = tmp_path / "usb"
    stick.mkdir()
    paul = cp(hull_path, stick / "paul.db")
    with VisitFile.open(leader, user="Sara Pennington") as visit:
        rounds.start_round(visit, "Tue AM extra", "2022-03-15", "10:00")
    with VisitFile.open(paul, user="Paul Rowlands") as visit:
        rounds.start_round(visit, "Tue am extra", "2022-03-15", "10:04")
    app = hull_app(leader)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _list(pilot, stick)
        await pilot.press("ctrl+d")
        await settle(pilot)
        outcome = " ".join(str(screen.query_one("#outcome", Static).render()).split())
        assert "paul.db: round 'Tue am extra' (2022-03-15 10:04) is this visit's" in outcome
        assert "'Tue AM extra' (2022-03-15 10:00), started on two laptops" in outcome
        await pilot.press("ctrl+e")
        await settle(pilot)
        outcome = " ".join(str(screen.query_one("#outcome", Static).render()).split())
        assert "kept 'Tue AM extra'" in outcome
    with VisitFile.open(leader, readonly=True) as visit:
        assert visit.one("SELECT name FROM roll_round WHERE name LIKE 'Tue am extra'")[0] == (
            "Tue AM extra"
        )


def test_the_records_in_words_wrap_between_kinds_and_within_one_too_long() -> None:
    """The dry run's Records column at 80x24 with a long file name leaves few columns:
    kinds go on a line each, and a kind longer than the room wraps (it was cut at the
    screen's edge)."""
    from irp_field.tui.screens.merge import _between_kinds

    lines = _between_kinds("roll checks 12 (3 in conflict), notes 1", 14)
    assert all(len(line) <= 14 for line in lines), lines
    assert " ".join(lines) == "roll checks 12 (3 in conflict), notes 1".replace(", ", " ")
    assert _between_kinds("rounds 1, notes 2", 20) == ["rounds 1, notes 2"]


async def test_both_tables_fit_80_columns_with_long_file_names(
    hull_path: Path, tmp_path: Path
) -> None:
    """A team leader's own file and handed-out copies have long names
    ("hmp-hull-2022-steve-oliver-watts.db"): at 80 columns the files' Status ("the target
    (open here)") and the dry run's Records ran past the right edge ("Reco", "noth").
    Both tables fit now; a long name is what gives up room."""
    leader = cp(hull_path, tmp_path / "hmp-hull-2022.db")
    stick = tmp_path / "usb-stick-of-the-team"
    stick.mkdir()
    for who in ("Steve Oliver-Watts", "Dr Vanessa Doel"):
        copy = cp(hull_path, stick / f"hmp-hull-2022-{who.lower().replace(' ', '-')}.db")
        with VisitFile.open(copy, user=who) as visit, visit.transaction():
            visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": f"{who}: a note"})
    app = hull_app(leader)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _list(pilot, stick)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.pause(0.2)
        for name in ("files", "dry-run"):
            table = screen.query_one(f"#{name}", DataTable)
            assert table.row_count > 0
            assert table.virtual_size.width <= table.scrollable_content_region.width, name
        dry = screen.query_one("#dry-run", DataTable)
        assert "Records" in dry.render_line(0).text
        assert "notes 1" in dry.render_line(1).text
