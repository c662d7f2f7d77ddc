"""The columns of each kind of evidence: one declaration per kind, here alone.

Everything about a column is derived from its line: the table's column in the visit file
(``core.tables``), the import's CSV column (``interchange.kinds``) and the importer's
reading of a column no rule reads, the analyst export's column, its type, description
and unit (``interchange.export_tables``), its redaction (``interchange.redaction``: a
typed text's decision, or the policy), the redacted copy of a file, and the bundle's CSV
(``interchange.bundle``). A column added later says the schema version whose migration
adds it (``since``): it comes last in the table, where ``ALTER TABLE ... ADD COLUMN``
puts it (and last in the export and the CSV); a file made before it reads it as its
default, and a CSV made before it may leave it out. A new column is one line below, the
migration adding it (``core.schema.adding_columns``), its tests and the CHANGELOG.

Registered: the team, locations, the plan, rounds, roll checks, time out of cell,
sampling (frames, criteria, records, answers: ``sample_columns``), notes and data
returns. The roll check's counts have their own registry (``roll_categories``), placed
among its columns by :data:`COUNTS`. Links, findings and the report's parts are still
written out where they are used (``core.tables`` and the exports). A rule still reads
what it reads (a period's times, a note's source) in the kind's own checker.
"""

from __future__ import annotations

from collections.abc import Callable

from irp_field.domain import fields, names, roll_categories, sample_columns, vocabulary
from irp_field.domain.kind_column import AFFINITY as AFFINITY
from irp_field.domain.kind_column import BLANK as BLANK
from irp_field.domain.kind_column import CATEGORY as CATEGORY
from irp_field.domain.kind_column import FIRST_SCHEMA as FIRST_SCHEMA
from irp_field.domain.kind_column import ID as ID
from irp_field.domain.kind_column import IMPORT_ID as IMPORT_ID
from irp_field.domain.kind_column import KEEP as KEEP
from irp_field.domain.kind_column import PUBLISHED as PUBLISHED
from irp_field.domain.kind_column import STAFF as STAFF
from irp_field.domain.kind_column import STAFF_DETAIL as STAFF_DETAIL
from irp_field.domain.kind_column import WORKING as WORKING
from irp_field.domain.kind_column import KindColumn as KindColumn
from irp_field.domain.kind_column import choices as _choices
from irp_field.domain.sample_columns import PLAN_REF as PLAN_REF
from irp_field.domain.verdicts import Verdict

# Where the roll check's counts go among its columns: the roll and its categories, one
# column each, from their registry (``roll_categories``). One added since the first
# schema is last in the table (where its migration put it) and among the others in the
# CSV and the export, as a sheet and a reader keep the counts together.
COUNTS = KindColumn("", "integer", "", csv="")


def _count(count: roll_categories.Count) -> KindColumn:
    later = count.since != FIRST_SCHEMA
    return KindColumn(
        count.name,
        "integer",
        f"The {count.about}." if count is roll_categories.ROLL else f"Of the roll: {count.about}.",
        default=0,
        csv_about="0 when left out" if later else "",
        unit=count.unit,
        since=count.since,
    )


