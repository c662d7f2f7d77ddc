"""Visits as a whole: make one, open one, list them, check one, the demo and bundles.

The command line and the Home screen both call these, so a new visit is refused with
the same message wherever it is made, and the list of visits is read one way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from irp_field import paths
from irp_field.api.identity import handed_to as handed_to
from irp_field.api.identity import member_meant as member_meant
from irp_field.api.identity import proposed_member as proposed_member
from irp_field.api.identity import set_me as set_me
from irp_field.api.identity import who_am_i as who_am_i
from irp_field.api.opening import open_reader as open_reader
from irp_field.api.opening import open_visit as open_visit
from irp_field.api.opening import visit_path as visit_path
from irp_field.core import beside, lazy
from irp_field.core.connection import inspect_file as inspect_file
from irp_field.core.visit_file import VisitFile
from irp_field.core.visit_file import default_user as default_user
from irp_field.domain import recipients as recipient_rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import refuse_unless_fine
from irp_field.domain.wording import file_words
from irp_field.interchange import samples

if TYPE_CHECKING:
    from irp_field.api.check import CheckReport as CheckReport
    from irp_field.api.check import check_visit as check_visit
    from irp_field.domain.visit import VisitDates as VisitDates
    from irp_field.evidence.reads import TeamMember as TeamMember
    from irp_field.evidence.reads import VisitSummary as VisitSummary
    from irp_field.evidence.reads import summarise as summarise
    from irp_field.evidence.reads import team as team
    from irp_field.evidence.reads import typed_day as typed_day
    from irp_field.evidence.reads import typed_moment as typed_moment
    from irp_field.evidence.reads import visit_dates as visit_dates
    from irp_field.interchange.handout import HandedOut as HandedOut
    from irp_field.interchange.handout import hand_out as hand_out
    from irp_field.interchange.handout import (
        where_the_leader_goes_on as where_the_leader_goes_on,
    )

Visit = VisitFile

# Loaded when first used, not by every opening: the whole-file check reads photographs
# (Pillow) and a hand-out seals (age), and neither is needed to open a visit and read it;
# the visit's reads (its summary, team and dates) and a new visit's rules are not needed
# before the overview's first frame (3.5 ms of it: issue 24, aim 7).
_LATER = {
    "VisitDates": "irp_field.domain.visit",
    "TeamMember": "irp_field.evidence.reads",
    "VisitSummary": "irp_field.evidence.reads",
    "summarise": "irp_field.evidence.reads",
    "team": "irp_field.evidence.reads",
    "visit_dates": "irp_field.evidence.reads",
    "typed_day": "irp_field.evidence.reads",
    "typed_moment": "irp_field.evidence.reads",
    "CheckReport": "irp_field.api.check",
    "check_visit": "irp_field.api.check",
    "HandedOut": "irp_field.interchange.handout",
    "hand_out": "irp_field.interchange.handout",
    "where_the_leader_goes_on": "irp_field.interchange.handout",
}


def __getattr__(name: str) -> Any:
    return lazy.loaded(globals(), _LATER, name)


def new_visit_path(name: str) -> Path:
    """Where ``irp-field new NAME`` puts the file: a bare name in the data folder."""
    path = Path(name).expanduser()
    if paths.is_bare_name(name):
        path = paths.visits_folder() / path
    return path if path.suffix else path.with_suffix(".db")


def suggested_path(establishment: str, start: str) -> Path:
    """The file a new visit gets on the Home screen: named after the prison and date, in
    the words a hand-out's copies are named in (``hmp-leeds-2026-12-01.db``; it was
    ``hmp_leeds-2026-12-01.db``)."""
    return paths.visits_folder() / f"{file_words(establishment) or 'visit'}-{start}.db"


def create_visit(
    path: str | Path,
    *,
    establishment: str,
    start: str,
    end: str,
    visit_type: str = "IRP",
    previous_inspection: str = "",
    user: str | None = None,
    report_defaults: bool = True,
    recipients: Sequence[str] = (),
) -> VisitFile:
    """A new visit file, empty but for the report's standing texts and glossary (open for
    writing: close it, or use it in ``with``).

    The details are the domain's rules (``domain.visit.details_verdicts``): dates that
    exist, the last day not before the first. ``report_defaults``: write in the texts a
    new visit starts with (the team leader's defaults, else those irp-field ships).
    ``recipients``: the public keys its hand-backs are sealed for (``domain.recipients``).
    """
    from irp_field.domain.visit import details_verdicts
    from irp_field.findings import part_defaults

    details, found = details_verdicts(establishment, start, end, previous_inspection, visit_type)
    wrong = [v for key in recipients for v in recipient_rules.recipient_verdicts(key)[1]]
    keys, wrong = (
        recipient_rules.stored_verdicts(" ".join(recipients), "recipient")
        if not wrong
        else ([], wrong)
    )
    refuse_unless_fine([*found, *wrong])
    texts = part_defaults.defaults() if report_defaults else None  # refused before a file
    visit = VisitFile.create(
        Path(path),
        establishment=details.establishment,
        start_date=details.start,
        end_date=details.end,
        visit_type=details.visit_type,
        previous_inspection=details.previous_inspection,
        user=user,
        recipients=recipient_rules.joined(keys),
    )
    if texts is not None:
        try:
            part_defaults.seed(visit, texts)
        except BaseException:
            visit.close()
            for leftover in (visit.path, Path(f"{visit.path}-wal"), Path(f"{visit.path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
    return visit


def open_writer(visit: VisitFile, *, stop: Callable[[], bool] | None = None) -> VisitFile:
    """A writing connection beside ``visit``'s own, for a thread of this process (the
    UI's sync): its clock shared, its wait for the lock the same; ``stop``: once true,
    what it runs fails and its transaction rolls back (``core.beside``)."""
    return beside.writer_beside(visit, stop)


@dataclass(frozen=True)
class Listed:
    """A visit file in the data folder: its summary, or why it cannot be opened."""

    path: Path
    summary: VisitSummary | None
    problem: str = ""  # why it cannot be opened


def list_visits(folder: Path | None = None) -> list[Listed]:
    """The visit files in the data folder (or ``folder``), each summarised or its problem."""
    from irp_field.evidence.reads import summarise

    place = paths.visits_folder(create=False) if folder is None else folder
    listed: list[Listed] = []
    for path in sorted(place.glob("*.db")) if place.is_dir() else []:
        try:
            with VisitFile.open_reader(path) as visit:
                listed.append(Listed(path, summarise(visit)))
        except IrpError as error:
            listed.append(Listed(path, None, str(error)))
    return listed


def visit_from_bundle(
    folder: Path,
    target: Path,
    *,
    user: str | None = None,
    warn: Callable[[str], None] | None = None,
    recipients: Sequence[str] = (),
) -> Path:
    """A new visit file built from a bundle folder, its findings synced with its evidence;
    ``warn`` hears of a bundle without a manifest (its files could not be checked), and
    of a builder not on the bundle's team, whose name its periods, answers and
    paragraphs carry (``check`` names each); ``recipients``: public keys to seal its
    hand-backs for, besides the bundle's."""
    from irp_field.domain.recorders import on_the_team
    from irp_field.evidence import recipients as stored
    from irp_field.evidence.lookups import team_names
    from irp_field.findings.sync import sync
    from irp_field.interchange.bundle import build_from_bundle

    for key in recipients:  # refused before anything is built
        refuse_unless_fine(recipient_rules.recipient_verdicts(key)[1], what="--recipient")
    build_from_bundle(folder, target, user=user, warn=warn)
    try:
        with VisitFile.open(target, user=user) as opened:
            for key in recipients:
                if recipient_rules.recipient_verdicts(key)[0] not in stored.held(opened):
                    stored.add(opened, key)
            sync(opened)
            if warn is not None and not on_the_team(opened.user, team_names(opened)):
                warn(
                    f"built by {opened.user}, who is not on the bundle's team: its periods, "
                    "sample answers and findings paragraphs carry that name (--by NAME: a "
                    "member's)"
                )
    except BaseException:  # a paragraph the bounds refuse: the bundle is refused whole
        for made in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            made.unlink(missing_ok=True)
        raise
    return target


def demo_visit(*, fresh: bool = False) -> Path:
    """The HMP Hull sample in the data folder, built from the shipped bundle when missing
    (``fresh``: the old copy goes to backups first)."""
    target = paths.visits_folder() / f"{samples.HULL}.db"
    if target.exists() and fresh:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target.replace(paths.backups_folder() / f"{target.stem}-{stamp}.db")
    if not target.exists():
        visit_from_bundle(samples.sample_bundle(), target, user=samples.HULL_RECORDER)
    return target
