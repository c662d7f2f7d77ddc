"""Join rows merge by what they join: a note's links to plan items never duplicate or
churn, whichever laptops edited the note and in whichever order the files merge."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from merge_helpers import cp
from property_helpers import examples

from irp_field.api import evidence
from irp_field.api import notes as notes_api
from irp_field.api import rounds as rounds_api
from irp_field.core.visit_file import VisitFile
from irp_field.replication.merge import merge_visits

REFS = ("1.1", "1.2", "1.3", "1.4")
NOTES = 3
LAPTOPS = 3


def _base(folder: Path) -> tuple[Path, list[str]]:
    with VisitFile.create(
        folder / "base.db",
        establishment="HMP Test",
        start_date="2022-03-14",
        end_date="2022-03-16",
        user="Leader",
    ) as visit:
        for ref in REFS:
            evidence.add_plan_item(visit, ref, area="Safety", text=f"Recommendation {ref}.")
        notes = [
            evidence.record_note(
                visit,
                text=f"note {n}",
                taken_at="2022-03-14T10:00",
                plan_refs=[REFS[n]],
                author="Leader",
            )
            for n in range(NOTES)
        ]
    return folder / "base.db", notes


def _links(path: Path) -> dict[str, list[str]]:
    """note id -> the refs its live links name, duplicates kept (so they would show)."""
    with VisitFile.open(path, readonly=True) as visit:
        rows = visit.query(
            "SELECT k.note_id, p.ref FROM note_link k JOIN plan_item p ON p.id = k.plan_item_id "
            "WHERE k.deleted = 0 ORDER BY k.note_id, p.ref"
        )
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["note_id"], []).append(row["ref"])
    return found


def _edit(path: Path, note_id: str, text: str, refs: list[str], user: str) -> None:
    with VisitFile.open(path, user=user) as visit:
        draft = notes_api.NoteDraft(
            id=notes_api.new_draft(user, "").id,
            author=user,
            source="observation",
            taken_at="2022-03-14T10:00",
            text=text,
            plan_refs=";".join(refs),
            note_id=note_id,
        )
        notes_api.save_note(visit, draft)


edits = st.lists(
    st.tuples(
        st.integers(0, LAPTOPS - 1),  # who
        st.integers(0, NOTES - 1),  # which note
        st.one_of(st.none(), st.sampled_from(REFS)),  # None: the text only; else link this ref
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=edits, order=st.permutations(range(LAPTOPS)), twice=st.booleans())
def test_links_are_the_union_of_what_each_laptop_intended(
    edits: list[tuple[int, int, str | None]], order: list[int], twice: bool
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        base, notes = _base(folder)
        laptops = [cp(base, folder / f"laptop{n}.db") for n in range(LAPTOPS)]
        intended = {note: {REFS[n]} for n, note in enumerate(notes)}
        seen = {n: {note: {REFS[i]} for i, note in enumerate(notes)} for n in range(LAPTOPS)}
        for step, (who, which, ref) in enumerate(edits):
            note = notes[which]
            refs = set(seen[who][note]) | ({ref} if ref else set())
            seen[who][note] = refs
            intended[note] |= refs
            _edit(laptops[who], note, f"edit {step} by {who}", sorted(refs), f"inspector {who}")
        master = folder / "master.db"
        merge_visits(master, [laptops[n] for n in order])
        if twice:  # merging again, and in another order, changes nothing
            merge_visits(master, [laptops[n] for n in reversed(order)])
        merged = _links(master)
        for note, refs in intended.items():
            assert merged.get(note, []) == sorted(refs), (note, merged.get(note), refs)


def test_saving_a_note_with_the_same_links_writes_no_link(hull_path: Path) -> None:
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        row = visit.one(
            "SELECT n.id, n.text, group_concat(p.ref, ';') AS refs FROM note n "
            "JOIN note_link k ON k.note_id = n.id AND k.deleted = 0 "
            "JOIN plan_item p ON p.id = k.plan_item_id GROUP BY n.id LIMIT 1"
        )
        assert row is not None
        before = visit.query("SELECT id, version FROM note_link WHERE note_id = ?", (row["id"],))
    _edit(hull_path, row["id"], row["text"] + " (checked)", row["refs"].split(";"), "Jade Richards")
    with VisitFile.open(hull_path, readonly=True) as visit:
        after = visit.query("SELECT id, version FROM note_link WHERE note_id = ?", (row["id"],))
    assert [tuple(r) for r in after] == [tuple(r) for r in before]


# -- rounds and subjects' days (schema 8): the same union, whatever the files' order --

DAYS = (("U01", "2022-03-14"), ("U02", "2022-03-14"))


def _evidence_base(folder: Path) -> tuple[Path, list[tuple[str, ...]]]:
    """Two rounds (one check each) and two subjects' days, each linked to its own item."""
    base, _ = _base(folder)
    with VisitFile.open(base, user="Leader") as visit:
        evidence.add_location(visit, "A wing")
        for label, at in (("Mon AM", "2022-03-14T10:00"), ("Mon PM", "2022-03-14T14:00")):
            evidence.record_roll_check(
                visit, location_id="A wing", counts=evidence.RollCounts(10, 5, 5, 0, 0, 0),
                taken_at=at, round_label=label,
            )  # fmt: skip
        for subject, day in DAYS:
            evidence.record_period(
                visit, on_date=day, subject=subject, group="Unemployed", start="09:00",
                end="10:00", activity="association",
            )  # fmt: skip
        targets = [
            ("round", _found(rounds_api.find_round(visit, "Mon AM"))),
            ("round", _found(rounds_api.find_round(visit, "Mon PM"))),
            *(("day", subject, day) for subject, day in DAYS),
        ]
        for n, target in enumerate(targets):
            _link(visit, target, [REFS[n]])
    return base, targets


