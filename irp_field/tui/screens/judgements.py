"""Judgements: every judged unit on its own scale, the reason, the conclusion the report
prints, and the tally and chart, updated after every change.

A judgement is one committed write through ``api.findings.judge`` (the function the
``judge`` command calls); the board is then re-read in a thread worker.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Input, Label, Static

from irp_field.api import findings as editing
from irp_field.api.unsaved import Typed
from irp_field.api.views.judgements import Board, UnitRow, board
from irp_field.domain.errors import IrpError
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.table import Table


class JudgementsScreen(VisitScreen):
    """1-4 on the table picks a level of the item's own scale (Delete or 0 clears it); Enter
    in the reason saves it."""

    TITLE = "Judgements"

    DEFAULT_CSS = """
    JudgementsScreen {
        #units { height: 2fr; min-height: 6; }
        #summary-scroll { height: 1fr; min-height: 3; }
        #detail { height: auto; padding: 0 1; border-top: solid $primary; }
        #scale { color: $text-muted; }
        #conclusion { text-style: italic; }
        #why-row { height: 1; }
        #why-row Label { width: 8; }
        #why { width: 1fr; }
        #summary { height: auto; padding: 0 1; }
        #tallies { width: 1fr; }
        #chart { width: 1fr; padding-left: 2; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "judge(1)", "Level 1", show=False),
        Binding("2", "judge(2)", "Level 2", show=False),
        Binding("3", "judge(3)", "Level 3", show=False),
        Binding("4", "judge(4)", "Level 4", show=False),
        Binding("delete", "clear", "Clear judgement"),
        Binding("0", "clear", "Not judged", show=False),
        Binding("ctrl+w", "focus_why", "Reason"),
        Binding("ctrl+r", "reload", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.board: Board | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Table(id="units", cursor_type="row", fit=True)  # never past its edge
        with Vertical(id="detail"):
            yield Static(id="scale")
            with Horizontal(id="why-row"):
                yield Label("Reason")
                yield Input(id="why", placeholder="why, in a sentence (Enter saves)", compact=True)
            yield Static(id="conclusion")
        # the tally and charts scroll below: the judgements stay in view at 80x24
        with VerticalScroll(id="summary-scroll"), Horizontal(id="summary"):
            yield Static("Loading the judgements...", id="tallies")
            yield Static(id="chart")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one("#units", DataTable)
        # what is judged first; the area last, where a narrow terminal cuts
        table.add_columns("Unit", "Judgement", "Reason", "Area")
        self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def file_changed(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.load_board()

    def load_board(self) -> None:
        self.load(board, then=self.show_board, group="judgements")

    def show_board(self, found: Board) -> None:
        self.board = found
        table = self.query_one("#units", DataTable)
        row = table.cursor_row
        table.clear()
        for unit in found.units:
            table.add_row(
                " + ".join(unit.refs),
                unit.level.label if unit.level else "not judged",
                Text((unit.why or "-")[:40]),  # user text: never read as markup
                unit.area,
                key=unit.name,
            )
        if 0 <= row < table.row_count:
            table.move_cursor(row=row)
        self.query_one("#tallies", Static).update("\n".join(found.tallies))
        self.query_one("#chart", Static).update("\n".join(found.charts))
        self._show_detail()

    def current(self) -> UnitRow | None:
        table = self.query_one("#units", DataTable)
        if self.board is None or not (0 <= table.cursor_row < len(self.board.units)):
            return None
        return self.board.units[table.cursor_row]

    @on(DataTable.RowHighlighted, "#units")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        unit = self.current()
        if unit is None:
            return
        choices = "   ".join(
            f"{n}: {level.label.removesuffix(' progress')}"
            for n, level in enumerate(unit.scale.levels, start=1)
        )
        self.query_one("#scale", Static).update(
            f"{' + '.join(unit.refs)} on the {unit.scale.body} scale. {choices}"
        )
        why = self.query_one("#why", Input)
        if not why.has_focus:
            why.value = unit.why
        self.query_one("#conclusion", Static).update(
            unit.conclusion or "Not judged yet: no conclusion sentence."
        )

    def action_judge(self, number: int) -> None:
        unit = self.current()
        if unit is None or self.query_one("#why", Input).has_focus:
            return
        if not 1 <= number <= len(unit.scale.levels):
            self.notify(
                f"The {unit.scale.body} scale has {len(unit.scale.levels)} levels.",
                severity="warning",
            )
            return
        self._judge(unit, unit.scale.levels[number - 1].label, None)

    def _judge(self, unit: UnitRow, level: str, why: str | None) -> None:
        """Through the screens' one way to save: a busy file keeps the reason typed."""
        refs = " + ".join(unit.refs)
        shown = (("Judgement", level),) + ((("Why", why),) if why is not None else ())
        typed = Typed(
            f"judgement:{unit.refs[0]}", "judgement", f"the judgement of {refs}",
            {"ref": unit.refs[0], "level": level, "why": why}, shown,
        )  # fmt: skip

        def then(said: object) -> None:
            self.notify(str(said))
            self.load_board()

        self.save_typed(typed, then)

    def action_clear(self) -> None:
        """Back to "not judged" (the level is emptied: an edit that merges like any other)."""
        unit = self.current()
        if unit is None or self.query_one("#why", Input).has_focus:
            raise SkipAction()
        if unit.level is None:
            self.notify(f"{' + '.join(unit.refs)} is not judged.")
            return
        try:
            members = editing.clear_judgement(self.irp.visit, unit.refs[0])
        except IrpError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(f"{' + '.join(m.ref for m in members)}: not judged now.")
        self.load_board()

    def form_typed(self) -> str | None:
        """A reason typed and not saved (Enter saves it)."""
        unit = self.current() if self.is_mounted else None
        if unit is None or self.query_one("#why", Input).value.strip() == (unit.why or "").strip():
            return None
        return f"F8: the reason for {' + '.join(unit.refs)}"

    def action_focus_why(self) -> None:
        self.query_one("#why", Input).focus()

    @on(Input.Submitted, "#why")
    def _why_submitted(self, event: Input.Submitted) -> None:
        unit = self.current()
        if unit is None:
            return
        if unit.level is None:
            self.notify("Choose a judgement first (1-4 on the table).", severity="warning")
            return
        self._judge(unit, unit.level.label, event.value.strip())
        self.query_one("#units", DataTable).focus()
