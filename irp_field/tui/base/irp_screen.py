"""The base of every full screen of the app (Home and the screens on a visit): typed
access to the app, and the one way a screen reads without blocking the event loop.

A screen says *what* to read and *what to do with it*::

    self.load(overview, then=self.show_overview, group="overview")

``read`` runs in a thread worker on a read-only connection of its own, opened and
closed in that thread (sqlite3 objects stay in one thread); ``then`` runs on the event
loop with what it returned. A newer load of the same group cancels the older one, and
a result the newer load has overtaken is dropped, never shown (a cancelled thread
worker still runs to its end). An :class:`IrpError` met on the way (a damaged file, no
visit open) is shown to the inspector as an error notification, and ``failed``, when
given, runs after it; any other exception is a bug and stops the app, as in any worker,
unless the worker was cancelled (a write told to stop fails so: ``write_in_thread``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar, cast

from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from irp_field.domain.errors import IrpError

if TYPE_CHECKING:
    from irp_field.api.visits import Visit
    from irp_field.tui.app import IrpApp

T = TypeVar("T")


class IrpScreen(Screen[None]):
    class Loaded(Message, bubble=False):
        """What a thread worker read, to be handled on the event loop unless overtaken."""

        def __init__(self, group: str, number: int, handle: Callable[[], object]) -> None:
            super().__init__()
            self.group = group
            self.number = number
            self.handle = handle

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._latest_load: dict[str, int] = {}  # group -> number of its newest load
        # The loads whose result the keys typed next wait for (``tui.keys_in_order``).
        self._keys_wait_for: set[str] = set()

    def guarded(self, write: Callable[[], object], doing: str = "saved") -> bool:
        """One write on the event loop; what a person can act on (the file busy with a
        merge, a rule's refusal) is said, never an exit. False when it was not written."""
        try:
            write()
        except IrpError as error:
            self.notify(f"Not {doing}: {error}", severity="error")
            return False
        return True

    @property
    def irp(self) -> IrpApp:
        return cast("IrpApp", self.app)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """The message is this screen's: it is not shown on another function key's."""
        notify = getattr(self.app, "notify_from", None)
        if notify is None:  # a screen shown by another app (a test's)
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
            return
        notify(self, message, title=title, severity=severity, timeout=timeout, markup=markup)

    def load(
        self,
        read: Callable[[Visit], T],
        then: Callable[[T], object],
        *,
        group: str,
        failed: Callable[[IrpError], object] | None = None,
        keys_wait: bool = True,
    ) -> Worker[None]:
        """``then(read(visit))``: ``read`` in a thread on a connection of its own to the
        open visit, ``then`` on the event loop; an :class:`IrpError` is notified.

        Keys typed meanwhile wait for it (``keys_wait``): what it shows is what they act
        on (after a save, the next location offered). Not so for what only shows as it
        is typed (a search) or beside the form (the averages)."""
        app = self.irp

        def from_the_visit() -> T:
            with app.open_reader() as visit:
                return read(visit)

        worker = self.in_thread(from_the_visit, then, group=group, failed=failed)
        if keys_wait:
            self._keys_wait_for.add(group)
        else:
            self._keys_wait_for.discard(group)
        return worker

    @property
    def keys_wait(self) -> bool:
        """Is a read in flight that the keys typed next act on?"""
        return bool(self._keys_wait_for)

    def in_thread(
        self,
        task: Callable[[], T],
        then: Callable[[T], object],
        *,
        group: str,
        failed: Callable[[IrpError], object] | None = None,
    ) -> Worker[None]:
        """``then(task())``: ``task`` in a thread worker, ``then`` on the event loop, for
        work that opens its own files (the list of visits, a merge, the exports). Called
        on the event loop, like :meth:`load`."""
        number = self._latest_load[group] = self._latest_load.get(group, 0) + 1

        def work() -> None:
            handle: Callable[[], object]
            try:
                result = task()
            except IrpError as error:
                handle = partial(self._show_failure, error, failed)
            except Exception:
                if get_current_worker().is_cancelled:
                    return  # told to stop (the app closing): its writes were rolled back
                raise
            else:
                handle = partial(then, result)
            if not get_current_worker().is_cancelled:
                self.post_message(self.Loaded(group, number, handle))

        return self.run_worker(
            work, name=f"{type(self).__name__} {group}", group=group, exclusive=True, thread=True
        )

    def write_in_thread(
        self,
        write: Callable[[Visit], T],
        then: Callable[[T], object],
        *,
        group: str,
        failed: Callable[[IrpError], object],
    ) -> Worker[None]:
        """``then(write(visit))``: ``write`` in a thread worker on a writing connection of
        its own (``IrpApp.open_writer``: the app's clock, its wait for the lock), for a
        write that reads the whole visit first (a sync computes every figure); ``then``
        on the event loop. An :class:`IrpError` (the file busy: another program holds
        it) goes to ``failed`` on the event loop, said there as the screen says it. The
        worker cancelled (the app closing, the screen gone), the write stops within a
        few thousand of SQLite's steps and its transaction rolls back: nothing is left
        half-written, and closing waits for nothing."""
        app = self.irp

        def on_its_own() -> T | IrpError:
            stop = get_current_worker().cancelled_event.is_set
            try:
                with app.open_writer(stop=stop) as visit:
                    return write(visit)
            except IrpError as error:
                return error

        def landed(outcome: T | IrpError) -> None:
            if isinstance(outcome, IrpError):
                failed(outcome)
            else:
                then(outcome)

        return self.in_thread(on_its_own, landed, group=group)

    def _show_failure(self, error: IrpError, failed: Callable[[IrpError], object] | None) -> None:
        # The app's, not this screen's: what a read met (a damaged file, no visit) is
        # about the visit, and stays said on the next function key's screen.
        self.app.notify(str(error), severity="error")
        if failed is not None:
            failed(error)

    def on_irp_screen_loaded(self, message: Loaded) -> None:
        if self._latest_load.get(message.group) != message.number:
            return  # overtaken by a newer load of the group: it shows what is there now
        try:
            message.handle()
        finally:
            if message.group in self._keys_wait_for:
                self._keys_wait_for.discard(message.group)
                keys_may_go = getattr(self.app, "keys_may_go", None)
                if keys_may_go is not None:
                    keys_may_go()
