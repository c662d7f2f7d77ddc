"""One column of a kind of evidence, as its registry (``kind_columns``) declares it.

Apart from the registry so that a kind's entries may live in a module of their own
(sampling's: ``sample_columns``) and be registered there without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    # its export puts it after the kind's other first columns (the roll check's round, since
    # 0.1 the export's last column); one added since comes after it all the same
    last_in_export: bool = False

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


def choices(words: tuple[str, ...]) -> str:
    return ", ".join(words)


# Which import wrote the row (its entry in import_log): the file, never a person.
IMPORT_ID = KindColumn("import_id", "string", "", csv="", redaction=KEEP)
