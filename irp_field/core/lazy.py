"""Names a module hands out but imports only when first asked for (a module-level
``__getattr__``): what the overview's first frame or a notes search does not need is not
loaded by every opening (issue 24, aims 3 and 7). Each such module keeps its own table
of names and where they live; the looking up is here, once. A module whose functions
call another's at their first use hold it as a :class:`Module`."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any


def loaded(namespace: dict[str, Any], later: Mapping[str, str], name: str) -> Any:
    """``name`` imported from the module ``later`` names for it, kept in ``namespace``
    (the asking module's ``globals()``) so that it is looked up once; AttributeError for
    a name the module does not hand out."""
    source = later.get(name)
    if source is None:
        raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(source), name)
    namespace[name] = value
    return value


class Module:
    """A module imported at the first use of one of its names (``module.name``), for a
    module the opening of a sound file for reading never uses (``core.visit_file``'s kept
    sums: a writer's, or a file's first reading). Import it as usual under
    ``TYPE_CHECKING``, so that every use is still typed."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)
