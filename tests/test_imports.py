"""CSV imports: every kind, all or nothing, with the file, line and column of each problem."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import InputError, IrpError
from irp_field.interchange.imports import import_csv

TEAM = "name,role,body\nJade Richards,Inspector,HMIP\nSheila Willis,Ofsted inspector,ofsted\n"
LOCATIONS = "name,kind,capacity\nA wing,wing,120\nB wing,wing,\nSegregation unit,unit,12\n"
PLAN = (
    "ref,kind,body,area,concern,text,judgement,group\n"
    "1.34a,recommendation,HMIP,Safety,Force,Use less force.,good,1.34\n"
    "1.34b,recommendation,HMIP,Safety,Force,Better segregation regime.,Good progress,1.34\n"
    "1.38,recommendation,HMIP,Purposeful activity,Regime,More time out of cell.,,\n"
    'Theme 1,theme,Ofsted,"Education, skills and work",,More qualifications.,reasonable,\n'
)
ROLL_HEADER = "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,elsewhere,round,inspector,note\n"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def visit(empty_visit: VisitFile, tmp_path: Path) -> VisitFile:
    for kind, text in (("team", TEAM), ("locations", LOCATIONS), ("plan", PLAN)):
        import_csv(empty_visit, kind, write(tmp_path, f"{kind}.csv", text))
    return empty_visit


# Who imports a sheet of periods or answers records it, held to the team
# (``domain.recorders``; a stranger is refused: test_recorders.py): a member imports them.
MEMBER = "Jade Richards"


def fingerprint(visit: VisitFile) -> str:
    """Everything in the file's tables, to prove that a refused import wrote nothing."""
    digest = hashlib.sha256()
    for (table,) in visit.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ):
        for row in sorted(repr(tuple(r)) for r in visit.query(f"SELECT * FROM [{table}]")):
            digest.update(row.encode())
    return digest.hexdigest()


def test_team_locations_and_plan(visit: VisitFile) -> None:
    bodies = {r["name"]: r["body"] for r in visit.query("SELECT name, body FROM team_member")}
    assert bodies == {"Jade Richards": "HMIP", "Sheila Willis": "Ofsted"}
    capacities = {
        r["name"]: r["capacity"] for r in visit.query("SELECT name, capacity FROM location")
    }
    assert capacities == {"A wing": 120, "B wing": None, "Segregation unit": 12}
    judgements = {
        r["unit"]: (r["scale"], r["level"]) for r in visit.query("SELECT * FROM judgement")
    }
    assert judgements == {"1.34": ("hmip", "good"), "Theme 1": ("ofsted", "reasonable")}
    groups = {
        r["ref"]: r["judged_group"] for r in visit.query("SELECT ref, judged_group FROM plan_item")
    }
    assert groups["1.34a"] == groups["1.34b"] == "1.34"


def test_roll_checks_with_a_byte_order_mark(visit: VisitFile, tmp_path: Path) -> None:
    text = (
        ROLL_HEADER + "2022-03-14T10:00,A wing,120,50,20,15,30,5,Mon AM,Jade Richards,\n"
        "2022-03-14 10:05,b WING,90,40,10,10,25,3,Mon AM,jade richards,short by two\n"
    )
    result = import_csv(visit, "roll-checks", write(tmp_path, "roll.csv", "\ufeff" + text))
    assert result.rows == 2
    rows = visit.query(
        "SELECT r.*, l.name AS place FROM roll_check r JOIN location l ON l.id = r.location_id ORDER BY taken_at"
    )
    assert [(r["place"], r["roll"], r["locked_up"], r["inspector"]) for r in rows] == [
        ("A wing", 120, 50, "Jade Richards"),
        ("B wing", 90, 40, "Jade Richards"),
    ]
    assert rows[1]["taken_at"] == "2022-03-14T10:05"
    assert all(r["import_id"] == result.import_id for r in rows)
    assert all(r["created_by"] == "Test Inspector" and r["version"] for r in rows)


