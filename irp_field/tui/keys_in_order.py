"""Keys sent in one burst are taken in order, on every screen.

A terminal hands the app every key of a burst at once: a paper sheet sent with tmux's
``send-keys``, a fast typist, a barcode reader. Textual runs a priority binding (Enter
and ctrl+s on the forms, the function keys) in the app as soon as it reads its key,
while the keys read before it still wait in the focused field's own queue: Enter moved
on, or ctrl+s saved, with the field's old value, and the next check's digits landed in
the form before the save had emptied it. Keys that change the focus through a screen's
handler (a letter on the roll opens the locations' list) went to the field the cursor
had left.

So the app hands out one key at a time: a key is handled only once the one before it
has been taken whole: by the focused widget, by the screen (the changes the key posted
to it), and by what the screen was reading for it (a save's reload offering the next
location, ``IrpScreen.load``). Until then it is held, in order. A person typing meets
no hold: each key finds the screen ready. No key is held longer than
:data:`LONGEST_HOLD` seconds on a read that does not land (the keyboard never freezes).
"""

from __future__ import annotations

from collections import deque
from time import monotonic
from typing import Any

from textual import events
from textual.app import App, ScreenStackError
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.timer import Timer

# A read the keys wait for, at most (seconds): a slow disk may take a second or two;
# past this the keys go on rather than seem lost.
LONGEST_HOLD = 5.0
LOOK_EVERY = 0.05  # seconds between looks while keys are held, whatever else calls back
# A wait for the busy widgets that has not called back in this long is given up and
# begun again (a widget removed before it ran the callback never calls back).
GIVE_UP_WAIT = 0.5

Held = events.Key | events.Paste


def _has_work(pump: MessagePump) -> bool:
    """Has ``pump`` a message to handle, or a callback to run after the one it handles?
    (Textual 8.2.8's message pump: a message taken off the queue is handled without
    giving way, unless a handler awaits.)"""
    return (
        not pump._message_queue.empty()
        or pump._pending_message is not None
        or bool(pump._next_callbacks)
    )


def _queued(pump: MessagePump) -> list[object]:
    """The messages waiting in ``pump``'s queue (Textual 8.2.8's ``_queue.Queue``)."""
    return [pump._pending_message, *getattr(pump._message_queue, "values", ())]


def _after_refresh(screen: Screen[object]) -> bool:
    """Has ``screen`` callbacks to run once it has painted (``call_after_refresh``: a
    list closing hands the focus back so)?"""
    return bool(screen._callbacks)


class LookAgain(Message):
    """To the app: the keys held may be ready to go (never counted as the app's work)."""


class KeysInOrder(App[None]):
    """Mixed into the app: keys (and pastes) from the terminal, one at a time, in order."""

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self._held: deque[Held] = deque()
        self._held_since = 0.0  # when the first key held now began to wait
        self._looking = False  # a wait for the busy widgets is on its way
        self._wait_began = 0.0  # when that wait began
        self._waits = 0  # how many waits have begun; only the newest one calls back
        self._hold_timer: Timer | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if not self._held:
                self._held_since = monotonic()
            if self._held or self._busy() is not None:
                self._held.append(event)
                self._wait_until_ready()
                return
        await super().on_event(event)

    def _busy(self) -> list[MessagePump] | None:
        """What the keys handed out so far have left to do: the widgets of the screen
        (the screen, the app) with messages to handle; an empty list while only the
        screen's painting or read is due; None once the screen has taken them whole (or
        the keys have waited :data:`LONGEST_HOLD` seconds)."""
        if monotonic() - self._held_since > LONGEST_HOLD:
            return None
        try:
            screen = self.screen
        except ScreenStackError:  # no screen yet (starting) or any more (closing)
            return None
        busy: list[MessagePump] = [
            pump for pump in screen.walk_children(with_self=True) if _has_work(pump)
        ]
        if self._app_work():
            busy.append(self)
        if busy or _after_refresh(screen) or getattr(screen, "keys_wait", False):
            return busy
        return None

    def _app_work(self) -> bool:
        """Has the app itself work a key left it? A key a widget passed up (a screen's
        binding that is not a priority one, such as ctrl+n, runs in the app), a focus
        moving (``Widget.focus`` asks the app), a callback to run next."""
        waiting = _queued(self)
        passed_up = any(
            (isinstance(m, events.Key) and m.is_forwarded) or isinstance(m, events.Callback)
            for m in waiting
        )
        return passed_up or bool(self._next_callbacks)

    def _wait_until_ready(self) -> None:
        """Look again once every busy widget has handled what it holds now (a callback
        queued behind it), once the screen has painted, or once its read lands
        (``keys_may_go``). One such wait at a time: a second one, started while the
        first is still on its way, would post its own look again, and each look would
        start yet another (the waits multiplied with every fallback look, and a burst
        of a few hundred keys drowned the app in callbacks)."""
        if self._hold_timer is None:
            # Looks again now and then as well: a widget removed before it ran the
            # callback queued behind its work (a message that timed out) never calls
            # back, and a read that never lands is waited for LONGEST_HOLD at most.
            self._hold_timer = self.set_interval(LOOK_EVERY, self._look_anyway)
        if self._looking and monotonic() - self._wait_began < GIVE_UP_WAIT:
            return
        busy = self._busy()
        if busy is None:
            self._looking = False
            self.post_message(LookAgain())
            return
        self._waits += 1
        wait = self._waits  # a wait given up (GIVE_UP_WAIT) calls back to no effect
        self._looking = True
        self._wait_began = monotonic()
        screen = self.screen
        painting = _after_refresh(screen)
        left = [len(busy) + painting]

        def handled() -> None:
            left[0] -= 1
            if left[0] == 0 and wait == self._waits:
                self._looking = False
                self.post_message(LookAgain())

        for pump in busy:
            if pump is self or not pump.call_later(handled):  # behind the app's work
                handled()
        if painting and not screen.call_after_refresh(handled):
            handled()

    @property
    def keys_held(self) -> int:
        """How many keys wait for the screen to take the ones before them."""
        return len(self._held)

    def keys_may_go(self) -> None:
        """A screen's read landed: the keys held for it may go on."""
        if self._held:
            self.post_message(LookAgain())

    def _look_anyway(self) -> None:
        self.keys_may_go()

    async def on_look_again(self, _: LookAgain) -> None:
        if self._closing or not self._screen_stack:
            self._held.clear()  # closing: nothing is left to type into
        while self._held:
            if self._busy() is not None:
                self._wait_until_ready()
                return
            event = self._held.popleft()
            self._held_since = monotonic()  # the next key's wait starts
            await super().on_event(event)
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
