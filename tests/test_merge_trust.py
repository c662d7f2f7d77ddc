"""A merge trusts what a file holds, never what it says about itself (issue 20).

A file is skipped as "unchanged since it was last merged" only when its bytes are those
merged (never on its laptop's id and clock, which a copy shares); two rows claiming one
version with other values are a conflict naming the file and the record, never a
silent pick; and a history entry that contradicts what the target knows (a name from
another laptop, the target's own laptop's stamp, a base its laptop cannot have seen)
never rewrites what the target holds, nor its history. Honest work is never questioned.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from merge_helpers import cp

from irp_field.api import findings
from irp_field.cli import main
from irp_field.core.clock import HybridClock, wall_clock_ms
from irp_field.core.ids import keyed_id, uuid7
from irp_field.core.visit_file import VisitFile
from irp_field.replication.conflicts import open_conflicts, resolve
from irp_field.replication.merge import merge_visits

LEADER = "Sara Pennington"
GENUINE = "Wing manager said 14 men were on the regime plan."
HAND_MADE = "Wing manager said 4 men were on the regime plan."
UNIT = "1.33"  # a recommendation the sample judged "reasonable"
CLASH = "two different rows claim to be the same version"


def _write_note(path: Path, user: str, text: str, ahead_ms: int = 0) -> str:
    """A note typed on a laptop (its first write there gives the file its laptop id)."""
    with VisitFile.open(path, user=user) as visit:
        if ahead_ms:
            visit._clock = HybridClock(
                visit.site_id,
                visit.meta()["clock"],
                now_ms=lambda: wall_clock_ms() + ahead_ms,
            )
        with visit.transaction():
            return visit.insert(
                "note", {"taken_at": "2022-03-15T10:00", "text": text, "author": user}
            )


def _by_hand(path: Path, sql: str, params: tuple[Any, ...] = ()) -> None:
    """What a SQLite browser does: the row changes, its version and the file's meta stay."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(sql, params)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _texts_kept(path: Path, note: str) -> set[str]:
    """The note's text and every text an open conflict keeps of it."""
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.row("note", note)
        assert row is not None
        kept = {str(row["text"])}
        for other in visit.query(
            "SELECT other_row FROM conflict WHERE row_id = ? AND deleted = 0 AND resolved = 0",
            (note,),
        ):
            kept.add(json.loads(other["other_row"])["text"])
    return kept


def _meta(path: Path, key: str) -> str:
    with VisitFile.open(path, readonly=True) as visit:
        return visit.meta()[key]


def test_a_copy_changed_by_hand_and_merged_first_cannot_hide_the_genuine_file(
    hull_path: Path, tmp_path: Path
) -> None:
    master = cp(hull_path, tmp_path / "master.db")
    jade = cp(hull_path, tmp_path / "jade.db")
    note = _write_note(jade, "Jade Richards", GENUINE)
    copy = cp(jade, tmp_path / "copy-of-jade.db")  # the same laptop id and clock as Jade's
    _by_hand(copy, "UPDATE note SET text = ? WHERE id = ?", (HAND_MADE, note))
    merge_visits(master, [copy])
    report = merge_visits(master, [jade])
    assert report.unchanged == []  # its bytes are not those merged: read, not skipped
    assert _texts_kept(master, note) == {GENUINE, HAND_MADE}
    [line] = report.questioned
    assert line.startswith("jade.db: note by Jade Richards") and CLASH in line
    assert report.counts["note"].conflicts == 1
    with VisitFile.open(master, readonly=True) as visit:
        [conflict] = open_conflicts(visit)
    assert conflict.row_id == note and conflict.clash
    assert conflict.reason == f"{CLASH} (jade.db)"
    listing = CliRunner().invoke(main, ["conflicts", str(master)], terminal_width=200)
    assert listing.exit_code == 0, listing.output
    assert f"Why: {CLASH} (jade.db)" in listing.output
    # One stamp on both sides cannot say which to keep; the words can.
    stamp = conflict.other_version
    with VisitFile.open(master) as visit:
        with pytest.raises(Exception, match="carry the same stamp"):
            resolve(visit, conflict.id, stamp)
        resolve(visit, conflict.id, "kept" if conflict.current["text"] == GENUINE else "other")
    assert _texts_kept(master, note) == {GENUINE}
    assert merge_visits(master, [jade, copy]).conflicts == 0  # settled stays settled


