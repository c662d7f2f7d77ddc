"""A new visit, from Home (ctrl+n): establishment and dates, checked by the API's rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from irp_field.api import visits
from irp_field.domain.errors import IrpError
from irp_field.domain.visit import details_verdicts
from irp_field.tui.widgets.field_row import FieldRow, cursor_to_refused

if TYPE_CHECKING:
    from irp_field.tui.app import IrpApp

NEW_FIELDS = ("establishment", "start", "end")


class NewVisitScreen(ModalScreen[Path | None]):
    """Establishment and dates; the file goes into the data folder, named after them."""

    DEFAULT_CSS = """
    NewVisitScreen {
        align: center middle;
        #new-visit { width: 76; height: auto; border: thick $primary; padding: 0 1; }
        #new-visit FieldRow { margin: 0; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next_field", "Next field", show=False, priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="new-visit"):
            yield Label("A new visit")
            yield FieldRow("Establishment", "establishment", placeholder="e.g. HMP Hull", wide=True)
            yield FieldRow("First day", "start", placeholder="YYYY-MM-DD")
            yield FieldRow("Last day", "end", placeholder="YYYY-MM-DD")
            yield Label("Enter: next field, and creates on the last   Escape: cancel")

    @on(Input.Changed)
    def _corrected(self) -> None:
        """A field said to be refused is judged again as it is typed: its refusal goes
        once it is put right (it stayed beside the corrected date), and never quotes
        what was typed before. A field not refused yet is judged on Enter."""
        rows = [self.query_one(f"#row-{name}", FieldRow) for name in NEW_FIELDS]
        if not any(row.reason for row in rows):
            return
        text = {name: self.query_one(f"#{name}", Input).value.strip() for name in NEW_FIELDS}
        reasons: dict[str, str] = {}
        for verdict in details_verdicts(*text.values())[1]:
            reasons.setdefault(verdict.field, verdict.message)
        for row in rows:
            if row.reason:
                row.set_reason(reasons.get(row.field_name, ""))

    def action_next_field(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input) or focused.id not in NEW_FIELDS:
            raise SkipAction()
        if focused.id == NEW_FIELDS[-1]:
            self.create()
            return
        self.set_focus(self.query_one(f"#{NEW_FIELDS[NEW_FIELDS.index(focused.id) + 1]}", Input))

    def create(self) -> None:
        """The same rules as ``irp-field new`` (the API's), each reason beside its field."""
        text = {name: self.query_one(f"#{name}", Input).value.strip() for name in NEW_FIELDS}
        details, found = details_verdicts(text["establishment"], text["start"], text["end"])
        reasons: dict[str, str] = {}
        for verdict in found:
            reasons.setdefault(verdict.field, verdict.message)
        target = visits.suggested_path(details.establishment, details.start)
        if not reasons and target.exists():
            reasons["establishment"] = f"{target.name} exists already: open it from the list"
        for name in NEW_FIELDS:
            self.query_one(f"#row-{name}", FieldRow).set_reason(reasons.get(name, ""))
        if reasons:
            first = next(name for name in NEW_FIELDS if name in reasons)
            cursor_to_refused(self, self.query_one(f"#{first}", Input))
            return
        try:
            visits.create_visit(
                target,
                establishment=details.establishment,
                start=details.start,
                end=details.end,
                user=cast("IrpApp", self.app).user,
            ).close()
        except IrpError as error:
            self.query_one("#row-establishment", FieldRow).set_reason(str(error))
            cursor_to_refused(self)
            return
        self.dismiss(target)

    def action_cancel(self) -> None:
        self.dismiss(None)
