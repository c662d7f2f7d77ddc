"""Ask before purging: say plainly what cannot be undone, ask why, and ask for the word.

A purge removes a record's content for good (``api.purges``): the screen says what
goes, that nothing brings it back, and that deleting (which can be undone) is usually
enough; it purges only when the person has typed a reason and the word ``purge``. A
single key, Enter or y never purges: Escape keeps the record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label

from irp_field.domain.errors import IrpError
from irp_field.domain.purges import reason_verdicts

if TYPE_CHECKING:
    from irp_field.tui.app import IrpApp

WORD = "purge"

WHAT_GOES = (
    "It goes for good: from this visit file, its history, its drafts, the notes' search "
    "and the snapshots in the backups folder. Nothing brings it back: not ctrl+z, not a "
    "merge. Delete (which ctrl+z undoes) is usually enough; purge what must not be kept "
    "at all (a prisoner's face, a name in the wrong note). That it was purged stays: by "
    "whom, when and why. Copies on other laptops keep it until they merge this file."
)


class PurgeScreen(ModalScreen[str | None]):
    """Dismissed with the reason once the word is typed, or None (kept)."""

    DEFAULT_CSS = """
    PurgeScreen {
        align: center middle;
        #purging { width: 76; max-width: 100%; height: auto; border: thick $error;
                   padding: 0 1; }
        #purging Label { width: 100%; }
        #said { color: $error; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "keep", "Keep it")]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="purging"):
            yield Label(f"Purge {self.what}?", id="question")
            yield Label(WHAT_GOES)
            yield Input(id="reason", placeholder="why it must go (kept; never what it held)")
            yield Input(id="word", placeholder=f"type {WORD} to purge it")
            yield Label("", id="said")
            yield Label(f"Enter after {WORD}: purge it   Escape: keep it")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _reason_given(self) -> None:
        self.query_one("#word", Input).focus()

    @on(Input.Submitted, "#word")
    def _word_given(self) -> None:
        reason = self.query_one("#reason", Input).value
        word = self.query_one("#word", Input).value.strip().casefold()
        said = self.query_one("#said", Label)
        if word != WORD:
            said.update(f"Not purged: type the word {WORD} to purge it (Escape keeps it).")
            self.app.bell()
            return
        refused = reason_verdicts(reason)
        if refused:
            said.update(f"Not purged: {refused[0].message}.")
            self.query_one("#reason", Input).focus()
            self.app.bell()
            return
        self.dismiss(reason.strip())

    def action_keep(self) -> None:
        self.dismiss(None)


def purge_chosen(
    screen: Screen[Any],
    kind: str,
    record_id: str,
    label: str,
    then: Callable[[], object],
) -> None:
    """Ask (:class:`PurgeScreen`), then purge the record and say what went; ``then``
    shows the screen as the file now is. A screen's undo of a change to the record goes
    (nothing of it stays to bring back)."""
    from irp_field.api import purges
    from irp_field.tui.base.visit_screen import VisitScreen

    def answered(reason: str | None) -> None:
        if reason is None:
            return
        visit = cast("IrpApp", screen.app).visit
        try:
            done = purges.purge(visit, kind, record_id, reason)
        except IrpError as error:
            screen.notify(f"Not purged: {error}", severity="error")
            return
        for shown in screen.app.screen_stack:
            if isinstance(shown, VisitScreen):
                shown.undo_stack[:] = [
                    u for u in shown.undo_stack if all(c.row_id != record_id for c in u.changes)
                ]
        gone = len(done.done.snapshots)
        snapshots = f"; {gone} snapshot(s) purged too" if gone else ""
        screen.notify(f"Purged {label}{snapshots}. It cannot be undone.")
        if done.done.foreign_tables:
            screen.notify(done.done.foreign_tables, severity="warning", timeout=30)
        then()

    screen.app.push_screen(PurgeScreen(label), answered)
