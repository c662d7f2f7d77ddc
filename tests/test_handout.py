"""Handing the set-up to each inspector: one copy per team member, named for them, each a
laptop of its own that knows its inspector (issue 22: it was documented nowhere)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Input, Label, Static
from textual.widgets._toast import Toast
from tui_helpers import hull_app, settle

from irp_field.api import identity
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.interchange.handout import file_name
from irp_field.replication.conflicts import open_conflicts
from irp_field.replication.merge import merge_visits
from irp_field.tui.dialogs.handout import HandoutScreen
from irp_field.tui.screens.dashboard import DashboardScreen
from irp_field.tui.screens.setup import SetupScreen


def _meta(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())
    finally:
        conn.close()


@pytest.fixture
def three(empty_visit: VisitFile) -> Path:
    """A visit set up on site: a team of three, one location, a note drafted."""
    from irp_field.evidence import setup

    setup.add_team_member(empty_visit, "Sara Pennington", role="Team leader", body="HMIP")
    setup.add_team_member(empty_visit, "Jade Richards", role="Inspector", body="HMIP")
    setup.add_team_member(empty_visit, "Siân Ó Briain", role="Inspector", body="Ofsted")
    setup.add_location(empty_visit, "A wing", kind="wing", capacity=120)
    with empty_visit.transaction():
        empty_visit.conn.execute(
            "INSERT INTO note_draft (id, author, text) VALUES ('d1', 'Sara Pennington', ?)",
            ("the leader's unsaved words about a prisoner",),
        )
    path = empty_visit.path
    empty_visit.close()
    return path


def test_file_names_are_the_visits_and_the_members() -> None:
    taken: set[str] = set()
    assert file_name("hull", "Jade Richards", taken) == "hull-jade-richards.db"
    assert file_name("hull", "Siân Ó Briain", taken) == "hull-sian-o-briain.db"
    assert file_name("hull", "Jade  RICHARDS", taken) == "hull-jade-richards-2.db"
    assert file_name("hull", "李", taken) == "hull-member.db"


def test_the_hand_back_is_named_as_the_hand_out_names_the_persons_copy(irp_home: Path) -> None:
    """Walking: the hand-out wrote hull-sam-leader.db, and the hand-back (b on the
    overview) offered hull-sam_leader.age: two names for one person's file. Now one rule
    (``wording.person_file_stem``) names both, and the hand-back of a copy handed out to
    its inspector keeps the copy's name (not hull-jade-richards-jade-richards.age)."""
    from irp_field.tui.dialogs.handback import suggested_out

    for person in ("Sam Leader", "Siân Ó Briain", "Dr Vanessa Doel", "李"):
        handed_out = Path(file_name("hull", person, set()))
        handed_back = suggested_out(Path("/stick/hull.db"), person)
        assert handed_back.name == f"{handed_out.stem}.age"
    assert suggested_out(Path("/stick/hull.db"), "Sam Leader").name == "hull-sam-leader.age"
    for copy in ("hull-jade-richards.db", "hull-jade-richards-2.db"):
        handed_back = suggested_out(Path("/stick") / copy, "Jade Richards")
        assert handed_back.name == copy.replace(".db", ".age")
    # a copy handed to another, handed back by Jade: named for both
    assert (
        suggested_out(Path("/stick/hull-sara-pennington.db"), "Jade Richards").name
        == "hull-sara-pennington-jade-richards.age"
    )


