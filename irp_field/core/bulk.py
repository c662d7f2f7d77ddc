"""Bulk work on many rows: Python's cyclic garbage collector paused while it runs.

Reading 100,000 CSV records builds 100,000 lists, and every few hundred new containers
the collector walks all the ones still alive: a third of an import's time went there,
finding nothing (records, value tuples and strings make no cycles, and reference
counting frees them). Paused for the length of one import, the collector catches up on
anything else afterwards.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pausers = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector until the last of any overlapping pauses ends."""
    global _pausers, _was_enabled
    with _lock:
        if _pausers == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausers += 1
    try:
        yield
    finally:
        with _lock:
            _pausers -= 1
            if _pausers == 0 and _was_enabled:
                gc.enable()
