"""Who am I: pick yourself from the visit's team once per visit file on this laptop, or add
yourself to it (a visit started on site has no team yet).

"+ Not on the list" comes first, above the names: last, it was below the box's fold at
80x24 with a team of ten, and a new inspector never saw the way to add themselves. A
name typed there that is a slip of a member's ("Jade Richard") is asked about first,
by the rule ``--by`` is held to (``api.identity.member_meant``): y is that member."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList

from irp_field.domain import vocabulary
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import RecordRefused
from irp_field.tui.widgets.field_row import FieldRow

if TYPE_CHECKING:
    from irp_field.tui.app import IrpApp

ADD_ME = "+ Not on the list: add me to the team"
ADD_FIELDS = ("who-name", "who-role", "who-body")
PICK_KEYS = "Enter: that is me   Escape: not now   ctrl+q: quit"
# Said under the keys while nobody is chosen: whose name "not now" leaves on the records.
NOT_NOW = "Not now: what you record carries your login name, {login}."
# A login not on the visit's team records nothing (``domain.recorders``): "carries your
# login name" was a promise every save then broke ("not on the team").
NOT_NOW_OFF_TEAM = "Not now: your login, {login}, is not on the team: you can read, not record."
# The form's Enter moves on to the next field (it used to say "Enter: that is me" here,
# and three Enters were needed): the words say so, and ctrl+s adds you from any field.
ADD_KEYS = "Enter: next field (on Body: add me)   ctrl+s: add me   Escape: not now"
BACK_KEYS = "Enter: next field (on Body: add me)   ctrl+s: add me   Escape: back to the list"
BODY_HINT = ", ".join(vocabulary.BODIES)


class WhoAmIScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    WhoAmIScreen {
        align: center middle;
        #who { width: 64; max-width: 100%; height: auto; max-height: 100%;
               border: thick $primary; padding: 0 1; }
        #who > Label { width: 100%; }
        OptionList { height: auto; max-height: 14; }  /* a team of ten whole at 80x24 */
        #who-add { height: auto; display: none; }
        #who-add.shown { display: block; }
        #who-add FieldRow { margin: 0; }
        #who-add FieldRow > .field-label { width: 8; }
        #who-add FieldRow > Input.wide { width: 1fr; }
        #who-add FieldRow > .reason { display: none; }  /* said under the form, whole */
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Not now"),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
        Binding("ctrl+s", "add_me", "Add me", show=False, priority=True),
    ]

    def __init__(
        self, members: list[str], proposed: str | None = None, unnamed_as: str = ""
    ) -> None:
        """``unnamed_as``: the login name what is recorded carries while nobody is chosen
        (said before Escape leaves it so); "" once someone is."""
        super().__init__()
        self.members = members
        self.proposed = proposed if proposed in members else None
        self.unnamed_as = unnamed_as
        self.not_a_slip = ""  # a name said not to be a slip of a member's: added as typed

    def compose(self) -> ComposeResult:
        with Vertical(id="who"):
            if self.proposed:
                yield Label(f"Who are you? Are you {self.proposed}? Enter says yes.")
            elif self.members:
                yield Label("Who are you? Everything you record carries your name.")
            else:
                yield Label("Who are you? The visit has no team yet: add yourself.")
            yield OptionList(ADD_ME, *((None, *self.members) if self.members else ()))
            with Vertical(id="who-add"):
                yield FieldRow("Name", "who-name", wide=True)
                yield FieldRow("Role", "who-role", placeholder="e.g. Inspector", wide=True)
                # No body is filled in for you: an Ofsted inspector was once added as
                # HMIP, the form's default. Its first letters offer the rest (Enter takes it).
                yield FieldRow("Body", "who-body", placeholder=BODY_HINT, wide=True)
                yield Label("", id="who-reason", classes="reason")
            yield Label(self._pick_keys(), id="who-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        self.query_one("#who-body", Input).suggester = SuggestFromList(
            vocabulary.BODIES, case_sensitive=False
        )
        if self.members:  # the cursor on a name (Enter: that is me), never on adding one
            options.highlighted = 1 + (self.members.index(self.proposed) if self.proposed else 0)
        if not self.members:
            self._show_form()
            return
        options.focus()

    def _show_form(self) -> None:
        """The form in the list's place: what looks chosen is what has the cursor. (With
        the list still shown, "+ Not on the list" looked highlighted while the cursor was
        in Name; Enter, taken for choosing it, moved on to Role, where the name went.)"""
        self.query_one(OptionList).display = False
        self.query_one("#who-add").add_class("shown")
        self.query_one("#who-keys", Label).update(
            BACK_KEYS if self.members else self._not_now(ADD_KEYS)
        )
        self.set_focus(self.query_one("#who-name", Input))

    def _show_list(self) -> None:
        options = self.query_one(OptionList)
        options.display = True
        self.query_one("#who-add").remove_class("shown")
        self.query_one("#who-keys", Label).update(self._pick_keys())
        options.focus()

    def _pick_keys(self) -> str:
        return self._not_now(PICK_KEYS)

    def _not_now(self, keys: str) -> str:
        """``keys``, and what Escape's "not now" leaves on the records while nobody is
        chosen."""
        if not self.unnamed_as:
            return keys
        off_team = bool(self.members) and self.unnamed_as not in self.members
        return (
            f"{keys}\n{(NOT_NOW_OFF_TEAM if off_team else NOT_NOW).format(login=self.unnamed_as)}"
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_index == 0:
            self._show_form()
            return
        self.dismiss(self.members[event.option_index - 1])

    def action_next_field(self) -> None:
        focused = self.focused
        if isinstance(focused, OptionList):
            focused.action_select()
            return
        if not isinstance(focused, Input) or focused.id not in ADD_FIELDS:
            return
        if focused.id == ADD_FIELDS[-1]:
            self.action_add_me()
            return
        # On at once, so that the keys typed next go to the next field; what Enter left
        # is looked at once the keys sent to it have landed (a fast typist's name may
        # still be on its way when Enter is read: its value is not yet the name).
        following = ADD_FIELDS[ADD_FIELDS.index(focused.id) + 1]
        self.set_focus(self.query_one(f"#{following}", Input))
        focused.call_later(self._left, focused)

    def _left(self, field: Input) -> None:
        """Enter on an empty Name stays there: the name typed next goes into Name."""
        if field.id == "who-name" and not field.value.strip():
            self._reason("type your name first")
            self.set_focus(field)

    def action_add_me(self) -> None:
        if not self.query_one("#who-add").has_class("shown"):
            return
        from irp_field.tui.typed import when_typed

        when_typed(self, self._add)

    def _add(self) -> None:
        from irp_field.api import setup

        body = self.query_one("#who-body", Input)
        body.value = vocabulary.completed(body.value, vocabulary.BODIES)
        typed = {name: self.query_one(f"#{name}", Input).value for name in ADD_FIELDS}
        app = cast("IrpApp", self.app)
        if self._a_slip(typed["who-name"].strip()):
            return
        try:
            setup.add_team_member(
                app.visit, typed["who-name"], role=typed["who-role"], body=typed["who-body"]
            )
        except RecordRefused as error:
            # the reasons under the form (a line beside a field is too narrow for the
            # bodies' list), the cursor on the first field they name (a body not chosen)
            self._reason("; ".join(f"{v.field.capitalize()}: {v.message}" for v in error.verdicts))
            named = [v.field for v in error.verdicts if f"who-{v.field}" in ADD_FIELDS]
            if named:
                self.set_focus(self.query_one(f"#who-{named[0]}", Input))
            return
        except IrpError as error:
            self._reason(str(error))
            return
        self.dismiss(typed["who-name"].strip())

    def _a_slip(self, name: str) -> bool:
        """Whether ``name`` is a slip of a team member's ("Jade Richard"), asked about:
        y is that member; n goes back to the form, where ctrl+s adds the name as typed
        (someone new whose name is near a member's)."""
        from irp_field.api.visits import member_meant

        meant = member_meant(cast("IrpApp", self.app).visit, name) if name else None
        if meant is None or name == self.not_a_slip:
            return False

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(meant)
                return
            self.not_a_slip = name
            self._reason(f"ctrl+s adds {name!r} to the team as someone new.")
            self.set_focus(self.query_one("#who-name", Input))

        from irp_field.tui.dialogs.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen(
                f"{name!r} is not on the team; did you mean {meant!r}?",
                hint=f"y: yes, I am {meant}   n or Escape: no, back to the form",
            ),
            answered,
        )
        return True

    def _reason(self, text: str) -> None:
        self.query_one("#who-reason", Label).update(Text(text))

    def action_dismiss_none(self) -> None:
        if self.members and self.query_one("#who-add").has_class("shown"):
            self._show_list()  # chosen by mistake: back to the names
            return
        self.dismiss(None)