def test_a_copy_changed_in_two_places_brings_both_changes_and_the_dry_run_says_so(
    hull_path: Path, tmp_path: Path
) -> None:
    master = cp(hull_path, tmp_path / "master.db")
    jade = cp(hull_path, tmp_path / "jade.db")
    first = _write_note(jade, "Jade Richards", "A wing: cells were clean.")
    second = _write_note(jade, "Jade Richards", "B wing: showers were broken.")
    merge_visits(master, [jade])
    # Two copies of Jade's file, each corrected by hand in a place of its own (no malice:
    # an analyst's typo fixed in one, Jade's in the other); both come back.
    one, two = cp(jade, tmp_path / "one.db"), cp(jade, tmp_path / "two.db")
    _by_hand(one, "UPDATE note SET text = 'A wing: cells were filthy.' WHERE id = ?", (first,))
    _by_hand(two, "UPDATE note SET text = 'B wing: showers worked.' WHERE id = ?", (second,))
    dry = merge_visits(master, [one, two], dry_run=True)
    said = CliRunner(env={"COLUMNS": "250"}).invoke(
        main, ["merge", str(master), str(one), str(two), "--dry-run"]
    )
    real = merge_visits(master, [one, two])
    assert real.unchanged == [] and real.conflicts == 2
    assert said.exit_code == 0, said.output
    for name in ("one.db", "two.db"):
        assert f"Warning: {name}: note by Jade Richards" in said.output
    assert said.output.count(CLASH) == 2
    assert _texts_kept(master, first) == {"A wing: cells were clean.", "A wing: cells were filthy."}
    assert _texts_kept(master, second) == {
        "B wing: showers were broken.",
        "B wing: showers worked.",
    }
    assert [line.split(":")[0] for line in real.questioned] == ["one.db", "two.db"]
    assert dry.questioned == real.questioned  # the dry run says exactly what the merge does
    assert dry.counts == real.counts and dry.unchanged == real.unchanged


def test_a_re_merge_skips_the_files_it_merged_and_never_one_changed_by_hand(
    hull_path: Path, tmp_path: Path
) -> None:
    jade, paul = cp(hull_path, tmp_path / "jade.db"), cp(hull_path, tmp_path / "paul.db")
    _write_note(jade, "Jade Richards", "Jade's note")
    note = _write_note(paul, "Paul Rowlands", GENUINE)
    master = tmp_path / "master.db"
    merge_visits(master, [jade, paul])
    again = merge_visits(master, [jade, paul])
    assert again.unchanged == [jade, paul] and not again.changed  # honest: skipped
    clock = _meta(paul, "clock")
    _by_hand(paul, "UPDATE note SET text = ? WHERE id = ?", (HAND_MADE, note))
    assert _meta(paul, "clock") == clock  # it says it is as it was
    dry = merge_visits(master, [jade, paul], dry_run=True)
    third = merge_visits(master, [jade, paul])
    assert third.unchanged == [jade]  # the skip of the changed file is refused
    assert third.conflicts == 1 and _texts_kept(master, note) == {GENUINE, HAND_MADE}
    assert (dry.unchanged, dry.counts, dry.questioned) == (
        third.unchanged,
        third.counts,
        third.questioned,
    )
    fourth = merge_visits(master, [jade, paul])  # now merged as it is: skipped again
    assert fourth.unchanged == [jade, paul] and not fourth.changed


# -- history entries: who made a version -------------------------------------------------


def _judge(path: Path, level: str, user: str, unit: str = UNIT) -> str:
    with VisitFile.open(path, user=user) as visit:
        findings.judge(visit, unit, level, None)
        row = visit.row("judgement", keyed_id(visit.visit_id, "judgement", unit))
        assert row is not None
        return str(row["version"])


def _judgement(path: Path) -> dict[str, Any]:
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.row("judgement", keyed_id(visit.visit_id, "judgement", UNIT))
        assert row is not None
        return row


