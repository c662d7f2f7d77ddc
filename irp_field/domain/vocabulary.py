"""The fixed words of an IRP: bodies, areas, kinds, sources, activities, units.

Each is a tuple in the order people expect to see it; parsing is case-insensitive and
an unknown word is refused with the valid choices listed.
"""

from __future__ import annotations

from irp_field.domain.roll_categories import CATEGORIES

VISIT_TYPES = ("IRP", "full inspection")
BODIES = ("HMIP", "Ofsted", "CQC", "GPhC", "Estyn")
LOCATION_KINDS = ("wing", "unit", "other")
AREAS = (
    "Leadership",
    "Safety",
    "Respect",
    "Purposeful activity",
    "Education, skills and work",
    "Rehabilitation and release planning",
)
PLAN_KINDS = ("recommendation", "theme")
# The roll categories' names, in order (their one home: ``roll_categories``).
ROLL_CATEGORIES = tuple(category.name for category in CATEGORIES)
ACTIVITIES = (
    "open_air",
    "association",
    "domestic",
    "work",
    "education",
    "gym",
    "healthcare",
    "visits",
    "other",
)
NOTE_SOURCES = ("observation", "prisoner", "staff", "third party", "documentation", "data")
ANSWERS = ("yes", "no", "na")
DATA_UNITS = ("proportion", "percent", "count", "hours", "minutes", "number")
# A subject-day holds no more minutes unlocked (its periods between 00:00 and 24:00,
# overlaps counted once): a total past it is no day's (a hand's edit of the file). Here,
# not with the time-out-of-cell rules: the figures read it without loading them.
DAY_MINUTES = 24 * 60

# Figure 1 of a report: the healthy prison tests of the last inspections and their judgements
# (best first), as the summary's table prints them.
HEALTHY_PRISON_TESTS = (
    "Safety",
    "Respect",
    "Purposeful activity",
    "Rehabilitation and release planning",
)
OUTCOME_LEVELS = ("Good", "Reasonably good", "Not sufficiently good", "Poor")

# Which kind of source each note source is, for triangulation on the dashboard.
SOURCE_KINDS = {
    "observation": "observation",
    "prisoner": "prisoners",
    "staff": "staff",
    "third party": "third parties",
    "documentation": "documents",
    "data": "data",
}


def completed(word: str, choices: tuple[str, ...]) -> str:
    """The first choice that ``word`` begins (any case), as a screen offers it while it
    is typed ("o" -> "Ofsted"); ``word`` itself when it begins none, or is empty. A
    screen takes it on Enter or save: the offer is made a moment after each key, and a
    fast typist's Enter came before it ("O" was refused while "Ofsted" showed)."""
    wanted = word.strip().casefold()
    if not wanted:
        return word
    return next((choice for choice in choices if choice.casefold().startswith(wanted)), word)


def choose(word: str, choices: tuple[str, ...], what: str) -> str:
    """The choice matching ``word`` case-insensitively, or ValueError listing the choices."""
    wanted = word.strip().casefold()
    for choice in choices:
        if choice.casefold() == wanted:
            return choice
    raise ValueError(f"unknown {what} {word!r}; choose one of: {', '.join(choices)}")


def stored(word: str, choices: tuple[str, ...], what: str) -> str:
    """A word as the visit file holds it: exactly the one of ``choices`` :func:`choose`
    gives (what every path stores), or ValueError (an unknown word in :func:`choose`'s
    words). A hand's 'YES' or 'Open air' counts nowhere: the figures read the stored
    form alone (``answer = 'yes'``, ``activity = 'open_air'``)."""
    chosen = choose(word, choices, what)
    if chosen != word:
        shown = repr(word if len(word) <= 40 else word[:40] + "…")
        raise ValueError(f"{what} {shown} is not as stored ({chosen!r}): no figure counts it")
    return chosen


def complete(word: str, choices: tuple[str, ...]) -> str | None:
    """The first of ``choices`` that ``word`` begins (case and ``_`` for a space aside):
    an activity by its first letters (``g`` gym, ``op`` open_air); None when none does."""
    wanted = word.strip().casefold().replace(" ", "_")
    if not wanted:
        return None
    return next((choice for choice in choices if choice.casefold().startswith(wanted)), None)
