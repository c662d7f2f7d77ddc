"""Hand out the set-up (ctrl+g on the set-up screen): a copy of the visit for each team
member, named for them, in a folder such as a USB stick (``api.visits.hand_out``, what
``irp-field handout`` calls)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from irp_field.domain.errors import IrpError
from irp_field.tui.widgets.path_field import PathField

if TYPE_CHECKING:
    from irp_field.tui.app import IrpApp

KEYS = "Enter: write them   → takes the name offered   Escape: close"
WRITTEN_KEYS = "Escape: close   (the copies are written)"


class HandoutScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HandoutScreen {
        align: center middle;
        #handout { width: 76; max-width: 100%; height: auto; max-height: 100%;
                   border: thick $primary; padding: 0 1; }
        #handout Label, #handout Static { width: 100%; }
        #handout-folder { margin: 1 0; }
        #handout-written { height: auto; max-height: 13; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, members: list[str]) -> None:
        super().__init__()
        self.members = members

    def compose(self) -> ComposeResult:
        app = cast("IrpApp", self.app)
        stem = app.visit_path.stem
        with Vertical(id="handout"):
            yield Label(
                f"A copy of this visit for each of the {len(self.members)} team members, "
                f"named for them ({stem}-jade-richards.db). Each inspector copies theirs "
                "into the data folder of their laptop (irp-field list shows where) and "
                "opens it: it knows who they are."
            )
            yield PathField(id="handout-folder", placeholder="the folder: a USB stick")
            yield Static("", id="handout-written")
            yield Label(KEYS, id="handout-keys")

    @on(Input.Submitted, "#handout-folder")
    def _write(self, event: Input.Submitted) -> None:
        from irp_field.api.visits import hand_out, where_the_leader_goes_on

        typed = event.value.strip()
        shown = self.query_one("#handout-written", Static)
        if not typed:
            shown.update(Text("Type the folder first.", style="bold"))
            return
        app = cast("IrpApp", self.app)
        visit, folder = app.visit_path, Path(typed).expanduser()
        shown.update(f"Writing {len(self.members)} copies...")

        def write() -> None:  # a thread: a visit with photographs takes a while to copy
            try:
                written = hand_out(visit, folder, open_here=True)
            except IrpError as error:
                said = Text(str(error), style="bold")
            else:
                lines = [f"{each.path.name}  for {each.member}" for each in written]
                said = Text(where_the_leader_goes_on(visit), style="bold")
                said.append("\n" + "\n".join([f"Wrote {len(written)} copies there:", *lines]))
                keys = self.query_one("#handout-keys", Label)
                self.app.call_from_thread(keys.update, WRITTEN_KEYS)  # Enter said "write them"
            self.app.call_from_thread(shown.update, said)

        self.run_worker(write, thread=True, group="handout")

    def action_close(self) -> None:
        self.dismiss(None)
