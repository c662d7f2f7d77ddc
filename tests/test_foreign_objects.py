"""A trigger irp-field did not make never runs inside one of its writes (hostile, 0.13.0).

A visit file arrives from elsewhere (the master copied back to a laptop, a hand-out, a
file put back from a backup) and is opened for writing. A trigger a hand added to it,
or one of irp-field's own trigger names given another body, ran inside every save,
import, merge and purge: one that copied a note into a table of its own as it changed
kept a purged note's words in the file, while the purge said "emptied" and ``check``
said "no warnings". A writer's opening now refuses such a file in one line naming it
and the trigger, before anything of it runs; ``check`` names it as a problem; a merge
into a new visit file (which reads it and copies no trigger) leaves it behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import edit_by_hand, file_hash

from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import NotAVisitError

WORDS = "Quillfeatherzanzibar was seen by the mental health team"

STASH = (
    "CREATE TABLE stash (words TEXT)",
    "CREATE TRIGGER keep_it AFTER UPDATE ON note BEGIN INSERT INTO stash VALUES (old.text); END",
)
# irp-field's own name, another body: the search index kept in step, and a copy besides
NOTE_AU_WITH_A_STASH = (
    "CREATE TABLE stash (words TEXT)",
    "DROP TRIGGER note_au",
    'CREATE TRIGGER "note_au" AFTER UPDATE ON "note" BEGIN\n'
    '  INSERT INTO "note_fts" ("note_fts", rowid, "text", "tags") '
    'VALUES(\'delete\', old.rowid, old."text", old."tags");\n'
    '  INSERT INTO "note_fts" (rowid, "text", "tags") VALUES (new.rowid, new."text", new."tags");\n'
    "  INSERT INTO stash VALUES (old.text);\n"
    "END",
)
ATTACKS = {"a trigger of its own": STASH, "irp-field's note_au with a stash": NOTE_AU_WITH_A_STASH}


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], terminal_width=250)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def a_note_naming_someone(path: Path) -> str:
    conn = sqlite3.connect(path)
    note_id = str(conn.execute("SELECT id FROM note WHERE deleted = 0 LIMIT 1").fetchone()[0])
    conn.close()
    edit_by_hand(path, f"UPDATE note SET text = '{WORDS}' WHERE id = '{note_id}'")
    return note_id


def stashed(path: Path) -> list[str]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return [str(row[0]) for row in conn.execute("SELECT words FROM stash")]
    finally:
        conn.close()


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_purge_never_runs_a_trigger_that_keeps_the_purged_words(
    hull_path: Path, attack: str
) -> None:
    note_id = a_note_naming_someone(hull_path)
    edit_by_hand(hull_path, *ATTACKS[attack])
    before = file_hash(hull_path)
    code, output = run("purge", hull_path, "note", note_id, "--reason", "a prisoner's name")
    assert code == 1, output
    lines = output.strip().splitlines()
    assert len(lines) == 1 and hull_path.name in lines[0], lines
    assert "a trigger irp-field did not make" in lines[0], lines
    assert ("'keep_it' on note" if attack == "a trigger of its own" else "'note_au' on note") in (
        lines[0]
    )
    assert "Traceback" not in output
    assert stashed(hull_path) == []  # nothing of it ran
    assert file_hash(hull_path) == before  # nothing written: the purge can be made elsewhere


def test_no_writer_opens_it_and_a_reader_still_does(hull_path: Path) -> None:
    edit_by_hand(hull_path, *STASH)
    with pytest.raises(NotAVisitError, match="not opened for writing"):
        VisitFile.open(hull_path)
    with VisitFile.open(hull_path, readonly=True) as visit:  # a reading fires no trigger
        assert visit.one("SELECT count(*) FROM note")[0] > 0  # type: ignore[index]
    code, output = run("glossary", "set", hull_path, "Zzroll", "The number held.")
    assert code == 1 and "keep_it" in output and "Traceback" not in output, output


def test_check_names_the_trigger_as_a_problem(hull_path: Path) -> None:
    edit_by_hand(hull_path, *NOTE_AU_WITH_A_STASH)
    code, output = run("check", hull_path)
    assert code == 1, output
    assert "a trigger irp-field did not make ('note_au' on note)" in output, output


def test_a_merge_into_a_new_visit_leaves_the_trigger_behind(hull_path: Path) -> None:
    note_id = a_note_naming_someone(hull_path)
    edit_by_hand(hull_path, *STASH)
    fresh = hull_path.with_name("fresh.db")
    code, output = run("merge", fresh, hull_path)
    assert code == 0, output
    from irp_field.core import foreign_objects

    conn = sqlite3.connect(fresh)
    assert foreign_objects.foreign(conn) == []
    conn.close()
    code, output = run("purge", fresh, "note", note_id, "--reason", "a prisoner's name")
    assert code == 0, output
    assert WORDS.encode() not in fresh.read_bytes()


def test_every_trigger_irp_field_makes_is_its_own(hull_path: Path, tmp_path: Path) -> None:
    """A file made now, and the demo's, hold no trigger the rule calls foreign (an honest
    file is never refused)."""
    from irp_field.core import foreign_objects

    code, output = run("new", tmp_path / "fresh.db", "--establishment", "HMP Hull",
                       "--start", "2022-03-14", "--end", "2022-03-16")  # fmt: skip
    assert code == 0, output
    for path in (hull_path, tmp_path / "fresh.db"):
        conn = sqlite3.connect(path)
        names = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        assert names == set(foreign_objects.made_by_irp_field())
        assert foreign_objects.foreign(conn) == []
        conn.close()


def test_a_purge_and_check_name_a_table_irp_field_did_not_make(hull_path: Path) -> None:
    """A hand's table holding a copy of a note runs nothing, but no purge reaches it: the
    purge said "emptied" and ``check`` "no warnings" while the words stayed in the file."""
    note_id = a_note_naming_someone(hull_path)
    edit_by_hand(hull_path, f"CREATE TABLE stash AS SELECT text FROM note WHERE id = '{note_id}'")
    code, output = run("purge", hull_path, "note", note_id, "--reason", "a prisoner's name")
    assert code == 0, output
    said = "hull.db holds 1 table(s) irp-field did not make ('stash')"
    assert said in " ".join(output.split()), output
    code, output = run("check", hull_path)
    assert said in output and "neither reads nor purges what they hold" in output, output


def test_every_table_an_honest_file_holds_is_irp_fields(hull_path: Path, tmp_path: Path) -> None:
    from irp_field.core import foreign_objects

    code, output = run("new", tmp_path / "fresh.db", "--establishment", "HMP Hull",
                       "--start", "2022-03-14", "--end", "2022-03-16")  # fmt: skip
    assert code == 0, output
    for path in (hull_path, tmp_path / "fresh.db"):
        conn = sqlite3.connect(path)
        assert foreign_objects.foreign_tables(conn) == []
        conn.close()
    code, output = run("check", hull_path)
    assert "did not make" not in output, output


async def test_p_on_a_note_warns_of_a_table_irp_field_did_not_make(hull_path: Path) -> None:
    from tui_helpers import hull_app, settle

    from irp_field import api
    from irp_field.tui.screens.notes import NotesScreen

    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        note_id = api.record_note(
            visit, text="Ravenglasscottle on B wing", taken_at="2022-03-14T11:00"
        )
    edit_by_hand(hull_path, f"CREATE TABLE stash AS SELECT text FROM note WHERE id = '{note_id}'")
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4", *"ravengla", "enter")
        await settle(pilot)
        await pilot.press("P", *"a prisoner's name", "enter", *"purge", "enter")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        said = [n.message for n in app._notifications]
        assert any("holds 1 table(s) irp-field did not make ('stash')" in m for m in said), said


@pytest.mark.parametrize(
    "index",
    [
        "CREATE INDEX costly ON glossary_term (length(hex(zeroblob(1000))) + length(term))",
        "CREATE INDEX costly ON glossary_term (term) WHERE term = 'Zzroll' AND abs(-9223372036854775808) > 0",
    ],
)
def test_an_index_that_computes_is_never_run_by_a_write(hull_path: Path, index: str) -> None:
    """An index on an expression or with a condition computes it at every write of its
    table (``hex(zeroblob(200000000))`` took 1 GB a save; an overflow stopped every
    save of a glossary term, "the visit file could not be used")."""
    edit_by_hand(hull_path, index)
    before = file_hash(hull_path)
    code, output = run("glossary", "set", hull_path, "Zzroll", "The number held.")
    assert code == 1, output
    said = "an index irp-field did not make, on an expression or a condition, ('costly' on "
    assert said + "glossary_term)" in output, output
    assert file_hash(hull_path) == before
    code, output = run("check", hull_path)
    assert code == 1 and said in output, output


def test_a_hand_out_of_a_file_holding_one_is_refused_and_writes_nothing(
    hull_path: Path, tmp_path: Path
) -> None:
    """The hand-out wrote into each copy (its laptop's id, who it is for) with the copy's
    triggers live, and every copy carried the trigger to a laptop."""
    edit_by_hand(
        hull_path,
        "CREATE TABLE stash (words TEXT)",
        "CREATE TRIGGER on_meta AFTER INSERT ON meta BEGIN INSERT INTO stash VALUES ('ran'); END",
    )
    usb = tmp_path / "usb"
    usb.mkdir()
    code, output = run("handout", hull_path, "--out", usb)
    assert code == 1, output
    assert "a trigger irp-field did not make ('on_meta' on meta)" in output, output
    assert "it is not handed out" in output, output
    assert list(usb.iterdir()) == []


# -- remembered sound (core.sound_files): a writer's opening of a file this installation
# found sound asks no more (it is the laptop's own file, opened many times a day); so a
# file is remembered sound only when it holds nothing of another's, and a record made
# before that was asked counts for nothing.


@pytest.mark.parametrize("read_how", ["whole", "pages beside"])
def test_a_reading_never_remembers_a_file_with_a_trigger_as_sound(
    hull_path: Path, irp_home: Path, read_how: str
) -> None:
    from irp_field.core import sound_files

    edit_by_hand(hull_path, *STASH)
    if read_how == "whole":
        VisitFile.open(hull_path, readonly=True).close()  # the figures, a report
    else:
        reading = VisitFile.open(hull_path, readonly=True, check_pages=False)
        with reading as visit, visit.pages_checked():  # the notes search's reading
            visit.query("SELECT count(*) FROM note")
    assert not sound_files.still_sound(hull_path, sound_files.look(hull_path))
    with pytest.raises(NotAVisitError, match="a trigger irp-field did not make"):
        VisitFile.open(hull_path)


def test_a_file_remembered_sound_by_an_older_irp_field_is_looked_at_again(
    hull_path: Path, irp_home: Path
) -> None:
    """0.13.0 remembered a file sound without asking after triggers; its record (a look
    without what "sound" meant) is not taken as this version's."""
    import json

    from irp_field.core import sound_files

    edit_by_hand(hull_path, *STASH)
    older = sound_files.look(hull_path)
    assert older is not None and older[0] == sound_files.SOUND_MEANS
    record = irp_home / sound_files.RECORD_NAME
    record.write_text(json.dumps({str(hull_path.resolve()): older[1:]}), encoding="utf-8")
    with pytest.raises(NotAVisitError, match="a trigger irp-field did not make"):
        VisitFile.open(hull_path)


def test_a_file_remembered_sound_is_opened_for_writing_without_asking_again(
    hull_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from irp_field.core import foreign_objects

    VisitFile.open(hull_path).close()  # found sound, and left so by its own writing
    asked: list[int] = []
    real = foreign_objects.foreign
    monkeypatch.setattr(foreign_objects, "foreign", lambda conn: asked.append(1) or real(conn))
    VisitFile.open(hull_path).close()
    assert asked == []
    edit_by_hand(hull_path, *STASH)  # another hand: the file no longer looks as it did
    with pytest.raises(NotAVisitError, match="a trigger irp-field did not make"):
        VisitFile.open(hull_path)
    assert asked
