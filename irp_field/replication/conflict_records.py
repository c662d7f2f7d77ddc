"""A source's conflict records, held whole before a merge reads them (``row_checks``):
each names a merged table, carries well-formed stamps and a whole version of its row, as
a merge writes one (keeping the other version writes these values into the row)."""

from __future__ import annotations

import json
import sqlite3

from irp_field.core import schema
from irp_field.core.clock import stamp_sql


def first_not_whole(conn: sqlite3.Connection) -> str | None:
    """The id of the first conflict record that is not well formed, or None."""
    tables = ", ".join(f"'{t}'" for t in schema.MERGED_TABLES)
    bad = conn.execute(
        "SELECT id FROM main.conflict WHERE NOT (json_valid(other_row) AND "
        f"json_type(other_row) = 'object' AND table_name IN ({tables}) AND "
        f"{stamp_sql('other_version')} AND (kept_version = '' OR {stamp_sql('kept_version')}) "
        "AND resolved IN (0, 1)) LIMIT 1"
    ).fetchone()
    if bad is None:
        bad = next(
            (
                row
                for row in conn.execute(
                    "SELECT id, table_name, row_id, other_version, other_row FROM main.conflict"
                )
                if not _whole_version(*row[1:])
            ),
            None,
        )
    return None if bad is None else str(bad[0])


def _whole_version(table: str, row_id: str, version: str, other_row: str) -> bool:
    """Does a conflict record keep a whole version of its row, as a merge writes one: every
    column of its table and no other, each a plain value, its id and version the record's?"""
    try:
        other = json.loads(other_row)
    except ValueError:
        return False
    return (
        isinstance(other, dict)
        and set(other) == set(schema.merged_columns(table))
        and other["id"] == row_id
        and other["version"] == version
        and not any(isinstance(value, dict | list) for value in other.values())
    )
