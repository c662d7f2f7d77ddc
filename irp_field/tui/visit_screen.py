"""The base of every screen on a visit: typed access to the app that owns the visit file."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from irp_field.tui.app import IrpApp


class VisitScreen(Screen[None]):
    @property
    def irp(self) -> IrpApp:
        return cast("IrpApp", self.app)
