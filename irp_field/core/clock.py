"""A hybrid logical clock for version stamps.

A stamp is ``MMMMMMMMMMMMM.CCCCCC.SITE``: wall-clock milliseconds (13 digits), a
counter (6 digits) and the file's site id, zero-padded so that stamps sort as text
in the order the clock issued them. The clock never goes backwards: it takes
max(now, last stamp seen) and bumps the counter on ties, and it advances past every
stamp it observes in a merge, so an edit made after seeing another always sorts
after it even when this laptop's clock is behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MILLIS_DIGITS = 13
COUNTER_DIGITS = 6
MAX_COUNTER = 10**COUNTER_DIGITS - 1
FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, order=True)
class Stamp:
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


class HybridClock:
    def __init__(
        self, site: str, last: str = "", now_ms: Callable[[], int] = wall_clock_ms
    ) -> None:
        self.site = site
        self._now_ms = now_ms
        self._millis = 0
        self._counter = 0
        if last:
            self.observe(last)

    @property
    def last(self) -> str:
        return str(Stamp(self._millis, self._counter, self.site))

    def tick(self) -> str:
        """The next stamp: later than every stamp issued or observed so far."""
        now = self._now_ms()
        if now > self._millis:
            self._millis, self._counter = now, 0
        elif self._counter < MAX_COUNTER:
            self._counter += 1
        else:
            self._millis, self._counter = self._millis + 1, 0
        return self.last

    def tick_many(self, count: int) -> list[str]:
        """``count`` consecutive stamps, as :meth:`tick` would issue them (for imports)."""
        stamps: list[str] = []
        while len(stamps) < count:
            self.tick()
            # One format for the batch (the millisecond and site fixed): a third quicker
            # than an f-string per stamp on an import of 100,000 rows.
            site = self.site.replace("%", "%%")
            pattern = f"{self._millis:0{MILLIS_DIGITS}d}.%0{COUNTER_DIGITS}d.{site}"
            first = self._counter
            last = min(MAX_COUNTER, first + count - len(stamps) - 1)
            stamps.extend(map(pattern.__mod__, range(first, last + 1)))
            self._counter = last
        return stamps

    def observe(self, stamp: str) -> None:
        """Advance past ``stamp`` (seen in a merge or read from the file)."""
        try:
            seen = Stamp.parse(stamp)
        except ValueError:
            return
        if (seen.millis, seen.counter) > (self._millis, self._counter):
            self._millis, self._counter = seen.millis, seen.counter
