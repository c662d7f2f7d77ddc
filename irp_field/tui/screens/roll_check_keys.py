"""F3's keys on the location's list and the round's table (and shift+tab): a letter
opens the list at the first location whose name begins with it (again: the next one),
a digit goes into the roll (the list closed as it was), and a pick goes on to the roll.

The list is Textual's Select without its own search: that search found a typed text
anywhere in a label, and a sheet's "139" typed on the open list found
"A wing · counted 14:00" (the list's word for a location counted), so the form switched
to a check already saved. Locations are chosen by the first letters of their names, as
every list of words in the app is (``widgets.letter_select``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.actions import SkipAction
from textual.widgets import Input, Select

from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.screens.roll_table import COUNT_FIELDS
from irp_field.tui.widgets.letter_select import next_starting_with

if TYPE_CHECKING:
    from textual.widgets._select import SelectOverlay

    from irp_field.api.views.roll_check import RoundState

# Where Enter and Tab go: the round, when, the location, the counts and the note (Enter
# on When skips the location: ``RollCheckForm.action_next_field``).
FIELD_ORDER = ("round", "taken_at", "location", *COUNT_FIELDS, "note")


class LocationKeys(VisitScreen):
    """The roll-check form's keys on the location's list (``RollCheckForm``)."""

    state: RoundState | None
    _picked: bool  # a location picked from the list: the cursor goes on to the roll
    _place_query = ""  # the letters typed since the list opened ("he": Health care unit)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The location's list closes on a pick, handing the cursor back to the location:
        it goes on to the roll."""
        places = self.query_one("#location", Select)
        if self._picked and event.widget is places:
            self._picked = False
            self.set_focus(self.query_one("#roll", Input))
        elif event.widget is not places and event.widget.parent is not places:
            self._picked = False  # the list left another way (a click elsewhere)

    def _focused_field(self) -> str:
        focused = self.focused
        if focused is not None and focused.id in FIELD_ORDER:
            return focused.id
        raise SkipAction()

    def action_previous_field(self) -> None:
        name = self._focused_field()
        if name == FIELD_ORDER[0]:
            raise SkipAction()
        self.set_focus(self.query_one(f"#{FIELD_ORDER[FIELD_ORDER.index(name) - 1]}"))

    def _places_focused(self) -> bool:
        """Has the location's list the cursor, closed or open?"""
        places = self.query_one("#location", Select)
        focused = self.focused
        return focused is places or (focused is not None and focused.parent is places)

    def action_digit_to_roll(self, digit: str) -> None:
        """A digit on the location's list or the round's table goes into the roll, the
        list closed as it was (a location is chosen by a letter and Enter, never by a
        figure of the sheet)."""
        places = self.query_one("#location", Select)
        if places.expanded:
            places.expanded = False
        roll = self.query_one("#roll", Input)
        self.set_focus(roll)
        # Once the roll has the focus (which selects what it holds): "139" whole
        roll.post_message(events.Key(digit, digit))

    def on_key(self, event: events.Key) -> None:
        """A letter on the location, its list closed or open, highlights the next
        location whose name begins with it (a digit there or on the table goes into the
        roll: ``action_digit_to_roll``)."""
        if not self._places_focused() or not event.is_printable or not event.character:
            return
        if event.character.isspace():
            return  # Space opens the list as it is
        places = self.query_one("#location", Select)
        if not places.expanded:
            self._open_places(event.character)
        else:
            self._find_place(event.character)
        event.stop()

    def _open_places(self, character: str) -> None:
        """The location's list, open at the first location that begins with ``character``."""
        places = self.query_one("#location", Select)
        places.action_show_overlay()
        self.set_focus(self._overlay(), scroll_visible=False)
        self._place_query = ""
        self._find_place(character)

    def _overlay(self) -> SelectOverlay:
        from textual.widgets._select import SelectOverlay

        return self.query_one("#location", Select).query_one(SelectOverlay)

    def _find_place(self, character: str) -> None:
        """The open list's cursor on the first location whose name begins with the
        letters typed since it opened ("he": Health care unit); a letter that begins
        none with them starts again: the next location it begins (coming round to the
        first; "d" again: the next). A bell when none does."""
        places = self.state.places if self.state is not None else []
        names = [p.name for p in places]
        overlay = self._overlay()
        at = overlay.highlighted
        current = names[at] if at is not None and 0 <= at < len(names) else ""
        query = self._place_query + character
        found = next((n for n in names if n.casefold().startswith(query.casefold())), None)
        if len(query) < 2 or found is None:
            query = character
            found = next_starting_with(names, character, current)
        self._place_query = query
        if found is None:
            self.app.bell()
            return
        overlay.select(next(i for i, p in enumerate(places) if p.name == found))
