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

Registered: the team, locations, the plan, rounds, time out of cell, sampling (frames,
criteria, records, answers), notes and data returns.
The roll check's counts have their own registry (``roll_categories``); the roll check's
other columns, links, findings and the report's parts are still
written out where they are used (``core.tables`` and the exports). A rule still reads
what it reads (a period's times, a note's source) in the kind's own checker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from irp_field.domain import fields, names, vocabulary
from irp_field.domain.verdicts import Verdict

# The schema whose tables held the first columns, in their place; a column since a later
# one was added by its own migration, and comes after them.
FIRST_SCHEMA = 1

# What a column holds, as Table Schema names it (the exports' types) -> how SQLite
# stores it (its declared type).
AFFINITY = {"string": "TEXT", "date": "TEXT", "datetime": "TEXT", "time": "TEXT",
            "integer": "INTEGER", "number": "REAL"}  # fmt: skip

# What redaction does with a column (``interchange.redaction`` names the same policies).
KEEP, STAFF, BLANK = "keep", "staff", "blank"
# a row's id or a reference to one (a keyed hash in a redacted export)
ID = "id"
# what else points at one team member (a role such as "GP specialist adviser")
STAFF_DETAIL = "staff-detail"
# What a typed text is (``interchange.redaction.TEXT_DECISIONS``), and so its redaction.
CATEGORY, PUBLISHED, WORKING = "category", "published", "working"


@dataclass(frozen=True)
class KindColumn:
    """One column of a kind, as every path names, reads and shows it."""

    name: str  # its column in the visit file and in every export
    kind: str  # what it holds: string, date, datetime, time, integer or number (AFFINITY)
    about: str  # what the analysts' data dictionary says ('' : not exported)
    default: str | int | float | None = ""  # a row's value when nothing was given (None: NULL)
    csv: str | None = None  # its column in the import's and the bundle's CSV (None: its name;
    # '': in no CSV)
    csv_about: str = ""  # what goes in it in a CSV, when the name does not say
    required: bool = True  # in a CSV (one added since the first schema never is)
    # the export's policy (and the redacted copy's), if not typed text: a text says its
    # own (KEEP, STAFF, ...: never kept for want of a word); a day, a time or a number is
    # kept unless it says otherwise
    redaction: str = ""
    typed: tuple[str, str] | None = None  # typed text: (what it is, why), its policy's decision
    unit: str = ""  # prisoners, minutes, ... (the data dictionary's)
    stored: bool = True  # False: a CSV column kept elsewhere (a note's plan refs: note_link)
    since: int = FIRST_SCHEMA  # the schema version whose migration made its column
    references: str = ""  # the table whose id it holds (its policy: ID)
    # not stored: the export reads it through its select's join (a frame's name, "f.name")
    joined: str = ""
    # how the table stores it, when not as its kind says (a seed typed as text, exported
    # as the whole number it is)
    stored_as: str = ""

    @property
    def policy(self) -> str:
        """What redaction does with it ('' : undecided, and never exported redacted)."""
        if self.references:
            return ID
        return self.redaction or ("" if self.kind == "string" else KEEP)

    @property
    def affinity(self) -> str:
        return self.stored_as or AFFINITY[self.kind]

    @property
    def csv_name(self) -> str:
        return self.name if self.csv is None else self.csv

    @property
    def exported(self) -> bool:
        return (self.stored or bool(self.joined)) and bool(self.about)

    @property
    def optional(self) -> bool:
        """A CSV may leave it out (a sheet made before it was added never had it)."""
        return not self.required or self.since != FIRST_SCHEMA


def _choices(words: tuple[str, ...]) -> str:
    return ", ".join(words)


# Which import wrote the row (its entry in import_log): the file, never a person.
IMPORT_ID = KindColumn("import_id", "string", "", csv="", redaction=KEEP)

