"""Who am I: pick yourself from the visit's team once per visit on this laptop, or add
yourself to it (a visit started on site has no team yet)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from irp_field.domain.errors import IrpError
from irp_field.tui.widgets.field_row import FieldRow

if TYPE_CHECKING:
    from irp_field.tui.app import IrpApp

ADD_ME = "+ Not on the list: add me to the team"
ADD_FIELDS = ("who-name", "who-role", "who-body")
PICK_KEYS = "Enter: that is me   Escape: not now   ctrl+q: quit"
# The form's Enter moves on to the next field (it used to say "Enter: that is me" here,
# and three Enters were needed): the words say so, and ctrl+s adds you from any field.
ADD_KEYS = "Enter: next field (on Body: add me)   ctrl+s: add me   Escape: not now"


class WhoAmIScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    WhoAmIScreen {
        align: center middle;
        #who { width: 64; max-width: 100%; height: auto; max-height: 100%;
               border: thick $primary; padding: 0 1; }
        #who > Label { width: 100%; }
        OptionList { height: auto; max-height: 12; }
        #who-add { height: auto; display: none; }
        #who-add.shown { display: block; }
        #who-add FieldRow { margin: 0; }
        #who-add FieldRow > .field-label { width: 8; }
        #who-add FieldRow > Input.wide { width: 1fr; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Not now"),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
        Binding("ctrl+s", "add_me", "Add me", show=False, priority=True),
    ]

    def __init__(self, members: list[str], proposed: str | None = None) -> None:
        super().__init__()
        self.members = members
        self.proposed = proposed if proposed in members else None

    def compose(self) -> ComposeResult:
        with Vertical(id="who"):
            if self.proposed:
                yield Label(f"Who are you? Are you {self.proposed}? Enter says yes.")
            elif self.members:
                yield Label("Who are you? Everything you record carries your name.")
            else:
                yield Label("Who are you? The visit has no team yet: add yourself.")
            yield OptionList(*self.members, ADD_ME)
            with Vertical(id="who-add"):
                yield FieldRow("Name", "who-name", wide=True)
                yield FieldRow("Role", "who-role", placeholder="e.g. Inspector", wide=True)
                yield FieldRow("Body", "who-body", placeholder="HMIP, Ofsted, CQC...")
                yield Label("", id="who-reason", classes="reason")
            yield Label(PICK_KEYS, id="who-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.proposed:
            options.highlighted = self.members.index(self.proposed)
        if not self.members:
            self._show_form()
            return
        options.focus()

    def _show_form(self) -> None:
        self.query_one("#who-add").add_class("shown")
        self.query_one("#who-keys", Label).update(ADD_KEYS)
        self.query_one("#who-body", Input).value = "HMIP"
        self.set_focus(self.query_one("#who-name", Input))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_index >= len(self.members):
            self._show_form()
            return
        self.dismiss(self.members[event.option_index])

    def action_next_field(self) -> None:
        focused = self.focused
        if isinstance(focused, OptionList):
            focused.action_select()
            return
        if not isinstance(focused, Input) or focused.id not in ADD_FIELDS:
            return
        if focused.id != ADD_FIELDS[-1]:
            following = ADD_FIELDS[ADD_FIELDS.index(focused.id) + 1]
            self.set_focus(self.query_one(f"#{following}", Input))
            return
        self.action_add_me()

    def action_add_me(self) -> None:
        if not self.query_one("#who-add").has_class("shown"):
            return
        from irp_field.tui.typed import when_typed

        when_typed(self, self._add)

    def _add(self) -> None:
        from irp_field.api import evidence

        typed = {name: self.query_one(f"#{name}", Input).value for name in ADD_FIELDS}
        app = cast("IrpApp", self.app)
        try:
            evidence.add_team_member(
                app.visit, typed["who-name"], role=typed["who-role"], body=typed["who-body"]
            )
        except IrpError as error:
            self.query_one("#who-reason", Label).update(str(error))
            return
        self.dismiss(typed["who-name"].strip())

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
