"""Records naming another their file does not hold (a hand with sqlite3 on a copied visit).

A sample answer of a record or frame 'nosuch', a sampled record or criterion of a frame
'nosuch', a link to a round, note or plan item 'nosuch', a paragraph under no plan item:
``check`` said nothing, a merge took the record into the team leader's file, and the
figures and the report left it out without a word. Now ``check``
names it and a merge refuses it (``domain.references``), unless the target or another
file of the same merge holds what it names; the figures that read such a pair refuse
the file. A record named that was deleted is history, and passes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from merge_helpers import cp, edit_by_hand
from refusal_helpers import every_reader_refuses, output_of, refused_in_one_line, run_cli


def _first(table: str, where: str = "1") -> str:
    return f"(SELECT min(id) FROM {table} WHERE deleted = 0 AND {where})"


def _set(table: str, column: str, value: str, where: str = "1") -> str:
    return f"UPDATE {table} SET {column} = {value} WHERE id = {_first(table, where)}"


NOT_HELD = "is not in the file"
# case -> (the hand's statement, check's words, whether a figure reads the pair)
CASES = {
    "answer of frame nosuch": (
        _set("sample_answer", "frame_id", "'nosuch'"),
        "its sample frame 'nosuch'",
        True,  # (its frame places its record: the figures read no answer of no record)
    ),
    "answer of record nosuch": (
        _set("sample_answer", "record", "'nosuch'"),
        "its sampled record 'nosuch' of its frame",
        True,
    ),
    "answer of another frame's criterion": (
        "UPDATE sample_answer SET criterion_id = (SELECT min(c.id) FROM sample_criterion c "
        f"WHERE c.frame_id != sample_answer.frame_id) WHERE id = {_first('sample_answer')}",
        "its criterion",
        True,
    ),
    "sampled record of frame nosuch": (
        _set("sample_record", "frame_id", "'nosuch'"),
        "its sample frame 'nosuch'",
        True,
    ),
    "criterion of frame nosuch": (
        _set("sample_criterion", "frame_id", "'nosuch'"),
        "its sample frame 'nosuch'",
        True,
    ),
    "frame of plan item nosuch": (
        _set("sample_frame", "plan_item_id", "'nosuch'"),
        "its plan item 'nosuch'",
        False,
    ),
    "round link to round nosuch": (
        _set("round_link", "round_id", "'nosuch'"),
        "its round 'nosuch'",
        False,
    ),
    "round link to plan item nosuch": (
        _set("round_link", "plan_item_id", "'nosuch'"),
        "its plan item 'nosuch'",
        False,
    ),
    "day link to plan item nosuch": (
        _set("toc_day_link", "plan_item_id", "'nosuch'"),
        "its plan item 'nosuch'",
        False,
    ),
    "note link to note nosuch": (
        _set("note_link", "note_id", "'nosuch'"),
        "its note 'nosuch'",
        False,
    ),
    "note link to plan item nosuch": (
        _set("note_link", "plan_item_id", "'nosuch'"),
        "its plan item 'nosuch'",
        False,
    ),
    "paragraph under plan item nosuch": (
        _set("finding", "plan_item_id", "'nosuch'"),
        "its plan item 'nosuch'",
        False,  # no figure; the report left the paragraph out
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_record_naming_one_the_file_lacks_is_named_and_refused(
    hull_path: Path, tmp_path: Path, irp_home: Path, case: str
) -> None:
    """Before: ``check`` passed the file, a merge into a new visit and into the team
    leader's took the record, and the figures or the report left it out silently."""
    statement, words, read_by_figures = CASES[case]
    (tmp_path / "elsewhere").mkdir()
    hostile = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(hostile, statement)
    checked = run_cli("check", str(hostile))
    assert checked.exit_code == 1, checked.output
    assert words in checked.output and NOT_HELD in checked.output, checked.output
    for target in (tmp_path / "new.db", cp(hull_path, tmp_path / "team-leader.db")):
        before = target.read_bytes() if target.exists() else None
        merged = run_cli("merge", str(target), str(hostile))
        refused_in_one_line(merged, hostile, NOT_HELD, "nothing was merged")
        assert (target.read_bytes() if target.exists() else None) == before
    if read_by_figures:
        every_reader_refuses(hostile, tmp_path, "which the file does not hold", "irp-field check")
    if case.startswith("paragraph"):  # the report left it out: now refused, every format
        for report_format in ("md", "html", "docx"):
            out = tmp_path / f"report.{report_format}"
            args = ("report", str(hostile), "--format", report_format, "--out", str(out))
            refused_in_one_line(run_cli(*args), hostile, words, "no report is made of it")
            assert not out.exists()


