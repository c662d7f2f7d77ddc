"""Placeholder until this screen is built (the team leader's screens)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from irp_field.tui.visit_screen import VisitScreen


class FindingsScreen(VisitScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Findings: not built yet.")
        yield Footer()
