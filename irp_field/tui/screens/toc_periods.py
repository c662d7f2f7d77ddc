"""The time-out-of-cell screen's ground: what its fields hold as the rules read them,
and the day's table of periods (Enter opens one to change, Delete, ctrl+r puts the
whole day in one group, ctrl+z, h). The form itself: ``time_out_of_cell``."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Static

from irp_field.api import links
from irp_field.api import time_out_of_cell as time_out_of_cell_api
from irp_field.api.views.time_out_of_cell import DayState
from irp_field.domain import fields
from irp_field.domain.vocabulary import ACTIVITIES, complete
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.dialogs.plan_links import link_to_plan_items
from irp_field.tui.undo import Undoable
from irp_field.tui.widgets.table import Table


class PeriodsTable(Table):
    """The day's periods. Its keys lead the key line while it has the cursor (Enter,
    Delete and h were cut off the end at 80 columns, behind the form's keys)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Change"),
        Binding("delete", "screen.delete_period", "Delete"),
        Binding("h", "screen.history", "History"),
    ]


class DayScreen(VisitScreen):
    """One subject's day: the fields read as the rules take them, and its periods."""

    DELETED_KIND = "period"  # ctrl+z with nothing to undo offers these, deleted before

    def __init__(self) -> None:
        super().__init__()
        self.state: DayState | None = None
        self.editing: time_out_of_cell_api.Period | None = None  # the period the form shows, if any
        self._cursor_on: str | None = None
        self._dates = ("", "")  # the visit's first and last day: a day typed short is of them

    def load_day(self, averages: bool = True) -> None:
        """Look up the day typed (``TimeOutOfCellScreen``)."""
        raise NotImplementedError

    def _input(self, name: str) -> Input:
        return self.query_one(f"#{name}", Input)

    def _text(self, name: str) -> str:
        """What a field holds, as the rules take it: the day typed short (``15``,
        ``Tue``) as its date, an activity's first letters as the activity."""
        text = self._input(name).value.strip()
        if name == "on_date":
            try:
                return fields.visit_day(text, *self._dates)
            except ValueError:
                return text
        if name == "activity":
            return (complete(text, ACTIVITIES) or text).replace("_", " ") if text else text
        return text

    def day_refused(self) -> str:
        """Why the day typed is none, in the words of the rule that reads a typed day
        (``15``, ``Tue``: a day of the visit), as the round dialog says it; "" if it is one."""
        try:
            fields.visit_day(self._input("on_date").value, *self._dates)
        except ValueError as error:
            return str(error)
        return ""

    def _typed_day(self) -> tuple[str, str]:
        """The subject and date typed now (the date empty until it is a real one)."""
        try:
            on_date = fields.date(self._text("on_date"))
        except ValueError:
            on_date = ""
        return self._text("subject"), on_date

    # -- the day's periods ------------------------------------------------------------

    def _table_period(self) -> time_out_of_cell_api.Period | None:
        table = self.query_one("#periods", DataTable)
        if table.row_count == 0 or self.state is None:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((p for p in self.state.periods if p.id == row_key.value), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a period: its times and activity in the form, to change."""
        period = self._table_period()
        if period is None:
            return
        self.editing = period
        for name, value in (
            ("start", period.start), ("end", period.end),
            ("activity", period.activity.replace("_", " ")),
        ):  # fmt: skip
            with self._input(name).prevent(Input.Changed):
                self._input(name).value = value
        self.query_one("#day-total", Static).update(
            f"Editing {period.start}-{period.end}: ctrl+s saves the change"
        )
        self.set_focus(self._input("start"))

    def action_delete_period(self) -> None:
        period = self._table_period()
        if period is None:
            return
        what = f"{period.start}-{period.end} {period.activity.replace('_', ' ')}"

        def answered(yes: bool | None) -> None:
            if yes and self.undoable(
                lambda: time_out_of_cell_api.delete_period(self.irp.visit, period.id),
                f"the delete of {what}",
                where=period.id,
                doing="deleted",
            ):
                self.notify("Period deleted; ctrl+z brings it back.")
                self.load_day()

        self.app.push_screen(ConfirmScreen(f"Delete {what}?"), answered)

    def action_regroup(self) -> None:
        """The day's periods all into the group typed (a day counts in one group)."""
        subject, on_date = self._typed_day()
        group = self._text("group")
        if not (subject and on_date and group and self.state and self.state.periods):
            self.notify("Type the subject, the day and the group for the whole day first.")
            return

        def answered(yes: bool | None) -> None:
            if yes and self.undoable(
                lambda: time_out_of_cell_api.regroup_day(self.irp.visit, subject, on_date, group),
                f"the group of {subject}'s day",
            ):
                self.notify(f"{subject}'s day on {on_date} is in group {group} now.")
                self.load_day()

        question = f"Put all of {subject}'s periods on {on_date} in group {group!r}?"
        self.app.push_screen(ConfirmScreen(question, hint="y: yes   n or Escape: no"), answered)

    def action_link_day(self) -> None:
        """The subject's day (all its periods) linked to the plan items it is evidence for."""
        subject, on_date = self._typed_day()
        state = self.state
        if not (state and state.periods and (state.subject, state.on_date) == (subject, on_date)):
            self.notify("A day is linked to plan items once it has a period: save one first.")
            return
        visit = self.irp.visit
        link_to_plan_items(
            self, f"{subject}'s day {on_date}", links.day_plan_refs(visit, subject, on_date),
            lambda refs: links.link_day(visit, subject, on_date, refs),
        )  # fmt: skip

    def undone(self, what: Undoable) -> None:
        self._cursor_on = what.where if isinstance(what.where, str) else None
        self.load_day()

    def action_history(self) -> None:
        period = self._table_period()
        if period is not None and self.state is not None:
            what = (
                f"{self.state.subject}'s period {period.start}-{period.end} on {self.state.on_date}"
            )
            self.show_history("toc_period", period.id, what)