def _copy_row(path: Path, table: str, where: str, changes: dict[str, str]) -> None:
    """A row of ``table`` written again by a hand under a new id, ``changes`` made."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute(f"SELECT * FROM {table} WHERE {where} LIMIT 1").fetchone())
    conn.close()
    row.update(changes)
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn = sqlite3.connect(path)
    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _laptops(hull_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Laptop A holds a sampled record 'UoF-NEW' (written by a hand, as another version
    of irp-field might); laptop B, an answer of it and no record."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = cp(hull_path, tmp_path / "a" / "HULL.db")
    b = cp(hull_path, tmp_path / "b" / "HULL.db")
    answer = "deleted = 0 ORDER BY id"
    frame = f"frame_id = (SELECT frame_id FROM sample_answer WHERE {answer} LIMIT 1)"
    _copy_row(a, "sample_record", frame, {"id": "rec-new", "record": "UoF-NEW"})
    _copy_row(b, "sample_answer", answer, {"id": "ans-new", "record": "UoF-NEW"})
    return a, b


def test_a_merge_that_brings_the_record_named_takes_the_answer(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    """The record in laptop A, its answer in laptop B: the whole merge makes them whole,
    in either order, into a new visit or the team leader's; B alone is refused."""
    a, b = _laptops(hull_path, tmp_path)
    refused_in_one_line(run_cli("merge", str(tmp_path / "alone.db"), str(b)), b, "'UoF-NEW'")
    for number, order in enumerate(((a, b), (b, a))):
        for target in (tmp_path / f"new-{number}.db", cp(hull_path, tmp_path / f"tl-{number}.db")):
            output_of("merge", str(target), *map(str, order))
            conn = sqlite3.connect(target)
            assert conn.execute("SELECT record FROM sample_answer WHERE id = 'ans-new'").fetchall()
            conn.close()
            assert output_of("check", str(target)).count(" is not in the file") == 0


