"""The key bindings of the screen on one line, as plain text.

Textual's Footer builds a widget per binding and rebuilds them all whenever the focus or
the screen changes: with fifteen bindings that is most of the time it takes the visit
overview to first appear. This line is one widget: it redraws its text instead.
Keyboard first; the command palette (ctrl+p) offers the same actions to the mouse.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


class KeyLine(Static):
    _screen: Screen[object]

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

    def show_keys(self) -> None:
        if not self.is_attached:  # a screen closed before its redraw came round
            return
        line = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        shown = [b for b in self.screen.active_bindings.values() if b[1].show]
        # The screen's own keys first, then the app's (F-keys, quit): on 80 columns the
        # line is cut at its end, and what this screen does must not be what is cut.
        shown.sort(key=lambda active: active[0] is self.app)
        for _node, binding, enabled, _tooltip in shown:
            if binding.action in seen:
                continue
            seen.add(binding.action)
            style = "" if enabled else "dim"
            line.append(f" {self.app.get_key_display(binding)} ", style=f"bold reverse {style}")
            line.append(f" {binding.description} ", style=style)
        self.update(line)