# table -> its own columns (after the bookkeeping ones), in the table's order: the first
# schema's, then each added since, in the order of their migrations.
COLUMNS: dict[str, tuple[KindColumn, ...]] = {
    "team_member": (
        KindColumn(
            "name",
            "string",
            "The team member's name (a pseudonym in a redacted export).",
            redaction=STAFF,
        ),
        KindColumn(
            "role",
            "string",
            "Their role on the visit (team leader, inspector, adviser).",
            redaction=STAFF_DETAIL,
        ),
        KindColumn(
            "body",
            "string",
            "Their inspectorate: HMIP, Ofsted, CQC, GPhC or Estyn.",
            csv_about=_choices(vocabulary.BODIES),
            redaction=KEEP,
        ),
    ),
    "location": (
        KindColumn("name", "string", "The wing or unit.", typed=(CATEGORY, "a wing or unit")),
        KindColumn(
            "kind",
            "string",
            "wing, unit or other.",
            default="wing",
            csv_about=_choices(vocabulary.LOCATION_KINDS),
            redaction=KEEP,
        ),
        KindColumn(
            "capacity",
            "integer",
            "Prisoners it can hold.",
            default=None,
            required=False,
            unit="prisoners",
        ),
    ),
    "plan_item": (
        KindColumn(
            "ref",
            "string",
            "The paragraph ref in the last report (text: 1.30 is not 1.3).",
            redaction=KEEP,
        ),
        KindColumn(
            "kind",
            "string",
            "recommendation (HMIP) or theme (Ofsted).",
            default="recommendation",
            csv_about=_choices(vocabulary.PLAN_KINDS),
            redaction=KEEP,
        ),
        KindColumn(
            "body", "string", "The inspectorate that judges it.", default="HMIP", redaction=KEEP
        ),
        KindColumn("area", "string", "The healthy prison area it falls under.", redaction=KEEP),
        KindColumn(
            "concern",
            "string",
            "The concern as the last report printed it.",
            required=False,
            typed=(PUBLISHED, "the concern as the last report printed it"),
        ),
        KindColumn(
            "text",
            "string",
            "The recommendation as the last report printed it.",
            typed=(PUBLISHED, "the recommendation as the last report printed it"),
        ),
        # its judgement's level and reasons: the judgement table's, columns of the CSV
        KindColumn("judgement", "string", "", required=False, stored=False),
        KindColumn(
            "judged_group",
            "string",
            "The group it is judged with (null: judged alone).",
            csv="group",
            required=False,
            typed=(CATEGORY, "a group of recommendations judged together"),
        ),
        KindColumn("why", "string", "", required=False, stored=False),
        KindColumn("position", "integer", "Its place in the plan.", default=0, csv=""),
    ),
    # a round of roll checks (schema 5): named in roll-checks.csv, no CSV of its own
    "roll_round": (
        KindColumn(
            "name",
            "string",
            "The round's name (Mon AM).",
            csv="",
            typed=(CATEGORY, 'a time of day the prison was counted ("Mon AM")'),
        ),
        KindColumn("on_date", "date", "The day of the round.", csv=""),
        KindColumn("at_time", "time", "The time the round started (local time).", csv=""),
    ),
    # a location counted in a round (its round since schema 5, in this place all the same)
    "roll_check": (
        KindColumn(
            "taken_at",
            "datetime",
            "When the location was counted (local time).",
            csv_about="YYYY-MM-DDTHH:MM",
        ),
        KindColumn(
            "location_id", "string", "The location counted.", csv="location", references="location"
        ),
        KindColumn(
            "location",
            "string",
            "The location's name.",
            csv="",
            stored=False,
            joined="l.name",
            redaction=KEEP,
        ),
        KindColumn(
            "round",
            "string",
            "The round's name.",
            csv="",
            stored=False,
            joined="o.name",
            redaction=KEEP,
        ),
        COUNTS,
        KindColumn(
            "round_id",
            "string",
            "The round it belongs to.",
            csv="round",
            csv_about="empty: the round of its hour",
            required=False,
            references="roll_round",
            last_in_export=True,
        ),
        KindColumn(
            "inspector",
            "string",
            "Who counted (a pseudonym in a redacted export).",
            required=False,
            redaction=STAFF,
        ),
        KindColumn(
            "note",
            "string",
            "The inspector's note on the count.",
            required=False,
            typed=(WORKING, "an inspector's note on a count"),
        ),
        IMPORT_ID,
    ),
    "toc_period": (
        KindColumn("on_date", "date", "The day followed.", csv="date"),
        KindColumn(
            "subject",
            "string",
            "The prisoner followed (a pseudonym as typed; a keyed one when redacted).",
            csv_about="a pseudonym",
            redaction="pseudonym:subject",
        ),
        KindColumn(
            "subject_group",
            "string",
            "The group the subject was followed in (Unemployed).",
            csv="group",
            typed=(CATEGORY, 'a group of prisoners followed ("Unemployed")'),
        ),
        KindColumn(
            "start_time",
            "time",
            "When the period out of cell began (local time).",
            csv="start",
            csv_about="HH:MM",
        ),
        KindColumn("end_time", "time", "When it ended (local time).", csv="end", csv_about="HH:MM"),
        KindColumn(
            "activity",
            "string",
            "What the period was (open_air, work, education, ...).",
            default="other",
            csv_about=_choices(tuple(a.replace("_", " ") for a in vocabulary.ACTIVITIES)),
            redaction=KEEP,
        ),
        IMPORT_ID,
    ),
    **sample_columns.SAMPLING,
    "note": (
        KindColumn(
            "source",
            "string",
            "observation, prisoner, staff, third party, documentation, data.",
            default="observation",
            csv_about=_choices(vocabulary.NOTE_SOURCES),
            redaction=KEEP,
        ),
        KindColumn("taken_at", "datetime", "When it was taken (local time)."),
        KindColumn(
            "author", "string", "Who took it (a pseudonym in a redacted export).", redaction=STAFF
        ),
        KindColumn(
            "text", "string", "The note.", typed=(WORKING, "interview and observation notes")
        ),
        # the plan items it is evidence for: links (note_link), one column of the CSV
        KindColumn(
            "plan_refs", "string", "", csv_about="`;`-separated", required=False, stored=False
        ),
        KindColumn(
            "tags",
            "string",
            "The inspector's tags, separated by ;.",
            csv_about="`;`-separated",
            required=False,
            typed=(WORKING, "an inspector's words for a note"),
        ),
        IMPORT_ID,
    ),
    "data_return": (
        KindColumn("key", "string", "Its name; the figure data.KEY quotes it.", redaction=KEEP),
        KindColumn(
            "value", "number", "The figure, in its unit (a proportion is 0 to 1).", default=None
        ),
        KindColumn(
            "unit",
            "string",
            "proportion, percent, count, hours, minutes or number.",
            default="number",
            csv_about=_choices(vocabulary.DATA_UNITS),
            redaction=KEEP,
        ),
        KindColumn(
            "period",
            "string",
            "When it is for (2021-22).",
            required=False,
            typed=(CATEGORY, 'when a figure is for ("2021-22"), kept as dates are'),
        ),
        KindColumn(
            "source",
            "string",
            "Who supplied it.",
            required=False,
            typed=(WORKING, "who supplied a figure: often a named member of staff"),
        ),
        KindColumn(
            "label",
            "string",
            "What it is, in words.",
            required=False,
            typed=(WORKING, "a figure described on site (its key names it)"),
        ),
    ),
}


