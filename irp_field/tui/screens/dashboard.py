"""The visit overview: plan items by area with judgements and evidence, and the key figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.widgets.key_figures import KeyFigures
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.table import Table

if TYPE_CHECKING:
    from irp_field.api.views.overview import InspectorTally, Overview
    from irp_field.api.visits import Visit


@cache
def short_kind() -> dict[str, str]:
    """Each kind of source as its column shows it. The overview's read model (figures,
    evidence, links: a fifth of the start) is imported by the read, in its worker, after
    the first frame; these wait for it too."""
    from irp_field.api.views.overview import EVIDENCE_KINDS

    shown = ("obs", "pris", "staff", "3rd", "docs", "data", "roll", "toc", "smp")
    return dict(zip(EVIDENCE_KINDS, shown, strict=True))


def read_overview(visit: Visit) -> Overview:
    """The overview's read (in the screen's worker), its module imported there."""
    from irp_field.api.views.overview import overview

    return overview(visit)


def _as_typed(cell: str) -> Text:
    """A cell shown as it was typed, on one line as the table shows a string: a string
    is read as rich markup (a ref written "[1.2]" lost its brackets), and its first reading
    loads rich's table of emoji names (3 ms before the overview shows its figures)."""
    return Text(cell, no_wrap=True, end="")


TALLY_LINES = 3  # the most the overview gives to who recorded what


def _counts(tallies: Sequence[InspectorTally]) -> str:
    return (
        f"{sum(t.roll_checks for t in tallies)}/{sum(t.notes for t in tallies)}"
        f"/{sum(t.sampled for t in tallies)}"
    )


def tally_line(tallies: Sequence[InspectorTally], fits: Callable[[str], bool]) -> str:
    """Who recorded what, in the lines it has: everyone by name when that fits; else
    those who recorded most, by name, and the rest counted together ("4 more 0/8/0"),
    so that no one is cut off mid-name at the screen's last line (at 80x24 Hull's ten
    were, after "Steve")."""

    def line(named: Sequence[InspectorTally], rest: Sequence[InspectorTally]) -> str:
        parts = [f"{t.name} {_counts([t])}" for t in named]
        if rest:
            parts.append(f"{len(rest)} more {_counts(rest)}")
        return f"Checks/notes/sampled: {'; '.join(parts) or 'nothing yet'}"

    whole = line(tallies, [])
    if fits(whole):
        return whole
    ranked = sorted(tallies, key=lambda t: (-(t.roll_checks + t.notes + t.sampled), t.name))
    for count in range(len(ranked) - 1, 0, -1):
        shortened = line(ranked[:count], ranked[count:])
        if fits(shortened):
            return shortened
    return line([], ranked)


class DashboardScreen(VisitScreen):
    """What the team has so far, refreshed whenever the screen is shown or the file
    changes (a merge, an import, another window)."""

    TITLE = "Overview"
    tallies: tuple[InspectorTally, ...] = ()  # as last read, fitted again on a resize

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
        # Text, not str: a str label is read as rich markup, whose first reading loads
        # rich's table of emoji names (3 ms of the first frame)
        headings = ("Ref", "Judgement", "Evidence by kind of source", "Check")
        table.add_columns(*(Text(heading) for heading in headings))

    def on_screen_resume(self) -> None:
        # The read is asked for now and starts once this resume has been handled:
        # Textual's own handler, after this one, lays the screen out and hands its first
        # frame to the terminal, and a thread worker begins only after the handlers, so
        # the frame never waits for the read model's imports. Asked for after the next
        # refresh instead, the read waited for Textual's next screen update (up to a
        # sixtieth of a second, idle). Keys typed meanwhile wait for the read.
        self.action_refresh_overview()

    def file_changed(self) -> None:
        self.action_refresh_overview()

    async def action_setup(self) -> None:
        await self.app.run_action("switch_mode('setup')")

    def action_handback(self) -> None:
        """The visit sealed for the team leader, into a file (``irp-field handback``)."""
        from irp_field.api import sealing
        from irp_field.tui.dialogs.handback import HandbackScreen

        keys = sealing.recipients(self.irp.visit)
        self.app.push_screen(HandbackScreen(self.irp.visit_path, self.irp.user, keys))

    def action_refresh_overview(self) -> None:
        self.load(read_overview, then=self.show_overview, group="overview")

    def show_overview(self, shown: Overview) -> None:
        s = shown.summary
        short = short_kind()
        self.query_one("#visit-title", Static).update(
            f"{s.establishment}: {s.visit_type} {s.start_date} to {s.end_date}"
            f" · you are {self.irp.user}{': your login (ctrl+u)' if self.irp.unnamed else ''}"
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
                none = _as_typed("")
                table.add_row(none, none, Text(area or "(no area)", style="bold underline"), none)
            evidence = " ".join(
                f"{short.get(kind, kind)} {n}" for kind, n in entry.counts.items() if n
            )
            flag = (
                "no evidence"
                if not entry.counts
                else ("one kind only" if entry.single_source else "")
            )
            table.add_row(
                _as_typed(entry.item.ref),
                _as_typed(entry.judgement.removesuffix(" progress") or "not judged"),
                _as_typed(evidence or "-"),
                Text(flag, style="bold"),
                key=entry.item.id,
            )
        if row < table.row_count:
            table.move_cursor(row=row)
        self.tallies = tuple(shown.tallies)
        self._show_tallies()

    def on_resize(self) -> None:
        if self.tallies:  # fitted again to the new width (before the first read: nothing)
            self._show_tallies()

    def _show_tallies(self) -> None:
        shown = self.query_one("#tallies", Static)
        width = (shown.size.width or self.app.size.width) - 2  # its padding

        def fits(text: str) -> bool:
            return len(Text(text).wrap(self.app.console, width)) <= TALLY_LINES

        shown.update(tally_line(self.tallies, fits))
