"""Times, days and activities as paper has them (issue 22), and the route an inspector
walks: the domain's parsing, one rule for every path (a form, an import, the API), and
the stored form held to HH:MM (``check`` and the merge read what the file holds)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from irp_field import api
from irp_field.api import evidence, roll_checks
from irp_field.api import rounds as rounds_api
from irp_field.core.visit_file import VisitFile
from irp_field.domain import fields, rounds, time_out_of_cell, vocabulary
from irp_field.domain.errors import IrpError
from irp_field.evidence import audit

COUNTS = api.RollCounts(100, 40, 20, 10, 25, 5)


def test_a_time_is_taken_as_paper_has_it() -> None:
    """0930, 930, 9.30 as 09:30 (HH:MM and H:MM as ever), typed or imported alike."""
    typed = ("09:30", "9:30", "0930", "930", "9.30", "09.30", " 1009 ", "0000", "23:59")
    assert [fields.time_of_day(text) for text in typed] == [
        "09:30", "09:30", "09:30", "09:30", "09:30", "09:30", "10:09", "00:00", "23:59",
    ]  # fmt: skip


@pytest.mark.parametrize("typed", ["2400", "24:00", "9:60", "12", "9", "10:0", "1:2:3", "ten", ""])
def test_what_is_no_time_is_refused_saying_how_to_write_one(typed: str) -> None:
    with pytest.raises(ValueError, match=r"is not a time of day .*0930 or 9\.30"):
        fields.time_of_day(typed)


@pytest.mark.parametrize(
    "typed", ["١٠:٠٠", "10:٣٠", "１０:３０", "٠٩٣٠", "2022-03-14T١٠:٠٠", "٢٠٢٢-٠٣-١٤"]
)
def test_a_date_or_time_in_another_script_s_digits_is_refused(typed: str) -> None:
    """``\\d`` took any script's digits: "١٠:٠٠" was imported and stored so, made a round
    of its own, and then ``check`` and the merge refused the file (hostile F3). Only 0-9
    make a date, a time or a moment, typed or imported."""
    with pytest.raises(ValueError, match="is not a"):
        if "-" in typed and "T" not in typed:
            fields.date(typed)
        elif "T" in typed:
            fields.moment(typed)
        else:
            fields.time_of_day(typed)
    with pytest.raises(ValueError):
        fields.moment_on(typed, "2022-03-14")


def test_a_time_out_of_cell_import_in_other_digits_is_refused_naming_the_line(
    empty_visit: VisitFile, tmp_path: Path
) -> None:
    sheet = tmp_path / "toc.csv"
    sheet.write_text(
        "date,subject,group,start,end,activity\n2022-03-15,Z01,Unemployed,١٠:٠٠,11:30,gym\n",
        encoding="utf-8",
    )
    with pytest.raises(IrpError, match=r"line 2.*start"):
        api.evidence.import_csv(empty_visit, "time-out-of-cell", sheet)
    assert empty_visit.one("SELECT COUNT(*) AS n FROM toc_period")["n"] == 0  # type: ignore[index]


def test_a_count_of_thousands_of_digits_is_refused_by_its_length() -> None:
    """Python's int() refuses over 4,300 digits with a message about its own settings;
    the rule tells the length first."""
    with pytest.raises(ValueError, match=r"roll is 5,000 digits long; at most 999,999,999"):
        fields.whole_number("9" * 5000, "roll")
    assert fields.whole_number("٣") == 3  # a count's value is its value, in any digits


def test_a_time_alone_is_on_the_day_given_and_a_whole_moment_keeps_its_own() -> None:
    assert fields.moment_on("10:09", "2022-03-15") == "2022-03-15T10:09"
    assert fields.moment_on("1009", "2022-03-15") == "2022-03-15T10:09"
    assert fields.moment_on("9.30", "2022-03-15") == "2022-03-15T09:30"
    assert fields.moment_on("2022-03-14 10:00", "2022-03-15") == "2022-03-14T10:00"
    assert fields.moment_on("2022-03-14T10:00", "2022-03-15") == "2022-03-14T10:00"
    with pytest.raises(ValueError, match=r"not a time .*YYYY-MM-DD HH:MM for another day"):
        fields.moment_on("10:60", "2022-03-15")


@pytest.mark.parametrize(
    "typed",
    ["Tue 10:00", "tue 1000", "Tuesday 10.00", "15 1000", "15/3 10:00", "15.03.22 10:00",
     "2022-03-15 10:00", "2022-03-15T10:00", "2022-03-15 1000", " Tue   10:00 "],
)  # fmt: skip
def test_a_moment_is_typed_with_its_day_as_every_form_reads_a_day(typed: str) -> None:
    """Tuesday's sheet typed up on Wednesday: "Tue 10:00" was refused (only
    "2022-03-15 10:00" was taken), though "Tue" alone is a day in F6, the round dialog
    and the CLI. The day is read by ``visit_day`` and the time by ``time_of_day``."""
    assert fields.moment_on(typed, "2022-03-16", "2022-03-14", "2022-03-16") == "2022-03-15T10:00"


@pytest.mark.parametrize(
    ("typed", "said"),
    [("Fri 10:00", "'Fri' is not a day of the visit (2022-03-14 to 2022-03-16): write"),
     ("13 10:00", "'13' is not a day of the visit"),
     ("Tue 25:00", "'25:00' is not a time of day (write HH:MM"),
     ("Tue 10 00", "is not a time (write HH:MM"), ("Tue", "is not a time (write HH:MM")],
)  # fmt: skip
def test_a_moment_typed_with_a_day_is_refused_in_the_words_of_its_rules(
    typed: str, said: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(said)):
        fields.moment_on(typed, "2022-03-16", "2022-03-14", "2022-03-16")


def test_a_moment_s_short_day_needs_the_visit_s_days() -> None:
    """Without the visit's days (a program's, a file's), a day is written whole."""
    assert fields.moment_on("2022-03-15 10:00", "") == "2022-03-15T10:00"
    with pytest.raises(ValueError, match="is not a date"):
        fields.moment_on("Tue 10:00", "2022-03-16")
    with pytest.raises(ValueError, match="is not a date and time"):
        fields.moment("Tue 10:00")  # what an import, the API and check read


