"""The key bindings of the screen on one line, as plain text.

Textual's Footer builds a widget per binding and rebuilds them all whenever the focus or
the screen changes: with fifteen bindings that is most of the time it takes the visit
overview to first appear. This line is one widget: it redraws its text instead.
Keyboard first; the command palette (ctrl+p) offers the same actions to the mouse.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


def keys_first(screen: Screen[object]) -> Callable[[str], int]:
    """Each action's place on the line: those the screen's ``keys_first()`` names, in
    its order, then the rest as bound. An action is named without its arguments."""
    named = getattr(screen, "keys_first", None)
    order = list(named()) if callable(named) else []

    def place(action: str) -> int:
        name = action.partition("(")[0]
        return order.index(name) if name in order else len(order)

    return place


class KeyLine(Static):
    _screen: Screen[object]
    _shown: Text | None = None

    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        self._screen = self.screen
        self._screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.show_keys)

    def on_unmount(self) -> None:
        self._screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.show_keys)

    def on_resize(self) -> None:
        self.call_after_refresh(self.show_keys)

    def show_keys(self) -> None:
        if not self.is_attached:  # a screen closed before its redraw came round
            return
        seen: set[str] = set()
        shown = [b for b in self.screen.active_bindings.values() if b[1].show]
        # The screen's own keys first, then the app's (F-keys, quit). The line is never
        # cut mid-word at its end (it was): it holds the keys that fit, whole and in
        # order, and "f1 Help", which lists every key, always ends it.
        # Where the cursor is decides which of the screen's keys come first: the most
        # used there (``keys_first``), so that the line at 80 columns offers what acts
        # now (the round table's Enter, Delete and h on F3; e and c on F7).
        first = keys_first(self.screen)
        shown.sort(key=lambda active: (active[0] is self.app, first(active[1].action)))
        items: list[Text] = []  # each key and its words
        help_item: Text | None = None
        for _node, binding, enabled, _tooltip in shown:
            if binding.action in seen:
                continue
            seen.add(binding.action)
            item = self._item(self.app.get_key_display(binding), binding.description, enabled)
            if binding.action == "help":
                help_item = item
                continue
            items.append(item)
        width = self.size.width or self.app.size.width
        room = width - (help_item.cell_len if help_item is not None else 0)
        line = Text(no_wrap=True, overflow="ellipsis")
        for item in items:
            if line.cell_len + item.cell_len > room:
                break  # this and the rest: F1 lists them
            line.append_text(item)
        if help_item is not None:
            line.append_text(help_item)
        if line != self._shown:  # an update lays the screen out again: only a change
            self._shown = line
            self.update(line, layout=False)  # its size is fixed: one line, the width

    @staticmethod
    def _item(key: str, description: str, enabled: bool) -> Text:
        style = "" if enabled else "dim"
        item = Text()
        item.append(f" {key} ", style=f"bold reverse {style}")
        item.append(f" {description} ", style=style)
        return item
