"""A record's history: who changed what, when (from the change log, every laptop's)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from irp_field.api.history import HistoryEntry


def when(stamp: str) -> str:
    """ "2022-03-14T10:02:11Z" as "2022-03-14 10:02 UTC"."""
    if len(stamp) >= 16 and stamp[10] == "T":
        return f"{stamp[:10]} {stamp[11:16]}{' UTC' if stamp.endswith('Z') else ''}"
    return stamp


def history_text(entries: list[HistoryEntry]) -> Text:
    text = Text()
    for entry in entries:
        text.append(f"{when(entry.changed_at)}  {entry.changed_by or 'someone'}  ", style="bold")
        text.append(f"{entry.what}\n")
        for field, before, after in entry.changes:
            if entry.what in ("added", "imported"):
                text.append(f"    {field}: {after}\n")
            else:
                text.append(f"    {field}: {before or '(empty)'} -> {after or '(empty)'}\n")
    if not entries:
        text.append("No history: nothing was recorded for it.")
    return text


class HistoryScreen(ModalScreen[None]):
    """The history of one record, oldest first; it scrolls when long."""

    DEFAULT_CSS = """
    HistoryScreen {
        align: center middle;
        #history { width: 76; max-width: 100%; height: auto; max-height: 100%;
                   border: thick $primary; padding: 0 1; }
        #history-entries { height: auto; max-height: 18; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h,enter", "close", "Close"),
    ]

    def __init__(self, what: str, entries: list[HistoryEntry]) -> None:
        super().__init__()
        self.what = what
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="history"):
            yield Label(Text(f"History of {self.what}", style="bold"))
            with VerticalScroll(id="history-entries"):
                yield Static(history_text(self.entries))
            yield Label("Escape: close")

    def action_close(self) -> None:
        self.dismiss(None)
