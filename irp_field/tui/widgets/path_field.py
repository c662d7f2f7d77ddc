"""A one-line field for a file's path that offers the rest of a name as you type: the
first file or folder of the typed folder whose name starts with what is typed (a folder
with its "/"), shown dimmed; the right arrow (or End) takes it."""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester
from textual.widgets import Input

MAX_NAMES = 5_000  # a folder is read at most this far: a completion must never stall


def complete_path(typed: str) -> str | None:
    """``typed`` completed to the first matching name in its folder, or None."""
    if not typed or (typed.endswith(("/", os.sep)) and not Path(typed).expanduser().is_dir()):
        return None
    expanded = os.path.expanduser(typed)
    folder, start = os.path.split(expanded)
    names: list[tuple[str, bool]] = []
    try:
        with os.scandir(folder or ".") as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_NAMES:
                    break
                if entry.name.startswith(start) and (start.startswith(".") or entry.name[0] != "."):
                    names.append((entry.name, entry.is_dir()))
    except OSError:
        return None
    if not names:
        return None
    name, is_folder = min(names)
    rest = name[len(start) :] + ("/" if is_folder else "")
    return f"{typed}{rest}" if rest else None


class PathSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


class PathField(Input):
    """An Input for a path, with :class:`PathSuggester`."""

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(id=id, placeholder=placeholder, suggester=PathSuggester(), compact=True)
