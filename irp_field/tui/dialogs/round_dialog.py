"""Start a round, or rename one and change its day and time: a small dialog. A new
round's suggested name follows the day and time typed (a round typed up from paper:
Enter on the name, its time, Enter), until the name is typed over."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from irp_field.domain import fields
from irp_field.domain.verdicts import Verdict
from irp_field.tui.widgets.field_row import FieldRow, cursor_to_refused

if TYPE_CHECKING:
    from irp_field.domain.rounds import RoundEntry
    from irp_field.tui.app import IrpApp

ROUND_FIELDS = ("round-name", "round-day", "round-time")
# the field beside which a rule's verdict is said (the name's, unless the day's or time's)
_FIELD_OF: defaultdict[str, str] = defaultdict(
    lambda: "round-name", {"on_date": "round-day", "at_time": "round-time"}
)


@dataclass(frozen=True)
class TypedRound:
    name: str
    on_date: str
    at_time: str
    verdicts: list[Verdict]  # what the rules said (refusals excluded: shown in the dialog)


class RoundDialog(ModalScreen[TypedRound | None]):
    """Name (suggested from the time), day and time of a round."""

    DEFAULT_CSS = """
    RoundDialog {
        align: center middle;
        #round-box { width: 70; max-width: 100%; height: auto; border: thick $primary;
                     padding: 0 1; }
        #round-box FieldRow { margin: 0; }
        #round-box FieldRow > .field-label { width: 8; }
        #round-box > Label { width: 100%; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", "Keep", priority=True),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        name: str,
        on_date: str,
        at_time: str,
        round_id: str = "",
        namer: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.typed = (name, on_date, at_time)
        self.round_id = round_id
        self.namer = namer  # a new round's name for a moment (YYYY-MM-DDTHH:MM)
        self.suggested = name
        self.dates = ("", "")  # the visit's first and last day: a day typed short is of them

    def compose(self) -> ComposeResult:
        with Vertical(id="round-box"):
            yield Label(self.title_text)
            yield FieldRow("Name", "round-name", placeholder="e.g. Tue PM", wide=True)
            yield FieldRow("Day", "round-day", placeholder="15, Tue or YYYY-MM-DD")
            yield FieldRow("Time", "round-time", placeholder="HH:MM")
            yield Label("Enter: next field, and keeps it on the last   Escape: cancel")

    def on_mount(self) -> None:
        from irp_field.api.visits import visit_dates

        dates = visit_dates(cast("IrpApp", self.app).visit)
        self.dates = (dates.start, dates.end)
        for name, value in zip(ROUND_FIELDS, self.typed, strict=True):
            self.query_one(f"#{name}", Input).value = value
        first = self.query_one("#round-name", Input)
        self.set_focus(first)
        first.select_all()  # typing replaces the suggested name

    @on(Input.Changed, "#round-day, #round-time")
    def _renamed(self) -> None:
        """The suggested name follows the day and time, until it is typed over."""
        name = self.query_one("#round-name", Input)
        if self.namer is None or name.value != self.suggested:
            return
        try:
            on_date = fields.visit_day(self.query_one("#round-day", Input).value, *self.dates)
            at_time = fields.time_of_day(self.query_one("#round-time", Input).value)
        except ValueError:
            return
        self.suggested = self.namer(f"{on_date}T{at_time}")
        with name.prevent(Input.Changed):
            name.value = self.suggested

    def _judged(self) -> tuple[RoundEntry, list[Verdict], dict[str, str]]:
        """The round as typed, through the API's rules, and each field's refusal. The day
        is read as every form reads a day a person types (``fields.visit_day``: ``15``,
        ``Tue``, YYYY-MM-DD); the API, as a file, takes it whole."""
        from irp_field.api import rounds

        name, day, at_time = (self.query_one(f"#{n}", Input).value for n in ROUND_FIELDS)
        try:
            on_date, day_refused = fields.visit_day(day, *self.dates), ""
        except ValueError as error:
            on_date, day_refused = day, str(error)
        visit = cast("IrpApp", self.app).visit
        entry, found = rounds.round_verdicts(visit, name, on_date, at_time, self.round_id)
        reasons = {_FIELD_OF[v.field]: v.message for v in found if v.refuses}
        if day_refused:
            reasons["round-day"] = day_refused
        return entry, found, reasons

    @on(Input.Changed)
    def _corrected(self) -> None:
        """A field said to be refused is judged again as it is typed: its refusal goes
        once it is put right (it stayed beside the corrected day), and never quotes what
        was typed before. A field not refused yet is judged on Enter."""
        rows = [self.query_one(f"#row-{name}", FieldRow) for name in ROUND_FIELDS]
        if not any(row.reason for row in rows):
            return
        reasons = self._judged()[2]
        for row in rows:
            if row.reason:
                row.set_reason(reasons.get(row.field_name, ""))

    def action_next_field(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input) or focused.id not in ROUND_FIELDS:
            raise SkipAction()
        if focused.id == ROUND_FIELDS[-1]:
            self.action_keep()
            return
        following = ROUND_FIELDS[ROUND_FIELDS.index(focused.id) + 1]
        self.set_focus(self.query_one(f"#{following}", Input))

    def action_keep(self) -> None:
        from irp_field.tui.typed import when_typed

        when_typed(self, self._keep)

    def _keep(self) -> None:
        entry, found, reasons = self._judged()
        for field in ROUND_FIELDS:
            self.query_one(f"#row-{field}", FieldRow).set_reason(reasons.get(field, ""))
        if reasons:
            first = next(field for field in ROUND_FIELDS if field in reasons)
            cursor_to_refused(self, self.query_one(f"#{first}", Input))
            return
        self.dismiss(
            TypedRound(
                entry.name, entry.on_date, entry.at_time, [v for v in found if not v.refuses]
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
