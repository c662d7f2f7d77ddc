"""A purge travels by merge (issue 21): a laptop or a master that merges a file carrying
one purges its own copy and its snapshots; a file that still holds the content never
brings it back, in any order; an edit made elsewhere without the purge does not live
(a conflict says so, without its content); a record written on top of the purge (a
roll check counted again) does. A purge from elsewhere is a command to delete content:
one that breaks the rules refuses the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from merge_helpers import content, cp
from test_purge import NAME, files_under, held, run

from irp_field import api
from irp_field.api import purges
from irp_field.api.notes import draft_of_note, save_note
from irp_field.core.clock import wall_clock_ms
from irp_field.core.visit_file import VisitFile
from irp_field.domain.purges import MOST_PER_FILE

EDIT = "Grizzlewickhampton"  # typed on a laptop into the note while it was purged
FRESH = "Pennyroyalcount"  # a roll check's note, typed after the check was purged


def _note(path: Path, text: str = f"Told by {NAME}") -> str:
    with VisitFile.open(path, user="Jade Richards") as visit:
        return api.record_note(visit, text=text, taken_at="2022-03-14T11:00")


def _edit(path: Path, note_id: str, text: str, user: str = "Paul Rowlands") -> None:
    import dataclasses

    with VisitFile.open(path, user=user) as visit:
        save_note(visit, dataclasses.replace(draft_of_note(visit, note_id, user), text=text))


def _photograph(path: Path) -> bytes:
    """Bytes from the middle of the sample's stored photograph (found nowhere else)."""
    with VisitFile.open(path, readonly=True) as visit:
        row = visit.one("SELECT content FROM attachment_file WHERE deleted = 0")
        assert row is not None
        return bytes(row[0])[1000:1064]


def _purge(path: Path, kind: str, record: str, reason: str = "wrong note") -> str:
    code, said = run("purge", str(path), kind, record, "--reason", reason)
    assert code == 0, said
    return said


