"""Sample frames, their criteria, the sampled records and the answers, in the visit file."""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.core.ids import keyed_id
from irp_field.core.visit_file import VisitFile
from irp_field.domain import sampling as sample_maths
from irp_field.domain.errors import IrpError
from irp_field.domain.recorders import recorder_verdicts
from irp_field.domain.sampling import (
    answer_verdicts,
    criterion_verdicts,
    frame_verdicts,
    parse_answer,
    record_verdicts,
)
from irp_field.domain.verdicts import refuse_unless_fine
from irp_field.evidence import purges
from irp_field.evidence.lookups import team_names


@dataclass(frozen=True)
class SampleFrame:
    id: str
    name: str
    record_kind: str
    population: int | None
    method: str
    seed: str
    list_sha256: str
    plan_item_id: str


def frame_id(visit: VisitFile, name: str) -> str:
    return keyed_id(visit.visit_id, "sample_frame", name.strip().casefold())


def find_frame(visit: VisitFile, name: str) -> SampleFrame | None:
    row = visit.one(
        "SELECT id, name, record_kind, population, method, seed, list_sha256, plan_item_id "
        "FROM sample_frame WHERE id = ? AND deleted = 0",
        (frame_id(visit, name),),
    )
    return SampleFrame(**dict(row)) if row is not None else None


def frames(visit: VisitFile) -> list[SampleFrame]:
    rows = visit.query(
        "SELECT id, name, record_kind, population, method, seed, list_sha256, plan_item_id "
        "FROM sample_frame WHERE deleted = 0 ORDER BY rowid"
    )
    return [SampleFrame(**dict(row)) for row in rows]


def ensure_frame(
    visit: VisitFile,
    name: str,
    *,
    population: int | None = None,
    record_kind: str = "",
    method: str = "",
    seed: str = "",
    list_sha256: str = "",
    plan_item_id: str = "",
    more: dict[str, object] | None = None,
) -> str:
    """The frame's id, creating it (or updating what is given) in the open transaction.
    A new frame's method is "supplied" unless given; an existing frame keeps its own (a
    sample's answers imported into a drawn frame leave it drawn). ``more``: its columns
    no rule reads (``domain.kind_columns``), as a bundle gives them."""
    refuse_unless_fine(frame_verdicts(name, population))
    frame_key = frame_id(visit, name)
    values = {
        "id": frame_key,
        "name": name.strip(),
        "record_kind": record_kind or name.strip(),
        "population": population,
        "method": method,
        "seed": seed,
        "list_sha256": list_sha256,
        "plan_item_id": plan_item_id,
        **(more or {}),
    }
    existing = visit.row("sample_frame", frame_key)
    if existing is None:
        return visit.insert("sample_frame", {**values, "method": method or "supplied"})
    changes = {k: v for k, v in values.items() if k not in ("id", "name") and v not in (None, "")}
    if existing["deleted"]:
        changes["deleted"] = 0
    if changes:
        visit.update("sample_frame", frame_key, changes)
    return frame_key


def ensure_criterion(visit: VisitFile, frame: str, name: str) -> str:
    refuse_unless_fine(criterion_verdicts(name))
    criterion_id = keyed_id(visit.visit_id, "sample_criterion", frame, name.strip().casefold())
    existing = visit.row("sample_criterion", criterion_id)
    if existing is None:
        row = visit.one(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM sample_criterion WHERE frame_id = ?",
            (frame,),
        )
        position = int(row[0]) if row else 0
        visit.insert(
            "sample_criterion",
            {"id": criterion_id, "frame_id": frame, "name": name.strip(), "position": position},
        )
    elif existing["deleted"]:
        visit.update("sample_criterion", criterion_id, {"deleted": 0})
    return criterion_id


def record_id(visit: VisitFile, frame: str, record: str) -> str:
    """The id of a sampled record's row (frame id and record ref)."""
    return keyed_id(visit.visit_id, "sample_record", frame, record)


def ensure_record(visit: VisitFile, frame: str, record: str) -> str:
    refuse_unless_fine(record_verdicts(record))
    record_id = keyed_id(visit.visit_id, "sample_record", frame, record)
    existing = visit.row("sample_record", record_id)
    if existing is None:
        row = visit.one(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM sample_record WHERE frame_id = ?", (frame,)
        )
        position = int(row[0]) if row else 0
        visit.insert(
            "sample_record",
            {"id": record_id, "frame_id": frame, "record": record, "position": position},
        )
    elif existing["deleted"]:
        visit.update("sample_record", record_id, {"deleted": 0})
    return record_id