def _found(found: rounds_api.Round | None) -> str:
    assert found is not None
    return found.id


def _link(visit: VisitFile, target: tuple[str, ...], refs: list[str]) -> None:
    if target[0] == "round":
        evidence.link_round(visit, target[1], refs)
    else:
        evidence.link_day(visit, target[1], target[2], refs)


def _evidence_links(path: Path, targets: list[tuple[str, ...]]) -> list[list[str]]:
    """Each round's or day's live links, duplicates kept (a duplicate would show)."""
    with VisitFile.open(path, readonly=True) as visit:
        found = []
        for target in targets:
            if target[0] == "round":
                sql = "SELECT p.ref FROM round_link k JOIN plan_item p ON p.id = k.plan_item_id "
                rows = visit.query(sql + "WHERE k.deleted = 0 AND k.round_id = ?", target[1:])
            else:
                sql = "SELECT p.ref FROM toc_day_link k JOIN plan_item p ON p.id = k.plan_item_id "
                where = "WHERE k.deleted = 0 AND k.subject = ? AND k.on_date = ?"
                rows = visit.query(sql + where, target[1:])
            found.append(sorted(str(row["ref"]) for row in rows))
    return found


link_edits = st.lists(
    st.tuples(
        st.integers(0, LAPTOPS - 1),  # who
        st.integers(0, 3),  # which round or day
        st.sampled_from(REFS),  # the item ticked, or unticked when it is linked already
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=link_edits, order=st.permutations(range(LAPTOPS)))
def test_round_and_day_links_merge_as_note_links_do(
    edits: list[tuple[int, int, str]], order: list[int]
) -> None:
    """Each laptop ticks and unticks items in the picker; merged in any order (and again),
    a round's or a day's links are what the laptops last chose for each item: a link one
    laptop added stays unless a laptop that had it took it off (a tombstone), and no link
    is ever duplicated."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        base, targets = _evidence_base(folder)
        laptops = [cp(base, folder / f"laptop{n}.db") for n in range(LAPTOPS)]
        seen = {n: [{REFS[i]} for i in range(len(targets))] for n in range(LAPTOPS)}
        last: dict[tuple[int, str], bool] = {}  # (target, ref) -> linked, by the last edit
        for who, which, ref in edits:
            refs = seen[who][which] ^ {ref}
            seen[who][which] = refs
            last[(which, ref)] = ref in refs
            with VisitFile.open(laptops[who], user=f"inspector {who}") as visit:
                _link(visit, targets[which], sorted(refs))
        master = folder / "master.db"
        cp(base, master)
        merge_visits(master, [laptops[n] for n in order])
        merge_visits(master, [laptops[n] for n in reversed(order)])
        merged = _evidence_links(master, targets)
        for which in range(len(targets)):
            expected = {REFS[which]} if last.get((which, REFS[which]), True) else set()
            expected |= {r for (w, r), linked in last.items() if w == which and linked}
            assert merged[which] == sorted(expected), (which, merged[which], expected, edits)
