"""Parsing one typed or imported value; each raises ValueError with a message for a person."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

# Every digit of a date, a time or a moment is one of 0-9 (re.ASCII): ``\d`` alone took
# any script's digits, and a time typed as "١٠:٠٠" was stored so, made a round of its
# own and was then refused by ``check`` and the merge (stored times are read two ASCII
# digits either side of the colon).
# A date as the visit file holds it: the pattern is an SQLite GLOB and a Python pattern
# alike (``core.stored_forms`` asks a file's periods with it).
STORED_DATE_PATTERN = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
_ISO_DATE = re.compile(STORED_DATE_PATTERN, re.ASCII)
# The first day a date may be (Python's: year 0000 is none), for SQL that asks a stored
# date the same as :func:`date` does.
FIRST_DATE = dt.date.min.isoformat()
# A record's tombstone as stored: 0 (live) or 1 (deleted); every reader asks deleted = 0.
TOMBSTONES = (0, 1)
# A time as paper has it: 09:30, 9:30, 0930, 930, 9.30 (hours then minutes, 24-hour).
_TIME = re.compile(r"(\d{1,2})[:.]?(\d{2})", re.ASCII)
# A time as the visit file holds it, 00:00 to 23:59: the patterns are SQLite GLOBs and
# Python patterns alike (``core.day_totals`` asks a file's periods with them).
STORED_TIME_PATTERNS = ("[01][0-9]:[0-5][0-9]", "2[0-3]:[0-5][0-9]")
_STORED_TIME = re.compile("|".join(STORED_TIME_PATTERNS), re.ASCII)
TIME_FORMS = "HH:MM, 24-hour: 09:30, 0930 or 9.30"


# No count a visit records is larger (a prison's roll is in the thousands): more is a
# slip of the keys or a hostile file, and SQLite's integers stop at 19 digits.
MOST = 999_999_999
LARGEST = 10**12  # a decimal number's size, either side of 0
SHOWN = 40  # characters of a refused value quoted back (a cell may hold a page)


def shown(text: str) -> str:
    """``text`` as a refusal quotes it: in quotes, cut at :data:`SHOWN` characters."""
    return repr(text if len(text) <= SHOWN else f"{text[:SHOWN]}…")


def held(value: object) -> str:
    """A value a file holds where a number belongs, in words (a refusal quotes it)."""
    if value is None:
        return "nothing"
    if isinstance(value, bytes):
        return f"{len(value):,} byte{'' if len(value) == 1 else 's'} of binary data"
    return shown(str(value))


def whole_number(text: str, what: str = "count") -> int:
    if text.isdigit() and text.isascii() and len(text) < 10:  # the common case, cheaply
        return int(text)
    cleaned = text.strip()
    if not re.fullmatch(r"\d+", cleaned):
        if re.fullmatch(r"-\d+", cleaned):
            raise ValueError(f"{what} cannot be negative ({shown(cleaned)[1:-1]})")
        raise ValueError(f"{what} must be a whole number, not {shown(text)}")
    digits = cleaned.lstrip("0")
    # Told by its length before int() reads it: Python refuses over 4,300 digits with
    # a message about its own settings.
    if len(digits) > len(str(MOST)) or int(cleaned) > MOST:
        raise ValueError(f"{what} is {len(digits):,} digits long; at most {MOST:,}")
    return int(cleaned)


def decimal_number(text: str, what: str = "value") -> float:
    try:
        value = float(text.strip())
    except ValueError:
        said = f"{what} must be a number, not {text!r}"
        if text.strip().endswith("%"):  # a data return's share, as a person writes it
            said += " (34% is 34 with the unit percent, or 0.34 with proportion)"
        raise ValueError(said) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{what} must be a finite number, not {text!r}")
    if abs(value) > LARGEST:  # beyond it, a figure's rounding runs out of digits
        raise ValueError(f"{what} is too large ({text.strip()}); at most {LARGEST:,}")
    return value


def date(text: str) -> str:
    """An ISO date (YYYY-MM-DD) that exists."""
    cleaned = text.strip()
    try:
        if not _ISO_DATE.fullmatch(cleaned):
            raise ValueError
        return dt.date.fromisoformat(cleaned).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a date (write YYYY-MM-DD)") from None


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?)?", re.ASCII)
VISIT_DAYS_KEPT = 62  # a day written short is looked for among this many of the visit's


def visit_day(text: str, start: str, end: str) -> str:
    """A day as a form takes it: YYYY-MM-DD, or as paper has it within a visit from
    ``start`` to ``end``: its day of the month (``15``), with its month (``15/3``,
    ``15.03.22``) or its weekday (``Tue``, ``Tuesday``), when one day of the visit is
    so. Anything else (a day outside the visit written short) is refused: write it
    whole."""
    cleaned = text.strip()
    if _ISO_DATE.fullmatch(cleaned) or not (start and end):
        return date(cleaned)
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        return date(cleaned)
    days = [
        first + dt.timedelta(days=n) for n in range(min((last - first).days + 1, VISIT_DAYS_KEPT))
    ]
    word = cleaned.casefold()
    match = _DAY_MONTH.fullmatch(cleaned)
    if match is not None:
        day, month, year = (int(part) if part else None for part in match.groups())
        found = [
            d
            for d in days
            if d.day == day
            and (month is None or d.month == month)
            and (year is None or d.year % 100 == year % 100)
        ]
    elif len(word) >= 2 and word.isalpha():
        found = [d for d in days if _WEEKDAYS[d.weekday()].startswith(word)]
    else:
        found = []
    if len(found) == 1:
        return found[0].isoformat()
    raise ValueError(
        f"{text!r} is not a day of the visit ({start} to {end}): write YYYY-MM-DD, or the "
        "day as 15, 15/3 or Tue"
    )


def time_of_day(text: str) -> str:
    """A time of day as written on paper (``09:30``, ``9:30``, ``0930``, ``930``,
    ``9.30``; 24-hour), as HH:MM. Typed and imported times alike: one rule."""
    match = _TIME.fullmatch(text.strip())
    if match is not None and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    raise ValueError(f"{text!r} is not a time of day (write {TIME_FORMS})")


def stored_time(text: str) -> str:
    """A time as the visit file holds it: exactly HH:MM. (What is typed or imported is
    stored so; a file written by another hand with ``9:30`` or ``0930`` in it is refused,
    as the sums of minutes read the two digits either side of the colon.)"""
    if _STORED_TIME.fullmatch(text):
        return text
    raise ValueError(f"{text!r} is not a time of day as stored (HH:MM, 24-hour)")


def minute_of_day(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:5])


_MOMENT = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?", re.ASCII)


@lru_cache(maxsize=4096)
def _real_day(year: str, month: str, day: str) -> bool:
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65536)  # a round's checks share their moments: parse each once
def moment(text: str) -> str:
    """A date and time (YYYY-MM-DDTHH:MM[:SS], a space allowed for the T), minute precision kept."""
    match = _MOMENT.fullmatch(text.strip())
    if match is not None:
        year, month, day, hour, minute, second = match.groups()
        if (
            _real_day(year, month, day)
            and int(hour) < 24
            and int(minute) < 60
            and (second is None or int(second) < 60)
        ):
            seconds = f":{second}" if second and second != "00" else ""
            return f"{year}-{month}-{day}T{hour}:{minute}{seconds}"
    raise ValueError(f"{text!r} is not a date and time (write YYYY-MM-DDTHH:MM)")


def moment_on(text: str, day: str, start: str = "", end: str = "") -> str:
    """When a record happened, as a person types it (a form's When): a time alone (any
    form :func:`time_of_day` takes: ``10:09``, ``1009``, ``9.30``) on ``day`` (YYYY-MM-DD:
    a round's day, a note's); or a day and a time, the day as :func:`visit_day` reads it
    within the visit from ``start`` to ``end`` (``Tue 10:00``: Tuesday's sheet typed up on
    Wednesday; ``15 1000``, ``15/3 10:00``, ``2022-03-15 10:00``); or a whole moment
    (:func:`moment`). Files, merges and programs write moments whole (:func:`moment`)."""
    cleaned = text.strip()
    if day and len(cleaned) <= 5:
        try:
            return f"{day}T{time_of_day(cleaned)}"
        except ValueError:
            pass
    try:
        return moment(cleaned)
    except ValueError:
        pass
    parts = cleaned.split()
    if len(parts) == 2:  # each part refused in its own rule's words
        return f"{visit_day(parts[0], start, end)}T{time_of_day(parts[1])}"
    raise ValueError(
        f"{text!r} is not a time (write {TIME_FORMS}; or the day and the time, Tue 10:00, "
        "15 1000 or YYYY-MM-DD HH:MM for another day)"
    )


def split_list(text: str) -> list[str]:
    """A ``;``-separated list, blanks dropped."""
    return [part.strip() for part in text.split(";") if part.strip()]


def is_key(text: str) -> bool:
    """A figure key part: lower case letters, digits and ``_``, starting with a letter."""
    return re.fullmatch(r"[a-z][a-z0-9_]*", text) is not None
