"""Record samples in a visit bundle: ``sample-frames.csv`` and ``samples/<frame>.csv``.

``sample-frames.csv`` holds a row per frame (its criteria and records ``;``-separated);
each frame's answers are a file in ``samples/`` in the import format of ``irp-field
import VISIT sample``. The file is named after the frame (``use_of_force_records.csv``)
and its name is in the frame's ``answers_file`` column: two frames whose names give
the same file name ("Adjudications", "ADJUDICATIONS!") get ``adjudications.csv`` and
``adjudications-2.csv``, so neither loses its answers. A bundle written before that
column names each frame's file by its name alone, and still reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from irp_field.core.visit_file import VisitFile
from irp_field.domain import fields, kind_columns, wording
from irp_field.domain.errors import InputError, IrpError, RowProblem
from irp_field.evidence import lookups, sampling
from irp_field.interchange import bundle_files, imports
from irp_field.interchange.bundle_files import number_text, write_csv
from irp_field.interchange.csv_rows import read_csv

FRAMES_FILE = "sample-frames.csv"
SAMPLES_FOLDER = "samples"
# The columns of each, their registry's (``domain.kind_columns``): a frame's, those it
# must have, then those a bundle written before them may leave out
_FRAME = tuple(sorted(kind_columns.in_csv("sample_frame"), key=lambda c: c.optional))
FRAME_COLUMNS = tuple(c.csv_name for c in _FRAME if not c.optional)
FRAME_OPTIONAL = tuple(c.csv_name for c in _FRAME if c.optional)
ANSWER_COLUMNS = tuple(c.csv_name for c in kind_columns.in_csv("sample_answer"))


def answers_file_names(frames: Iterable[str]) -> list[str]:
    """Each frame's answers file, in order: its name as a slug, made unique (``-2``, ...)."""
    taken = set(wording.WINDOWS_DEVICES)  # never a file of ours
    names = []
    for frame in frames:
        stem = wording.slug(frame) or "frame"
        chosen, count = stem, 1
        while chosen in taken:  # a slug never holds '-', so 'x-2' is no other frame's slug
            count += 1
            chosen = f"{stem}-{count}"
        taken.add(chosen)
        names.append(f"{chosen}.csv")
    return names


# -- reading a bundle ------------------------------------------------------------------


def _answers_path(folder: Path, line: int, row: dict[str, str], has_column: bool) -> Path | None:
    """The frame's answers file, or None when it has none; a name that is not a plain
    file name in ``samples/`` is refused."""
    if not has_column:  # a bundle written before the column: the file its name gives
        path = folder / SAMPLES_FOLDER / f"{wording.slug(row['name'].strip())}.csv"
        return path if path.exists() else None
    name = row["answers_file"].strip()
    if not name:
        return None
    if not bundle_files.is_plain_name(name):
        why = f"{name!r} must name a file in {SAMPLES_FOLDER}/"
    elif not (folder / SAMPLES_FOLDER / name).exists():
        why = f"{SAMPLES_FOLDER}/{name} is missing"
    else:
        return folder / SAMPLES_FOLDER / name
    raise IrpError(RowProblem(line, "answers_file", why).describe(FRAMES_FILE))


def _frame_problems(row: dict[str, str], line: int, plan: dict[str, str]) -> list[RowProblem]:
    plan_ref = row["plan_ref"].strip()
    if plan_ref and plan_ref.casefold() not in plan:
        return [RowProblem(line, "plan_ref", f"unknown plan ref {plan_ref!r}")]
    if row["population"].strip():
        try:
            fields.whole_number(row["population"], "population")
        except ValueError as error:
            return [RowProblem(line, "population", str(error))]
    return []


def _more(row: dict[str, str], line: int) -> tuple[dict[str, object], list[RowProblem]]:
    """A frame's columns added since the first schema, which no rule reads, that its row
    has (one a bundle written before it leaves out stays as it was): each read as its
    kind says."""
    more: dict[str, object] = {}
    problems = []
    for column in _FRAME:
        added = column.since != kind_columns.FIRST_SCHEMA
        if column.stored and added and column.csv_name in row:
            more[column.name], found = kind_columns.read(column, row[column.csv_name] or "")
            problems += [RowProblem(line, v.field, v.message) for v in found]
    return more, problems


