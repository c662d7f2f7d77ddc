"""The visit files a team leader may merge: those in a folder (the data folder, a USB
stick) or named by path, each checked without writing: same visit, or the reason not."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence import reads

SUFFIXES = (".db", ".sqlite", ".irp")


@dataclass(frozen=True)
class Candidate:
    path: Path
    ok: bool
    reason: str  # "same visit", or why it is left out
    establishment: str = ""
    target: bool = False  # the file merged into (listed, never picked)


def _same(path: Path, target: Path) -> bool:
    try:
        return path.resolve() == target.resolve() or os.path.samefile(path, target)
    except OSError:
        return False


def check(path: Path, target: Path, visit_id: str) -> Candidate:
    if _same(path, target):
        return Candidate(path, False, "the target (open here)", target=True)
    if not path.is_file():
        return Candidate(path, False, "no such file")
    try:
        with VisitFile.open(path, readonly=True) as visit:
            other, place = visit.visit_id, reads.summarise(visit).establishment
    except IrpError as error:
        return Candidate(path, False, f"damaged or not a visit file: {error}")
    except Exception as error:  # anything a stranger's file provokes: listed, never fatal
        return Candidate(path, False, f"cannot be read: {type(error).__name__}: {error}")
    if other != visit_id:
        # the establishment has a column of its own (80 columns cut a longer reason)
        return Candidate(
            path, False, "another visit" if place else f"another visit ({other})", place
        )
    return Candidate(path, True, "same visit", place)


def candidates(place: Path, target: Path, visit_id: str) -> list[Candidate]:
    """Every visit file in a folder (not its subfolders), or the one file named."""
    if place.is_dir():
        files = sorted(p for p in place.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        return [check(p, target, visit_id) for p in files]
    return [check(place, target, visit_id)]
