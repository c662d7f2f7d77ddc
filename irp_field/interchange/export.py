"""Exports for analysts: readable, typed tables, no sync bookkeeping, deleted rows left out.

Every format is written from one analyst database (:mod:`export_database`, built in SQL
by SQLite itself): a table per kind of record (:data:`TABLES`, typed and described in
:mod:`export_tables`), names joined in (a roll check carries its location's name), a
``visit_id`` column everywhere so that any number of visits combine, every figure of
the registry and every subject-day's time out of cell (:mod:`export_derived`), and the
tables computed from them (:data:`VIEWS`: the share locked up by visit and by round, the
sampling results). Deleted rows (tombstones) are excluded: an analyst counts what the
visit's evidence says now. Shares are fractions from 0 to 1 everywhere, as in the
figures (``roll.pct_locked_up`` is 0.40, and so is ``locked_up_by_visit.pct_locked_up``).

``redact`` applies the policy of every column (``redaction.POLICY``, printed in
``docs/redaction.md``) to each visit's rows in the SELECT that copies them, before
anything reaches the database (the few rows Python computes, the figures and the
findings' numbers, through ``redaction.redacting``); the computed tables are computed
after, from the redacted rows. The attached photographs and documents are left out of a
redacted export unless ``keep_attachments``, which keeps the photographs (clean, or the
export is refused) and never the documents.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from irp_field.core import bulk, pages, staging
from irp_field.core.destinations import writing
from irp_field.core.visit_file import VisitFile
from irp_field.domain.attachments import PHOTOGRAPHS
from irp_field.domain.errors import IrpError
from irp_field.interchange import export_database, export_rounds
from irp_field.interchange.export_database import BY_NAME
from irp_field.interchange.export_derived import DERIVED, FIGURE, ROUND_SUMS, TABLES, TOC_DAY
from irp_field.interchange.export_tables import AnalystTable, column_names

if TYPE_CHECKING:
    from irp_field.figures import Figure

__all__ = ["FORMATS", "TABLES", "VIEWS", "AnalystTable", "column_names", "export_visits"]

FORMATS = ("sqlite", "csv", "json", "xlsx")
# The computed tables (views in 0.3.0): name -> (description, the SQL that fills it)
VIEWS: dict[str, tuple[str, str]] = {t.name: (t.description, t.select) for t in DERIVED}


@dataclass(frozen=True)
class Redacting:
    """What an export's redaction is asked for (``redact`` False: none)."""

    redact: bool
    keep_attachments: bool
    keep_staff_names: bool
    organisation_key: str | None
    fresh_key: bool


def export_visits(
    paths: Sequence[Path],
    export_format: str,
    out: Path,
    *,
    redact: bool = False,
    keep_attachments: bool = False,
    keep_staff_names: bool = False,
    raw: bool = False,
    overwrite: bool = False,
    organisation_key: str | None = None,
    fresh_key: bool = False,
    excel: bool = False,
    on_visit_read: Callable[[Path], None] | None = None,
) -> Path:
    """Write one or several visits in ``export_format`` (sqlite, csv, json, xlsx); when
    ``redact``, each visit's rows are redacted as they are read, with the key
    ``redaction.export_key`` chooses. ``excel``: CSV files begin with a byte-order mark,
    which Excel needs to read UTF-8. Where it (and the SQLite export's Datasette metadata)
    may go, and what a failure leaves, is :func:`core.destinations.writing`'s rule.
    ``on_visit_read`` hears of each visit once it is read (a progress bar's step)."""
    from irp_field.interchange import export_writers

    if export_format not in FORMATS:
        raise IrpError(f"unknown export format {export_format!r}")
    if excel and export_format != "csv":
        raise IrpError("--excel is for --format csv (an XLSX workbook is Excel's own)")
    beside = [export_writers.metadata_path(out)] if export_format == "sqlite" else []
    asked = Redacting(redact, keep_attachments, keep_staff_names, organisation_key, fresh_key)
    with (
        writing(
            out,
            overwrite=overwrite,
            reading=paths,
            folder=export_format == "csv",
            also=beside,
            own=export_database.own_output(export_format),
        ),
        staging.staged() as staged,  # the SQLite export's files (the others stage their own)
        export_database.building(
            keyed=export_format == "sqlite",
            at=staged.file(out) if export_format == "sqlite" else None,
        ) as db,
    ):
        seen: dict[str, Path] = {}
        leaders = []
        for path in paths:
            try:
                leaders.append(_load(db, path, export_format, asked, seen))
            except sqlite3.DataError as error:  # a value past the reading's length limit
                raise pages.damaged(path, error) from None
            if on_visit_read is not None:
                on_visit_read(path)
        export_database.finish(db, visits=len(paths), searched=export_format == "sqlite")
        # The workbook's author: the team leader of one visit, never a name when redacted.
        author = leaders[0] if len(leaders) == 1 and leaders[0] and not redact else "irp-field"
        export_writers.write(
            export_format, db.conn, out, raw=raw, excel=excel, author=author, staged=staged
        )
    return out