def import_samples(visit: VisitFile, folder: Path) -> None:
    """The frames, their criteria and records, and each frame's answers."""
    frames_file = folder / FRAMES_FILE
    if not frames_file.exists() or not bundle_files.holds_rows(frames_file):
        return
    frames = read_csv(frames_file, FRAME_COLUMNS, FRAME_OPTIONAL)
    has_column = frames.column("answers_file") is not None
    plan = lookups.plan_ids(visit)
    problems: list[RowProblem] = []
    for line, row in frames.rows:
        more, found = _more(row, line)
        found = _frame_problems(row, line, plan) + found
        if found:
            problems += found
            continue
        name = row["name"].strip()
        text = row["population"].strip()
        population = fields.whole_number(text, "population") if text else None
        with visit.transaction():
            frame = sampling.ensure_frame(
                visit,
                name,
                population=population,
                record_kind=row["record_kind"].strip(),
                method=row["method"].strip(),
                seed=row["seed"].strip(),
                list_sha256=row.get("list_sha256", "").strip(),
                plan_item_id=plan.get(row["plan_ref"].strip().casefold(), ""),
                more=more,
            )
            for criterion in fields.split_list(row["criteria"]):
                sampling.ensure_criterion(visit, frame, criterion)
            for record in fields.split_list(row.get("records", "")):
                sampling.ensure_record(visit, frame, record)
        answers = _answers_path(folder, line, row, has_column)
        if answers is not None:
            imports.import_csv(
                visit,
                "sample",
                answers,
                frame=name,
                population=population,
                allow_outside_visit=True,
                carried=True,
            )
    if problems:
        raise InputError(frames.name, problems)


# -- writing a bundle ------------------------------------------------------------------


def _names(visit: VisitFile, table: str, column: str, frame_id: str) -> list[str]:
    return [
        r[column]
        for r in visit.query(
            f"SELECT {column} FROM {table} WHERE frame_id = ? AND deleted = 0 ORDER BY position",
            (frame_id,),
        )
    ]


def _answers(visit: VisitFile, frame_id: str) -> list[list[str]]:
    """A frame's answers as the sample import reads them: its registry's columns, each
    stored one of the answer, its criterion by name."""
    columns = kind_columns.in_csv("sample_answer")
    read = ", ".join(c.joined or f"a.{c.name}" for c in columns)
    return [
        [_text(value) for value in row]
        for row in visit.query(
            f"SELECT {read} FROM sample_answer a "
            "JOIN sample_criterion c ON c.id = a.criterion_id "
            "JOIN sample_record r ON r.frame_id = a.frame_id AND r.record = a.record "
            "AND r.deleted = 0 "
            "WHERE a.frame_id = ? AND a.deleted = 0 ORDER BY r.position, c.position",
            (frame_id,),
        )
    ]


def _text(value: object) -> str:
    return value if isinstance(value, str) else number_text(value)  # type: ignore[arg-type]


def _frame_row(visit: VisitFile, frame: sampling.SampleFrame, answers_file: str) -> list[str]:
    """A frame's row of sample-frames.csv, in its header's order: its stored columns as
    stored, its plan ref, criteria, records and answers file from theirs."""
    stored = visit.row("sample_frame", frame.id) or {}
    plan_ref = visit.one("SELECT ref FROM plan_item WHERE id = ?", (frame.plan_item_id,))
    own = {
        "plan_ref": plan_ref["ref"] if plan_ref else "",
        "criteria": ";".join(_names(visit, "sample_criterion", "name", frame.id)),
        "records": ";".join(_names(visit, "sample_record", "record", frame.id)),
        "answers_file": answers_file,
    }
    row = []
    for column in _FRAME:
        row.append(_text(own[column.name] if column.name in own else stored[column.name]))
    return row


def write_samples(visit: VisitFile, folder: Path) -> None:
    frames = sampling.frames(visit)
    answers = {frame.id: _answers(visit, frame.id) for frame in frames}
    answered = [frame for frame in frames if answers[frame.id]]
    files = dict(
        zip(
            (frame.id for frame in answered),
            answers_file_names(frame.name for frame in answered),
            strict=True,
        )
    )
    rows = []
    for frame in frames:
        rows.append(_frame_row(visit, frame, files.get(frame.id, "")))
        if frame.id in files:
            (folder / SAMPLES_FOLDER).mkdir(exist_ok=True)
            write_csv(folder / SAMPLES_FOLDER / files[frame.id], ANSWER_COLUMNS, answers[frame.id])
    if rows:
        write_csv(folder / FRAMES_FILE, (*FRAME_COLUMNS, *FRAME_OPTIONAL), rows)
