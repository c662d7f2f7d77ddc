"""A streamed import is one import: records handed out in many small batches give the
same rows as one batch, problems in any batch name their own line, a refusal in a later
batch leaves the visit as it was, and memory does not grow with the file."""

from __future__ import annotations

import csv
import hashlib
import io
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_imports import LOCATIONS, PLAN, TEAM, fingerprint, write

from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import InputError
from irp_field.interchange import csv_rows, import_evidence
from irp_field.interchange.imports import import_csv

PLACES = ("A wing", "b WING", "Segregation unit")
ROLL_COLUMNS = ("taken_at", "location", "roll", "locked_up", "off_wing_activity", "wing_work",
                "unlocked_on_wing", "elsewhere", "round", "inspector", "note")  # fmt: skip
STORED = (
    "SELECT r.taken_at, l.name, r.roll, r.locked_up, r.off_wing_activity, r.wing_work, "
    "r.unlocked_on_wing, r.elsewhere, (SELECT name FROM roll_round o WHERE o.id = r.round_id), "
    "r.inspector, r.note FROM roll_check r "
    "JOIN location l ON l.id = r.location_id"
)


def roll_rows(count: int, crowded: bool = True) -> list[list[str]]:
    """Good roll checks (no rule refuses them), some with a note running over two lines
    so that records and lines part company; ``crowded``: some rolls above the
    segregation unit's capacity of 12, which the import warns of."""
    rows = []
    for index in range(count):
        roll = (10 if crowded else 5) + index % 7
        locked = index % 5
        note = f"short by {roll - locked}\non the landing" if index % 9 == 4 else ""
        on_wing = 0 if note else roll - locked
        rows.append([
            # a round's checks on its day (issue 25: another day is warned of)
            f"2022-03-{14 + index // len(PLACES) % 3}T{8 + index % 10:02d}:{index % 60:02d}",
            PLACES[index % len(PLACES)], str(roll), str(locked), "0", "0", str(on_wing), "0",
            f"R{index // len(PLACES)}", "jade richards" if index % 2 else "", note,
        ])  # fmt: skip
    return rows


def roll_csv(path: Path, rows: list[list[str]], blank_every: int = 0) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ROLL_COLUMNS)
    for index, row in enumerate(rows):
        writer.writerow(row)
        if blank_every and index % blank_every == blank_every - 1:
            buffer.write("\n")  # blank lines are skipped, but still counted as lines
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def line_of(path: Path, row: int) -> int:
    """The line the record ``row`` (0-based) starts on, read by the csv module."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        seen, line = 0, reader.line_num + 1
        for values in reader:
            if values:
                if seen == row:
                    return line
                seen += 1
            line = reader.line_num + 1
    raise AssertionError(f"no record {row}")


def new_visit(folder: Path) -> VisitFile:
    folder.mkdir()
    visit = VisitFile.create(
        folder / "v.db",
        establishment="HMP Test",
        start_date="2022-03-14",
        end_date="2022-03-16",
        user="Jade Richards",  # on its team: who imports a sheet records it (domain.recorders)
    )
    for kind, text in (("team", TEAM), ("locations", LOCATIONS), ("plan", PLAN)):
        import_csv(visit, kind, write(folder, f"{kind}.csv", text))
    return visit


@pytest.fixture
def visit(tmp_path: Path) -> Iterator[VisitFile]:
    with new_visit(tmp_path / "visit") as opened:
        yield opened


@pytest.fixture
def batches_seen(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every batch the roll-check checker is handed."""
    seen: list[int] = []
    checker = import_evidence.RollCheckChecker
    check = checker.check

    def counting(
        self: import_evidence.RollCheckChecker, batch: list[tuple[int, list[str]]]
    ) -> list[Any]:
        seen.append(len(batch))
        return check(self, batch)

    monkeypatch.setattr(checker, "check", counting)
    return seen


