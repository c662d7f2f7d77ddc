"""The rows whose id is made from their key, held to it before a merge reads them
(``row_checks``, in the same pass as every value's type; ``check`` makes that pass too).

A live roll check's id is made from its round and location (``evidence.roll_checks``
makes it so; a migration re-keyed older files): a check with another id would be a
second count of a location in a round that no merge could see as one record.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from irp_field.core.ids import keyed_ids

KEYED_TABLE, KEYED_BY = "roll_check", ("round_id", "location_id")


def key_rule(
    conn: sqlite3.Connection, table: str, names: Sequence[str]
) -> Callable[..., str] | None:
    """The id a live row of ``table`` must have, from its :data:`KEYED_BY` values (None:
    no such rule for the table, or an older file's table without those columns)."""
    if table != KEYED_TABLE or not {"id", "deleted", *KEYED_BY} <= set(names):
        return None
    row = conn.execute("SELECT value FROM main.meta WHERE key = 'visit_id'").fetchone()
    return keyed_ids(str(row[0]) if row is not None else "", KEYED_TABLE)


def first_unkeyed(conn: sqlite3.Connection, table: str, names: Sequence[str]) -> str | None:
    """The id of the first live row of ``table`` not made from its key (:func:`key_rule`)."""
    keyed = key_rule(conn, table, names)
    if keyed is None:
        return None
    conn.create_function("irp_key_of", 2, lambda a, b: keyed(str(a), str(b)), deterministic=True)
    by = ", ".join(KEYED_BY)
    bad = conn.execute(
        f"SELECT id FROM main.{table} WHERE deleted = 0 AND id IS NOT irp_key_of({by}) LIMIT 1"
    ).fetchone()
    return None if bad is None else str(bad[0])


def unkeyed_words(row_id: str) -> str:
    return (
        f"roll check {row_id[:40]!r} is not keyed by its round and location (a hand or "
        "another program wrote it; it could count a location twice in a round)"
    )
