"""Findings: plan items by area; for the chosen one its concern and recommendation, its
numbered paragraphs and the evidence behind it (``findings_panes``), and what is done to
them here: write, sync, link, cite, delete, move, undo (ctrl+z, any change) and history.

Every write goes through ``findings.editing`` (what the ``findings`` commands call);
the whole view is re-read in a thread worker after it. A paragraph saved here is synced
at once: it was just written against the figures as they are (it used to be marked out
of date at once, "text edited -> re-rendered").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, TextArea

from irp_field.api import findings as editing
from irp_field.api.findings import (
    JudgedUnit,
    RenderedParagraph,
    SyncResult,
    sync,
    sync_paragraph,
)
from irp_field.api.unsaved import Typed
from irp_field.api.visits import Visit
from irp_field.domain.errors import IrpError
from irp_field.tui.dialogs.attachments import AttachmentsScreen, AttachTo
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.dialogs.evidence_picker import EvidencePickerScreen
from irp_field.tui.screens.findings_panes import FindingsPanes
from irp_field.tui.undo import Undoable

T = TypeVar("T")
# The screen's letter keys: in the paragraph's editor they are typed, never offered.
TYPED_IN_THE_EDITOR = (
    "cite",
    "link",
    "evidence",
    "history",
    "attachments",
    "purge",
    "move_to_item",
)
SYNC_SAID = 60  # seconds "Syncing..." stays on the header's line, unless replaced
SAID_CHANGES = 3  # the changes a sync of every paragraph names in its message


class FindingsScreen(FindingsPanes):
    """Enter on a paragraph edits it; ctrl+s saves; Tab takes the highlighted figure."""

    DELETED_KIND = "paragraph"  # ctrl+z with nothing to undo offers these, deleted before
    TITLE = "Findings"
    FIRST_FIELD = "paragraphs"
    syncing = False  # a sync runs in its thread: ctrl+g or ctrl+t starts no second one
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save paragraph", priority=True),
        Binding("ctrl+n", "new_paragraph", "New paragraph"),
        Binding("ctrl+t", "sync_one", "Sync paragraph", priority=True),
        Binding("ctrl+g", "sync_all", "Sync all", priority=True),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("c", "cite", "Cite evidence"),
        Binding("l", "link", "Link to paragraph"),
        Binding("e", "evidence", "Evidence"),
        Binding("h", "history", "History"),
        Binding("f", "attachments", "Photographs"),
        Binding("delete", "delete_paragraph", "Delete paragraph"),
        Binding("P", "purge", "Purge paragraph for good (cannot be undone)", show=False),
        Binding("shift+up", "move(-1)", "Move up"),
        Binding("shift+down", "move(1)", "Move down"),
        Binding("m", "move_to_item", "Move to plan item"),
        Binding("ctrl+r", "move_typed_to_item", "Move to plan item", priority=True),
        Binding("tab", "complete", "Take figure", show=False, priority=True),
        Binding("enter", "take_figure", "Take figure", show=False, priority=True),
        # A screen's own "tab" replaces Screen's focus_next: without this line Tab moved
        # nowhere on F7 once "complete" skipped (no figure offered).
        Binding("tab", "app.focus_next", show=False),
        Binding("down", "completion(1)", show=False, priority=True),
        Binding("up", "completion(-1)", show=False, priority=True),
        Binding("escape", "close_editor", "Close editor", show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each key offered where it acts (the line at 80 columns has room for four)."""
        editor = self.query_one("#editor", TextArea)
        if action == "save":
            return editor.has_class("editing")
        if action == "evidence":
            return self.has_class("-narrow")
        if action in TYPED_IN_THE_EDITOR and editor.has_focus:
            return False  # the letter is typed into the paragraph
        if action in ("delete_paragraph", "history", "move", "purge", "move_to_item"):
            return self.query_one("#paragraphs", DataTable).has_focus
        if action == "move_typed_to_item":
            return editor.has_class("editing")
        if action == "link":
            return self.query_one("#evidence", DataTable).has_focus
        return True

    def keys_first(self) -> tuple[str, ...]:
        """The key line's first keys, where the cursor is (F1 lists them all)."""
        if self.query_one("#editor", TextArea).has_focus:
            return ("save", "move_typed_to_item", "sync_one")
        if self.query_one("#evidence", DataTable).has_focus:
            return ("link", "evidence", "cite")
        return (
            "new_paragraph",
            "evidence",
            "cite",
            "sync_one",
            "move_to_item",
            "delete_paragraph",
            "history",
        )

    def action_save(self) -> None:
        editor = self.query_one("#editor", TextArea)
        if not editor.has_class("editing"):
            raise SkipAction()
        self.when_typed(self._save_typed)

    def _save_typed(self) -> None:
        editor = self.query_one("#editor", TextArea)
        unit = self.unit(self.editor_unit)
        if unit is None or not editor.text.strip() or self.view is None:
            return
        text, editing_id = editor.text, self.editing_id
        what = f"the new paragraph of {unit.name}" if editing_id is None else "the paragraph's edit"
        # the unit it goes under: a paragraph moved by ctrl+r is moved as it is saved
        args = {"finding_id": editing_id or "", "plan_ref": unit.first.ref, "text": text}
        key = f"paragraph:{editing_id}" if editing_id else f"paragraph:new:{self.new_one}"
        shown = (("Plan item", unit.name), ("Paragraph", text))
        before = editing.paragraph_numbers(self.view.state.sections)

        def then(saved: object) -> None:
            self.undo_stack[-1] = Undoable(what, self.undo_stack[-1].changes, saved)
            self.editing_id = self.follow_id = str(saved)
            self.unit_name = unit.name  # the cursor follows it to the item it is under
            self.notify(self._said_saved(str(saved), editing_id, before))
            self.close_editor()
            self.load_view()

        def after(saved: object) -> None:  # typed on meanwhile: the next save edits it
            if editing_id is None and self.new_one == token and self.editing_id is None:
                self.editing_id = str(saved)

        token = self.new_one
        typed = Typed(key, "paragraph", what, args, shown)
        self.save_typed(typed, then, label=what, after=after)

    def _said_saved(self, saved: str, editing_id: str | None, before: dict[str, str]) -> str:
        """What a save says: a new paragraph's number in the report and the paragraphs it
        renumbered, as ``irp-field findings add`` says it ("Added a paragraph to 1.21."
        said neither)."""
        try:
            now = editing.filed(self.irp.visit, saved, before)
        except (IrpError, StopIteration):
            return "Paragraph saved."  # gone already (a merge, undone): the view shows it
        if editing_id is None:
            return now.said(f"Added paragraph {now.number} to {now.unit}")
        was = before.get(saved)
        if was is None or was == now.number:
            return "Paragraph saved."
        return now.said(f"Saved {was} and moved it to {now.unit}, now {now.number}")

    # -- moving to another plan item ----------------------------------------------------

    def _choose_item(self, title: str, current: str, then: Callable[[str], None]) -> None:
        from irp_field.tui.dialogs.plan_item_choice import PlanItemChoiceScreen

        if self.view is None:
            return
        items = [item for unit in self.view.units for item in unit.items]
        here = next((u for u in self.view.units if u.name == current), None)
        refs = [item.ref for item in here.items] if here else []

        def chosen(ref: str | None) -> None:
            if ref is not None:
                then(ref)

        self.app.push_screen(PlanItemChoiceScreen(title, items, refs), chosen)

    def action_move_to_item(self) -> None:
        """m on a paragraph: file it under another plan item, at the end of its paragraphs."""
        shown = self._chosen_written()
        if shown is None:
            raise SkipAction()
        assert shown.paragraph.finding is not None
        finding_id, number = shown.paragraph.finding.id, shown.paragraph.number

        def move(ref: str) -> None:
            unit = self._unit_of_ref(ref)
            if unit is None or unit.name == shown.paragraph.unit:
                self.notify(f"{number} is under {shown.paragraph.unit} already.")
                return
            before = editing.numbers_now(self.irp.visit)
            if not self.undoable(
                lambda: editing.move_paragraph_to(self.irp.visit, finding_id, ref),
                f"the move of paragraph {number} to {unit.name}",
                finding_id,
                "moved",
            ):
                return
            now = editing.filed(self.irp.visit, finding_id, before)
            self.notify(now.said(f"Moved {number} to {now.unit}, now {now.number}"))
            self.unit_name = now.unit  # the cursor follows the paragraph
            self.follow_id = finding_id
            self.load_view()

        self._choose_item(f"Move paragraph {number} to plan item", shown.paragraph.unit, move)

    def action_move_typed_to_item(self) -> None:
        """ctrl+r in the editor: the plan item the paragraph is saved under (ctrl+s)."""
        if not self.query_one("#editor", TextArea).has_class("editing"):
            raise SkipAction()

        def chosen(ref: str) -> None:
            unit = self._unit_of_ref(ref)
            if unit is None:
                return
            self.editor_unit = unit.name
            self.title_editor()
            self.query_one("#editor", TextArea).focus()
            self.notify(f"ctrl+s saves the paragraph under {unit.name}.")

        what = "the new paragraph" if self.editing_id is None else "the paragraph"
        self._choose_item(f"Put {what} under plan item", self.editor_unit or "", chosen)

    def _unit_of_ref(self, ref: str) -> JudgedUnit | None:
        if self.view is None:
            return None
        wanted = ref.casefold()
        return next(
            (u for u in self.view.units if any(i.ref.casefold() == wanted for i in u.items)),
            None,
        )

    # -- syncing and linking ------------------------------------------------------------

    def action_sync_one(self) -> None:
        shown = self.paragraph()
        if shown is None or shown.paragraph.finding is None:
            return
        finding_id, number = shown.paragraph.finding.id, shown.paragraph.number

        def synced(lines: list[str]) -> None:
            self.notify(f"Synced {number}" + (": " + "; ".join(lines) if lines else "."))

        self._sync(lambda visit: sync_paragraph(visit, finding_id), synced, f"paragraph {number}")

    def action_sync_all(self) -> None:
        def synced(result: SyncResult) -> None:
            if not result.written:
                self.notify("Nothing to sync: all paragraphs are in step with the evidence.")
                return
            # what changed, as ``irp-field sync`` and ctrl+t say it (the first few: a
            # message is a few lines; F7's pane lists a paragraph's own)
            lines = [change.line() for change in result.changes]
            more = f"; and {len(lines) - SAID_CHANGES} more" if len(lines) > SAID_CHANGES else ""
            said = "; ".join(lines[:SAID_CHANGES])
            self.notify(
                f"Synced: {len(result.stale_numbers)} paragraph(s) updated"
                + (f": {said}{more}" if said else ".")
            )

        self._sync(sync, synced, "every paragraph")

    def _sync(self, work: Callable[[Visit], T], then: Callable[[T], object], what: str) -> None:
        """A sync computes every figure (seconds on a visit of a million checks): it runs
        in a thread worker on a connection of its own while the screen answers, one at
        a time; the view is read again once it is in the file."""
        if self.syncing:
            self.notify("Already syncing: the findings are shown afresh once it is done.")
            return
        self.syncing = True
        # Said until the outcome's message replaces it (a sync may take a while).
        self.notify(f"Syncing {what} with the evidence...", timeout=SYNC_SAID)

        def done(outcome: T) -> None:
            self.syncing = False
            then(outcome)
            self.load_view()

        def failed(error: IrpError) -> None:  # the file busy: as said before, nothing written
            self.syncing = False
            self.notify(str(error), severity="error")

        self.write_in_thread(work, done, group="sync", failed=failed)

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
        if row_key.value.startswith(editing.DAY_PREFIX):
            self.notify(
                "A subject's day is evidence for the plan item; a paragraph quotes the time "
                "out of cell figures instead (type {{ toc).",
                severity="warning",
            )
            return
        cited = [*finding.evidence, row_key.value]
        if not self.undoable(
            lambda: editing.edit_paragraph(self.irp.visit, finding.id, finding.text, cited),
            f"the link to paragraph {shown.paragraph.number}",
            finding.id,
        ):
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
            cited = [*finding.evidence, evidence_id]
            if not self.undoable(
                lambda: editing.edit_paragraph(self.irp.visit, finding.id, finding.text, cited),
                f"the citation in paragraph {number}",
                finding.id,
            ):
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
            if not self.undoable(
                lambda: editing.delete_paragraph(self.irp.visit, finding_id),  # as the CLI does
                f"the delete of paragraph {number}",
                finding_id,
                "deleted",
            ):
                return
            if self.editing_id == finding_id:
                self.editing_id = None
                self.close_editor()
            self.notify(f"Paragraph {number} deleted; ctrl+z brings it back.")
            self.load_view()

        preview = shown.text if len(shown.text) <= 60 else shown.text[:57] + "..."
        self.app.push_screen(ConfirmScreen(f"Delete paragraph {number}?\n{preview}"), answered)

    def action_purge(self) -> None:
        """Its text removed for good, once the person has said why and typed the word."""
        from irp_field.tui.dialogs.purge import purge_chosen

        shown = self._chosen_written()
        if shown is None:
            raise SkipAction()
        assert shown.paragraph.finding is not None
        finding_id = shown.paragraph.finding.id

        def after() -> None:
            if self.editing_id == finding_id:
                self.editing_id = None
                self.close_editor()
            self.load_view()

        purge_chosen(self, "paragraph", finding_id, f"paragraph {shown.paragraph.number}", after)

    def action_undo(self) -> None:
        if self.query_one("#editor", TextArea).has_focus:
            raise SkipAction()  # the editor's own undo
        super().action_undo()

    def undone(self, what: Undoable) -> None:
        self.follow_id = what.where if isinstance(what.where, str) else None
        self.load_view()

    def action_history(self) -> None:
        shown = self._chosen_written()
        if shown is None:
            raise SkipAction()
        assert shown.paragraph.finding is not None
        what = f"paragraph {shown.paragraph.number}"
        self.show_history("finding", shown.paragraph.finding.id, what)

    def action_evidence(self) -> None:
        """On a narrow terminal: the evidence in place of the plan items, or back."""
        self.toggle_class("-evidence")
        shown = "#evidence" if self.has_class("-evidence") else "#units"
        self.set_focus(self.query_one(shown, DataTable))
        if self.view is not None:  # the summaries wrap at the room the list has now
            self.call_after_refresh(self._show_unit)

    def action_move(self, step: int) -> None:
        shown = self._chosen_written()
        if shown is None:
            raise SkipAction()
        assert shown.paragraph.finding is not None
        finding_id = shown.paragraph.finding.id
        moved: list[object] = []
        if not self.undoable(
            lambda: moved.append(editing.move_paragraph(self.irp.visit, finding_id, step)),
            f"the move of paragraph {shown.paragraph.number}",
            finding_id,
            "moved",
        ):
            return
        if moved[0] is None:
            self.notify(f"{shown.paragraph.number} is already {'first' if step < 0 else 'last'}.")
            return
        self.follow_id = shown.paragraph.finding.id
        self.load_view()
