"""A labelled one-line field with the reason it is refused shown beside it.

The reason wraps under itself (up to three lines) rather than running off the edge:
at 80x24 F6's refused time read "'25:99' is not a time of day (write HH:MM, 24-hour:"
and stopped. The row is one line high until a reason needs more."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.widgets import Input, Label

EDITING_KEYS = ("backspace", "delete", "ctrl+u", "ctrl+k", "ctrl+w", "ctrl+x", "ctrl+v")


class TypedInput(Input):
    """An Input that notes when a person last typed in it: the time of the key itself,
    set when the terminal delivered it. Keys typed fast reach each field in its own
    queue, so a screen told late that one field changed (F6's subject) could clear a
    field typed after it (the group, typed ahead): a screen clears only what was typed
    before the change (``typed_at``)."""

    typed_at: float = 0.0

    def on_key(self, event: events.Key) -> None:
        if event.is_printable or event.key in EDITING_KEYS:
            self.typed_at = max(self.typed_at, event.time)

    def on_paste(self, event: events.Paste) -> None:
        self.typed_at = max(self.typed_at, event.time)


class FieldRow(Horizontal):
    DEFAULT_CSS = """
    FieldRow {
        height: auto;
        max-height: 3;
        margin: 0 1;
        & > .field-label { width: 18; }
        & > Input { width: 12; }
        & > Input.wide { width: 40; }
        & > Input.moment { width: 18; }  /* YYYY-MM-DD HH:MM, whole */
        & > .reason { width: 1fr; height: auto; max-height: 3; padding-left: 1; }
    }
    """

    def __init__(
        self,
        label: str,
        name: str,
        *,
        placeholder: str = "",
        wide: bool = False,
        moment: bool = False,
    ) -> None:
        super().__init__(id=f"row-{name}")
        self.label = label
        self.field_name = name
        self.placeholder = placeholder
        self.wide = wide
        self.moment = moment
        self._reason = ""

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield TypedInput(
            id=self.field_name,
            placeholder=self.placeholder,
            compact=True,
            classes="wide" if self.wide else "moment" if self.moment else "",
        )
        yield Label("", id=f"reason-{self.field_name}", classes="reason")

    @property
    def input(self) -> TypedInput:
        return self.query_one(TypedInput)

    @property
    def reason(self) -> str:
        """Why the value cannot be saved, as shown beside it ("" when nothing is said)."""
        return self._reason

    def set_reason(self, reason: str) -> None:
        """Say why the value cannot be saved ("" once it can). The screens say it after
        every key; a label's update lays out the whole screen again, so only a change
        of reason is drawn (a form typed at speed did thousands of layouts for nothing)."""
        if reason == self._reason:
            return
        self._reason = reason
        self.query_one(f"#reason-{self.field_name}", Label).update(reason)


def cursor_to_refused(form: DOMNode, field: Input | None = None, why: str = "") -> bool:
    """After a refused save: the cursor in ``field``, or else in the first field (in the
    form's order) whose row says why it is refused, its text selected, so that what is
    typed next replaces what was refused. Every form's one way (the screens', the
    dialogs', ``KeepsTyping.typed_refused``): the cursor stayed where it was on some, and
    a corrected value went into the Label ("...educat0.34"), or was added to the refused
    one ("10:202026-12-08T10:20"). Where the reason quotes the part refused and the field
    holds more ("'25:20' is not a time" of "Tue 25:20"), that part alone is selected: a
    Backspace took the whole selection, and the time typed again went on another day.
    False when no field says so."""
    if field is None:
        rows = [row for row in form.query(FieldRow) if row.reason and row.display]
        if not rows:
            return False
        field, why = rows[0].input, rows[0].reason
    field.screen.set_focus(field)
    part = refused_part(field.value, why)
    if part is None:
        field.select_all()
    else:  # after the focus is taken, which selects all of a field (select_on_focus)
        from textual.widgets.input import Selection

        field.call_after_refresh(setattr, field, "selection", Selection(*part))
    return True


def refused_part(value: str, why: str) -> tuple[int, int] | None:
    """Where in ``value`` the part a reason quotes stands ("'Fri' is not a day ..."),
    when it is a part and not the whole; None otherwise."""
    import re

    for quoted in re.findall(r"'([^']+)'", why):
        at = value.find(quoted)
        if at >= 0 and quoted.strip() != value.strip():
            return at, at + len(quoted)
    return None
