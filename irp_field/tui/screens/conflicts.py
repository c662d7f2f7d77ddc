"""Conflicts: each concurrent edit the merge kept both of, side by side (who, when, what
differs); keep one (k: the version kept now, o: the other) or write a combined version.

Settling is ``store.conflicts.resolve`` (what ``irp-field conflicts --resolve`` calls)
or ``store.conflict_combine.combine``: both are edits that merge like any other.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Static, TextArea

from irp_field.api import merging
from irp_field.api.merging import Conflict
from irp_field.api.merging import combine_conflict as combine
from irp_field.domain.errors import IrpError
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.table import Table

HINT = (
    "k keeps the version kept now, o the other, c writes a combined one; the words that "
    "differ are underlined (Tab, then the arrows, scrolls a side)"
)


def record_name(conflict: Conflict) -> str:
    """The record in conflict, in the team's words and whole ("roll check of A wing, Wed
    AM round, 16 March 10:05"; the list cuts it at 80 columns): its kind when the merge
    could not name it."""
    return conflict.what or conflict.kind


def _side(title: str, by: str, conflict: Conflict, mine: bool) -> Text:
    """One side: the record it is a version of, who and when, then each field that
    differs, the words this side has and the other has not underlined and bold (a long
    note's one changed word is found at a glance, not by reading both)."""
    text = Text(record_name(conflict) + "\n", style="bold underline")  # typed: never markup
    text.append(f"{title}: {by or 'unknown'}\n", style="bold")
    if conflict.reason and not mine:  # why the merge kept this version apart
        text.append(f"{conflict.reason}\n", style="italic")
    for column, current, other in conflict.differences():
        text.append(f"{column.replace('_', ' ')}: ", style="bold")
        ours, theirs = (current, other) if mine else (other, current)
        text.append_text(_marked(ours, theirs))
        text.append("\n")
    return text


def _marked(ours: Any, theirs: Any) -> Text:
    """``ours`` with the words ``theirs`` lacks marked (as plain text: never markup)."""
    if not (isinstance(ours, str) and isinstance(theirs, str)):
        return Text(str(ours), style="bold underline")
    words, others = ours.split(" "), theirs.split(" ")
    marked = Text()
    for tag, start, end, _, _ in SequenceMatcher(None, words, others, autojunk=False).get_opcodes():
        part = " ".join(words[start:end])
        if not part:
            continue
        if marked:
            marked.append(" ")
        marked.append(part, style="" if tag == "equal" else "bold underline")
    return marked


RECORD_WIDTH = 44  # characters of a record's description in the list


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _name(by: str, edit: tuple[str, str]) -> str:
    """Who made a version, for the list: the name alone (when is on its side below, so
    that both names fit beside the record at 80 columns); what the side says whole when
    it names no one (``not proven``, a record without its history)."""
    who = edit[0]
    return who if who and by.startswith(who) else (by or "?")


def combinable(conflict: Conflict) -> str | None:
    """The first differing field holding text: the one a combined version is written in."""
    for column, current, other in conflict.differences():
        if isinstance(current, str) and isinstance(other, str):
            return column
    return None


class ConflictsScreen(VisitScreen):
    TITLE = "Conflicts"
    DEFAULT_CSS = """
    ConflictsScreen {
        #conflict-list { height: auto; max-height: 8; }
        #sides { height: 1fr; }
        #sides VerticalScroll { width: 1fr; border: round $primary; }
        #sides VerticalScroll:focus { border: round $accent; }
        #sides Static { padding: 0 1; }
        #below { height: auto; }
        #combined { height: 8; display: none; }
        #combined.-open { display: block; }
        #hint { height: auto; padding: 0 1; color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "keep('current')", "Keep kept-now"),
        Binding("o", "keep('other')", "Keep other"),
        Binding("c", "combine", "Combine"),
        Binding("ctrl+s", "save_combined", "Save combined", priority=True),
        Binding("escape", "close_combined", "Cancel", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.conflicts: list[Conflict] = []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that act now: none of k, o and c without a conflict (or while
        the combined version is written), ctrl+s while it is."""
        writing = self.query_one("#combined", TextArea).has_class("-open")
        if action == "save_combined":
            return writing
        if action in ("keep", "combine"):
            conflict = self.current()
            if conflict is None or writing:
                return False
            return action == "keep" or combinable(conflict) is not None
        return True

    def compose(self) -> ComposeResult:
        yield Header()
        # fits its width: at 80 columns the record gives up room, never the names
        yield Table(id="conflict-list", cursor_type="row", fit=True)
        with Horizontal(id="sides"):
            with VerticalScroll(id="current-side"):  # Tab, then arrows: a long note scrolls
                yield Static("Loading the conflicts...", id="current")
            with VerticalScroll(id="other-side"):
                yield Static(id="other")
        with Vertical(id="below"):
            yield Static(HINT, id="hint")
            yield TextArea(id="combined")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#conflict-list", DataTable).add_columns(
            "Record", "Kept now", "Other", "Differs in"
        )
        self.load_conflicts()

    def on_screen_resume(self) -> None:
        self.load_conflicts()

    def load_conflicts(self) -> None:
        self.load(merging.open_conflicts, then=self.show_conflicts, group="conflicts")

    def show_conflicts(self, found: list[Conflict]) -> None:
        self.conflicts = found
        table = self.query_one("#conflict-list", DataTable)
        table.clear()
        for conflict in self.conflicts:
            table.add_row(
                # typed text, never read as markup; cut so the other columns show at 80
                Text(_cut(record_name(conflict), RECORD_WIDTH)),
                Text(_name(conflict.current_by, conflict.current_edit)),
                Text(_name(conflict.other_by, conflict.other_edit)),
                ", ".join(c.replace("_", " ") for c, _, _ in conflict.differences()),
                key=conflict.id,
            )
        self.query_one("#hint", Static).display = bool(self.conflicts)  # its keys act on one
        self.refresh_bindings()
        if not self.conflicts:
            self.query_one("#current", Static).update("No open conflicts.")
            self.query_one("#other", Static).update("")
            return
        table.focus()
        self._show()

    def current(self) -> Conflict | None:
        table = self.query_one("#conflict-list", DataTable)
        if not (0 <= table.cursor_row < len(self.conflicts)):
            return None
        return self.conflicts[table.cursor_row]

    @on(DataTable.RowHighlighted, "#conflict-list")
    def _show(self) -> None:
        conflict = self.current()
        self.refresh_bindings()  # c combines only where text differs
        if conflict is None:
            return
        self.query_one("#current", Static).update(
            _side("Kept now", conflict.current_by, conflict, True)
        )
        self.query_one("#other", Static).update(_side("Other", conflict.other_by, conflict, False))

    def action_keep(self, which: str) -> None:
        conflict = self.current()
        if conflict is None or self.query_one("#combined", TextArea).has_focus:
            raise SkipAction()
        version = (
            str(conflict.current.get("version", ""))
            if which == "current"
            else conflict.other_version
        )
        if conflict.clash:  # one stamp on both sides: the stamp cannot say which
            version = "kept" if which == "current" else "other"
        try:
            merging.resolve_conflict(self.irp.visit, conflict.id, version)
        except IrpError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(f"Settled: kept the version by {self._who(conflict, which)}.")
        self.load_conflicts()

    @staticmethod
    def _who(conflict: Conflict, which: str) -> str:
        edit = conflict.current_edit if which == "current" else conflict.other_edit
        return edit[0] or "unknown"

    def action_combine(self) -> None:
        conflict = self.current()
        editor = self.query_one("#combined", TextArea)
        if conflict is None or editor.has_focus:
            raise SkipAction()
        column = combinable(conflict)
        if column is None:
            self.notify("No text differs here: keep one version (k or o).", severity="warning")
            return
        mine: Any = conflict.current.get(column)
        theirs: Any = conflict.other.get(column)
        editor.load_text(f"{mine}\n{theirs}")
        editor.add_class("-open")
        editor.focus()
        self.query_one("#hint", Static).update(
            f"Write the combined {column}; ctrl+s saves it, Escape cancels"
        )

    def action_save_combined(self) -> None:
        editor = self.query_one("#combined", TextArea)
        conflict = self.current()
        if conflict is None or not editor.has_class("-open"):
            raise SkipAction()
        column = combinable(conflict)
        if column is None or not editor.text.strip():
            self.notify("Write the combined text first.", severity="warning")
            return
        try:
            combine(self.irp.visit, conflict.id, {column: editor.text.strip()})
        except IrpError as error:
            self.notify(str(error), severity="error")
            return
        self.notify("Settled with a combined version.")
        self.action_close_combined()
        self.load_conflicts()

    def action_close_combined(self) -> None:
        editor = self.query_one("#combined", TextArea)
        editor.remove_class("-open")
        self.query_one("#hint", Static).update(HINT)
        self.query_one("#conflict-list", DataTable).focus()
