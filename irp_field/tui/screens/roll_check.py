"""Roll check: pick the round, type one location's counts, see the total against the
roll, save, move on. A location already counted in the round opens its check to edit,
so a location is counted once per round; ctrl+n starts a round, ctrl+r renames one,
ctrl+k links it (all its checks) to the plan items it is evidence for;
Delete, ctrl+z (undo any change) and h (a check's history) act on the round's table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Select, Static

from irp_field.api import links as links_api
from irp_field.api import roll_checks
from irp_field.api import rounds as rounds_api
from irp_field.api.unsaved import Typed
from irp_field.api.views.roll_check import (
    NEW,
    replace_question,
    replaced_words,
    theirs,
    whose,
)
from irp_field.domain.roll_checks import RollCounts
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.dialogs.plan_links import link_to_plan_items
from irp_field.tui.dialogs.round_dialog import RoundDialog, TypedRound
from irp_field.tui.screens.roll_check_form import LABELS, NO_LOCATIONS_YET, RollCheckForm
from irp_field.tui.screens.roll_table import COUNT_FIELDS
from irp_field.tui.undo import Undoable
from irp_field.tui.widgets.field_row import FieldRow

TABLE_ACTIONS = ("edit_check", "delete_check", "history")  # a check of the round's table


class RollCheckScreen(RollCheckForm):
    DELETED_KIND = "roll-check"  # ctrl+z with nothing to undo offers these, deleted before
    TITLE = "Roll check"
    FIRST_FIELD = "roll"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save, next", priority=True),
        Binding("ctrl+n", "new_round", "New round"),
        Binding("ctrl+l", "focus_location", "Location"),
        # priority: the cursor is mostly in a field, whose ctrl+k would clear to its end
        # (and so the key line shows it first; Edit round, rarer, is the one left to F1)
        Binding("ctrl+k", "link_round", "Link round", priority=True),
        Binding("ctrl+r", "edit_round", "Edit round"),
        Binding("delete", "delete_check", "Delete"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("h", "history", "History"),
        Binding("ctrl+t", "add_locations", "Add locations (set-up)"),
        Binding("escape", "drop_typing", "Drop typing", show=False),
    ]

    _named_new = ""  # a new round the inspector named (ctrl+n), not started yet

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each key offered where it acts: the table's on the table (while it has a
        check), the form's Enter in the form, ctrl+t while there are no locations."""
        table = self.query_one("#round-table", DataTable)
        if action in TABLE_ACTIONS:
            return table.has_focus and table.row_count > 0
        if action == "next_field":
            return not table.has_focus  # Tab and Enter on the table: the table's own
        if action == "add_locations":
            return self.state is not None and not self.state.places
        if action == "digit_to_roll":  # the form is where figures go
            return table.has_focus or self._places_focused()
        return True

    def keys_first(self) -> tuple[str, ...]:
        """The key line's first keys, where the cursor is (F1 lists them all)."""
        if self.state is not None and not self.state.places:
            return ("add_locations",)  # the live line says ctrl+t adds them
        if self.query_one("#round-table", DataTable).has_focus:
            return (*TABLE_ACTIONS, "undo")
        return ("save", "new_round", "focus_location", "link_round")

    def action_drop_typing(self) -> None:
        """Escape: what is typed over the form dropped, asked first (y drops it): the check
        being edited shown again as saved, or the form emptied for a location not counted
        yet; nothing typed, nothing to ask."""
        if self.form_typed() is None:
            return
        editing = self.editing

        def as_saved() -> None:
            if editing is not None and self.editing is editing:
                self._fill_form(editing)
            else:
                self._clear_form()
            self._show_reasons({}, final=False)
            self._show_live()
            self.set_focus(self.query_one("#roll", Input))

        self.unless_typing_lost(
            as_saved, "Put back the check as saved" if editing is not None else "Empty the form"
        )

    # -- saving ----------------------------------------------------------------------

    def action_save(self) -> None:
        self.when_typed(self._save_typed)

    def _save_typed(self) -> None:
        state = self.state
        counts, reasons = self._counts()
        self._show_reasons(reasons, final=True)
        if counts is None:
            first = next(name for name in COUNT_FIELDS if name in reasons)
            self.refuse(reasons[first], self.query_one(f"#{first}", Input))
            return
        location = self._chosen_location()
        place = next((p for p in state.places if p.id == location), None) if state else None
        if state is None or place is None:
            if state is not None and not state.places:
                self.notify(f"Not saved: {NO_LOCATIONS_YET}", severity="error")
                return
            self.notify("Not saved: choose the location", severity="error")
            self.set_focus(self.query_one("#location", Select))
            return
        try:
            taken_at = self.typed_when()
        except ValueError as error:
            self.query_one("#live", Static).update(Text(f"Refused: When: {error}"))
            self._when_refused = True
            self.refuse(f"When: {error}", self.query_one("#taken_at", Input))
            return
        note = self.query_one("#note", Input).value
        editing = self.editing
        inspector = self.irp.user if editing is None else ""  # an edit keeps its inspector
        found = roll_checks.check_verdicts(
            self.irp.visit, place, counts, note, taken_at, state.round(), inspector
        )
        refused = [v for v in found if v.refuses]
        if refused:
            for verdict in refused:
                if verdict.field in (*COUNT_FIELDS, "note"):
                    self.query_one(f"#row-{verdict.field}", FieldRow).set_reason(verdict.message)
            first = refused[0].field if refused[0].field in (*COUNT_FIELDS, "note") else "note"
            said = self.irp.not_on_the_team(refused)
            self.refuse(refused[0].message, self.query_one(f"#{first}", Input), said=said)
            return

        def save(confirmed: bool) -> bool:
            assert counts is not None and place is not None
            return self.save_check(place, counts, note, taken_at, confirmed, editing)

        if not self._asks_before_replacing(editing):
            self.save_when_confirmed(found, save)
            return
        assert editing is not None
        self._ask_before_replacing(editing, lambda: self.save_when_confirmed(found, save))

    def _asks_before_replacing(self, editing: roll_checks.RoundCheck | None) -> bool:
        """A saved check is replaced without a question only when it is the user's own
        and was chosen to correct (Enter on its row). The form also comes to a check by
        itself (a location chosen from the list, a round chosen, When typed): a typist
        from paper, eyes on the sheet, types on and never reads that the form now edits
        A wing of 14:00; the walk's sheet went over it so."""
        if editing is None:
            return False
        return theirs(editing, self.irp.user) or not self.edit_chosen

    def _ask_before_replacing(
        self, check: roll_checks.RoundCheck, then: Callable[[], object]
    ) -> None:
        """Someone else's check, or one the form came to by itself: replaced only when y
        is answered (Enter or n: not; what is typed stays). A team leader corrects a
        colleague's figures; never silently."""
        found = self.state.round() if self.state else None
        where = f", round {found.name}," if found else ""
        user = self.irp.user
        kept = (
            f" It keeps {check.inspector.strip()} as its inspector; its history (h) shows "
            "your change."
            if check.inspector.strip() and theirs(check, user)
            else ""
        )
        question = f"{replace_question(check, user)}{where} with the figures you typed?{kept}"

        def answered(yes: bool | None) -> None:
            if yes:
                then()
            else:
                self.notify(
                    f"Not saved: {whose(check, user)} check of {check.location} is as it was."
                )

        hint = "y: replace it   n, Enter or Escape: not now (what you typed stays)"
        self.app.push_screen(ConfirmScreen(question, hint=hint, enter=False), answered)

    def save_check(
        self,
        place: roll_checks.Location,
        counts: RollCounts,
        note: str,
        taken_at: str,
        confirmed: bool,
        editing: roll_checks.RoundCheck | None,
    ) -> bool:
        """Save the check (``api.typed_writes.roll_check``); while the file is busy it
        waits, kept, and the form moves on once it is saved (``tui.unsaved``)."""
        state = self.state
        assert state is not None
        chosen = state.chosen
        args = {
            "check_id": editing.id if editing is not None else "",
            "location_id": place.id,
            "counts": {name: getattr(counts, name) for name in COUNT_FIELDS},
            "taken_at": taken_at,
            "note": note,
            "round_id": "" if chosen.startswith(NEW) else chosen,
            "round_label": chosen.removeprefix(NEW),
            "inspector": self.irp.user,
            "allow_outside_visit": confirmed,
        }
        found = state.round()
        shown = (
            *((LABELS[name], str(getattr(counts, name))) for name in COUNT_FIELDS),
            ("Note", note),
            ("Location", place.name),
            ("Round", found.name if found else chosen.removeprefix(NEW)),
            ("When", taken_at.replace("T", " ")),
        )
        replaced = editing if self._asks_before_replacing(editing) else None
        if replaced is not None:
            label = f"the change to {whose(replaced, self.irp.user)} check of {place.name}"
            key = f"roll_check:{replaced.id}"
        elif editing is not None:
            label, key = f"the change to {place.name}'s check", f"roll_check:{editing.id}"
        else:
            label, key = f"the check of {place.name}", f"roll_check:{chosen}:{place.id}"
        typed = Typed(key, "roll_check", label, args, shown)
        # The round's last location counted: what comes next on the sheet is another
        # round's, never a change to this check (it stayed open to edit, and the next
        # line typed went over it)
        completing = editing is None and {p.id for p in state.places} - state.counted == {place.id}
        return self.save_typed(
            typed,
            lambda _: self._saved_check(place, counts, chosen, replaced, completing),
            label=label,
            where=place.id,
        )

    def _saved_check(
        self,
        place: roll_checks.Location,
        counts: RollCounts,
        chosen: str,
        replaced: roll_checks.RoundCheck | None = None,
        completing: bool = False,
    ) -> None:
        """The form cleared for the next location of the round; once a save completes it,
        the round F3 offers on opening (a new one named from the time, unless a later
        round is still going on): the check just saved is not left open to type over."""
        if replaced is not None:  # said exactly: whose figures went, and how to bring them back
            said = replaced_words(replaced, self.irp.user)
            # Last, after the rules' warnings (a roll above the capacity): the newest
            # message hides the one shown, and this one must be read.
            self.call_later(self.notify, f"{said}; ctrl+z puts it back", severity="warning")
        else:
            said = f"Saved {place.name}"
            told = f"{said}: {counts.locked_up} of {counts.roll} locked up"
            if completing:
                told += "; round complete: the next is offered"  # whole at 80 columns
            self.notify(told)
        self._clear_form()
        self.editing = None
        self.query_one("#live", Static).update(Text(f"{said}."))
        self._after_save = place.id
        if chosen.startswith(NEW):  # the round started with this save: show it by its id
            started = rounds_api.find_round(self.irp.visit, chosen.removeprefix(NEW))
            chosen = started.id if started else chosen
        self.load_round(None if completing else chosen)
        self.set_focus(self.query_one("#roll", Input))

    # -- rounds ----------------------------------------------------------------------

    @on(Input.Changed, "#taken_at")
    def _new_round_follows_when(self) -> None:
        """The new round F3 offers (not one named with ctrl+n) is named from When as
        typed: a sheet of yesterday morning typed up this evening starts "Tue AM", not
        the clock's "Wed eve" (the offer claimed a time the inspector never chose)."""
        state = self.state
        if state is None or state.chosen in ("", NEW + self._named_new):
            return
        if not state.chosen.startswith(NEW):
            return
        try:
            name = rounds_api.new_round_name(self.irp.visit, self.typed_when(), state.rounds)
        except ValueError:  # not a time yet
            return
        if name == state.suggested:
            return
        self.state = state = replace(state, chosen=NEW + name, suggested=name)
        self._wanted = state.chosen  # a reload keeps it
        selector = self.query_one("#round", Select)
        with self.prevent(Select.Changed):
            selector.set_options([(Text(label), value) for label, value in state.options()])
            selector.value = state.chosen

    def action_new_round(self) -> None:
        state = self.state
        if state is None:
            return
        try:
            moment = self.typed_when()
        except ValueError:
            moment = state.default_at
        name = rounds_api.new_round_name(self.irp.visit, moment)

        def typed(result: TypedRound | None) -> None:
            if result is None:
                return

            self.save_when_confirmed(
                result.verdicts, lambda confirmed: self.save_round(result, "", confirmed)
            )

        visit = self.irp.visit
        dialog = RoundDialog(
            "Start a round", name, moment[:10], moment[11:16],
            namer=lambda moment: rounds_api.new_round_name(visit, moment),
        )  # fmt: skip
        self.app.push_screen(dialog, typed)

    def action_edit_round(self) -> None:
        state = self.state
        found = state.round() if state else None
        if found is None:
            self.notify("The round starts with its first check; ctrl+n names it first.")
            return

        def typed(result: TypedRound | None) -> None:
            if result is None:
                return

            self.save_when_confirmed(
                result.verdicts, lambda confirmed: self.save_round(result, found.id, confirmed)
            )

        dialog = RoundDialog(
            f"Round {found.name}: rename it, or change its day and time",
            found.name, found.on_date, found.at_time, found.id,
        )  # fmt: skip
        self.app.push_screen(dialog, typed)

    def save_round(self, result: TypedRound, round_id: str, confirmed: bool) -> bool:
        """Start the round (or rename or move ``round_id``) through ``save_typed``: while
        another program holds the file the name waits, kept, and the round starts (and
        is shown) once it is free."""
        args = {
            "round_id": round_id,
            "name": result.name,
            "on_date": result.on_date,
            "at_time": result.at_time,
            "allow_outside_visit": confirmed,
        }
        shown = (("Round", result.name), ("When", f"{result.on_date} {result.at_time}"))
        if round_id:
            label, key = f"the change to round {result.name}", f"roll_round:{round_id}"
        else:
            label, key = f"round {result.name}", f"roll_round:new:{result.name}"
        typed = Typed(key, "roll_round", label, args, shown)
        done = self.save_typed(
            typed, lambda saved: self.round_saved(result, str(saved)), label=label
        )
        if not done and not round_id and key in self.waiting:
            self._named_new = result.name  # named: When typed next does not rename it
            self.load_round(NEW + result.name)  # checks typed meanwhile go to it by name
        return done

    def action_link_round(self) -> None:
        """The round (all its checks) linked to the plan items it is evidence for."""
        found = self.state.round() if self.state else None
        if found is None or not found.counted:
            self.notify("A round is linked to plan items once it has a check: save one first.")
            return
        visit = self.irp.visit
        link_to_plan_items(
            self,
            f"round {found.name}",
            links_api.round_plan_refs(visit, found.id),
            lambda refs: links_api.link_round(visit, found.id, refs),
        )

    def round_saved(self, typed: TypedRound, round_id: str) -> None:
        self._when_typed = False
        self.load_round(round_id)
        self.set_focus(self.query_one("#roll", Input))

    # -- the table: delete, undo, history ----------------------------------------------

    def _table_check(self) -> roll_checks.RoundCheck | None:
        table = self.query_one("#round-table", DataTable)
        if table.row_count == 0 or self.state is None:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((c for c in self.state.checks if c.id == row_key.value), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A row chosen (a click): that check in the form, to edit."""
        self.action_edit_check()

    def action_edit_check(self) -> None:
        """Enter on a row: that check in the form, to edit."""
        check = self._table_check()
        if check is None:
            return
        with self.prevent(Select.Changed):
            self.query_one("#location", Select).value = check.location_id
        self._show_editing(check.location_id, keep_typed=False)
        self.edit_chosen = True  # chosen to correct: ctrl+s saves over it (the user's own)
        self._show_live()
        self.set_focus(self.query_one("#roll", Input))

    def action_delete_check(self) -> None:
        check = self._table_check()
        if check is None:
            return

        def answered(yes: bool | None) -> None:
            if yes and self.undoable(
                lambda: roll_checks.delete_roll_check(self.irp.visit, check.id),
                f"the delete of {check.location}'s check",
                where=check.location_id,
                doing="deleted",
            ):
                self.notify(f"Deleted the check of {check.location}; ctrl+z brings it back.")
                self._cursor_on = None
                self.load_round(self.state.chosen if self.state else None)

        question = f"Delete the roll check of {check.location} ({check.taken_at[11:16]})?"
        self.app.push_screen(ConfirmScreen(question), answered)

    def undone(self, what: Undoable) -> None:
        self._cursor_on = what.where if isinstance(what.where, str) else None
        self.load_round(self.state.chosen if self.state else None)

    def action_history(self) -> None:
        check = self._table_check()
        found = self.state.round() if self.state else None
        if check is not None:
            where = f" in round {found.name}" if found else ""
            self.show_history("roll_check", check.id, f"the check of {check.location}{where}")

    def action_focus_location(self) -> None:
        self.set_focus(self.query_one("#location", Select))

    async def action_add_locations(self) -> None:
        from irp_field.tui.screens.setup import SetupScreen

        await self.app.run_action("switch_mode('setup')")
        if isinstance(self.app.screen, SetupScreen):
            self.app.screen.show_kind("locations")

    def reset_focus(self) -> None:
        target = "#roll" if self.state is None or self.state.places else "#round-table"
        self.set_focus(self.query_one(target))
