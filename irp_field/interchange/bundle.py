"""Visit bundles: a plain-text folder people can read, diff and review.

``visit.toml`` holds the visit; one CSV per import kind (the import formats), with
``sample-frames.csv`` and ``samples/`` for record sampling (``bundle_samples``);
``findings.md`` holds the findings paragraphs under ``## REF`` headings (the format of
``bundle_paragraphs``); the report's other parts and
the attachments are ``bundle_parts``'s (``report-parts.toml``, ``summary.md``,
``attachments.csv`` and ``attachments/``); ``manifest.json`` lists every file with its
size and SHA-256 (``bundle_manifest``). Writing a bundle and building a visit from one
are all or nothing: each is written under a temporary name and renamed into place.

A bundle is read as an untrusted folder (docs/security.md): ``bundle_files`` refuses a
link, a special file or a file over its cap anywhere in it before anything is read,
and reads each file within its cap; every row goes through the domain's rules, as an
import's does; ``findings.md`` gives back each paragraph exactly (``bundle_paragraphs``).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from irp_field import paths
from irp_field.core import staging
from irp_field.core.ids import uuid7
from irp_field.core.visit_file import VisitFile
from irp_field.domain import kind_columns, vocabulary
from irp_field.domain import recipients as recipient_rules
from irp_field.domain.errors import IrpError
from irp_field.domain.visit import details_verdicts
from irp_field.evidence import links, lookups
from irp_field.findings.bounds import unwritable_character
from irp_field.interchange import (
    bundle_files,
    bundle_manifest,
    bundle_parts,
    bundle_samples,
    imports,
)
from irp_field.interchange.bundle_files import number_text, write_csv
from irp_field.interchange.bundle_paragraphs import read_sections, write_sections

# file name -> import kind, in the order they must be imported
CSV_FILES = (
    ("team.csv", "team"),
    ("locations.csv", "locations"),
    ("plan.csv", "plan"),
    ("data.csv", "data"),
    ("roll-checks.csv", "roll-checks"),
    ("time-out-of-cell.csv", "time-out-of-cell"),
    ("notes.csv", "notes"),
    ("links.csv", "links"),
)


# visit.toml's word that the bundle was written with a manifest: one found missing then
# is damage (an unfinished copy), not a bundle written by hand
# roll-checks.csv's columns (``domain.kind_columns``): a check's location and round by
# their names, as the import finds them
_BY_NAME = {"location_id": "l.name", "round_id": "COALESCE(o.name, '')"}
ROLL_CHECK_READS = ", ".join(
    _BY_NAME.get(c.name, f"r.{c.name}") for c in kind_columns.in_csv("roll_check")
)
DECLARATION = f'[bundle]\nmanifest = "{bundle_manifest.MANIFEST_FILE}"\n'


def _load_visit_toml(folder: Path) -> dict[str, Any]:
    path = folder / "visit.toml"
    try:
        return tomllib.loads(bundle_files.read_known(folder, "visit.toml"))
    except tomllib.TOMLDecodeError as error:
        raise IrpError(f"{path}: cannot be read ({error})") from None
    except RecursionError:
        raise IrpError(f"{path}: cannot be read (nested too deeply)") from None


def declares_manifest(folder: Path, data: dict[str, Any]) -> bool:
    """Whether visit.toml says the bundle has a manifest (``[bundle]``, see
    :data:`DECLARATION`)."""
    table = data.get("bundle")
    if table is None:
        return False
    named = bundle_manifest.MANIFEST_FILE
    if not isinstance(table, dict) or table.get("manifest", named) != named:
        raise IrpError(
            f'{folder / "visit.toml"}: [bundle] must be a table whose manifest is "{named}"'
        )
    return "manifest" in table


def read_visit_toml(folder: Path, data: dict[str, Any] | None = None) -> dict[str, str]:
    """visit.toml's [visit] table, each value text and held to the rules of
    ``irp-field new`` (``domain.visit.details_verdicts``, the visit types)."""
    path = folder / "visit.toml"
    if data is None:
        data = _load_visit_toml(folder)
    visit = data.get("visit")
    if not isinstance(visit, dict):
        raise IrpError(f"{path}: needs a [visit] table")
    wrong = [key for key, value in visit.items() if not isinstance(value, str)]
    if wrong:
        raise IrpError(f"{path}: [visit] {wrong[0]} must be text in quotes")
    values = {str(key): value for key, value in visit.items()}
    for key in ("establishment", "start", "end"):
        if not values.get(key, "").strip():
            raise IrpError(f"{path}: [visit] needs {key}")
    # The same rules as `irp-field new` and the Home screen (domain.visit).
    details, found = details_verdicts(
        values["establishment"],
        values["start"],
        values["end"],
        values.get("previous_inspection", ""),
    )
    if found:
        field = "previous_inspection" if found[0].field == "previous" else found[0].field
        raise IrpError(f"{path}: [visit] {field}: {found[0].message}")
    try:
        kind = vocabulary.choose(values.get("type", "IRP"), vocabulary.VISIT_TYPES, "visit type")
    except ValueError as error:
        raise IrpError(f"{path}: [visit] type: {error}") from None
    keys, wrong = recipient_rules.stored_verdicts(values.get("recipients", ""))
    if wrong:
        raise IrpError(f"{path}: [visit] recipients: {wrong[0].message}")
    values.update(
        recipients=recipient_rules.joined(keys),
        establishment=details.establishment,
        start=details.start,
        end=details.end,
        previous_inspection=details.previous_inspection,
        type=kind,
    )
    return values


def _check_whole(folder: Path, warn: Callable[[str], None] | None) -> dict[str, Any]:
    """Refuse a bundle whose files differ from its manifest, or which has lost the
    manifest visit.toml says it has; warn of one without (written by hand, or by 0.3.0).
    Gives visit.toml's contents."""
    files = bundle_files.survey(folder)  # links, special files, sizes: before anything is read
    sealed = bundle_manifest.check_manifest(folder, files)
    data = _load_visit_toml(folder)
    if not sealed and declares_manifest(folder, data):
        raise IrpError(
            f"{folder / bundle_manifest.MANIFEST_FILE}: is missing, though visit.toml says the "
            "bundle was written with one (a damaged or unfinished copy of the bundle)"
        )
    if not sealed and warn is not None:
        warn(
            f"{folder}: has no {bundle_manifest.MANIFEST_FILE}, so its files could not be "
            "checked for damage (a bundle written by hand, or by irp-field 0.3.0); once it "
            f"is checked, 'irp-field bundle seal {folder}' adds one"
        )
    return data


