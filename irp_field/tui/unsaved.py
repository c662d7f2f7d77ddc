"""Typed values the visit file could not take yet: every screen's one way to save a form.

A screen saves what was typed with :meth:`KeepsTyping.save_typed`: a save that names
what it writes (``api.unsaved.Typed``: which save, the values, people's words). When
another program holds the file (a merge in another window, a copy tool, a script), the
save is not lost and the screen does not freeze: the values stay in the form, the save
waits in :attr:`KeepsTyping.waiting` and goes into a private file beside the visit at
once (a crash or a kill while the lock lasts loses nothing), and the app tries it again
twice a second (``IrpApp.retry_waiting``) without waiting on the lock. Once it is in
the visit it leaves that file, and the screen carries on as after any save, unless the
form has been typed over since (then it keeps what is typed now, and says so).

Closing a screen or quitting with something waiting asks first (``screens.unsaved``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from irp_field.api.unsaved import FileBusy, Typed
from irp_field.domain.errors import IrpError

if TYPE_CHECKING:
    from textual.widgets import Input

    from irp_field.tui.app import IrpApp

Snapshot = tuple[tuple[str, str], ...]


@dataclass
class Waiting:
    """A save the file refused as busy, and what the screen does once it is made."""

    typed: Typed
    then: Callable[[object], object]
    snapshot: Snapshot  # the form as it was: ``then`` runs only if it still is
    label: str | None  # for ctrl+z
    where: object
    after: Callable[[object], object] | None = None  # runs once saved, typed over or not


class KeepsTyping:
    """Mixed into every screen on a visit (``VisitScreen``)."""

    irp: IrpApp
    waiting: dict[str, Waiting]
    _kept_keys: set[str]

    def _start_keeping(self) -> None:
        self.waiting = {}
        self._kept_keys = set()  # in the kept file: out of it once saved

    # -- saving ------------------------------------------------------------------------

    def save_typed(
        self,
        typed: Typed,
        then: Callable[[object], object],
        *,
        label: str | None = None,
        where: object = None,
        after: Callable[[object], object] | None = None,
    ) -> bool:
        """Save ``typed`` (kept for ctrl+z as ``label`` when given), then ``then(what the
        save returned)``. A busy file keeps it waiting (False): once saved, ``after``
        runs whatever the form holds by then (which record the form now edits), and
        ``then`` only if the form was not typed over meanwhile. A rule's refusal goes to
        :meth:`typed_refused` (False)."""
        try:
            result = self._write_typed(typed, label, where)
        except FileBusy:
            self._wait(Waiting(typed, then, self.form_snapshot(), label, where, after))
            return False
        except IrpError as error:
            self.typed_refused(typed, error)
            return False
        self._now_in_visit(typed)
        then(result)
        return True

    def _write_typed(self, typed: Typed, label: str | None, where: object) -> object:
        from irp_field.api import history, unsaved
        from irp_field.tui.undo import Undoable  # with the history it keeps: when written

        visit = self.irp.visit
        with history.recording(visit) as changes:
            result = unsaved.write(visit, typed)
        if label is not None and changes:
            self.undo_stack.append(Undoable(label, list(changes), where))  # type: ignore[attr-defined]
        if changes:
            self.irp.recorded()
        return result

    def typed_refused(self, typed: Typed, error: IrpError) -> None:
        """A rule refused the save: said (a screen may show it beside its fields first:
        the cursor goes into the first of them, :meth:`refuse`); who records it not on
        the team, in the words every screen says it in."""
        said = self.irp.not_on_the_team(getattr(error, "verdicts", ()))
        self.refuse(str(error), said=said)

    def refuse(self, why: str, field: Input | None = None, said: str | None = None) -> bool:
        """A save refused, on any form: "Not saved: why" (or ``said``, whole), and the
        cursor in ``field`` or else in the first field whose row says why, its text
        selected (what is typed next replaces it; ``widgets.field_row.cursor_to_refused``).
        False when no field says why (the screen puts the cursor where the reason is)."""
        from irp_field.tui.widgets.field_row import cursor_to_refused

        self.notify(said or f"Not saved: {why}", severity="error")  # type: ignore[attr-defined]
        return cursor_to_refused(self, field, why)  # type: ignore[arg-type]

    def _wait(self, waiting: Waiting) -> None:
        from irp_field.api import unsaved

        key = waiting.typed.key
        self.waiting.pop(key, None)
        self.waiting[key] = waiting  # the newest last: saved in the order typed
        name = self.irp.visit.path.name
        try:
            unsaved.keep(self.irp.visit, [waiting.typed])
        except IrpError as error:
            kept = f"it is on screen only ({error})"
        else:
            self._kept_keys.add(key)
            kept = "it is kept, and saved by itself once the file is free"
        self.notify(  # type: ignore[attr-defined]
            f"Not saved yet: {waiting.typed.what}. {name} is busy (another program is "
            f"writing it); {kept}.",
            severity="warning",
        )
        self.irp.show_waiting()

    def _now_in_visit(self, typed: Typed) -> None:
        """In the visit: no longer waiting, and out of the kept file."""
        from irp_field.api import unsaved

        self.waiting.pop(typed.key, None)
        if typed.key in self._kept_keys:
            self._kept_keys.discard(typed.key)
            with suppress(IrpError):
                unsaved.forget(self.irp.visit, [typed.key])
        self.irp.show_waiting()

    # -- trying again ------------------------------------------------------------------

    def retry_waiting(self) -> None:
        """Try what is waiting again, in the order typed (the app calls this twice a
        second, without waiting on the lock); stops at the first still refused as busy."""
        for key, waiting in list(self.waiting.items()):
            if self.waiting.get(key) is not waiting:
                continue  # saved again meanwhile
            try:
                result = self._write_typed(waiting.typed, waiting.label, waiting.where)
            except FileBusy:
                return
            except IrpError as error:
                self.waiting.pop(key, None)
                self.notify(  # type: ignore[attr-defined]
                    f"Not saved: {waiting.typed.what}: {error}. What was typed stays kept, "
                    "and is offered when the visit is next opened.",
                    severity="error",
                )
                self.irp.show_waiting()
                continue
            self._now_in_visit(waiting.typed)
            self.notify(f"Saved {waiting.typed.what}: the file is free again.")  # type: ignore[attr-defined]
            if waiting.after is not None:
                waiting.after(result)
            if self.form_snapshot() == waiting.snapshot:
                waiting.then(result)
            else:  # typed over since: the form keeps what is typed now
                self.file_changed()  # type: ignore[attr-defined]

    def flush(self) -> None:
        """Before the app quits or leaves the visit: save what can be saved now."""
        self.retry_waiting()

    def typed_not_saved(self) -> str | None:
        """What this screen's form holds that was typed and never saved, in a few words
        ("F3: the check of A wing"); None when nothing, or when it is a save waiting for
        the file (asked about as such). Asked before the app quits or leaves the visit."""
        said = self.form_typed()
        if said is None:
            return None
        now = self.form_snapshot()
        return None if any(w.snapshot == now for w in self.waiting.values()) else said

    def form_typed(self) -> str | None:
        """A screen with a form: what it holds typed over what is saved (nothing: None)."""
        return None

    def unsaved(self) -> list[Typed]:
        """What this screen holds that is not in the visit yet."""
        return [waiting.typed for waiting in self.waiting.values()]

    def let_go(self) -> None:
        """The person chose: kept as a file, or discarded. This screen stops trying."""
        self.waiting.clear()
        self._kept_keys.clear()

    # -- the form ----------------------------------------------------------------------

    def form_snapshot(self) -> Snapshot:
        """Every field's value: has the form been typed over since a save waited?"""
        from textual.widgets import Input, Select, TextArea

        found: list[tuple[str, str]] = []
        for widget in self.query("Input, TextArea, Select"):  # type: ignore[attr-defined]
            if isinstance(widget, Input):
                found.append((widget.id or "", widget.value))
            elif isinstance(widget, TextArea):
                found.append((widget.id or "", widget.text))
            elif isinstance(widget, Select):
                found.append((widget.id or "", str(widget.value)))
        return tuple(found)