def _declared(table: str) -> tuple[tuple[KindColumn, int], ...]:
    """A kind's columns as declared (the roll check's counts in their place), each with
    the schema of its place: a count's is its marker's (the counts stay together)."""
    found: list[tuple[KindColumn, int]] = []
    for column in COLUMNS[table]:
        if column is COUNTS:
            found += ((_count(count), column.since) for count in roll_categories.counts())
        else:
            found.append((column, column.since))
    return tuple(found)


def in_order(table: str) -> tuple[KindColumn, ...]:
    """A kind's columns, each added since the first schema after those before it (where
    its migration put it), whatever the line it was declared on."""
    return tuple(c for c, _ in sorted(_declared(table), key=lambda found: found[0].since))


def stored(table: str) -> tuple[KindColumn, ...]:
    """A kind's columns in the visit file, in the table's order."""
    return tuple(c for c in in_order(table) if c.stored)


def exported(table: str) -> tuple[KindColumn, ...]:
    """A kind's columns in the analyst export: the table's order, the counts together,
    and a column its export puts last (``last_in_export``) after the first schema's."""
    ordered = sorted(_declared(table), key=lambda found: (found[1], found[0].last_in_export))
    return tuple(c for c, _ in ordered if c.exported)


def stored_together(table: str) -> tuple[KindColumn, ...]:
    """A kind's stored columns with the counts together, as its import makes a row (its
    ``INSERT`` names them: the table's order need not be this one)."""
    return tuple(c for c, _ in sorted(_declared(table), key=lambda found: found[1]) if c.stored)


def in_csv(table: str) -> tuple[KindColumn, ...]:
    """A kind's columns in the import's and the bundle's CSV, in order (the counts
    together)."""
    return tuple(c for c, _ in sorted(_declared(table), key=lambda found: found[1]) if c.csv_name)


def added(table: str) -> tuple[KindColumn, ...]:
    """A kind's stored columns added since the first schema that no rule of its kind
    reads (the roll check's counts: its rules read every one, ``roll_checks``)."""
    counted = any(c is COUNTS for c in COLUMNS[table])
    names = {count.name for count in roll_categories.counts()} if counted else set()
    return tuple(c for c in stored(table) if c.since != FIRST_SCHEMA and c.name not in names)


_PARSED: dict[str, Callable[[str, str], int | float]] = {
    "integer": fields.whole_number,
    "number": fields.decimal_number,
}
_WRITTEN: dict[str, Callable[[str], str]] = {
    "date": fields.date,
    "time": fields.time_of_day,
    "datetime": fields.moment,
}


def read(column: KindColumn, typed: str) -> tuple[str | int | float | None, list[Verdict]]:
    """A value of a column no rule of its kind reads (one added since, say) as a CSV
    gives it: its default when empty, or what its kind makes of it; refused, naming the
    column, when it is not that (a count that is no whole number, a day that is none)."""
    where = column.csv_name or column.name
    if not typed.strip():
        return column.default, []
    if column.kind == "string":
        return typed.strip(), names.text_verdicts(typed, where, where, required=False)
    try:
        if column.kind in _PARSED:
            return _PARSED[column.kind](typed, where), []
        return _WRITTEN[column.kind](typed), []
    except ValueError as error:
        return column.default, [Verdict(where, str(error))]


def stored_verdicts(column: KindColumn, value: object) -> list[Verdict]:
    """A stored value of a column no rule of its kind reads, read back as the import
    reads it (``check``, and the merge of another laptop's file): a hand's text in a
    count is refused as the import refuses it; NULL only where the column has no default."""
    if value is None:
        if column.default is None:
            return []
        return [Verdict(column.csv_name or column.name, f"{column.name} is NULL")]
    if isinstance(value, bytes | bool) or (column.kind == "integer" and isinstance(value, float)):
        return [Verdict(column.csv_name or column.name, f"{column.name} is not {column.kind}")]
    return read(column, str(value))[1]
