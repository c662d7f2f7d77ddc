"""The photographs and documents of one paragraph, note or sampled record: the list (kind,
size, caption, file), a path field that completes file names as you type, a caption; o
opens one with the system's viewer, Delete takes it off.

Every file goes through ``api.attachments`` (the rules of ``domain.attachments``: its
type by its bytes, at most 20 MB); a refusal is shown beside the path, and nothing is
written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from irp_field import paths
from irp_field.api import attachments
from irp_field.api.attachments import Attachment
from irp_field.api.unsaved import FileBusy, Typed
from irp_field.domain.errors import IrpError
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.path_field import PathField
from irp_field.tui.widgets.table import Table

if TYPE_CHECKING:
    from irp_field.api.visits import Visit
    from irp_field.tui.app import IrpApp


@dataclass(frozen=True)
class AttachTo:
    """What the files are attached to, as ``api.attachments.attach`` names it."""

    label: str  # "paragraph 3.12", "note by Jade Richards, 2022-03-14T10:05"
    paragraph: str | None = None  # a paragraph's id
    note: str | None = None
    frame: str | None = None
    record: str | None = None

    @property
    def target_id(self) -> str:
        return self.paragraph or self.note or ""


class AttachmentsScreen(ModalScreen[None]):
    """ctrl+s attaches the file in the path field; o opens the highlighted file."""

    DEFAULT_CSS = """
    AttachmentsScreen {
        align: center middle;
        #box { width: 100; max-width: 100%; height: auto; max-height: 100%;
               border: thick $primary; padding: 0 1; }
        #files { height: auto; max-height: 10; }
        .row { height: 1; margin-top: 1; }
        .row Label { width: 9; }
        .row Input { width: 1fr; }
        #reason { height: auto; color: $error; text-style: bold; }
        #hint { height: auto; color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "attach", "Attach the file", priority=True),
        Binding("o", "open", "Open"),
        Binding("delete", "remove", "Take off"),
        Binding("P", "purge", "Purge for good (cannot be undone)", show=False),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, target: AttachTo) -> None:
        super().__init__()
        self.target = target
        self.shown: dict[str, Attachment] = {}

    @property
    def visit(self) -> Visit:
        return cast("IrpApp", self.app).visit

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Label(Text(f"Photographs and documents of {self.target.label}", style="bold"))
            yield Table(id="files", cursor_type="row")
            with Horizontal(classes="row"):
                yield Label("File")
                yield PathField(id="path", placeholder="a JPEG, PNG or PDF file's path")
            with Horizontal(classes="row"):
                yield Label("Caption")
                yield Input(id="caption", placeholder="printed under a photograph", compact=True)
            yield Static("", id="reason")
            yield Static(
                "Type a path: → takes the rest of the name offered; Enter goes to the "
                "caption, and Enter there (or ctrl+s) attaches the file: a JPEG, PNG or PDF "
                "of at most 20 MB, its type read from its content. A photograph attached to "
                "a paragraph prints after it in the report. Tab moves between the list and "
                "the fields; in the list, o opens a file with the system's viewer and Delete "
                "takes it off.",
                id="hint",
            )
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#files", DataTable).add_columns("Kind", "Size", "Caption", "File")
        self.query_one("#path", Input).focus()
        self.show_files()

    def show_files(self) -> None:
        """The target's attachments (a small read of one record's rows)."""
        target = self.target
        try:
            found = attachments.attachments_of(
                self.visit,
                paragraph=target.paragraph,
                note=target.note,
                frame=target.frame,
                record=target.record,
            )
        except IrpError as error:
            self.query_one("#reason", Static).update(Text(str(error)))
            found = []
        self.shown = {attached.id: attached for attached in found}
        table = self.query_one("#files", DataTable)
        table.clear()
        for attached in found:
            table.add_row(
                attached.what,
                attachments.describe_size(attached.size),
                Text(attached.caption),
                Text(attached.file_name),
                key=attached.id,
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "path":
            self.action_attach()
        elif not self._refused_at_once():
            self.query_one("#caption", Input).focus()

    def _refused_at_once(self) -> bool:
        """A file the rules refuse (no picture, too large, not there) is said beside the
        path as soon as it is given, before a caption is typed for it; the path stays
        to be mended."""
        typed = self.query_one("#path", Input).value.strip()
        if not typed:
            return False
        reason = self.query_one("#reason", Static)
        try:
            verdicts = attachments.check_file(Path(typed).expanduser())
        except IrpError as error:
            reason.update(Text(str(error)))
            return True
        refused = [v.message for v in verdicts if v.refuses]
        reason.update(Text("; ".join(refused)))
        return bool(refused)

    def action_attach(self) -> None:
        typed = self.query_one("#path", Input).value.strip()
        reason = self.query_one("#reason", Static)
        if not typed:
            reason.update("Type the path of the file to attach.")
            return
        target = self.target
        try:
            _, warnings = attachments.attach(
                self.visit,
                Path(typed).expanduser(),
                caption=self.query_one("#caption", Input).value,
                paragraph=target.paragraph,
                note=target.note,
                frame=target.frame,
                record=target.record,
            )
        except FileBusy:
            self._attach_when_free(Path(typed).expanduser())
            return
        except IrpError as error:
            reason.update(Text(str(error)))
            return
        reason.update(Text("; ".join(w.message for w in warnings)))
        self.notify(f"Attached {Path(typed).name} to {target.label}.")
        self.query_one("#path", Input).value = ""
        self.query_one("#caption", Input).value = ""
        self.show_files()
        files = self.query_one("#files", DataTable)
        files.move_cursor(row=files.row_count - 1)
        files.focus()  # the file just attached: o opens it, Tab goes back to the path

    def _attach_when_free(self, path: Path) -> None:
        """Another program holds the file: the path and caption wait with the screen
        beneath (kept beside the visit, ``tui.unsaved``) and attach once it is free."""
        from irp_field.tui.unsaved import KeepsTyping

        beneath = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if not isinstance(beneath, KeepsTyping):
            self.query_one("#reason", Static).update("The visit file is busy: try again.")
            return
        target = self.target
        caption = self.query_one("#caption", Input).value
        args = {
            "path": str(path),
            "caption": caption,
            **{
                name: getattr(target, name) or ""
                for name in ("paragraph", "note", "frame", "record")
            },
        }
        what = f"{path.name} for {target.label}"
        shown = (("File", str(path)), ("Caption", caption))
        typed = Typed(f"attachment:{target.target_id}:{path}", "attachment", what, args, shown)
        beneath.save_typed(
            typed,
            lambda _: None,
            after=lambda _: beneath.notify(f"Attached {what}."),
        )
        self.query_one("#reason", Static).update(
            Text(
                f"The visit file is busy: {path.name} waits, kept, and is attached once it is free."
            )
        )
        self.query_one("#path", Input).value = ""
        self.query_one("#caption", Input).value = ""

    def _highlighted(self) -> Attachment | None:
        table = self.query_one("#files", DataTable)
        if table.row_count == 0:
            self.notify("No attachment here yet.", severity="warning")
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.shown.get(str(row_key.value))

    def action_open(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        # In the data folder's tmp/ (0700), never the shared temporary folder: removed
        # when the app closes, or at the next start if it was killed.
        folder = paths.Scratch("viewer")
        cast("IrpApp", self.app).viewer_copies.append(folder)
        try:  # named for its type (a PDF named minutes.bat is minutes.bat.pdf)
            copy = attachments.save(self.visit, found.id, folder.path)
            attachments.open_in_viewer(copy)
        except IrpError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(f"Opened {copy.name} with the system's viewer (its copy goes when you quit).")

    def action_remove(self) -> None:
        found = self._highlighted()
        if found is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                attachments.remove(self.visit, found.id)
                self.notify(f"Took {found.file_name} off {self.target.label}.")
                self.show_files()

        self.app.push_screen(
            ConfirmScreen(
                f"Take {found.file_name} off {self.target.label}?",
                hint="y: take it off (it stays in the visit's history)   n or Escape: keep it",
            ),
            answered,
        )

    def action_purge(self) -> None:
        """The attachment and its file's bytes removed for good, once the person has said
        why and typed the word (a purge, unlike Delete, cannot be undone)."""
        from irp_field.tui.dialogs.purge import purge_chosen

        found = self._highlighted()
        if found is None:
            return
        label = f"{found.what} {found.file_name} of {self.target.label}"
        purge_chosen(self, "attachment", found.id, label, self.show_files)

    def action_close(self) -> None:
        self.dismiss(None)
