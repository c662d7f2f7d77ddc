"""Placeholder until this screen is built."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from irp_field.tui.visit_screen import VisitScreen


class SamplingScreen(VisitScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Not built yet.")
        yield Footer()
