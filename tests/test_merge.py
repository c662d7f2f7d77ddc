"""Merging team files: the row rule, conflicts, refusals, snapshots and the commands."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import content, cp, file_hash

from irp_field.cli import main
from irp_field.core.clock import HybridClock, wall_clock_ms
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.replication.conflicts import open_conflicts, resolve
from irp_field.replication.merge import merge_visits


@pytest.fixture
def laptops(hull_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    return cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")


@pytest.fixture
def typed_here(tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder the command is typed in (the current one), beside a data folder whose
    visits folder exists."""
    from irp_field import paths

    here = tmp_path / "typed-here"
    here.mkdir()
    monkeypatch.chdir(here)
    paths.visits_folder(create=True)
    return here


def first_note(path: Path) -> str:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.one("SELECT id FROM note ORDER BY id LIMIT 1")
        assert row is not None
        return str(row["id"])


# Each laptop its own person: the same name on two laptops is one person on two laptops,
# which a merge questions when that person is the target's own (test_merge_trust.py).
PEOPLE = {"jade": "Jade Richards", "paul": "Paul Rowlands"}


def edit_note(path: Path, note_id: str, text: str, user: str | None = None) -> None:
    with (
        VisitFile.open(path, user=user or PEOPLE.get(path.stem, "x")) as visit,
        visit.transaction(),
    ):
        visit.update("note", note_id, {"text": text})


def test_new_rows_and_deletes_travel_both_ways(laptops: tuple[Path, Path]) -> None:
    jade, paul = laptops
    with VisitFile.open(jade, user=PEOPLE["jade"]) as visit, visit.transaction():
        visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": "Jade's new note on A wing"})
    with VisitFile.open(paul, user=PEOPLE["paul"]) as visit, visit.transaction():
        visit.delete("roll_check", visit.query("SELECT id FROM roll_check LIMIT 1")[0]["id"])
    report = merge_visits(jade, [paul])
    assert report.counts["roll_check"].deleted == 1
    merge_visits(paul, [jade])
    assert content(jade) == content(paul)
    again = merge_visits(jade, [paul])
    assert not again.changed


def test_concurrent_edits_keep_both_and_resolving_merges(laptops: tuple[Path, Path]) -> None:
    jade, paul = laptops
    note = first_note(jade)
    edit_note(jade, note, "Jade: staff said the regime was curtailed")
    edit_note(paul, note, "Paul: staff said the regime ran as planned")
    report = merge_visits(jade, [paul])
    assert report.counts["note"].conflicts == 1
    merge_visits(paul, [jade])
    with VisitFile.open(jade, user=PEOPLE["jade"]) as visit:
        [conflict] = open_conflicts(visit)
        texts = {conflict.current["text"], conflict.other["text"]}
        assert texts == {
            "Jade: staff said the regime was curtailed",
            "Paul: staff said the regime ran as planned",
        }
        resolve(visit, conflict.id[:8], conflict.other_version)
        assert visit.row("note", note)["text"] == conflict.other["text"]  # type: ignore[index]
    merge_visits(paul, [jade])
    with VisitFile.open(paul, readonly=True) as visit:
        assert open_conflicts(visit) == []
        assert visit.row("note", note)["text"] == conflict.other["text"]  # type: ignore[index]
    assert content(jade) == content(paul)


def test_an_edit_after_seeing_the_other_is_not_a_conflict(laptops: tuple[Path, Path]) -> None:
    jade, paul = laptops
    note = first_note(jade)
    edit_note(jade, note, "first")
    merge_visits(paul, [jade])
    edit_note(paul, note, "second, having seen the first")
    edit_note(paul, note, "third")
    report = merge_visits(jade, [paul])
    assert report.counts["note"].conflicts == 0
    assert report.counts["note"].updated == 1


def test_a_laptop_hours_ahead_does_not_win_later_edits(laptops: tuple[Path, Path]) -> None:
    jade, paul = laptops
    note = first_note(jade)
    with VisitFile.open(paul) as visit:
        visit._clock = HybridClock(visit.site_id, now_ms=lambda: wall_clock_ms() + 5 * 3600_000)
        with visit.transaction():
            visit.update("note", note, {"text": "from the fast laptop"})
    merge_visits(jade, [paul])
    edit_note(jade, note, "corrected on the master afterwards")
    merge_visits(paul, [jade])
    with VisitFile.open(paul, readonly=True) as visit:
        assert visit.row("note", note)["text"] == "corrected on the master afterwards"  # type: ignore[index]


