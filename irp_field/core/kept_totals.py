"""What a visit file keeps summed from its evidence, and where those sums are trusted.

Two kinds are kept beside the evidence they come from, so that the figures read a row
per round, location or subject-day, whatever the visit's size: the roll tallies
(``core.roll_tallies``, from the roll checks) and the subject-day totals of time out of
cell (``core.day_totals``, from the periods). Trust what a file holds, never what it
says about itself: both are trusted only where the file's pages are, a file this
installation last wrote or found sound (``core.sound_files``). Any other (from
elsewhere, or changed by another hand since) has both summed again from its evidence
at its first reading (:func:`agree`, the comparisons ``check`` makes); where either
differs, every reader sums the evidence instead (``VisitFile.tallies_trusted``) and a
writer's opening sums both again (:func:`sum_again`). One decision for both: a file
found forged in one is read from its evidence in both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from irp_field.core import day_totals, roll_tallies, stored_forms


def agree(conn: sqlite3.Connection, beside: Callable[[], sqlite3.Connection] | None = None) -> bool:
    """Do the kept roll tallies and subject-day totals hold what the evidence sums to?
    ``beside``: a second connection to the same file, made when asked (a large file):
    the roll rounds' pass runs on it while this one makes the rest
    (``roll_tallies.agree``). A check holding a count that is no number makes a sum no
    one can believe (SQLite's SUM reads it as 0): never (``roll_tallies._whole``); nor a
    file holding a value in no stored form (``core.stored_forms``)."""
    return roll_tallies.agree(conn, beside=beside, also=_days_and_forms)


def _days_and_forms(conn: sqlite3.Connection) -> bool:
    """The days' comparison, and no value in a form no figure reads (run beside the
    other passes on a large file: ``roll_tallies.agree``'s ``also``)."""
    return stored_forms.first_unstored(conn) is None and day_totals.agree(conn)


def summable(conn: sqlite3.Connection) -> bool:
    """Does every live check hold its counts as numbers, every period its times as times
    of day, and every record its words as stored (``core.stored_forms``)? Asked by a
    writer's opening once it has summed a file's kept sums again: a file that does not
    is never trusted, nor known sound; its readers sum the evidence, and the figure is
    refused naming the record (``roll_tallies.refuse_unread_counts``,
    ``day_totals.refuse_untimed``, ``stored_forms.refuse_unstored``). A pass over the
    checks, one over the periods, and the stored forms' looks."""
    return (
        roll_tallies.first_unread_count(conn) is None
        and day_totals.first_untimed(conn) is None
        and stored_forms.first_unstored(conn) is None
    )


def sum_again(conn: sqlite3.Connection) -> None:
    """A writer, on opening (in autocommit): kept sums that do not :func:`agree` with the
    evidence (another hand changed them) summed again from it, in one transaction."""
    roll_tallies.in_one_transaction(conn, _fill)


def _fill(conn: sqlite3.Connection) -> None:
    if roll_tallies.kept(conn):
        roll_tallies.fill(conn)
    if not day_totals.missing_triggers(conn):
        day_totals.fill(conn)