def test_many_batches_give_the_same_rows_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batches_seen: list[int]
) -> None:
    rows = roll_rows(103)
    path = roll_csv(tmp_path / "roll.csv", rows, blank_every=10)
    with new_visit(tmp_path / "one") as visit:
        one = import_csv(visit, "roll-checks", path)
        in_one = sorted(tuple(r) for r in visit.query(STORED))
    assert batches_seen == [103]
    batches_seen.clear()
    monkeypatch.setattr(csv_rows, "BATCH", 7)
    with new_visit(tmp_path / "many") as visit:
        many = import_csv(visit, "roll-checks", path)
        in_many = sorted(tuple(r) for r in visit.query(STORED))
        logged = visit.query("SELECT rows, sha256 FROM import_log WHERE kind = 'roll-checks'")
    assert batches_seen == [7] * 14 + [5]
    assert one.rows == many.rows == 103
    assert one.warnings == many.warnings != []  # rolls above the segregation unit's 12
    assert in_many == in_one and len(in_one) == 103
    two_line_notes = sorted(row[-1] for row in rows if "\n" in row[-1])
    assert sorted(r[-1] for r in in_many if "\n" in r[-1]) == two_line_notes != []
    assert [tuple(r) for r in logged] == [(103, one_sha(path))]


def one_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("bad_at", [0, 50, 102])
def test_a_bad_row_in_any_batch_leaves_the_visit_untouched(
    visit: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad_at: int
) -> None:
    """All or nothing across batches: earlier batches were written inside the import's
    transaction, and the refusal rolls them back; the line named is the record's own."""
    monkeypatch.setattr(csv_rows, "BATCH", 7)
    rows = roll_rows(103)
    rows[bad_at][3] = str(int(rows[bad_at][2]) + 1)  # more locked up than on the roll
    path = roll_csv(tmp_path / "bad.csv", rows, blank_every=10)
    before = fingerprint(visit)
    with pytest.raises(InputError) as refused:
        import_csv(visit, "roll-checks", path)
    message = str(refused.value)
    assert f"bad.csv, line {line_of(path, bad_at)}, column roll: the categories add up" in message
    assert message.endswith("Nothing was imported.")
    assert fingerprint(visit) == before
    assert visit.one("SELECT COUNT(*) FROM roll_check")[0] == 0  # type: ignore[index]


