"""Time out of cell: a subject's day as periods (start, end, activity), typed a few keys each.

Enter moves from field to field and saves on the activity; each field says beside it why
its text is refused. The day's total counts overlapping periods once, as the figures do.

Typing in the subject and date fields looks the day up after a pause (DAY_PAUSE, a timer
restarted on each change) or at once on Enter, and never recomputes the toc.* averages:
those are worked out when the screen opens, on refresh and after a save or a delete.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static

from irp_field.api import evidence as store
from irp_field.api import findings as figures
from irp_field.api.unsaved import Typed
from irp_field.api.visits import Visit as VisitFile
from irp_field.domain import fields
from irp_field.domain import time_out_of_cell as rules
from irp_field.domain.verdicts import Verdict
from irp_field.domain.vocabulary import ACTIVITIES, choose
from irp_field.tui.screens.confirm import ConfirmScreen
from irp_field.tui.visit_screen import Undoable, VisitScreen
from irp_field.tui.widgets.field_row import FieldRow
from irp_field.tui.widgets.key_line import KeyLine

FIELD_ORDER = ("subject", "on_date", "group", "start", "end", "activity")
DAY_FIELDS = ("subject", "on_date", "group")
PERIOD_FIELDS = ("start", "end", "activity")
FIELD_LABELS = {
    "subject": "Subject", "on_date": "Date", "group": "Group", "start": "Start", "end": "End",
    "activity": "Activity",
}  # fmt: skip
DAY_PAUSE = 0.3  # seconds without typing in the subject or date before the day is looked up


@dataclass(frozen=True)
class GroupAverage:
    group: str
    hours_per_day: str
    open_air_per_day: str
    days: int


@dataclass(frozen=True)
class DayState:
    subject: str
    on_date: str
    periods: list[store.Period]
    subjects: list[str]
    groups: list[str]
    latest_group: str  # the subject's group on their latest day, to preselect


def group_averages(visit: VisitFile) -> list[GroupAverage]:
    """The toc.by_group.* figures, one line a group."""
    computed = list(figures.toc_figures(visit))
    by_group: dict[str, dict[str, figures.Figure]] = {}
    for figure in computed:
        if figure.key.startswith("toc.by_group.") and figure.about:
            by_group.setdefault(figure.about, {})[figure.key.rsplit(".", 1)[1]] = figure
    return [
        GroupAverage(
            group,
            found["hours_per_day"].display,
            found["open_air_minutes_per_day"].display,
            int(found["subject_days"].value or 0),
        )
        for group, found in by_group.items()
    ]


def read_day(visit: VisitFile, subject: str, on_date: str) -> DayState:
    """The subject's periods that day (none until both are typed), and what to suggest."""
    periods = store.day(visit, subject, on_date) if subject and on_date else []
    latest = store.latest_day(visit, subject) if subject else None
    return DayState(
        subject,
        on_date,
        periods,
        store.subjects(visit),
        store.groups(visit),
        latest[1] if latest else "",
    )


def activity_word(text: str) -> str:
    """An activity as typed ('open air', 'Gym') or the reason it is refused."""
    return choose(text.strip().replace(" ", "_"), ACTIVITIES, "activity")


