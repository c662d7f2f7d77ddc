"""Merging the team's visit files, and settling the conflicts a merge keeps.

A source may be sealed (``irp-field handback``): it is opened into a private folder of
the data folder (``api.sealing.opened``), merged as the plain file it holds, and
removed whatever happens; what the merge says names the sealed file, never the
private copy. The merge itself is ``replication``'s, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from irp_field.api import sealing
from irp_field.domain.errors import IrpError
from irp_field.replication import merge as replication_merge
from irp_field.replication.candidates import SUFFIXES
from irp_field.replication.candidates import Candidate as Candidate
from irp_field.replication.candidates import check as check_candidate
from irp_field.replication.conflict_combine import combine as combine_conflict
from irp_field.replication.conflicts import Conflict as Conflict
from irp_field.replication.conflicts import open_conflicts as open_conflicts
from irp_field.replication.conflicts import resolve as resolve_conflict
from irp_field.replication.merge import MergeReport as MergeReport
from irp_field.replication.merge_rows import KIND_LABELS as KIND_LABELS

__all__ = [
    "KIND_LABELS",
    "Candidate",
    "Conflict",
    "MergeReport",
    "candidates",
    "combine_conflict",
    "merge_visits",
    "open_conflicts",
    "resolve_conflict",
]

SEALED_SUFFIX = ".age"


def merge_visits(
    target: Path,
    source_paths: Sequence[Path],
    *,
    dry_run: bool = False,
    user: str | None = None,
    on_source_done: Callable[[Path], None] | None = None,
    accept_clock_skew: bool = False,
    passphrase: str | None = None,
) -> MergeReport:
    """Merge the sources into ``target`` (``replication.merge.merge_visits``), sealed
    sources opened first with this installation's key (``passphrase`` when it is
    protected: :class:`api.sealing.PassphraseNeeded` when it is not given)."""
    given = [Path(p) for p in source_paths]
    named: dict[Path, Path] = {}  # the plain file read -> the file given
    try:
        with sealing.opened(given, passphrase) as found:
            named.update({plain: path for path, plain in found.items()})

            def done(plain: Path) -> None:
                if on_source_done is not None:
                    on_source_done(named.get(plain, plain))

            report = replication_merge.merge_visits(
                target,
                [found[path] for path in given],
                dry_run=dry_run,
                user=user,
                on_source_done=done,
                accept_clock_skew=accept_clock_skew,
            )
    except sealing.PassphraseNeeded:
        raise
    except IrpError as error:
        if not any(sealing.is_sealed(path) for path in given):
            raise
        said = str(error)
        for plain, path in named.items():
            said = said.replace(str(plain), str(path))  # never the private copy's name
        if not said.startswith("refused"):  # opening it was refused: nothing was merged
            said = f"refused: {said.removesuffix('; refused')}; nothing was merged"
        raise IrpError(said) from None
    report.sources = [named.get(p, p) for p in report.sources]
    report.unchanged = [named.get(p, p) for p in report.unchanged]
    return report


def candidates(place: Path, target: Path, visit_id: str) -> list[Candidate]:
    """Every visit file in a folder (not its subfolders), or the one file named; a
    sealed file is listed as such (what it holds is known once it is opened, at the
    merge, which refuses it then if it is another visit's)."""
    if place.is_dir():
        files = sorted(
            p
            for p in place.iterdir()
            if p.is_file() and p.suffix.lower() in (*SUFFIXES, SEALED_SUFFIX)
        )
    else:
        files = [place]
    return [_candidate(path, target, visit_id) for path in files]


def _candidate(path: Path, target: Path, visit_id: str) -> Candidate:
    if not sealing.is_sealed(path):
        return check_candidate(path, target, visit_id)
    if sealing.key() is None:
        return Candidate(path, False, "sealed; no key here (irp-field keys new)")
    return Candidate(path, True, "sealed: opened at the merge")
