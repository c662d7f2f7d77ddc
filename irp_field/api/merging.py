"""Merging the team's visit files, and settling the conflicts a merge keeps.

A source may be sealed (``irp-field handback``): it is opened into a private folder of
the data folder (``api.sealing.opened``), merged as the plain file it holds, and
removed whatever happens; what the merge says names the sealed file, never the
private copy. The merge itself is ``replication``'s, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from irp_field.core import lazy
from irp_field.domain.errors import IrpError
from irp_field.interchange.sealed_mark import is_sealed
from irp_field.replication import merge as replication_merge
from irp_field.replication.merge import MergeReport as MergeReport
from irp_field.replication.merge_rows import KIND_LABELS as KIND_LABELS
from irp_field.replication.merge_rows import KindCounts

if TYPE_CHECKING:
    from irp_field.core.visit_file import VisitFile
    from irp_field.replication.candidates import Candidate as Candidate
    from irp_field.replication.conflicts import Conflict as Conflict
    from irp_field.replication.conflicts import open_conflicts as open_conflicts

# Loaded when first asked for: a merge writes its conflicts itself (``replication.merge``)
# and lists no candidates; the conflicts' listing and settling and the merge screen's
# candidates are other commands' and screens' (issue 24, aim 6: the merge's start).
_LATER = {
    "Candidate": "irp_field.replication.candidates",
    "Conflict": "irp_field.replication.conflicts",
    "open_conflicts": "irp_field.replication.conflicts",
}


def __getattr__(name: str) -> Any:
    return lazy.loaded(globals(), _LATER, name)


__all__ = [
    "KIND_LABELS",
    "Candidate",
    "Conflict",
    "MergeLine",
    "MergeReport",
    "candidates",
    "combine_conflict",
    "merge_lines",
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
    if not any(is_sealed(path) for path in given):  # the sealing is loaded only if needed
        return replication_merge.merge_visits(
            target,
            given,
            dry_run=dry_run,
            user=user,
            on_source_done=on_source_done,
            accept_clock_skew=accept_clock_skew,
        )
    from irp_field.api import sealing

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
        if not any(is_sealed(path) for path in given):
            raise
        said = str(error)
        for plain, path in named.items():
            said = said.replace(str(plain), str(path))  # never the private copy's name
        if not said.startswith("refused"):  # opening it was refused: nothing was merged
            said = f"refused: {said.removesuffix('; refused')}; nothing was merged"
        raise IrpError(said) from None
    report.sources = [named.get(p, p) for p in report.sources]
    report.unchanged = [named.get(p, p) for p in report.unchanged]
    report.by_file = {named.get(p, p): counts for p, counts in report.by_file.items()}
    return report


def resolve_conflict(visit: VisitFile, conflict_id: str, keep: str) -> Conflict:
    """Keep one version of a conflict's row (``replication.conflicts.resolve``)."""
    from irp_field.replication.conflicts import resolve

    return resolve(visit, conflict_id, keep)


def combine_conflict(visit: VisitFile, conflict_id: str, changes: Mapping[str, Any]) -> Conflict:
    """Write ``changes`` over the kept version and settle the conflict
    (``replication.conflict_combine.combine``)."""
    from irp_field.replication.conflict_combine import combine

    return combine(visit, conflict_id, changes)


def candidates(place: Path, target: Path, visit_id: str) -> list[Candidate]:
    """Every visit file in a folder (not its subfolders), or the one file named; a
    sealed file is listed as such (what it holds is known once it is opened, at the
    merge, which refuses it then if it is another visit's)."""
    from irp_field.replication.candidates import SUFFIXES

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
    from irp_field.replication.candidates import Candidate, check

    if not is_sealed(path):
        return check(path, target, visit_id)
    from irp_field.api import sealing

    if sealing.key() is None:
        return Candidate(path, False, "sealed; no key here (irp-field keys new)")
    return Candidate(path, True, "sealed: opened at the merge")


@dataclass(frozen=True)
class MergeLine:
    """One line of what a merge (or its dry run) brings: a file's, or the whole's."""

    name: str  # the file (its folder too when two files share a name), or "all 3 files"
    new: int
    updated: int
    deleted: int
    conflicts: int
    records: str  # by kind, in words: "notes 2, roll checks 11"; or why it brought none
    whole: bool = False


def merge_lines(report: MergeReport) -> list[MergeLine]:
    """A line per file, in the order merged, then one for all of them (the guide's "per
    file, how many notes, roll checks, findings and so on are new, updated, deleted or
    in conflict"); a file's line counts what it brought that the files before it had not."""
    shown = told_apart(report.sources)
    lines = []
    for path in report.sources:
        if path in report.unchanged:
            lines.append(MergeLine(shown[path], 0, 0, 0, 0, UNCHANGED))
            continue
        lines.append(_line(shown[path], report.by_file.get(path, {})))
    if len(report.sources) > 1:
        lines.append(replace(_line(f"all {len(report.sources)} files", report.counts), whole=True))
    return lines


UNCHANGED = "unchanged since it was last merged; skipped"


def told_apart(paths: Sequence[Path]) -> dict[Path, str]:
    """Each file as a list of them shows it: its name, or as many of its folders as tell
    it apart from the others' ("stick-1/visits/jade.db" beside "stick-2/visits/jade.db",
    where one folder up both read "visits/jade.db")."""
    shown: dict[Path, str] = {}
    for path in paths:
        others = [other.parts for other in paths if other != path]
        depth = 1
        while depth < len(path.parts) and any(
            parts[-depth:] == path.parts[-depth:] for parts in others
        ):
            depth += 1
        shown[path] = str(Path(*path.parts[-depth:]))
    return shown


def _line(name: str, counts: dict[str, KindCounts]) -> MergeLine:
    kinds = []
    for kind, label in KIND_LABELS.items():
        found = counts.get(kind)
        if found is None or not found.total:
            continue
        changed = found.new + found.updated + found.deleted
        apart = f"{found.conflicts} in conflict" if found.conflicts else ""
        if changed and apart:
            kinds.append(f"{label} {changed} ({apart})")
        else:
            kinds.append(f"{label} {changed}" if changed else f"{label}: {apart}")
    return MergeLine(
        name,
        sum(c.new for c in counts.values()),
        sum(c.updated for c in counts.values()),
        sum(c.deleted for c in counts.values()),
        sum(c.conflicts for c in counts.values()),
        ", ".join(kinds) or "nothing new",
    )