def _load(
    db: export_database.AnalystDatabase,
    path: Path,
    export_format: str,
    asked: Redacting,
    seen: dict[str, Path],
) -> str:
    """Every table of the visit at ``path`` into ``db``, redacted if asked; gives the
    visit's team leader for a workbook's author ('' when it has none, or another format:
    no other names one)."""
    from irp_field.interchange import redaction

    key = None
    if asked.redact:
        if asked.keep_attachments:
            redaction.refuse_unclean_pictures(path)
        key = redaction.export_key(
            path, organisation_key=asked.organisation_key, fresh=asked.fresh_key
        )
    with VisitFile.open(path, readonly=True) as visit, bulk.collector_paused():
        if visit.visit_id in seen:
            # Copies of one visit: merge them first, or the rows would clash.
            raise IrpError(
                f"{path} and {seen[visit.visit_id]} are copies of the same visit; "
                "merge them first (irp-field merge), then export the result"
            )
        seen[visit.visit_id] = path
        present = {r[0] for r in visit.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if key is not None:
            export_database.register(visit.conn, key)
        refuse_bytes = export_database.watch_texts(visit.conn, path)
        with export_database.attached(db, visit.conn):
            for table in TABLES:
                if table is FIGURE or table.name == "finding":  # computed in Python
                    continue
                _copy(visit, table, present, asked)
            refuse_bytes()
            export_rounds.copy(
                visit,
                f"{export_database.SIDE}.{ROUND_SUMS}",
                lambda column, value: export_database.value_sql(
                    "roll_check", column, value, redact=asked.redact,
                    keep_staff_names=asked.keep_staff_names,
                ),
            )  # fmt: skip
            if export_format == "sqlite" and (asked.keep_attachments or not asked.redact):
                _copy_files(visit, present, asked.redact)
        from irp_field import figures

        computed = figures.compute(visit)  # once: the figure table and the findings' text
        for table in (FIGURE, BY_NAME["finding"]):  # the few rows Python computes
            if table.name in present or table is FIGURE:
                rows = _computed(visit, table, computed)
                if key is not None:
                    rows = redaction.redacting(
                        table.name, table.names, rows, key, asked.keep_staff_names
                    )
                export_database.insert(db, table, rows)
        if export_format != "xlsx":
            return ""
        from irp_field.findings.paragraphs import team_leader

        return team_leader(visit)


def _copy(visit: VisitFile, table: AnalystTable, present: set[str], asked: Redacting) -> None:
    """The table's rows from the visit, in column order and in its order, copied by SQLite
    (a file of an older schema, read as it is, lacks some tables: none from those)."""
    if table is TOC_DAY:
        from irp_field.evidence import toc_days

        select = table.select.format(days=toc_days.days_sql(visit))
    elif table.name in present:
        select = table.select
    else:
        return
    where = ""
    if table.name == "attachment" and asked.redact:
        # no documents when redacted: they keep their author
        kinds = ", ".join(f"'{kind}'" for kind in PHOTOGRAPHS)
        kind = f"c{table.names.index('kind')}"  # filling's name for the column
        where = f"{kind} IN ({kinds})" if asked.keep_attachments else "0"
    statement = export_database.filling(
        table, select, redact=asked.redact, keep_staff_names=asked.keep_staff_names, where=where
    )
    visit.conn.execute(statement, (visit.visit_id,))


def _computed(visit: VisitFile, table: AnalystTable, computed: dict[str, Figure]) -> Iterable[Any]:
    if table is FIGURE:
        return _figures(visit, computed)
    rows = visit.conn.execute(table.select, (visit.visit_id,))
    return _numbered(visit, rows, computed)


def _figures(visit: VisitFile, computed: dict[str, Figure]) -> Iterator[tuple[Any, ...]]:
    for f in computed.values():
        yield (visit.visit_id, f.key, f.value, f.display, f.unit, f.n, f.definition, f.about)


def _numbered(
    visit: VisitFile, rows: Iterable[Any], computed: dict[str, Figure]
) -> list[tuple[Any, ...]]:
    """The finding rows with the number each has in the report (as text, and its section
    and paragraph as numbers) and its rendered text (as last synced, or as it renders now;
    a paragraph that cannot render keeps none), in the report's order (a visit with no
    paragraph loads no report: the findings' modules are not even imported)."""
    rows = list(rows)
    if not rows:
        return []
    from irp_field.findings.outline import split_number
    from irp_field.findings.sync import load

    try:
        state = load(visit, computed=computed)
    except IrpError:
        shown = {}
    else:
        shown = {
            p.paragraph.finding.id: (p.paragraph.number, p.report_text)
            for p in state.paragraphs
            if p.paragraph.finding is not None
        }
    numbered = []
    for row in rows:
        number, rendered = shown.get(str(row[1]), ("", ""))
        section, paragraph = split_number(number) if number else (None, None)
        numbered.append((*row[:4], number, section, paragraph, row[7], row[8], rendered))
    # the report's order; a paragraph the report does not print (its plan item deleted) last
    numbered.sort(key=lambda r: (r[6] is None, r[5] or 0, r[6] or 0, str(r[3]), r[7], r[1]))
    return numbered


def _copy_files(visit: VisitFile, present: set[str], photographs_only: bool) -> None:
    """The files the visit's live attachments name, one copy of each, copied by SQLite."""
    if "attachment_file" not in present:
        return
    kinds = ", ".join(f"'{kind}'" for kind in PHOTOGRAPHS)
    visit.conn.execute(
        f"INSERT OR IGNORE INTO {export_database.SCHEMA}.{export_database.FILES} "
        "SELECT f.id, f.kind, f.size, f.content FROM attachment_file f WHERE EXISTS "
        "(SELECT 1 FROM attachment a WHERE a.file_sha256 = f.id AND a.deleted = 0)"
        + (f" AND f.kind IN ({kinds})" if photographs_only else "")
    )
