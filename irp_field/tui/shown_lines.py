"""Every line the terminal UI draws holds text, never a sequence the terminal obeys.

Textual draws what a widget holds: a location named by a hand-edited file with ESC
``]0;`` (which retitles the window), ESC ``[2J`` (clears the screen) or a carriage return
was written to the terminal as it was and obeyed. A line filter, applied to every
widget's lines before they are drawn, takes such characters out
(``domain.names.unshown``): they take no room in the layout already measured, so the
line keeps its width. ``irp-field check`` names the record, with the characters written
out.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from irp_field.domain.names import acts_on_terminal, unshown


class ShownLines(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(acts_on_terminal(each.text) for each in segments if not each.control):
            return segments
        return [
            each if each.control else Segment(unshown(each.text), each.style, each.control)
            for each in segments
        ]
