"""Roll check: type one location's counts, see the total against the roll, save, move on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Label, Select, Static

from irp_field.api import evidence as store
from irp_field.api.visits import Visit
from irp_field.domain import fields
from irp_field.domain import roll_checks as roll_rules
from irp_field.domain.errors import IrpError
from irp_field.domain.roll_checks import RollCounts
from irp_field.domain.vocabulary import ROLL_CATEGORIES
from irp_field.domain.wording import pct
from irp_field.tui.screens.confirm import ConfirmScreen
from irp_field.tui.visit_screen import VisitScreen
from irp_field.tui.widgets.field_row import FieldRow
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.share_bar import share_bar

COUNT_FIELDS = ("roll", *ROLL_CATEGORIES)
LABELS = {
    "roll": "Roll",
    "locked_up": "Locked up",
    "off_wing_activity": "Off-wing activity",
    "wing_work": "Wing work",
    "unlocked_on_wing": "Unlocked on wing",
    "elsewhere": "Elsewhere",
}
FIELD_ORDER = ("round", *COUNT_FIELDS, "note")


@dataclass(frozen=True)
class RoundState:
    places: list[store.Location]
    rounds: list[str]
    round_label: str
    checks: list[store.RoundCheck]


def read_round(visit: Visit, round_label: str | None) -> RoundState:
    """The locations, the rounds, and the checks of the round (None: the latest)."""
    places = store.locations(visit)
    known = store.rounds(visit)
    label = round_label if round_label is not None else (known[-1] if known else "")
    checks = store.round_checks(visit, label) if label else []
    return RoundState(places, known, label, checks)


class RollCheckScreen(VisitScreen):
    """Enter moves to the next field; ctrl+s (or Enter on the note) saves and moves on."""

    DEFAULT_CSS = """
    RollCheckScreen {
        #where { height: 1; margin: 0 1; }
        #where Label { width: 18; }
        #where Select { width: 30; }
        #live { height: 1; margin: 0 1; text-style: bold; }
        #round-table { height: 1fr; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save, next location", priority=True),
        Binding("ctrl+l", "focus_location", "Location"),
        Binding("delete", "delete_check", "Delete check"),
        Binding("ctrl+z", "undo_delete", "Undo delete"),
        # Priority, so that focus moves before the next key of a fast typist is read:
        # otherwise "100<Enter>40" typed in one burst lands "40" in the roll field too.
        Binding("enter", "next_field", "Next field", show=False, priority=True),
        Binding("tab", "next_field(False)", "Next field", show=False, priority=True),
        Binding("shift+tab", "previous_field", "Previous field", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state: RoundState | None = None
        self.deleted: list[str] = []  # undo stack of tombstoned check ids
        self._last_saved_location: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield FieldRow("Round", "round", placeholder="e.g. Tue PM", wide=True)
        with Horizontal(id="where"):
            yield Label("Location")
            yield Select[str]([], id="location", compact=True, allow_blank=True, prompt="choose")
        for name in COUNT_FIELDS:
            yield FieldRow(LABELS[name], name, placeholder="0" if name != "roll" else "")
        yield FieldRow("Note", "note", placeholder="why any are unaccounted for", wide=True)
        yield Static("Loading the round...", id="live")
        yield DataTable(id="round-table", cursor_type="row")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one("#round-table", DataTable)
        table.add_columns("Location", "Roll", "Lock", "Off", "Work", "Unl", "Else", "Locked up")
        self.load_round(None, focus_roll=True)

    def on_screen_resume(self) -> None:
        if self.state is not None:
            self.load_round(self._round_text() or None, focus_roll=False)

    # -- loading ---------------------------------------------------------------------

    def load_round(self, round_label: str | None, focus_roll: bool) -> None:
        self.load(
            lambda visit: read_round(visit, round_label),
            then=lambda state: self.show_round(state, focus_roll),
            group="round",
        )

    def show_round(self, state: RoundState, focus_roll: bool) -> None:
        first = self.state is None
        self.state = state
        round_input = self.query_one("#round", Input)
        if first or not round_input.value:
            with round_input.prevent(Input.Changed):
                round_input.value = state.round_label
        location = self.query_one("#location", Select)
        options = [(place.name, place.id) for place in state.places]
        if first or len(options) != len(location._options) - 1:
            location.set_options(options)
        if first or self._last_saved_location is not None:
            done = {check.location_id for check in state.checks}
            after = self._last_saved_location
            if after is None and state.checks:
                after = max(state.checks, key=lambda check: check.taken_at).location_id
            chosen = store.next_location(state.places, done, after)
            if chosen is not None:
                location.value = chosen
            self._last_saved_location = None
        self._fill_table(state.checks)
        if focus_roll:
            self.query_one("#roll", Input).focus()
            chosen_name = next((p.name for p in state.places if p.id == location.value), "")
            live = self.query_one("#live", Static)
            if chosen_name and not str(live.render()).startswith("Saved"):
                live.update(f"Type the roll for {chosen_name}.")

    def _fill_table(self, checks: list[store.RoundCheck]) -> None:
        table = self.query_one("#round-table", DataTable)
        table.clear()
        for check in checks:
            counts = check.counts
            table.add_row(
                Text(check.location),  # a name as typed: never read as markup
                *(str(getattr(counts, name)) for name in COUNT_FIELDS),
                share_bar(check.share_locked_up),
                key=check.id,
            )

    # -- typing ----------------------------------------------------------------------

    def _round_text(self) -> str:
        return self.query_one("#round", Input).value.strip()

    def _counts(self) -> tuple[RollCounts | None, dict[str, str]]:
        """The typed counts, or the reason beside each field that refuses its text."""
        values: dict[str, int] = {}
        reasons: dict[str, str] = {}
        for name in COUNT_FIELDS:
            text = self.query_one(f"#{name}", Input).value
            if not text.strip():
                if name == "roll":
                    reasons[name] = "type the roll"
                values[name] = 0
                continue
            try:
                values[name] = fields.whole_number(text, LABELS[name].lower())
            except ValueError as error:
                reasons[name] = str(error)
        if reasons:
            return None, reasons
        counts = RollCounts(**values)
        over = roll_rules.over_the_roll(counts)  # the domain's rule, told beside the field
        if over is not None:
            reasons.setdefault(*over)
        return (None if reasons else counts), reasons

    def _show_reasons(self, reasons: dict[str, str], *, final: bool) -> None:
        for name in COUNT_FIELDS:
            reason = reasons.get(name, "")
            if name == "roll" and reason == "type the roll" and not final:
                reason = ""
            self.query_one(f"#row-{name}", FieldRow).set_reason(reason)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id == "round":
            self._last_saved_location = None
            self.load_round(self._round_text(), focus_roll=False)
            return
        if event.input.id == "note":
            self.query_one("#row-note", FieldRow).set_reason("")
            return
        counts, reasons = self._counts()
        self._show_reasons(reasons, final=False)
        live = self.query_one("#live", Static)
        if counts is None:
            live.update("Refused: " + next(iter(reasons.values())) if reasons else "")
            return
        share = pct(counts.locked_up / counts.roll) if counts.roll else "-"
        live.update(
            f"Total {counts.accounted} of roll {counts.roll} · {counts.unaccounted} unaccounted "
            f"· {share} locked up"
        )

    def _focused_field(self) -> str:
        focused = self.focused
        if isinstance(focused, Input) and focused.id in FIELD_ORDER:
            return focused.id
        raise SkipAction()

    def action_next_field(self, save_at_end: bool = True) -> None:
        # set_focus, not widget.focus(): the latter is deferred, and the keys that follow
        # would still land in this field.
        name = self._focused_field()
        if name == "note":
            if save_at_end:
                self.action_save()
            else:
                self.set_focus(self.query_one("#round-table", DataTable))
            return
        following = FIELD_ORDER[FIELD_ORDER.index(name) + 1]
        if name == "round" and not save_at_end:
            self.set_focus(self.query_one("#location", Select))
            return
        self.set_focus(self.query_one(f"#{following}", Input))

    def action_previous_field(self) -> None:
        name = self._focused_field()
        if name == "round":
            raise SkipAction()
        self.set_focus(self.query_one(f"#{FIELD_ORDER[FIELD_ORDER.index(name) - 1]}", Input))

    # -- saving and deleting ---------------------------------------------------------

    def action_save(self) -> None:
        counts, reasons = self._counts()
        self._show_reasons(reasons, final=True)
        if counts is None:
            first = next(name for name in COUNT_FIELDS if name in reasons)
            self.query_one(f"#{first}", Input).focus()
            self.notify("Not saved: " + reasons[first], severity="error")
            return
        location = self.query_one("#location", Select)
        if not isinstance(location.value, str):
            self.notify("Not saved: choose the location", severity="error")
            location.focus()
            return
        note = self.query_one("#note", Input).value
        place = (
            next((p for p in self.state.places if p.id == location.value), None)
            if self.state
            else None
        )
        if place is None:
            self.notify("Not saved: choose the location", severity="error")
            return
        taken_at = self.irp.clock().isoformat(timespec="minutes")
        found = store.check_verdicts(self.irp.visit, place, counts, note, taken_at)
        refused = [v for v in found if v.refuses]
        if refused:
            for verdict in refused:
                if verdict.field in (*COUNT_FIELDS, "note"):
                    self.query_one(f"#row-{verdict.field}", FieldRow).set_reason(verdict.message)
            first = refused[0].field if refused[0].field in (*COUNT_FIELDS, "note") else "note"
            self.query_one(f"#{first}", Input).focus()
            self.notify("Not saved: " + refused[0].message, severity="error")
            return

        def save(confirmed: bool) -> bool:
            assert counts is not None and place is not None
            return self._save(place, counts, note, taken_at, confirmed)

        self.save_when_confirmed(found, save)

    def _save(
        self, place: store.Location, counts: RollCounts, note: str, taken_at: str, confirmed: bool
    ) -> bool:
        try:
            store.record_roll_check(
                self.irp.visit,
                location_id=place.id,
                counts=counts,
                taken_at=taken_at,
                round_label=self._round_text(),
                inspector=self.irp.user,
                note=note,
                allow_outside_visit=confirmed,
            )
        except IrpError as error:
            self.notify(f"Not saved: {error}", severity="error")
            return False
        self.notify(f"Saved {place.name}: {counts.locked_up} of {counts.roll} locked up")
        for name in (*COUNT_FIELDS, "note"):
            with self.query_one(f"#{name}", Input).prevent(Input.Changed):
                self.query_one(f"#{name}", Input).value = ""
        self.query_one("#live", Static).update(
            f"Saved {place.name}. Type the next location's roll."
        )
        self._last_saved_location = place.id
        self.load_round(self._round_text(), focus_roll=True)
        return True

    def action_focus_location(self) -> None:
        self.query_one("#location", Select).focus()

    def action_delete_check(self) -> None:
        table = self.query_one("#round-table", DataTable)
        if not table.has_focus or table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        check_id = row_key.value
        if check_id is None:
            return
        where = str(table.get_row(row_key)[0])

        def answered(yes: bool | None) -> None:
            if yes:
                store.delete_roll_check(self.irp.visit, check_id)
                self.deleted.append(check_id)
                self.notify(f"Deleted the check of {where}; ctrl+z brings it back.")
                self.load_round(self._round_text(), focus_roll=False)

        self.app.push_screen(ConfirmScreen(f"Delete the roll check of {where}?"), answered)

    def action_undo_delete(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo.")
            return
        store.restore_roll_check(self.irp.visit, self.deleted.pop())
        self.notify("Roll check restored.")
        self.load_round(self._round_text(), focus_roll=False)
