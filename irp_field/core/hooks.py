"""What features ask the core to run at its moments, so that the core calls no feature.

A feature registers a hook once, when its module is imported (the evidence package
imports its hooks' modules): the core runs every registered hook at that moment, in
the order they were registered, inside the transaction, so a failing hook rolls the
write back. Hooks take the connection and must not commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

BeforeCommit = Callable[[sqlite3.Connection], object]

# name -> hook; keyed by name so that importing a module twice registers it once.
_BEFORE_COMMIT: dict[str, BeforeCommit] = {}


def before_commit(name: str, hook: BeforeCommit) -> None:
    """Run ``hook`` at the end of every write transaction, before it commits."""
    _BEFORE_COMMIT[name] = hook


def run_before_commit(conn: sqlite3.Connection) -> None:
    for hook in _BEFORE_COMMIT.values():
        hook(conn)


def registered() -> list[str]:
    return list(_BEFORE_COMMIT)