# A sampled row's frame (an id in the file; its name in the export, through the join).
FRAME_ID = KindColumn("frame_id", "string", "The sample frame.", csv="", references="sample_frame")
FRAME = KindColumn(
    "frame", "string", "The sample frame's name.", csv="", stored=False, joined="f.name",
    redaction=KEEP,
)  # fmt: skip
PLAN_REF = KindColumn(
    "plan_ref", "string", "The plan item's ref (text: 1.30 is not 1.3).", stored=False,
    joined="p.ref", redaction=KEEP,
)  # fmt: skip
SAMPLED_RECORD = "The record's ref (a pseudonym in a redacted export)."

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
    # Sampling: a frame's CSV is the bundle's sample-frames.csv (its criteria and records
    # `;`-separated, its answers a file of the sample import); criteria and records have
    # no CSV of their own
    "sample_frame": (
        KindColumn(
            "name",
            "string",
            "The kind of record sampled (Use of force records).",
            typed=(CATEGORY, 'a kind of record sampled ("Use of force records")'),
        ),
        KindColumn(
            "record_kind",
            "string",
            "What each sampled record is.",
            typed=(CATEGORY, "what each sampled record is"),
        ),
        KindColumn(
            "population",
            "integer",
            "Records in the list the sample was drawn from.",
            default=None,
            unit="records",
        ),
        KindColumn(
            "method", "string", "How the sample was drawn (random, all, ...).", redaction=KEEP
        ),
        KindColumn(
            "seed",
            "integer",
            "The random draw's seed (null: not drawn by irp-field).",
            stored_as="TEXT",
            redaction=BLANK,
        ),
        KindColumn(
            "list_sha256",
            "string",
            "SHA-256 of the list drawn from (to reproduce the draw).",
            required=False,
            redaction=BLANK,
        ),
        KindColumn(
            "plan_item_id",
            "string",
            "The plan item it is evidence for.",
            csv="",
            references="plan_item",
        ),
        PLAN_REF,
        KindColumn("criteria", "string", "", csv_about="`;`-separated", stored=False),
        KindColumn(
            "records", "string", "", csv_about="`;`-separated", required=False, stored=False
        ),
        KindColumn("answers_file", "string", "", required=False, stored=False),
    ),
    "sample_criterion": (
        FRAME_ID,
        FRAME,
        KindColumn(
            "name",
            "string",
            "What each record was checked for.",
            csv="",
            typed=(CATEGORY, "what each record was checked for"),
        ),
        KindColumn(
            "position", "integer", "Its place among the frame's criteria.", default=0, csv=""
        ),
    ),
    "sample_record": (
        FRAME_ID,
        FRAME,
        KindColumn("record", "string", SAMPLED_RECORD, csv="", redaction="pseudonym:record"),
        KindColumn("position", "integer", "Its place in the sample.", default=0, csv=""),
    ),
    # its CSV is the sample import's (a frame's answers, in the bundle's samples/)
    "sample_answer": (
        FRAME_ID,
        FRAME,
        KindColumn("record", "string", SAMPLED_RECORD, redaction="pseudonym:record"),
        KindColumn(
            "criterion_id",
            "string",
            "The criterion.",
            csv="",
            references="sample_criterion",
        ),
        KindColumn(
            "criterion",
            "string",
            "The criterion's name.",
            stored=False,
            joined="c.name",
            redaction=KEEP,
        ),
        KindColumn(
            "answer",
            "string",
            "yes, no or na (null: a comment waiting for an answer).",
            csv_about=_choices(vocabulary.ANSWERS),
            redaction=KEEP,
        ),
        KindColumn(
            "comment",
            "string",
            "What the record showed.",
            required=False,
            typed=(WORKING, "what a sampled record said, about a person"),
        ),
    ),
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


def in_order(table: str) -> tuple[KindColumn, ...]:
    """A kind's columns, each added since the first schema after those before it (where
    its migration put it), whatever the line it was declared on."""
    return tuple(sorted(COLUMNS[table], key=lambda column: column.since))


def stored(table: str) -> tuple[KindColumn, ...]:
    """A kind's columns in the visit file, in the table's order."""
    return tuple(c for c in in_order(table) if c.stored)


def exported(table: str) -> tuple[KindColumn, ...]:
    """A kind's columns in the analyst export, in the table's order."""
    return tuple(c for c in in_order(table) if c.exported)


def in_csv(table: str) -> tuple[KindColumn, ...]:
    """A kind's columns in the import's and the bundle's CSV, in order."""
    return tuple(c for c in in_order(table) if c.csv_name)


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
