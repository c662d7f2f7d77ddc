"""Which files a piece of code opened: proof that a file was refused before it was read,
without timing it (wall-clock bounds belong to bench/, where a busy machine cannot fail
them). Every read of a file in this program goes through ``open`` (``Path.open`` and
``io.open`` are the builtin) or ``os.open``. And which statements ``check`` ran on a
visit's connection (:func:`check_traced`): how many passes it made over a table."""

from __future__ import annotations

import builtins
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from irp_field.api.check import check_visit

if TYPE_CHECKING:
    from irp_field.api.check import CheckReport
    from irp_field.core.visit_file import VisitFile


class Opened:
    def __init__(self) -> None:
        self.paths: list[Path] = []

    def __contains__(self, path: object) -> bool:
        return isinstance(path, Path) and any(p == path.absolute() for p in self.paths)


def spy_on_reads(monkeypatch: pytest.MonkeyPatch) -> Opened:
    opened = Opened()
    real_open, real_os_open = builtins.open, os.open

    def note(file: Any) -> None:
        if isinstance(file, str | bytes | os.PathLike):
            opened.paths.append(Path(os.fsdecode(file)).absolute())

    def spied_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        note(file)
        return real_open(file, *args, **kwargs)

    def spied_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        note(path)
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spied_open)
    monkeypatch.setattr(os, "open", spied_os_open)
    return opened


def check_traced(visit: VisitFile) -> tuple[CheckReport, list[str]]:
    """``check``'s report on ``visit``, and every statement it ran on its connection."""
    said: list[str] = []
    visit.conn.set_trace_callback(said.append)
    try:
        report = check_visit(visit)
    finally:
        visit.conn.set_trace_callback(None)
    return report, said
