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
        draft = evidence.NoteDraft(
            id=evidence.new_draft(user, "").id,
            author=user,
            source="observation",
            taken_at="2022-03-14T10:00",
            text=text,
            plan_refs=";".join(refs),
            note_id=note_id,
        )
        evidence.save_note(visit, draft)


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
