"""Sampling: the visit's sample frames, a new draw, and the grid of records by criteria.

y, n and a answer the cell under the cursor (one committed write each) and move on to
the next empty cell; c comments on it, answered or not (a comment on an empty cell is
kept on the cell's answer row with the answer left for later, and counts nowhere until
it is answered). x or Delete clears the cell (the answer row becomes a tombstone) and
ctrl+d deletes the whole sample after asking; ctrl+z undoes either. The results under
the grid are worked out from the grid in memory, so they change as each answer is typed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Header, Label, Select, Static

from irp_field.api import sampling as sampling_api
from irp_field.api import setup
from irp_field.api.unsaved import Typed
from irp_field.api.views.sampling import Cell, SampleGrid, frames_and_grid
from irp_field.domain.wording import pct
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.dialogs.attachments import AttachmentsScreen, AttachTo
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.dialogs.sample_dialogs import (
    CommentScreen,
    Drawn,
    DrawSampleScreen,
    DrawWaiting,
)
from irp_field.tui.undo import Undoable
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.table import Table

KEY_ANSWERS = {"y": "yes", "n": "no", "a": "na"}
SHOWN = {"yes": "y", "no": "n", "na": "n/a"}
HEADER_WIDTH = 11  # a criterion's heading at least, when the room is short
FIRST_CRITERION = 2  # the columns before the criteria: Drawn, Record


def cell_text(cell: Cell | None) -> str:
    if cell is None:
        return "·"
    shown = SHOWN.get(cell.answer, cell.answer) if cell.answered else "·"
    return shown + ("*" if cell.comment else "")


def result_line(number: int, name: str, grid: SampleGrid, criterion_id: str) -> str:
    result = grid.result(criterion_id)
    answered = result.applicable + result.na
    head = f"{number} {name}"
    if result.share is None or result.interval is None:
        return f"{head}: no applicable answers yet ({answered} of {len(grid.records)} answered)"
    low, high = result.interval
    na = f", {result.na} n/a" if result.na else ""
    return (
        f"{head}: {pct(result.share)} yes ({result.yes} of {result.applicable}{na}), "
        f"95% CI {pct(low)} to {pct(high)}"
    )


class SamplingScreen(VisitScreen):
    """Answer every sampled record against every criterion, one key a cell."""

    TITLE = "Sampling"

    DEFAULT_CSS = """
    SamplingScreen {
        #frame-row { height: 1; margin: 0 1; }
        #frame-row Label { width: 8; }
        #frame-row Select { width: 40; }
        #frame-info { height: auto; margin: 0 1; color: $text-muted; }
        #grid { height: 1fr; }
        #cell { height: 1; margin: 0 1; }
        #results { height: auto; max-height: 6; margin: 0 1; }
    }
    """
    AUTO_FOCUS = "#grid"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('y')", "Yes"),
        Binding("n", "answer('n')", "No"),
        Binding("a", "answer('a')", "N/a"),
        Binding("c", "comment", "Comment"),
        Binding("x,delete", "clear", "Clear"),
        Binding("ctrl+n", "draw", "New sample"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("h", "history", "History"),
        Binding("ctrl+d", "delete_frame", "Delete sample"),
        Binding("f", "attachments", "Photographs, documents"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.grid: SampleGrid | None = None
        self.frame_list: list[sampling_api.SampleFrame] = []
        self._drawn: Drawn | None = None
        self._undone_at: tuple[str, str] | None = None  # the cell an undo acted on
        # The frame last asked for: a reload shows it (the dialog of a draw closing
        # resumes the screen after its answer asked for the frame just drawn).
        self._frame_wanted: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="frame-row"):
            yield Label("Frame")
            yield Select[str]([], id="frame", compact=True, allow_blank=True, prompt="no samples")
        yield Static("Loading the samples...", id="frame-info")
        yield Table(id="grid", cursor_type="cell", zebra_stripes=False)
        yield Static("", id="cell")
        yield Static("", id="results")
        yield KeyLine()

    def on_mount(self) -> None:
        self.load_frame(None)

    def on_screen_resume(self) -> None:
        if self.grid is not None:
            self.load_frame(self._frame_wanted or self.grid.frame.id)

    def file_changed(self) -> None:
        self.load_frame(self._frame_wanted or (self.grid.frame.id if self.grid else None))

    # -- loading ---------------------------------------------------------------------

    def load_frame(self, frame_id: str | None) -> None:
        """The sample frames, and the grid of one (None: the latest)."""
        self._frame_wanted = frame_id
        self.load(
            lambda visit: frames_and_grid(visit, frame_id), then=self.show_frame, group="sampling"
        )

    def show_frame(self, found: tuple[list[sampling_api.SampleFrame], SampleGrid | None]) -> None:
        frames, grid = found
        table = self.query_one("#grid", DataTable)
        keep = (
            table.cursor_coordinate
            if self.grid and grid and (self.grid.frame.id == grid.frame.id)
            else None
        )
        self.frame_list, self.grid = frames, grid
        chooser = self.query_one("#frame", Select)
        with chooser.prevent(Select.Changed):
            chooser.set_options([(f.name, f.id) for f in frames])
            if grid is not None:
                chooser.value = grid.frame.id
        self._fill(keep)

    @on(Select.Changed, "#frame")
    def _frame_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and (
            self.grid is None or event.value != self.grid.frame.id
        ):
            self._drawn = None
            self.load_frame(event.value)

    def _fill(self, keep: Coordinate | None) -> None:
        table = self.query_one("#grid", DataTable)
        table.clear(columns=True)
        grid = self.grid
        if grid is None:
            self.query_one("#frame-info", Static).update(
                "No samples yet: ctrl+n draws one (frame, population size, sample size, seed)."
            )
            self.query_one("#results", Static).update("")
            return
        self.query_one("#frame-info", Static).update(self._frame_text(grid.frame))
        # The rows are in the order drawn ("record 1" of the sheet was drawn third): the
        # first column says where each was drawn.
        table.add_column("Drawn", key="drawn")
        table.add_column("Record", key="record")
        for label, criterion in zip(self._headings(grid), grid.criteria, strict=True):
            table.add_column(label, key=criterion.id)
        for drawn, record in enumerate(grid.records, 1):
            table.add_row(
                Text(str(drawn), justify="right"),
                Text(record),  # a record reference as typed: never read as markup
                *(cell_text(grid.cells.get((record, c.id))) for c in grid.criteria),
                key=record,
            )
        undone, self._undone_at = self._undone_at, None
        if undone is not None and undone[0] in grid.records:
            self._go_to(undone)
        elif keep is not None and table.is_valid_coordinate(keep):
            table.move_cursor(row=keep.row, column=keep.column, animate=False)
        else:
            self._go_to(grid.next_empty("", ""))
        self._show_results()
        self._show_cell()

    def _headings(self, grid: SampleGrid) -> list[str]:
        """The criteria's headings, cut only as far as the room the records leave needs
        (they were all cut at 11 characters, on a wide screen too): the longest first,
        never below 11; the full names are under the grid."""
        labels = [f"{n} {criterion.name}" for n, criterion in enumerate(grid.criteria, 1)]
        record = max([len("Record"), *(len(r) for r in grid.records)])
        # each column is padded by one either side; the scroll bar takes two, and the
        # cursor's column a little more
        room = self.app.size.width - (len("Drawn") + 2) - (record + 2) - 2 * len(labels) - 5
        widths = [len(label) for label in labels]
        while sum(widths) > room and max(widths) > HEADER_WIDTH:
            widths[widths.index(max(widths))] -= 1
        return [
            label if len(label) <= width else label[: width - 1] + "…"
            for label, width in zip(labels, widths, strict=True)
        ]

    def on_resize(self) -> None:
        if self.grid is not None:
            table = self.query_one("#grid", DataTable)
            self._fill(table.cursor_coordinate)

    def _frame_text(self, frame: sampling_api.SampleFrame) -> str:
        population = (
            f"population {frame.population}" if frame.population else "population not given"
        )
        seed = f"seed {frame.seed}" if frame.seed else "no seed"
        digest = f", list SHA-256 {frame.list_sha256}" if frame.list_sha256 else ""
        return (
            f"{frame.method or 'supplied'}, {population}, {seed}{digest}; the records in "
            "the order drawn"
        )

    def _go_to(self, cell: tuple[str, str] | None) -> None:
        table = self.query_one("#grid", DataTable)
        if cell is None or self.grid is None:
            if table.row_count:
                table.move_cursor(row=0, column=FIRST_CRITERION, animate=False)
            return
        record, criterion_id = cell
        table.move_cursor(
            row=table.get_row_index(record),
            column=table.get_column_index(criterion_id),
            animate=False,
            scroll=True,
        )

    def _cursor_cell(self) -> tuple[str, str] | None:
        table = self.query_one("#grid", DataTable)
        if self.grid is None or table.row_count == 0 or not self.grid.criteria:
            return None
        if table.cursor_column < FIRST_CRITERION:
            return None
        row_key, column_key = table.coordinate_to_cell_key(table.cursor_coordinate)
        if row_key.value is None or column_key.value is None:
            return None
        return row_key.value, column_key.value

    def action_attachments(self) -> None:
        """The highlighted record's scans and photographs."""
        table = self.query_one("#grid", DataTable)
        if self.grid is None or table.row_count == 0:
            self.notify("Choose a sampled record first.")
            return
        record = str(table.coordinate_to_cell_key(table.cursor_coordinate)[0].value)
        frame = self.grid.frame.name
        target = AttachTo(f"record {record} ({frame})", frame=frame, record=record)
        self.app.push_screen(AttachmentsScreen(target))

    def _criterion_name(self, criterion_id: str) -> str:
        assert self.grid is not None
        return next(c.name for c in self.grid.criteria if c.id == criterion_id)

    # -- showing -----------------------------------------------------------------------

    def _show_results(self) -> None:
        grid = self.grid
        if grid is None:
            return
        lines = [
            result_line(number, criterion.name, grid, criterion.id)
            for number, criterion in enumerate(grid.criteria, 1)
        ]
        self.query_one("#results", Static).update(Text("\n".join(lines)))

    @on(DataTable.CellHighlighted, "#grid")
    def _show_cell(self) -> None:
        where = self._cursor_cell()
        status = self.query_one("#cell", Static)
        if where is None or self.grid is None:
            status.update("Move to a cell: y yes, n no, a n/a, c comment.")
            return
        record, criterion_id = where
        cell = self.grid.cells.get(where)
        answer = SHOWN.get(cell.answer, cell.answer) if cell and cell.answered else "not answered"
        comment = f' "{cell.comment}"' if cell and cell.comment else ""
        status.update(Text(f"{record} · {self._criterion_name(criterion_id)}: {answer}{comment}"))

    # -- answering ---------------------------------------------------------------------

    def _write(self, record: str, criterion_id: str, answer: str, comment: str) -> bool:
        """One committed write, kept for ctrl+z (an overwrite too); the grid in memory
        changes only when the file did. While the file is busy it waits, kept
        (``tui.unsaved``), and the cell shows it once it is saved."""
        assert self.grid is not None
        frame_id = self.grid.frame.id
        criterion = self._criterion_name(criterion_id)
        what = f"the answer for {record}, {criterion}"
        args = {
            "frame_id": frame_id, "record": record, "criterion": criterion,
            "answer": answer, "comment": comment,
        }  # fmt: skip
        shown = (("Sample", self.grid.frame.name), ("Record", record), ("Criterion", criterion),
                 ("Answer", answer), ("Comment", comment))  # fmt: skip
        typed = Typed(f"sample_answer:{frame_id}:{record}:{criterion_id}", "sample_answer",
                      what, args, shown)  # fmt: skip

        def then(_: object) -> None:
            if self.grid is None or self.grid.frame.id != frame_id:
                self.load_frame(self.grid.frame.id if self.grid else frame_id)
                return
            self._set_cell(record, criterion_id, Cell(answer, comment))

        return self.save_typed(typed, then, label=what, where=(record, criterion_id))

    def action_answer(self, key: str) -> None:
        where = self._cursor_cell()
        if where is None or self.grid is None:
            self.notify("Move the cursor onto a criterion's cell first.")
            return
        old = self.grid.cells.get(where)
        if self._write(*where, KEY_ANSWERS[key], old.comment if old else ""):
            self._go_to(self.grid.next_empty(*where))
            self._show_cell()

    def action_comment(self) -> None:
        where = self._cursor_cell()
        if where is None or self.grid is None:
            self.notify("Move the cursor onto a criterion's cell first.")
            return
        old = self.grid.cells.get(where) or Cell("")
        record, criterion_id = where

        def written(comment: str | None) -> None:
            if comment is None or comment.strip() == old.comment.strip():
                return
            if not old.answered and not comment.strip():
                self._clear(record, criterion_id)  # nothing left on the cell: a tombstone
            else:
                self._write(record, criterion_id, old.answer, comment)

        label = f"{record}, {self._criterion_name(criterion_id)}"
        self.app.push_screen(CommentScreen(label, old.comment), written)

    # -- clearing, deleting and undoing ------------------------------------------------

    def action_clear(self) -> None:
        where = self._cursor_cell()
        if where is None or self.grid is None:
            self.notify("Move the cursor onto a criterion's cell first.")
            return
        if where not in self.grid.cells:
            self.notify("Nothing to clear: the cell is empty.")
            return
        if self._clear(*where):
            self.notify("Cleared; ctrl+z brings the answer back.")

    def _clear(self, record: str, criterion_id: str) -> bool:
        """Tombstone the cell's answer row (its comment goes with it), one commit."""
        assert self.grid is not None
        visit = self.irp.visit
        answer_id = sampling_api.cell_id(visit, self.grid.frame.id, record, criterion_id)
        label = f"the clearing of {record}, {self._criterion_name(criterion_id)}"
        if not self.undoable(
            lambda: sampling_api.clear_answer(visit, answer_id),
            label,
            (record, criterion_id),
            "cleared",
        ):
            return False
        self._set_cell(record, criterion_id, None)
        return True

    def _set_cell(self, record: str, criterion_id: str, cell: Cell | None) -> None:
        assert self.grid is not None
        if cell is None:
            self.grid.cells.pop((record, criterion_id), None)
        else:
            self.grid.cells[(record, criterion_id)] = cell
        table = self.query_one("#grid", DataTable)
        table.update_cell(record, criterion_id, cell_text(cell))
        self._show_results()
        self._show_cell()

    def undone(self, what: Undoable) -> None:
        """Back as it was; the cursor on the cell (or the sample) the undo acted on."""
        where = what.where
        frame = self.grid.frame.id if self.grid else None
        if isinstance(where, str):  # a sample deleted, or drawn
            frame = where
        self._undone_at = where if isinstance(where, tuple) else None
        self.load_frame(frame)

    def action_history(self) -> None:
        where = self._cursor_cell()
        if where is None or self.grid is None:
            self.notify("Move the cursor onto a criterion's cell first.")
            return
        record, criterion_id = where
        answer_id = sampling_api.cell_id(self.irp.visit, self.grid.frame.id, record, criterion_id)
        label = f"the answer for {record}, {self._criterion_name(criterion_id)}"
        self.show_history("sample_answer", answer_id, label)

    def action_delete_frame(self) -> None:
        grid = self.grid
        if grid is None:
            self.notify("No sample to delete.")
            return
        answered = sum(1 for cell in grid.cells.values() if cell.answered)
        question = (
            f"Delete the sample {grid.frame.name!r} ({len(grid.records)} records, "
            f"{answered} answers)?"
        )

        def answered_yes(yes: bool | None) -> None:
            if not yes:
                return
            if not self.undoable(
                lambda: sampling_api.delete_frame(self.irp.visit, grid.frame.id),
                f"the delete of the sample {grid.frame.name}",
                grid.frame.id,
                "deleted",
            ):
                return
            self.notify("Sample deleted; ctrl+z brings it back.")
            self.grid = None
            self.load_frame(None)

        self.app.push_screen(ConfirmScreen(question), answered_yes)

    def action_draw(self) -> None:
        def drawn(result: Drawn | DrawWaiting | None) -> None:
            if result is None:
                return
            if isinstance(result, DrawWaiting):
                self._draw_when_free(result)
                return
            self._drawn = result
            self.notify(
                f"Drew {result.records} records with seed {result.seed}; "
                f"list SHA-256 {result.list_sha256[:12]}…"
            )
            self.load_frame(result.frame_id)

        visit = self.irp.visit
        refs = [item.ref for item in setup.plan_items(visit)]
        self.app.push_screen(DrawSampleScreen(refs, sampling_api.earlier_criteria(visit)), drawn)

    def _draw_when_free(self, waiting: DrawWaiting) -> None:
        """The draw typed while another program held the file: kept, drawn once free."""
        frame = str(waiting.args["frame"])
        shown = (("Sample", frame), ("Size", str(waiting.args["size"])))
        what = f"the sample {frame}"
        typed = Typed(f"sample_drawn:{frame}", "sample_drawn", what, dict(waiting.args), shown)
        self.save_typed(
            typed,
            lambda frame_id: self.load_frame(str(frame_id)),
            after=lambda _: self.notify(f"Drew {what} (seed {waiting.args['seed']})."),
        )
