"""Findings: plan items by area; for the chosen one its concern and recommendation, its
numbered paragraphs and the evidence behind it, side by side; a paragraph editor that
completes figure names after ``{{`` and previews the rendered text as you type.

Every write goes through ``findings.editing`` (what the ``findings`` commands call);
the whole view is re-read in a thread worker after it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Static, TextArea

from irp_field.api import findings as editing
from irp_field.api import findings as outline
from irp_field.api.findings import (
    FindingsView,
    RenderedParagraph,
    Renderer,
    read_view,
    sync,
    sync_paragraph,
)
from irp_field.domain.errors import IrpError
from irp_field.domain.plan import PlanItem
from irp_field.tui.screens.attachments import AttachmentsScreen, AttachTo
from irp_field.tui.screens.confirm import ConfirmScreen
from irp_field.tui.screens.evidence_picker import EvidencePickerScreen
from irp_field.tui.visit_screen import VisitScreen
from irp_field.tui.widgets.figure_completion import FigureCompletion, matching, typed_name
from irp_field.tui.widgets.key_line import KeyLine


class FindingsScreen(VisitScreen):
    """Enter on a paragraph edits it; ctrl+s saves; Tab takes the highlighted figure."""

    TITLE = "Findings"

    DEFAULT_CSS = """
    FindingsScreen {
        #top { height: 1fr; }
        #units { width: 22; }
        #middle { width: 3fr; }
        #item { height: auto; max-height: 6; padding: 0 1; }
        #paragraphs { height: 1fr; }
        #evidence { width: 2fr; }
        #bottom { height: auto; }
        #editor { height: 6; }
        #preview { height: auto; max-height: 5; padding: 0 1; color: $text-muted; }
        #changes { height: auto; max-height: 3; padding: 0 1; color: $warning; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save paragraph", priority=True),
        Binding("ctrl+n", "new_paragraph", "New paragraph"),
        Binding("ctrl+t", "sync_one", "Sync paragraph", priority=True),
        Binding("ctrl+g", "sync_all", "Sync all", priority=True),
        Binding("l", "link", "Link to paragraph"),
        Binding("c", "cite", "Cite evidence"),
        Binding("f", "attachments", "Photographs"),
        Binding("delete", "delete_paragraph", "Delete paragraph"),
        Binding("ctrl+z", "undo_delete", "Undo delete"),
        Binding("shift+up", "move(-1)", "Move up"),
        Binding("shift+down", "move(1)", "Move down"),
        Binding("tab", "complete", "Take figure", show=False, priority=True),
        Binding("down", "completion(1)", show=False, priority=True),
        Binding("up", "completion(-1)", show=False, priority=True),
        Binding("escape", "close_editor", "Close editor", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: FindingsView | None = None
        self.unit_name: str | None = None
        self.editing_id: str | None = None  # the paragraph in the editor; None: a new one
        self.renderer: Renderer | None = None
        self.deleted: list[str] = []  # paragraphs deleted here, newest last: ctrl+z restores
        self.follow_id: str | None = None  # the paragraph the cursor goes to after a reload

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="top"):
            yield DataTable(id="units", cursor_type="row")
            with Vertical(id="middle"):
                yield Static("Loading the findings...", id="item")
                yield DataTable(id="paragraphs", cursor_type="row")
            yield DataTable(id="evidence", cursor_type="row")
        with Vertical(id="bottom"):
            yield Static(id="changes")
            yield TextArea(id="editor", placeholder="Enter on a paragraph edits it; {{ for figures")
            yield FigureCompletion(id="complete")
            yield Static(id="preview")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#units", DataTable).add_columns("Plan item")
        self.query_one("#paragraphs", DataTable).add_columns(
            "No.", "", "Paragraph (as rendered now)"
        )
        self.query_one("#evidence", DataTable).add_columns("Evidence", "Summary")
        self.load_view()

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.load_view()

    def load_view(self) -> None:
        self.load(read_view, then=self.show_view, group="findings")

    def show_view(self, view: FindingsView) -> None:
        self.view = view
        self.renderer = Renderer(view.figures)
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

    def unit(self) -> outline.JudgedUnit | None:
        if self.view is None:
            return None
        return next((u for u in self.view.units if u.name == self.unit_name), None)

    @on(DataTable.RowHighlighted, "#units")
    def _unit_chosen(self, event: DataTable.RowHighlighted) -> None:
        name = event.row_key.value
        if name is None or name.startswith("area:") or name == self.unit_name:
            return
        self.unit_name = name
        self._show_unit()

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
                table.add_row(paragraph.number, "", Text(unit.conclusion_text, style="italic"))
                continue
            shown = rendered[paragraph.number]
            table.add_row(
                paragraph.number,
                Text("*", style="bold") if shown.stale else "",
                Text(shown.text),  # user text: never read as markup
                key=paragraph.finding.id,
            )
        if self.follow_id is not None and self.follow_id in table.rows:
            table.move_cursor(row=table.get_row_index(self.follow_id))
        elif 0 <= row < table.row_count:
            table.move_cursor(row=row)
        self.follow_id = None
        evidence = self.query_one("#evidence", DataTable)
        evidence.clear()
        for item in self.view.evidence.get(unit.name, []):
            evidence.add_row(item.kind, Text(item.summary[:80]), key=item.id)
        self._show_changes()

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
        if shown is None or not shown.stale:
            changes.update("")
            return
        changes.update(
            f"{shown.paragraph.number} out of date: "
            + "; ".join(f"{c.what} {c.old} -> {c.new}" for c in shown.changes)
            + " (ctrl+t syncs it, ctrl+g all)"
        )

    # -- editing ------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#paragraphs")
    def _edit(self) -> None:
        shown = self.paragraph()
        if shown is None or shown.paragraph.finding is None:
            self.notify("The conclusion comes from the judgement: change it on F8.")
            return
        self.editing_id = shown.paragraph.finding.id
        self._open_editor(shown.paragraph.finding.text)

    def action_new_paragraph(self) -> None:
        if self.unit() is None:
            return
        self.editing_id = None
        self._open_editor("")

    def _open_editor(self, text: str) -> None:
        editor = self.query_one("#editor", TextArea)
        editor.load_text(text)
        editor.move_cursor(editor.document.end)
        editor.focus()

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
            self.query_one("#paragraphs", DataTable).focus()

    def action_save(self) -> None:
        editor = self.query_one("#editor", TextArea)
        unit = self.unit()
        if unit is None or not editor.text.strip():
            raise SkipAction()
        try:
            if self.editing_id is None:
                self.editing_id = editing.add_paragraph(self.irp.visit, unit.first.ref, editor.text)
                self.notify(f"Added a paragraph to {unit.name}.")
            else:
                found = editing.edit_paragraph(self.irp.visit, self.editing_id, editor.text)
                self.notify(f"Saved paragraph {found.number}.")
        except IrpError as error:
            self.notify(f"Not saved: {error}", severity="error")
            return
        self.load_view()

    # -- syncing and linking ------------------------------------------------------------

    def action_sync_one(self) -> None:
        shown = self.paragraph()
        if shown is None or shown.paragraph.finding is None:
            return
        try:
            lines = sync_paragraph(self.irp.visit, shown.paragraph.finding.id)
        except IrpError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(
            f"Synced {shown.paragraph.number}" + (": " + "; ".join(lines) if lines else ".")
        )
        self.load_view()

    def action_sync_all(self) -> None:
        try:
            result = sync(self.irp.visit)
        except IrpError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(
            f"Synced: {len(result.stale_numbers)} paragraph(s) updated."
            if result.written
            else "Nothing to sync: all paragraphs are in step with the evidence."
        )
        self.load_view()

    def action_link(self) -> None:
        evidence = self.query_one("#evidence", DataTable)
        if not evidence.has_focus or evidence.row_count == 0:
            raise SkipAction()
        row_key, _ = evidence.coordinate_to_cell_key(evidence.cursor_coordinate)
        shown = self.paragraph()
        if shown is None or shown.paragraph.finding is None or row_key.value is None:
            self.notify("Choose a paragraph first.", severity="warning")
            return
        finding = shown.paragraph.finding
        if row_key.value in finding.evidence:
            self.notify(f"{shown.paragraph.number} already cites it.")
            return
        try:
            editing.edit_paragraph(
                self.irp.visit, finding.id, finding.text, [*finding.evidence, row_key.value]
            )
        except IrpError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(f"Linked to paragraph {shown.paragraph.number}.")
        self.load_view()

    def action_attachments(self) -> None:
        """The chosen paragraph's photographs and documents (a photograph prints after it)."""
        shown = self.paragraph()
        if shown is None or shown.paragraph.finding is None:
            self.notify("Photographs go with a paragraph: choose one first.")
            return
        label = f"paragraph {shown.paragraph.number}"
        target = AttachTo(label, paragraph=shown.paragraph.finding.id)
        self.app.push_screen(AttachmentsScreen(target))

    def action_cite(self) -> None:
        """Pick any round, sample frame or data return of the visit to cite in the paragraph."""
        shown = self.paragraph()
        if shown is None or shown.paragraph.finding is None:
            self.notify("Choose a paragraph first.", severity="warning")
            return
        finding = shown.paragraph.finding
        number = shown.paragraph.number
        try:
            items = editing.citable_evidence(self.irp.visit)
        except IrpError as error:
            self.notify(str(error), severity="error")
            return
        if not items:
            self.notify("This visit has no rounds, sample frames or data returns yet.")
            return

        def chosen(evidence_id: str | None) -> None:
            if evidence_id is None:
                return
            if evidence_id in finding.evidence:
                self.notify(f"{number} already cites it.")
                return
            try:
                editing.edit_paragraph(
                    self.irp.visit, finding.id, finding.text, [*finding.evidence, evidence_id]
                )
            except IrpError as error:
                self.notify(str(error), severity="error")
                return
            self.notify(f"Cited in paragraph {number}.")
            self.follow_id = finding.id
            self.load_view()

        self.app.push_screen(
            EvidencePickerScreen(f"paragraph {number}", items, finding.evidence), chosen
        )

    # -- deleting and moving ------------------------------------------------------------

    def _chosen_written(self) -> RenderedParagraph | None:
        """The highlighted paragraph when the paragraph table has the focus and it is written."""
        if not self.query_one("#paragraphs", DataTable).has_focus:
            return None
        shown = self.paragraph()
        if shown is None or shown.paragraph.finding is None:
            return None
        return shown

    def action_delete_paragraph(self) -> None:
        shown = self._chosen_written()
        if shown is None:
            raise SkipAction()
        assert shown.paragraph.finding is not None
        finding_id = shown.paragraph.finding.id
        number = shown.paragraph.number

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                editing.delete_paragraph(self.irp.visit, finding_id)  # as `findings delete` does
            except IrpError as error:
                self.notify(str(error), severity="error")
                return
            self.deleted.append(finding_id)
            if self.editing_id == finding_id:
                self.editing_id = None
                self.query_one("#editor", TextArea).load_text("")
            self.notify(f"Paragraph {number} deleted; ctrl+z brings it back.")
            self.load_view()

        preview = shown.text if len(shown.text) <= 60 else shown.text[:57] + "..."
        self.app.push_screen(ConfirmScreen(f"Delete paragraph {number}?\n{preview}"), answered)

    def action_undo_delete(self) -> None:
        if self.query_one("#editor", TextArea).has_focus:
            raise SkipAction()  # the editor's own undo
        if not self.deleted:
            self.notify("Nothing to undo.")
            return
        finding_id = self.deleted.pop()
        try:
            editing.restore_paragraph(self.irp.visit, finding_id)
        except IrpError as error:
            self.notify(str(error), severity="error")
            return
        self.notify("Paragraph restored.")
        self.follow_id = finding_id
        self.load_view()

    def action_move(self, step: int) -> None:
        shown = self._chosen_written()
        if shown is None:
            raise SkipAction()
        assert shown.paragraph.finding is not None
        try:
            moved = editing.move_paragraph(self.irp.visit, shown.paragraph.finding.id, step)
        except IrpError as error:
            self.notify(str(error), severity="error")
            return
        if moved is None:
            self.notify(f"{shown.paragraph.number} is already {'first' if step < 0 else 'last'}.")
            return
        self.follow_id = shown.paragraph.finding.id
        self.load_view()


def _describe(item: PlanItem) -> str:
    return f"{item.ref} Concern: {item.concern}\n    Recommendation: {item.text}"
