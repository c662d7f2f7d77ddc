"""Who records each kind is held to the visit's team, by one rule (``domain.recorders``).

Roll checks and notes held their inspector or author to the team on every path; sample
answers, periods of time out of cell and findings paragraphs took a record from anyone,
so a leader who answered who-am-I "Not now" recorded them as the login name ("root").
The cases of the periods and answers on every path are in ``test_rules_everywhere.py``;
here are the paragraphs', the screens', a visit with no team yet, a bundle and the demo.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import cp
from tui_helpers import day_on_f6, hull_app, settle

from irp_field.api import findings as findings_api
from irp_field.api import time_out_of_cell
from irp_field.api.sampling import record_answer
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import InputError
from irp_field.domain.verdicts import WARN, RecordRefused
from irp_field.evidence import audit
from irp_field.interchange import samples
from irp_field.interchange.bundle import build_from_bundle
from irp_field.interchange.imports import import_csv
from irp_field.replication.merge import merge_visits

LOGIN = "Test Inspector"  # the login name in tests (IRP_FIELD_USER, conftest): not on the team
PERIOD = {"subject": "Z01", "on_date": "2022-03-15", "group": "Unemployed",
          "start": "09:00", "end": "10:00", "activity": "gym"}  # fmt: skip


def _count(path: Path, table: str) -> int:
    with VisitFile.open(path, readonly=True) as visit:
        return int(visit.one(f"SELECT COUNT(*) FROM {table} WHERE deleted = 0")[0])  # type: ignore[index]


def _recorder_findings(path: Path) -> list[audit.Found]:
    with VisitFile.open(path, readonly=True) as visit:
        return [f for f in audit.everything(visit) if "unknown team member" in f.verdict.message]


# -- a findings paragraph: the API, the command line, check and the merge ---------------


def test_a_paragraph_by_someone_not_on_the_team_is_refused_by_the_api(hull_path: Path) -> None:
    before = _count(hull_path, "finding")
    refused = pytest.raises(RecordRefused, match="unknown team member 'Nobody'")
    with VisitFile.open(hull_path, user="Nobody") as visit, refused:
        findings_api.add_paragraph(visit, "1.33", "Said so.")
    with VisitFile.open(hull_path, user="jade richards") as visit:  # a member, any case
        findings_api.add_paragraph(visit, "1.33", "Said so.")
    assert _count(hull_path, "finding") == before + 1


def test_findings_add_by_someone_not_on_the_team_is_refused(hull_path: Path) -> None:
    before = _count(hull_path, "finding")
    args = ["findings", "add", str(hull_path), "1.33", "Said so."]
    refused = CliRunner().invoke(main, [*args, "--by", "Nobody"])
    assert refused.exit_code != 0
    assert "Error: recorded by: unknown team member 'Nobody'" in refused.output
    assert _count(hull_path, "finding") == before
    taken = CliRunner().invoke(main, [*args, "--by", "Paul Rowlands"])
    assert taken.exit_code == 0, taken.output
    assert _count(hull_path, "finding") == before + 1


def test_a_stored_paragraph_by_a_stranger_is_warned_of_and_merged(
    hull_path: Path, tmp_path: Path
) -> None:
    """As a stored roll check by someone not on the team: ``check`` says so (WARN), and
    the merge keeps it (evidence is never lost)."""
    jade = cp(hull_path, tmp_path / "jade.db")
    paul = cp(hull_path, tmp_path / "paul.db")
    with VisitFile.open(paul, user="Paul Rowlands") as visit:
        paragraph = findings_api.add_paragraph(visit, "1.33", "Said by a stranger.")
    conn = sqlite3.connect(paul)  # a hand (or a member since taken off the team)
    with conn:
        conn.execute("UPDATE finding SET created_by = 'root' WHERE id = ?", (paragraph,))
    conn.close()
    said = [f for f in _recorder_findings(paul) if f.record[:2] == ("finding", paragraph)]
    assert [f.verdict.severity for f in said] == [WARN]
    assert said[0].verdict.field == "recorded_by"
    assert "unknown team member 'root': add them to the team" in said[0].verdict.message
    merge_visits(jade, [paul])
    with VisitFile.open(jade, readonly=True) as visit:
        row = visit.row("finding", paragraph)
    assert row is not None and row["created_by"] == "root" and not row["deleted"]


def test_stored_periods_and_answers_by_a_stranger_are_merged_and_warned_of(
    hull_path: Path, tmp_path: Path
) -> None:
    """The file from another laptop already holds them: merged, kept, and said."""
    jade = cp(hull_path, tmp_path / "jade.db")
    paul = cp(hull_path, tmp_path / "paul.db")
    with VisitFile.open(paul, user="Paul Rowlands") as visit:
        period = time_out_of_cell.record_period(visit, **PERIOD)
        answer = record_answer(visit, "Use of force records", "UoF-001", "Complete", "yes")
    conn = sqlite3.connect(paul)
    with conn:
        for table, row_id in (("toc_period", period), ("sample_answer", answer)):
            conn.execute(f"UPDATE {table} SET created_by = 'root' WHERE id = ?", (row_id,))
    conn.close()
    merge_visits(jade, [paul])
    said = {f.record[0]: f.verdict for f in _recorder_findings(jade)}
    assert said["toc_period"].severity == said["sample_answer"].severity == WARN
    with VisitFile.open(jade, readonly=True) as visit:
        for table, row_id in (("toc_period", period), ("sample_answer", answer)):
            row = visit.row(table, row_id)
            assert row is not None and not row["deleted"] and row["created_by"] == "root"


# -- a visit with no team yet (set up on site) takes records from anyone ---------------


def test_a_visit_with_no_team_yet_takes_every_kind_from_anyone(
    empty_visit: VisitFile, tmp_path: Path
) -> None:
    assert empty_visit.user == LOGIN
    time_out_of_cell.record_period(empty_visit, **PERIOD)
    sheet = tmp_path / "answers.csv"
    sheet.write_text("record,criterion,answer,comment\nR1,Complete,yes,\n", encoding="utf-8")
    import_csv(empty_visit, "sample", sheet, frame="Files", population=10)
    record_answer(empty_visit, "Files", "R2", "Complete", "no")
    assert not [f for f in audit.everything(empty_visit) if "team member" in f.verdict.message]
    assert _count(empty_visit.path, "sample_answer") == 2


# -- an import: whoever imports records every line -------------------------------------


def test_an_import_of_periods_by_someone_not_on_the_team_says_so_once(
    hull_path: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "periods.csv"
    rows = "".join(f"2022-03-15,Z0{n},Unemployed,09:00,10:00,gym\n" for n in range(1, 4))
    sheet.write_text("date,subject,group,start,end,activity\n" + rows, encoding="utf-8")
    before = _count(hull_path, "toc_period")
    with VisitFile.open(hull_path, user="root") as visit, pytest.raises(InputError) as refused:
        import_csv(visit, "time-out-of-cell", sheet)
    said = str(refused.value)
    assert said.startswith("periods.csv, column recorded_by: unknown team member 'root': ")
    assert "--by NAME" in said and "line" not in said.split(":")[0]
    assert said.count("unknown team member") == 1  # the file's, not each line's
    assert _count(hull_path, "toc_period") == before


# -- a bundle and the demo --------------------------------------------------------------


def test_the_sample_visit_built_for_the_demo_has_every_recorder_on_the_team() -> None:
    """``irp-field demo`` built the sample as "demo": every period, answer and paragraph
    was a stranger's. It is built as the visit's team leader now."""
    from irp_field.api.visits import demo_visit

    built = demo_visit()
    assert _recorder_findings(built) == []
    with VisitFile.open(built, readonly=True) as visit:
        team = {str(r[0]) for r in visit.query("SELECT name FROM team_member WHERE deleted = 0")}
        for table in ("toc_period", "sample_answer", "finding"):
            by = {str(r[0]) for r in visit.query(f"SELECT DISTINCT created_by FROM {table}")}
            assert by and by <= team, (table, by)


def test_a_bundle_is_built_by_anyone_and_check_names_a_stranger_s_records(
    tmp_path: Path,
) -> None:
    """A bundle carries back records made in its visit (as it carries dates confirmed
    there): built by a name not on its team, nothing is refused, and ``check`` says
    whose name its periods, answers and paragraphs carry."""
    built = build_from_bundle(samples.sample_bundle(), tmp_path / "hull.db", user="root")
    kinds = {f.record[0] for f in _recorder_findings(built)}
    assert kinds == {"toc_period", "sample_answer", "finding"}
    # irp-field new --from says so once, as it is built
    made = CliRunner().invoke(
        main, ["new", str(tmp_path / "again.db"), "--from", str(samples.sample_bundle()),
               "--by", "root"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "Warning: built by root, who is not on the bundle's team" in made.output
    by_a_member = CliRunner().invoke(
        main, ["new", str(tmp_path / "third.db"), "--from", str(samples.sample_bundle()),
               "--by", "Sara Pennington"],
    )  # fmt: skip
    assert "not on the bundle's team" not in by_a_member.output


# -- the screens: a leader who answered who-am-I "Not now" -----------------------------


def _said(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


NOT_ON_THE_TEAM = f"Not saved: {{field}} {LOGIN}, your login: not on the team (F2 ctrl+u: who am I)"


async def _not_now(pilot) -> None:  # type: ignore[no-untyped-def]
    from irp_field.tui.dialogs.who_am_i import WhoAmIScreen

    await settle(pilot)
    assert isinstance(pilot.app.screen, WhoAmIScreen)
    await pilot.press("escape")
    await settle(pilot)


async def test_f6_refuses_a_period_by_the_login_nobody_chose(hull_path: Path) -> None:
    before = _count(hull_path, "toc_period")
    app = hull_app(hull_path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await _not_now(pilot)
        await day_on_f6(pilot, "Z99", "2022-03-16")
        await pilot.press(*"Unemployed", "enter", *"8:00", "enter", *"8:45", "enter", *"gym")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert NOT_ON_THE_TEAM.format(field="Recorded by") in _said(app)
    assert _count(hull_path, "toc_period") == before


async def test_f5_refuses_an_answer_by_the_login_nobody_chose(hull_path: Path) -> None:
    from textual.widgets import DataTable

    from irp_field.tui.screens.sampling import SamplingScreen

    app = hull_app(hull_path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await _not_now(pilot)
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SamplingScreen) and screen.grid is not None
        table = screen.query_one("#grid", DataTable)
        table.focus()
        table.move_cursor(row=0, column=2, animate=False)
        await pilot.pause()
        record, criterion = screen.grid.records[0], screen.grid.criteria[0]
        old = screen.grid.cells[(record, criterion.id)].answer
        await pilot.press("n" if old == "yes" else "y")
        await settle(pilot)
        assert NOT_ON_THE_TEAM.format(field="Recorded by") in _said(app)
        assert screen.grid.cells[(record, criterion.id)].answer == old
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert not visit.query("SELECT 1 FROM change_log WHERE changed_by = ?", (LOGIN,))


async def test_f7_refuses_a_paragraph_by_the_login_nobody_chose(hull_path: Path) -> None:
    from irp_field.tui.screens.findings import FindingsScreen

    before = _count(hull_path, "finding")
    app = hull_app(hull_path, user="")
    async with app.run_test(size=(120, 40)) as pilot:
        await _not_now(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, FindingsScreen)
        await pilot.press("ctrl+n", *"Said so.", "ctrl+s")
        await settle(pilot)
        assert NOT_ON_THE_TEAM.format(field="Recorded by") in _said(app)
    assert _count(hull_path, "finding") == before


async def test_f3_says_it_in_the_same_words_naming_the_inspector(hull_path: Path) -> None:
    """What the roll checks showed ("Not saved: unknown team member 'root'") now reads
    as every kind's refusal does, naming its field."""
    from tui_helpers import EVENING

    from irp_field.tui.screens.roll_check import RollCheckScreen

    app = hull_app(hull_path, user="", now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        await _not_now(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, RollCheckScreen)
        for value in ("900", "400", "200", "100", "195"):
            await pilot.press(*value, "enter")
        await pilot.press("5", "ctrl+s")
        await settle(pilot)
        assert NOT_ON_THE_TEAM.format(field="Inspector") in _said(app)


def test_the_rule_s_words_name_the_field_of_every_kind() -> None:
    from irp_field.domain.recorders import RECORDERS, recorder_verdicts, refused_recorder

    team = {"jade richards": "Jade Richards"}
    for table, recorder in RECORDERS.items():
        [verdict] = recorder_verdicts(table, "root", team)
        found = refused_recorder([verdict])
        assert found is not None and (found.field, found.label) == (recorder.field, recorder.label)
        assert recorder_verdicts(table, "root", {}) == []  # no team yet: anyone
        assert recorder_verdicts(table, "JADE RICHARDS", team) == []
        [stored] = recorder_verdicts(table, "root", team, stored=True)
        assert stored.severity == WARN and refused_recorder([stored]) is None


async def test_f4_a_note_drafted_as_the_login_is_saved_once_who_am_i_is_answered(
    hull_path: Path,
) -> None:
    """The note editor refuses the login's note in the same words; the way they give
    (F2, ctrl+u, a name) then saves the draft as that member's. Walking, the draft kept
    the login as its author and was refused again, with no way on but typing it anew."""
    from irp_field.tui.dialogs.who_am_i import WhoAmIScreen
    from irp_field.tui.screens.note_editor import NoteEditorScreen

    before = _count(hull_path, "note")
    app = hull_app(hull_path, user="")
    async with app.run_test(size=(80, 24)) as pilot:
        await _not_now(pilot)
        await pilot.press("f4", "ctrl+n", *"Showers broken on B wing")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert NOT_ON_THE_TEAM.format(field="Author") in _said(app)
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press("f2", "ctrl+u")
        await settle(pilot)
        assert isinstance(app.screen, WhoAmIScreen)
        await pilot.press("enter")  # the first name
        await settle(pilot)
        member = app.user
        assert member != LOGIN
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _count(hull_path, "note") == before + 1
    with VisitFile.open(hull_path, readonly=True) as visit:
        row = visit.one("SELECT author FROM note WHERE text = 'Showers broken on B wing'")
    assert row is not None and row["author"] == member
