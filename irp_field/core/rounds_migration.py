"""Schema 5's migration: rounds of roll checks become records, and every check takes
the id of its round and location.

Before schema 5 a round was only a label on each check, and a check saved without one
counted in a "hidden" round named after its date and hour, listed nowhere. Now:

- every label becomes a round (its day and hour those of its earliest check), and a
  check without a label gets the round of its hour, named "Mon 14 Mar 10:00" (shown
  on the roll-check screen like any round, and renamable there);
- every check is re-keyed ``keyed_id(visit, "roll_check", round id, location id)``, so
  that two laptops that counted one location in one round hold one record (a merge
  then sees a conflict, not two rows); the edit history, open conflicts and findings'
  citations follow the new ids;
- of two or more checks of one location in one round (possible before), the latest
  live one is kept and the others are kept deleted (logged), so no figure counts the
  location twice in a round.

Everything is worked out from the file's own rows, so two copies of the same rows
migrate to the same rows on any laptop.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence

from irp_field.core.ids import keyed_id, uuid7
from irp_field.domain.rounds import hour_round_name

MIGRATION_AUTHOR = "irp-field (schema 5)"

# A check's round before schema 5: its label, or else the hour it was taken in.
_ROUND_KEY = (
    "CASE WHEN r.round != '' THEN 'label:' || r.round ELSE 'hour:' || substr(r.taken_at, 1, 13) END"
)


def _visit_id(db: sqlite3.Connection) -> str:
    row = db.execute("SELECT value FROM meta WHERE key = 'visit_id'").fetchone()
    return str(row[0]) if row is not None else ""


def _round_name(key: str, earliest: str) -> str:
    if key.startswith("label:"):
        return key.removeprefix("label:")
    try:
        return hour_round_name(earliest)
    except ValueError:  # a moment that is no date (a hand-edited file): keep what it was
        return key.removeprefix("hour:")


def _rounds(db: sqlite3.Connection) -> list[tuple[str, ...]]:
    """A round for every label and hour in use: (old key, id, name, day, time, version,
    created_by, created_at)."""
    visit_id = _visit_id(db)
    found: list[tuple[str, ...]] = []
    rows = db.execute(
        f"SELECT {_ROUND_KEY} AS key, MIN(r.taken_at) AS earliest, MIN(r.version) AS version "
        "FROM main.roll_check r GROUP BY key ORDER BY earliest, key"
    ).fetchall()
    # who made each round's first check (SQLite takes the bare columns from the MIN row)
    makers = {
        row[0]: (row[2], row[3])
        for row in db.execute(
            f"SELECT {_ROUND_KEY} AS key, MIN(r.version), r.created_by, r.created_at "
            "FROM main.roll_check r GROUP BY key"
        )
    }
    names: set[str] = set()
    for key, earliest, version in rows:
        name = _round_name(str(key), str(earliest or ""))
        base, number = name, 2
        while name.casefold() in names:  # "Mon AM" beside "mon am": two rounds, two names
            name, number = f"{base} ({number})", number + 1
        names.add(name.casefold())
        first = makers.get(key)
        earliest = str(earliest or "")
        found.append(
            (
                str(key),
                keyed_id(visit_id, "roll_round", name.casefold()),
                name,
                earliest[:10],
                f"{earliest[11:13]}:00" if len(earliest) >= 13 else "",
                str(version or ""),
                str(first[0]) if first else "",
                str(first[1]) if first else "",
            )
        )
    return found


_MAP = (
    "CREATE TEMP TABLE round_map (key TEXT PRIMARY KEY, round_id TEXT NOT NULL, name TEXT, "
    "on_date TEXT, at_time TEXT, version TEXT, created_by TEXT, created_at TEXT)"
)


def migrate(db: sqlite3.Connection, round_columns: str) -> None:
    """Make the ``roll_round`` table and a round for every label and hour in use, and
    ``temp.round_map`` (old round key -> round id) for :func:`rebuild_roll_checks`."""
    db.execute(f"CREATE TABLE roll_round {round_columns}")
    db.execute(_MAP)
    for row in _rounds(db):
        db.execute("INSERT INTO temp.round_map VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
    db.execute(
        "INSERT INTO roll_round (id, created_by, created_at, version, base_version, deleted, "
        "name, on_date, at_time) SELECT round_id, created_by, created_at, version, '', 0, name, "
        "on_date, at_time FROM temp.round_map"
    )


def _keyed_check_ids(db: sqlite3.Connection) -> None:
    visit_id = _visit_id(db)
    db.create_function(
        "irp_keyed_check_id",
        2,
        lambda round_id, location_id: keyed_id(
            visit_id, "roll_check", str(round_id), str(location_id)
        ),
        deterministic=True,
    )


# Of the checks of one location in one round, the live one counts (the latest, when
# several are live); it takes the keyed id, the others keep theirs, deleted.
_CHECK_MAP = (
    "SELECT r.id AS old_id, m.round_id AS round_id, "
    "irp_keyed_check_id(m.round_id, r.location_id) AS keyed, r.deleted AS was_deleted, "
    "ROW_NUMBER() OVER (PARTITION BY m.round_id, r.location_id "
    "ORDER BY r.deleted, r.taken_at DESC, r.version DESC, r.id) AS rank "
    f"FROM main.roll_check r JOIN temp.round_map m ON m.key = ({_ROUND_KEY})"
)


def read_as_schema_5(
    db: sqlite3.Connection, columns: Sequence[str], defaults: Mapping[str, str]
) -> bool:
    """A file from before schema 5 opened read-only (never migrated in place) reads as if
    migrated: temporary views named ``roll_round`` and ``roll_check`` (SQLite looks in
    ``temp`` first) give the rounds and checks the migration would make, and a column a
    later migration added its DEFAULT (``defaults``: column -> SQL). The file is not
    touched. True when the file needed them."""
    held = [row[1] for row in db.execute("PRAGMA main.table_info(roll_check)")]
    if "round" not in held or "round_id" in held:
        return False
    db.execute(_MAP)
    db.executemany("INSERT INTO temp.round_map VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _rounds(db))
    db.execute(
        "CREATE TEMP VIEW roll_round AS SELECT round_id AS id, created_by, created_at, version, "
        "'' AS base_version, 0 AS deleted, name, on_date, at_time FROM temp.round_map"
    )
    _keyed_check_ids(db)
    picked = {
        "id": "CASE WHEN c.rank = 1 THEN c.keyed ELSE r.id END",
        "deleted": "CASE WHEN c.rank = 1 THEN r.deleted ELSE 1 END",
        "round_id": "c.round_id",
    }
    for column in columns:
        if column not in picked and column not in held:
            picked[column] = defaults.get(column, "NULL")
    shown = ", ".join(f"{picked.get(c, 'r.' + c)} AS {c}" for c in columns)
    db.execute(
        f"CREATE TEMP VIEW roll_check AS SELECT {shown} FROM main.roll_check r "
        f"JOIN ({_CHECK_MAP}) c ON c.old_id = r.id"
    )
    return True


def rebuild_roll_checks(db: sqlite3.Connection, table_sql: str, columns: Sequence[str]) -> None:
    """The checks with their round's id and their new ids; what referred to the old ids
    (the edit history, conflicts, findings' citations) follows."""
    _keyed_check_ids(db)
    db.execute(f"CREATE TEMP TABLE check_map AS {_CHECK_MAP}")
    own = [c for c in columns if c not in ("id", "deleted", "round_id")]
    db.execute(f"CREATE TABLE roll_check_5 {table_sql}")
    db.execute(
        f"INSERT INTO roll_check_5 (id, deleted, round_id, {', '.join(own)}) "
        "SELECT CASE WHEN c.rank = 1 THEN c.keyed ELSE r.id END, "
        "CASE WHEN c.rank = 1 THEN r.deleted ELSE 1 END, c.round_id, "
        f"{', '.join('r.' + c for c in own)} "
        "FROM roll_check r JOIN temp.check_map c ON c.old_id = r.id"
    )
    _log_set_aside(db)
    db.execute("DROP TABLE roll_check")
    db.execute("ALTER TABLE roll_check_5 RENAME TO roll_check")
    _follow_new_ids(db)
    db.execute("DROP TABLE temp.check_map")
    db.execute("DROP TABLE temp.round_map")


def _log_set_aside(db: sqlite3.Connection) -> None:
    """A second live check of a location in a round, now kept deleted, says so in the
    record's history."""
    rows = db.execute(
        "SELECT r.*, c.round_id AS new_round_id FROM roll_check r "
        "JOIN temp.check_map c ON c.old_id = r.id WHERE c.rank > 1 AND c.was_deleted = 0"
    )
    names = [column[0] for column in rows.description]
    for found in rows.fetchall():
        old = dict(zip(names, found, strict=True))
        round_id = old.pop("new_round_id")
        old.pop("round", None)
        old["round_id"] = round_id
        db.execute(
            "INSERT INTO change_log (id, table_name, row_id, action, version, changed_by, "
            "changed_at, old, new) VALUES (?, 'roll_check', ?, 'update', ?, ?, "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?)",
            (
                uuid7(),
                old["id"],
                old["version"],
                MIGRATION_AUTHOR,
                json.dumps(old, sort_keys=True),
                json.dumps({**old, "deleted": 1}, sort_keys=True),
            ),
        )