def test_a_moment_typed_is_read_with_the_visit_s_own_days(hull_path: Path) -> None:
    from irp_field.api.visits import open_visit, typed_moment

    with open_visit(hull_path) as visit:
        assert typed_moment(visit, "Tue 10:00", "2022-03-16") == "2022-03-15T10:00"
        assert typed_moment(visit, "9.30", "2022-03-16") == "2022-03-16T09:30"


@pytest.mark.parametrize(
    ("typed", "day"),
    [("15", "2022-03-15"), ("15/3", "2022-03-15"), ("15.03.22", "2022-03-15"),
     ("Tue", "2022-03-15"), ("tuesday", "2022-03-15"), ("Mo", "2022-03-14"),
     ("2022-03-20", "2022-03-20")],
)  # fmt: skip
def test_a_day_is_taken_short_when_one_day_of_the_visit_is_so(typed: str, day: str) -> None:
    assert fields.visit_day(typed, "2022-03-14", "2022-03-16") == day


@pytest.mark.parametrize("typed", ["13", "15/4", "Fri", "t", "2022-02-30", "15/3/21"])
def test_a_short_day_outside_the_visit_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match=r"not a (day of the visit|date)"):
        fields.visit_day(typed, "2022-03-14", "2022-03-16")


@pytest.mark.parametrize("typed", ["15", "Tue", "15/3", "2022-03-15"])
def test_a_day_typed_anywhere_is_read_as_f6_reads_it(hull_path: Path, typed: str) -> None:
    """F6 took "15" and "Tue" as a day; the new-round dialog (and ``rounds edit --day``,
    ``links add --date``) refused them. A day a person types is read by one rule
    (``fields.visit_day``, through ``typed_day`` with the visit's dates); a file's or a
    program's day is written whole (the import and the API agree: test_rules_everywhere)."""
    from irp_field.api.visits import open_visit, typed_day

    with open_visit(hull_path) as visit:
        assert typed_day(visit, typed) == "2022-03-15"
        with pytest.raises(ValueError, match=r"'Fri' is not a day of the visit \(2022-03-14 to"):
            typed_day(visit, "Fri")