def test_optional_columns_may_be_left_out(visit: VisitFile, tmp_path: Path) -> None:
    text = (
        "taken_at,location,roll,locked_up,off_wing_activity,wing_work,unlocked_on_wing,elsewhere\n"
        "2022-03-14T10:00,A wing,10,10,0,0,0,0\n"
    )
    assert import_csv(visit, "roll-checks", write(tmp_path, "r.csv", text)).rows == 1


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            "roll-checks",
            ROLL_HEADER + "2022-03-14T10:00,A wing,120,-5,0,0,0,0,,,\n",
            "line 2, column locked_up: locked_up cannot be negative",
        ),
        (
            "roll-checks",
            ROLL_HEADER + "2022-03-14T10:00,A wing,120,5.5,0,0,0,0,,,\n",
            "line 2, column locked_up: locked_up must be a whole number",
        ),
        (
            "roll-checks",
            ROLL_HEADER + "2022-03-14T10:00,A wing,10,5,5,5,0,0,,,\n",
            "line 2, column roll: the categories add up to 15, more than the roll of 10",
        ),
        (
            "roll-checks",
            ROLL_HEADER + "2022-03-14T10:00,Z wing,10,5,5,0,0,0,,,\n",
            "line 2, column location: unknown location 'Z wing'",
        ),
        (
            "roll-checks",
            ROLL_HEADER + "2022-03-14T10:00,A wing,10,5,5,0,0,0,,Nobody,\n",
            "line 2, column inspector: unknown team member 'Nobody'",
        ),
        (
            "roll-checks",
            ROLL_HEADER + "2022-02-30T10:00,A wing,10,5,5,0,0,0,,,\n",
            "line 2, column taken_at: '2022-02-30T10:00' is not a date and time",
        ),
        (
            "roll-checks",
            ROLL_HEADER + "2022-03-14T25:00,A wing,10,5,5,0,0,0,,,\n",
            "column taken_at",
        ),
        (
            "time-out-of-cell",
            "date,subject,group,start,end,activity\n2022-03-14,U01,Unemployed,10:00,09:30,domestic\n",
            "line 2, column end: the period ends (09:30) before or when it starts (10:00)",
        ),
        (
            "time-out-of-cell",
            "date,subject,group,start,end,activity\n2022-03-14,U01,Unemployed,09:00,09:30,bingo\n",
            "line 2, column activity: unknown activity 'bingo'",
        ),
        (
            "time-out-of-cell",
            "date,subject,group,start,end,activity\n2022-03-14,U01,Unemployed,9:61,10:00,gym\n",
            "line 2, column start: '9:61' is not a time of day",
        ),
        (
            "time-out-of-cell",
            "date,subject,group,start,end,activity\n2022-03-14,U01,Unemployed,09:00,09:30,gym\n2022-03-14,U01,Full-time work,10:00,11:30,work\n",
            "line 3, column group: subject U01 is in group 'Unemployed' on 2022-03-14 in line 2",
        ),
        (
            "notes",
            "source,taken_at,author,text,plan_refs,tags\ngossip,2022-03-14T10:00,Jade Richards,Heard it,,\n",
            "line 2, column source: unknown source 'gossip'",
        ),
        (
            "notes",
            "source,taken_at,author,text,plan_refs,tags\nstaff,2022-03-14T10:00,Jade Richards,Said so,9.99,\n",
            "line 2, column plan_refs: unknown plan ref '9.99'",
        ),
        (
            "plan",
            "ref,kind,body,area,text,judgement\n1.40,recommendation,HMIP,Safety,Text,Significant progress\n",
            "line 2, column judgement: 'Significant progress' is not a judgement on the HMI Prisons scale",
        ),
        (
            "data",
            "key,value,unit\nprev_pct,48,proportion\n",
            "line 2, column value: a proportion is between 0 and 1, not 48.0",
        ),
        ("data", "key,value,unit\nPrev Pct,0.4,proportion\n", "line 2, column key"),
        ("team", "name,role,body\nA,B,Police\n", "line 2, column body: unknown body 'Police'"),
        ("roll-checks", "taken_at,location,roll\n", "column locked_up: required column is missing"),
        (
            "team",
            "name,role,body,shoe_size\nA,B,HMIP,9\n",
            "line 1, column shoe_size: unknown column",
        ),
        ("team", "", "line 1: the file is empty"),
        ("team", "name,role,body\n", "line 2: the file has a header but no rows"),
        ("team", "name,role,body\nA,B\n", "line 2: has 2 values for 3 columns"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(
    visit: VisitFile, tmp_path: Path, kind: str, text: str, expected: str
) -> None:
    good_first = {"roll-checks": "2022-03-14T09:00,A wing,10,5,5,0,0,0,,,\n"}.get(kind, "")
    if good_first and text.count("\n") > 1:
        header, rest = text.split("\n", 1)
        text = header + "\n" + good_first + rest
        expected = expected.replace("line 2", "line 3")
    before = fingerprint(visit)
    visit.user = MEMBER
    with pytest.raises(InputError) as refused:
        import_csv(visit, kind, write(tmp_path, "bad.csv", text))
    message = str(refused.value)
    assert message.startswith("bad.csv, line ")
    assert expected in message
    assert message.endswith("Nothing was imported.")
    assert fingerprint(visit) == before


def test_a_file_that_is_not_utf8_names_the_line(visit: VisitFile, tmp_path: Path) -> None:
    path = write(
        tmp_path, "latin.csv", "name,role,body\nA,B,HMIP\nJos\xe9,C,HMIP\n".encode("latin-1")
    )
    with pytest.raises(InputError, match=r"latin\.csv, line 3: is not UTF-8"):
        import_csv(visit, "team", path)


def test_every_problem_is_listed_not_only_the_first(visit: VisitFile, tmp_path: Path) -> None:
    text = ROLL_HEADER + "x,A wing,1,1,0,0,0,0,,,\n2022-03-14T10:00,Nowhere,1,1,0,0,0,0,,,\n"
    with pytest.raises(InputError) as refused:
        import_csv(visit, "roll-checks", write(tmp_path, "two.csv", text))
    assert "line 2, column taken_at" in str(refused.value)
    assert "line 3, column location" in str(refused.value)


def test_the_same_file_twice_is_not_double_counted(visit: VisitFile, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", ROLL_HEADER + "2022-03-14T10:00,A wing,10,5,5,0,0,0,,,\n")
    assert import_csv(visit, "roll-checks", path).rows == 1
    again = import_csv(visit, "roll-checks", path)
    assert again.rows == 0 and again.already is not None
    assert again.already["created_by"] == "Test Inspector"
    assert visit.one("SELECT COUNT(*) FROM roll_check")[0] == 1  # type: ignore[index]
    # Since issue 13 a location counts once per round: imported again, the same check of
    # A wing in its round is refused (it used to be counted twice), or replaces it.
    with pytest.raises(InputError, match="A wing is already counted in round Mon 14 Mar 10:00"):
        import_csv(visit, "roll-checks", path, again=True)
    assert import_csv(visit, "roll-checks", path, again=True, replace=True).rows == 1
    assert visit.one("SELECT COUNT(*) FROM roll_check")[0] == 1  # type: ignore[index]


def test_time_out_of_cell_group_must_match_the_file(visit: VisitFile, tmp_path: Path) -> None:
    visit.user = MEMBER
    header = "date,subject,group,start,end,activity\n"
    import_csv(
        visit,
        "time-out-of-cell",
        write(tmp_path, "a.csv", header + "2022-03-14,U01,Unemployed,09:00,09:30,open_air\n"),
    )
    with pytest.raises(InputError, match="in the visit file, not 'Full-time work'"):
        import_csv(
            visit,
            "time-out-of-cell",
            write(tmp_path, "b.csv", header + "2022-03-14,U01,Full-time work,10:00,11:00,work\n"),
        )


def test_samples_need_a_frame_and_a_population_when_new(visit: VisitFile, tmp_path: Path) -> None:
    visit.user = MEMBER
    path = write(
        tmp_path,
        "s.csv",
        "record,criterion,answer,comment\nUoF-1,Complete,yes,\nUoF-1,On time,N/A,\n",
    )
    with pytest.raises(IrpError, match="--frame"):
        import_csv(visit, "sample", path)
    with pytest.raises(IrpError, match="--population"):
        import_csv(visit, "sample", path, frame="Use of force")
    with pytest.raises(InputError, match="line 3, column answer: unknown answer 'N/A'"):
        import_csv(visit, "sample", path, frame="Use of force", population=50)
    path.write_text(
        "record,criterion,answer,comment\nUoF-1,Complete,yes,\nUoF-1,On time,NA,late\nUoF-2,Complete,no,\n"
    )
    assert import_csv(visit, "sample", path, frame="Use of force", population=50).rows == 3
    answers = visit.query(
        "SELECT a.record, c.name, a.answer, a.comment FROM sample_answer a JOIN sample_criterion c ON c.id = a.criterion_id ORDER BY a.record, c.position"
    )
    assert [tuple(a) for a in answers] == [
        ("UoF-1", "Complete", "yes", ""),
        ("UoF-1", "On time", "na", "late"),
        ("UoF-2", "Complete", "no", ""),
    ]


def test_notes_link_plan_items_and_are_searchable(visit: VisitFile, tmp_path: Path) -> None:
    from irp_field.evidence.notes import search_notes

    text = (
        "source,taken_at,author,text,plan_refs,tags\n"
        "prisoner,2022-03-14T11:00,Jade Richards,Locked up 23 hours on B wing,1.38;1.34A,regime;b-wing\n"
    )
    import_csv(visit, "notes", write(tmp_path, "n.csv", text))
    found = search_notes(visit, "locked")
    assert len(found) == 1
    assert set(found[0].plan_refs) == {"1.38", "1.34a"}
    assert found[0].tags == ("regime", "b-wing")
    with visit.transaction():
        visit.delete("note", found[0].id)
    assert search_notes(visit, "locked") == []


def test_keyed_imports_update_in_place(visit: VisitFile, tmp_path: Path) -> None:
    import_csv(
        visit, "locations", write(tmp_path, "l2.csv", "name,kind,capacity\na wing,wing,130\n")
    )
    rows = visit.query("SELECT name, capacity FROM location WHERE name LIKE 'a wing'")
    assert [tuple(r) for r in rows] == [("a wing", 130)]


def test_the_collector_pause_ends_with_the_last_import_even_after_a_refusal(
    hull: VisitFile, tmp_path: Path
) -> None:
    """Imports pause Python's cyclic collector (a third of their time went to it); it
    runs again afterwards, whether the file was refused or not, and overlapping pauses
    end with the last."""
    import gc

    from irp_field.core import bulk

    assert gc.isenabled()
    bad = tmp_path / "bad.csv"
    bad.write_text("name,role,body\nA,B,Nowhere\n", encoding="utf-8")
    with pytest.raises(InputError):
        import_csv(hull, "team", bad)
    assert gc.isenabled()
    with bulk.collector_paused():
        with bulk.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still runs
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk.collector_paused():
            pass
        assert not gc.isenabled()  # a collector off before stays off
    finally:
        gc.enable()


def test_a_file_without_an_optional_column_keeps_what_is_stored(
    visit: VisitFile, tmp_path: Path
) -> None:
    """Issue 13: re-importing locations from a file without the capacity column used to
    blank every capacity. A column the file leaves out keeps the stored values; an empty
    cell in a file that has the column blanks the value, and the import says so."""
    with_capacity = write(
        tmp_path, "l1.csv", "name,kind,capacity\nA wing,wing,126\nB wing,wing,118\n"
    )
    import_csv(visit, "locations", with_capacity)
    without = write(tmp_path, "l2.csv", "name,kind\nA wing,wing\nB wing,unit\n")
    assert not import_csv(visit, "locations", without).warnings
    rows = visit.query("SELECT * FROM location WHERE name LIKE '_ wing'")
    stored = {r["name"]: (r["kind"], r["capacity"]) for r in rows}
    assert stored == {"A wing": ("wing", 126), "B wing": ("unit", 118)}
    blanked = write(tmp_path, "l3.csv", "name,kind,capacity\nA wing,wing,\nB wing,unit,120\n")
    warnings = import_csv(visit, "locations", blanked).warnings
    assert len(warnings) == 1 and "A wing's capacity (126) is blanked" in warnings[0]
    assert "line 2" in warnings[0]
    rows = visit.query("SELECT * FROM location WHERE name LIKE '_ wing'")
    assert {r["name"]: r["capacity"] for r in rows} == {"A wing": None, "B wing": 120}


def test_a_header_of_megabytes_is_refused_in_one_line_before_it_is_read(
    visit: VisitFile, tmp_path: Path
) -> None:
    """A header of a million commas (1 MB) held a million problems, each quoting every
    column's name (484 MB for the file of one; 35 MB of names, 1.8 GB): a header is a few
    hundred characters, and one over 64 KiB is refused unread (hostile F5)."""
    before = fingerprint(visit)
    for header in ("," * 1_000_000, ",".join(f"c{n}" for n in range(200_000))):
        sheet = write(tmp_path, "wide.csv", header + "\n1,2\n")
        with pytest.raises(InputError) as refused:
            import_csv(visit, "roll-checks", sheet)
        assert str(refused.value).splitlines() == [
            "wide.csv, line 1: the header row is over 65,536 characters long: not an irp-field CSV",
            "Nothing was imported.",
        ]
    assert fingerprint(visit) == before


def test_a_header_of_many_unknown_columns_keeps_a_hundred_problems(
    visit: VisitFile, tmp_path: Path
) -> None:
    """Under the bound, each unknown or repeated column is a problem; the first hundred
    are kept, the rest counted."""
    header = "taken_at,location,roll," + ",".join(["x"] * 5_000)
    with pytest.raises(InputError) as refused:
        import_csv(visit, "roll-checks", write(tmp_path, "many.csv", header + "\n"))
    assert len(refused.value.problems) == 100
    message = str(refused.value)
    assert "... and 9984 more problems" in message  # 5,000 unknown, 4,999 repeated
    assert message.count("\n") <= 22


def test_second_checks_in_one_file_name_their_first_lines_reading_the_file_once(
    visit: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each second check of a place in a round read the whole file again (and looked up
    a round a line) to name the first one's line: 1,000 such pairs took 45 s, 4,000 ran
    past five minutes (hostile F7). The held checks answer it in one pass now."""
    from irp_field.interchange import csv_rows

    opened: list[Path] = []
    real_open = csv_rows.open_csv
    monkeypatch.setattr(csv_rows, "open_csv", lambda path: opened.append(path) or real_open(path))
    pairs = 300
    lines = [
        f"2022-03-14T10:00,{place},10,5,0,0,5,0,R{n},,\n"
        for n in range(pairs // 2)
        for place in ("A wing", "B wing")
        for _ in range(2)
    ]
    before = fingerprint(visit)
    with pytest.raises(InputError) as refused:
        import_csv(visit, "roll-checks", write(tmp_path, "twice.csv", ROLL_HEADER + "".join(lines)))
    problems = refused.value.problems
    assert len(problems) == pairs
    assert [(p.line, p.message.split("(")[1][:8]) for p in problems[:3]] == [
        (3, "line 2);"),
        (5, "line 4);"),
        (7, "line 6);"),
    ]
    assert all(f"(line {p.line - 1})" in p.message for p in problems)
    assert len(opened) <= 2  # the header, then the rows: never again a refusal
    assert fingerprint(visit) == before


def test_a_file_changed_between_its_two_readings_is_refused_naming_it(
    visit: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its bytes are checked (UTF-8, no NUL), then its records read: a file rewritten in
    between with bytes no UTF-8 text holds stopped the import with a traceback
    (UnicodeDecodeError; hostile F11). Refused naming the file, nothing written."""
    from irp_field.interchange import csv_rows

    sheet = write(tmp_path, "moving.csv", ROLL_HEADER + "2022-03-14T09:00,A wing,10,5,5,0,0,0,,,\n")
    checked = csv_rows._bytes_pass

    def checked_then_rewritten(path: Path, name: str) -> tuple[str, bool, int]:
        found = checked(path, name)
        path.write_bytes(ROLL_HEADER.encode() + b"2022-03-14T09:00,A wing,10,5,5,0,0,0,,,\xff\n")
        return found

    monkeypatch.setattr(csv_rows, "_bytes_pass", checked_then_rewritten)
    before = fingerprint(visit)
    with pytest.raises(InputError) as refused:
        import_csv(visit, "roll-checks", sheet)
    said = str(refused.value).splitlines()
    assert said[0].startswith("moving.csv, line ") and said[1:] == ["Nothing was imported."]
    assert said[0].endswith(
        ": is no longer UTF-8 text: the file changed while it was read (save it, then import again)"
    )  # the line: where the reading was (it reads ahead), not always the bytes' own
    assert fingerprint(visit) == before
