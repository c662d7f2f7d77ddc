"""The kept file: what was typed while another program held the visit file, kept private
until it is in the visit, read back as data, and put back through the rules of the save
it came from (``api.unsaved``, ``core.kept_typing``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from irp_field.api import unsaved
from irp_field.api.unsaved import Typed
from irp_field.core import kept_typing
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError

NOTE = "Healthcare told us a prisoner waited 11 days for a GP appointment."


def _note(visit: VisitFile, text: str = NOTE) -> Typed:
    args = {
        "id": "0190aaaa-0000-7000-8000-000000000001", "author": "Jade Richards",
        "source": "staff", "taken_at": "2022-03-16T14:00", "text": text, "tags": "health",
        "plan_refs": "", "note_id": "",
    }  # fmt: skip
    return Typed(f"note_draft:{args['id']}", "note_draft", "the new note", args, (("Text", text),))


def _check(visit: VisitFile, roll: int = 100, locked_up: int = 40) -> Typed:
    location = visit.one("SELECT id FROM location WHERE deleted = 0 ORDER BY name LIMIT 1")
    assert location is not None
    counts = {"roll": roll, "locked_up": locked_up, "off_wing_activity": 20, "wing_work": 10,
              "unlocked_on_wing": 25, "elsewhere": 5}  # fmt: skip
    args = {
        "check_id": "", "location_id": location[0], "counts": counts,
        "taken_at": "2022-03-16T18:30", "note": "", "round_id": "", "round_label": "Wed eve",
        "inspector": "Jade Richards", "allow_outside_visit": False,
    }  # fmt: skip
    return Typed("roll_check:new", "roll_check", "the check", args, (("Roll", str(roll)),))


def test_what_is_kept_is_private_beside_the_visit_and_goes_once_forgotten(
    hull: VisitFile,
) -> None:
    where = Path(unsaved.keep(hull, [_note(hull)]))
    assert where == hull.path.with_name("hull.db.unsaved.json")
    if os.name == "posix":
        assert stat.S_IMODE(where.stat().st_mode) == 0o600
    assert NOTE in where.read_text(encoding="utf-8")
    # kept again (typed on), the entry is replaced, not doubled
    unsaved.keep(hull, [_note(hull, NOTE + " Seen twice.")])
    [kept] = unsaved.kept(hull)
    assert kept.args["text"] == NOTE + " Seen twice." and kept.by == "Jade Richards"
    unsaved.forget(hull, [kept.key])
    assert not where.exists()  # never left behind, not even empty
    assert not list(where.parent.glob("*.partial"))


def test_on_windows_the_file_lives_in_the_users_own_folder(tmp_path: Path, irp_home: Path) -> None:
    [place] = kept_typing.places(tmp_path / "hull.db", posix=False)
    assert place.parent == irp_home / "unsaved"


@pytest.mark.parametrize(
    "held",
    [
        b"not json",
        b'{"format": "something else"}',
        b"[" * 100_000,
        "\ud800".encode("utf-8", "surrogatepass"),
    ],
)
def test_a_kept_file_that_is_not_ours_is_refused_in_one_line_and_left_as_it_is(
    hull: VisitFile, held: bytes
) -> None:
    place = hull.path.with_name("hull.db.unsaved.json")
    place.write_bytes(held)
    with pytest.raises(IrpError) as refused:
        unsaved.kept(hull)
    assert "hull.db.unsaved.json" in str(refused.value) and "\n" not in str(refused.value)
    with pytest.raises(IrpError):
        unsaved.keep(hull, [_note(hull)])  # never written over
    assert place.read_bytes() == held


def test_another_visits_kept_file_and_a_damaged_entry_are_refused(hull: VisitFile) -> None:
    place = Path(unsaved.keep(hull, [_note(hull)]))
    held = json.loads(place.read_text(encoding="utf-8"))
    place.write_text(json.dumps({**held, "visit_id": "another"}), encoding="utf-8")
    with pytest.raises(IrpError, match="another visit"):
        unsaved.kept(hull)
    held["entries"][0]["args"] = "DROP TABLE note"
    place.write_text(json.dumps(held), encoding="utf-8")
    with pytest.raises(IrpError, match="damaged"):
        unsaved.kept(hull)


def test_putting_back_meets_the_rules_of_the_save_it_came_from(hull: VisitFile) -> None:
    over = _check(hull, roll=10, locked_up=40)  # more locked up than on the roll
    unsaved.keep(hull, [over])
    [kept] = unsaved.kept(hull)
    with pytest.raises(IrpError):
        unsaved.put_back(hull, kept)
    assert unsaved.kept(hull) == [kept]  # refused: still kept, nothing lost
    before = hull.one("SELECT COUNT(*) FROM roll_check WHERE deleted = 0")[0]  # type: ignore[index]
    fine = _check(hull)
    unsaved.keep(hull, [fine])
    unsaved.put_back(hull, unsaved.kept(hull)[0])
    assert hull.one("SELECT COUNT(*) FROM roll_check WHERE deleted = 0")[0] == before + 1  # type: ignore[index]
    assert unsaved.kept(hull) == []


def test_a_value_of_the_wrong_type_is_refused_never_run(hull: VisitFile) -> None:
    bad = _check(hull)
    bad.args["counts"]["roll"] = "100; DROP TABLE roll_check"
    with pytest.raises(IrpError, match="whole number"):
        unsaved.write(hull, bad)
    with pytest.raises(IrpError, match="no save"):
        unsaved.write(hull, Typed("x", "os.system", "x", {}))


def test_into_a_note_writes_the_values_out_and_a_note_keeps_its_own_fields(
    hull: VisitFile,
) -> None:
    unsaved.keep(hull, [_check(hull), _note(hull)])
    check, note = unsaved.kept(hull)
    now = dt.datetime(2022, 3, 16, 19, 0)
    written = unsaved.into_note(hull, check, now)
    assert "the check" in written.text and "Roll: 100" in written.text
    assert written.taken_at == "2022-03-16T19:00"
    drafted = unsaved.into_note(hull, note, now)
    assert (drafted.text, drafted.source, drafted.tags, drafted.note_id) == (
        NOTE,
        "staff",
        "health",
        "",
    )
    assert unsaved.kept(hull) == []
    stored = {row[0] for row in hull.query("SELECT text FROM note_draft")}
    assert {written.text, NOTE} <= stored