def test_an_activity_is_its_first_letters() -> None:
    assert [vocabulary.complete(w, vocabulary.ACTIVITIES) for w in ("g", "G", "op", "o", "ot", "open a", "x", "")] == [
        "gym", "gym", "open_air", "open_air", "other", "open_air", None, None,
    ]  # fmt: skip


def test_a_period_typed_0900_is_stored_09_00_and_a_stored_0900_is_refused() -> None:
    entry, found = time_out_of_cell.period_verdicts(
        "2022-03-15", "Z01", "Unemployed", "0900", "10.30", "gym"
    )
    assert found == [] and (entry.start, entry.end) == ("09:00", "10:30")
    _, found = time_out_of_cell.period_verdicts(
        "2022-03-15", "Z01", "Unemployed", "0900", "9:30", "gym", stored=True
    )
    assert [v.field for v in found] == ["start", "end"]
    assert "as stored (HH:MM" in found[0].message


def test_a_time_out_of_cell_import_takes_0900(empty_visit: VisitFile, tmp_path: Path) -> None:
    sheet = tmp_path / "toc.csv"
    sheet.write_text(
        "date,subject,group,start,end,activity\n2022-03-15,Z01,Unemployed,0900,9.45,gym\n",
        encoding="utf-8",
    )
    api.evidence.import_csv(empty_visit, "time-out-of-cell", sheet)
    row = empty_visit.one("SELECT start_time, end_time FROM toc_period WHERE subject = 'Z01'")
    assert row is not None and (row["start_time"], row["end_time"]) == ("09:00", "09:45")


def test_check_refuses_a_time_stored_otherwise_than_hh_mm(hull_path: Path) -> None:
    """A hand wrote 9:30 into the file: the rules took it (it parses), and the day's
    minutes were read from the wrong characters; check (and so the merge) names it."""
    other = sqlite3.connect(hull_path)
    with other:
        other.execute("UPDATE toc_period SET start_time = '9:30' WHERE subject = 'U01' AND "
                      "on_date = '2022-03-14' AND start_time = '08:50'")  # fmt: skip
        other.execute("UPDATE roll_round SET at_time = '1000' WHERE name = 'Mon AM'")
    other.close()
    with VisitFile.open(hull_path, readonly=True) as visit:
        found = [(f.kind, f.verdict.message) for f in audit.everything(visit)]
    assert ("time out of cell", "'9:30' is not a time of day as stored (HH:MM, 24-hour)") in found
    assert ("round", "'1000' is not a time of day as stored (HH:MM, 24-hour)") in found


# -- the route --------------------------------------------------------------------------


def test_a_route_is_each_location_where_it_was_first_counted() -> None:
    places = ["A", "B", "C", "D", "E"]
    assert rounds.route([], places) == places  # nothing counted yet: the list's order
    assert rounds.route([["C", "A"], ["B", "D"], ["D", "C", "A", "B"]], places) == [
        "C", "A", "B", "D", "E",
    ]  # fmt: skip
    assert rounds.route([["X", "B"]], places) == [
        "B",
        "A",
        "C",
        "D",
        "E",
    ]  # X: no longer a location
    walk = ["C", "A", "B", "D", "E"]
    assert rounds.next_on_route(walk, set(), None) == "C"
    assert rounds.next_on_route(walk, {"C", "A"}, "A") == "B"
    assert rounds.next_on_route(walk, {"C", "A", "B", "D", "E"} - {"A"}, "E") == "A"  # wraps
    assert rounds.next_on_route(walk, {"B"}, "X") == "C"  # after one not on it: from the start
    assert rounds.next_on_route(walk, set(walk), "E") is None