def test_handout_writes_a_copy_per_member_each_a_laptop_of_its_own(
    three: Path, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    result = CliRunner().invoke(main, ["handout", str(three), "--out", str(stick)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in stick.iterdir())
    assert names == ["empty-jade-richards.db", "empty-sara-pennington.db", "empty-sian-o-briain.db"]
    assert f"Wrote {stick / 'empty-jade-richards.db'} for Jade Richards" in result.output
    # The team leader is told which file is theirs from now on: the visit, not a copy.
    assert result.output.splitlines()[-1] == (
        "You go on working in empty.db itself, not in a copy (nor the one named for you): "
        "irp-field merge empty COPY... merges the copies back into it each evening."
    )
    sites = {_meta(three)["site_id"]}
    for name, member in (
        ("empty-jade-richards.db", "Jade Richards"),
        ("empty-sian-o-briain.db", "Siân Ó Briain"),
    ):
        meta = _meta(stick / name)
        assert meta["handed_to"] == member
        assert meta["visit_id"] == _meta(three)["visit_id"]
        sites.add(meta["site_id"])
        assert (stick / name).stat().st_mode & 0o077 == 0  # the visit's privacy
    assert len(sites) == 3  # none shares the master's laptop id, nor another's
    # Opened on another laptop, each knows its inspector.
    with VisitFile.open(stick / "empty-jade-richards.db") as visit:
        assert identity.handed_to(visit) == "Jade Richards"
        assert [r["name"] for r in visit.query("SELECT name FROM location")] == ["A wing"]
        assert visit.query("SELECT id FROM note_draft") == []  # the leader's stay with her
    with VisitFile.open(three, readonly=True) as visit:
        assert len(visit.query("SELECT id FROM note_draft")) == 1


def test_handout_is_all_or_nothing_and_never_over_a_visit(three: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["handout", str(three), "--out", str(tmp_path / "nope")])
    assert missing.exit_code == 1
    assert "no such folder; make it first" in missing.output
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "empty-sian-o-briain.db").write_text("yesterday's list")
    refused = runner.invoke(main, ["handout", str(three), "--out", str(stick)])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "empty-sian-o-briain.db" in refused.output and "already exists" in refused.output
    assert sorted(p.name for p in stick.iterdir()) == ["empty-sian-o-briain.db"]
    (stick / "empty-sian-o-briain.db").unlink()
    assert runner.invoke(main, ["handout", str(three), "--out", str(stick)]).exit_code == 0
    again = runner.invoke(main, ["handout", str(three), "--out", str(stick)])
    assert again.exit_code == 1 and "never writes over one" in again.output


def test_handed_out_copies_merge_back_without_a_conflict(three: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    assert CliRunner().invoke(main, ["handout", str(three), "--out", str(stick)]).exit_code == 0
    copies = sorted(stick.iterdir())
    for copy in copies:
        with VisitFile.open(copy, user=_meta(copy)["handed_to"]) as visit, visit.transaction():
            visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": f"note from {copy.name}"})
    report = merge_visits(three, copies)
    assert report.counts["note"].new == 3 and report.conflicts == 0
    with VisitFile.open(three, readonly=True) as visit:
        assert open_conflicts(visit) == []


async def test_a_handed_out_copy_opens_as_its_inspector(three: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    assert CliRunner().invoke(main, ["handout", str(three), "--out", str(stick)]).exit_code == 0
    app = hull_app(stick / "empty-jade-richards.db", user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)  # who-am-I answered
        assert app.user == "Jade Richards"
    with VisitFile.open(stick / "empty-jade-richards.db", readonly=True) as visit:
        assert identity.who_am_i(visit) == "Jade Richards"  # and kept on this laptop


async def test_a_copy_handed_to_another_says_so_and_who_you_are(
    three: Path, tmp_path: Path
) -> None:
    """The team leader, known on this laptop, opens Jade's copy: she stays the team
    leader there, and is told whose copy it is and who she is ("This copy was handed to
    Jade Richards; you are Sara Pennington"). On the code before, nothing said so."""
    stick = tmp_path / "stick"
    stick.mkdir()
    assert CliRunner().invoke(main, ["handout", str(three), "--out", str(stick)]).exit_code == 0
    with VisitFile.open(three) as visit:
        identity.set_me(visit, "Sara Pennington")  # answered in her own file
    app = hull_app(stick / "empty-jade-richards.db", user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.user == "Sara Pennington"
        said = [message for _, message in app.recent_messages]
        assert any(
            m.startswith("This copy was handed to Jade Richards; you are Sara Pennington")
            and "ctrl+u" in m
            for m in said
        ), said
    # Her own file says nothing of the kind; nor does Jade's copy opened as Jade.
    for path, user in ((three, ""), (stick / "empty-jade-richards.db", "Jade Richards")):
        app = hull_app(path, user=user)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert not [m for _, m in app.recent_messages if "handed to" in m]


async def test_the_warning_of_a_copy_handed_to_another_fits_the_header_line(
    three: Path, tmp_path: Path
) -> None:
    """Walking in tmux at 120 columns, the warning was cut with "…" before it said what
    ctrl+u changes (messages take the header's one line, cut at its end)."""
    stick = tmp_path / "stick"
    stick.mkdir()
    assert CliRunner().invoke(main, ["handout", str(three), "--out", str(stick)]).exit_code == 0
    with VisitFile.open(three) as visit:
        identity.set_me(visit, "Sara Pennington")
    app = hull_app(stick / "empty-jade-richards.db", user="")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        shown = [t for t in app.screen.query(Toast) if t.display and t.parent.display]
        [toast] = [t for t in shown if "handed to" in str(t.render())]
        said = str(toast.render())
        assert said.endswith("(ctrl+u if not: this file only).")
        assert len(said) + 2 <= toast.region.width == 120  # its padding either side


async def test_who_you_are_in_a_copy_leaves_the_leaders_own_file_alone(
    three: Path, tmp_path: Path
) -> None:
    """On one laptop, the team leader says who she is in her file, then opens Jade's copy
    and answers ctrl+u there as Jade (trying the copy out): her own file still knows her
    as Sara. And a copy opened here before her own file was answered for leaves it to be
    asked. On the code before, who-am-I was kept per visit, which the copies share: both
    times her own file took Jade's name."""
    from textual.widgets import OptionList

    from irp_field.tui.dialogs.who_am_i import WhoAmIScreen

    stick = tmp_path / "stick"
    stick.mkdir()
    assert CliRunner().invoke(main, ["handout", str(three), "--out", str(stick)]).exit_code == 0
    jade, sian = stick / "empty-jade-richards.db", stick / "empty-sian-o-briain.db"
    # A copy first: it is its inspector's, and her own file is still to be asked.
    async with hull_app(sian, user="").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pilot.app.user == "Siân Ó Briain"  # type: ignore[attr-defined]
    with VisitFile.open(three, readonly=True) as visit:
        assert identity.who_am_i(visit) == ""
    with VisitFile.open(three) as visit:
        identity.set_me(visit, "Sara Pennington")
    app = hull_app(jade, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.user == "Sara Pennington"
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert isinstance(app.screen, WhoAmIScreen)
        options = app.screen.query_one(OptionList)
        # the options: "+ Not on the list" first, then the names
        options.highlighted = 1 + app.screen.members.index("Jade Richards")
        await pilot.press("enter")
        await settle(pilot)
        assert app.user == "Jade Richards"
    with VisitFile.open(jade, readonly=True) as visit:
        assert identity.who_am_i(visit) == "Jade Richards"
    with VisitFile.open(three, readonly=True) as visit:
        assert identity.who_am_i(visit) == "Sara Pennington"
    async with hull_app(three, user="").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pilot.app.user == "Sara Pennington"  # type: ignore[attr-defined]


async def test_the_setup_screen_hands_out_the_copies(three: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    app = hull_app(three, user="Sara Pennington")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")  # her unsaved note, offered back: not now
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, HandoutScreen)
        dialog.query_one("#handout-folder", Input).value = str(stick)
        await pilot.press("enter")
        await settle(pilot)
        said = str(dialog.query_one("#handout-written", Static).render())
        assert "Wrote 3 copies" in said and "empty-jade-richards.db  for Jade Richards" in said
        # which file the team leader goes on in (a walker could not tell)
        assert said.startswith("You go on working in empty.db itself, not in a copy (nor")
        keys = str(dialog.query_one("#handout-keys", Label).render())
        assert "Escape: close" in keys and "Enter: write them" not in keys, keys
    assert len(list(stick.iterdir())) == 3


def test_the_command_line_records_on_a_copy_as_its_inspector(
    three: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jade's copy on her laptop, used from the command line with no --by: an import into
    it carried the login's name ("root", on no team), which the app never wrote; the
    copy knows its inspector, and so does every command that writes it."""
    stick = tmp_path / "usb"
    stick.mkdir()
    assert CliRunner().invoke(main, ["handout", str(three), "--out", str(stick)]).exit_code == 0
    (copy,) = stick.glob("*-jade-richards.db")  # named after the visit's file and Jade
    monkeypatch.delenv("IRP_FIELD_USER", raising=False)  # nobody says who records
    monkeypatch.setenv("LOGNAME", "root")
    monkeypatch.setenv("USER", "root")
    monkeypatch.setenv("USERNAME", "root")
    sheet = tmp_path / "tue.csv"
    sheet.write_text(
        "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,elsewhere\n"
        "2022-03-15T10:00,A wing,100,60,20,10,10,0\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", str(copy), "roll-checks", str(sheet)])
    assert result.exit_code == 0, result.output
    with VisitFile.open(copy, readonly=True) as visit:
        row = visit.one("SELECT inspector, created_by FROM roll_check WHERE deleted = 0")
    # the sheet names no inspector: the check is its recorder's, Jade's (created_by)
    assert row is not None and (row["inspector"], row["created_by"]) == ("", "Jade Richards")
