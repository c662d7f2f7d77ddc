"""Home: the visits in the data folder; open one, start a new one, say who you are."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from irp_field import paths
from irp_field.api.visits import Listed, list_visits
from irp_field.tui.base.irp_screen import IrpScreen
from irp_field.tui.dialogs.new_visit import NewVisitScreen
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.table import Table

if TYPE_CHECKING:
    pass


class HomeScreen(IrpScreen):
    """The visits on this laptop; Enter opens the one under the cursor."""

    TITLE = "Home"

    DEFAULT_CSS = """
    HomeScreen {
        #home-title { padding: 0 1; text-style: bold; }
        #visits { height: 1fr; }
        #home-hint { height: auto; padding: 0 1; color: $text-muted; }
    }
    """
    AUTO_FOCUS = "#visits"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_visit", "Open"),
        Binding("ctrl+n", "new_visit", "New visit"),
        Binding("w", "app.who_am_i", "Who am I"),
        Binding("ctrl+r", "refresh_list", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.visits: list[Listed] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Visits in {paths.visits_folder(create=False)}", id="home-title")
        # fits its width: a handed-out copy's long name ("hmp-hull-2022-paul-rowlands.db")
        # gives up room with "…" rather than the evidence ("42 sampl") at the edge
        yield Table(id="visits", cursor_type="row", fit=True)
        yield Static("", id="home-hint")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one("#visits", DataTable)
        # the file first, and the evidence a kind a line: at 80 columns the evidence on
        # one line pushed Changed and File off the screen's edge
        table.add_columns("File", "Establishment", "Dates", "Changed", "Evidence")
        self.load_visits()

    def on_screen_resume(self) -> None:
        self.load_visits()

    def action_refresh_list(self) -> None:
        self.load_visits()

    def load_visits(self) -> None:
        folder = paths.visits_folder(create=False)
        self.in_thread(lambda: list_visits(folder), then=self.show_visits, group="home")

    def show_visits(self, found: list[Listed]) -> None:
        self.visits = found
        table = self.query_one("#visits", DataTable)
        table.clear()
        current = self.irp.visit_path.resolve() if self.irp.has_visit else None
        for listed in found:
            s = listed.summary
            mark = "▶ " if current == listed.path.resolve() else ""
            if s is None:
                table.add_row(
                    Text(mark + listed.path.name), "cannot open", Text(listed.problem[:40]), "", ""
                )
                continue
            evidence = (
                f"{s.roll_checks} checks\n{s.notes} notes\n{s.time_periods} periods\n"
                f"{s.sampled_records} sampled"
            )
            table.add_row(
                Text(mark + listed.path.name),
                Text(s.establishment),  # typed text: never read as markup
                f"{s.start_date}\n{s.end_date}",
                s.last_changed[:16].replace("T", "\n"),
                evidence,
                key=str(listed.path),
                height=4,
            )
        hint = self.query_one("#home-hint", Static)
        if found:
            who = f"You are {self.irp.user}." if self.irp.has_visit else ""
            hint.update(f"Enter opens a visit, ctrl+n starts a new one, w: who am I. {who}")
        else:
            hint.update("No visits here yet: ctrl+n starts one ('irp-field demo' adds a sample).")

    def action_open_visit(self) -> None:
        table = self.query_one("#visits", DataTable)
        if table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        if row_key.value is None:
            self.notify("That file cannot be opened.", severity="error")
            return
        self.irp.open_visit(Path(row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter on the list reaches the table first; it says which row was chosen.
        event.stop()
        self.action_open_visit()

    def action_new_visit(self) -> None:
        def created(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Created {path.name}.")
                self.irp.open_visit(path)

        self.app.push_screen(NewVisitScreen(), created)
