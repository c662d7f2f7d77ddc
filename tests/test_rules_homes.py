"""Each kind's rules combined in one home (issue 25): the parts of a kind's
``verdicts(record, context)`` are called by that function alone, never put together
again by a path, and the roll-count rule's three forms agree.

A path that assembled a kind's rules itself drifted: the importer alone asked that a
check's inspector be on the team, the API alone that a check be on its round's day, the
time-out-of-cell screen asked the period rules its own way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from property_helpers import examples

from irp_field import api
from irp_field.api import evidence
from irp_field.core.visit_file import VisitFile
from irp_field.domain import roll_checks
from irp_field.domain.errors import InputError
from irp_field.domain.roll_checks import RollCounts
from irp_field.domain.verdicts import RecordRefused
from irp_field.domain.vocabulary import ROLL_CATEGORIES

PACKAGE = Path(__file__).resolve().parent.parent / "irp_field"
BENCH = PACKAGE.parent / "bench"

# The parts of each kind's ``verdicts``: (domain module, function).
PARTS = {
    ("roll_checks", "count_verdicts"),
    ("roll_checks", "note_verdicts"),
    ("roll_checks", "capacity_verdicts"),
    ("roll_checks", "counts_verdicts"),
    ("rounds", "day_verdicts"),
    ("setup", "team_verdicts"),
    ("time_out_of_cell", "period_verdicts"),
    ("time_out_of_cell", "group_verdicts"),
    ("notes", "note_verdicts"),
    ("notes", "author_verdicts"),
}
# Fast paths: the domain's own rule asked first of millions of rows (``check``, a
# merge), the kind's ``verdicts`` asked of any row it doubts.
FAST_PATHS = {
    ("evidence/audit.py", "time_out_of_cell", "period_verdicts"),
    ("evidence/audit.py", "notes", "note_verdicts"),
}


def _calls_of_parts(path: Path) -> set[tuple[str, str]]:
    """(module, function) of every part this file calls, however it imported it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: dict[str, str] = {}  # local name -> domain module
    functions: dict[str, tuple[str, str]] = {}  # local name -> (domain module, function)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "irp_field.domain":
            for alias in node.names:
                modules[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "irp_field.domain."
        ):
            module = (node.module or "").rsplit(".", 1)[1]
            for alias in node.names:
                functions[alias.asname or alias.name] = (module, alias.name)
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        if isinstance(called, ast.Attribute) and isinstance(called.value, ast.Name):
            if called.value.id in modules:
                found.add((modules[called.value.id], called.attr))
        elif isinstance(called, ast.Name) and called.id in functions:
            found.add(functions[called.id])
    return found & PARTS


def test_no_path_puts_a_kind_s_rules_together_itself() -> None:
    """Outside ``domain/``, nothing calls a part of a kind's rules but the fast paths:
    every path asks the kind's ``verdicts(record, context)``."""
    assembled = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith("domain/"):
            continue
        for module, function in sorted(_calls_of_parts(path)):
            if (where, module, function) not in FAST_PATHS:
                assembled.append(f"{where}: {module}.{function}")
    assert assembled == [], "call the kind's verdicts(record, context) instead"


counts = st.integers(min_value=-3, max_value=60)


@settings(max_examples=examples(400))
@given(
    roll=counts,
    categories=st.lists(counts, min_size=len(ROLL_CATEGORIES), max_size=len(ROLL_CATEGORIES)),
    capacity=st.none() | st.integers(min_value=0, max_value=60),
)
@example(roll=5, categories=[3, 3, 0, -1, 0], capacity=None)  # back under the roll
@example(roll=0, categories=[0, 0, 0, 0, 0], capacity=0)
def test_the_roll_count_rule_s_three_forms_agree(
    roll: int, categories: list[int], capacity: int | None
) -> None:
    """``count_verdicts`` (every path), ``over_the_roll`` (told beside the field being
    typed) and ``fine`` (the import's and check's fast path) say one thing of any counts:
    fine exactly when no rule on the counts speaks; the roll passed exactly when the
    categories add up to more than it (counts never negative: a negative one is refused
    first, by its own verdict), at the first category whose running total passes it."""
    given_counts = RollCounts(roll, *categories)
    said = roll_checks.counts_verdicts(given_counts, "", capacity)
    assert roll_checks.fine((roll, *categories), capacity) == (said == [])
    above = [
        v for v in roll_checks.count_verdicts(given_counts) if "more than the roll" in v.message
    ]
    over = roll_checks.over_the_roll(given_counts)
    if min(roll, *categories) >= 0:
        assert (over is not None) == bool(above)
    if over is not None:
        totals = [sum(categories[: at + 1]) for at in range(len(categories))]
        first = next(at for at, total in enumerate(totals) if total > roll)
        assert over[0] == ROLL_CATEGORIES[first] and f"to {totals[first]}," in over[1]


# Where the roll categories are spelled out: their registry (issue 25 §0), and the
# tables as each migration made them (frozen: an old migration never reads today's list).
CATEGORIES_HOME = {"domain/roll_categories.py", "core/schema_history.py"}
# A benchmark's checks with counts of its own, by name (as a test's).
CATEGORIES_AS_DATA = {"save_latency.py"}


