"""What the roll-check screen shows: the visit's rounds and locations, the checks of the
chosen round, what a new round would be called and the inspector's route. Read in a
thread (``load``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from irp_field.api import roll_checks
from irp_field.api import rounds as rounds_api
from irp_field.api.visits import Visit, visit_dates
from irp_field.domain.rounds import default_moment, next_on_route, passed_over
from irp_field.domain.shares import whole

NEW = "new:"  # the Select value of a round not started yet: "new:Tue PM"


@dataclass(frozen=True)
class RoundState:
    places: list[roll_checks.Location]
    rounds: list[rounds_api.Round]
    chosen: str  # a round's id, or NEW + the name of a round to start with the first save
    checks: list[roll_checks.RoundCheck]
    suggested: str  # the name of a new round now
    default_at: str  # when a check happens unless typed: now in the visit, or its last day
    now_at: str  # now, to the minute
    route: tuple[str, ...] = ()  # the locations (ids) in the order this inspector walks them
    walked: tuple[str, ...] = ()  # the locations this inspector counted in the round
    visit_days: tuple[str, str] = ("", "")  # the visit's first and last: "Tue 10:00"'s Tue

    def started(self, chosen: str) -> bool:
        """Is the chosen round the new round ``chosen`` was (started by a save since)?"""
        found = self.round()
        name = chosen.removeprefix(NEW).casefold()
        return chosen.startswith(NEW) and found is not None and found.name.casefold() == name

    def day(self) -> str:
        """The day a time typed alone is on: the round's (a new round's: today in the
        visit, or its last day)."""
        found = self.round()
        return found.on_date if found is not None and found.on_date else self.default_at[:10]

    def next_place(self, after: str | None) -> str | None:
        """The next location on the route after ``after`` (else after the one this
        inspector counted last) not counted in the round yet; None when complete."""
        last = self.walked[-1] if self.walked else None
        return next_on_route(self.route, self.counted, after or last)

    def passed_over(self, offered: str | None) -> list[str]:
        """The names of the locations this inspector passed over in the round (but the
        one ``offered``): said beside the one offered."""
        ids = [i for i in passed_over(self.route, self.counted, self.walked) if i != offered]
        names = {place.id: place.name for place in self.places}
        return [names[i] for i in ids if i in names]

    @property
    def counted(self) -> set[str]:
        return {check.location_id for check in self.checks}

    @property
    def complete(self) -> bool:
        places = {place.id for place in self.places}
        return whole(len(self.counted & places), len(places))

    def round(self) -> rounds_api.Round | None:
        return next((r for r in self.rounds if r.id == self.chosen), None)

    def place_options(self) -> list[tuple[str, str]]:
        """The location list's choices: each counted in the round says so in words, "A
        wing · counted 10:42" (never by colour alone), so a location passed over shows."""
        at = {check.location_id: check.taken_at[11:16] for check in self.checks}
        return [
            (f"{p.name} · counted {at[p.id]}" if p.id in at else p.name, p.id) for p in self.places
        ]

    def options(self) -> list[tuple[str, str]]:
        """The Select's choices: the rounds, and the round to start when it is new."""
        listed = [(f"{r.name} · {r.on_date[5:]} {r.at_time}", r.id) for r in self.rounds]
        if not any(r.name.casefold() == self.suggested.casefold() for r in self.rounds):
            listed.append((f"{self.suggested} (new round)", NEW + self.suggested))
        return listed

    def progress(self) -> str:
        """ "3 of 11 locations counted", or that the round is complete."""
        total = len(self.places)
        if self.complete:
            # beside the round's 31 columns at 80x24: 37 columns left
            return f"all {total} counted: complete (^n new)"
        if self.chosen.startswith(NEW):
            return f"0 of {total} counted (a new round)"
        return f"{len(self.counted)} of {total} locations counted"


