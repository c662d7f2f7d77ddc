"""The app's side of typed values the visit file could not take yet (``tui.unsaved``):
trying them again, saying how many wait, asking before quitting or leaving the visit,
and offering back what a busy file left kept when the visit is opened."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

from textual.app import App

from irp_field.api import unsaved
from irp_field.api.unsaved import FileBusy, Typed
from irp_field.domain.errors import IrpError

if TYPE_CHECKING:
    from irp_field.api.visits import Visit
    from irp_field.tui.base.visit_screen import VisitScreen

# How long a save waits for another writer before it is kept waiting (the screen never
# freezes for longer), and how long a try again waits: not at all, it is tried twice a
# second anyway.
SAVE_WAIT = 1.0
RETRY_WAIT = 0.0


class AppKeepsTyping(App[None]):
    """Mixed into ``IrpApp``."""

    _visit: Visit | None

    def _start_keeping(self) -> None:
        # Saves whose screen has closed ("keep as a file" on closing a note): tried again
        # by the app, out of the kept file once in the visit.
        self.adopted: dict[str, Typed] = {}
        self._asking_about_typing = False  # "typed and not saved: quit and lose it?" is up

    def visit_screens(self) -> list[VisitScreen]:
        """Every screen on the visit, in every mode (a note editor left open on F4 while
        F3 is shown still holds its note)."""
        from irp_field.tui.base.visit_screen import VisitScreen

        stacks = [*self._screen_stacks.values()]
        return [s for stack in stacks for s in stack if isinstance(s, VisitScreen)]

    def all_unsaved(self) -> list[Typed]:
        return [t for s in self.visit_screens() for t in s.unsaved()] + [*self.adopted.values()]

    def show_waiting(self) -> None:
        """The header says how many saves wait for the file, on every screen."""
        if self._visit is None:
            return
        count = len(self.all_unsaved())
        name = self._visit.path.name
        self.sub_title = f"{name} · {count} not saved yet (file busy)" if count else name

    @contextmanager
    def quick_tries(self) -> Iterator[None]:
        """Writes that do not wait on another program's lock (a try again)."""
        visit = self._visit
        if visit is None:
            yield
            return
        visit.wait_for_lock(RETRY_WAIT)
        try:
            yield
        finally:
            visit.wait_for_lock(SAVE_WAIT)

    def retry_waiting(self) -> None:
        """Every save waiting for the file, tried once more."""
        if self._visit is None:
            return
        screens = [s for s in self.visit_screens() if s.is_mounted and s.unsaved()]
        if not screens and not self.adopted:
            return
        with self.quick_tries():
            for screen in screens:
                screen.retry_waiting()
            for key, typed in list(self.adopted.items()):
                try:
                    unsaved.put_back(self._visit, typed)
                except FileBusy:
                    break
                except IrpError as error:
                    self.notify(
                        f"Not saved: {typed.what}: {error}. It stays kept, and is offered "
                        "when the visit is next opened.",
                        severity="error",
                    )
                else:
                    draft = " as a draft (ctrl+g on Notes)" if typed.kind == "note_draft" else ""
                    self.notify(f"Saved {typed.what}{draft}: the file is free again.")
                self.adopted.pop(key, None)
        self.show_waiting()

    def adopt(self, typed: list[Typed]) -> None:
        """Kept as a file by a screen that closes: the app tries them from now on."""
        for one in typed:
            self.adopted[one.key] = one
        self.show_waiting()

    # -- leaving -----------------------------------------------------------------------

    def typed_not_saved(self) -> list[str]:
        """What a form holds that was typed and never saved (no ctrl+s, no Enter), on
        every screen of the visit: "F3: the check of A wing (typed, not saved)"."""
        return [
            said
            for screen in self.visit_screens()
            if screen.is_mounted and (said := screen.typed_not_saved())
        ]

    def settle_unsaved(self, leaving: str, then: Callable[[str | None], Any]) -> None:
        """Before quitting or leaving the visit: a form that holds typing never saved
        is asked about first (go back and save it, or leave it); then one more try of
        everything waiting; if something is still not in the visit, ask (wait, keep as
        a file, discard) and call ``then(where it is kept, or None)`` unless the answer
        is to wait."""
        typed = self.typed_not_saved()
        if not typed:
            self._settle_waiting(leaving, then)
            return
        from irp_field.tui.dialogs.confirm import ConfirmScreen

        def answered(lose: bool | None) -> None:
            self._asking_about_typing = False
            if lose:
                self._settle_waiting(leaving, then)
            else:
                self.notify("Nothing was lost: it is still in its form; ctrl+s saves it there.")

        question = f"Typed and not saved: {'; '.join(typed)}. {leaving.capitalize()} and lose it?"
        hint = f"y: {leaving} without it   n or Escape: go back to it"
        self._asking_about_typing = True
        self.push_screen(ConfirmScreen(question, hint=hint), answered)

    def _settle_waiting(self, leaving: str, then: Callable[[str | None], Any]) -> None:
        from irp_field.tui.dialogs.unsaved import UnsavedScreen

        for screen in self.visit_screens():  # the last keys typed too (a note's draft)
            if screen.is_mounted:
                screen.flush()
        self.retry_waiting()
        left = self.all_unsaved()
        if not left or self._visit is None:
            then(None)
            return
        visit = self._visit

        def answered(choice: str | None) -> None:
            if choice not in ("keep", "discard"):
                self.notify("Waiting: it is saved by itself once the file is free.")
                return
            self.retry_waiting()  # the lock may have gone while the question was up
            still = self.all_unsaved()
            try:
                if choice == "keep":
                    where = unsaved.keep(visit, still) if still else None
                else:
                    unsaved.forget(visit, [t.key for t in still])
                    where = None
            except IrpError as error:
                self.notify(f"Nothing was changed: {error}", severity="error")
                return
            for screen in self.visit_screens():
                screen.let_go()
            self.adopted.clear()
            self.show_waiting()
            then(where)

        self.push_screen(UnsavedScreen(left, visit.path.name, leaving), answered)

    async def action_quit(self) -> None:
        """ctrl+q: quits at once when everything typed is in the visit; asks otherwise."""
        from irp_field.tui.dialogs.unsaved import UnsavedScreen

        if isinstance(self.screen, UnsavedScreen) or self._asking_about_typing:
            return  # the question is up already (ctrl+q again does not quit past it)

        def leave(kept_in: str | None) -> None:
            message = None
            if kept_in:
                message = (
                    f"What was not saved is kept in {kept_in}; it is offered back when "
                    "the visit is opened."
                )
            self.exit(message=message)

        self.settle_unsaved("quit", leave)

    # -- coming back -------------------------------------------------------------------

    def offer_kept(self, then: Callable[[], object]) -> None:
        """What a busy file left kept (a quit, a crash, a kill) is offered back when the
        visit is opened; ``then`` runs when there is nothing to offer or it is answered
        without opening a note."""
        if self._visit is None:
            then()
            return
        visit = self._visit
        try:
            left = unsaved.kept(visit)
        except IrpError as error:
            self.notify(str(error), severity="error")
            left = []
        if not left:
            then()
            return
        from irp_field.tui.dialogs.kept import KeptScreen  # only when there is one to show

        def answered(draft: object) -> None:
            if draft is None:
                then()
                return
            self.call_later(self._open_draft, draft)

        name = unsaved.kept_file(visit)
        with suppress(ValueError):
            name = str(visit.path.parent.joinpath(name).relative_to(visit.path.parent))
        self.push_screen(KeptScreen(left, name), answered)

    async def _open_draft(self, draft: object) -> None:  # IrpApp's
        raise NotImplementedError
