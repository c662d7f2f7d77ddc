"""Helpers shared by the merge tests: copies of one file, and the content to compare."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from irp_field.core import schema


def cp(source: Path, target: Path) -> Path:
    """A plain byte copy, as `cp` or a file manager makes (after a checkpoint)."""
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(source, target)
    return target


def content(path: Path) -> dict[str, Any]:
    """Evidence and text, not per-file bookkeeping: every merged row, the open
    conflicts (without which version happened to be kept when recorded) and the edit
    history without merge events."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        found: dict[str, Any] = {}
        for table in schema.MERGED_TABLES:
            if table == "conflict":
                continue
            found[table] = sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
        found["conflict"] = sorted(
            conn.execute(
                "SELECT table_name, row_id, other_version, other_row, resolved FROM conflict "
                "WHERE deleted = 0"
            ).fetchall()
        )
        found["change_log"] = sorted(
            r[0] for r in conn.execute("SELECT id FROM change_log WHERE action != 'merge'")
        )
        fts = conn.execute("SELECT count(*) FROM note_fts").fetchone()[0]
        found["fts_in_step"] = fts == conn.execute("SELECT count(*) FROM note").fetchone()[0]
        return found
    finally:
        conn.close()


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    for part in (path, Path(f"{path}-wal")):
        if part.exists():
            digest.update(part.read_bytes())
    return digest.hexdigest()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def edit_by_hand(path: Path, *statements: str) -> None:
    """``statements`` run on the file by another program (sqlite3, not irp-field), then
    checkpointed into the database file itself."""
    import sqlite3

    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def a_record_copied_across(source: Path, target: Path, table: str, values: str) -> str:
    """The first (by id) ``table`` record of ``source`` written into ``target`` by a hand,
    its id kept and its other columns ``values`` (SQL, after the id); returns the id."""
    import sqlite3

    conn = sqlite3.connect(source)
    [(record,)] = conn.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1")
    conn.close()
    columns, given = values.split(" VALUES ")
    edit_by_hand(target, f"INSERT INTO {table} (id, {columns}) VALUES ('{record}', {given})")
    return str(record)
