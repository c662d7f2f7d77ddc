"""Waiting for the keys already typed before acting on a form.

Enter moves the focus at once (a priority binding, so that a fast typist's next keys go
to the next field), but the keys before it may still wait in the previous field's queue:
a save read at that moment would miss the last characters typed, and the form, emptied
for the next record, would receive them. :func:`when_typed` runs its callback once every
field of the screen has taken what was sent to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea


def when_typed(screen: Screen[Any], then: Callable[[], object]) -> None:
    fields: list[Widget] = [*screen.query(Input), *screen.query(TextArea)]
    left = [len(fields)]

    def one_done() -> None:
        left[0] -= 1
        if left[0] == 0:
            # on the screen's own queue, behind the changes those keys posted to it
            screen.call_later(then)

    if not fields:
        then()
    for field in fields:
        field.call_later(one_done)
