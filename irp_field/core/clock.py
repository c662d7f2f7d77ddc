"""A hybrid logical clock for version stamps.

A stamp is ``MMMMMMMMMMMMM.CCCCCC.SITE``: wall-clock milliseconds (13 digits), a
counter (6 digits) and the file's site id, zero-padded so that stamps sort as text
in the order the clock issued them. Only well-formed stamps (:func:`is_stamp`) are
let in by a merge, and no stamp reaches 14 digits of milliseconds, so text order is
always the order of the numbers. The clock never goes backwards: it takes
max(now, last stamp seen) and bumps the counter on ties, and it advances past the
stamps it observes in a merge, but never further than a day ahead of this machine's
clock (:data:`FUTURE_TOLERANCE_MS`): a laptop whose clock was years ahead cannot drag
this file's stamps with it. An edit always outranks the version it replaces
(:meth:`HybridClock.tick_after`), so a correction made here wins over the text it
corrects, however far ahead that text was stamped.

One clock may serve two connections to one file in one process (the UI's own and its
worker's, ``core.beside.writer_beside``): each method takes a lock, so the two threads
never receive the same stamp, nor one below a stamp already issued.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MILLIS_DIGITS = 13
COUNTER_DIGITS = 6
MAX_COUNTER = 10**COUNTER_DIGITS - 1
FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000
# No stamp may reach this (the year 2255): successors of any accepted stamp stay 13 digits.
LAST_MILLIS = 9_000_000_000_000


# Below LAST_MILLIS in the pattern itself: 13 digits whose first is under 9 (one match
# a stamp, no slice compared after it: a merge and `check` ask it of every row).
assert LAST_MILLIS == 9 * 10 ** (MILLIS_DIGITS - 1)
_STAMP = re.compile(r"[0-8][0-9]{12}\.[0-9]{6}\.[0-9A-Za-z_-]{1,64}")


def is_stamp(text: object) -> bool:
    """Well formed: 13 digits of milliseconds below :data:`LAST_MILLIS`, a dot, 6 digits,
    a dot, and a site id of 1 to 64 letters, digits, ``_`` or ``-``. (Asked of every row
    of a file from elsewhere: one pattern, no parsing.)"""
    return isinstance(text, str) and _STAMP.fullmatch(text) is not None


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, order=True)
class Stamp:
    """A hybrid logical clock's stamp: milliseconds, a counter and the file's site."""

    millis: int
    counter: int
    site: str

    def __str__(self) -> str:
        return f"{self.millis:0{MILLIS_DIGITS}d}.{self.counter:0{COUNTER_DIGITS}d}.{self.site}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        millis, counter, site = text.split(".", 2)
        if len(millis) != MILLIS_DIGITS or len(counter) != COUNTER_DIGITS:
            raise ValueError(f"not a version stamp: {text!r}")
        return cls(int(millis), int(counter), site)


def is_far_future(stamp: str, now_ms: int | None = None) -> bool:
    """True for a stamp more than a day ahead of this machine's clock: flag, don't trust."""
    now = wall_clock_ms() if now_ms is None else now_ms
    try:
        return Stamp.parse(stamp).millis > now + FUTURE_TOLERANCE_MS
    except ValueError:
        return False


def stamp_sql(column: str) -> str:
    """:func:`is_stamp` as an SQL condition on ``column`` (for a merge's one-pass check of
    a source's rows; tests hold the two to the same answers)."""
    digits13, digits6 = "[0-9]" * 13, "[0-9]" * 6
    # length() and GLOB stop at a NUL; the bytes' length does not (a stamp is ASCII, one
    # byte a character, so the two agree only for a stamp without one)
    return (
        f"(typeof({column}) = 'text' AND length({column}) BETWEEN 22 AND 85 "
        f"AND length(CAST({column} AS BLOB)) = length({column}) "
        f"AND {column} GLOB '{digits13}.{digits6}.*' "
        f"AND substr({column}, 1, 13) < '{LAST_MILLIS}' "
        f"AND substr({column}, 22) NOT GLOB '*[^0-9A-Za-z_-]*')"
    )


class HybridClock:
    def __init__(
        self, site: str, last: str = "", now_ms: Callable[[], int] = wall_clock_ms
    ) -> None:
        self.site = site
        self._now_ms = now_ms
        self._millis = 0
        self._counter = 0
        self._lock = threading.Lock()
        if last:
            self.observe(last)

    @property
    def last(self) -> str:
        with self._lock:
            return self._last()

    def _last(self) -> str:
        return str(Stamp(self._millis, self._counter, self.site))

    def tick(self) -> str:
        """The next stamp: later than every stamp issued or observed so far."""
        with self._lock:
            return self._tick()

    def _tick(self) -> str:
        now = self._now_ms()
        if now > self._millis:
            self._millis, self._counter = now, 0
        elif self._counter < MAX_COUNTER:
            self._counter += 1
        else:
            self._millis, self._counter = self._millis + 1, 0
        return self._last()

    def tick_many(self, count: int) -> list[str]:
        """``count`` consecutive stamps, as :meth:`tick` would issue them (for imports)."""
        stamps: list[str] = []
        with self._lock:
            while len(stamps) < count:
                self._tick()
                # One format for the batch (the millisecond and site fixed): a third
                # quicker than an f-string per stamp on an import of 100,000 rows.
                site = self.site.replace("%", "%%")
                pattern = f"{self._millis:0{MILLIS_DIGITS}d}.%0{COUNTER_DIGITS}d.{site}"
                first = self._counter
                last = min(MAX_COUNTER, first + count - len(stamps) - 1)
                stamps.extend(map(pattern.__mod__, range(first, last + 1)))
                self._counter = last
        return stamps

    def observe(self, stamp: str) -> None:
        """Advance past ``stamp`` (seen in a merge or read from the file), but never past
        a day ahead of this machine's clock."""
        try:
            seen = Stamp.parse(stamp)
        except ValueError:
            return
        with self._lock:
            bound = self._now_ms() + FUTURE_TOLERANCE_MS
            millis, counter = (seen.millis, seen.counter) if seen.millis <= bound else (bound, 0)
            if (millis, counter) > (self._millis, self._counter):
                self._millis, self._counter = millis, counter

    def tick_after(self, version: str) -> str:
        """The next stamp, and later than ``version`` too: an edit outranks what it edits
        even when that was stamped by a laptop whose clock ran ahead."""
        stamp = self.tick()
        if not version or stamp > version:
            return stamp
        try:
            seen = Stamp.parse(version)
        except ValueError:
            return stamp
        if seen.counter < MAX_COUNTER:
            millis, counter = seen.millis, seen.counter + 1
        else:
            millis, counter = seen.millis + 1, 0
        return str(Stamp(millis, counter, self.site))
