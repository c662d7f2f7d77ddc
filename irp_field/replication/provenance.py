"""Who made a version, as far as a merge can tell: a source's history held against what
the target already knows.

A history entry (a row of the change log) says which version of a record it describes,
who made it and which version they edited (its base). Every part of it is a claim: a
stamp's last part names the laptop (site id) that stamped it, and a file can hold any
stamp, any name and any base. What the target *knows* is only what it holds itself:

- every version its own laptop stamped (it made them: it holds each, or a later one);
- who it has seen making versions on each laptop (its own history, before this merge);
- what each laptop's file had received from every laptop when the target last merged
  it (``sources.MergedState.seen``).

So an entry describing a version of a record the target holds, new to the target, is
questioned when it contradicts that knowledge: it claims a version of the target's own
laptop that the target never made; it names a person who, as far as the target knows,
works on another laptop than the one that stamped the version (a laptop the target
knows others on); it says it edited a version stamped after it; or it says it edited a
version its laptop cannot have seen (one its file had not received when the target
last merged it, though stamped before then; or one of another laptop the file holds
no trace of at all). A questioned entry never joins the target's history (the history
never reads as if that person made it, and the target never learns that name on that
laptop) and the version it describes never replaces the target's: it is kept beside
it as a conflict, named with the file and the reason, for the team leader to settle.

A conflict, not a refusal: these are inferences from what one file happens to know,
and honest work can meet them (a colleague typing on a borrowed laptop under their own
name, a file put back from a backup): a refusal would stop all twelve files' evidence
over one entry, while a conflict loses nothing and puts the question to a person.
What a merge cannot know at all (a laptop it has never seen, a name given on first
sight) it cannot question: see docs/security.md.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from irp_field.core import schema
from irp_field.core.clock import is_stamp
from irp_field.core.rounds_migration import MIGRATION_AUTHOR
from irp_field.replication.sources import MergedState, seen_by_laptop

# The maker of a new master's own first record (``merge._create_from``): a program, not
# the person merging, whose name on the master's own laptop made every source's history
# of that person on theirs look borrowed ("a laptop this file has never merged").
MERGE_AUTHOR = "irp-field (merge)"
PROGRAM_AUTHORS = frozenset({MIGRATION_AUTHOR, MERGE_AUTHOR})  # programs, naming no person
SITE_AT = 21  # a stamp is 13 digits, a dot, 6 digits, a dot, then its laptop's site id
SHOWN = 60  # characters of a name from a file shown in a message


def laptop(stamp_or_site: str) -> str:
    """A laptop as a person can read it: the start of its site id."""
    site = stamp_or_site[SITE_AT:] if is_stamp(stamp_or_site) else stamp_or_site
    return f"laptop {site[:8]}"


@dataclass(frozen=True)
class Entry:
    """A history entry of the source, new to the target, about a record the target holds."""

    id: str
    table: str
    row_id: str
    version: str
    person: str
    base: str
    held_version: str  # the target's version of the record


@dataclass
class Questioned:
    held: set[str] = field(default_factory=set)  # entry ids kept out of the target's history
    rows: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, row id) -> why
    versions: dict[tuple[str, str], str] = field(default_factory=dict)  # the version questioned
    seen: dict[str, str] = field(default_factory=dict)  # what the source holds, per laptop


@dataclass
class _Knowledge:
    own_site: str
    source_site: str
    recorded: MergedState | None
    people: dict[str, set[str]]  # laptop -> who the target has seen make versions there
    sites: dict[str, set[str]]  # person -> the laptops the target has seen them on


def question(
    conn: sqlite3.Connection,
    alias: str,
    own_site: str,
    source_site: str,
    recorded: MergedState | None,
) -> Questioned:
    """Judge the attached source's new history entries about records the target holds,
    before any of them joins the target's history."""
    found = Questioned(seen=seen_by_laptop(conn, alias))
    entries = _new_entries(conn, alias)
    if not entries:
        return found
    people: dict[str, set[str]] = {}
    sites: dict[str, set[str]] = {}
    for person, site in conn.execute(
        "SELECT changed_by, substr(version, 22) FROM main.change_log "
        "WHERE length(version) > 21 GROUP BY 1, 2"
    ):
        if person and person not in PROGRAM_AUTHORS:
            people.setdefault(str(site), set()).add(str(person))
            sites.setdefault(str(person), set()).add(str(site))
    known = _Knowledge(own_site, source_site, recorded, people, sites)
    traces = _Traces(conn, alias, found.seen)
    for entry in entries:
        why = _why(entry, known, traces)
        if why is None:
            continue
        found.held.add(entry.id)
        key = (entry.table, entry.row_id)
        if key not in found.rows or entry.version > found.versions[key]:
            found.rows[key], found.versions[key] = why, entry.version
    return found


