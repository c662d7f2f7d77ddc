"""CSV and JSON of one visit: what an analyst reads stays what it was (issue 24, aim 1).

However the big tables of evidence (roll checks, periods out of cell, notes) reach the
writers (through the analyst database, or straight from the visit's own redacting
SELECT, tried and measured slower: bench/RESULTS.md), these pin the output against the 0.4.0 oracle (``tests/export_before.py``: row by row in
Python through ``redaction.redacting``), byte for byte, for the Hull sample with the odd
values a hand or an older version may leave in exactly those tables: a text a spreadsheet
would run, a carriage return, empty text, a check whose location is gone, a round with no
time of its own (its checks summed, not its tallies). A live check's count that is no
number, or a period's time that is no time of day, went out as NULL beside figures that
read it as 0: such a file is now refused, naming it (the last test here)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import export_before
import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.interchange.export import export_visits

KEY = "7c1e0a9f3b2d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"


def _odd_streamed_values(path: Path, *, untimed_round: bool) -> None:
    conn = sqlite3.connect(path)
    with conn:
        checks = [r[0] for r in conn.execute(
            "SELECT id FROM roll_check WHERE deleted = 0 ORDER BY id")]  # fmt: skip
        conn.execute("UPDATE roll_check SET inspector = '=cmd()', note = '' WHERE id = ?",
                     (checks[1],))  # fmt: skip
        conn.execute("UPDATE roll_check SET note = 'one\rtwo' WHERE id = ?", (checks[2],))
        conn.execute("UPDATE roll_check SET location_id = 'gone', taken_at = '' WHERE id = ?",
                     (checks[3],))  # fmt: skip
        conn.execute("UPDATE roll_check SET deleted = 1 WHERE id = ?", (checks[4],))
        conn.execute("UPDATE roll_check SET note = '@sum \"quoted\", and, commas' WHERE id = ?",
                     (checks[5],))  # fmt: skip
        periods = [r[0] for r in conn.execute(
            "SELECT id FROM toc_period WHERE deleted = 0 ORDER BY id")]  # fmt: skip
        conn.execute("UPDATE toc_period SET subject = '+44 7700', activity = '' WHERE id = ?",
                     (periods[0],))  # fmt: skip
        notes = [r[0] for r in conn.execute("SELECT id FROM note WHERE deleted = 0 ORDER BY id")]
        conn.execute("UPDATE note SET text = '-2 on the wing\r\n', tags = '\tx' WHERE id = ?",
                     (notes[0],))  # fmt: skip
        conn.execute("UPDATE note SET author = '', source = 'éü – “x”' WHERE id = ?",
                     (notes[1],))  # fmt: skip
        if untimed_round:
            conn.execute("UPDATE roll_round SET at_time = '' WHERE id = "
                         "(SELECT round_id FROM roll_check WHERE id = ?)", (checks[6],))  # fmt: skip
    conn.close()


@pytest.mark.parametrize("untimed_round", [False, True], ids=["tallies", "summed"])
@pytest.mark.parametrize("redacted", [False, True], ids=["plain", "redacted"])
def test_csv_and_json_of_one_visit_are_what_they_were(
    hull_path: Path, tmp_path: Path, redacted: bool, untimed_round: bool
) -> None:
    _odd_streamed_values(hull_path, untimed_round=untimed_round)
    ours = {"redact": True, "organisation_key": KEY} if redacted else {}
    oracle = export_before.analyst_database(
        [hull_path], tmp_path / "before.db", **({"key": KEY} if redacted else {})
    )
    export_visits([hull_path], "json", tmp_path / "out.json", **ours)  # type: ignore[arg-type]
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == export_before.json_text(oracle)
    for raw, excel in ((False, False), (True, False), (False, True)):
        out = tmp_path / f"csv-{raw}-{excel}"
        export_visits([hull_path], "csv", out, raw=raw, excel=excel, **ours)  # type: ignore[arg-type]
        before = tmp_path / f"before-csv-{raw}-{excel}"
        export_before.assert_csv_as_before(oracle, out, before, raw=raw, excel=excel)
    oracle.close()


def test_the_odd_values_reach_the_oracle(hull_path: Path, tmp_path: Path) -> None:
    """The values above are in the tables compared, so the comparison covers them."""
    _odd_streamed_values(hull_path, untimed_round=True)
    oracle = export_before.analyst_database([hull_path], tmp_path / "before.db")
    counted = {
        sql: oracle.execute(sql).fetchone()[0]
        for sql in (
            "SELECT COUNT(*) FROM roll_check WHERE inspector = '=cmd()'",
            "SELECT COUNT(*) FROM roll_check WHERE location IS NULL AND taken_at IS NULL",
            "SELECT COUNT(*) FROM toc_period WHERE subject = '+44 7700' AND activity IS NULL",
            "SELECT COUNT(*) FROM note WHERE text LIKE '%' || char(13) || '%'",
        )
    }
    assert all(counted.values()), counted
    oracle.close()


def test_two_visits_combine_in_csv_and_json_as_before(
    hull_path: Path, empty_visit: VisitFile, tmp_path: Path
) -> None:
    """Several visits in one export (the analyst database combines them) are unchanged."""
    other = empty_visit.path
    with empty_visit.transaction():
        empty_visit.insert_many(
            "note", ({"taken_at": "2022-03-15T10:00", "text": f"=n{i}"} for i in range(3))
        )
    empty_visit.close()
    _odd_streamed_values(hull_path, untimed_round=False)
    oracle = export_before.analyst_database([hull_path, other], tmp_path / "before.db")
    export_visits([hull_path, other], "json", tmp_path / "both.json")
    assert (tmp_path / "both.json").read_text(encoding="utf-8") == export_before.json_text(oracle)
    export_visits([hull_path, other], "csv", tmp_path / "both")
    export_before.csv_folder(oracle, tmp_path / "before", raw=False, excel=False)
    for made in (tmp_path / "before").iterdir():
        assert (tmp_path / "both" / made.name).read_bytes() == made.read_bytes(), made.name
    oracle.close()


@pytest.mark.parametrize(
    "hand",
    [
        "UPDATE roll_check SET roll = 'many' WHERE id = (SELECT min(id) FROM roll_check)",
        "UPDATE toc_period SET end_time = '' WHERE id = (SELECT min(id) FROM toc_period)",
    ],
    ids=["a count that is no number", "a time that is no time of day"],
)
@pytest.mark.parametrize("export_format", ["csv", "json", "sqlite"])
def test_a_value_no_figure_can_read_is_refused_not_exported(
    hull_path: Path, tmp_path: Path, hand: str, export_format: str
) -> None:
    """Exported before as NULL beside figures that read it as 0 (its round's and the
    visit's totals short of the evidence): refused naming the file, nothing written."""
    from irp_field.domain.errors import IrpError

    conn = sqlite3.connect(hull_path)
    with conn:
        conn.execute(hand)
    conn.close()
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / f"out.{export_format}"
    with pytest.raises(IrpError, match="no figure is made of it") as refused:
        export_visits([hull_path], export_format, out)  # type: ignore[arg-type]
    assert str(hull_path) in str(refused.value)
    assert list((tmp_path / "out").iterdir()) == []
