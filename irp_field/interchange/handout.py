"""Hand the visit out: one copy per team member, named for them (``hull-jade-richards.db``),
for the inspectors' laptops on the first morning of a visit set up on site.

Each copy is a laptop of its own: a fresh site id (two copies never stamp one version),
a fresh one again wherever it is first opened (``VisitFile._claim_site``), and the
member it was written for, so that who-am-I is answered on that laptop
(``api.identity.handed_to``). Drafts of unsaved notes stay on this laptop (they are
nobody's evidence yet). Where the copies may go, and how they are written (whole, or
none of them), is ``core.destinations`` and ``core.staging``: a copy is a visit file,
so none is ever written over one.
"""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from irp_field.core import foreign_objects, staging
from irp_field.core.destinations import writing
from irp_field.core.visit_file import HANDED_TO, VisitFile, new_site_id
from irp_field.domain.errors import IrpError
from irp_field.domain.wording import person_file_stem
from irp_field.evidence.reads import team
from irp_field.interchange.sealing import snapshot


@dataclass(frozen=True)
class HandedOut:
    member: str
    path: Path


def file_name(stem: str, member: str, taken: set[str]) -> str:
    """``hull-jade-richards.db``: the visit's file and the member's name, in letters a
    USB stick of any system takes (Siân is sian); a second of one name is numbered."""
    person = person_file_stem(stem, member)  # the hand-back's name too: one rule
    name, number = f"{person}.db", 2
    while name.casefold() in taken:
        name, number = f"{person}-{number}.db", number + 1
    taken.add(name.casefold())
    return name


def where_the_leader_goes_on(visit_path: Path, *, command: bool = False) -> str:
    """What the team leader is told once the copies are written: which file is theirs
    from now on (a walker, handed the copies, could not tell whether to go on in the
    visit or in the copy named for them). ``command``: said on the command line."""
    merge = f"irp-field merge {visit_path.stem} COPY..." if command else "F9"
    return (
        f"You go on working in {visit_path.name} itself, not in a copy (nor the one named "
        f"for you): {merge} merges the copies back into it each evening."
    )


def hand_out(visit_path: Path, folder: Path, *, open_here: bool = False) -> list[HandedOut]:
    """A copy of the visit for each team member in ``folder`` (which must exist); all of
    them or, when one cannot be written, none. ``open_here``: this process has the visit
    open for writing (the terminal UI), so it is read through an ordinary connection."""
    if not folder.is_dir():
        raise IrpError(f"{folder}: no such folder; make it first (nothing was written)")
    opened = (
        VisitFile.open_reader(visit_path)
        if open_here
        else VisitFile.open(visit_path, readonly=True)
    )
    with opened as visit:
        # each copy is written to before it is handed out, and opened for writing on its
        # laptop: a trigger of the file's would run in both
        foreign_objects.refuse_foreign(visit_path, visit.conn, "it is not handed out")
        members = [member.name for member in team(visit)]
        if not members:
            raise IrpError(
                f"{visit_path.name}: the visit has no team yet: add it first (s on the "
                "overview, or irp-field import VISIT team FILE); nothing was written"
            )
        taken: set[str] = set()
        planned = [HandedOut(m, folder / file_name(visit_path.stem, m, taken)) for m in members]
        with ExitStack() as checks:
            for each in planned:
                checks.enter_context(writing(each.path, reading=[visit_path]))
            with staging.staged() as staged:
                for each in planned:
                    draft = staged.file(each.path)
                    draft.unlink()  # the snapshot makes it, private
                    snapshot(visit.conn, draft)
                    _make_theirs(draft, each.member)
    return planned


def _make_theirs(path: Path, member: str) -> None:
    """A laptop of its own for ``member``: a fresh site id, opened anywhere as new, who
    it is for, and no drafts of this laptop's unsaved notes."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [("site_id", new_site_id()), ("site_origin", ""), (HANDED_TO, member)],
        )
        conn.execute("DELETE FROM note_draft")
        conn.execute("COMMIT")
    finally:
        conn.close()