def _require_bundle(folder: Path) -> None:
    if not folder.is_dir():
        raise IrpError(f"{folder}: is not a folder (a visit bundle is a folder)")
    if not os.path.lexists(folder / "visit.toml"):  # not a bundle: look no further in it
        raise IrpError(f"{folder}: is not a visit bundle (no visit.toml)")


def build_from_bundle(
    folder: Path,
    target: Path,
    *,
    user: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> Path:
    """Create the visit file ``target`` from the bundle in ``folder``; ``warn`` hears of a
    bundle without a manifest (whose files could not be checked)."""
    if not folder.is_dir():
        raise IrpError(f"{folder}: is not a folder (a visit bundle is a folder)")
    if target.exists():
        raise IrpError(f"{target}: already exists; choose another name")
    _require_bundle(folder)
    details = read_visit_toml(folder, _check_whole(folder, warn))
    partial = target.with_name(f".{target.name}.{uuid7()}.partial")
    try:
        with VisitFile.create(
            partial,
            establishment=details["establishment"],
            start_date=details["start"],
            end_date=details["end"],
            visit_type=details["type"],
            previous_inspection=details.get("previous_inspection", ""),
            user=user,
            recipients=details["recipients"],
        ) as visit:
            for file_name, kind in CSV_FILES:
                if file_name == "notes.csv":
                    bundle_samples.import_samples(visit, folder)
                if (folder / file_name).exists() and bundle_files.holds_rows(folder / file_name):
                    # Rows dated outside the visit were confirmed when they were first
                    # recorded, by whoever recorded them: a bundle carries them back as
                    # they are.
                    imports.import_csv(
                        visit, kind, folder / file_name, allow_outside_visit=True, carried=True
                    )
            if (folder / "findings.md").exists():
                _import_findings(visit, folder / "findings.md")
            bundle_parts.import_parts(visit, folder)
            bundle_parts.import_attachments(visit, folder)
            visit.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        os.replace(partial, target)
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
    return target


def parse_findings(text: str, name: str = "findings.md") -> list[tuple[str, list[str]]]:
    """``## REF`` sections of paragraphs (``bundle_paragraphs``: exact, comments ignored)."""
    return read_sections(text, name)


def _import_findings(visit: VisitFile, path: Path) -> None:
    plan = lookups.plan_ids(visit)
    sections = parse_findings(bundle_files.read_known(path.parent, path.name))
    written: dict[str, int] = {}  # a plan item's paragraphs so far (a heading may repeat)
    with visit.transaction():
        for ref, paragraphs in sections:
            plan_item_id = plan.get(ref.casefold())
            if plan_item_id is None:
                raise IrpError(f"{path.name}: heading '## {ref}' names no plan item")
            for paragraph in paragraphs:
                written[plan_item_id] = position = written.get(plan_item_id, 0) + 1
                character = unwritable_character(paragraph)  # the sync reads the rest
                if character:
                    raise IrpError(f"{path.name}: paragraph {position} of ## {ref}: {character}")
                visit.insert(
                    "finding",
                    {"plan_item_id": plan_item_id, "position": float(position), "text": paragraph},
                    log=False,
                )


# -- writing a bundle --------------------------------------------------------------


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_bundle(visit: VisitFile, folder: Path) -> Path:
    """Write the visit as a bundle at ``folder``, which must not exist or be an empty
    folder (replaced by the bundle's own, owner only). It is written beside ``folder``
    under a temporary name, its manifest last (from the files as they are on the disk),
    flushed, and renamed into place: a bundle at ``folder`` is always whole, and a
    failed or killed export leaves nothing there (``core.staging``)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise IrpError(f"{folder}: exists and is not an empty folder")
    paths.make_private_folder(folder.parent)  # evidence about people in prison: owner only
    with staging.staged() as staged:
        work = staged.folder(folder)
        _write_files(visit, work)
        written = {
            PurePosixPath(path.relative_to(work).as_posix()): 0
            for path in work.rglob("*")
            if path.is_file()
        }
        bundle_manifest.write_manifest(work, bundle_manifest.listed_places(written))
    return folder


def _write_files(visit: VisitFile, folder: Path) -> None:
    details = visit.one("SELECT * FROM visit WHERE id = ?", (visit.visit_id,))
    assert details is not None
    keys = details["recipients"]  # public keys: no one's secret; written when there are any
    (folder / "visit.toml").write_text(
        "[visit]\n"
        f"establishment = {_toml_string(details['establishment'])}\n"
        f"type = {_toml_string(details['visit_type'])}\n"
        f"start = {_toml_string(details['start_date'])}\n"
        f"end = {_toml_string(details['end_date'])}\n"
        f"previous_inspection = {_toml_string(details['previous_inspection'])}\n"
        + (f"recipients = {_toml_string(keys)}\n" if keys else "")
        + f"\n{DECLARATION}",
        encoding="utf-8",
    )
    _write_setup(visit, folder)
    _write_evidence(visit, folder)
    (folder / "findings.md").write_text(_findings_markdown(visit), encoding="utf-8")
    bundle_parts.write_parts(visit, folder)
    bundle_parts.write_attachments(visit, folder)


def seal_bundle(folder: Path) -> int:
    """Write the bundle's manifest from its files as they are now (a bundle edited by
    hand, or written by 0.3.0), and say in visit.toml that it has one; gives how many
    files it lists. It vouches for nothing but their bytes: the rules still judge them."""
    _require_bundle(folder)
    bundle_files.survey(folder)  # no links, special files or files over their caps
    if not declares_manifest(folder, data := _load_visit_toml(folder)):
        if "bundle" in data:
            raise IrpError(
                f"{folder / 'visit.toml'}: its [bundle] table needs the line "
                f'manifest = "{bundle_manifest.MANIFEST_FILE}"'
            )
        cap, what = bundle_files.CAPS["visit.toml"]
        stored = bundle_files.read_bytes(folder / "visit.toml", cap, what)
        ending = b"" if not stored or stored.endswith(b"\n") else b"\n"
        staging.replace_file(folder / "visit.toml", stored + ending + b"\n" + DECLARATION.encode())
    files = bundle_files.survey(folder)
    return bundle_manifest.write_manifest(folder, bundle_manifest.listed_places(files))


LIVE = "deleted = 0"


_NUMBERS = ("integer", "number")  # written as a person writes them: 3, 0.4


def _write_registered(visit: VisitFile, path: Path, table: str, order: str) -> None:
    """A kind's CSV, its columns its registry's (``domain.kind_columns``): as its import
    reads them, numbers as a person writes them."""
    columns = kind_columns.in_csv(table)
    numbers = [c.kind in _NUMBERS for c in columns]
    write_csv(
        path,
        tuple(c.csv_name for c in columns),
        (
            tuple(number_text(v) if n else v for v, n in zip(tuple(row), numbers, strict=True))
            for row in visit.query(
                f"SELECT {', '.join(c.name for c in columns)} FROM {table} "
                f"WHERE {LIVE} ORDER BY {order}"
            )
        ),
    )


def _write_setup(visit: VisitFile, folder: Path) -> None:
    """team.csv, locations.csv, plan.csv and data.csv."""
    _write_registered(visit, folder / "team.csv", "team_member", "rowid")
    _write_registered(visit, folder / "locations.csv", "location", "rowid")
    write_csv(
        folder / "plan.csv",
        tuple(c.csv_name for c in kind_columns.in_csv("plan_item")),
        _plan_rows(visit),
    )
    _write_registered(visit, folder / "data.csv", "data_return", "key")


def _write_evidence(visit: VisitFile, folder: Path) -> None:
    """roll-checks.csv, time-out-of-cell.csv, the samples, notes.csv and links.csv."""
    write_csv(
        folder / "roll-checks.csv",
        tuple(c.csv_name for c in kind_columns.in_csv("roll_check")),
        visit.query(
            f"SELECT {ROLL_CHECK_READS} "
            "FROM roll_check r JOIN location l ON l.id = r.location_id "
            "LEFT JOIN roll_round o ON o.id = r.round_id WHERE r.deleted = 0 "
            "ORDER BY r.taken_at, l.name, r.id"
        ),
    )
    _write_registered(
        visit, folder / "time-out-of-cell.csv", "toc_period", "on_date, subject, start_time, id"
    )
    bundle_samples.write_samples(visit, folder)
    write_csv(
        folder / "notes.csv",
        tuple(c.csv_name for c in kind_columns.in_csv("note")),
        (tuple(row)[1:] for row in visit.query(bundle_parts.NOTE_ROWS)),
    )
    write_csv(
        folder / "links.csv", ("plan_ref", "round", "date", "subject"), links.bundle_rows(visit)
    )


def _plan_rows(visit: VisitFile) -> Iterable[tuple[Any, ...]]:
    """plan.csv's rows: each item's columns (its registry's, ``domain.kind_columns``),
    its judgement's level (as the import reads it) and reasons from the judgement table."""
    from irp_field.domain.plan import scale_for

    judgements = {
        r["unit"]: (r["level"], r["why"])
        for r in visit.query(
            "SELECT unit, level, why FROM judgement WHERE deleted = 0 AND level != ''"
        )
    }
    columns = kind_columns.in_csv("plan_item")
    for r in visit.query("SELECT * FROM plan_item WHERE deleted = 0 ORDER BY position, ref"):
        level, why = judgements.get(r["judged_group"] or r["ref"], ("", ""))
        judged = {
            "judgement": scale_for(r["kind"]).level(level).label if level else "",
            "why": why,
        }
        yield tuple(
            (number_text(r[c.name]) if c.kind in _NUMBERS else r[c.name]) if c.stored
            else judged[c.name]
            for c in columns
        )  # fmt: skip


def _findings_markdown(visit: VisitFile) -> str:
    from irp_field.evidence.reads import plan_items

    sections = []
    for item in plan_items(visit):  # the report's order: by area, then the plan's order
        paragraphs = visit.query(
            "SELECT text FROM finding WHERE plan_item_id = ? AND deleted = 0 ORDER BY position, id",
            (item.id,),
        )
        if paragraphs:
            sections.append((item.ref, [p["text"] for p in paragraphs]))
    return write_sections(
        "irp-field findings: one '## REF' section per plan item; paragraphs separated by a "
        "blank line; a paragraph between ~~~ lines is read exactly as it stands",
        sections,
    )