def _follow_new_ids(db: sqlite3.Connection) -> None:
    moved = dict(
        db.execute(
            "SELECT old_id, keyed FROM temp.check_map WHERE rank = 1 AND old_id != keyed"
        ).fetchall()
    )
    rounds = dict(db.execute("SELECT old_id, round_id FROM temp.check_map").fetchall())
    if not moved and not rounds:
        return
    db.execute(
        "UPDATE change_log SET row_id = (SELECT keyed FROM temp.check_map WHERE old_id = row_id) "
        "WHERE table_name = 'roll_check' AND row_id IN "
        "(SELECT old_id FROM temp.check_map WHERE rank = 1)"
    )
    for conflict_id, row_id, other_row in db.execute(
        "SELECT id, row_id, other_row FROM conflict WHERE table_name = 'roll_check'"
    ).fetchall():
        try:
            other = json.loads(other_row)
        except ValueError:
            other = None
        if isinstance(other, dict):
            other.pop("round", None)
            other["round_id"] = rounds.get(row_id, "")
            other["id"] = moved.get(row_id, row_id)
            other_row = json.dumps(other, sort_keys=True)
        db.execute(
            "UPDATE conflict SET row_id = ?, other_row = ? WHERE id = ?",
            (moved.get(row_id, row_id), other_row, conflict_id),
        )
    for finding_id, evidence in db.execute(
        "SELECT id, evidence FROM finding WHERE evidence != '[]'"
    ).fetchall():
        try:
            cited = json.loads(evidence)
        except ValueError:
            continue
        if isinstance(cited, list) and any(c in moved for c in cited if isinstance(c, str)):
            followed = [moved.get(c, c) if isinstance(c, str) else c for c in cited]
            db.execute(
                "UPDATE finding SET evidence = ? WHERE id = ?", (json.dumps(followed), finding_id)
            )
