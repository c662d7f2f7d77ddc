"""Closing or quitting while something typed is not saved (the visit file is busy): wait,
keep it as a file, or discard it. Nothing is said to be kept unless it is."""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from irp_field.api.unsaved import Typed

Choice = Literal["wait", "keep", "discard"]
SHOWN = 6  # entries listed; the rest are counted


class UnsavedScreen(ModalScreen[Choice]):
    DEFAULT_CSS = """
    UnsavedScreen {
        align: center middle;
        #unsaved-box { width: 76; max-width: 100%; height: auto; max-height: 100%;
                       border: thick $error; padding: 0 1; }
        #unsaved-box Label { width: 100%; }
        #unsaved-what { color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "choose('wait')", "Wait"),
        Binding("escape", "choose('wait')", "Wait", show=False),
        Binding("k", "choose('keep')", "Keep as a file"),
        Binding("d", "choose('discard')", "Discard"),
    ]

    def __init__(
        self, typed: list[Typed], file_name: str, leaving: str, kept_then: str = ""
    ) -> None:
        """``leaving``: what the person asked for, in words ("quit", "close the note");
        ``kept_then``: what becomes of it once kept as a file."""
        super().__init__()
        self.typed = typed
        self.file_name = file_name
        self.leaving = leaving
        self.kept_then = kept_then or "offered back when the visit is opened"

    def compose(self) -> ComposeResult:
        count = "this is" if len(self.typed) == 1 else f"these {len(self.typed)} are"
        lines = [
            f"- {t.what}" + (f": {t.summary(70 - len(t.what))}" if t.summary() else "")
            for t in self.typed
        ]
        if len(lines) > SHOWN:
            lines[SHOWN - 1 :] = [f"- and {len(lines) - SHOWN + 1} more"]
        with Vertical(id="unsaved-box"):
            yield Label(
                Text(
                    f"Not saved: {self.file_name} is busy (another program is writing it), "
                    f"so {count} not in the visit yet:",
                    style="bold",
                )
            )
            yield Label(Text("\n".join(lines)), id="unsaved-what")
            yield Label(
                Text(
                    "w: wait (stay here: it is saved by itself once the file is free)\n"
                    f"k: keep it in a file, and {self.leaving} ({self.kept_then})\n"
                    f"d: discard it, and {self.leaving}"
                )
            )

    def action_choose(self, choice: Choice) -> None:
        self.dismiss(choice)