def record_answer(
    visit: VisitFile,
    frame: str,
    record: str,
    criterion: str,
    answer: str,
    comment: str = "",
    more: dict[str, object] | None = None,
    *,
    recorder_judged: bool = False,
) -> str:
    """Set one cell of the sampling grid (yes, no or na), creating its record and criterion.

    An answer of '' keeps a comment on a cell not answered yet (the answer is left for
    later): it needs the comment, and it counts in none of yes, no and n/a. The comment
    is stored without spaces or line breaks at its ends, as an import stores it. ``more``:
    its columns no rule reads (``domain.kind_columns``), as the import read them.
    Whoever records it (the name the file is written by) is on the team
    (``domain.recorders``), unless ``recorder_judged``: an import judged its importer
    once, for the whole sheet.
    """
    found = answer_verdicts(record, criterion, answer, comment)
    if not recorder_judged:
        found += recorder_verdicts("sample_answer", visit.user, team_names(visit))
    refuse_unless_fine(found)
    answer, comment = parse_answer(answer, comment), comment.strip()
    criterion_id = ensure_criterion(visit, frame, criterion)
    ensure_record(visit, frame, record)
    answer_id = cell_id(visit, frame, record, criterion_id)
    return visit.upsert(
        "sample_answer",
        {
            "id": answer_id,
            "frame_id": frame,
            "record": record,
            "criterion_id": criterion_id,
            "answer": answer,
            "comment": comment,
            **(more or {}),
        },
    )


def cell_id(visit: VisitFile, frame: str, record: str, criterion_id: str) -> str:
    """The id of the answer row of one cell (there is at most one, tombstoned or not)."""
    return keyed_id(visit.visit_id, "sample_answer", frame, record, criterion_id)


def clear_answer(visit: VisitFile, answer_id: str) -> bool:
    """Take an answer (and its comment) back: the row becomes a tombstone, in one commit."""
    with visit.transaction():
        return visit.delete("sample_answer", answer_id)


def restore_answer(visit: VisitFile, answer_id: str) -> dict[str, object] | None:
    """Undo :func:`clear_answer`: the row comes back as it was; returns it."""
    purges.restore(visit, "sample_answer", answer_id)
    return visit.row("sample_answer", answer_id)


def delete_frame(visit: VisitFile, frame: str) -> bool:
    """Tombstone a sample frame: it and its answers count nowhere until restored."""
    with visit.transaction():
        return visit.delete("sample_frame", frame)


def restore_frame(visit: VisitFile, frame: str) -> None:
    with visit.transaction():
        visit.update("sample_frame", frame, {"deleted": 0})


def draw_sample(
    visit: VisitFile,
    name: str,
    *,
    size: int,
    seed: int,
    records: list[str],
    population_given: bool,
    criteria: list[str],
    plan_item_id: str = "",
    record_kind: str = "",
) -> tuple[str, list[str], str]:
    """Draw and store a reproducible sample; returns (frame id, drawn records, list SHA-256)."""
    try:
        drawn = sample_maths.draw(records, size, seed)
    except ValueError as error:
        raise IrpError(f"cannot draw the sample: {error}") from None
    digest = sample_maths.list_sha256(records)
    existing = find_frame(visit, name)
    if existing is not None and existing.seed:
        raise IrpError(
            f"sample frame {name!r} was already drawn (seed {existing.seed}); choose another name"
        )
    with visit.transaction():
        frame = ensure_frame(
            visit,
            name,
            population=len(records),
            record_kind=record_kind,
            method="random (population size)" if population_given else "random (list)",
            seed=str(seed),
            list_sha256=digest,
            plan_item_id=plan_item_id,
        )
        for criterion in criteria:
            ensure_criterion(visit, frame, criterion)
        for record in drawn:
            ensure_record(visit, frame, record)
    return frame, drawn, digest


def earlier_criteria(visit: VisitFile) -> list[str]:
    """Each sample's criteria as one ``;``-separated text, the newest sample first: what a
    new draw is offered as a starting point."""
    rows = visit.query(
        "SELECT f.id, group_concat(c.name, '; ') AS criteria FROM sample_frame f "
        "JOIN (SELECT frame_id, name FROM sample_criterion WHERE deleted = 0 "
        "ORDER BY frame_id, position) c ON c.frame_id = f.id "
        "WHERE f.deleted = 0 GROUP BY f.id ORDER BY MAX(f.rowid) DESC"
    )
    return list(dict.fromkeys(str(row["criteria"]) for row in rows if row["criteria"]))


@dataclass(frozen=True)
class GridRows:
    """A frame's criteria (id, name), records and answers ((record, criterion id) ->
    (answer, comment)), as stored: the sampling screen's grid is built from them."""

    criteria: list[tuple[str, str]]
    records: list[str]
    answers: dict[tuple[str, str], tuple[str, str]]


def frame_grid(visit: VisitFile, frame_id: str) -> GridRows:
    criteria = [
        (row["id"], row["name"])
        for row in visit.query(
            "SELECT id, name FROM sample_criterion WHERE frame_id = ? AND deleted = 0 "
            "ORDER BY position, rowid",
            (frame_id,),
        )
    ]
    # A record is its reference within its frame (answers are keyed by it): two rows of
    # one reference (a hand-made twin that a merge let in) are one line of the grid.
    records = list(
        dict.fromkeys(
            row["record"]
            for row in visit.query(
                "SELECT record FROM sample_record WHERE frame_id = ? AND deleted = 0 "
                "ORDER BY position, rowid",
                (frame_id,),
            )
        )
    )
    answers = {
        (row["record"], row["criterion_id"]): (row["answer"], row["comment"])
        for row in visit.query(
            "SELECT record, criterion_id, answer, comment FROM sample_answer "
            "WHERE frame_id = ? AND deleted = 0",
            (frame_id,),
        )
    }
    return GridRows(criteria, records, answers)