def test_far_future_stamps_are_flagged(laptops: tuple[Path, Path]) -> None:
    jade, paul = laptops
    with VisitFile.open(paul) as visit:
        visit._clock = HybridClock(visit.site_id, now_ms=lambda: wall_clock_ms() + 3 * 86400_000)
        with visit.transaction():
            visit.insert(
                "note", {"taken_at": "2022-03-15T10:00", "text": "from a laptop three days ahead"}
            )
    before = file_hash(jade)
    # Refused by default, naming the file and the skew; the target is untouched.
    with pytest.raises(
        IrpError, match=r"paul\.db: 1 note row\(s\) stamped .* more than a day ahead"
    ):
        merge_visits(jade, [paul])
    assert file_hash(jade) == before
    # Taken when the team leader accepts the skew, and still flagged.
    report = merge_visits(jade, [paul], accept_clock_skew=True)
    assert any("in the future" in w for w in report.far_future)
    # The clock of the file that took them did not jump three days ahead.
    with VisitFile.open(jade, readonly=True) as visit:
        clock = visit.meta()["clock"]
    assert int(clock[:13]) <= wall_clock_ms() + 86400_000 + 60_000


def test_dry_run_writes_nothing(laptops: tuple[Path, Path]) -> None:
    jade, paul = laptops
    with VisitFile.open(paul) as visit, visit.transaction():
        visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": "new"})
    before = file_hash(jade)
    report = merge_visits(jade, [paul], dry_run=True)
    assert report.counts["note"].new == 1 and report.backup is None
    assert file_hash(jade) == before


def test_snapshots_keep_the_last_ten(laptops: tuple[Path, Path], irp_home: Path) -> None:
    jade, paul = laptops
    for n in range(12):
        with VisitFile.open(paul) as visit, visit.transaction():
            visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": f"note {n}"})
        merge_visits(jade, [paul])
    assert len(list((irp_home / "backups").glob("jade-*.db"))) == 10


def _refused(target: Path, source: Path, words: str) -> None:
    before = file_hash(target)
    result = CliRunner().invoke(main, ["merge", str(target), str(source)])
    assert result.exit_code == 1, result.output
    assert words in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert file_hash(target) == before


def test_refusals_leave_the_target_unchanged(
    laptops: tuple[Path, Path], tmp_path: Path, hull_template: Path
) -> None:
    jade, paul = laptops
    _refused(jade, jade, "is the target itself")
    other = VisitFile.create(
        tmp_path / "other.db",
        establishment="HMP Elsewhere",
        start_date="2026-01-01",
        end_date="2026-01-02",
    )
    other.close()
    _refused(jade, tmp_path / "other.db", "another visit")
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    _refused(jade, text, "not an SQLite database")
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(cp(paul, tmp_path / "t.db").read_bytes()[:5000])
    _refused(jade, truncated, "damaged")
    newer = cp(paul, tmp_path / "newer.db")
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    _refused(jade, newer, "newer irp-field")
    _refused(jade, tmp_path / "missing.db", "no such file")


def test_older_schema_source_is_migrated_in_a_copy(laptops: tuple[Path, Path]) -> None:
    jade, paul = laptops
    with VisitFile.open(paul) as visit, visit.transaction():
        visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": "from an older program"})
    conn = sqlite3.connect(paul)
    conn.execute("DROP TABLE note_draft")
    conn.execute("DROP TABLE finding_sync")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_sync_and_drafts'")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = file_hash(paul)
    report = merge_visits(jade, [paul])
    assert report.counts["note"].new == 1
    assert file_hash(paul) == before


