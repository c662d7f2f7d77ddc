"""The base of every screen on a visit: an :class:`IrpScreen` (typed access to the app,
reads off the event loop) that also acts on the domain rules' verdicts the way every
screen does, undoes its own last changes (ctrl+z), shows a record's history, and
refreshes when another program changes the file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import CONFIRM, WARN, Verdict
from irp_field.tui.base.irp_screen import IrpScreen
from irp_field.tui.unsaved import KeepsTyping

if TYPE_CHECKING:
    from textual.widget import Widget

    from irp_field.api.purges import Purgeable
    from irp_field.tui.undo import Undoable

# The dialog that asks and the undo stack's entries (with the history they read) are
# imported when first used, not before a screen's first frame.


class VisitScreen(KeepsTyping, IrpScreen):
    # The field a function key puts the cursor in (F3 on the roll check: the roll).
    FIRST_FIELD: ClassVar[str | None] = None
    # The kind of record the screen deletes (a purge's word: "roll-check"): ctrl+z with
    # nothing left to undo offers those deleted before, to bring one back.
    DELETED_KIND: ClassVar[str | None] = None

    def __init__(self) -> None:
        super().__init__()
        self.undo_stack: list[Undoable] = []
        self._start_keeping()

    # -- saving ----------------------------------------------------------------------

    def save_when_confirmed(
        self, verdicts: Iterable[Verdict], save: Callable[[bool], bool]
    ) -> None:
        """Save, asking first about what a rule wants confirmed (a date outside the visit).

        ``save(confirmed)`` writes and says whether it did; the rules' warnings (a roll
        above the capacity) are shown once it has. Refusals are the caller's to show
        beside their fields before calling this.
        """
        found = list(verdicts)
        asks = [v.message.split(";")[0] for v in found if v.severity == CONFIRM]
        warnings = [v.message for v in found if v.severity == WARN]

        def write(confirmed: bool) -> None:
            if save(confirmed):
                for warning in warnings:
                    self.notify(f"Saved, but {warning}.", severity="warning")

        if not asks:
            write(False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                write(True)
            else:
                self.notify("Not saved: change the date, or save again and answer y.")

        from irp_field.tui.dialogs.confirm import ConfirmScreen

        question = "; ".join(asks) + ". Save it with this date anyway?"
        self.app.push_screen(
            ConfirmScreen(question, hint="y: save it   n or Escape: not yet"), answered
        )

    def unless_typing_lost(
        self,
        then: Callable[[], object],
        doing: str,
        lost: Callable[[], str | None] | None = None,
    ) -> None:
        """``then()`` at once when the form holds nothing typed over what is saved; else
        it asks first, naming what would be lost: y does it (the typing goes), n or
        Escape goes back to it. ``doing``: what ``then`` does ("Open paragraph 3.2");
        ``lost``: what ``then`` would drop, when it is less than the whole screen's form
        (set-up's tab of one kind)."""
        typed = (lost or self.typed_not_saved)()
        if typed is None:
            then()
            return

        def answered(lose: bool | None) -> None:
            if lose:
                then()

        from irp_field.tui.dialogs.confirm import ConfirmScreen

        question = f"Typed and not saved: {typed}. {doing} and lose it?"
        hint = "y: go on without it   n or Escape: go back to it, where ctrl+s saves it"
        self.app.push_screen(ConfirmScreen(question, hint=hint), answered)

    def undoable(
        self, write: Callable[[], object], label: str, where: object = None, doing: str = "saved"
    ) -> bool:
        """:meth:`guarded`, keeping what the write changed for ctrl+z (``label`` says
        what it was: "the check of A wing")."""
        from irp_field.api import history
        from irp_field.tui.undo import Undoable

        with history.recording(self.irp.visit) as changes:
            if not self.guarded(write, doing):
                return False
        if changes:
            self.undo_stack.append(Undoable(label, list(changes), where))
            self.irp.recorded()
        return True

    def action_undo(self) -> None:
        """Take back the screen's last change (an edit, an overwrite, a delete, a new
        record), if nobody changed it since; the cursor stays where it acted."""
        from irp_field.api import history

        if not self.undo_stack:
            self.offer_deleted()
            return
        last = self.undo_stack[-1]
        try:
            history.undo(self.irp.visit, last.changes)
        except IrpError as error:
            self.undo_stack.pop()
            self.notify(f"Not undone: {error}", severity="error")
            return
        self.undo_stack.pop()
        self.notify(f"Undone: {last.label}.")
        self.undone(last)

    def undone(self, what: Undoable) -> None:
        """After an undo: show the file as it is now, the cursor on ``what.where``."""
        self.file_changed()

    def offer_deleted(self) -> None:
        """Nothing left to undo: the records of the screen's kind deleted before (a
        session's ctrl+z reaches only its own deletes), to bring one back."""
        kind = self.DELETED_KIND
        if kind is None:
            self.notify("Nothing to undo.")
            return
        from irp_field.api import purges

        def offer(found: list[purges.Purgeable]) -> None:
            if not found:
                self.notify("Nothing to undo.")
                return
            from irp_field.tui.dialogs.deleted import DeletedScreen

            label = found[0].kind.label
            self.app.push_screen(DeletedScreen(label, found), self._restore)

        self.load(lambda visit: purges.deleted(visit, kind), then=offer, group="deleted")

    def _restore(self, chosen: Purgeable | None) -> None:
        if chosen is None:
            return
        from irp_field.api import purges

        def write() -> None:
            purges.restore(self.irp.visit, chosen.kind, chosen.id)

        label = f"the restore of {chosen.what}"
        if self.undoable(write, label, chosen.id, doing="restored"):
            self.notify(f"Restored {chosen.what} (ctrl+z takes it back).")
            self.undone(self.undo_stack[-1]) if self.undo_stack else self.file_changed()

    def when_typed(self, then: Callable[[], object]) -> None:
        """``then()`` once every field has taken the keys already typed (``tui.typed``)."""
        from irp_field.tui.typed import when_typed

        when_typed(self, then)

    def move_on_unless_refused(
        self, left: Widget, following: Widget, refused: Callable[[], bool]
    ) -> None:
        """Enter on a form's field: the cursor moves to ``following`` at once (the keys
        typed next belong there), and comes back to ``left`` once it has taken its own
        keys if ``refused()`` (while the cursor has not moved on again): the sheet's next
        figure would otherwise land a field down."""
        self.set_focus(following)

        def back() -> None:
            if self.focused is following and refused():
                self.app.bell()
                self.set_focus(left)

        self.when_typed(back)

    # -- history ---------------------------------------------------------------------

    def show_history(self, table: str, row_id: str, what: str) -> None:
        from irp_field.api import history
        from irp_field.tui.dialogs.history import HistoryScreen

        self.load(
            lambda visit: history.record_history(visit, table, row_id),
            then=lambda entries: self.app.push_screen(HistoryScreen(what, entries)),
            group="history",
        )

    # -- the file, changed elsewhere -------------------------------------------------

    def file_changed(self) -> None:
        """Another program (a merge, an import, another window) wrote the file, or an
        undo did: read what is shown again, keeping what is being typed."""

    def reset_focus(self) -> None:
        """A function key was pressed for this screen: the cursor to its first field."""
        if self.FIRST_FIELD is not None:
            found = self.query(f"#{self.FIRST_FIELD}")
            if found:
                self.set_focus(found.first())