class TimeOutOfCellScreen(VisitScreen):
    """Follow one subject's day: who, which day, which group, then period after period."""

    TITLE = "Time out of cell"

    DEFAULT_CSS = """
    TimeOutOfCellScreen {
        #day-total { height: 1; margin: 0 1; text-style: bold; }
        #periods { height: 1fr; }
        #averages { height: auto; max-height: 6; margin: 0 1; }
    }
    """
    AUTO_FOCUS = "#subject"
    FIRST_FIELD = "subject"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save period", priority=True),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+r", "regroup", "Day's group"),
        Binding("delete", "delete_period", "Delete"),
        Binding("h", "history", "History"),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
        Binding("shift+tab", "previous_field", "Previous field", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state: DayState | None = None
        self.editing: store.Period | None = None  # the period the form shows, if any
        self._day_timer: Timer | None = None
        self._cursor_on: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield FieldRow("Subject", "subject", placeholder="pseudonym, e.g. C01", wide=True)
        yield FieldRow("Date", "on_date", placeholder="YYYY-MM-DD")
        yield FieldRow("Group", "group", placeholder="e.g. Unemployed", wide=True)
        yield FieldRow("Start", "start", placeholder="HH:MM")
        yield FieldRow("End", "end", placeholder="HH:MM")
        yield FieldRow("Activity", "activity", placeholder="e.g. work", wide=True)
        yield Static("Type a subject to follow their day.", id="day-total")
        yield DataTable(id="periods", cursor_type="row")
        yield Static("", id="averages")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#periods", DataTable).add_columns("Start", "End", "Activity", "Minutes")
        self.query_one("#activity", Input).suggester = SuggestFromList(
            [a.replace("_", " ") for a in ACTIVITIES]
        )
        # today in the visit, else its last day (a day followed on paper, typed up later)
        when = store.default_moment(self.irp.visit, self.irp.clock())
        with self._input("on_date").prevent(Input.Changed):
            self._input("on_date").value = when[:10]
        self.load_day()

    def on_screen_resume(self) -> None:
        self.load_day()

    def file_changed(self) -> None:
        self.load_day()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("delete_period", "history"):
            table = self.query_one("#periods", DataTable)
            return (table.has_focus and table.row_count > 0) or None
        return True

    def _input(self, name: str) -> Input:
        return self.query_one(f"#{name}", Input)

    def _text(self, name: str) -> str:
        return self._input(name).value.strip()

    # -- loading ---------------------------------------------------------------------

    def load_day(self, averages: bool = True) -> None:
        """Look up the day typed, and (unless only the subject or date changed) the
        averages by group: the toc.* figures, the slow part."""
        subject, on_date = self._typed_day()
        self.load(
            lambda visit: read_day(visit, subject, on_date), then=self.show_day, group="toc-day"
        )
        if averages:
            self.load(group_averages, then=self.show_averages, group="toc-averages")

    def _typed_day(self) -> tuple[str, str]:
        """The subject and date typed now (the date empty until it is a real one)."""
        try:
            on_date = fields.date(self._text("on_date"))
        except ValueError:
            on_date = ""
        return self._text("subject"), on_date

    def show_day(self, state: DayState) -> None:
        if (state.subject, state.on_date) != self._typed_day():
            # Typed over since the look-up began (and its newer look-up waits for the
            # pause): that one shows the day typed.
            return
        self.state = state
        self._input("subject").suggester = SuggestFromList(state.subjects, case_sensitive=False)
        self._input("group").suggester = SuggestFromList(state.groups, case_sensitive=False)
        group = self._input("group")
        if not group.value.strip() and (state.periods or state.latest_group):
            with group.prevent(Input.Changed):
                group.value = state.periods[0].group if state.periods else state.latest_group
        table = self.query_one("#periods", DataTable)
        at = table.cursor_row
        table.clear()
        for period in state.periods:
            table.add_row(
                period.start,
                period.end,
                period.activity.replace("_", " "),
                str(period.minutes),
                key=period.id,
            )
        ids = [period.id for period in state.periods]
        if self._cursor_on in ids:
            table.move_cursor(row=ids.index(self._cursor_on))
        elif table.row_count:
            table.move_cursor(row=min(at, table.row_count - 1))
        self._cursor_on = None
        if self.editing is not None and self.editing.id not in ids:
            self.editing = None
        self._show_total()
        self._show_reasons(self._reasons(final=False))

    def show_averages(self, averages: list[GroupAverage]) -> None:
        lines = [
            f"{a.group}: {a.hours_per_day} a day, {a.open_air_per_day} outside ({a.days} days)"
            for a in averages
        ]
        self.query_one("#averages", Static).update(
            Text("\n".join(lines) if lines else "Averages by group: none yet.")
        )

    def _show_total(self) -> None:
        total = self.query_one("#day-total", Static)
        state = self.state
        if state is None or not state.subject:
            total.update("Type a subject to follow their day.")
            return
        if not state.on_date:
            total.update("Type the day (YYYY-MM-DD).")
            return
        total.update(store.day_totals(state.periods).said(state.subject, state.on_date))

    # -- checking where it is typed -------------------------------------------------

    def _verdicts(self) -> list[Verdict]:
        """The domain's rules on the period as typed (and the group of the day shown)."""
        text = {name: self._text(name) for name in FIELD_ORDER}
        entry, found = rules.period_verdicts(
            text["on_date"],
            text["subject"],
            text["group"],
            text["start"],
            text["end"],
            text["activity"],
        )
        state = self.state
        if (
            state is not None
            and state.periods
            and state.subject == entry.subject
            and state.on_date == entry.on_date
        ):
            found += rules.group_verdicts(
                entry.subject, entry.on_date, entry.group, state.periods[0].group, "the visit file"
            )
        return found

    def _reasons(self, *, final: bool) -> dict[str, str]:
        """field -> why its text is refused; while typing, fields not typed yet are left alone."""
        reasons: dict[str, str] = {}
        for verdict in self._verdicts():
            if not verdict.refuses:
                continue
            name = "on_date" if verdict.field == "date" else verdict.field
            if final or self._text(name):
                reasons.setdefault(name, verdict.message)
        return reasons

    def _show_reasons(self, reasons: dict[str, str]) -> None:
        for name in FIELD_ORDER:
            self.query_one(f"#row-{name}", FieldRow).set_reason(reasons.get(name, ""))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id in ("subject", "on_date"):
            self._stop_day_timer()
            self._day_timer = self.set_timer(DAY_PAUSE, self._look_up_day)
        self._show_reasons(self._reasons(final=False))

    def _stop_day_timer(self) -> None:
        if self._day_timer is not None:
            self._day_timer.stop()
            self._day_timer = None

    def _look_up_day(self) -> None:
        """The day of the subject and date as typed, without the averages."""
        self._stop_day_timer()
        self.load_day(averages=False)

    def _focused_field(self) -> str:
        focused = self.focused
        if isinstance(focused, Input) and focused.id in FIELD_ORDER:
            return focused.id
        raise SkipAction()

    def action_next_field(self) -> None:
        name = self._focused_field()
        field = self._input(name)
        # Enter takes the suggestion shown (a known subject, group or activity).
        if field._suggestion and field._suggestion != field.value:
            field.value = field._suggestion
        if name == "activity":
            self.action_save()
            return
        if name in ("subject", "on_date") and self._day_timer is not None:
            self._look_up_day()  # Enter does not wait for the pause
        following = self._input(FIELD_ORDER[FIELD_ORDER.index(name) + 1])
        self.move_on_unless_refused(field, following, lambda: name in self._reasons(final=False))

    def action_previous_field(self) -> None:
        name = self._focused_field()
        if name == FIELD_ORDER[0]:
            raise SkipAction()
        self.set_focus(self._input(FIELD_ORDER[FIELD_ORDER.index(name) - 1]))

    # -- saving, editing and deleting ---------------------------------------------------

    def action_save(self) -> None:
        self.when_typed(self._save_typed)

    def _save_typed(self) -> None:
        reasons = self._reasons(final=True)
        self._show_reasons(reasons)
        if reasons:
            first = next(name for name in FIELD_ORDER if name in reasons)
            self.set_focus(self._input(first))
            self.notify("Not saved: " + reasons[first], severity="error")
            return
        visit = self.irp.visit
        typed = {name: self._text(name) for name in FIELD_ORDER}
        _, found = store.period_verdicts(
            visit,
            subject=typed["subject"],
            on_date=typed["on_date"],
            group=typed["group"],
            start=typed["start"],
            end=typed["end"],
            activity=typed["activity"],
        )
        self.save_when_confirmed(found, lambda confirmed: self._save(typed, confirmed))

    def _save(self, typed: dict[str, str], confirmed: bool) -> bool:
        """Save the period (``api.typed_writes.period``); while the file is busy it
        waits, kept, and the form moves on once it is saved (``tui.unsaved``)."""
        editing = self.editing
        args: dict[str, object] = {
            **typed,
            "period_id": editing.id if editing else "",
            "allow_outside_visit": confirmed,
        }
        what = "the change to the period" if editing else "the period"
        label = f"{what} {typed['start']}-{typed['end']} of {typed['subject']}"
        day = "|".join(typed[name] for name in ("subject", "on_date", "start", "end"))
        key = f"period:{editing.id}" if editing else f"period:new:{day}"
        shown = tuple((FIELD_LABELS[name], typed[name]) for name in FIELD_ORDER)
        return self.save_typed(
            Typed(key, "period", label, args, shown),
            lambda saved: self._saved_period(typed, str(saved)),
            label=label,
        )

    def _saved_period(self, typed: dict[str, str], saved: str) -> None:
        self.undo_stack[-1:] = [replace(self.undo_stack[-1], where=saved)]
        self.editing = None
        end = fields.time_of_day(typed["end"])
        for name in PERIOD_FIELDS:
            with self._input(name).prevent(Input.Changed):
                self._input(name).value = ""
        with self._input("start").prevent(Input.Changed):
            self._input("start").value = end  # the next period often starts where this ended
        self.notify(f"Saved a period for {typed['subject']}.")
        self.set_focus(self._input("start"))
        self._cursor_on = saved
        self.load_day()

    def _table_period(self) -> store.Period | None:
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
                lambda: store.delete_period(self.irp.visit, period.id),
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
                lambda: store.regroup_day(self.irp.visit, subject, on_date, group),
                f"the group of {subject}'s day",
            ):
                self.notify(f"{subject}'s day on {on_date} is in group {group} now.")
                self.load_day()

        question = f"Put all of {subject}'s periods on {on_date} in group {group!r}?"
        self.app.push_screen(ConfirmScreen(question, hint="y: yes   n or Escape: no"), answered)

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
