"""The roll and the categories a roll check counts people in: one line each, here alone.

Everything about a count is derived from its line: the record type and the rules' fast
path (``roll_checks``), the table's column (``core.tables``), the import's columns, the
exports, the bundle, redaction, ``check``'s SQLite function and the roll-check form's
labels. A category added later says the schema version whose migration adds its column
(``since``): files made before it read it as 0, a CSV made before it may leave it out,
and its column comes last in the table, where ``ALTER TABLE ... ADD COLUMN`` puts it.
A new category is one line below, the migration adding its column
(``core.schema.adding_columns``), its tests and the CHANGELOG.
"""

from __future__ import annotations

from dataclasses import dataclass

# The schema whose table held the first categories, in their place among its columns; a
# category since a later one was added by its own migration, and comes last.
FIRST_SCHEMA = 1


@dataclass(frozen=True)
class Count:
    """One count of a roll check, as every path names and shows it."""

    name: str  # its column, in the visit file, the CSV and every export
    label: str  # the roll-check form's field
    short: str  # the round table's column head (a few letters: 80 columns hold them all)
    about: str  # what the analysts' data dictionary says it counts
    unit: str = "prisoners"
    since: int = FIRST_SCHEMA  # the schema version whose migration made its column


ROLL = Count("roll", "Roll", "Roll", "prisoners held at the location (its roll)")

# In the order people count them, the form asks for them and the exports list them.
CATEGORIES: tuple[Count, ...] = (
    Count("locked_up", "Locked up", "Lock", "prisoners locked in their cells"),
    Count(
        "off_wing_activity",
        "Off-wing activity",
        "Off",
        "prisoners off the wing at education, work or other activity",
    ),
    Count("wing_work", "Wing work", "Work", "prisoners at work on the wing (cleaners, servery)"),
    Count(
        "unlocked_on_wing", "Unlocked on wing", "Unl", "prisoners unlocked on the wing, not at work"
    ),
    Count("elsewhere", "Elsewhere", "Else", "prisoners elsewhere (health care, visits, court)"),
)


def counts() -> tuple[Count, ...]:
    """The roll, then its categories."""
    return (ROLL, *CATEGORIES)