def test_the_locations_passed_over_are_those_behind_the_furthest_reached() -> None:
    """Issue 22's walk: A counted, then D out of order; B and C, passed over, went
    unsaid until the route came round to them."""
    walk = ["A", "B", "C", "D", "E", "F"]
    assert rounds.passed_over(walk, set(), ()) == []
    assert rounds.passed_over(walk, {"A", "B"}, ("A", "B")) == []  # in order
    assert rounds.passed_over(walk, {"A", "D"}, ("A", "D")) == ["B", "C"]
    assert rounds.passed_over(walk, {"A", "D", "B"}, ("A", "D", "B")) == ["C"]  # back for B
    assert rounds.passed_over(walk, {"A", "D", "C"}, ("A", "D")) == ["B"]  # C: a colleague's
    # began at D (a second inspector's half): reaching A passes over nothing, B passes A
    assert rounds.passed_over(walk, {"D", "E", "F", "A"}, ("D", "E", "F", "A")) == []
    assert rounds.passed_over(walk, {"D", "E", "F", "B"}, ("D", "E", "F", "B")) == ["A"]
    assert rounds.passed_over(walk, {"X", "B"}, ("X", "B")) == ["A"]  # X: no longer a location


def test_an_inspector_s_route_is_learned_from_the_order_they_typed_their_first_round(
    empty_visit: VisitFile,
) -> None:
    """Typed up from paper at the round's time (every check at 10:00), in the sheet's
    order C, A, B: the route is the sheet's, not the list's; a later round walked
    otherwise places only what the first did not count (D), and another inspector's
    checks change nothing."""
    for name in ("A wing", "B wing", "C wing", "D wing"):
        evidence.add_location(empty_visit, name)
    for name in ("Ann", "Bob"):  # a check's inspector is on the team (issue 25)
        evidence.add_team_member(empty_visit, name)
    places = roll_checks.locations(empty_visit)
    ids = {place.name[0]: place.id for place in places}

    def count(round_name: str, at: str, order: str, inspector: str) -> None:
        for letter in order:
            evidence.record_roll_check(
                empty_visit, location_id=ids[letter], counts=COUNTS, taken_at=at,
                round_label=round_name, inspector=inspector,
            )  # fmt: skip

    count("Mon AM", "2022-03-14T10:00", "CAB", "Ann")
    count("Mon PM", "2022-03-14T14:00", "BDCA", "Ann")
    count("Tue AM", "2022-03-15T10:00", "DC", "Bob")  # another inspector's walk
    learned = roll_checks.route(empty_visit, "Ann", places)
    assert [next(p.name for p in places if p.id == i)[0] for i in learned] == list("CABD")
    current = rounds_api.find_round(empty_visit, "Mon AM")
    assert current is not None
    but_this = roll_checks.route(empty_visit, "Ann", places, current.id)
    assert [next(p.name for p in places if p.id == i)[0] for i in but_this] == list("BDCA")
    assert roll_checks.last_counted(empty_visit, current.id, "Ann") == ids["B"]
    assert roll_checks.walked(empty_visit, current.id, "Ann") == [ids["C"], ids["A"], ids["B"]]
    assert roll_checks.route(empty_visit, "Cy", places) == [place.id for place in places]


def test_a_share_written_with_a_percent_sign_is_refused_saying_how_to_write_it(
    hull_path: Path, tmp_path: Path
) -> None:
    """A walk: a data return's value "34%" was refused "must be a number" with no word of
    how a share is written; the rule says so, on the screen and in an import alike."""
    with pytest.raises(ValueError) as refused:
        fields.decimal_number("34%")
    assert str(refused.value) == (
        "value must be a number, not '34%' (34% is 34 with the unit percent, or 0.34 with "
        "proportion)"
    )
    with pytest.raises(ValueError, match=r"must be a number, not 'many'$"):
        fields.decimal_number("many")  # no sign of a share: no hint
    sheet = tmp_path / "data.csv"
    sheet.write_text("key,value,unit\nedu_share,34%,proportion\n", encoding="utf-8")
    with VisitFile.open(hull_path) as visit, pytest.raises(IrpError, match=r"0\.34 with"):
        api.import_csv(visit, "data", sheet)