def test_every_batch_is_read_to_name_every_problem(
    visit: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A problem in the first batch stops the writing, not the reading: problems in later
    batches (rule refusals and broken records alike) are named too."""
    monkeypatch.setattr(csv_rows, "BATCH", 7)
    rows = roll_rows(60)
    rows[2][1] = "Nowhere"
    rows[40][2] = "-3"
    path = roll_csv(tmp_path / "bad.csv", rows)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("2022-03-14T10:00,A wing,1\n")  # too few values, after the last batch
    before = fingerprint(visit)
    with pytest.raises(InputError) as refused:
        import_csv(visit, "roll-checks", path)
    message = str(refused.value)
    assert f"line {line_of(path, 2)}, column location: unknown location 'Nowhere'" in message
    assert f"line {line_of(path, 40)}, column roll: roll cannot be negative" in message
    assert "has 3 values for 11 columns" in message
    assert fingerprint(visit) == before


def test_a_subject_in_two_groups_is_refused_across_batches(
    visit: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a checker keeps between batches (each subject-day's group) spans the file."""
    monkeypatch.setattr(csv_rows, "BATCH", 5)
    lines = ["date,subject,group,start,end,activity"]
    lines += [f"2022-03-14,U{n:02d},Unemployed,09:00,09:30,gym" for n in range(12)]
    lines.append("2022-03-14,U03,Full-time work,10:00,11:00,work")  # line 14, batch 3
    path = write(tmp_path, "toc.csv", "\n".join(lines) + "\n")
    before = fingerprint(visit)
    with pytest.raises(InputError, match="line 14, column group: subject U03 is in group "):
        import_csv(visit, "time-out-of-cell", path)
    assert fingerprint(visit) == before


def _peak_bytes(visit: VisitFile, path: Path) -> int:
    tracemalloc.start()
    try:
        import_csv(visit, "roll-checks", path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's allocations peak at about one batch, however long the file: four times
    the rows (sixteen batches instead of four) may not raise the peak by a fifth."""
    monkeypatch.setattr(csv_rows, "BATCH", 500)
    monkeypatch.setattr(csv_rows, "CHUNK", 1 << 14)  # the first pass's reads, kept small too
    small = roll_csv(tmp_path / "small.csv", roll_rows(2_000, crowded=False))
    large = roll_csv(tmp_path / "large.csv", roll_rows(8_000, crowded=False))
    with new_visit(tmp_path / "warm") as visit:
        # First imports, compiled code, and the bounded cache of parsed moments filled
        # with every moment of both files (the small one's are the large one's first).
        # (The warnings kept are bounded too, but these rows give none.)
        assert not import_csv(visit, "roll-checks", large).warnings
    with new_visit(tmp_path / "small") as visit:
        small_peak = _peak_bytes(visit, small)
    with new_visit(tmp_path / "large") as visit:
        large_peak = _peak_bytes(visit, large)
        assert visit.one("SELECT COUNT(*) FROM roll_check")[0] == 8_000  # type: ignore[index]
    assert large_peak < 1.2 * small_peak, (small_peak, large_peak)


def test_a_batch_reads_and_starts_its_rounds_together(
    visit: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rounds a batch names are looked up in one read and the new ones started in one
    statement: reading the rounds does not grow with the rounds a file names (it was two
    reads a new round: 20,000 for the bench's 100,000 checks in 10,000 rounds)."""
    monkeypatch.setattr(csv_rows, "BATCH", 100)
    path = roll_csv(tmp_path / "roll.csv", roll_rows(300))  # 100 rounds, in 3 batches
    said: list[str] = []
    visit.conn.set_trace_callback(said.append)
    try:
        import_csv(visit, "roll-checks", path)
    finally:
        visit.conn.set_trace_callback(None)
    reads = [s for s in said if s.lstrip().startswith("SELECT") and "FROM roll_round" in s]
    assert len(reads) <= 2 * 3, len(reads)
    assert visit.one("SELECT COUNT(*) FROM roll_round WHERE deleted = 0")[0] == 100  # type: ignore[index]
    assert visit.one("SELECT COUNT(*) FROM roll_check WHERE deleted = 0")[0] == 300  # type: ignore[index]


def test_the_checks_are_written_once_in_id_order_whatever_the_batches(
    visit: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyed ids scatter over the table: the checks of every batch are held and written
    in one statement, in id order, so each page of the table is written once (batch by
    batch, every batch swept the whole table again); the tallies are summed as the
    checks'."""
    from irp_field.evidence import roll_tallies

    monkeypatch.setattr(csv_rows, "BATCH", 7)
    path = roll_csv(tmp_path / "roll.csv", roll_rows(103))
    said: list[str] = []
    visit.conn.set_trace_callback(said.append)
    try:
        import_csv(visit, "roll-checks", path)
    finally:
        visit.conn.set_trace_callback(None)
    writes = [s for s in said if s.lstrip().startswith("INSERT INTO roll_check ")]
    assert len(writes) == 1 and writes[0].rstrip().endswith("ORDER BY id"), writes[:3]
    assert visit.one("SELECT COUNT(*) FROM roll_check WHERE deleted = 0")[0] == 103  # type: ignore[index]
    assert roll_tallies.drift(visit) == []
    assert "held_roll_check" not in {
        row[0] for row in visit.query("SELECT name FROM sqlite_temp_master")
    }


@pytest.mark.parametrize("digits", [60, 5000])
def test_a_count_of_thousands_of_digits_is_refused_naming_its_line(
    visit: VisitFile, tmp_path: Path, digits: int
) -> None:
    """The fast read of a line's counts took any run of ASCII digits to Python's ``int``,
    which fails past 4,300 digits: a file with such a count stopped the import with a
    traceback. It is refused in one line naming the file, line and column, and nothing
    is written."""
    rows = roll_rows(3)
    rows[1][2] = "9" * digits
    path = roll_csv(tmp_path / "roll.csv", rows)
    with pytest.raises(InputError) as refused:
        import_csv(visit, "roll-checks", path)
    problems = refused.value.problems
    assert [(p.line, p.column) for p in problems] == [(3, "roll")], problems
    assert "roll.csv" in str(refused.value).splitlines()[0]
    assert visit.one("SELECT COUNT(*) FROM roll_check")[0] == 0  # type: ignore[index]


def test_held_checks_carry_only_what_differs_a_row(
    visit: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What every held check shares (the import's id, its author, its moment, no base
    version, not deleted) is given once to the statement that writes them, not held a
    row at a time; each check still gets its own version stamp, and every check of the
    import says the import, the author and the one moment."""
    monkeypatch.setattr(csv_rows, "BATCH", 7)
    path = roll_csv(tmp_path / "roll.csv", roll_rows(40))
    said: list[str] = []
    visit.conn.set_trace_callback(said.append)
    try:
        result = import_csv(visit, "roll-checks", path)
    finally:
        visit.conn.set_trace_callback(None)
    made = [s for s in said if s.lstrip().startswith("CREATE TABLE temp.held_roll_check")]
    assert len(made) == 1, said[:5]
    held = made[0][made[0].index("(") + 1 : made[0].rindex(")")].split(", ")
    assert held == [*import_evidence.HELD_COLUMNS, "version", "line"]
    rows = visit.query(
        "SELECT import_id, created_by, created_at, base_version, deleted, version FROM roll_check"
    )
    assert len(rows) == 40
    assert {(r[0], r[1], r[3], r[4]) for r in rows} == {(result.import_id, visit.user, "", 0)}
    assert len({r[2] for r in rows}) == 1
    assert len({r[5] for r in rows}) == 40  # a stamp a check


@pytest.mark.parametrize("replace", [False, True])
def test_a_location_counted_twice_batches_apart_is_refused_or_replaced(
    visit: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replace: bool
) -> None:
    """Found when the held checks are written at the end: each is then written one by
    one in the file's order, the later line refused naming the earlier, or with
    --replace put in its place (the tallies as the checks)."""
    from irp_field.evidence import roll_tallies

    monkeypatch.setattr(csv_rows, "BATCH", 7)
    rows = roll_rows(103)
    rows[90] = [*rows[10][:2], "3", "3", "0", "0", "0", "0", *rows[10][8:]]  # line 10 again
    path = roll_csv(tmp_path / "twice.csv", rows)
    if not replace:
        with pytest.raises(InputError) as refused:
            import_csv(visit, "roll-checks", path)
        assert f"line {line_of(path, 90)}" in str(refused.value)
        assert f"line {line_of(path, 10)}" in str(refused.value)
        assert visit.one("SELECT COUNT(*) FROM roll_check")[0] == 0  # type: ignore[index]
        return
    import_csv(visit, "roll-checks", path, replace=True)
    assert visit.one("SELECT COUNT(*) FROM roll_check WHERE deleted = 0")[0] == 102  # type: ignore[index]
    place = visit.one("SELECT id FROM location WHERE name = ? COLLATE NOCASE", (rows[10][1],))[0]  # type: ignore[index]
    counted = visit.query(
        "SELECT roll FROM roll_check r JOIN roll_round o ON o.id = r.round_id "
        "WHERE o.name = ? AND r.location_id = ?",
        (rows[10][8], place),
    )
    assert [row[0] for row in counted] == [3]
    assert roll_tallies.drift(visit) == []


def test_the_page_cache_is_larger_while_an_import_writes_then_as_it_was(
    visit: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The held checks' sorted write and the round index touch pages all over a large
    table: the import gives SQLite a larger page cache, and hands it back."""
    from irp_field.interchange import imports

    before = visit.one("PRAGMA cache_size")[0]  # type: ignore[index]
    seen: list[int] = []
    checker = import_evidence.RollCheckChecker
    finish = checker.finish

    def looking(self: import_evidence.RollCheckChecker) -> int:
        seen.append(self.visit.one("PRAGMA cache_size")[0])  # type: ignore[index]
        return finish(self)

    monkeypatch.setattr(checker, "finish", looking)
    import_csv(visit, "roll-checks", roll_csv(tmp_path / "roll.csv", roll_rows(30)))
    assert seen == [-imports.IMPORT_CACHE_KIB] and imports.IMPORT_CACHE_KIB > 2000
    assert visit.one("PRAGMA cache_size")[0] == before  # type: ignore[index]


def test_the_round_index_is_built_after_the_checks_only_when_they_outnumber_the_visit_s(
    visit: VisitFile, tmp_path: Path
) -> None:
    """Into a visit with fewer checks than the file, the checks' round index is built
    again after the write (one sort, not a scattered insert a check); into a visit with
    more, it is kept up as the checks go in (building it would cost the whole visit)."""
    index = "SELECT 1 FROM sqlite_master WHERE name = 'idx_roll_check_round'"
    for rows, rebuilt in ((roll_rows(90), True), (roll_rows(120)[90:], False)):
        said: list[str] = []
        visit.conn.set_trace_callback(said.append)
        try:
            import_csv(visit, "roll-checks", roll_csv(tmp_path / f"{len(rows)}.csv", rows))
        finally:
            visit.conn.set_trace_callback(None)
        assert any("DROP INDEX IF EXISTS idx_roll_check_round" in s for s in said) is rebuilt
        assert visit.one(index) is not None
        plan = " ".join(
            str(row[-1])
            for row in visit.query(
                "EXPLAIN QUERY PLAN SELECT id FROM roll_check WHERE round_id = 'x'"
            )
        )
        assert "idx_roll_check_round" in plan
    assert visit.one("SELECT COUNT(*) FROM roll_check WHERE deleted = 0")[0] == 120  # type: ignore[index]


def test_the_places_an_import_remembers_are_bounded_whatever_the_spellings(
    visit: VisitFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A location as typed is looked up once and remembered, up to ``PLACES_KEPT``
    spellings (then they are looked up again): a file spelling its places a million ways
    (spaces, case) cost memory a spelling, as its rounds and inspectors did not."""
    monkeypatch.setattr(import_evidence, "PLACES_KEPT", 5)
    monkeypatch.setattr(csv_rows, "BATCH", 10)
    rows = roll_rows(60, crowded=False)
    for index, row in enumerate(rows):  # sixty spellings of three places
        row[1] = " " * (index // len(PLACES)) + row[1].upper()
    remembered: list[int] = []
    checking = import_evidence.RollCheckChecker.check

    def counted(self: import_evidence.RollCheckChecker, batch: Any) -> list[Any]:
        found = checking(self, batch)
        remembered.append(len(self.place_of))
        return found

    monkeypatch.setattr(import_evidence.RollCheckChecker, "check", counted)
    import_csv(visit, "roll-checks", roll_csv(tmp_path / "roll.csv", rows))
    assert remembered and max(remembered) <= 5 + 1, remembered
    placed = visit.query(
        "SELECT l.name, COUNT(*) FROM roll_check r JOIN location l ON l.id = r.location_id "
        "GROUP BY l.name ORDER BY l.name"
    )
    assert [tuple(row) for row in placed] == [
        ("A wing", 20),
        ("B wing", 20),
        ("Segregation unit", 20),
    ]
