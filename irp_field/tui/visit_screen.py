"""The base of every screen on a visit: an :class:`IrpScreen` (typed access to the app,
reads off the event loop) that also acts on the domain rules' verdicts the way every
screen does."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from irp_field.domain.verdicts import CONFIRM, WARN, Verdict
from irp_field.tui.irp_screen import IrpScreen
from irp_field.tui.screens.confirm import ConfirmScreen


class VisitScreen(IrpScreen):
    def save_when_confirmed(
        self, verdicts: Iterable[Verdict], save: Callable[[bool], bool]
    ) -> None:
        """Save, asking first about what a rule wants confirmed (a date outside the visit).

        ``save(confirmed)`` writes and says whether it did; the rules' warnings (a roll
        above the capacity) are shown once it has. Refusals are the caller's to show
        beside their fields before calling this.
        """
        found = list(verdicts)
        asks = [v.message.split(";")[0] for v in found if v.severity == CONFIRM]
        warnings = [v.message for v in found if v.severity == WARN]

        def write(confirmed: bool) -> None:
            if save(confirmed):
                for warning in warnings:
                    self.notify(f"Saved, but {warning}.", severity="warning")

        if not asks:
            write(False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                write(True)
            else:
                self.notify("Not saved: change the date, or save again and answer y.")

        question = "; ".join(asks) + ". Save it with this date anyway?"
        self.app.push_screen(
            ConfirmScreen(question, hint="y: save it   n or Escape: not yet"), answered
        )
