"""The roll-check form: the round, when, the location and its counts, the live total
against the roll, and the round's table; a location already counted in the round opens
its check to edit. Saving, deleting, rounds, undo and history: ``roll_check``.

Typed from a paper sheet, a check costs its digits and a handful of keys: the next
location is the next uncounted one on the inspector's route (``RoundState.route``),
When is the round's time (now, while the round is going on) for every new check and
takes a time alone (``10:09``, ``1009``, ``9.30``) on the round's day, or a day of the
visit and a time (``Tue 10:00``, ``15 1000``); a letter on the
location opens its list at the first location that has it, and choosing one goes on to
the roll."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Label, Select, Static

from irp_field.api import roll_checks as roll_checks_api
from irp_field.api.views.roll_check import RoundState, editing_words, read_round, theirs
from irp_field.domain import fields, roll_categories
from irp_field.domain import roll_checks as roll_rules
from irp_field.domain.roll_checks import RollCounts
from irp_field.domain.rounds import check_moment
from irp_field.domain.shares import share
from irp_field.domain.wording import pct
from irp_field.tui.screens.roll_check_keys import FIELD_ORDER, LocationKeys
from irp_field.tui.screens.roll_table import COUNT_FIELDS, fill_round_table
from irp_field.tui.screens.round_box import fit_round_box, round_box, round_choices
from irp_field.tui.widgets.field_row import FieldRow
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.table import Table

# The roll and its categories' labels and the round table's heads, from their registry.
LABELS = {count.name: count.label for count in roll_categories.counts()}
HEADS = tuple(count.short for count in roll_categories.counts())
NO_LOCATIONS = "none yet: ctrl+t adds them"  # in the list's place, on a visit with none
NO_LOCATIONS_YET = "this visit has no locations yet: ctrl+t adds them (the set-up screen)."


class RollCheckForm(LocationKeys):
    """Enter moves to the next field; ctrl+s (or Enter on the note) saves and moves on."""

    DEFAULT_CSS = """
    RollCheckForm {
        .pick { height: 1; margin: 0 1; }
        .pick > Label { width: 9; }
        #round { width: 31; }  /* "Wed 16 Mar eve · 03-16 19:30" whole; wider: round_box.py */
        /* the open list of rounds sits over the counts' fields (18 columns of label,
           not 9), below When and Location: over the labels it read "Off-wing Tue AM" */
        #round > SelectOverlay { offset: 9 1; }
        #round #label { text-wrap: nowrap; text-overflow: ellipsis; }  /* cut, never wrapped */
        #progress { width: 1fr; padding-left: 1; color: $text-muted; }
        #taken_at { width: 18; }
        #location { width: 1fr; max-width: 41; }  /* "Health care unit · counted 15:15" */
        #where-label { width: 10; padding-left: 1; }
        #no-locations { width: 1fr; display: none; color: $text-warning; }
        #live, #editing { height: 1; margin: 0 1; text-style: bold; text-wrap: nowrap;
                          text-overflow: ellipsis; }
        #editing { display: none; }
        #round-table { height: 1fr; min-height: 4; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so that focus moves before the next key of a fast typist is read:
        # otherwise "100<Enter>40" typed in one burst lands "40" in the roll field too.
        Binding("enter", "next_field", "Next field", show=False, priority=True),
        # On the round's table Enter edits the check under the cursor (``RollCheckScreen``
        # offers each where the cursor is; a subclass's "enter" would replace both)
        Binding("enter", "edit_check", "Edit check", priority=True),
        Binding("tab", "next_field(False)", "Next field", show=False, priority=True),
        Binding("shift+tab", "previous_field", "Previous field", show=False, priority=True),
        # A digit on the location's list (closed or open) is the roll's: the list searches
        # its labels, and "1" found "A wing · counted 14:00" (a sheet went over it). No
        # description: not a command of its own (``check_action`` offers it there only).
        *(
            Binding(digit, f"digit_to_roll('{digit}')", show=False, priority=True)
            for digit in "0123456789"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state: RoundState | None = None
        self.editing: roll_checks_api.RoundCheck | None = None  # the check the form shows, if any
        self._after_save: str | None = None  # the location saved last: move past it
        self._when_typed = False  # When typed for this check: a reload keeps it
        self._when_refused = False  # the live line says why When is refused
        self._cursor_on: str | None = None  # a location to put the table's cursor on
        self._wanted: str | None = None  # the round last asked for
        self._picked = False  # a location picked from the list: the cursor goes on
        # The check the form edits was chosen to correct (Enter on its row of the round's
        # table): ctrl+s saves over it. Come to any other way (a location or a round
        # chosen, a reload), ctrl+s asks first, whoever's it is.
        self.edit_chosen = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="pick"):
            yield Label("Round")
            yield round_box()  # every choice a round (``round_box``)
            yield Label("", id="progress")
        with Horizontal(classes="pick"):
            yield Label("When")
            yield Input(id="taken_at", compact=True, placeholder="10:09 or Tue 10:09")
            yield Label("Location", id="where-label")
            # No blank choice: a check is always of a location (the route's next is
            # chosen once the round is read; "…" only until then). A visit with none
            # says where they are added instead of offering an empty list.
            # Its own search off: a letter finds a location's name (``roll_check_keys``)
            yield Select[str](
                [(Text("…"), "")],
                id="location",
                compact=True,
                allow_blank=False,
                type_to_search=False,
            )
            yield Label(NO_LOCATIONS, id="no-locations")
        for name in COUNT_FIELDS:
            yield FieldRow(LABELS[name], name, placeholder="0" if name != "roll" else "")
        yield FieldRow("Note", "note", placeholder="why any are unaccounted for", wide=True)
        yield Static("", id="editing")
        yield Static("Loading the round...", id="live")
        yield Table(id="round-table", cursor_type="row")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one("#round-table", DataTable)
        table.add_columns("Location", "At", *HEADS, "Locked up")
        self.load_round(None)
        self.set_focus(self.query_one("#roll", Input))

    def on_screen_resume(self) -> None:
        if self.state is not None:
            self.load_round(self._wanted)

    def file_changed(self) -> None:
        self.on_screen_resume()

    # -- loading ---------------------------------------------------------------------

    def load_round(self, chosen: str | None) -> None:
        # What a later reload asks for (a dialog closing resumes the screen after its
        # answer has already asked for the round it started).
        self._wanted = chosen
        now = self.irp.clock()
        user = self.irp.user
        self.load(
            lambda visit: read_round(visit, chosen, now, user), then=self.show_round, group="round"
        )

    def show_round(self, state: RoundState) -> None:
        first = self.state is None
        old = self.state
        self.state = state
        selector = self.query_one("#round", Select)
        options = state.options()
        with self.prevent(Select.Changed):
            if first or old is None or old.options() != options:
                selector.set_options(round_choices(state))
            selector.value = state.chosen
        fit_round_box(selector, state, self.size.width)
        places = self.query_one("#location", Select)
        with self.prevent(Select.Changed):
            if first or old is None or old.place_options() != state.place_options():
                keep = self._chosen_location()
                listed = [(Text(label), id_) for label, id_ in state.place_options()]
                places.set_options(listed or [(Text("…"), "")])  # never empty: no blank
                if keep in {place.id for place in state.places}:
                    places.value = keep  # relabelled, not chosen afresh
                    # set_options chose the first, which may be ``keep`` itself: a value
                    # set again is no change, and its label stayed the old one
                    places.mutate_reactive(type(places).value)
        places.display = bool(state.places)
        self.query_one("#no-locations", Label).display = not state.places
        self.query_one("#progress", Label).update(Text(state.progress()))
        self._fill_table(state)
        if (first or not self._when_typed) and self.editing is None:
            self._default_when(state)
        if not state.places:
            self.query_one("#live", Static).update(NO_LOCATIONS_YET.capitalize())
            self.set_focus(self.query_one("#round-table", DataTable))
            return
        moved = old is not None and old.chosen != state.chosen and not state.started(old.chosen)
        gone = self._chosen_location() not in {place.id for place in state.places}
        arrived = old is not None and not old.places  # the first locations: counting can start
        if first or self._after_save is not None or moved or gone or arrived:
            self._choose_location(state)
        if arrived:
            self.set_focus(self.query_one("#roll", Input))
        else:
            self._show_editing(self._chosen_location(), keep_typed=True)
        if self.editing is not None:
            return
        if first or not self._when_typed:
            self._default_when(state)

    def on_resize(self) -> None:
        if self.state is not None:
            fit_round_box(self.query_one("#round", Select), self.state, self.size.width)

    def _default_when(self, state: RoundState) -> None:
        """When a check happened, unless typed: now while its round is going on; the
        round's own day and time otherwise (evidence typed up from paper). Every new
        check starts so: never at the time typed for the check before it."""
        found = state.round()
        moment = state.default_at
        if found is not None:
            moment = check_moment(state.now_at, moment, found.on_date, found.at_time)
        self._set_when(moment)
        self._when_typed = False

    def _set_when(self, moment: str) -> None:
        when = self.query_one("#taken_at", Input)
        with when.prevent(Input.Changed):
            when.value = moment.replace("T", " ")
        if self._when_refused:
            self._when_refused = False
            self._show_live()

    def typed_when(self) -> str:
        """When, as typed: a time alone is on the round's day; a day of the visit and a
        time ("Tue 10:00": a sheet typed up the day after), as every form reads a day
        (``fields.moment_on``). ValueError says why not."""
        state = self.state
        day, visit_days = (state.day(), state.visit_days) if state is not None else ("", ("", ""))
        return fields.moment_on(self.query_one("#taken_at", Input).value, day, *visit_days)

    def _choose_location(self, state: RoundState) -> None:
        chosen = state.next_place(self._after_save)
        if chosen is None:  # complete: stay on the location just saved, to edit it
            chosen = self._after_save or state.route[0]
        self._after_save = None
        places = self.query_one("#location", Select)
        with self.prevent(Select.Changed):
            places.value = chosen
        self._show_editing(chosen, keep_typed=False)

    def _chosen_location(self) -> str | None:
        value = self.query_one("#location", Select).value
        return value if isinstance(value, str) and value else None  # "": none to choose

    def _show_editing(self, location_id: str | None, *, keep_typed: bool) -> None:
        """The chosen location's check in this round, in the form to edit; or a blank
        form for a location not counted yet."""
        state = self.state
        check = next(
            (c for c in (state.checks if state else []) if c.location_id == location_id), None
        )
        was = self.editing
        self.editing = check
        if check is None or was is None or was.id != check.id:
            # Come to by itself, ctrl+s asks (``action_edit_check``): not so for the
            # user's own check arriving under the typing of its location (their save
            # that waited on a busy file): what is typed is a recount of it
            self.edit_chosen = (
                keep_typed
                and was is None
                and check is not None
                and self._form_typed()
                and not theirs(check, self.irp.user)
            )
        if check is not None:
            # A check that arrived while this location was being typed (a save that
            # waited on a busy file, or a merge) is what ctrl+s now changes; what is
            # typed stays (it is never replaced), the form fills only when empty.
            fresh = was is None or was.id != check.id
            if fresh and not (keep_typed and self._form_typed()):
                self._fill_form(check)
        elif was is not None and (not keep_typed or self._shows(was)):
            self._clear_form()  # a new check here (or the one edited went, untouched)
        self._show_live()

    def _shows(self, check: roll_checks_api.RoundCheck) -> bool:
        """Does the form hold ``check`` as it was filled (nothing typed over it)?"""
        counts = all(
            self.query_one(f"#{name}", Input).value == str(getattr(check.counts, name))
            for name in COUNT_FIELDS
        )
        return counts and self.query_one("#note", Input).value == check.note

    def _fill_form(self, check: roll_checks_api.RoundCheck) -> None:
        for name in COUNT_FIELDS:
            field = self.query_one(f"#{name}", Input)
            with field.prevent(Input.Changed):
                field.value = str(getattr(check.counts, name))
        note = self.query_one("#note", Input)
        with note.prevent(Input.Changed):
            note.value = check.note
        self._set_when(check.taken_at)
        self._when_typed = False
        self._show_reasons({}, final=False)
        if isinstance(self.focused, Input):
            self.focused.select_all()  # typing a recount replaces what was there

    def _clear_form(self) -> None:
        """Empty for a new check: no counts, no note, When back to its default."""
        for name in (*COUNT_FIELDS, "note"):
            field = self.query_one(f"#{name}", Input)
            with field.prevent(Input.Changed):
                field.value = ""
        self._show_reasons({}, final=False)
        if self.state is not None:
            self._default_when(self.state)

    def form_typed(self) -> str | None:
        """Counts or a note typed and not saved (a check shown as it was is not)."""
        if not self.is_mounted or not self._form_typed():
            return None
        if self.editing is not None and self._shows(self.editing):
            return None
        place = self.query_one("#location", Select).value
        places = self.state.places if self.state is not None else []
        named = next((p.name for p in places if p.id == place), "a location")
        return f"F3: the check of {named}"

    def _form_typed(self) -> bool:
        """Does the form hold counts or a note?"""
        return any(self.query_one(f"#{name}", Input).value for name in (*COUNT_FIELDS, "note"))

    def _fill_table(self, state: RoundState) -> None:
        wanted, self._cursor_on = self._cursor_on, None
        fill_round_table(self.query_one("#round-table", DataTable), state, wanted)
        self.refresh_bindings()  # the table's keys are offered while it has checks

    # -- typing ----------------------------------------------------------------------

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

    @on(Select.Changed, "#round")
    def _round_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and self.state and event.value != self.state.chosen:
            self._when_typed = False
            self.load_round(event.value)

    @on(Select.Changed, "#location")
    def _location_chosen(self, event: Select.Changed) -> None:
        """A location chosen from the list: its check to edit, or a new one; the cursor
        goes on to the roll (a sheet's counts come next)."""
        self._show_editing(event.value if isinstance(event.value, str) else None, keep_typed=False)
        self.set_focus(self.query_one("#roll", Input))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id == "taken_at":
            self._when_typed = True
            if self._when_refused and self._when_fine():
                self._when_refused = False  # put right: the refusal goes
                self._show_live()
            return
        if event.input.id == "note":
            self.query_one("#row-note", FieldRow).set_reason("")
            return
        if event.input.id == "roll" and len(event.value) == 1 and event.value.isalpha():
            # A letter is never a roll: the sheet's next line is another location than
            # the one offered. Its list opens there (two keys, not ctrl+l's three).
            with event.input.prevent(Input.Changed):
                event.input.value = ""
            self._open_places(event.value)
            self._picked = True  # picked or not, the cursor comes back to the roll
            return
        self._show_reasons(self._counts()[1], final=False)
        self._show_live()

    def _when_fine(self) -> bool:
        try:
            self.typed_when()
        except ValueError:
            return False
        return True

    def _show_live(self) -> None:
        """The live line: the total against the roll as counts are typed, what the form
        edits, or the location to type; a count's refusal."""
        live = self.query_one("#live", Static)
        check, state = self.editing, self.state
        editing = self.query_one("#editing", Static)
        editing.display = check is not None  # as long as it edits: typing does not hide it
        if check is not None:
            editing.update(
                Text(
                    editing_words(check, self.irp.user, chosen=self.edit_chosen),
                    no_wrap=True,
                    overflow="ellipsis",
                )
            )
        if not any(self.query_one(f"#{name}", Input).value for name in COUNT_FIELDS):
            place = self._chosen_location()
            name = next((p.name for p in state.places if p.id == place), "") if state else ""
            passed = ", ".join(state.passed_over(place)) if state else ""
            said = f"Type the roll for {name} (a letter: another location)."
            if passed:  # an out-of-order check left them: never silently
                said = f"Type the roll for {name} (a letter: another); passed over: {passed}."
            live.update(Text(said if name else "", no_wrap=True, overflow="ellipsis"))
            return
        counts, reasons = self._counts()
        if counts is None:
            live.update("Refused: " + next(iter(reasons.values())) if reasons else "")
            return
        locked = share(counts.locked_up, counts.roll)
        live.update(
            f"Total {counts.accounted} of roll {counts.roll} · {counts.unaccounted} unaccounted "
            f"· {'-' if locked is None else pct(locked)} locked up"
        )

    def action_save(self) -> None:
        """Save the check the form shows (``RollCheckScreen``)."""
        raise NotImplementedError

    def action_next_field(self, save_at_end: bool = True) -> None:
        # set_focus, not widget.focus(): the latter is deferred, and the keys that follow
        # would still land in this field.
        places = self.query_one("#location", Select)
        if save_at_end and places.expanded and self.focused in places.children:
            # Enter picks from the open list, then on to the roll: the location chosen
            # already too (no change is posted for it, and the digits typed next went
            # into the list's search)
            self._picked = True
            raise SkipAction()
        name = self._focused_field()
        if isinstance(self.focused, Select) and save_at_end and self.focused.expanded:
            raise SkipAction()  # Enter picks from the open list
        if name == "note":
            if save_at_end:
                self.action_save()
            else:
                self.set_focus(self.query_one("#round-table", DataTable))
            return
        following = self.query_one(f"#{FIELD_ORDER[FIELD_ORDER.index(name) + 1]}")
        if name == "taken_at" and save_at_end:
            # Enter on When goes on to the roll, as the live line says (the location stays
            # as chosen; Tab and ctrl+l reach it): on the list, the sheet's roll was lost
            following = self.query_one("#roll", Input)
        if not save_at_end:
            self.set_focus(following)
            return
        left = self.query_one(f"#{name}")
        self.move_on_unless_refused(left, following, lambda: self._refused_here(name))

    def _refused_here(self, name: str) -> bool:
        """Does the field the cursor is in refuse what it holds (its reason shown beside
        it)? An empty roll is not: Enter may pass it, and the save asks for it."""
        if name == "taken_at":
            try:
                self._set_when(self.typed_when())  # shown whole: the day it is on
                self._when_typed = True
            except ValueError as error:
                if self.query_one("#taken_at", Input).value.strip():
                    self.query_one("#live", Static).update(Text(f"Refused: When: {error}"))
                    self._when_refused = True
                    return True
            return False
        if name not in COUNT_FIELDS:
            return False
        _, reasons = self._counts()
        return name in reasons and reasons[name] != "type the roll"