def test_the_roll_categories_are_spelled_out_in_their_home_alone() -> None:
    """Every other list of the categories (a SELECT, an export's columns, redaction's
    counts, the form's labels) is derived from ``ROLL_CATEGORIES``: a file naming them
    all spells the list again, and a sixth category would pass it by. (A figure's key,
    ``roll.pct_wing_work``, quotes one figure, not the list.)"""
    spelled = []
    for root, kept in ((PACKAGE, CATEGORIES_HOME), (BENCH, CATEGORIES_AS_DATA)):
        for path in sorted(root.rglob("*.py")):
            where = path.relative_to(root).as_posix()
            text = path.read_text(encoding="utf-8")
            named = [c for c in ROLL_CATEGORIES if re.search(rf"\b{c}\b", text)]
            if len(named) == len(ROLL_CATEGORIES) and where not in kept:
                spelled.append(where)
    assert spelled == []


def test_a_visit_with_no_team_yet_takes_any_inspector_then_only_its_team(
    empty_visit: VisitFile, tmp_path: Path
) -> None:
    """Counted before the set-up is typed (a new visit, F3 at once), a check's inspector
    has no team to be on; once the visit has a team, the import and the save alike
    refuse anyone not on it, in the same words."""
    evidence.add_location(empty_visit, "A wing")
    sheet = tmp_path / "checks.csv"

    def import_as(inspector: str, when: str) -> str:
        sheet.write_text(
            "taken_at,location,roll,locked_up,off_wing_activity,wing_work,"
            f"unlocked_on_wing,elsewhere,inspector\n{when},A wing,10,10,0,0,0,0,{inspector}\n",
            encoding="utf-8",
        )
        try:
            evidence.import_csv(empty_visit, "roll-checks", sheet, again=True)
        except InputError as error:
            return str(error)
        return "ok"

    def save_as(inspector: str, when: str) -> str:
        try:
            evidence.record_roll_check(
                empty_visit, location_id="A wing", counts=api.RollCounts(10, 10, 0, 0, 0, 0),
                taken_at=when, inspector=inspector,
            )  # fmt: skip
        except RecordRefused as error:
            return str(error)
        return "ok"

    assert import_as("Ann", "2022-03-14T10:00") == "ok"
    assert save_as("Ann", "2022-03-14T14:00") == "ok"
    evidence.add_team_member(empty_visit, "Bob")
    assert "unknown team member 'Ann'" in import_as("Ann", "2022-03-15T10:00")
    assert "unknown team member 'Ann'" in save_as("Ann", "2022-03-15T14:00")
    assert import_as("bob", "2022-03-15T10:00") == save_as("Bob", "2022-03-15T14:00") == "ok"


def test_check_s_fast_path_hides_nothing_the_roll_check_rules_say(hull_path: Path) -> None:
    """SQLite asks ``check``'s fast path of every roll check and hands back only those it
    doubts; on random checks written by hand (inspectors on the team, in another case,
    strangers, none, not text; rounds of the check's day, of another, unknown, deleted;
    notes no document can hold), the findings are those of ``roll_checks.verdicts``
    asked of every check."""
    import random
    import sqlite3
    import uuid

    from irp_field.evidence import roll_check_audit

    conn = sqlite3.connect(hull_path)
    rounds = [row[0] for row in conn.execute("SELECT id FROM roll_round WHERE deleted = 0")]
    with conn:
        conn.execute("UPDATE roll_round SET deleted = 1 WHERE id = ?", (rounds[-1],))
    places = [row[0] for row in conn.execute("SELECT id FROM location WHERE deleted = 0")]
    rng = random.Random(25)
    rows = [
        (
            str(uuid.uuid4()),
            rng.choice(["2022-03-14T10:00", "2022-03-15T14:00", "2022-03-16T19:00", "x"]),
            rng.choice(places),
            10,
            4,
            2,
            1,
            2,
            1,
            rng.choice([*rounds, "no such round", ""]),
            rng.choice(["Jade Richards", "jade richards ", "Nobody", "", 5]),
            rng.choice(["", "", "two at court", "seen\uffff"]),
        )
        for _ in range(400)
    ]
    with conn:
        conn.executemany(
            "INSERT INTO roll_check (id, version, taken_at, location_id, roll, locked_up, "
            "off_wing_activity, wing_work, unlocked_on_wing, elsewhere, round_id, inspector, "
            "note) VALUES (?, '1700000000000.000000.hand', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.close()
    with VisitFile.open(hull_path, readonly=True) as visit:
        fast = list(roll_check_audit.roll_check_findings(visit))
        world = roll_check_audit.RollCheckWorld.of(visit)
        every = []
        for row in visit.conn.execute(
            "SELECT taken_at, location_id, roll, locked_up, off_wing_activity, wing_work, "
            "unlocked_on_wing, elsewhere, note, inspector, round_id FROM roll_check "
            "WHERE deleted = 0"
        ):
            name, capacity = world.places.get(row[1], (None, None))
            every += roll_check_audit._roll_check_verdicts(
                roll_check_audit.text(row[0]), name, capacity, list(row[2:8]), row[8],
                world.dates, inspector=roll_check_audit.text(row[9]), team=world.team,
                round_=world.rounds.get(row[10], ("", "")),
            )  # fmt: skip

    def said(found: roll_check_audit.Found) -> str:
        return repr((found.kind, found.where, found.verdict))

    assert sorted(map(said, fast)) == sorted(map(said, every))
    said_of = {f.verdict.field for f in fast}
    assert {"inspector", "taken_at", "note"} <= said_of, said_of
    assert any("but round" in f.verdict.message for f in fast)  # another day than its round
