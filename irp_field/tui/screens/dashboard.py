"""The visit overview: plan items by area with judgements and evidence, and the key figures."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from irp_field.api.overview import EVIDENCE_KINDS, Overview, overview
from irp_field.tui.visit_screen import VisitScreen
from irp_field.tui.widgets.key_figures import KeyFigures
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.table import Table

SHORT_KIND = dict(
    zip(
        EVIDENCE_KINDS,
        ("obs", "pris", "staff", "3rd", "docs", "data", "roll", "toc", "smp"),
        strict=True,
    )
)


class DashboardScreen(VisitScreen):
    """What the team has so far, refreshed whenever the screen is shown or the file
    changes (a merge, an import, another window)."""

    TITLE = "Overview"

    DEFAULT_CSS = """
    DashboardScreen {
        #visit-title { padding: 0 1; text-style: bold; }
        #plan { height: 1fr; }
        #tallies { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "setup", "Set-up: team, locations, plan"),
        Binding("ctrl+r", "refresh_overview", "Refresh"),
        Binding("b", "handback", "Hand back, sealed", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the visit...", id="visit-title")
        yield KeyFigures(id="figures")
        yield Table(id="plan", cursor_type="row", zebra_stripes=False)
        yield Static(id="tallies")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one("#plan", DataTable)
        table.add_columns("Ref", "Judgement", "Evidence by kind of source", "Check")

    def on_screen_resume(self) -> None:
        self.action_refresh_overview()

    def file_changed(self) -> None:
        self.action_refresh_overview()

    async def action_setup(self) -> None:
        await self.app.run_action("switch_mode('setup')")

    def action_handback(self) -> None:
        """The visit sealed for the team leader, into a file (``irp-field handback``)."""
        from irp_field.api import sealing
        from irp_field.tui.screens.handback import HandbackScreen

        keys = sealing.recipients(self.irp.visit)
        self.app.push_screen(HandbackScreen(self.irp.visit_path, self.irp.user, keys))

    def action_refresh_overview(self) -> None:
        self.load(overview, then=self.show_overview, group="overview")

    def show_overview(self, shown: Overview) -> None:
        s = shown.summary
        self.query_one("#visit-title", Static).update(
            f"{s.establishment}: {s.visit_type} {s.start_date} to {s.end_date}"
            f" · you are {self.irp.user}"
        )
        self.query_one(KeyFigures).show(shown.figures)
        table = self.query_one("#plan", DataTable)
        row = table.cursor_row
        table.clear()
        area = None
        for entry in shown.items:
            if entry.item.area != area:
                area = entry.item.area
                # The area goes in the widest column so that it does not widen the refs.
                table.add_row("", "", Text(area or "(no area)", style="bold underline"), "")
            evidence = " ".join(
                f"{SHORT_KIND.get(kind, kind)} {n}" for kind, n in entry.counts.items() if n
            )
            flag = (
                "no evidence"
                if not entry.counts
                else ("one kind only" if entry.single_source else "")
            )
            table.add_row(
                entry.item.ref,
                entry.judgement.removesuffix(" progress") or "not judged",
                evidence or "-",
                Text(flag, style="bold"),
                key=entry.item.id,
            )
        if row < table.row_count:
            table.move_cursor(row=row)
        tallies = "; ".join(
            f"{t.name} {t.roll_checks}/{t.notes}/{t.sampled}" for t in shown.tallies
        )
        self.query_one("#tallies", Static).update(
            f"Checks/notes/sampled: {tallies or 'nothing yet'}"
        )