def _new_entries(conn: sqlite3.Connection, alias: str) -> list[Entry]:
    entries: list[Entry] = []
    named = {  # the kinds the source's history speaks of (its index answers)
        str(row[0]) for row in conn.execute(f"SELECT DISTINCT table_name FROM {alias}.change_log")
    }
    for table in schema.MERGED_TABLES:
        if table == "conflict" or table not in named:  # the merge's own records: no
            continue  # person made them; a kind its history never names has no entry
        for row in conn.execute(
            "SELECT s.id, s.row_id, s.version, s.changed_by, CASE WHEN json_valid(s.new) "
            "THEN s.new ->> '$.base_version' ELSE '' END, m.version "
            f"FROM {alias}.change_log s JOIN main.{table} m ON m.id = s.row_id "
            "WHERE s.table_name = ? AND s.action IN ('insert', 'update') "
            "AND NOT EXISTS (SELECT 1 FROM main.change_log x WHERE x.id = s.id)",
            (table,),
        ):
            base = row[4] if is_stamp(row[4]) else ""
            entries.append(
                Entry(str(row[0]), table, str(row[1]), str(row[2]), str(row[3]), base, str(row[5]))
            )
    return entries


class _Traces:
    """Does the source hold anything a laptop stamped at or after a stamp? Its history
    first (read once); failing that, its records, read for that laptop once."""

    def __init__(self, conn: sqlite3.Connection, alias: str, seen: dict[str, str]) -> None:
        self.conn, self.alias, self.newest = conn, alias, dict(seen)
        self.read: set[str] = set()

    def reach(self, site: str, stamp: str) -> bool:
        if self.newest.get(site, "") >= stamp:
            return True
        if site not in self.read:
            self.read.add(site)
            for table in schema.MERGED_TABLES:
                row = self.conn.execute(
                    f"SELECT MAX(version) FROM {self.alias}.{table} WHERE substr(version, 22) = ?",
                    (site,),
                ).fetchone()
                if row[0] is not None and str(row[0]) > self.newest.get(site, ""):
                    self.newest[site] = str(row[0])
        return self.newest.get(site, "") >= stamp


def _why(entry: Entry, known: _Knowledge, traces: _Traces) -> str | None:
    """Why the entry cannot be taken on its word, or None."""
    if entry.person in PROGRAM_AUTHORS or not is_stamp(entry.version):
        return None
    site = entry.version[SITE_AT:]
    if site == known.own_site and entry.version > entry.held_version:
        return (
            f"its history says this file's own laptop made version {entry.version}, which "
            "this file never made"
        )
    people = known.people.get(site)
    elsewhere = known.sites.get(entry.person, set())
    if people and entry.person not in people and elsewhere:
        return (
            f"its history names {entry.person[:SHOWN]!r}, who as far as this file knows "
            f"works on another laptop, not {laptop(site)}"
        )
    based = _why_base(entry, site, known, traces)
    if based is None and not people and known.own_site in elsewhere:
        return (
            f"its history names {entry.person[:SHOWN]!r}, who works on this file's own "
            f"laptop, on {laptop(site)}, a laptop this file has never merged"
        )
    return based


def _why_base(entry: Entry, site: str, known: _Knowledge, traces: _Traces) -> str | None:
    base = entry.base
    if not base:
        return None
    if entry.version <= base:
        return "its history says it edited a version stamped after its own"
    base_site = base[SITE_AT:]
    recorded = known.recorded
    if (
        recorded is not None
        and site == known.source_site
        and is_stamp(recorded.clock)
        and entry.version <= recorded.clock
        and recorded.seen.get(base_site, "") < base
    ):
        return (
            f"its history says {laptop(site)} edited version {base} before this file last "
            "merged it, when that laptop had not received that version"
        )
    if base_site != site and not traces.reach(base_site, base):
        return (
            f"its history says it edited version {base} of {laptop(base_site)}, of which "
            "the file holds no trace"
        )
    return None
