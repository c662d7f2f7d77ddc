"""Hand the visit back, sealed: the file to write (a USB stick, say), and whom it is
sealed for (the visit's recipients: the team leader's key). Enter writes it
(``api.sealing.handback``, what ``irp-field handback`` calls) in a thread; a refusal (no
one to seal for, a file already there) stays on the dialog; Escape closes it."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from irp_field.api import sealing
from irp_field.domain.errors import IrpError
from irp_field.domain.wording import slug
from irp_field.tui.widgets.path_field import PathField


def suggested_out(visit_path: Path, user: str) -> Path:
    """Beside the visit, named after it and whoever hands it back: hull-jade-richards.age."""
    return visit_path.with_name(f"{visit_path.stem}-{slug(user)}.age")


class HandbackScreen(ModalScreen[Path | None]):
    DEFAULT_CSS = """
    HandbackScreen {
        align: center middle;
        #handback { width: 76; max-width: 100%; height: auto; border: thick $accent; padding: 1 2; }
        #handback Label, #handback Static { width: 100%; }
        #out { width: 100%; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, visit_path: Path, user: str, keys: list[str]) -> None:
        super().__init__()
        self.visit_path, self.user, self.keys = visit_path, user, keys

    def compose(self) -> ComposeResult:
        with Vertical(id="handback"):
            yield Label("Hand back this visit sealed, for the team leader's key only.")
            yield Static(self._whom(), id="whom")
            yield PathField(id="out", placeholder="the sealed file to write (e.g. a USB stick)")
            yield Static("Enter: seal and write   Escape: close", id="said")

    def _whom(self) -> Text:
        if not self.keys:
            return Text(
                "No one to seal for yet: the team leader's key is added with "
                "`irp-field recipients add VISIT KEY`, or arrives with their merge.",
                style="bold",
            )
        shown = ", ".join(f"{key[:12]}...{key[-6:]}" for key in self.keys)
        return Text(f"Sealed for {len(self.keys)} key(s): {shown}")

    def on_mount(self) -> None:
        out = self.query_one("#out", Input)
        out.value = str(suggested_out(self.visit_path, self.user))
        out.focus()

    @on(Input.Submitted, "#out")
    def _write(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.query_one("#said", Static).update("Sealing...")
            self.seal(Path(event.value.strip()).expanduser())

    @work(thread=True, exclusive=True, group="handback")
    def seal(self, out: Path) -> None:
        try:
            sealed = sealing.handback(self.visit_path, out, open_here=True)
        except (IrpError, OSError) as error:
            said = Text(f"Not written: {error}", style="bold")
            self.app.call_from_thread(self.query_one("#said", Static).update, said)
            return
        self.app.call_from_thread(self._written, sealed)

    def _written(self, sealed: sealing.Sealed) -> None:
        self.app.notify(f"Sealed into {sealed.out} ({sealed.size:,} bytes).")
        self.dismiss(sealed.out)

    def action_close(self) -> None:
        self.dismiss(None)