def _forge_judgement(path: Path, level: str, version: str, base: str, author: str) -> None:
    """Re-stamp the judgement by hand and write a history entry saying ``author`` made
    the change from ``base``; the file's clock moves on, as irp-field's would."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        visit_id = conn.execute("SELECT value FROM meta WHERE key = 'visit_id'").fetchone()[0]
        row_id = keyed_id(visit_id, "judgement", UNIT)
        old = dict(conn.execute("SELECT * FROM judgement WHERE id = ?", (row_id,)).fetchone())
        new = {**old, "level": level, "version": version, "base_version": base}
        with conn:
            conn.execute(
                "UPDATE judgement SET level = ?, version = ?, base_version = ? WHERE id = ?",
                (level, version, base, row_id),
            )
            conn.execute(
                "INSERT INTO change_log (id, table_name, row_id, action, version, changed_by, "
                "changed_at, old, new) VALUES (?, 'judgement', ?, 'update', ?, ?, "
                "'2022-03-16T17:00:00Z', ?, ?)",
                (uuid7(), row_id, version, author, json.dumps(old), json.dumps(new)),
            )
            conn.execute("UPDATE meta SET value = max(value, ?) WHERE key = 'clock'", (version,))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _now_stamp(site: str, millis: int | None = None) -> str:
    return f"{millis if millis is not None else wall_clock_ms():013d}.000000.{site}"


@pytest.fixture
def team(hull_path: Path, tmp_path: Path) -> tuple[Path, Path, str]:
    """The master, on which the team leader judged 1.33 "insufficient", after merging
    Paul's laptop (so it knows who works on it); and the leader's version."""
    master = cp(hull_path, tmp_path / "master.db")
    paul = cp(hull_path, tmp_path / "paul.db")
    leaders = _judge(master, "insufficient", LEADER)
    _write_note(paul, "Paul Rowlands", "Paul's first note")
    assert merge_visits(master, [paul]).conflicts == 0
    return master, paul, leaders


def _questioned_and_kept(master: Path, source: Path, forged: str) -> str:
    """Merge ``source``: the leader's judgement stays, the forged one is a conflict, and
    the master's history never says the leader made it; the line naming it."""
    dry = merge_visits(master, [source], dry_run=True)
    report = merge_visits(master, [source])
    assert _judgement(master)["level"] == "insufficient"
    with VisitFile.open(master, readonly=True) as visit:
        [conflict] = open_conflicts(visit)
        history = visit.query("SELECT 1 FROM change_log WHERE version = ?", (forged,))
    assert conflict.other["level"] == "good" and conflict.other_version == forged
    assert history == []
    assert (dry.questioned, dry.counts) == (report.questioned, report.counts)
    assert source.name in conflict.reason and conflict.other_by == "not proven"
    [line] = report.questioned
    assert line.startswith(f"{source.name}: judgement of {UNIT}: ")
    assert "the version held here stays" in line
    return line


def test_a_history_naming_the_team_leader_on_another_laptop_is_questioned(
    team: tuple[Path, Path, str],
) -> None:
    master, paul, leaders = team
    forged = _now_stamp(_meta(paul, "site_id"))
    _forge_judgement(paul, "good", forged, leaders, LEADER)
    line = _questioned_and_kept(master, paul, forged)
    assert f"names '{LEADER}', who as far as this file knows works on another laptop" in line


def test_a_version_stamped_with_the_masters_own_laptop_id_is_questioned(
    team: tuple[Path, Path, str],
) -> None:
    master, paul, leaders = team
    forged = _now_stamp(_meta(master, "site_id"))
    _forge_judgement(paul, "good", forged, leaders, LEADER)
    line = _questioned_and_kept(master, paul, forged)
    assert "this file's own laptop made version" in line and "never made" in line


def test_an_edit_of_a_version_the_laptop_never_received_is_questioned(
    team: tuple[Path, Path, str], hull_path: Path, tmp_path: Path
) -> None:
    """A laptop the master has never seen (nothing to know its people by) says the
    leader edited the leader's version; it never received that version."""
    master, _, leaders = team
    martin = cp(hull_path, tmp_path / "martin.db")
    _write_note(martin, "Martin Lomas", "Martin's note")
    forged = _now_stamp(_meta(martin, "site_id"))
    _forge_judgement(martin, "good", forged, leaders, LEADER)
    line = _questioned_and_kept(master, martin, forged)
    assert f"edited version {leaders}" in line and "holds no trace" in line