def test_merge_and_conflicts_commands(laptops: tuple[Path, Path], tmp_path: Path) -> None:
    jade, paul = laptops
    third = cp(paul, tmp_path / "martin.db")
    note = first_note(jade)
    edit_note(jade, note, "Jade's version", user="Jade Richards")
    edit_note(paul, note, "Paul's version [sic] [/]", user="Paul Rowlands")  # not markup
    runner = CliRunner()
    dry = runner.invoke(main, ["merge", str(jade), str(paul), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output and "notes" in dry.output
    result = runner.invoke(main, ["merge", str(jade), str(paul), str(third)])
    assert result.exit_code == 0, result.output
    assert "Conflicts" in result.output and "Snapshot" in result.output
    listing = runner.invoke(main, ["conflicts", str(jade)], terminal_width=200)
    assert listing.exit_code == 0 and "Jade's version" in listing.output
    assert "Paul's version [sic] [/]" in listing.output
    assert "Jade Richards" in listing.output and "Paul Rowlands" in listing.output  # who
    with VisitFile.open(jade, readonly=True) as visit:
        [conflict] = open_conflicts(visit)
    assert {conflict.current_edit[0], conflict.other_edit[0]} == {"Jade Richards", "Paul Rowlands"}
    assert conflict.current_edit[1] and conflict.other_edit[1]  # when
    bad = runner.invoke(main, ["conflicts", str(jade), "--resolve", conflict.id, "--keep", "nope"])
    assert bad.exit_code == 1 and "--keep must name" in bad.output
    settled = runner.invoke(
        main, ["conflicts", str(jade), "--resolve", conflict.id, "--keep", conflict.other_version]
    )
    assert settled.exit_code == 0, settled.output
    assert "No open conflicts" in runner.invoke(main, ["conflicts", str(jade)]).output
    for args, code in (
        (["merge", str(jade)], 2),  # no file to merge: a usage error
        (["merge", "--help"], 0),
        (["conflicts", "--help"], 0),
    ):
        assert runner.invoke(main, args).exit_code == code, args


@pytest.mark.parametrize("named", ["master", "master.db"])
def test_a_new_master_named_bare_goes_into_the_visits_folder(
    laptops: tuple[Path, Path], typed_here: Path, named: str
) -> None:
    """A bare name means a file of the data folder (README): a merge's new master named
    so was written into the folder the command was typed in, where `irp-field open
    master` and the visits list never found it."""
    from irp_field import paths

    jade, paul = laptops
    result = CliRunner().invoke(main, ["merge", named, str(jade), str(paul)])
    assert result.exit_code == 0, result.output
    master = paths.visits_folder() / "master.db"
    assert master.is_file() and list(typed_here.iterdir()) == []
    opened = CliRunner().invoke(main, ["figures", "master", "--json"])
    assert opened.exit_code == 0, opened.output


@pytest.mark.parametrize("command", ["new", "merge"])
def test_a_file_named_in_the_current_folder_goes_there(
    laptops: tuple[Path, Path], typed_here: Path, command: str
) -> None:
    """``./master.db`` names a folder, the current one: the file goes there, not into
    the visits folder (pathlib reads ``./master.db`` as the bare ``master.db``, so it
    went into the data folder, and a second such file was refused as existing there)."""
    from irp_field import paths

    jade, paul = laptops
    made = ["new", "./master.db", "--establishment", "HMP Hull"]
    args = {
        "new": [*made, "--start", "2026-01-12", "--end", "2026-01-14"],
        "merge": ["merge", "./master.db", str(jade), str(paul)],
    }
    result = CliRunner().invoke(main, args[command])
    assert result.exit_code == 0, result.output
    assert (typed_here / "master.db").is_file()
    assert not (paths.visits_folder() / "master.db").exists()


def test_a_new_master_questions_nothing_its_own_laptop_wrote(
    tmp_path: Path, irp_home: Path
) -> None:
    """A team leader's visit made here merged into a new master made here, by the same
    person (the data folder's user): the master's first record was stamped in that
    person's name on the master's own laptop, so the visit's history of them on its own
    laptop read as borrowed ("a laptop this file has never merged") and was not taken.
    The master's first record is the merge's, a program's: nothing is questioned."""
    from irp_field.core.visit_file import default_user
    from irp_field.replication import provenance

    hull = tmp_path / "hull.db"
    with VisitFile.create(
        hull, establishment="HMP Hull", start_date="2026-12-07", end_date="2026-12-09",
        user=default_user(),
    ) as visit:  # fmt: skip
        visit.insert("location", {"name": "A wing", "capacity": 60})
    master = tmp_path / "master.db"
    result = CliRunner().invoke(main, ["merge", str(master), str(hull)])
    assert result.exit_code == 0, result.output
    assert "never merged" not in result.output and "Warning" not in result.output, result.output
    with VisitFile.open(master, readonly=True) as merged:
        assert open_conflicts(merged) == []
        makers = {row[0] for row in merged.query("SELECT DISTINCT changed_by FROM change_log")}
    assert default_user() in makers and provenance.MERGE_AUTHOR in makers, makers


def test_the_merge_table_shows_each_file_name_whole_at_80_columns(
    hull_path: Path, tmp_path: Path
) -> None:
    """Walking: at 80 columns the dry run's File column read "hull-jade-richar…" and
    "hull-paul-rowlan…", the one column a team leader reads the rest by."""
    names = ["hull-2022-jade-richards.db", "hull-2022-paul-rowlands.db"]
    for name in names:
        shutil.copyfile(hull_path, tmp_path / name)
    result = CliRunner().invoke(
        main,
        ["merge", str(tmp_path / "lead.db"), *(str(tmp_path / n) for n in names), "--dry-run"],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.output
    first_cells = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    folded = "".join(first_cells)  # a name folded over two lines reads whole in order
    for name in names:
        assert name in folded


def test_the_snapshots_path_is_printed_whole_at_80_columns(
    laptops: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rich broke the line "Snapshot before merging: .../backups/jade-2026...db" inside
    the path's time at 80 columns; a path copied from the screen then named no file."""
    jade, paul = laptops
    with VisitFile.open(paul) as visit, visit.transaction():
        visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": "one more"})
    monkeypatch.setenv("COLUMNS", "80")  # the width rich lays its lines out in
    result = CliRunner().invoke(main, ["merge", str(jade), str(paul)])
    assert result.exit_code == 0, result.output
    (said,) = [line for line in result.output.splitlines() if line.startswith("Snapshot before")]
    snapshot = Path(said.removeprefix("Snapshot before merging: "))
    assert len(said) > 80 and snapshot.is_file()
