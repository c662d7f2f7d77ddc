"""What the last adversary left open of F12: refusals that named no file, a header's
invisible character, and a summary that hid what --replace did.

Each refusal is one line naming the file and what is wrong, and nothing is written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from merge_helpers import edit_by_hand
from refusal_helpers import refused_in_one_line, run_cli

from irp_field.domain import fields

FORMATS = ("csv", "json", "sqlite", "xlsx")


@pytest.mark.parametrize("export_format", FORMATS)
def test_an_export_of_a_note_holding_bytes_is_refused_naming_the_file_and_the_row(
    hull_path: Path, tmp_path: Path, irp_home: Path, export_format: str
) -> None:
    """A BLOB in a note's text (a hand with a SQLite browser): the JSON export ended in
    "unexpected OperationalError: user-defined function raised exception", the others
    wrote the bytes out as if they were text."""
    edit_by_hand(
        hull_path,
        "UPDATE note SET text = CAST(text AS BLOB) WHERE id = (SELECT min(id) FROM note)",
    )
    out = tmp_path / f"out.{export_format}"
    result = run_cli("export", str(hull_path), "--format", export_format, "--out", str(out))
    refused_in_one_line(result, hull_path, "note row", "text holds bytes, not text")
    assert not out.exists()
    assert not list(tmp_path.glob("out*"))  # nothing half-written


@pytest.mark.parametrize("value", ["9e999", "-9e999", "1e300"])
def test_a_data_return_no_rule_lets_in_is_refused_naming_the_file(
    hull_path: Path, tmp_path: Path, irp_home: Path, value: str
) -> None:
    """``inf`` (or a value too large for a figure's rounding) in a data return, written
    by a hand: figures, the report and every export stopped with "unexpected
    InvalidOperation" (decimal, in the percentage's wording)."""
    edit_by_hand(
        hull_path,
        f"UPDATE data_return SET value = {value}, unit = 'percent' "
        "WHERE key = (SELECT min(key) FROM data_return WHERE deleted = 0)",
    )
    for export_format in FORMATS:
        out = tmp_path / f"out.{export_format}"
        result = run_cli("export", str(hull_path), "--format", export_format, "--out", str(out))
        refused_in_one_line(result, hull_path, "data return", "value")
        assert not out.exists()
    refused_in_one_line(run_cli("figures", str(hull_path), "--json"), hull_path, "data return")
    refused_in_one_line(
        run_cli("report", str(hull_path), "--format", "md"), hull_path, "data return"
    )
    checked = run_cli("check", str(hull_path))
    assert checked.exit_code == 1 and "data return" in checked.output


def test_a_number_too_large_for_a_figure_is_refused_where_it_enters() -> None:
    """The rule's one home (``domain.fields``): an import, the API, check and merge
    refuse what the figures could not word."""
    assert fields.decimal_number("1000000000000") == 1e12
    for text in ("1e300", "-1e13", "1e13"):
        with pytest.raises(ValueError, match="too large"):
            fields.decimal_number(text)


ROLL_HEADER = (
    "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,"
    "elsewhere,round,inspector,note\n"
)


def test_a_header_with_a_second_byte_order_mark_names_it_visibly(
    hull_path: Path, tmp_path: Path
) -> None:
    """A file saved with its mark twice: the first column was named with the invisible
    character in it (column \\ufefftaken_at: unknown column), then said missing."""
    csv = tmp_path / "twice.csv"
    csv.write_bytes(
        b"\xef\xbb\xbf\xef\xbb\xbf"
        + (ROLL_HEADER + "2022-03-16T16:00,A wing,100,40,30,10,20,0,Wed late,,\n").encode()
    )
    result = run_cli("import", str(hull_path), "roll-checks", str(csv))
    assert result.exit_code == 1
    assert "\ufeff" not in result.output
    assert "a second byte-order mark (an invisible character) before 'taken_at'" in (result.output)
    assert "required column is missing" not in result.output
    assert "unknown column" not in result.output


def test_an_import_that_replaced_says_how_many_it_added_and_replaced(
    hull_path: Path, tmp_path: Path
) -> None:
    """Three lines of which the third counts the second's location in its round again:
    with --replace it said "Imported 3 rows", and two checks were held."""
    csv = tmp_path / "late.csv"
    csv.write_text(
        ROLL_HEADER
        + "2022-03-16T16:00,A wing,100,40,30,10,20,0,Wed late,,\n"
        + "2022-03-16T16:05,B wing,100,40,30,10,20,0,Wed late,,\n"
        + "2022-03-16T16:10,B wing,90,40,30,10,10,0,Wed late,,\n",
        encoding="utf-8",
    )
    before = json.loads(run_cli("figures", str(hull_path), "--json").output)["roll.checks"]["value"]
    result = run_cli("import", str(hull_path), "roll-checks", str(csv), "--replace", "--json")
    assert result.exit_code == 0, result.output
    said = json.loads(result.stdout)
    assert (said["rows"], said["replaced"]) == (3, 1)
    after = json.loads(run_cli("figures", str(hull_path), "--json").output)["roll.checks"]["value"]
    assert after == before + said["rows"] - said["replaced"]
    again = tmp_path / "later.csv"
    again.write_text(
        ROLL_HEADER + "2022-03-16T16:20,A wing,100,50,30,10,10,0,Wed late,,\n", encoding="utf-8"
    )
    result = run_cli("import", str(hull_path), "roll-checks", str(again), "--replace")
    assert result.exit_code == 0, result.output
    assert "Imported 1 roll-checks row(s) from later.csv: 0 added, 1 replaced" in result.output
