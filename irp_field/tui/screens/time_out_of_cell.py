"""Time out of cell: a subject's day as periods (start, end, activity), typed a few keys each.

Enter moves from field to field and saves on the activity; each field says beside it why
its text is refused. The day's total counts overlapping periods once, as the figures do.
Typed as paper has it: a time as ``0900``, ``9:30`` or ``9.30``, the day as ``15`` or
``Tue`` (a day of the visit), an activity by its first letters. After a save the next
period starts where it ended, the cursor in End (shift+tab goes back to Start). Another
subject starts afresh: the group that subject had before (or none) and no times; another
day, no times.
ctrl+k links the day (all its periods) to the plan items it is evidence for.

Typing in the subject and date fields looks the day up after a pause (DAY_PAUSE, a timer
restarted on each change) or at once on Enter, and never recomputes the toc.* averages:
those are worked out when the screen opens, on refresh and after a save or a delete.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static

from irp_field.api import notes
from irp_field.api import time_out_of_cell as time_out_of_cell_api
from irp_field.api.unsaved import Typed
from irp_field.api.views.time_out_of_cell import (
    DayState,
    GroupAverage,
    group_averages,
    read_day,
)
from irp_field.api.visits import visit_dates
from irp_field.domain import fields
from irp_field.domain import time_out_of_cell as rules
from irp_field.domain.verdicts import Verdict
from irp_field.domain.visit import VisitDates
from irp_field.domain.vocabulary import ACTIVITIES
from irp_field.tui.screens.toc_periods import DayScreen, PeriodsTable
from irp_field.tui.widgets.field_row import FieldRow, TypedInput
from irp_field.tui.widgets.key_line import KeyLine

FIELD_ORDER = ("subject", "on_date", "group", "start", "end", "activity")
DAY_FIELDS = ("subject", "on_date", "group")
PERIOD_FIELDS = ("start", "end", "activity")
FIELD_LABELS = {
    "subject": "Subject", "on_date": "Date", "group": "Group", "start": "Start", "end": "End",
    "activity": "Activity",
}  # fmt: skip
DAY_PAUSE = 0.3  # seconds without typing in the subject or date before the day is looked up


def time_typed(text: str) -> str:
    """A time as typed, as HH:MM ('' when it is none)."""
    try:
        return fields.time_of_day(text)
    except ValueError:
        return ""


class TimeOutOfCellScreen(DayScreen):
    """Follow one subject's day: who, which day, which group, then period after period."""

    TITLE = "Time out of cell"

    DEFAULT_CSS = """
    TimeOutOfCellScreen {
        /* room beside the fields for the reasons they are refused, whole at 80x24 */
        FieldRow > .field-label { width: 10; }
        FieldRow > Input.wide { width: 22; }
        #activity { width: 14; }  /* "association" */
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
        Binding("ctrl+k", "link_day", "Link day", priority=True),  # over a field's ctrl+k
        # Delete and h are the table's keys (``PeriodsTable``, first on the key line while
        # it has the cursor); listed here for F1
        Binding("delete", "delete_period", "Delete"),
        Binding("h", "history", "History"),
        # ctrl+space reaches a program as ctrl+@ (NUL) in most terminals (tmux, xterm)
        Binding("ctrl+space,ctrl+@", "activities", "List the activities", show=False),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
        Binding("shift+tab", "previous_field", "Previous field", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._day_timer: Timer | None = None
        self._left: set[str] = set()  # fields Enter left: judged even when empty
        self._start_filled = ""  # the start the form filled in (the last period's end)

    def compose(self) -> ComposeResult:
        yield Header()
        yield FieldRow("Subject", "subject", placeholder="pseudonym, e.g. C01", wide=True)
        yield FieldRow("Date", "on_date", placeholder="YYYY-MM-DD")
        yield FieldRow("Group", "group", placeholder="e.g. Unemployed", wide=True)
        yield FieldRow("Start", "start", placeholder="HH:MM")
        yield FieldRow("End", "end", placeholder="HH:MM")
        yield FieldRow("Activity", "activity", placeholder="e.g. work")
        yield Static("Type a subject to follow their day.", id="day-total")
        yield PeriodsTable(id="periods", cursor_type="row")
        yield Static("", id="averages")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#periods", DataTable).add_columns("Start", "End", "Activity", "Minutes")
        self.query_one("#activity", Input).suggester = SuggestFromList(
            [a.replace("_", " ") for a in ACTIVITIES], case_sensitive=False
        )
        dates = visit_dates(self.irp.visit)
        self._dates = (dates.start, dates.end)
        # today in the visit, else its last day (a day followed on paper, typed up later)
        when = notes.default_moment(self.irp.visit, self.irp.clock())
        with self._input("on_date").prevent(Input.Changed):
            self._input("on_date").value = when[:10]
        self.load_day()

    def on_screen_resume(self) -> None:
        self.load_day()

    def file_changed(self) -> None:
        self.load_day()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in ("delete_period", "history", "next_field"):
            return True
        table = self.query_one("#periods", DataTable)
        if action == "next_field":
            return not table.has_focus  # Enter on the table is its own (Change), said so
        return (table.has_focus and table.row_count > 0) or None

    # -- loading ---------------------------------------------------------------------

    def load_day(self, averages: bool = True) -> None:
        """Look up the day typed, and (unless only the subject or date changed) the
        averages by group: the toc.* figures, the slow part."""
        subject, on_date = self._typed_day()
        self.load(
            lambda visit: read_day(visit, subject, on_date), then=self.show_day, group="toc-day"
        )
        if averages:
            # beside the form, and slow: the keys typed next never wait on it
            self.load(
                group_averages, then=self.show_averages, group="toc-averages", keys_wait=False
            )

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
            f"{a.group}: {a.hours_per_day} a day, {a.open_air_per_day} outside "
            f"({a.days} day{'' if a.days == 1 else 's'})"
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
        total.update(
            time_out_of_cell_api.day_totals(state.periods).said(state.subject, state.on_date)
        )

    # -- checking where it is typed -------------------------------------------------

    def _verdicts(self) -> list[Verdict]:
        """The domain's rules on the period as typed (``time_out_of_cell.verdicts``, as
        the save and every other path), the group of the day as shown: read with the
        day, not asked of the file at each key."""
        text = {name: self._text(name) for name in FIELD_ORDER}
        state = self.state

        def day_group(subject: str, on_date: str) -> tuple[str, str]:
            if (
                state is None
                or not state.periods
                or (state.subject, state.on_date)
                != (
                    subject,
                    on_date,
                )
            ):
                return "", ""
            return state.periods[0].group, "the visit file"

        period = rules.Period(
            text["on_date"], text["subject"], text["group"], text["start"], text["end"],
            text["activity"],
        )  # fmt: skip
        dates = VisitDates(*self._dates)
        return rules.verdicts(period, rules.PeriodContext(dates, day_group))[1]

    def _reasons(self, *, final: bool) -> dict[str, str]:
        """field -> why its text is refused; while typing, fields not typed yet are left alone."""
        reasons: dict[str, str] = {}
        for verdict in self._verdicts():
            if not verdict.refuses:
                continue
            name = "on_date" if verdict.field == "date" else verdict.field
            left = name in self._left and not self._day_pending(name)
            if final or self._text(name) or left:
                said = verdict.message
                if name == "activity":
                    said = self._activity_refused()
                elif name == "on_date":
                    said = self.day_refused() or said
                reasons.setdefault(name, said)
        return reasons

    def _day_pending(self, name: str) -> bool:
        """Is the group not judged yet, the day's look-up (which fills a known subject's
        group in) still to land? Enter on it, typed fast, is not refused for that."""
        state = self.state
        looked_up = state is not None and (state.subject, state.on_date) == self._typed_day()
        return name == "group" and (self._day_timer is not None or not looked_up)

    def _activity_refused(self) -> str:
        """The domain refuses an activity not in its list; said here in words that fit
        beside the field at 80x24 (the list itself, cut at the edge, was not readable),
        and the list is a key away (ctrl+space; F1 shows it too)."""
        typed = self._input("activity").value.strip()
        if not typed:
            return "type the activity; ctrl+space lists them"
        return f"not an activity{f': {typed}' if len(typed) <= 14 else ''}; ctrl+space lists them"

    def help_notes(self) -> list[str]:
        """What F1 shows beside the keys: the table's Enter, the activities a period may have."""
        return [
            "On the table: Enter opens a period to change, Delete removes it, h its history.",
            "Activities: " + ", ".join(a.replace("_", " ") for a in ACTIVITIES) + ".",
        ]

    def action_activities(self) -> None:
        """ctrl+space: the activities listed, to choose one for the period."""
        from irp_field.tui.dialogs.choices import ChoicesScreen

        words = [a.replace("_", " ") for a in ACTIVITIES]

        def chosen(word: str | None) -> None:
            field = self._input("activity")
            if word is not None:
                field.value = word
            self.set_focus(field)

        title = "Activities: Enter chooses one, Escape closes"
        self.app.push_screen(ChoicesScreen(title, words, self._text("activity")), chosen)

    def _show_reasons(self, reasons: dict[str, str]) -> None:
        for name in FIELD_ORDER:
            self.query_one(f"#row-{name}", FieldRow).set_reason(reasons.get(name, ""))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id in ("subject", "on_date"):
            self._afresh(event.input.id)
            self._stop_day_timer()
            self._day_timer = self.set_timer(DAY_PAUSE, self._look_up_day)
        self._show_reasons(self._reasons(final=False))

    def _afresh(self, changed: str) -> None:
        """Another subject or day: its periods start blank (the last period's end was
        the start of the next one of that day only), and another subject's group is
        theirs, filled in from their earlier days when the day is looked up, never the
        subject's before (Enter would have filed them in its group)."""
        blank = PERIOD_FIELDS if changed == "on_date" else ("group", *PERIOD_FIELDS)
        since = self._typed_at(changed)
        for name in blank:
            if self._typed_at(name) > since:
                continue  # typed after the change, which reached this screen late: kept
            self._left.discard(name)
            field = self._input(name)
            with field.prevent(Input.Changed):
                field.value = ""
            if name == "start":
                self._start_filled = ""
        self.editing = None

    def _typed_at(self, name: str) -> float:
        field = self._input(name)
        return field.typed_at if isinstance(field, TypedInput) else 0.0

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
        # Enter takes the suggestion shown (a known subject, group or activity), unless
        # what is typed is itself a known subject (P1 typed, P10 suggested).
        known = self.state.subjects if self.state and name == "subject" else []
        if field._suggestion and field._suggestion != field.value and field.value not in known:
            field.value = field._suggestion
        if name in ("on_date", "start", "end") and name not in self._reasons(final=False):
            typed = self._text(name)
            if name != "on_date" and typed:
                typed = fields.time_of_day(typed)
            if typed != field.value:
                with field.prevent(Input.Changed):
                    field.value = typed  # shown whole: 0900 as 09:00, 15 as its date
        if name == "activity":
            self.action_save()
            return
        if name in ("subject", "on_date") and self._day_timer is not None:
            self._look_up_day()  # Enter does not wait for the pause
        following = self._input(FIELD_ORDER[FIELD_ORDER.index(name) + 1])
        self._left.add(name)  # judged from now on, empty too: an empty group said here
        self.move_on_unless_refused(field, following, lambda: self._refused_on_leaving(name))

    def _refused_on_leaving(self, name: str) -> bool:
        reasons = self._reasons(final=False)
        self._show_reasons(reasons)  # an empty field posted no change to show its own
        return name in reasons

    def action_previous_field(self) -> None:
        name = self._focused_field()
        if name == FIELD_ORDER[0]:
            raise SkipAction()
        self.set_focus(self._input(FIELD_ORDER[FIELD_ORDER.index(name) - 1]))

    # -- saving, editing and deleting ---------------------------------------------------

    def form_typed(self) -> str | None:
        """A period typed and not saved: an end, an activity or a start other than the one
        filled in from the last period's end, or a period being edited typed over."""
        if not self.is_mounted:
            return None
        now = {name: self._text(name) for name in PERIOD_FIELDS}
        editing = self.editing
        if editing is None:
            start = time_typed(now["start"]) or now["start"]  # a time, or what was typed
            typed = bool(now["end"] or now["activity"] or start not in ("", self._start_filled))
        else:
            saved = (editing.start, editing.end, editing.activity.strip())
            typed = (time_typed(now["start"]), time_typed(now["end"]), now["activity"]) != saved
        subject = self._text("subject") or "a subject"
        return f"F6: a period of {subject}" if typed else None

    def action_save(self) -> None:
        self.when_typed(self._save_typed)

    def _save_typed(self) -> None:
        reasons = self._reasons(final=True)
        self._show_reasons(reasons)
        if reasons:
            first = next(name for name in FIELD_ORDER if name in reasons)
            self.refuse(reasons[first], self._input(first))
            return
        visit = self.irp.visit
        typed = {name: self._text(name) for name in FIELD_ORDER}
        _, found = time_out_of_cell_api.period_verdicts(
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
            lambda saved: self._saved_period(typed, str(saved), edited=editing is not None),
            label=label,
            after=lambda saved: self._typed_on(editing, typed, str(saved)),
        )

    def _typed_on(
        self, editing: time_out_of_cell_api.Period | None, typed: dict[str, str], saved: str
    ) -> None:
        """A new period saved once the file was free, the form typed over meanwhile: if it
        still holds that subject's day and start, it is that period corrected, and the
        next ctrl+s changes it (a new start is a new period)."""
        if editing is not None or self.editing is not None:
            return
        now = {name: self._text(name) for name in FIELD_ORDER}
        same = all(now[name] == typed[name] for name in ("subject", "on_date"))
        if same and time_typed(now["start"]) == time_typed(typed["start"]):
            start, end = time_typed(typed["start"]), time_typed(typed["end"])
            self.editing = time_out_of_cell_api.Period(
                saved, start, end, typed["activity"], typed["group"]
            )

    def _saved_period(self, typed: dict[str, str], saved: str, edited: bool = False) -> None:
        self.undo_stack[-1:] = [replace(self.undo_stack[-1], where=saved)]
        self.editing = None
        self._left.difference_update(PERIOD_FIELDS)  # the next period's, not judged yet
        end = fields.time_of_day(typed["end"])
        if edited and self.state is not None:  # an earlier period put right: the day goes on
            end = max([end, *(p.end for p in self.state.periods if p.id != saved)])
        for name in PERIOD_FIELDS:
            with self._input(name).prevent(Input.Changed):
                self._input(name).value = ""
        with self._input("start").prevent(Input.Changed):
            self._input("start").value = end  # the next period often starts where this ended
        self._start_filled = end
        self.notify(f"Saved a period for {typed['subject']}.")
        # The next thing paper gives is the next period's end: the cursor waits there, so
        # an end typed straight on can never replace the start (shift+tab goes back to it).
        self.set_focus(self._input("end"))
        self._cursor_on = saved
        self.load_day()