def theirs(check: roll_checks.RoundCheck, user: str) -> bool:
    """Is the check someone else's (another inspector's, or no one's named)? Saving over
    it asks first, and says what it replaced (a team leader corrects; never silently)."""
    return not user.strip() or check.inspector.strip().casefold() != user.strip().casefold()


def owner(check: roll_checks.RoundCheck) -> str:
    return check.inspector.strip() or "someone"


def editing_words(check: roll_checks.RoundCheck, user: str, *, chosen: bool = False) -> str:
    """The line that says, as long as the form edits a check, whose check it is.
    ``chosen``: the check was chosen to correct (Enter on its row of the round's table);
    otherwise the form came to it by itself (a location or a round chosen, a When that
    moved the round) and ctrl+s asks before replacing it, whoever's it is."""
    said = f"Editing {check.location}'s check of {check.taken_at[11:16]}"
    if theirs(check, user):
        return f"{said} (by {owner(check)}): ctrl+s asks first"
    if not chosen:
        return f"{said} (by you): ctrl+s asks first"
    return f"{said} (by you): ctrl+s saves the change"


def whose(check: roll_checks.RoundCheck, user: str) -> str:
    """ "your" for the user's own check, "Jade Richards's" for another's."""
    return f"{owner(check)}'s" if theirs(check, user) else "your"


def replace_question(check: roll_checks.RoundCheck, user: str) -> str:
    """What ctrl+s asks before a check the form came to is replaced: whose, where, when
    and what it holds ("Replace your check of A wing at 14:00 (118, 50 locked up)?")."""
    held = f"{check.counts.roll}, {check.counts.locked_up} locked up"
    return (
        f"Replace {whose(check, user)} check of {check.location} at "
        f"{check.taken_at[11:16]} ({held})"
    )


def replaced_words(check: roll_checks.RoundCheck, user: str = "") -> str:
    """What a save over a check it asked about replaced, said afterwards."""
    return f"Replaced {whose(check, user)} check of {check.location} at {check.taken_at[11:16]}"


def read_round(
    visit: Visit, chosen: str | None, now: dt.datetime, inspector: str = ""
) -> RoundState:
    """The locations, the rounds and the chosen round's checks, and ``inspector``'s
    route. ``chosen`` None: the latest round, or a new one when the latest is complete
    (or there is none), named as no round is: a complete round is never opened by
    itself (it opened a colleague's check to edit, and a sheet typed on went over it);
    the list still chooses it, to correct a check."""
    places = roll_checks.locations(visit)
    listed = rounds_api.rounds(visit)
    dates = visit_dates(visit)
    default_at = default_moment(now, dates)
    suggested = rounds_api.suggest_round_name(visit, default_at, listed)
    if chosen is None or (not chosen.startswith(NEW) and not any(r.id == chosen for r in listed)):
        chosen = listed[-1].id if listed else NEW + suggested
        if listed and listed[-1].counted >= len(places) > 0:
            if any(r.name.casefold() == suggested.casefold() for r in listed):
                suggested = rounds_api.new_round_name(visit, default_at, listed)
            chosen = NEW + suggested
    if chosen.startswith(NEW):  # started since (a save that waited, a merge): that round
        named = chosen.removeprefix(NEW).casefold()
        chosen = next((r.id for r in listed if r.name.casefold() == named), chosen)
    if chosen.startswith(NEW):  # a round not started yet (one waiting for a busy file)
        suggested = chosen.removeprefix(NEW)
    checks = [] if chosen.startswith(NEW) else roll_checks.round_checks(visit, chosen)
    now_at = now.replace(second=0, microsecond=0).isoformat(timespec="minutes")
    new = chosen.startswith(NEW)
    route = roll_checks.route(visit, inspector, places, "" if new else chosen)
    walked = () if new else tuple(roll_checks.walked(visit, chosen, inspector))
    return RoundState(
        places, listed, chosen, checks, suggested, default_at, now_at, tuple(route), walked,
        (dates.start, dates.end),
    )  # fmt: skip
