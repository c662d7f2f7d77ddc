"""How the inspectorate writes figures: "40%", "1.5 hours", "almost a quarter", "three"."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal

_NUMBER_WORDS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

# The fractions the house style names, nearest first when ties are impossible.
FRACTIONS: tuple[tuple[float, str], ...] = (
    (1 / 10, "a tenth"),
    (1 / 5, "a fifth"),
    (1 / 4, "a quarter"),
    (1 / 3, "a third"),
    (2 / 5, "two-fifths"),
    (1 / 2, "half"),
    (3 / 5, "three-fifths"),
    (2 / 3, "two-thirds"),
    (3 / 4, "three-quarters"),
    (4 / 5, "four-fifths"),
    (9 / 10, "nine-tenths"),
)


def round_half_up(value: float, places: int = 0) -> Decimal:
    from decimal import ROUND_HALF_UP, Decimal  # here: a command that words no figure

    quantum = Decimal(1).scaleb(-places)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def pct(proportion: float) -> str:
    """A proportion (0 to 1) as a rounded percentage: 0.404 -> "40%"."""
    from decimal import ROUND_HALF_UP, Decimal

    # Scale in decimal, not float: 0.285 * 100 is 28.499999999999996 in binary floating point.
    percent = (Decimal(repr(float(proportion))) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{percent}%"


def hours(value: float) -> str:
    """Hours to one decimal place, dropping ".0": 1.5 -> "1.5 hours", 1 -> "1 hour"."""
    rounded = round_half_up(value, 1)
    text = str(int(rounded)) if rounded == rounded.to_integral_value() else str(rounded)
    return f"{text} hour" if rounded == 1 else f"{text} hours"


def minutes(value: float) -> str:
    """Whole minutes: 30.2 -> "30 minutes", 1 -> "1 minute"."""
    rounded = round_half_up(value)
    return f"{rounded} minute" if rounded == 1 else f"{rounded} minutes"


def number(value: float) -> str:
    """One to nine in words, 10 and above (and fractions) in digits, as the reports write them."""
    if float(value).is_integer() and 0 <= value <= 9:
        return _NUMBER_WORDS[int(value)] if value else "none"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def count(value: float) -> str:
    """A count in digits with thousands separators: 114 -> "114", 1200 -> "1,200"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def words(proportion: float) -> str:
    """A proportion in the house style: 0.24 "almost a quarter", 0.52 "just over half"."""
    if proportion <= 0:
        return "none"
    if proportion >= 1:
        return "all"
    fraction, name = min(FRACTIONS, key=lambda f: abs(proportion - f[0]))
    difference = round(proportion - fraction, 10)
    if abs(difference) <= 0.005:
        return f"about {name}"
    if -0.03 <= difference < -0.005:
        return f"almost {name}"
    if 0.005 < difference <= 0.03:
        return f"just over {name}"
    return pct(proportion)


# Names Windows keeps for devices, whatever follows the dot (a file saved as CON.pdf is
# the console): never the name of a file irp-field writes.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}
)


def slug(text: str) -> str:
    """Lower case, every run of other characters one ``_``, trimmed: "A wing" -> "a_wing"."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def file_words(text: str) -> str:
    """Words as a file's name holds them, in letters a USB stick of any system takes:
    lower case, joined by "-" ("HMP Leeds" -> "hmp-leeds", "Siân Jones" -> "sian-jones")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return slug(plain).replace("_", "-")


def person_file_stem(visit_stem: str, person: str) -> str:
    """The name of a person's file of a visit, before its suffix: ``hull-jade-richards``
    (the hand-out's copy ``.db``, the hand-back ``.age``: one name for both; the hand-back
    offered ``hull-jade_richards.age`` for the copy ``hull-jade-richards.db``), in letters
    a USB stick of any system takes (Siân is sian)."""
    return f"{visit_stem}-{file_words(person) or 'member'}"


def handback_stem(visit_stem: str, person: str) -> str:
    """The name of ``person``'s hand-back of a file, before its suffix: the file's name
    for them (:func:`person_file_stem`), unless the file is already named for them (the
    copy handed out to them, ``hull-jade-richards.db``, or a second of one name's
    ``-2``), whose hand-back keeps its name: ``hull-jade-richards.age``."""
    named = person_file_stem("", person)  # "-jade-richards"
    if re.search(rf"{re.escape(named)}(-[0-9]+)?$", visit_stem):
        return visit_stem
    return person_file_stem(visit_stem, person)


def first_words(text: str, count: int) -> str:
    """The first ``count`` words of ``text`` on one line, "…" after them when it goes on
    (a draft's offer quoted eight words cut bare: the note looked to end there)."""
    words = text.split()
    shown = " ".join(words[:count])
    return f"{shown}…" if len(words) > count else shown


def short_name(name: str) -> str:
    """A team member's name as the team tells its members apart on a narrow screen:
    "Sara Pennington" as "Sara P."."""
    words = [w for w in name.split() if w.casefold().rstrip(".") not in _TITLES]
    return f"{words[0]} {words[-1][0]}." if len(words) > 1 else name


_TITLES = {"dr", "mr", "mrs", "ms", "miss", "prof"}
