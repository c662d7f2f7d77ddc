"""The evidence kinds and the visit's set-up: one module per kind, each with its SQL.

Importing the package registers the features' before-commit hooks with the core. A hook
loads its module at the first commit that runs it, not here: a reading (a notes search)
imports the package and never commits, and the kept totals' modules are not its work.
"""

from __future__ import annotations

import sqlite3

from irp_field.core import hooks


def _settle_days(conn: sqlite3.Connection) -> None:
    """The subject-days of time out of cell a write marked, totalled again
    (:func:`irp_field.evidence.toc_days.settle`)."""
    from irp_field.evidence import toc_days

    toc_days.settle(conn)


# Every transaction of this app totals again the days its writes marked, before it commits.
hooks.before_commit("time out of cell: kept subject-day totals", _settle_days)
