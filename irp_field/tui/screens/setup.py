"""Set-up on site: the team, the locations (with capacity), the plan, the data returns
and the public keys hand-backs are sealed for, added and edited in place, so that a
visit can start with no CSV at all.

One tab per kind: the table of records above, the form below. Enter on a row opens it
in the form; ctrl+n empties the form for a new one; ctrl+s saves (adds, or changes the
record in place: it keeps its id, so what refers to it follows); Delete, ctrl+z and h
(history) act on the table's row.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Header, Input, Static, TabbedContent, TabPane

from irp_field.api.unsaved import Typed
from irp_field.domain import vocabulary
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import RecordRefused
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.screens.setup_kinds import KINDS, Kind, Row, default_values
from irp_field.tui.undo import Undoable
from irp_field.tui.widgets.field_row import FieldRow
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.table import Table

Rows = dict[str, list[Row]]


def read_all(visit: object) -> Rows:
    return {kind.key: kind.read(visit) for kind in KINDS}  # type: ignore[arg-type]


class SetupScreen(VisitScreen):
    TITLE = "Set-up"
    DEFAULT_CSS = """
    SetupScreen {
        TabbedContent { height: 1fr; }
        TabPane { padding: 0; }
        .setup-table { height: 1fr; min-height: 3; }
        FieldRow > .field-label { width: 15; }
        FieldRow > Input.wide { width: 1fr; max-width: 60; }
        #setup-state { height: 1; margin: 0 1; color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+n", "new", "New"),
        Binding("ctrl+t", "next_kind", "Next tab"),
        Binding("delete", "delete", "Delete"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("h", "history", "History"),
        Binding("ctrl+g", "hand_out", "Hand out"),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: Rows = {}
        self.editing: dict[str, str] = {}  # kind -> the id of the record in the form
        self._cursor_on: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="kinds"):
            for kind in KINDS:
                with TabPane(kind.title, id=f"tab-{kind.key}"):
                    yield Table(id=f"{kind.key}-table", cursor_type="row", classes="setup-table")
                    for field in kind.fields:
                        yield FieldRow(
                            field.label,
                            f"{kind.key}-{field.name}",
                            placeholder=field.placeholder,
                            wide=field.wide,
                        )
        yield Static("", id="setup-state")
        yield KeyLine()

    def on_mount(self) -> None:
        for kind in KINDS:
            self.query_one(f"#{kind.key}-table", DataTable).add_columns(*kind.columns)
            for field in kind.fields:
                if field.choices:
                    self._input(kind, field.name).suggester = SuggestFromList(
                        field.choices, case_sensitive=False
                    )
            self._fill_form(kind, default_values(kind))
        self.file_changed()

    def on_screen_resume(self) -> None:
        self.file_changed()

    def file_changed(self) -> None:
        self.load(read_all, then=self.show_rows, group="setup")

    def show_kind(self, key: str) -> None:
        """Open the tab of one kind (the roll-check screen sends people to locations)."""
        self.query_one(TabbedContent).active = f"tab-{key}"
        self.reset_focus()

    # -- what is shown ---------------------------------------------------------------

    def _kind(self) -> Kind:
        active = self.query_one(TabbedContent).active.removeprefix("tab-")
        return next((kind for kind in KINDS if kind.key == active), KINDS[0])

    def _input(self, kind: Kind, field: str) -> Input:
        return self.query_one(f"#{kind.key}-{field}", Input)

    def _table(self, kind: Kind) -> DataTable[object]:
        return self.query_one(f"#{kind.key}-table", DataTable)

    def show_rows(self, rows: Rows) -> None:
        self.rows = rows
        for kind in KINDS:
            table = self._table(kind)
            at = table.cursor_row
            table.clear()
            for row in rows[kind.key]:
                table.add_row(*(Text(cell) for cell in row.cells), key=row.id)
            ids = [row.id for row in rows[kind.key]]
            if self._cursor_on in ids:
                table.move_cursor(row=ids.index(self._cursor_on))
            elif table.row_count:
                table.move_cursor(row=min(at, table.row_count - 1))
        self._cursor_on = None
        if self._kind().key not in self.editing:  # "Editing ..." stays said while it is
            self._say("Enter on a row edits it; ctrl+n empties the form for a new one.")

    def _say(self, text: str) -> None:
        self.query_one("#setup-state", Static).update(Text(text))

    def _fill_form(self, kind: Kind, values: dict[str, str]) -> None:
        for field in kind.fields:
            box = self._input(kind, field.name)
            with box.prevent(Input.Changed):
                box.value = values.get(field.name, "")
            self.query_one(f"#row-{kind.key}-{field.name}", FieldRow).set_reason("")

    def _row(self, kind: Kind) -> Row | None:
        table = self._table(kind)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((r for r in self.rows.get(kind.key, []) if r.id == row_key.value), None)

    # -- keys ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("delete", "history"):
            table = self._table(self._kind())
            return (table.has_focus and table.row_count > 0) or None
        return True

    def reset_focus(self) -> None:
        kind = self._kind()
        self.set_focus(self._input(kind, kind.fields[0].name))

    def action_next_kind(self) -> None:
        """The next tab (team, locations, plan, data returns), the cursor in its form."""
        keys = [kind.key for kind in KINDS]
        following = keys[(keys.index(self._kind().key) + 1) % len(keys)]
        self.show_kind(following)

    def on_tabbed_content_tab_activated(self) -> None:
        self.reset_focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        kind = self._kind()
        row = self._row(kind)
        if row is None:
            return

        def open_row() -> None:
            self.editing[kind.key] = row.id
            self._fill_form(kind, row.values)
            self._say(
                f"Editing {kind.noun} {row.cells[0]}: ctrl+s saves the change, ctrl+n a new one."
            )
            self.set_focus(self._input(kind, kind.fields[0].name))

        doing = f"Open {kind.noun} {row.cells[0]}"
        self.unless_typing_lost(open_row, doing, lost=lambda: self._typed_in(kind))

    def action_new(self) -> None:
        kind = self._kind()

        def empty_form() -> None:
            self.editing.pop(kind.key, None)
            self._fill_form(kind, default_values(kind))
            self._say(f"A new {kind.noun}: type it, ctrl+s adds it.")
            self.set_focus(self._input(kind, kind.fields[0].name))

        doing = f"Start a new {kind.noun}"
        self.unless_typing_lost(empty_form, doing, lost=lambda: self._typed_in(kind))

    # -- what is typed and not saved -------------------------------------------------

    def form_typed(self) -> str | None:
        """Every tab's form holding typing over what is saved (or over a new record's
        empty form), in a few words: "set-up: a new location (H wing)"."""
        if not self.is_mounted:
            return None
        typed = [said for kind in KINDS if (said := self._typed_in(kind)) is not None]
        return "; ".join(typed) or None

    def _typed_in(self, kind: Kind) -> str | None:
        """What one kind's form holds typed over the record it shows (None: nothing)."""
        editing = self.editing.get(kind.key)
        row = next((r for r in self.rows.get(kind.key, []) if r.id == editing), None)
        shown = row.values if row is not None else default_values(kind)
        form = {field.name: self._input(kind, field.name).value.strip() for field in kind.fields}
        if all(form[name] == shown.get(name, "").strip() for name in form):
            return None
        if editing is not None:
            named = f" {row.cells[0]}" if row is not None else ""
            return f"set-up: the change to {kind.noun}{named}"
        first = form[kind.fields[0].name]
        return f"set-up: a new {kind.noun}" + (f" ({first})" if first else "")

    def action_next_field(self) -> None:
        kind = self._kind()
        names = [f"{kind.key}-{field.name}" for field in kind.fields]
        focused = self.focused
        if not isinstance(focused, Input) or focused.id not in names:
            raise SkipAction()
        if focused.id == names[-1]:
            self.action_save()  # completes the choices once every key has landed
            return
        # On at once (the keys typed next belong to the next field); the choice typed in
        # part is completed once the keys sent to it have landed ("o" Enter is Ofsted,
        # not "o" followed by what was still on its way).
        self.set_focus(self.query_one(f"#{names[names.index(focused.id) + 1]}", Input))
        focused.call_later(self._complete, kind)

    # -- saving, deleting, undo, history ---------------------------------------------

    def action_save(self) -> None:
        self.when_typed(self._save_typed)

    def _complete(self, kind: Kind) -> None:
        """A choice typed in part is the choice offered ("o" is Ofsted), even when Enter
        or ctrl+s came before the offer did."""
        for field in kind.fields:
            if field.choices:
                box = self._input(kind, field.name)
                whole = vocabulary.completed(box.value, field.choices)
                if whole != box.value:
                    box.value = whole

    def _save_typed(self) -> None:
        kind = self._kind()
        self._complete(kind)
        typed = {f.name: self._input(kind, f.name).value.strip() for f in kind.fields}
        editing = self.editing.get(kind.key)
        first = kind.fields[0].name
        taken = next(
            (r for r in self.rows.get(kind.key, []) if r.key == typed[first].casefold()), None
        )
        if editing is None and taken is not None:
            taken_said = "already in the visit: Enter on its row edits it"
            self.query_one(f"#row-{kind.key}-{first}", FieldRow).set_reason(taken_said)
            self.refuse(f"{kind.noun} {typed[first]} is {taken_said}", self._input(kind, first))
            return
        label = f"{'the change to ' if editing else ''}{kind.noun} {typed[first]}"
        args = {"kind": kind.key, "record_id": editing or "", "values": typed}
        shown = tuple((field.label, typed[field.name]) for field in kind.fields)
        key = f"setup:{kind.key}:{editing or typed[first].casefold()}"

        def then(_: object) -> None:
            self.notify(f"Saved {kind.noun} {typed[first]}.")
            self.editing.pop(kind.key, None)
            self._fill_form(kind, default_values(kind))
            self.set_focus(self._input(kind, first))
            self.file_changed()

        self.save_typed(Typed(key, "setup", label, args, shown), then, label=label, where=editing)

    def typed_refused(self, typed: Typed, error: IrpError) -> None:
        """A rule's refusal beside its field (the kind's first field when it names none)."""
        kind = next((k for k in KINDS if k.key == typed.args.get("kind")), None)
        if isinstance(error, RecordRefused) and kind is not None:
            names = {f.name for f in kind.fields}
            for verdict in error.verdicts:
                where = verdict.field if verdict.field in names else kind.fields[0].name
                self.query_one(f"#row-{kind.key}-{where}", FieldRow).set_reason(verdict.message)
        super().typed_refused(typed, error)

    def action_delete(self) -> None:
        kind = self._kind()
        row = self._row(kind)
        if row is None:
            return
        from irp_field.api import setup as setup_api

        def delete() -> None:
            if kind.delete is not None:
                kind.delete(self.irp.visit, row.id)
            else:
                setup_api.delete_setup_record(self.irp.visit, kind.table, row.id)

        def answered(yes: bool | None) -> None:
            if yes and self.undoable(
                delete,
                f"the delete of {kind.noun} {row.cells[0]}",
                where=row.id,
                doing="deleted",
            ):
                self.notify(f"Deleted {kind.noun} {row.cells[0]}; ctrl+z brings it back.")
                self.file_changed()

        self.app.push_screen(ConfirmScreen(f"Delete {kind.noun} {row.cells[0]}?"), answered)

    def undone(self, what: Undoable) -> None:
        self._cursor_on = what.where if isinstance(what.where, str) else None
        self.file_changed()

    def action_hand_out(self) -> None:
        """A copy of the visit for each team member (irp-field handout)."""
        from irp_field.tui.dialogs.handout import HandoutScreen

        members = [row.values["name"] for row in self.rows.get("team", [])]
        if not members:
            self.notify("Add the team first: each member gets a copy.", severity="warning")
            return
        self.app.push_screen(HandoutScreen(members))

    def action_history(self) -> None:
        kind = self._kind()
        row = self._row(kind)
        if row is not None:
            record = kind.history_of(self.irp.visit, row.id) if kind.history_of else row.id
            self.show_history(kind.table, record, f"{kind.noun} {row.cells[0][:20]}")
