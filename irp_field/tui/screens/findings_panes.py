"""The findings screen's panes: plan items by area; for the chosen one its concern and
recommendation, its numbered paragraphs and the evidence behind it, side by side (the
evidence in place of the plan items on a narrow terminal, e toggles); a paragraph editor,
shown while a paragraph is edited, that completes figure names after ``{{`` and previews
the rendered text as you type. The writes: ``findings``."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Static, TextArea

from irp_field.api.findings import JudgedUnit, RenderedParagraph, Renderer
from irp_field.api.views.findings import FindingsView, read_view
from irp_field.domain.errors import IrpError
from irp_field.domain.plan import PlanItem
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.widgets.cursor_table import CursorTable
from irp_field.tui.widgets.figure_completion import FigureCompletion, matching, typed_name
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.shown_whole import ShownWhole
from irp_field.tui.widgets.table import Table


class FindingsPanes(VisitScreen):
    """Enter on a paragraph edits it; ctrl+s saves; Tab takes the highlighted figure."""

    NARROW = 100  # columns below which the evidence takes the plan items' place

    DEFAULT_CSS = """
    FindingsPanes {
        #top { height: 1fr; }
        #units { width: 22; }
        #middle { width: 3fr; }
        #item { height: auto; max-height: 6; padding: 0 1; }
        #paragraphs { height: 1fr; min-height: 4; }
        #evidence { width: 2fr; }
        #bottom { height: auto; }
        #editor { height: 6; display: none; }
        #editor.editing { display: block; }
        #preview { height: auto; padding: 0 1; color: $text-muted; }
        #changes { height: auto; max-height: 3; padding: 0 1; color: $warning; }
        &.-narrow #evidence { display: none; }
        &.-narrow.-evidence #evidence { display: block; width: 1fr; }
        &.-narrow.-evidence #units { display: none; }
        &.-narrow #item { max-height: 4; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.view: FindingsView | None = None
        self.unit_name: str | None = None
        self.editing_id: str | None = None  # the paragraph in the editor; None: a new one
        # The judged unit the editor writes under: chosen when it opens (moving the plan
        # items' cursor since changes nothing), or by ctrl+r.
        self.editor_unit: str | None = None
        self.renderer: Renderer | None = None
        self.follow_id: str | None = None  # the paragraph the cursor goes to after a reload
        self.new_one = ""  # the new paragraph in the editor (a save waiting for the file)
        self._opened_with = ""  # the editor's text when it opened: typed over since?

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="top"):
            yield CursorTable(id="units", cursor_type="row", fit=True)
            with Vertical(id="middle"):
                yield Static("Loading the findings...", id="item")
                yield Table(id="paragraphs", cursor_type="row")
            yield Table(id="evidence", cursor_type="row", fit=True)  # never past its edge
        with Vertical(id="bottom"):
            yield Static(id="changes")
            yield TextArea(
                id="editor",
                placeholder="Enter on a paragraph edits it; {{ lists figures (Enter takes one)",
            )
            yield FigureCompletion(id="complete")
            with ShownWhole(id="whole"):  # scrolls: a long paragraph's end can be reached
                yield Static(id="preview")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#units", DataTable).add_columns("Plan item")
        paragraphs = self.query_one("#paragraphs", DataTable)
        # The number's column fits "10.12" from the start: it used to take the width of
        # the first numbers drawn, and showed 3.3 for 3.37 to 3.39.
        paragraphs.add_column("No.", width=5)
        paragraphs.add_column("", width=1)
        paragraphs.add_column("Paragraph (as rendered now)")
        self.query_one("#evidence", DataTable).add_columns("Evidence", "Summary")
        self.set_class(self.size.width < self.NARROW, "-narrow")
        self.load_view()

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.NARROW, "-narrow")
        if self.view is not None:  # the paragraphs wrap at their column's new room
            self.call_after_refresh(self._show_unit)

    def file_changed(self) -> None:
        self.load_view()

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.load_view()

    def load_view(self) -> None:
        self.load(read_view, then=self.show_view, group="findings")

    def show_view(self, view: FindingsView) -> None:
        self.view = view
        self.renderer = Renderer(view.figures)
        editor = self.query_one("#editor", TextArea)
        if editor.has_class("editing"):
            self._preview(editor.text)  # as the figures are now (after a sync, say)
        table = self.query_one("#units", DataTable)
        with table.prevent(DataTable.RowHighlighted):
            table.clear()
            area = None
            chosen = 0
            stale = {p.paragraph.unit for p in view.state.stale}
            for unit in view.units:
                if view.areas[unit.name] != area:
                    area = view.areas[unit.name]
                    table.add_row(Text(area, style="bold underline"), key=f"area:{area}")
                if unit.name == self.unit_name:
                    chosen = table.row_count
                label = " + ".join(i.ref for i in unit.items)
                table.add_row(f"{'*' if unit.name in stale else ' '} {label}", key=unit.name)
            if self.unit_name is None and view.units:
                chosen = 1
                self.unit_name = view.units[0].name
            table.move_cursor(row=chosen)
        self._show_unit()

    # -- showing ------------------------------------------------------------------------

    def unit(self, name: str | None = None) -> JudgedUnit | None:
        """The unit chosen in the plan items (``name``: that unit)."""
        if self.view is None:
            return None
        wanted = self.unit_name if name is None else name
        return next((u for u in self.view.units if u.name == wanted), None)

    @on(DataTable.RowHighlighted, "#units")
    def _unit_chosen(self, event: DataTable.RowHighlighted) -> None:
        name = event.row_key.value
        if name is None or name.startswith("area:") or name == self.unit_name:
            return
        self.unit_name = name
        self._show_unit()

    @on(DataTable.RowSelected, "#units")
    def _to_paragraphs(self) -> None:
        """Enter on a plan item goes on to its paragraphs (it used to stay in the list)."""
        self.query_one("#paragraphs", DataTable).focus()

    def _show_unit(self) -> None:
        unit = self.unit()
        if unit is None or self.view is None:
            return
        self.query_one("#item", Static).update(Text("\n".join(_describe(i) for i in unit.items)))
        rendered = self.view.state.by_number()
        table = self.query_one("#paragraphs", DataTable)
        row = table.cursor_row
        table.clear()
        for paragraph in unit.paragraphs:
            if paragraph.finding is None:
                lines = self._lines(Text(unit.conclusion_text, style="italic"))
                table.add_row(paragraph.number, "", lines, height=len(lines.split()))
                continue
            shown = rendered[paragraph.number]
            lines = self._lines(Text(shown.text))  # user text: never read as markup
            table.add_row(
                paragraph.number,
                Text("*", style="bold") if shown.stale else "",
                lines,
                key=paragraph.finding.id,
                height=len(lines.split()),
            )
        if self.follow_id is not None and self.follow_id in table.rows:
            table.move_cursor(row=table.get_row_index(self.follow_id))
        elif 0 <= row < table.row_count:
            table.move_cursor(row=row)
        self.follow_id = None
        evidence = self.query_one("#evidence", DataTable)
        evidence.clear()
        for item in self.view.evidence.get(unit.name, []):
            summary = self._lines(
                Text(item.summary[:160]), evidence, lines=2, beside=len("Evidence")
            )
            evidence.add_row(item.kind, summary, key=item.id, height=len(summary.split()))
        self._show_changes()

    PARAGRAPH_LINES = 3  # of each paragraph in the table; the highlighted one is below whole

    def _lines(
        self,
        text: Text,
        table: DataTable[object] | None = None,
        lines: int = PARAGRAPH_LINES,
        beside: int = 5 + 1,
    ) -> Text:
        """A paragraph in as many of the table's lines as it needs, up to three, wrapped
        at the room its column has (at 120 columns it was cut at about 48 characters,
        on one line); "…" ends one that goes on (it is shown whole below the table)."""
        table = table or self.query_one("#paragraphs", DataTable)
        # the columns beside it and every column's padding (one either side), the bar
        room = max(20, (table.size.width or self.app.size.width // 2) - beside - 6 - 2)
        wrapped = list(text.wrap(self.app.console, room))
        if len(wrapped) > lines:
            wrapped = wrapped[:lines]
            last = wrapped[-1]
            last.truncate(room - 1)
            last.append("…")
        return Text("\n").join(wrapped)

    def paragraph(self) -> RenderedParagraph | None:
        table = self.query_one("#paragraphs", DataTable)
        if self.view is None or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next(
            (
                p
                for p in self.view.state.paragraphs
                if p.paragraph.finding and p.paragraph.finding.id == row_key.value
            ),
            None,
        )

    @on(DataTable.RowHighlighted, "#paragraphs")
    def _show_changes(self) -> None:
        shown = self.paragraph()
        changes = self.query_one("#changes", Static)
        editor = self.query_one("#editor", TextArea)
        if shown is not None and not editor.has_class("editing"):
            # the whole paragraph, wrapped: the table shows the start of each
            self.query_one("#preview", Static).update(
                Text(f"{shown.paragraph.number} {shown.text}")
            )
            self.query_one("#whole", ShownWhole).scroll_home(animate=False)
        if shown is None or not shown.stale:
            changes.update("")
            return
        why = _why_stale(shown)
        changes.update(f"{shown.paragraph.number} out of date: {why} (ctrl+t syncs it, ctrl+g all)")

    # -- editing ------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#paragraphs")
    def _edit(self) -> None:
        shown = self.paragraph()
        if shown is None or shown.paragraph.finding is None:
            self.notify("The conclusion comes from the judgement: change it on F8.")
            return
        finding = shown.paragraph.finding

        def edit() -> None:
            self.editing_id = finding.id
            self._open_editor(finding.text, shown.paragraph.unit)

        self.unless_typing_lost(edit, f"Open paragraph {shown.paragraph.number}")

    def action_new_paragraph(self) -> None:
        if self.unit() is None:
            return

        def start() -> None:
            self.editing_id = None
            self.new_one = uuid.uuid4().hex  # this new paragraph, saved twice: still one
            self._open_editor("", self.unit_name)

        self.unless_typing_lost(start, "Start a new paragraph")

    def _open_editor(self, text: str, unit: str | None) -> None:
        self._opened_with = text  # what the paragraph said when the editor opened
        self.editor_unit = unit
        editor = self.query_one("#editor", TextArea)
        editor.add_class("editing")
        self.title_editor()
        editor.load_text(text)
        editor.move_cursor(editor.document.end)
        editor.focus()

    def form_typed(self) -> str | None:
        """A paragraph typed in the editor and not saved (ctrl+s)."""
        if not self.is_mounted:
            return None
        editor = self.query_one("#editor", TextArea)
        if not editor.has_class("editing") or editor.text.strip() == self._opened_with.strip():
            return None
        unit = self.unit(self.editor_unit)
        where = f" of {unit.name}" if unit is not None else ""
        return f"F7: {'the new paragraph' if self.editing_id is None else 'the paragraph'}{where}"

    def title_editor(self) -> None:
        """The editor's title: the paragraph (new, or its number) and the plan item it is
        under, by number and the start of its words (a walker wrote under 1.21 thinking
        it was 1.38: nothing on the editor said which)."""
        editor = self.query_one("#editor", TextArea)
        unit = self.unit(self.editor_unit)
        if unit is None:
            editor.border_title = None
            return
        editing = next(
            (
                p.paragraph
                for p in (self.view.state.paragraphs if self.view else [])
                if p.paragraph.finding is not None and p.paragraph.finding.id == self.editing_id
            ),
            None,
        )
        if self.editing_id is None or editing is None:
            what = "New paragraph under"
        elif editing.unit == unit.name:
            what = f"Paragraph {editing.number} under"
        else:  # chosen by ctrl+r, moved when saved
            what = f"Paragraph {editing.number} (now {editing.unit}), ctrl+s moves it to"
        words = " ".join(unit.first.text.split())
        editor.border_title = Text(f"{what} {unit.name}: {words}")

    def close_editor(self) -> None:
        editor = self.query_one("#editor", TextArea)
        editor.remove_class("editing")
        editor.border_title = None
        editor.load_text("")
        self.query_one("#preview", Static).update("")
        self.query_one("#paragraphs", DataTable).focus()

    @on(TextArea.Changed, "#editor")
    def _typed(self) -> None:
        editor = self.query_one("#editor", TextArea)
        self._preview(editor.text)
        completion = self.query_one(FigureCompletion)
        before = editor.get_text_range((editor.cursor_location[0], 0), editor.cursor_location)
        typed = typed_name(before)
        if typed is None or self.view is None:
            completion.hide()
            return
        completion.show(matching(self.view.figures, typed), typed)

    def _preview(self, text: str) -> None:
        preview = self.query_one("#preview", Static)
        if not text.strip() or self.renderer is None:
            preview.update("")
            return
        try:
            preview.update(Text("Preview: " + self.renderer.render(text, "this paragraph").text))
        except IrpError as error:
            preview.update(Text(f"Will not render: {error}", style="bold"))

    def action_take_figure(self) -> None:
        """Enter in the figure list takes the highlighted figure, as Tab does (it used to
        close the list, typing a new line); elsewhere Enter is the editor's or the table's."""
        if not self.query_one(FigureCompletion).shown:
            raise SkipAction()
        self.action_complete()

    def action_completion(self, step: int) -> None:
        completion = self.query_one(FigureCompletion)
        if not completion.shown or not self.query_one("#editor", TextArea).has_focus:
            raise SkipAction()
        count = completion.option_count
        completion.highlighted = ((completion.highlighted or 0) + step) % count

    def action_complete(self) -> None:
        completion = self.query_one(FigureCompletion)
        editor = self.query_one("#editor", TextArea)
        key = completion.chosen_key()
        if key is None or not editor.has_focus:
            raise SkipAction()
        row, column = editor.cursor_location
        start = (row, column - len(completion.typed))
        editor.replace(f"{key} }}}}", start, editor.cursor_location)
        completion.hide()

    def action_close_editor(self) -> None:
        completion = self.query_one(FigureCompletion)
        if completion.shown:
            completion.hide()
            return
        if self.query_one("#editor", TextArea).has_focus:
            self.unless_typing_lost(self.close_editor, "Close the editor")


def _why_stale(shown: RenderedParagraph) -> str:
    """Why a paragraph is out of date, in words: never synced, edited since, or what
    changed ("roll.pct_locked_up 40% -> 41%")."""
    parts = []
    for change in shown.changes:
        if change.what == "paragraph":
            parts.append("not synced yet")
        elif change.what == "text" and change.old == "edited":
            parts.append("edited since its last sync")
        elif change.what == "evidence":
            parts.append("evidence it cites changed")
        else:
            parts.append(f"{change.what} {change.old} -> {change.new}")
    return "; ".join(parts)


def _describe(item: PlanItem) -> str:
    return f"{item.ref} Concern: {item.concern}\n    Recommendation: {item.text}"
