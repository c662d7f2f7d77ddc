"""Writing one note: source, when, tags, plan links and the text, saved as a draft as you type.

A draft is written every few seconds while the note changes and after every pause in
typing, so that a crash, a kill or a flat battery loses at most a few seconds. While
another program holds the visit file, the draft cannot be written: the note stays on
screen, goes into a private file beside the visit at once (``tui.unsaved``: a crash
then loses nothing either), and is tried again twice a second without freezing the
screen; Escape or ctrl+q then asks (wait, keep it as a file, discard it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Header, Input, Label, TextArea

from irp_field.api import notes as notes_api
from irp_field.api.setup import plan_items
from irp_field.api.unsaved import FileBusy, Typed
from irp_field.domain.errors import IrpError
from irp_field.domain.fields import moment, split_list
from irp_field.domain.vocabulary import NOTE_SOURCES
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.undo import Undoable
from irp_field.tui.widgets.field_row import FieldRow
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.letter_select import LetterSelect
from irp_field.tui.widgets.plan_ticks import PlanTicks
from irp_field.tui.widgets.ticks import TickList


class NoteEditorScreen(VisitScreen):
    TITLE = "Note"
    DEFAULT_CSS = """
    NoteEditorScreen {
        #source-row { height: 1; margin: 0 1; }
        #source-row > Label { width: 18; }
        #source-row > Select { width: 24; }
        /* five lines at 80x24 (three items), more on a taller screen */
        #plan-links { height: 20vh; min-height: 5; margin: 0 1; }
        #text-label { height: 1; margin: 0 1; }
        #note-text { height: 1fr; }
        #draft-state { height: 1; margin: 0 1; color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save_note", "Save note", priority=True),
        Binding("escape", "close", "Back (draft kept)"),
        Binding("ctrl+d", "discard", "Discard draft"),
    ]

    def __init__(
        self,
        draft: notes_api.NoteDraft,
        on_saved: Callable[[Undoable], object] | None = None,
    ) -> None:
        super().__init__()
        self.draft = draft
        self.dirty = False
        self._latest = draft
        self._pause: Timer | None = None
        self.on_saved = on_saved  # what the save changed, for the notes screen's ctrl+z
        self._stored = _content(draft)  # what the draft table holds (or the note, opened)
        self._pristine: tuple[str, ...] | None = None  # the note as saved; "" for a new one
        self._saved = False  # saved as a note: no draft of it may be written after
        self._failing = False  # the last draft save was refused: not in the visit
        self._kept = False  # in the kept file (out of it once a draft save works)
        self._let_go = False  # kept as a file or discarded by choice: no more writes

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="source-row"):
            yield Label("Source")
            yield LetterSelect(NOTE_SOURCES, value=self.draft.source, id="source", compact=True)
        yield FieldRow("When", "taken_at", placeholder="10:09 or Tue 10:09", moment=True)
        yield FieldRow("Tags", "tags", placeholder="tag; tag", wide=True)
        yield Label(" Plan items (space ticks one)", id="plan-label")
        yield PlanTicks(id="plan-links")
        yield Label(_text_label(self.draft.source), id="text-label")
        yield TextArea(self.draft.text, id="note-text", soft_wrap=True)
        yield Label("", id="reason-text", classes="reason")
        yield Label("", id="draft-state")
        yield KeyLine()

    def on_mount(self) -> None:
        for name in ("taken_at", "tags"):
            field = self.query_one(f"#{name}", Input)
            with field.prevent(Input.Changed):
                field.value = getattr(self.draft, name)
        self.query_one(PlanTicks).show_items(
            plan_items(self.irp.visit), split_list(self.draft.plan_refs)
        )
        visit = self.irp.visit
        if self.draft.note_id:
            with suppress(IrpError):
                self._pristine = _content(notes_api.stored_note(visit, self.draft.note_id, ""))
        else:
            self._pristine = _content(replace(self.draft, text="", tags="", plan_refs=""))
        text = self.query_one("#note-text", TextArea)
        text.move_cursor(text.document.end)  # a draft or a note goes on where it stopped
        text.focus()
        self.set_interval(self.irp.draft_every, self.save_draft)

    # -- drafts ----------------------------------------------------------------------

    def _collect(self) -> notes_api.NoteDraft:
        source = self.query_one("#source", LetterSelect).value
        return replace(
            self.draft,
            source=source if isinstance(source, str) else self.draft.source,
            taken_at=self.query_one("#taken_at", Input).value.strip(),
            tags=self.query_one("#tags", Input).value.strip(),
            plan_refs=";".join(self.query_one("#plan-links", TickList).selected),
            text=self.query_one("#note-text", TextArea).text,
        )

    def _changed(self) -> None:
        if self._saved:
            return
        self._latest = self._collect()
        # Only a change makes a draft: opening a note and leaving it makes none.
        self.dirty = _content(self._latest) != self._stored
        if self._pause is not None:
            self._pause.stop()
        self._pause = self.set_timer(self.irp.draft_pause, self.save_draft)

    def on_text_area_changed(self) -> None:
        self._changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one(f"#row-{event.input.id}", FieldRow).set_reason("")
        self._changed()

    def on_select_changed(self) -> None:
        self.query_one("#text-label", Label).update(_text_label(self._collect().source))
        self._changed()

    def on_selection_list_selected_changed(self) -> None:
        self._changed()

    def save_draft(self) -> None:
        """A small upsert of one row: quick enough for the event loop. Refused (the file
        busy), it is kept in a file and tried again without waiting on the lock."""
        if self._saved or self._let_go:
            return
        collected = self._collect()
        if not self.dirty or _content(collected) == self._stored:
            self.dirty = False
            return
        try:
            if self._failing:
                with self.irp.quick_tries():
                    self.draft = notes_api.save_draft(self.irp.visit, collected)
            else:
                self.draft = notes_api.save_draft(self.irp.visit, collected)
        except IrpError as error:
            self._not_written(collected, error)
            return
        self.dirty = False
        self._stored = _content(collected)
        self._written()
        self.query_one("#draft-state", Label).update(
            f"Draft saved {self.draft.saved_at[11:16]} UTC"
        )

    def _not_written(self, collected: notes_api.NoteDraft, error: IrpError) -> None:
        """Kept on screen, in memory and in the kept file; the app tries it again."""
        from irp_field.api import unsaved

        self._failing = True
        why = f"{self.irp.visit.path.name} is busy" if isinstance(error, FileBusy) else str(error)
        try:
            unsaved.keep(self.irp.visit, [self.typed_draft(collected)])
        except IrpError as keeping:
            where = f"On screen only ({keeping})"
        else:
            self._kept = True
            where = "Kept safe meanwhile; it saves by itself"
        self.query_one("#draft-state", Label).update(f"Draft not saved yet: {why}. {where}.")
        self.irp.show_waiting()

    def _written(self) -> None:
        """In the visit: out of the kept file, and no longer waiting."""
        from irp_field.api import unsaved

        if self._kept:
            with suppress(IrpError):
                unsaved.forget(self.irp.visit, [self.typed_draft(self._latest).key])
            self._kept = False
        if self._failing:
            self._failing = False
            self.irp.show_waiting()

    def typed_draft(self, draft: notes_api.NoteDraft) -> Typed:
        """The draft as a save of typed values (``api.unsaved``)."""
        args = {
            name: getattr(draft, name)
            for name in ("id", "author", "source", "taken_at", "text", "tags", "plan_refs")
        }
        args["note_id"] = draft.note_id
        when = draft.taken_at.replace("T", " ")
        what = f"the edit of the note of {when}" if draft.note_id else f"the new note of {when}"
        shown = (
            ("Text", draft.text), ("Source", draft.source), ("Tags", draft.tags),
            ("Plan items", draft.plan_refs),
        )  # fmt: skip
        return Typed(f"note_draft:{draft.id}", "note_draft", what, args, shown)

    # -- what waits for the file (tui.unsaved) ------------------------------------------

    def unsaved(self) -> list[Typed]:
        mine = [self.typed_draft(self._collect())] if self._failing and not self._let_go else []
        return mine + super().unsaved()

    def retry_waiting(self) -> None:
        if self._failing:
            self.save_draft()
        super().retry_waiting()

    def flush(self) -> None:
        self.save_draft()
        super().flush()

    def let_go(self) -> None:
        self._let_go = True
        self._failing = False
        self.dirty = False
        super().let_go()

    def on_unmount(self) -> None:
        # The widgets are gone by now: save what the last change collected. If the app
        # has already closed its connection, the timers' last save stands; if the file
        # refuses it, it goes into the kept file rather than nowhere.
        if not self.dirty or self._saved or self._let_go:
            return
        from irp_field.api import unsaved

        try:
            notes_api.save_draft(self.irp.visit, self._latest)
        except sqlite3.ProgrammingError:
            return
        except IrpError:
            with suppress(sqlite3.ProgrammingError, IrpError):
                unsaved.keep(self.irp.visit, [self.typed_draft(self._latest)])
            return
        with suppress(sqlite3.ProgrammingError, IrpError):
            self._written()

    # -- saving ----------------------------------------------------------------------

    def action_save_note(self) -> None:
        self.when_typed(self._save_typed)

    def _typed_when(self, draft: notes_api.NoteDraft) -> notes_api.NoteDraft | None:
        """The draft with When read as a person types it (``Tue 10:00``, ``15 1000``, a
        time alone on the note's day; ``fields.moment_on``), shown whole; None, saying
        why beside When, when it is no moment."""
        from irp_field.api.visits import typed_moment

        try:
            when = typed_moment(self.irp.visit, draft.taken_at, self._day())
        except ValueError as error:
            self.query_one("#row-taken_at", FieldRow).set_reason(str(error))
            self.refuse(f"When: {error}", self.query_one("#taken_at", Input))
            return None
        field = self.query_one("#taken_at", Input)
        with field.prevent(Input.Changed):
            field.value = when
        return replace(draft, taken_at=when)

    def _day(self) -> str:
        """The day a time typed alone is on: the note's (as it was opened), else today in
        the visit (or its last day)."""
        try:
            return moment(self.draft.taken_at)[:10]
        except ValueError:
            return notes_api.default_moment(self.irp.visit, self.irp.clock())[:10]

    def _save_typed(self) -> None:
        draft = self._typed_when(self._taken_by_who_you_are(self._collect()))
        if draft is None:
            return
        found = notes_api.draft_problems(self.irp.visit, draft)
        self.query_one("#reason-text", Label).update(found.pop("text", ""))
        for name in ("taken_at", "tags"):
            self.query_one(f"#row-{name}", FieldRow).set_reason(found.get(name, ""))
        _, verdicts = notes_api.draft_verdicts(self.irp.visit, draft)
        if found or not draft.text.strip():
            said = self.irp.not_on_the_team(verdicts, draft.author)
            if set(found) - {"author"}:  # the fields' own refusals first
                said = None
            if not self.refuse("; ".join(found.values() or ["the note is empty"]), said=said):
                self.set_focus(self.query_one("#note-text", TextArea))  # its reason under it
            return
        self.save_when_confirmed(verdicts, lambda confirmed: self._save(draft, confirmed))

    def _taken_by_who_you_are(self, draft: notes_api.NoteDraft) -> notes_api.NoteDraft:
        """A new note drafted under a name not on the team (the login, while nobody was
        chosen) and saved once who-am-I is answered: its author is who you now are (the
        refusal sent you there; the draft kept the login, and was refused again)."""
        if draft.note_id or draft.author == self.irp.user:
            return draft
        _, verdicts = notes_api.draft_verdicts(self.irp.visit, draft)
        if self.irp.not_on_the_team(verdicts, draft.author) is None:
            return draft  # a member's draft stays theirs
        taken = replace(draft, author=self.irp.user)
        if self.irp.not_on_the_team(notes_api.draft_verdicts(self.irp.visit, taken)[1]):
            return draft  # who you are is not on the team either: said as it is
        self.draft = replace(self.draft, author=self.irp.user)
        return taken

    def _save(self, draft: notes_api.NoteDraft, confirmed: bool) -> bool:
        from irp_field.api import history

        found: list[str] = []
        try:
            with history.recording(self.irp.visit) as changes:
                found.append(
                    notes_api.save_note(self.irp.visit, draft, allow_outside_visit=confirmed)
                )
        except FileBusy:
            self._save_once_free(draft, confirmed)
            return False
        except IrpError as error:
            self.notify(f"Not saved: {error}", severity="error")
            return False
        self._note_saved(draft, found[0], list(changes))
        self.irp.recorded()
        return True

    def _note_saved(self, draft: notes_api.NoteDraft, note_id: str, changes: list[Any]) -> None:
        self.dirty = False
        self._saved = True
        self._written()
        self.notify(f"Note saved ({draft.source}).")
        if self.on_saved is not None and changes:
            what = "the change to the note" if draft.note_id else "the new note"
            self.on_saved(
                Undoable(f"{what} of {draft.taken_at.replace('T', ' ')}", changes, note_id)
            )
        self.dismiss()

    def _save_once_free(self, draft: notes_api.NoteDraft, confirmed: bool) -> None:
        """ctrl+s while another program holds the file: the note itself (not only its
        draft) waits, kept in the kept file, and is saved by itself once the file is
        free; the editor then closes as after any save, unless typed over meanwhile."""
        typed = self.typed_draft(draft)
        args = {**typed.args, "allow_outside_visit": confirmed}
        what = typed.what.replace("the edit of the note", "the edited note", 1)
        note = Typed(f"note:{draft.id}", "note", what, args, typed.shown)
        self.save_typed(note, lambda saved: self._note_saved(draft, str(saved), []))

    def action_close(self) -> None:
        """Back to the notes: a changed note is kept as its draft; one left as it was
        keeps none (and loses a draft that only held what is saved). A draft the file
        will not take yet asks first: wait, keep it as a file, or discard it."""
        collected = self._collect()
        if _content(collected) == self._pristine:
            with suppress(IrpError):
                notes_api.discard_draft(self.irp.visit, self.draft.id)
            self.dirty = False
            self.dismiss()
            return
        self.save_draft()
        if not self._failing:
            self.dismiss()
            return
        from irp_field.tui.dialogs.unsaved import UnsavedScreen

        typed = self.typed_draft(self._collect())
        name = self.irp.visit.path.name
        self.app.push_screen(
            UnsavedScreen(
                [typed], name, "close the note", "saved as the draft once the file is free"
            ),
            self._answered_close,
        )

    def _answered_close(self, choice: str | None) -> None:
        from irp_field.api import unsaved

        if choice not in ("keep", "discard"):
            self.notify("Waiting: the draft is saved by itself once the file is free.")
            return
        typed = self.typed_draft(self._collect())
        try:
            if choice == "keep":
                unsaved.keep(self.irp.visit, [typed])
            else:
                unsaved.forget(self.irp.visit, [typed.key])
        except IrpError as error:
            self.notify(f"Nothing was changed: {error}", severity="error")
            return
        self.let_go()
        if choice == "keep":
            self.irp.adopt([typed])  # the app saves it as the draft once the file is free
            self.notify("Kept in a file: saved as the draft once the file is free.")
        else:
            self.notify("Discarded what was not saved.")
        self.dismiss()

    def action_discard(self) -> None:
        if not self.guarded(
            lambda: notes_api.discard_draft(self.irp.visit, self.draft.id), "discarded"
        ):
            return
        self._written()
        self.let_go()
        self.notify("Draft discarded.")
        self.dismiss()


def _text_label(source: str) -> Text:
    """The text's label names the note's source, in bold, next to where it is typed: a
    note saved with the source left at its default (an observation) was meant as a staff
    interview."""
    return Text.assemble(
        "Text of this ", (source, "bold"), " note (Tab to Source: a letter changes it)"
    )


def _content(draft: notes_api.NoteDraft) -> tuple[str, ...]:
    """What a person typed: a draft's fields, not its ids or when it was saved."""
    return (draft.source, draft.taken_at, draft.tags, draft.plan_refs, draft.text)