def test_an_edit_dated_before_the_last_merge_of_a_version_not_received_then_is_questioned(
    hull_path: Path, tmp_path: Path
) -> None:
    """The master's record of Paul's laptop (its version vector entry) says it had not
    received the leader's version when last merged; an edit stamped before then, in
    Paul's own name, cannot be of that version."""
    master = cp(hull_path, tmp_path / "master.db")
    paul = cp(hull_path, tmp_path / "paul.db")
    leaders = _judge(master, "insufficient", LEADER)
    _write_note(paul, "Paul Rowlands", "Paul's note", ahead_ms=60_000)  # his clock past it
    merge_visits(master, [paul])
    merge_visits(paul, [master])  # now Paul's laptop holds the leader's version...
    back_dated = _now_stamp(_meta(paul, "site_id"), int(leaders[:13]) + 1)
    _forge_judgement(paul, "good", back_dated, leaders, "Paul Rowlands")
    line = _questioned_and_kept(master, paul, back_dated)
    assert "before this file last merged it, when that laptop had not received" in line


def test_honest_work_on_the_leaders_judgement_is_never_questioned(
    team: tuple[Path, Path, str], hull_path: Path, tmp_path: Path
) -> None:
    master, paul, _ = team
    # The master goes back to Paul's laptop; Paul changes the leader's judgement there.
    assert merge_visits(paul, [master]).questioned == []
    _judge(paul, "reasonable", "Paul Rowlands")
    # A laptop the master has never seen, given the master's file this morning.
    shaun = cp(master, tmp_path / "shaun.db")
    _judge(shaun, "insufficient", "Shaun Thomson", unit="1.35")
    report = merge_visits(master, [paul, shaun])
    assert report.questioned == [] and report.conflicts == 0
    assert _judgement(master)["level"] == "reasonable"
    # ...and the master back onto each laptop, as every evening.
    for laptop in (paul, shaun):
        back = merge_visits(laptop, [master])
        assert back.questioned == [] and back.conflicts == 0
    again = merge_visits(master, [paul, shaun])
    assert again.questioned == [] and again.conflicts == 0


def test_the_leaders_own_edit_from_a_laptop_never_merged_is_put_to_her_once(
    team: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """Her second laptop and a laptop pretending to be hers look the same to a merge (a
    name is a claim): an edit in the master's own person's name, of a record the master
    holds, from a laptop it has never merged, is kept as a conflict for her to settle,
    never taken on its word (issue 20); once settled it is not asked again."""
    master, _, leaders = team
    second = cp(master, tmp_path / "sara-laptop-two.db")
    _judge(second, "good", LEADER)
    report = merge_visits(master, [second])
    [line] = report.questioned
    assert "who works on this file's own laptop" in line and "never merged" in line
    assert line.startswith("sara-laptop-two.db: judgement of 1.33")
    assert _judgement(master)["level"] == "insufficient"  # hers stands until she says
    with VisitFile.open(master, user=LEADER) as visit:
        [conflict] = open_conflicts(visit)
        resolve(visit, conflict.id[:8], conflict.other_version)
    assert _judgement(master)["level"] == "good"
    back = merge_visits(second, [master])
    assert back.questioned == [] and back.conflicts == 0
    again = merge_visits(master, [second])
    assert again.questioned == [] and again.conflicts == 0
    assert _judgement(master)["level"] == _judgement(second)["level"] == "good"
    assert leaders != _judgement(master)["version"]


def test_a_file_of_thousands_of_clashes_is_named_in_bounded_words(
    hull_path: Path, tmp_path: Path
) -> None:
    master, jade = cp(hull_path, tmp_path / "master.db"), cp(hull_path, tmp_path / "jade.db")
    with VisitFile.open(jade, user="Jade Richards") as visit, visit.transaction():
        visit.insert_many(
            "note", ({"taken_at": "2022-03-15T10:00", "text": f"note {n}"} for n in range(150))
        )
    copy = cp(jade, tmp_path / "copy.db")
    _by_hand(copy, "UPDATE note SET text = text || ' (changed)' WHERE text LIKE 'note %'")
    merge_visits(master, [copy])
    report = merge_visits(master, [jade])
    assert report.conflicts == 150  # every one kept...
    assert len(report.questioned) == 101  # ...a hundred named, the rest counted
    assert report.questioned[-1].startswith("jade.db: 50 more versions questioned")
    with VisitFile.open(master, readonly=True) as visit:
        [(details,)] = visit.query(
            "SELECT new FROM change_log WHERE action = 'merge' ORDER BY version DESC LIMIT 1"
        )
        assert len(open_conflicts(visit)) == 150
    assert len(json.loads(details)["questioned"]) == 100