def test_a_laptop_that_merges_a_purge_purges_its_copy_and_its_snapshots(
    hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    master_home, laptop_home = tmp_path / "leader", tmp_path / "jade"
    note_id = _note(hull_path)
    laptop = cp(hull_path, tmp_path / "jade.db")
    _note(hull_path, "Wing quiet")  # news for the laptop: its merge takes a snapshot
    monkeypatch.setenv("IRP_FIELD_HOME", str(laptop_home))
    assert run("merge", str(laptop), str(hull_path))[0] == 0
    assert held(files_under(laptop_home), [NAME])  # its snapshot holds the note
    photo = _photograph(hull_path)
    assert held(files_under(laptop_home), [], photo)
    monkeypatch.setenv("IRP_FIELD_HOME", str(master_home))
    _purge(hull_path, "note", note_id)
    with VisitFile.open(hull_path, readonly=True) as visit:
        attachment_id = api.list_attachments(visit)[0].attachment.id
    _purge(hull_path, "attachment", attachment_id, "the wrong photograph")

    monkeypatch.setenv("IRP_FIELD_HOME", str(laptop_home))
    code, said = run("merge", str(laptop), str(hull_path))
    assert code == 0, said
    assert "purged note by Jade Richards, 14 March 11:00 (by Test Inspector" in said, said
    assert "purged photograph attached to paragraph 3.12 (by Test Inspector" in said, said
    assert "backups/jade-" in said and ": purged" in said, said
    kept = files_under(laptop, Path(f"{laptop}-wal"), laptop_home)
    assert held(kept, [NAME], photo) == []
    code, said = run("check", str(laptop))
    assert code == 0 and "note by Jade Richards, 14 March 11:00: purged by Test Inspector" in said


def test_a_file_that_still_holds_the_content_never_brings_it_back_in_any_order(
    hull_path: Path, tmp_path: Path
) -> None:
    note_id = _note(hull_path)
    _edit(hull_path, note_id, f"{NAME}, edited")  # history holds it, old and new
    stale = cp(hull_path, tmp_path / "stale.db")
    _purge(hull_path, "note", note_id)
    code, said = run("merge", str(hull_path), str(stale))
    assert code == 0, said
    assert "without the purge" not in said  # the stale copy's versions are older: no conflict
    assert held([hull_path], [NAME]) == []
    for order, name in (((stale, hull_path), "one.db"), ((hull_path, stale), "two.db")):
        made = tmp_path / name
        code, said = run("merge", str(made), *map(str, order))
        assert code == 0, said
        assert held([made], [NAME]) == [], order
    one, two = content(tmp_path / "one.db"), content(tmp_path / "two.db")
    # (each new file made its own visit row and its history: the rest is the same)
    assert {k: v for k, v in one.items() if k not in ("visit", "change_log")} == {
        k: v for k, v in two.items() if k not in ("visit", "change_log")
    }
    with VisitFile.open(tmp_path / "two.db", readonly=True) as visit:
        assert api.open_conflicts(visit) == []


def test_an_edit_made_elsewhere_without_the_purge_is_purged_too_and_said(
    hull_path: Path, tmp_path: Path
) -> None:
    note_id = _note(hull_path)
    laptop = cp(hull_path, tmp_path / "paul.db")
    VisitFile.open(laptop).close()  # its laptop's own (a copy takes a laptop id when opened)
    _purge(hull_path, "note", note_id)
    _edit(laptop, note_id, f"{EDIT} said so")  # stamped after the purge, without it

    code, said = run("merge", str(hull_path), str(laptop))
    assert code == 0, said
    assert "paul.db: note by Jade Richards, 14 March 11:00: changed on that laptop" in said
    assert held([hull_path], [NAME, EDIT]) == []
    code, listed = run("conflicts", str(hull_path))
    assert "changed on another laptop without the purge" in listed and EDIT not in listed
    with VisitFile.open(hull_path, readonly=True) as visit:
        (conflict,) = api.open_conflicts(visit)
    code, said = run("conflicts", str(hull_path), "--resolve", conflict.id, "--keep", "other")
    assert code == 1 and "nothing of it is left to keep" in said
    assert run("conflicts", str(hull_path), "--resolve", conflict.id, "--keep", "kept")[0] == 0

    code, said = run("merge", str(laptop), str(hull_path))  # the laptop takes the purge
    assert code == 0, said
    assert held([laptop], [NAME, EDIT]) == []
    with VisitFile.open(laptop, readonly=True) as visit:
        row = visit.row("note", note_id)
        assert row is not None and row["deleted"] == 1 and row["text"] == ""
        assert api.open_conflicts(visit) == []  # settled on the master, and merged
    assert run("merge", str(hull_path), str(laptop))[0] == 0
    assert content(hull_path) == content(laptop)


def test_a_check_counted_again_after_its_purge_lives_and_travels(
    hull_path: Path, tmp_path: Path
) -> None:
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        check = visit.one("SELECT id, round_id, location_id FROM roll_check LIMIT 1")
        assert check is not None
        visit.conn.execute("BEGIN IMMEDIATE")
        visit.update("roll_check", check["id"], {"note": f"{NAME} refused to come out"})
        visit.conn.execute("COMMIT")
    laptop = cp(hull_path, tmp_path / "jade.db")
    VisitFile.open(laptop).close()  # its laptop's own (a copy takes a laptop id when opened)
    _purge(hull_path, "roll-check", check["id"], "a name in a count's note")
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        api.record_roll_check(
            visit, location_id=check["location_id"], round_id=check["round_id"],
            taken_at="2022-03-14T10:00", counts=api.RollCounts(100, 40, 20, 20, 15, 5),
            note=FRESH,
        )  # fmt: skip
    for target, source in ((laptop, hull_path), (hull_path, laptop)):
        code, said = run("merge", str(target), str(source))
        assert code == 0, said
        assert "without the purge" not in said and "Warning" not in said, said
        with VisitFile.open(target, readonly=True) as visit:
            row = visit.row("roll_check", check["id"])
            assert row is not None and row["note"] == FRESH and row["deleted"] == 0
        assert held([target], [NAME]) == []


def _forge(path: Path, **values: object) -> None:
    """A purge record written by hand into a file (a SQLite browser, a hostile script)."""
    stamp = f"{wall_clock_ms():013d}.000000.f0e9"
    row = {"id": "forged-purge", "created_by": "Someone", "created_at": "", "version": stamp,
           "base_version": "", "deleted": 0, "table_name": "note", "row_id": "",
           "row_version": stamp, "removed_version": "", "what": "a note",
           "reason": "because"}  # fmt: skip
    row.update(values)
    conn = sqlite3.connect(path)
    conn.execute(
        f"INSERT INTO purge ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
        tuple(row.values()),
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("forged", "said"),
    [
        ({"row_id": "no-such-note"}, "names a record the file does not hold"),
        ({"deleted": 1}, "is marked deleted: a purge is never taken back"),
        ({"table_name": "team_member"}, "names 'team_member', not a kind of record to purge"),
        ({"reason": "r" * 1001}, "the reason for a purge is 1,001 characters; at most 1,000"),
        ({"reason": ""}, "the reason for a purge must not be empty"),
        ({"row_version": "soon"}, "its versions are not stamps"),
    ],
)
def test_a_purge_record_the_rules_refuse_refuses_its_file(
    hull_path: Path, tmp_path: Path, forged: dict[str, object], said: str
) -> None:
    note_id = _note(hull_path)
    source = cp(hull_path, tmp_path / "forged.db")
    _forge(source, **{"row_id": note_id, **forged})
    code, output = run("merge", str(hull_path), str(source))
    assert code == 1 and f"refused: {source}: purge forged-purge: {said}" in output, output
    assert held([hull_path], [NAME])  # nothing merged, nothing purged


def test_a_file_with_more_purges_than_a_visit_is_refused_at_once(
    hull_path: Path, tmp_path: Path
) -> None:
    source = cp(hull_path, tmp_path / "many.db")
    conn = sqlite3.connect(source)
    conn.executemany(
        "INSERT INTO purge (id, version) VALUES (?, '1650000000000.000000.f0e9')",
        [(f"p{n}",) for n in range(MOST_PER_FILE + 1)],
    )
    conn.commit()
    conn.close()
    code, output = run("merge", str(hull_path), str(source))
    assert code == 1 and "carries 10,001 purges, more than a visit's (10,000)" in output


def test_a_well_formed_purge_from_elsewhere_is_carried_out_and_named(
    hull_path: Path, tmp_path: Path
) -> None:
    """What a hostile purge can do: delete a record's content. What limits it: it is
    named in the merge's output and its dry run, and check lists it for ever."""
    note_id = _note(hull_path)
    source = cp(hull_path, tmp_path / "someone.db")
    _forge(source, row_id=note_id, what="note by Jade Richards", reason="tidying up")
    code, dry = run("merge", str(hull_path), str(source), "--dry-run")
    assert code == 0 and "purged note by Jade Richards (by Someone" in dry, dry
    assert held([hull_path], [NAME])  # a dry run purges nothing
    code, said = run("merge", str(hull_path), str(source))
    assert code == 0 and "purged note by Jade Richards (by Someone" in said, said
    assert held([hull_path], [NAME]) == []
    assert "note by Jade Richards: purged by Someone" in run("check", str(hull_path))[1]


def test_the_purge_record_names_no_content_and_the_history_keeps_who_and_when(
    hull_path: Path,
) -> None:
    note_id = _note(hull_path)
    _edit(hull_path, note_id, f"{NAME} again", user="Paul Rowlands")
    _purge(hull_path, "note", note_id)
    with VisitFile.open(hull_path, readonly=True) as visit:
        (record,) = purges.purges(visit)
        assert (record.what, record.by) == (
            "note by Jade Richards, 14 March 11:00",
            "Test Inspector",
        )
        logged = visit.query(
            "SELECT changed_by, old, new FROM change_log WHERE row_id = ? ORDER BY version",
            (note_id,),
        )
    assert [r["changed_by"] for r in logged] == ["Jade Richards", "Paul Rowlands"]
    assert all('"purged": true' in r["new"] for r in logged)


def test_two_laptops_that_purge_one_record_end_with_the_same_empty_row(
    hull_path: Path, tmp_path: Path
) -> None:
    note_id = _note(hull_path)
    laptop = cp(hull_path, tmp_path / "jade.db")
    VisitFile.open(laptop).close()  # its laptop's own (a copy takes a laptop id when opened)
    _purge(hull_path, "note", note_id, "wrong note")
    _purge(laptop, "note", note_id, "a name in it")
    for target, source in ((hull_path, laptop), (laptop, hull_path)):
        code, said = run("merge", str(target), str(source))
        assert code == 0 and "Warning" not in said, said
    assert content(hull_path) == content(laptop)
    with VisitFile.open(hull_path, readonly=True) as visit:
        assert api.open_conflicts(visit) == []
        assert sorted(p.reason for p in purges.purges(visit)) == ["a name in it", "wrong note"]
    assert held([hull_path, laptop], [NAME]) == []