def test_a_target_holding_the_record_named_takes_the_answer(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    """The team leader merged laptop A last night; laptop B's answer comes tonight."""
    a, b = _laptops(hull_path, tmp_path)
    target = cp(hull_path, tmp_path / "team-leader.db")
    output_of("merge", str(target), str(a))
    output_of("merge", str(target), str(b))
    output_of("check", str(target))


def test_a_record_named_that_was_deleted_is_history(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    """A sampled record deleted (on another laptop) while its answers stay: no broken
    reference; the figures leave its answers out as they leave the record out."""
    (tmp_path / "elsewhere").mkdir()
    edited = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(edited, _set("sample_record", "deleted", "1"))
    checked = output_of("check", str(edited))
    assert NOT_HELD not in checked
    output_of("merge", str(cp(hull_path, tmp_path / "team-leader.db")), str(edited))
    output_of("figures", str(edited), "--json")


DATES = {  # a date of the right shape that is no day: named by check, refused by a merge
    "period date 2022-13-45": (_set("toc_period", "on_date", "'2022-13-45'"), "'2022-13-45'"),
    "period date 2022-02-30": (_set("toc_period", "on_date", "'2022-02-30'"), "'2022-02-30'"),
    "day link date 2022-02-30": (_set("toc_day_link", "on_date", "'2022-02-30'"), "'2022-02-30'"),
}


@pytest.mark.parametrize("case", list(DATES))
def test_a_date_of_the_right_shape_that_is_no_day_makes_no_figure(
    hull_path: Path, tmp_path: Path, irp_home: Path, case: str
) -> None:
    """Before: the figures counted '2022-02-30' as a day of its own (a subject-day more,
    its hours in no real day) while ``check`` named it."""
    statement, shown = DATES[case]
    (tmp_path / "elsewhere").mkdir()
    hostile = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(hostile, statement)
    every_reader_refuses(hostile, tmp_path, f"{shown} as its date", "irp-field check")


def test_a_judgement_of_a_scale_no_one_has_names_the_scale(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    """Before: a judgement on scale 'HMIP' (not hmip) was refused for its level
    ('insufficient' as its level), which is right on its scale."""
    (tmp_path / "elsewhere").mkdir()
    hostile = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(hostile, _set("judgement", "scale", "'HMIP'", "level != ''"))
    every_reader_refuses(hostile, tmp_path, "'HMIP' as its scale", "irp-field check")


def test_an_attachment_to_a_record_the_file_lacks_is_said(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    """Before: ``check`` said nothing and the report left the photograph out. As a file
    still to arrive is (the attachment rule's class), it is said and merged: the record
    may come with the laptop's next file."""
    (tmp_path / "elsewhere").mkdir()
    edited = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(edited, _set("attachment", "target_id", "'nosuch'"))
    checked = output_of("check", str(edited))
    assert "it is attached to is not in the visit" in checked, checked
    target = tmp_path / "new.db"  # (the team leader's keeps its own version of the row)
    output_of("merge", str(target), str(edited))
    assert "it is attached to is not in the visit" in output_of("check", str(target))


def test_a_day_link_to_a_day_with_no_periods_is_said_and_merged(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    """Before: ``check`` said nothing. A period moved on one laptop while another linked
    its day makes such a link honestly: said (as a check by someone not on the team
    is), never refused; the figures read no link."""
    (tmp_path / "elsewhere").mkdir()
    edited = cp(hull_path, tmp_path / "elsewhere" / "HULL.db")
    edit_by_hand(edited, _set("toc_day_link", "subject", "'Nobody'"))
    words = ("its subject's day of time out of cell 'Nobody', '2022-03-", "is not in the file")
    checked = output_of("check", str(edited))
    assert all(word in checked for word in words), checked
    target = tmp_path / "new.db"
    output_of("merge", str(target), str(edited))
    checked = output_of("check", str(target))
    assert all(word in checked for word in words), checked


def test_records_waiting_for_another_file_are_bounded(
    hull_path: Path, tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file naming more records it lacks than a merge keeps waiting for the others'
    (``references.MOST_AWAITED``: a hostile file naming a million) is refused at once,
    naming the file, even when another file of the merge would hold them."""
    from irp_field.domain import references

    monkeypatch.setattr(references, "MOST_AWAITED", 0)
    a, b = _laptops(hull_path, tmp_path)
    merged = run_cli("merge", str(tmp_path / "new.db"), str(a), str(b))
    refused_in_one_line(merged, b, "'UoF-NEW'", "nothing was merged")
    assert not (tmp_path / "new.db").exists()


def test_the_references_look_grows_with_the_records_not_their_product(hull_path: Path) -> None:
    """Each reference's look is bounded by the records it reads, not by records times
    records: a frame of 4,000 sampled records and 4,000 answers of records it lacks.
    Before, an answer's record was looked up by its frame's index alone, each look-up
    scanning the frame's records (100,000 of each ran for minutes). Counted in SQLite's
    steps, against one pass over the answers."""
    from irp_field.domain.references import REFERENCES
    from irp_field.evidence.reference_audit import dangling_sql

    many = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) "
        "INSERT INTO {table} (id, frame_id, record, version{more}) SELECT '{prefix}' || i, "
        "(SELECT min(frame_id) FROM sample_record), '{prefix}' || i, "
        "(SELECT max(version) FROM sample_record){values} FROM n"
    )
    edit_by_hand(
        hull_path,
        many.format(table="sample_record", prefix="R", more="", values=""),
        many.format(
            table="sample_answer",
            prefix="A",
            more=", criterion_id, answer",
            values=", (SELECT min(id) FROM sample_criterion), 'yes'",
        ),
    )
    conn = sqlite3.connect(hull_path)
    steps = [0]

    def counted(sql: str) -> int:
        steps[0] = 0
        conn.set_progress_handler(lambda: steps.__setitem__(0, steps[0] + 1), 100)
        conn.execute(sql).fetchall()
        conn.set_progress_handler(None, 0)
        return steps[0]

    one_pass = counted("SELECT id, frame_id, record, criterion_id FROM sample_answer")
    for reference in REFERENCES:
        taken = counted(dangling_sql(reference, conn))
        assert taken < 40 * one_pass, (reference.table, reference.columns, taken, one_pass)
    conn.close()
